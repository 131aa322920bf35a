"""Lookups on loaded frameworks: by code, by ``framework/code`` reference, roots and children."""

from __future__ import annotations

import pytest

from alliance.errors import LookupFailedError
from alliance.referential import Status, default_referential

pytestmark = pytest.mark.unit

REFERENTIAL = default_referential()


def test_item_by_reference_and_label_by_language():
    assert REFERENTIAL.label("partnership-categories/mecenat", "fr") == "Mécénat"
    assert REFERENTIAL.label("partnership-categories/mecenat", "en") == "Corporate philanthropy"


def test_children_of_mecenat_are_its_four_sub_types():
    categories = REFERENTIAL.framework("partnership-categories")

    assert [item.code for item in categories.children("mecenat")] == [
        "mecenat_financier",
        "mecenat_nature",
        "mecenat_logistique",
        "mecenat_competences",
    ]
    assert categories.children("innovation_societale") == []


def test_status_counts_cover_every_status_and_every_item():
    for framework in REFERENTIAL:
        counts = framework.status_counts()
        assert list(counts) == list(Status)
        assert sum(counts.values()) == len(framework)


def test_unknown_framework_lists_the_available_ones():
    with pytest.raises(LookupFailedError) as caught:
        REFERENTIAL.framework("partnerships")

    assert caught.value.message("en").startswith(
        "Unknown framework: 'partnerships'. Available frameworks: actor-profiles, levers, "
    )
    assert isinstance(caught.value, LookupError)


def test_unknown_item_names_the_framework():
    with pytest.raises(LookupFailedError) as caught:
        REFERENTIAL.item("levers/argent")

    assert caught.value.message("fr") == "Élément inconnu : 'argent' dans le cadre 'levers'"


def test_children_of_an_unknown_item_is_an_error():
    with pytest.raises(LookupFailedError):
        REFERENTIAL.framework("levers").children("argent")


def test_item_count_sums_the_frameworks():
    assert REFERENTIAL.item_count() == sum(len(framework) for framework in REFERENTIAL)
