"""The referential shipped in ``src/alliance/referential/data``: complete, consistent, honest.

These tests read the real data files. They check what the loader cannot see in a single item:
coverage of the notebook's frameworks, both languages everywhere, references that resolve,
placeholders that say so, and the figures the notebook publishes.
"""

from __future__ import annotations

import re

import pytest

from alliance.referential import (
    PLACEHOLDER_MARKERS,
    ActorProfile,
    Item,
    PublishedFigure,
    Status,
    default_referential,
)

pytestmark = pytest.mark.unit

REFERENTIAL = default_referential()
ALL_ITEMS = [(framework.code, item) for framework in REFERENTIAL for item in framework]
IDS = [f"{framework}/{item.code}" for framework, item in ALL_ITEMS]

#: One framework per concept of the notebook and its domain notes (referential-facts.md §0-§11).
EXPECTED_FRAMEWORKS = [
    "actor-profiles",
    "levers",
    "economic-models",
    "objective-axes",
    "objectives",
    "generic-objectives",
    "objective-readings",
    "partnership-categories",
    "contract-types",
    "common-objectives",
    "impacts",
    "added-values",
    "engagement-spheres",
    "drives-to-act",
    "forces-of-change",
    "innovation-stages",
    "innovation-quadriptych",
    "societal-investor-levers",
    "territorial-engineerings",
    "co-construction-dimensions",
    "territorial-maturity-levels",
    "mayor-profiles",
    "evaluation-objects",
    "evaluation-approaches",
    "evaluation-families",
    "evaluation-levels",
    "evaluation-objectives",
    "study-programmes",
    "publications",
    "published-figures",
    "valorisation-pillars",
    "experiential-path",
    "odd17-resources",
]


def codes(framework: str, *, roots_only: bool = False) -> list[str]:
    chosen = REFERENTIAL.framework(framework)
    items = chosen.roots() if roots_only else list(chosen)
    return [item.code for item in items]


def labels(framework: str, lang: str) -> list[str]:
    return [item.label(lang) for item in REFERENTIAL.framework(framework).roots()]  # type: ignore[arg-type]


def test_every_framework_of_the_notebook_is_present_in_reading_order():
    assert list(REFERENTIAL.frameworks) == EXPECTED_FRAMEWORKS


@pytest.mark.parametrize(("framework", "item"), ALL_ITEMS, ids=IDS)
def test_item_is_complete_in_both_languages(framework: str, item: Item):
    for lang in ("fr", "en"):
        assert item.label(lang).strip()
        assert item.definition(lang).strip()
    assert item.definition("fr") != item.definition("en"), "definition left untranslated"


@pytest.mark.parametrize("framework", EXPECTED_FRAMEWORKS)
def test_framework_has_titles_and_descriptions_in_both_languages(framework: str):
    chosen = REFERENTIAL.framework(framework)
    assert chosen.title("fr")
    assert chosen.title("en")
    assert chosen.description("fr") != chosen.description("en")


@pytest.mark.parametrize("framework", EXPECTED_FRAMEWORKS)
def test_codes_are_unique_ascii_identifiers(framework: str):
    found = codes(framework)
    assert len(found) == len(set(found))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", code) for code in found)


@pytest.mark.parametrize(("framework", "item"), ALL_ITEMS, ids=IDS)
def test_every_reference_resolves(framework: str, item: Item):
    chosen = REFERENTIAL.framework(framework)
    if item.parent is not None:
        assert item.parent in chosen
    for link in item.links:
        target_framework, _, code = link.target.partition("/")
        assert code in REFERENTIAL.framework(target_framework)
        assert set(link.sources) <= set(REFERENTIAL.sources)
    for field, target_framework in item.reference_fields.items():
        assert getattr(item, field) in REFERENTIAL.framework(target_framework)
    assert set(item.sources) <= set(REFERENTIAL.sources)


def test_every_declared_source_is_cited():
    cited = {code for framework in REFERENTIAL for code in framework.sources}
    cited |= {code for _, item in ALL_ITEMS for code in item.sources}
    cited |= {code for _, item in ALL_ITEMS for link in item.links for code in link.sources}
    cited |= {
        code
        for _, item in ALL_ITEMS
        if isinstance(item, ActorProfile) and item.practice_sheet
        for code in item.practice_sheet.sources
    }
    assert sorted(set(REFERENTIAL.sources) - cited) == []


@pytest.mark.parametrize(("framework", "item"), ALL_ITEMS, ids=IDS)
def test_placeholder_wording_only_on_unknown_items(framework: str, item: Item):
    marked = all(mark in item.label(lang) for lang, mark in PLACEHOLDER_MARKERS.items())
    looks_unfinished = re.search(
        r"\?|TODO|TBD|XXX|à compléter|to be completed", item.label("fr") + item.label("en")
    )
    assert marked == (item.status is Status.UNKNOWN)
    assert not looks_unfinished or item.status is Status.UNKNOWN


@pytest.mark.parametrize(("framework", "item"), ALL_ITEMS, ids=IDS)
def test_inferred_content_cites_the_reconstruction(framework: str, item: Item):
    if Status.INFERRED in (item.status, item.definition_status):
        assert "reconstruction" in item.sources
    for link in item.links:
        if link.status is Status.INFERRED:
            assert "reconstruction" in link.sources


def test_notebook_items_cite_the_notebook():
    offenders = [
        f"{framework}/{item.code}"
        for framework, item in ALL_ITEMS
        if item.status is Status.NOTEBOOK and "notebook" not in item.sources
    ]
    assert offenders == []


def test_six_actor_profiles_with_finer_profiles_as_children():
    assert labels("actor-profiles", "fr") == [
        "Citoyens",
        "Associations",
        "Entreprises",
        "Fondations",
        "Institutions (nationales & territoriales)",
        "Acteurs académiques",
    ]
    profiles = REFERENTIAL.framework("actor-profiles")
    assert [item.code for item in profiles.children("entreprises")] == [
        "pme",
        "grandes_entreprises",
    ]
    assert [item.code for item in profiles.children("institutions")] == [
        "collectivites_territoriales",
        "etat",
    ]


def test_practice_sheets_exist_for_the_four_profiles_the_notebook_names():
    with_sheet = [
        item.code
        for item in REFERENTIAL.framework("actor-profiles")
        if isinstance(item, ActorProfile) and item.practice_sheet is not None
    ]
    assert sorted(with_sheet) == [
        "associations",
        "collectivites_territoriales",
        "entreprises",
        "fondations",
    ]


def test_three_levers_of_the_socio_economic_model():
    assert codes("levers", roots_only=True) == [
        "richesses_humaines",
        "ressources_financieres",
        "alliances",
    ]
    assert all(
        REFERENTIAL.framework("levers").children(code) for code in codes("levers", roots_only=True)
    )


def test_four_partnership_categories_in_both_languages():
    assert labels("partnership-categories", "fr") == [
        "Mécénat",
        "Pratiques responsables",
        "Coopération économique",
        "Innovation sociétale",
    ]
    assert labels("partnership-categories", "en") == [
        "Corporate philanthropy",
        "Responsible practices",
        "Economic cooperation",
        "Societal innovation",
    ]


def test_each_objective_of_the_carre_magique_activates_one_category_by_inference():
    for objective in REFERENTIAL.framework("objectives"):
        links = [link for link in objective.links if link.rel == "activates_category"]
        assert len(links) == 1
        assert links[0].status is Status.INFERRED
    assert codes("objectives") == [
        "processus",
        "positionnement",
        "business_model",
        "proposition_valeur",
    ]


def test_evaluation_referential_counts():
    assert len(REFERENTIAL.framework("evaluation-objects")) == 3
    assert codes("evaluation-approaches") == [
        "performance",
        "coherence",
        "efficience",
        "pertinence",
        "contribution_societale",
        "clarte",
        "sens",
    ]
    assert len(REFERENTIAL.framework("evaluation-families")) == 3


@pytest.mark.parametrize(
    ("framework", "count"),
    [
        ("forces-of-change", 7),
        ("economic-models", 7),
        ("territorial-maturity-levels", 4),
        ("mayor-profiles", 5),
        ("evaluation-levels", 4),
    ],
)
def test_frameworks_known_only_from_missing_figures_are_explicit_placeholders(framework, count):
    items = list(REFERENTIAL.framework(framework))
    assert len(items) == count
    assert {item.status for item in items} == {Status.UNKNOWN}


def notebook_figure(population: str, impact_label_fragment: str) -> PublishedFigure:
    matches = [
        item
        for item in REFERENTIAL.framework("published-figures")
        if isinstance(item, PublishedFigure)
        and item.status is Status.NOTEBOOK
        and item.population == population
        and impact_label_fragment in item.label("fr").lower()
    ]
    assert len(matches) == 1, [item.code for item in matches]
    return matches[0]


@pytest.mark.parametrize(
    ("population", "fragment", "value"),
    [
        ("citoyens", "territoires", 56),
        ("citoyens", "innovation territoriale", 55),
        ("citoyens", "personnes", 54),
        ("citoyens", "entreprises", 53),
        ("citoyens", "collectivités", 51),
        ("citoyens", "associations", 42),
        ("collectivites_territoriales", "performance", 56),
    ],
)
def test_figures_published_by_the_notebook(population, fragment, value):
    figure = notebook_figure(population, fragment)

    assert figure.value == value
    assert figure.sources == ["notebook"]
    if population == "citoyens":  # the notebook gives the answer points only for the French
        assert figure.answer_points is not None
        assert figure.answer_points("fr") == "fort + très fort"


def test_figures_missing_from_the_notebook_are_placeholders_without_value():
    unknown = [
        item
        for item in REFERENTIAL.framework("published-figures")
        if isinstance(item, PublishedFigure) and item.status is Status.UNKNOWN
    ]
    assert {item.population for item in unknown} >= {"entreprises", "associations", "fondations"}
    assert all(item.value is None for item in unknown)
