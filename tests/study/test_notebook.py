"""The notebook built from a run: chapters, synthetic notice, suppressed values, numbered tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance.demo.delivery import DATA_DIR as DEMO_DATA
from alliance.errors import DataFileError
from alliance.messages import render
from alliance.report.document import Document
from alliance.report.html import render_html
from alliance.report.tables import Figure, Table
from alliance.study.check import prepare_study
from alliance.study.notebook import build_notebook, load_prose
from alliance.study.run import StudyRun, run_study
from tests.study.conftest import copy_hand_study, edit

pytestmark = pytest.mark.unit

PROSE = """\
title: {fr: "Baromètre d'essai", en: "Test barometer"}
subtitle: {fr: "Sous-titre", en: "Subtitle"}
synthetic_notice: {fr: "Avis propre au carnet.", en: "The notebook's own notice."}
chapters:
  - id: frameworks
    title: {fr: "Cadres", en: "Frameworks"}
    paragraphs: {fr: ["Premier paragraphe."], en: ["First paragraph."]}
    blocks:
      - {framework: partnership-categories, title: {fr: "Catégories", en: "Categories"}}
  - id: results
    title: {fr: "Résultats", en: "Results"}
    blocks: [{population: habitants}, changes]
  - id: appendix
    title: {fr: "Annexe", en: "Appendix"}
    source: {fr: "Source de l'annexe", en: "Source of the appendix"}
    blocks: [published, methods]
"""


def run_of(study: Path) -> StudyRun:
    return run_study(prepare_study(study))


def table_ids(document: Document) -> list[str]:
    return [table.id for table in document.tables()]


def numbers_in(document: Document) -> set[float]:
    return {
        value
        for table in document.tables()
        for row in table.rows
        for value in row.values()
        if isinstance(value, float)
    }


@pytest.fixture(scope="module")
def notebook_fr(hand_run: StudyRun) -> Document:
    return build_notebook(hand_run, "fr")


@pytest.fixture(scope="module")
def suppressed_run(tmp_path_factory: pytest.TempPathFactory) -> StudyRun:
    """The fixture study withholding every estimate on fewer than 350 respondents."""
    study = copy_hand_study(tmp_path_factory.mktemp("suppressed") / "hand-study")
    edit(study, "suppress_below: 10", "suppress_below: 350")
    return run_of(study)


def test_default_chapters_without_a_prose_file(notebook_fr):
    assert [(c.id, c.title) for c in notebook_fr.chapters] == [
        ("population-habitants", "Habitants"),
        ("changes", "Évolutions entre vagues"),
        ("published-vs-reproduced", "Publié et reproduit"),
        ("historical-series", "La série historique de l'Observatoire"),
        ("methods", "Annexe méthodologique"),
    ]
    assert notebook_fr.title == "Baromètre de test des alliances locales"
    assert notebook_fr.subtitle == "Carnet d'étude barometre-test — vagues 2023, 2024"
    assert notebook_fr.lang == "fr"


def test_no_published_chapter_without_published_figures(hand_study):
    text = hand_study.read_text(encoding="utf-8")
    hand_study.write_text(text.split("    # Figures already published")[0], encoding="utf-8")

    document = build_notebook(run_of(hand_study), "en")

    assert [c.id for c in document.chapters] == [
        "population-habitants",
        "changes",
        "historical-series",
        "methods",
    ]


def test_no_changes_chapter_with_a_single_wave(hand_study):
    text = hand_study.read_text(encoding="utf-8")
    start = text.index('      - wave: "2024"')
    end = text.index("    # Shares to estimate")
    hand_study.write_text(text[:start] + text[end:], encoding="utf-8")
    edit(hand_study, 'wave: "2024", value', 'wave: "2023", value')

    document = build_notebook(run_of(hand_study), "en")

    assert [c.id for c in document.chapters] == [
        "population-habitants",
        "published-vs-reproduced",
        "historical-series",
        "methods",
    ]


def test_no_empty_changes_chapter_when_only_means_are_compared(hand_study):
    text = hand_study.read_text(encoding="utf-8")
    shares = text[text.index("    shares:\n") : text.index("    # Means to estimate")]
    text = text.replace(shares, "").split("    # Figures already published")[0]
    hand_study.write_text(text, encoding="utf-8")
    run = run_of(hand_study)
    assert {c.statistic for c in run.results.comparisons} == {"mean"}

    document = build_notebook(run, "en")

    assert all(chapter.blocks for chapter in document.chapters)


def test_chapters_of_a_prose_file_in_its_order(hand_run, tmp_path):
    (tmp_path / "prose.yaml").write_text(PROSE, encoding="utf-8")
    prose = load_prose(tmp_path / "prose.yaml")

    document = build_notebook(hand_run, "en", prose=prose)

    assert [(c.id, c.title) for c in document.chapters] == [
        ("frameworks", "Frameworks"),
        ("results", "Results"),
        ("historical-series", "The Observatoire's historical series"),
        ("appendix", "Appendix"),
    ]
    frameworks, results, _, appendix = document.chapters
    assert frameworks.blocks[0] == "First paragraph."
    drawn = frameworks.blocks[1]
    assert isinstance(drawn, Figure)
    assert drawn.title == "Categories"
    assert drawn.svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert isinstance(drawn.data, Table)
    assert drawn.data.title == "Categories"
    assert isinstance(results.blocks[0], Figure)
    assert appendix.source == "Source of the appendix"
    assert (document.title, document.subtitle, document.notice) == (
        "Test barometer",
        "Subtitle",
        "The notebook's own notice.",
    )


def test_the_demo_prose_file_chapters():
    prose = load_prose(DEMO_DATA / "notebook.yaml")

    assert [chapter["id"] for chapter in prose["chapters"]] == [
        "third-pillar",
        "empirical-base",
        "socio-economic-model",
        "magic-square",
        "four-categories",
        "common-objectives",
        "forces-of-change",
        "innovation-process",
        "territorial-engineering",
        "models-articulation",
        "practice-sheets",
        "impact-study",
        "impacts-public",
        "impacts-elected",
        "impacts-organisations",
        "experience-feedback",
        "changes",
        "published-vs-reproduced",
        "methods",
    ]
    for chapter in prose["chapters"]:
        assert set(chapter["title"]) == {"fr", "en"}


def test_a_prose_file_without_chapters_is_refused(tmp_path):
    (tmp_path / "prose.yaml").write_text("title: {fr: x, en: x}\n", encoding="utf-8")

    with pytest.raises(DataFileError) as caught:
        load_prose(tmp_path / "prose.yaml")

    assert caught.value.message("en") == (
        "Unreadable YAML file: no chapters list (file prose.yaml)"
    )


def test_an_unknown_block_is_refused(hand_run):
    prose = {"chapters": [{"id": "x", "title": {"fr": "X", "en": "X"}, "blocks": ["charts"]}]}

    with pytest.raises(DataFileError) as caught:
        build_notebook(hand_run, "fr", prose=prose)

    assert caught.value.key == "yaml.invalid"
    assert "unknown notebook block 'charts'" in caught.value.message("en")


def test_the_synthetic_notice_when_the_data_are_synthetic(notebook_fr):
    assert notebook_fr.notice == render("notebook.synthetic_notice", "fr")
    assert notebook_fr.notice.startswith("Données synthétiques : ")
    assert notebook_fr.labels["running_head"] != notebook_fr.title


def test_no_notice_on_real_data(hand_study):
    edit(hand_study, "synthetic: true", "synthetic: false")

    document = build_notebook(run_of(hand_study), "en")

    assert document.notice == ""
    assert document.labels["running_head"] == "Test barometer of local alliances"
    assert not any(table.synthetic for table in document.tables())
    assert document.provenance["synthetic"] is False


def test_tables_are_numbered_in_reading_order_each_with_its_provenance(notebook_fr):
    ids = table_ids(notebook_fr)

    numbered = [i for i in ids if i.startswith("T")]
    assert numbered == [f"T{n}" for n in range(1, len(numbered) + 1)]
    assert [i for i in ids if i.startswith("F")] == ["F1", "F2"]  # shares, historical series
    assert ids[0] == "K1"  # the key figures, first
    assert len(numbered) == 14  # means, 3 segments × 2 statistics, 2 changes, published, 4 methods
    entries = notebook_fr.provenance["tables"]
    assert sorted(entries) == sorted(ids)
    for table in notebook_fr.tables():
        assert entries[table.id]["title"] == table.title
        assert table.provenance == table.id
        assert entries[table.id]["description"]


def test_figure_of_shares_with_its_data_and_words(notebook_fr):
    figure, _ = notebook_fr.figures()

    assert figure.id == figure.data.id == "F1"
    assert figure.svg.lstrip().startswith("<svg")
    assert [(row["wave"], row["n"]) for row in figure.data.rows] == [
        ("2023", 374),
        ("2023", 381),
        ("2024", 328),
        ("2024", 329),
    ]
    assert figure.alt.count("2024") >= 2
    entry = notebook_fr.provenance["tables"]["F1"]
    assert entry["inputs"] == ["habitants-2023.sav", "habitants-2024.csv"]
    assert entry["questionnaires"] == ["habitants 2023.1"]
    assert entry["margins"] == ["habitants.json"]


def test_fragile_and_withheld_estimates_are_noted(notebook_fr):
    by_size = next(
        t
        for t in notebook_fr.tables()
        if "Taille de la commune" in t.title
        and any(c.key == "estimate" and c.kind == "percent" for c in t.columns)
    )

    withheld = [row for row in by_size.rows if row["n"] < 10]
    assert [(row["estimate"], row["low"], row["high"]) for row in withheld] == [(None,) * 3] * 2
    assert render("notebook.suppressed_note", "fr", n=10) in by_size.note
    assert render("notebook.fragile_note", "fr", n=30) in by_size.note


def test_suppressed_values_are_in_no_table(hand_run, suppressed_run):
    hidden = {
        (r.wave, r.variable, r.by, r.group)
        for r in suppressed_run.results.estimates
        if r.suppressed
    }
    values = {
        value
        for r in hand_run.results.estimates
        if (r.wave, r.variable, r.by, r.group) in hidden
        for value in (r.estimate, r.se, r.ci_low, r.ci_high)
        if value is not None
    }
    assert ("2024", "q_confiance", None, None) in hidden  # 328 respondents
    assert len(values) > 40

    document = build_notebook(suppressed_run, "en")

    assert numbers_in(document) & values == set()
    chapters = {chapter.id: chapter.blocks for chapter in document.chapters}
    changes, mean_changes = chapters["changes"]
    for table in (changes, mean_changes):
        assert isinstance(table, Table)
        assert {(row["first"], row["second"], row["change"]) for row in table.rows} <= {(None,) * 3}
    (published,) = chapters["published-vs-reproduced"]
    assert isinstance(published, Table)
    assert [(row["estimate"], row["inside"]) for row in published.rows] == [(None, "")]
    figure, _ = document.figures()
    assert {row["wave"] for row in figure.data.rows if row["estimate"] is not None} == {"2023"}
    for value in values:
        assert f"{value}" not in figure.alt


def test_the_provenance_names_files_questionnaires_margins_and_code(notebook_fr):
    record = notebook_fr.provenance

    assert record["study"] == "barometre-test"
    assert [i["file"] for i in record["inputs"]] == ["habitants-2023.sav", "habitants-2024.csv"]
    assert set(record["tables"]) == set(table_ids(notebook_fr))


def test_framework_tables_show_items_as_the_referential_presents_them(hand_run):
    prose = {
        "chapters": [
            {
                "id": "figures",
                "title": {"fr": "Chiffres", "en": "Figures"},
                "blocks": [
                    {"framework": "published-figures", "title": {"fr": "Chiffres", "en": "F"}},
                    {"framework": "partnership-categories", "title": {"fr": "Cat", "en": "C"}},
                ],
            }
        ]
    }

    document = build_notebook(hand_run, "fr", prose=prose)

    figures, drawn = document.chapters[0].blocks
    assert isinstance(figures, Table)
    assert isinstance(drawn, Figure)
    categories = drawn.data
    first = figures.rows[0]
    assert first["label"] == "Impact des alliances sur les territoires, vu par les Français"
    assert first["definition"].startswith("56\u202f% — Citoyens")
    skills = next(r for r in categories.rows if r["label"] == "Mécénat de compétences")
    assert skills["parent"] == "Mécénat"


def test_a_reconstructed_framework_is_drawn_with_its_warning_in_html(hand_run):
    prose = {
        "chapters": [
            {
                "id": "square",
                "title": {"fr": "Carré", "en": "Square"},
                "blocks": [{"framework": "objectives", "title": {"fr": "Carré", "en": "Square"}}],
            }
        ]
    }

    document = build_notebook(hand_run, "fr", prose=prose)
    html = render_html(document)

    [square] = document.chapters[0].blocks
    assert isinstance(square, Figure)
    assert square.notes == [render("report.diagram_reconstructed_note", "fr")]
    assert html.count('role="img"') == html.count("<svg ")
    assert "schéma reconstitué" in html
