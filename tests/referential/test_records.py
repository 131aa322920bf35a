"""Items as one-language records: the shape of JSON, CSV and API output."""

from __future__ import annotations

import pytest

from alliance.referential import default_referential
from alliance.referential.records import (
    COMMON_FIELDS,
    extra_fields,
    framework_record,
    item_record,
)

pytestmark = pytest.mark.unit

REFERENTIAL = default_referential()


def test_record_of_a_sub_type_in_french():
    item = REFERENTIAL.item("partnership-categories/mecenat_financier")

    assert item_record(item, REFERENTIAL, "fr") == {
        "code": "mecenat_financier",
        "label": "Mécénat financier",
        "definition": (
            "Don en numéraire pour financer les activités ou le fonctionnement d'une structure."
        ),
        "status": "confirmed",
        "definition_status": None,
        "sources": [
            "https://fr.coursera.org/lecture/partenariats-qui-changent-le-monde/"
            "allons-plus-loin-avec-thierry-sibieude-partie-2-SvmUB?authMode=signup"
        ],
        "parent": "mecenat",
        "links": [],
        "note": None,
    }


def test_source_without_address_is_shown_by_its_title():
    item = REFERENTIAL.item("partnership-categories/mecenat")

    assert item_record(item, REFERENTIAL, "en")["sources"][0] == (
        "Carnet de recherche « ODD 17 : Alliance & Performance » (IMPACT 2018-2022, 5e volet)"
    )


def test_links_are_records_with_their_own_status_and_sources():
    objective = REFERENTIAL.item("objectives/proposition_valeur")
    record = item_record(objective, REFERENTIAL, "en")

    category = [link for link in record["links"] if link["rel"] == "activates_category"]
    assert category[0]["target"] == "partnership-categories/innovation_societale"
    assert category[0]["status"] == "inferred"
    assert all(isinstance(source, str) for source in category[0]["sources"])


def test_common_fields_come_first_then_the_framework_extras():
    assert COMMON_FIELDS == (
        "code",
        "label",
        "definition",
        "status",
        "definition_status",
        "sources",
        "parent",
        "links",
        "note",
    )
    assert extra_fields(REFERENTIAL.framework("actor-profiles")) == ["practice_sheet"]
    assert extra_fields(REFERENTIAL.framework("levers")) == []
    assert extra_fields(REFERENTIAL.framework("published-figures")) == [
        "population",
        "population_detail",
        "study",
        "year",
        "fieldwork",
        "sample_size",
        "value",
        "answer_points",
    ]


def test_framework_record_counts_items_by_status():
    record = framework_record(REFERENTIAL.framework("partnership-categories"), REFERENTIAL, "en")

    assert record == {
        "framework": "partnership-categories",
        "title": "The four partnership categories",
        "description": record["description"],
        "sources": [],
        "version": "1.0.0",
        "items": 8,
        "statuses": {"notebook": 0, "confirmed": 8, "inferred": 0, "unknown": 0},
    }
