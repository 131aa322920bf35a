"""Checking a study: every problem of the definition and of the files it names, located, at once."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from alliance.study.check import prepare_study
from alliance.study.stopwatch import Stopwatch
from tests.study.conftest import edit

pytestmark = pytest.mark.unit


def line_of(path: Path, text: str) -> int:
    """The number of the one line of ``path`` holding ``text``."""
    found = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if text in line]  # fmt: skip
    assert len(found) == 1, f"{text!r} is on lines {found}"
    return found[0]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def located(prepared) -> list[tuple[str, str | None, int | None, str | None, object]]:
    return [
        (p.key, p.location.file, p.location.line, p.location.field, p.location.value)
        for p in prepared.problems
    ]


def set_margins(study: Path, content: dict[str, object]) -> None:
    (study.parent / "margins" / "habitants.json").write_text(json.dumps(content), encoding="utf-8")


def test_the_fixture_study_is_ready_to_run(hand_study):
    prepared = prepare_study(hand_study)

    assert prepared.problems == []
    assert prepared.errors == []
    assert prepared.definition is not None
    (population,) = prepared.populations
    assert population.questionnaire.questionnaire == "habitants"
    assert population.margins is not None
    assert population.margins.file == "habitants.json"
    assert [(w.wave, w.path.name, w.responses.frame.height) for w in population.waves] == [
        ("2023", "habitants-2023.sav", 400),
        ("2024", "habitants-2024.csv", 350),
    ]
    for wave in population.waves:
        assert wave.sha256 == hashlib.sha256(wave.path.read_bytes()).hexdigest()
        assert wave.margins is population.margins
    content = population.questionnaire.model_dump_json().encode()
    assert population.questionnaire_sha256 == hashlib.sha256(content).hexdigest()


def test_dont_know_answers_are_missing_values_for_estimates(hand_study):
    wave = prepare_study(hand_study).populations[0].waves[1]

    raw = wave.responses.frame["q_confiance"]
    assert raw[0] == 9  # the French CSV's « Ne sait pas », recoded to its code
    assert wave.frame["q_confiance"][0] is None
    assert wave.frame["q_confiance"].null_count() == (raw == 9).sum()


def test_the_check_times_reading_and_checking(hand_study):
    heard: list[tuple[str, str]] = []

    prepare_study(
        hand_study, stopwatch=Stopwatch(lambda step, subject: heard.append((step, subject)))
    )

    assert heard == [
        ("read", "study.yaml"),
        ("read", "data/habitants-2023.sav"),
        ("check", "data/habitants-2023.sav"),
        ("read", "data/habitants-2024.csv"),
        ("check", "data/habitants-2024.csv"),
    ]


def test_a_missing_file_points_at_its_line_in_the_definition(hand_study):
    (hand_study.parent / "questionnaires" / "habitants.yaml").unlink()

    prepared = prepare_study(hand_study)

    assert located(prepared) == [
        (
            "study.file_missing",
            "study.yaml",
            line_of(hand_study, "questionnaire: questionnaires/habitants.yaml"),
            "populations.0.questionnaire",
            "questionnaires/habitants.yaml",
        )
    ]
    assert prepared.populations == []
    path = hand_study.parent.resolve() / "questionnaires" / "habitants.yaml"
    assert prepared.problems[0].text("en") == f"File not found: {path}"


def test_a_missing_notebook_prose_file(hand_study):
    edit(hand_study, "suppress_below: 10\n", "suppress_below: 10\nnotebook: prose.yaml\n")

    prepared = prepare_study(hand_study)

    assert located(prepared) == [
        ("study.file_missing", "study.yaml", line_of(hand_study, "notebook:"), "notebook",
         "prose.yaml"),
    ]  # fmt: skip


def test_unknown_item_and_unknown_code_in_shares(hand_study):
    edit(hand_study, "{item: q_impact, codes: [1, 2]}", "{item: q_impacts, codes: [1, 2]}")
    edit(hand_study, "{item: q_confiance, codes: [1, 2]}", "{item: q_confiance, codes: [1, 7]}")

    prepared = prepare_study(hand_study)

    assert located(prepared) == [
        ("study.code_unknown", "study.yaml", line_of(hand_study, "codes: [1, 7]"),
         "populations.0.shares.0.codes.1", 7),
        ("study.item_unknown", "study.yaml", line_of(hand_study, "q_impacts"),
         "populations.0.shares.1.item", "q_impacts"),
    ]  # fmt: skip
    assert [p.text("en") for p in prepared.problems] == [
        "Code '7' is not in the scale of 'q_confiance' (codes: 1, 2, 3, 4, 9)",
        "Item 'q_impacts' is not in questionnaire habitants",
    ]


def test_means_must_be_numeric_and_published_figures_estimated(hand_study):
    edit(hand_study, "means: [q_nb_partenariats]", "means: [sexe]")
    edit(hand_study, "{item: q_confiance, wave:", "{item: q_nb_partenariats, wave:")

    prepared = prepare_study(hand_study)

    assert [(p.key, p.location.field) for p in prepared.problems] == [
        ("study.mean_not_numeric", "populations.0.means.0"),
        ("study.published_not_estimated", "populations.0.published.0.item"),
    ]


def test_a_margin_category_absent_from_the_data(hand_study):
    set_margins(
        hand_study,
        {
            "sexe": {"F": 0.525, "M": 0.475},
            "age": {"18-34": 0.27, "35-64": 0.48, "65+": 0.2, "80+": 0.05},
            "population_total": 612000,
        },
    )

    prepared = prepare_study(hand_study)

    assert located(prepared) == [
        ("study.margin_category_absent", "habitants.json", None, "age", "80+"),
        ("study.margin_category_absent", "habitants.json", None, "age", "80+"),
    ]
    assert [p.text("en") for p in prepared.problems] == [
        "Target age='80+' matches no respondent of wave 2023 (habitants-2023.sav)",
        "Target age='80+' matches no respondent of wave 2024 (habitants-2024.csv)",
    ]


def test_a_data_category_without_target(hand_study):
    set_margins(hand_study, {"sexe": {"F": 0.525, "M": 0.475}, "age": {"18-34": 0.4, "35-64": 0.6}})

    prepared = prepare_study(hand_study)

    assert located(prepared) == [
        ("study.margin_category_untargeted", "habitants-2023.sav", None, "age", "65+"),
        ("study.margin_category_untargeted", "habitants-2024.csv", None, "age", "65+"),
    ]
    assert prepared.problems[0].text("fr") == (
        "La catégorie age='65+' des données n'a pas de cible dans habitants.json"
    )


def test_a_weighting_variable_missing_for_some_respondents(hand_study):
    set_margins(
        hand_study,
        {
            "sexe": {"F": 0.525, "M": 0.475},
            "q_impact": {"1": 0.25, "2": 0.25, "3": 0.25, "4": 0.25},
        },
    )
    csv = (hand_study.parent / "data" / "habitants-2024.csv").read_bytes().decode("cp1252")
    lines = csv.splitlines()
    column = lines[0].split(";").index("q_impact")
    unknown = [i for i, line in enumerate(lines, 1) if line.split(";")[column] == "Ne sait pas"]

    prepared = prepare_study(hand_study)

    found = [p for p in prepared.problems if p.location.file == "habitants-2024.csv"]
    assert [(p.key, p.location.line, p.location.field) for p in found] == [
        ("study.margin_value_missing", unknown[0], "q_impact")
    ]
    assert found[0].text("en") == (
        f"Weighting variable 'q_impact' is missing for {len(unknown)} respondent(s): "
        "each must have one"
    )
    assert {p.key for p in prepared.problems} == {"study.margin_value_missing"}


def test_a_wave_whose_file_fails_validation(hand_study):
    data = hand_study.parent / "data" / "habitants-2024.csv"
    text = data.read_bytes().decode("cp1252")
    first = "H24-0001;Femme;35 à 64 ans;1;Commune rurale;0,7884;Ne sait pas;Nul;3"
    assert text.count(first) == 1
    data.write_bytes(text.replace(first, first.replace("Ne sait pas", "7")).encode("cp1252"))

    prepared = prepare_study(hand_study)

    assert located(prepared) == [
        ("validation_rows.code_outside_scale", "habitants-2024.csv", 2, "q_confiance", "7"),
    ]
    assert prepared.populations == []  # the run needs every wave


def test_missing_design_segment_and_margin_columns(hand_study):
    edit(
        hand_study,
        "design: {weights: poids, strata: strate}",
        "design: {weights: poids, strata: region}",
    )
    edit(hand_study, "segments: [sexe, age, taille_commune]", "segments: [sexe, csp]")
    set_margins(hand_study, {"sexe": {"F": 0.525, "M": 0.475}, "diplome": {"a": 0.5, "b": 0.5}})

    prepared = prepare_study(hand_study)

    assert [(p.location.file, p.location.field, p.params["role"]) for p in prepared.problems] == [
        ("habitants-2023.sav", "region", "design"),
        ("habitants-2023.sav", "csp", "segments"),
        ("habitants-2023.sav", "diplome", "margins"),
        ("habitants-2024.csv", "region", "design"),
        ("habitants-2024.csv", "csp", "segments"),
        ("habitants-2024.csv", "diplome", "margins"),
    ]
    assert (
        prepared.problems[1].text("en") == "Column 'csp' (segments) is not in the data of wave 2023"
    )


def test_a_wave_whose_design_cannot_be_built(hand_study):
    data = hand_study.parent / "data" / "habitants-2024.csv"
    header, *rows = data.read_bytes().decode("cp1252").splitlines()
    column = header.split(";").index("strate")
    lonely = next(i for i, row in enumerate(rows) if row.split(";")[column] == "3")
    for i, row in enumerate(rows):
        cells = row.split(";")
        if cells[column] == "3" and i != lonely:
            cells[column] = "2"
        rows[i] = ";".join(cells)
    data.write_bytes("\n".join([header, *rows, ""]).encode("cp1252"))

    prepared = prepare_study(hand_study)

    assert [(p.location.file, p.location.field) for p in prepared.errors] == [
        ("habitants-2024.csv", "strate")
    ]


def test_every_problem_at_once_and_nothing_written(hand_study):
    folder = hand_study.parent
    (folder / "data" / "habitants-2024.csv").unlink()
    edit(hand_study, "{item: q_impact, codes: [1, 2]}", "{item: q_inexistant, codes: [1, 2]}")
    set_margins(
        hand_study,
        {"sexe": {"F": 0.525, "M": 0.475}, "age": {"18-34": 0.27, "35-64": 0.48, "65+": 0.2,
                                                   "80+": 0.05}},
    )  # fmt: skip
    before = snapshot(folder)

    prepared = prepare_study(hand_study)

    assert [(p.key, p.location.file, p.location.line) for p in prepared.errors] == [
        ("study.item_unknown", "study.yaml", line_of(hand_study, "q_inexistant")),
        ("study.margin_category_absent", "habitants.json", None),
        ("study.file_missing", "study.yaml", line_of(hand_study, "file: data/habitants-2024.csv")),
    ]
    assert snapshot(folder) == before


def test_a_wave_may_have_its_own_margins(hand_study):
    margins = hand_study.parent / "margins"
    (margins / "habitants-2024.json").write_text(
        json.dumps({"sexe": {"F": 0.5, "M": 0.5}, "population_total": 600000}), encoding="utf-8"
    )
    edit(
        hand_study,
        "        file: data/habitants-2024.csv\n",
        "        file: data/habitants-2024.csv\n        margins: margins/habitants-2024.json\n",
    )

    prepared = prepare_study(hand_study)

    assert prepared.problems == []
    first, second = prepared.populations[0].waves
    assert first.margins is not None
    assert second.margins is not None
    assert (first.margins.file, second.margins.file) == ("habitants.json", "habitants-2024.json")
    assert second.margins.targets() == {"sexe": {"F": 0.5, "M": 0.5}}


def test_an_invalid_definition_stops_before_the_files(tmp_path):
    path = tmp_path / "study.yaml"
    path.write_text("study: x\n", encoding="utf-8")

    prepared = prepare_study(path)

    assert prepared.definition is None
    assert [p.key for p in prepared.errors] == ["validation.missing", "validation.missing"]
    assert prepared.populations == []
