"""An item as readers see it: two badges when its definition is less sure, figures, links."""

from __future__ import annotations

import pytest

from alliance.referential import default_referential
from alliance.referential.model import Item
from alliance.referential.presentation import item_view

pytestmark = pytest.mark.unit

REFERENTIAL = default_referential()


def items_where(condition) -> list[tuple[str, Item]]:
    return [
        (framework.code, item) for framework in REFERENTIAL for item in framework if condition(item)
    ]


def test_an_item_whose_definition_is_less_sure_carries_two_badges():
    framework, item = items_where(
        lambda i: i.definition_status is not None and i.definition_status is not i.status
    )[0]

    view = item_view(item, REFERENTIAL, "fr", framework)

    assert item.definition_status is not None
    assert [b.status for b in view.badges] == [item.status.value, item.definition_status.value]
    assert view.badges[1].text.startswith("définition : ")
    assert " · " in view.status_text


def test_a_published_figure_shows_its_value_population_and_study():
    item = REFERENTIAL.item("published-figures/citoyens_2022_impact_territoires")

    fr = item_view(item, REFERENTIAL, "fr", "published-figures")
    en = item_view(item, REFERENTIAL, "en", "published-figures")

    assert fr.figure is not None
    assert en.figure is not None
    assert (fr.figure.value, fr.figure.text, en.figure.text) == (56, "56\u202f%", "56%")
    assert fr.figure.study == "IMPACT 2018-2022"
    assert fr.figure.population.endswith("Français (échantillon représentatif)")
    assert fr.figure.answer_points == "fort + très fort"


def test_links_are_typed_labelled_and_carry_their_own_status():
    item = REFERENTIAL.item("published-figures/citoyens_2022_impact_territoires")

    [link] = item_view(item, REFERENTIAL, "en", "published-figures").links

    assert (link.relation, link.target, link.badge.status) == (
        "study programme", "study-programmes/impact", "notebook",
    )  # fmt: skip
    assert link.target_label == REFERENTIAL.item("study-programmes/impact").label("en")


def test_the_parent_is_shown_by_its_label_and_sources_by_their_titles():
    item = REFERENTIAL.item("partnership-categories/mecenat_competences")

    view = item_view(item, REFERENTIAL, "en", "partnership-categories")

    assert view.parent == (
        "mecenat",
        REFERENTIAL.item("partnership-categories/mecenat").label("en"),
    )
    assert [s.title for s in view.sources] == [REFERENTIAL.sources[c].title for c in item.sources]


def test_a_placeholder_note_is_a_hypothesis():
    framework, item = items_where(lambda i: i.is_placeholder and i.note is not None)[0]

    view = item_view(item, REFERENTIAL, "fr", framework)

    assert view.hypothesis
    assert item.note is not None
    assert view.note == item.note("fr")


def test_practice_sheets_known_or_not():
    associations = item_view(
        REFERENTIAL.item("actor-profiles/associations"), REFERENTIAL, "fr", "actor-profiles"
    )
    companies = item_view(
        REFERENTIAL.item("actor-profiles/entreprises"), REFERENTIAL, "fr", "actor-profiles"
    )

    assert associations.sheet is not None
    assert associations.sheet.url is not None
    assert associations.sheet.url.endswith("Fiches-Pratiques-Associations-EXE.pdf")
    assert companies.sheet is not None
    assert companies.sheet.url is None


def test_every_relation_of_the_referential_has_words_in_both_languages():
    for framework, item in items_where(lambda i: bool(i.links)):
        for lang in ("fr", "en"):
            for link in item_view(item, REFERENTIAL, lang, framework).links:
                assert link.relation
                assert not link.relation.startswith("item.")
