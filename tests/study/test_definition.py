"""``study.yaml``: the model, paths relative to the file, every problem at once with its line."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from alliance.study.definition import DEFAULT_SUPPRESS_BELOW, load_definition

pytestmark = pytest.mark.unit

MINIMAL = """\
study: mini
title: {fr: "Mini", en: "Mini"}
populations:
  - population: habitants
    label: {fr: Habitants, en: Residents}
    questionnaire: q.yaml
    waves:
      - {wave: 2023, file: data/a.csv}
    shares:
      - {item: q, codes: [1, 2]}
"""


def write(tmp_path: Path, text: str, name: str = "study.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def described(problems) -> list[tuple[str, int | None, str | None]]:
    return [(p.key, p.location.line, p.location.field) for p in problems]


def test_the_fixture_study_loads_whole(hand_study):
    definition, problems, doc = load_definition(hand_study)

    assert problems == []
    assert doc is not None
    assert definition is not None
    assert (definition.study, definition.synthetic, definition.suppress_below) == (
        "barometre-test",
        True,
        10,
    )
    (population,) = definition.populations
    assert population.population == "habitants"
    assert [w.wave for w in population.waves] == ["2023", "2024"]
    assert population.waves[0].fieldwork is not None
    assert population.waves[0].fieldwork.start == datetime.date(2023, 3, 6)
    assert population.waves[1].mode is not None
    assert population.waves[1].mode.en == "telephone"
    assert (population.design.weights, population.design.strata) == ("poids", "strate")
    assert [(s.item, s.codes) for s in population.shares] == [
        ("q_confiance", [1, 2]),
        ("q_impact", [1, 2]),
    ]
    assert population.means == ["q_nb_partenariats"]
    assert population.segments == ["sexe", "age", "taille_commune"]
    assert population.published[0].value == 0.56
    assert population.share("q_impact") is population.shares[1]
    assert population.share("q_nb_partenariats") is None
    assert definition.population("habitants") is population


def test_paths_are_relative_to_the_definition_file(hand_study):
    definition, _, _ = load_definition(hand_study)

    assert definition is not None
    assert definition.folder == hand_study.parent.resolve()
    assert (
        definition.path("data/habitants-2023.sav")
        == (hand_study.parent / "data" / "habitants-2023.sav").resolve()
    )


def test_defaults_and_a_year_as_wave(tmp_path):
    definition, problems, _ = load_definition(write(tmp_path, MINIMAL))

    assert problems == []
    assert definition is not None
    assert definition.suppress_below == DEFAULT_SUPPRESS_BELOW == 10
    assert (definition.synthetic, definition.licence, definition.notebook) == (
        False,
        "ODbL-1.0",
        None,
    )
    population = definition.populations[0]
    assert population.waves[0].wave == "2023"  # ``wave: 2023`` is the wave "2023"
    assert population.design.lonely_psu == "fail"
    assert (population.means, population.segments, population.published) == ([], [], [])


def test_every_problem_at_once_with_its_line(tmp_path):
    text = (
        MINIMAL.replace("study: mini", "study: Mini Study")
        .replace('title: {fr: "Mini", en: "Mini"}', 'title: {fr: "Mini"}')
        .replace(
            "      - {wave: 2023, file: data/a.csv}\n",
            "      - {wave: 2023, file: data/a.csv}\n      - {wave: '2023', file: data/b.csv}\n",
        )
    )

    definition, problems, _ = load_definition(write(tmp_path, text))

    # The valid population is kept (unchecked study), so its files can be checked too.
    assert definition is not None
    assert [p.population for p in definition.populations] == ["habitants"]
    assert described(problems) == [
        ("validation.string_pattern_mismatch", 1, "study"),
        ("validation.missing", 2, "title.en"),
        ("validation.duplicate_wave", 9, "populations.0.waves.1.wave"),
    ]
    assert problems[0].message("en") == (
        "Invalid format (expected: ^[a-z0-9]+(-[a-z0-9]+)*$) "
        "(file study.yaml, line 1, field 'study', value 'Mini Study')"
    )
    assert problems[2].message("en") == (
        "Wave 2023 appears twice "
        "(file study.yaml, line 9, field 'populations.0.waves.1.wave', value '2023')"
    )


def test_a_population_must_estimate_something(tmp_path):
    text = MINIMAL.replace("    shares:\n      - {item: q, codes: [1, 2]}\n", "")

    _, problems, _ = load_definition(write(tmp_path, text))

    assert [p.key for p in problems] == ["validation.nothing_estimated"]
    assert problems[0].location.line == 4


def test_a_published_figure_names_a_wave_of_the_population(tmp_path):
    text = MINIMAL + "    published:\n      - {item: q, wave: 2019, value: 0.5, source: X}\n"

    _, problems, _ = load_definition(write(tmp_path, text))

    assert [(p.key, p.params) for p in problems] == [("validation.unknown_wave", {"wave": "2019"})]


def test_fieldwork_must_end_after_it_starts(tmp_path):
    text = MINIMAL.replace(
        "{wave: 2023, file: data/a.csv}",
        "{wave: 2023, file: data/a.csv, fieldwork: {start: 2023-03-10, end: 2023-03-01}}",
    )

    _, problems, _ = load_definition(write(tmp_path, text))

    assert [(p.key, p.location.line) for p in problems] == [("validation.fieldwork_order", 8)]


def test_populations_are_unique(tmp_path):
    population = MINIMAL.split("populations:\n", 1)[1]
    text = MINIMAL + population

    _, problems, _ = load_definition(write(tmp_path, text))

    assert [(p.key, p.params) for p in problems] == [
        ("validation.duplicate_population", {"code": "habitants"})
    ]


def test_a_missing_file_is_one_problem(tmp_path):
    definition, problems, doc = load_definition(tmp_path / "study.yaml")

    assert (definition, doc) == (None, None)
    assert [p.key for p in problems] == ["study.definition_missing"]
    assert problems[0].message("en") == (
        f"Study definition file not found (file {tmp_path / 'study.yaml'})"
    )


def test_a_file_that_is_not_a_mapping(tmp_path):
    definition, problems, doc = load_definition(write(tmp_path, "- a\n- b\n"))

    assert definition is None
    assert doc is not None
    assert problems[0].message("fr") == (
        "La définition d'étude doit être une table de clés (study, title, populations…) "
        "(fichier study.yaml, ligne 1)"
    )


def test_unreadable_yaml_is_located(tmp_path):
    _, problems, _ = load_definition(write(tmp_path, "study: [\n"))

    assert [(p.key, p.location.file, p.location.line) for p in problems] == [
        ("yaml.invalid", "study.yaml", 2)
    ]


def test_a_multistage_design_names_one_column_per_stage(tmp_path):
    text = MINIMAL.replace(
        "    waves:\n",
        "    design: {psu: [dnum, snum], fpc: [fpc1, fpc2], lonely_psu: certainty}\n    waves:\n",
    )

    definition, problems, _ = load_definition(write(tmp_path, text))

    assert problems == []
    assert definition is not None
    spec = definition.populations[0].design.spec()
    assert (spec.psu, spec.fpc, spec.lonely_psu) == (
        ("dnum", "snum"),
        ("fpc1", "fpc2"),
        "certainty",
    )


APPARATUS = """\
edition: "5e édition"
published: 2022-06-15
authors: ["Observatoire des partenariats", "Le RAMEAU"]
credits:
  - {role: {fr: "Terrain", en: "Fieldwork"}, name: "Comisis-OpinionWay"}
partners: ["Caisse des Dépôts"]
url: "https://example.org/carnet"
"""


def test_the_cover_apparatus_is_read(tmp_path):
    definition, problems, _ = load_definition(write(tmp_path, MINIMAL + APPARATUS))

    assert problems == []
    assert definition is not None
    assert definition.edition == "5e édition"
    assert definition.published == datetime.date(2022, 6, 15)
    assert definition.authors == ["Observatoire des partenariats", "Le RAMEAU"]
    assert [(c.role.fr, c.role.en, c.name) for c in definition.credits] == [
        ("Terrain", "Fieldwork", "Comisis-OpinionWay")
    ]
    assert definition.partners == ["Caisse des Dépôts"]
    assert definition.url == "https://example.org/carnet"


def test_the_cover_apparatus_is_optional(tmp_path):
    definition, problems, _ = load_definition(write(tmp_path, MINIMAL))

    assert problems == []
    assert definition is not None
    assert (definition.edition, definition.published, definition.url) == (None, None, None)
    assert (definition.authors, definition.credits, definition.partners) == ([], [], [])


def test_cover_apparatus_problems_are_located(tmp_path):
    bad = (
        'published: 2022-06-15x\nauthors: ["A", ""]\n'
        "credits:\n  - {role: {fr: Terrain}, name: X}\nurl: ftp://x\n"
    )
    _, problems, _ = load_definition(write(tmp_path, MINIMAL + bad))

    assert described(problems) == [
        ("validation.date_from_datetime_parsing", 11, "published"),
        ("validation.string_too_short", 12, "authors.1"),
        ("validation.missing", 14, "credits.0.role.en"),
        ("validation.string_pattern_mismatch", 15, "url"),
    ]
    assert problems[-1].location.value == "ftp://x"


def test_the_edition_may_be_given_in_both_languages(tmp_path):
    text = MINIMAL + 'edition: {fr: "Édition de démonstration", en: "Demonstration edition"}\n'
    definition, problems, _ = load_definition(write(tmp_path, text))

    assert problems == []
    assert definition is not None
    assert definition.edition_in("fr") == "Édition de démonstration"
    assert definition.edition_in("en") == "Demonstration edition"
    plain, _, _ = load_definition(write(tmp_path, MINIMAL + 'edition: "2e édition"\n'))
    assert plain is not None
    assert (plain.edition_in("fr"), plain.edition_in("en")) == ("2e édition", "2e édition")
