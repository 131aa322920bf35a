"""The methods appendix: weighting per wave, margins before/after/target, files, fiches."""

from __future__ import annotations

import pytest

from alliance.messages import render
from alliance.report.tables import Table
from alliance.study.check import prepare_study
from alliance.study.notebook import build_notebook
from alliance.study.run import StudyRun, run_study
from alliance.study.scaffold import write_example

pytestmark = pytest.mark.unit


def appendix(run: StudyRun, lang) -> list[Table]:
    document = build_notebook(run, lang)
    chapter = next(c for c in document.chapters if c.id == "methods")
    return [block for block in chapter.blocks if isinstance(block, Table)]


def by_title(tables: list[Table], title: str) -> Table:
    return next(table for table in tables if table.title == title)


@pytest.fixture(scope="module")
def example_run(tmp_path_factory: pytest.TempPathFactory) -> StudyRun:
    folder = tmp_path_factory.mktemp("example") / "ex"
    write_example(folder)
    return run_study(prepare_study(folder / "study.yaml"))


@pytest.fixture(scope="module")
def hand_appendix(hand_run: StudyRun) -> list[Table]:
    return appendix(hand_run, "en")


def test_the_appendix_explains_estimators_and_reliability(hand_run):
    document = build_notebook(hand_run, "en")
    chapter = next(c for c in document.chapters if c.id == "methods")

    texts = [block for block in chapter.blocks if isinstance(block, str)]
    assert texts[0] == render("notebook.methods_estimators", "en")
    assert texts[2] == render("notebook.methods_reliability", "en", fragile=30, hidden=10)


def test_one_weighting_row_per_wave(hand_run, hand_appendix):
    table = by_title(hand_appendix, render("report.weighting_title", "en"))
    weightings = hand_run.populations[0].weightings

    assert [(r["population"], r["wave"], r["n"]) for r in table.rows] == [
        ("Residents", "2023", 400),
        ("Residents", "2024", 350),
    ]
    for row, weighting in zip(table.rows, weightings, strict=True):
        d = weighting.diagnostics
        assert (row["effective"], row["efficiency"], row["ratio"], row["iterations"]) == (
            d.effective_n,
            d.efficiency,
            d.weight_ratio,
            d.iterations,
        )
        assert row["design"] == (
            "Starting weights: Design weight; strata: Sampling stratum → raked on Sex, Age "
            f"({d.iterations} iterations)"
        )
    assert hand_run.populations[0].weightings[0].diagnostics.weight_ratio == pytest.approx(
        table.rows[0]["ratio"]
    )


def test_margins_before_after_and_target_for_each_wave(hand_run, hand_appendix):
    table = by_title(hand_appendix, render("report.margins_title", "en"))

    assert len(table.rows) == 2 * (2 + 3)  # two waves, sex and age
    assert [(r["wave"], r["variable"], r["level"]) for r in table.rows[:5]] == [
        ("2023", "Sex", "Woman"),
        ("2023", "Sex", "Man"),
        ("2023", "Age", "18 to 34"),
        ("2023", "Age", "35 to 64"),
        ("2023", "Age", "65 and over"),
    ]
    first = table.rows[0]
    assert (first["target"], first["before"], first["after"]) == (
        0.525,
        0.6125,
        pytest.approx(0.525, abs=1e-9),
    )
    for row in table.rows:
        assert row["after"] == pytest.approx(row["target"], abs=1e-9)
        assert (row["tag"], row["source"]) == ("", "habitants.json")


def test_the_margins_table_names_the_files_its_shares_come_from(hand_run, hand_appendix):
    table = by_title(hand_appendix, render("report.margins_title", "en"))
    entry = build_notebook(hand_run, "en").provenance["tables"][table.id]

    assert entry["inputs"] == ["habitants-2023.sav", "habitants-2024.csv"]
    assert table.synthetic is True


def test_documented_margins_show_their_certainty_and_source(example_run):
    table = by_title(appendix(example_run, "fr"), render("report.margins_title", "fr"))

    assert {(r["variable"], r["tag"]) for r in table.rows} == {
        ("Sexe", "lu dans la source"),
        ("Âge", "estimation"),
    }
    assert {r["source"] for r in table.rows} == {"Recensement fictif du territoire d'exemple"}


def test_files_delivered_read_and_imported(hand_run, hand_appendix):
    table = by_title(hand_appendix, render("report.files_title", "en"))
    waves = hand_run.populations[0].prepared.waves

    assert table.rows == [
        {
            "file": "habitants-2023.sav",
            "wave": "2023",
            "read_as": "SPSS (.sav), UTF-8 encoding",
            "rows": 400,
            "sha256": waves[0].sha256[:16] + "…",
        },
        {
            "file": "habitants-2024.csv",
            "wave": "2024",
            "read_as": "CSV, windows-1252 encoding, separator “;”, decimal comma",
            "rows": 350,
            "sha256": waves[1].sha256[:16] + "…",
        },
    ]


def topic(key: str, lang="en", **params) -> str:
    return render(f"notebook.sheet_{key}", lang, **params)


def test_technical_sheet_with_fieldwork_mode_and_wordings(hand_run):
    tables = appendix(hand_run, "fr")
    table = by_title(tables, render("notebook.sheet_title", "fr", population="Habitants"))

    assert [(r["topic"], r["value"]) for r in table.rows] == [
        (topic("universe", "fr"), "Habitants"),
        (topic("wave", "fr", wave="2023"),
         "n = 400 ; terrain du 2023-03-06 au 2023-03-17 ; en ligne"),
        (topic("wave", "fr", wave="2024"),
         "n = 350 ; terrain du 2024-03-04 au 2024-03-15 ; téléphone"),
        (topic("margins", "fr"), "Sexe, Âge (habitants.json ; source non documentée)"),
        (topic("questionnaire", "fr"),
         "Baromètre de test des alliances locales (habitants) — habitants 2023.1"),
        (
            topic("question", "fr", item="1"),
            "Faites-vous confiance aux alliances entre associations, entreprises et collectivités "
            "de votre territoire ?",
        ),
        (
            topic("question", "fr", item="2"),
            "Quel est selon vous l'impact de ces alliances sur votre territoire ?",
        ),
        (
            topic("question", "fr", item="3"),
            "Combien de partenariats entre acteurs de votre commune connaissez-vous (0 à 10) ?",
        ),
    ]  # fmt: skip


def test_the_english_technical_sheet_has_the_english_wordings(hand_appendix):
    table = by_title(hand_appendix, render("notebook.sheet_title", "en", population="Residents"))
    rows = {r["topic"]: r["value"] for r in table.rows}

    assert rows[topic("universe")] == "Residents"
    assert "fieldwork from 2023-03-06 to 2023-03-17" in rows[topic("wave", wave="2023")]
    assert rows[topic("wave", wave="2024")].endswith("telephone")
    assert rows[topic("question", item="2")] == (
        "In your view, what is the impact of these alliances on your area?"
    )


def test_the_english_technical_sheet_uses_english_punctuation(hand_appendix):
    table = by_title(hand_appendix, render("notebook.sheet_title", "en", population="Residents"))
    rows = {r["topic"]: r["value"] for r in table.rows}

    assert rows[topic("wave", wave="2023")] == (
        "n = 400; fieldwork from 2023-03-06 to 2023-03-17; online"
    )
    assert rows[topic("margins")] == "Sex, Age (habitants.json; source not documented)"


def test_technical_sheet_of_the_example_in_french(example_run):
    title = render("notebook.sheet_title", "fr", population="Habitants")
    table = by_title(appendix(example_run, "fr"), title)
    rows = {r["topic"]: r["value"] for r in table.rows}

    assert rows[topic("universe", "fr")] == "Habitants de 18 ans et plus du territoire"
    assert rows[topic("wave", "fr", wave="2024")] == (
        "n = 400 ; terrain du 2024-03-04 au 2024-03-15 ; en ligne ; Institut fictif"
    )
    assert rows[topic("margins", "fr")] == (
        "Sexe, Âge (habitants.yaml ; Recensement fictif du territoire d'exemple)"
    )


def test_fieldwork_dates_not_given(tmp_path):
    write_example(tmp_path / "ex")
    study = tmp_path / "ex" / "study.yaml"
    text = study.read_text(encoding="utf-8")
    study.write_text(
        text.replace("        fieldwork: {start: 2024-03-04, end: 2024-03-15}\n", ""),
        encoding="utf-8",
    )

    title = render("notebook.sheet_title", "fr", population="Habitants")
    table = by_title(appendix(run_study(prepare_study(study)), "fr"), title)

    assert table.rows[1] == {
        "topic": topic("wave", "fr", wave="2024"),
        "value": "n = 400 ; dates de terrain non renseignées ; en ligne ; Institut fictif",
    }
