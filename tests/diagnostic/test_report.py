"""The diagnostic's report: chapters, scores, chart, answers, benchmark, notice, and its PDF."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from alliance import __version__
from alliance.diagnostic import default_instrument, next_steps, score, validate_answers
from alliance.diagnostic.assessment import assess
from alliance.diagnostic.benchmark import Interval, Reference
from alliance.diagnostic.report import diagnostic_document
from alliance.i18n import Lang
from alliance.referential import default_referential
from alliance.report.document import Document
from alliance.report.pdf import write_pdf
from alliance.report.tables import Figure, Table

pytestmark = pytest.mark.integration

NNBSP = "\u202f"
INSTRUMENT = default_instrument()
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PROFILE = "entreprises"
ANSWERS = validate_answers(
    INSTRUMENT,
    PROFILE,
    {
        "people_mix": {"salaries": 75, "mecenat_competences": 25},
        "skills": 4,
        "engagement": 3,
        "revenue_mix": {"financement_public": 50, "financement_prive": 30, "revenus_activites": 20},
        "largest_funder": 55,
        "reserves_months": 4.5,
        "investment_share": 10,
        "partnership_count": 3,
        "partnership_categories": ["mecenat", "innovation_societale"],
        "strategic": 2,
        "evaluated_share": 40,
        "shared_objectives": 5,
    },
)
REFERENCES = [
    Reference(
        "companies",
        "partnership_count",
        "count",
        2022,
        {"mean": Interval(3.375, 2.5, 4.25, 4)},
        [(1.0, 0.125), (3.0, 0.875), (8.0, 1.0)],
        synthetic=True,
    ),
    Reference(
        "companies",
        "partnership_categories",
        "categories",
        2022,
        {
            "mecenat": Interval(0.4375, 0.125, 0.875, 5),
            "innovation_societale": Interval(0.625, 0.25, 0.9375, 5),
            "cooperation_economique": Interval(0.2, 0.05, 0.5, 5),
        },
        synthetic=True,
    ),
    Reference(
        "companies",
        "partnerships_evaluated",
        "yes_no",
        2022,
        {"yes": Interval(0.5, 0.25, 0.75, 4)},
        synthetic=True,
    ),
]
POPULATION = {"fr": "entreprises", "en": "companies"}


def build(
    lang: Lang,
    answers: dict[str, Any] | None = None,
    *,
    references: list[Reference] | None = None,
    synthetic: bool = False,
    steps: list[Any] | None = None,
) -> Document:
    answers = ANSWERS if answers is None else answers
    assessment = assess(
        INSTRUMENT,
        ["pme", PROFILE],
        answers,
        REFERENCES if references is None else references,
        sheet_profile=PROFILE,
    )
    return diagnostic_document(
        organisation="Acme Conseil",
        profile=PROFILE,
        instrument=INSTRUMENT,
        answers=answers,
        assessment=assessment if steps is None else replace(assessment, steps=steps),
        population=POPULATION[lang],
        lang=lang,
        synthetic=synthetic,
        now=NOW,
    )


def cells(table: Table, lang: Lang) -> list[list[str]]:
    return [[table.cell(row, column, lang) for column in table.columns] for row in table.rows]


def chapter(document: Document, id: str):
    return next(c for c in document.chapters if c.id == id)


@pytest.mark.parametrize(
    ("lang", "titles"),
    [
        ("fr", ["L'équilibre de la maison", "Vos réponses", "Où vous situez-vous ?",
                "Prochaines étapes", "Sur quoi repose ce rapport"]),
        ("en", ["The balance of the house", "Your answers", "Where do you stand?", "Next steps",
                "What this report rests on"]),
    ],
)  # fmt: skip
def test_chapters_of_a_filled_diagnostic(lang, titles):
    document = build(lang)

    assert [(c.id, c.title) for c in document.chapters] == list(
        zip(["balance", "answers", "benchmark", "next-steps", "versions"], titles, strict=True)
    )


def test_title_subtitle_and_labels():
    french, english = build("fr"), build("en")

    assert french.lang == "fr"
    assert french.title == "Diagnostic du modèle socio-économique — Acme Conseil"
    assert french.subtitle == (
        "L'équilibre de la maison : richesses humaines, ressources financières, alliances"
    )
    assert french.labels == {
        "contents": "Sommaire",
        "figure": "Figure",
        "table": "Tableau",
        "synthetic_short": "Données synthétiques de démonstration.",
        "running_head": "Rapport de diagnostic — Acme Conseil",
    }
    assert english.title == "Socio-economic model diagnostic — Acme Conseil"
    assert english.subtitle == (
        "The balance of the house: human resources, financial resources, alliances"
    )
    assert english.labels["running_head"] == "Diagnostic report — Acme Conseil"
    assert english.labels["table"] == "Table"


FR_NOTICE = (
    "Diagnostic auto-déclaré par l'organisation. Le questionnaire et ses formules de score sont "
    "une reconstruction du projet (statut : déduit), pas un instrument publié par l'Observatoire "
    "des partenariats."
)
EN_NOTICE = (
    "Self-reported by the organisation. The questionnaire and its scoring formulas are the "
    "project's reconstruction (status: inferred), not an instrument published by the "
    "Observatoire des partenariats."
)


def test_notice_states_the_reconstruction_and_the_synthetic_data_only_when_synthetic():
    assert build("fr").notice == FR_NOTICE
    assert build("en").notice == EN_NOTICE
    assert build("fr", synthetic=True).notice == (
        FR_NOTICE + " Organisation fictive : données synthétiques de démonstration."
    )
    assert build("en", synthetic=True).notice == (
        EN_NOTICE + " Fictitious organisation: synthetic demonstration data."
    )


def test_scores_table_lists_the_levers_of_the_referential_then_overall_and_balance():
    scores = score(INSTRUMENT, PROFILE, ANSWERS)
    levers = default_referential().framework("levers")

    figure = chapter(build("fr"), "balance").blocks[1]
    table = figure.data

    assert table.id == "1"
    assert table.title == "Scores par levier, ensemble et équilibre (sur 100)"
    assert [(c.key, c.label, c.kind) for c in table.columns] == [
        ("lever", "Levier", "text"),
        ("score", "Score", "integer"),
    ]
    assert table.rows == [
        {"lever": levers.item("richesses_humaines").label("fr"),
         "score": scores.levers["richesses_humaines"]},
        {"lever": levers.item("ressources_financieres").label("fr"),
         "score": scores.levers["ressources_financieres"]},
        {"lever": levers.item("alliances").label("fr"), "score": scores.levers["alliances"]},
        {"lever": "Ensemble", "score": scores.overall},
        {"lever": "Équilibre", "score": scores.balance},
    ]  # fmt: skip
    assert cells(table, "fr") == [
        ["Richesses humaines", "69"],
        ["Ressources financières", "65"],
        ["Alliances", "55"],
        ["Ensemble", "63"],
        ["Équilibre", "86"],
    ]
    assert table.note == "Un levier sans réponse n'a pas de score."
    assert cells(chapter(build("en"), "balance").blocks[1].data, "en") == [
        ["Human wealth", "69"],
        ["Financial resources", "65"],
        ["Alliances", "55"],
        ["Overall", "63"],
        ["Balance", "86"],
    ]


def test_the_chart_comes_when_the_three_levers_are_scored():
    document = build("fr")

    intro, figure, *_ = chapter(document, "balance").blocks
    assert intro.startswith("Chaque levier est noté sur 100 à partir des réponses ;")
    assert isinstance(figure, Figure)
    assert document.figures() == [figure]
    assert figure.id == "1"
    assert figure.title == "Scores des trois leviers (sur 100)"
    assert figure.alt == "Richesses humaines : 69; Ressources financières : 65; Alliances : 55"
    assert figure.svg.startswith("<svg")
    for text in ("Richesses humaines", "Ressources financières", "Alliances", "69", "65", "55",
                 "Score sur 100"):  # fmt: skip
        assert f">{text}</text>" in figure.svg


def test_the_english_chart_names_each_lever_with_its_score():
    figure = chapter(build("en"), "balance").blocks[1]

    assert figure.title == "Scores of the three levers (out of 100)"
    parts = figure.alt.split("; ")
    assert [p.startswith(label) for p, label in zip(parts, ["Human wealth",
            "Financial resources", "Alliances"], strict=True)] == [True] * 3  # fmt: skip
    assert [p.rsplit(" ", 1)[1] for p in parts] == ["69", "65", "55"]
    assert ">Score out of 100</text>" in figure.svg


def test_without_a_lever_score_the_table_stands_alone():
    answers = validate_answers(INSTRUMENT, PROFILE, {"skills": 5, "reserves_months": 3})

    document = build("fr", answers)

    blocks = chapter(document, "balance").blocks
    assert isinstance(blocks[1], Table)
    assert not any(isinstance(b, Figure) for b in blocks)
    assert document.figures() == []
    assert cells(blocks[1], "fr") == [
        ["Richesses humaines", "100"],
        ["Ressources financières", "50"],
        ["Alliances", ""],
        ["Ensemble", "75"],
        ["Équilibre", ""],
    ]


FR_ANSWERS = [
    ("Comment se répartit le temps consacré à vos engagements entre salariés dédiés et mécénat ou "
     "bénévolat de compétences (en %) ?",
     f"Salariés 75{NNBSP}%, Mécénat et bénévolat de compétences 25{NNBSP}%"),
    ("Les compétences dont le projet a besoin sont-elles réunies ? (1 = pas du tout, "
     "5 = tout à fait)", "4 / 5"),
    ("Les personnes engagées le restent-elles dans la durée ? (1 = pas du tout, 5 = tout à fait)",
     "3 / 5"),
    ("Comment se répartissent vos ressources entre financements publics, financements privés et "
     "revenus d'activités (en %) ?",
     f"Financements publics 50{NNBSP}%, Financements privés 30{NNBSP}%, "
     f"Revenus d'activités 20{NNBSP}%"),
    ("Quelle part de vos ressources vient de votre premier financeur (en %) ?", f"55{NNBSP}%"),
    ("Combien de mois d'activité vos réserves couvrent-elles ?", "4,5 mois"),
    ("Quelle part de vos ressources finance l'investissement plutôt que le fonctionnement "
     "(en %) ?", f"10{NNBSP}%"),
    ("Combien de partenariats actifs avez-vous ?", "3"),
    ("Dans quelles catégories de partenariat sont-ils ?", "Innovation sociétale, Mécénat"),
    ("Vos partenariats servent-ils votre stratégie plutôt que des occasions ? (1 = occasions, "
     "5 = stratégie)", "2 / 5"),
    ("Quelle part de vos partenariats est évaluée avec les partenaires (en %) ?", f"40{NNBSP}%"),
    ("Vos partenariats reposent-ils sur des objectifs partagés et explicites ? (1 = pas du tout, "
     "5 = tout à fait)", "5 / 5"),
]  # fmt: skip


def test_answers_are_written_as_the_organisation_reads_them_in_french():
    table = chapter(build("fr"), "answers").blocks[0]

    assert table.id == "2"
    assert table.title == "Réponses au diagnostic"
    assert [c.label for c in table.columns] == ["Question", "Réponse"]
    assert [(r["question"], r["answer"]) for r in table.rows] == FR_ANSWERS


def test_answers_in_english():
    table = chapter(build("en"), "answers").blocks[0]

    assert table.title == "Answers to the diagnostic"
    assert [r["answer"] for r in table.rows] == [
        "Employees 75%, Skills-based philanthropy and volunteering 25%",
        "4 / 5",
        "3 / 5",
        "Public funding 50%, Private funding 30%, Earned revenue 20%",
        "55%",
        "4.5 months",
        "10%",
        "3",
        "Societal innovation, Corporate philanthropy",
        "2 / 5",
        "40%",
        "5 / 5",
    ]
    assert table.rows[5]["question"] == "How many months of activity do your reserves cover?"


def test_whole_numbers_lose_their_decimals_and_unanswered_parts_show_zero():
    answers = validate_answers(
        INSTRUMENT,
        PROFILE,
        {"reserves_months": 6, "revenue_mix": {"financement_public": 100}, "partnership_count": 0},
    )

    rows = {
        r["question"]: r["answer"] for r in chapter(build("fr", answers), "answers").blocks[0].rows
    }

    assert rows["Combien de mois d'activité vos réserves couvrent-elles ?"] == "6 mois"
    assert rows["Combien de partenariats actifs avez-vous ?"] == "0"
    assert rows[FR_ANSWERS[3][0]] == (
        f"Financements publics 100{NNBSP}%, Financements privés 0{NNBSP}%, "
        f"Revenus d'activités 0{NNBSP}%"
    )
    assert rows[FR_ANSWERS[1][0]] == "—"


def test_an_empty_diagnostic_has_dashes_no_scores_and_no_chart():
    document = build("fr", {}, references=[], steps=[])

    assert [c.id for c in document.chapters] == ["balance", "answers", "next-steps", "versions"]
    assert document.figures() == []
    scores_table = chapter(document, "balance").blocks[1]
    assert cells(scores_table, "fr") == [
        ["Richesses humaines", ""],
        ["Ressources financières", ""],
        ["Alliances", ""],
        ["Ensemble", ""],
        ["Équilibre", ""],
    ]
    answers = chapter(document, "answers").blocks[0]
    assert [r["question"] for r in answers.rows] == [q for q, _ in FR_ANSWERS]
    assert {r["answer"] for r in answers.rows} == {"—"}
    assert chapter(document, "next-steps").blocks == [
        "Répondez au diagnostic pour obtenir des prochaines étapes."
    ]
    assert chapter(build("en", {}, references=[], steps=[]), "next-steps").blocks == [
        "Answer the diagnostic to get next steps."
    ]


def test_no_standing_no_benchmark_chapter():
    document = build("en", references=[])

    assert [c.id for c in document.chapters] == ["balance", "answers", "next-steps", "versions"]
    assert all("You and the" not in t.title for t in document.tables())


def test_benchmark_chapter_places_each_answer_beside_the_population():
    benchmark = chapter(build("fr"), "benchmark")

    intro, human, financial, table = benchmark.blocks
    assert [human, financial] == [
        "Richesses humaines : Le questionnaire de l'étude ne pose pas à votre population de "
        "question comparable sur ce levier : pas de comparaison plutôt qu'une comparaison avec "
        "une autre mesure.",
        "Ressources financières : Le questionnaire de l'étude ne pose pas à votre population de "
        "question comparable sur ce levier : pas de comparaison plutôt qu'une comparaison avec "
        "une autre mesure.",
    ]
    assert intro == (
        "Vos réponses sont comparées à celles des entreprises de l'étude : parts et moyennes "
        "pondérées, avec leur intervalle de confiance à 95 %."
    )
    assert table.id == "3"
    assert table.title == "Alliances : vous et les entreprises (vague 2022)"
    assert [c.label for c in table.columns] == [
        "Indicateur", "Vous", "Population", "IC 95 %", "n", "Part en dessous"
    ]  # fmt: skip
    assert cells(table, "fr") == [
        ["Nombre de partenariats (moyenne)", "3", "3,4", "2,5 – 4,2", "4", f"50,0{NNBSP}%"],
        ["Mécénat", "oui", f"43,8{NNBSP}%", f"12,5{NNBSP}% – 87,5{NNBSP}%", "5", ""],
        ["Innovation sociétale", "oui", f"62,5{NNBSP}%", f"25,0{NNBSP}% – 93,8{NNBSP}%", "5", ""],
        ["Coopération économique", "non", f"20,0{NNBSP}%", f"5,0{NNBSP}% – 50,0{NNBSP}%", "5",
         ""],
        ["Évalue ses partenariats", "oui", f"50,0{NNBSP}%",
         f"25,0{NNBSP}% – 75,0{NNBSP}%", "4", ""],
    ]  # fmt: skip
    assert table.note.startswith("« Part en dessous » : part pondérée des organisations")
    assert table.synthetic is True


@pytest.mark.parametrize("answers", [{}, {"skills": 3}])
def test_benchmark_in_english_with_unanswered_questions(answers):

    table = chapter(build("en", answers), "benchmark").blocks[-1]

    assert table.title == "Alliances: you and the companies (wave 2022)"
    assert cells(table, "en") == [
        ["Number of partnerships (mean)", "—", "3.4", "2.5 – 4.2", "4", ""],
        ["Corporate philanthropy", "—", "43.8%", "12.5% – 87.5%", "5", ""],
        ["Societal innovation", "—", "62.5%", "25.0% – 93.8%", "5", ""],
        ["Economic cooperation", "—", "20.0%", "5.0% – 50.0%", "5", ""],
        ["Evaluates its partnerships", "—", "50.0%", "25.0% – 75.0%", "4", ""],
    ]


def test_real_study_data_is_not_flagged_synthetic():
    real = [Reference(**{**vars(r), "synthetic": False}) for r in REFERENCES]

    table = chapter(build("fr", references=real), "benchmark").blocks[-1]

    assert table.synthetic is False


def test_next_steps_are_titles_with_their_reason():
    scores = score(INSTRUMENT, PROFILE, ANSWERS)
    steps = next_steps(scores, PROFILE)

    document = build("en")

    assert chapter(document, "next-steps").blocks == [
        f"{s.title('en')} — {s.why('en')}" for s in steps
    ]
    assert chapter(document, "next-steps").blocks[0] == (
        "Make alliances a strategic lever — It is your weakest lever: partnerships chosen for "
        "your strategy, on shared and evaluated objectives, complement the other two levers."
    )


def test_versions_say_what_the_report_rests_on():
    table = chapter(build("fr"), "versions").blocks[0]

    assert table.title == "Versions"
    assert [c.label for c in table.columns] == ["Élément", "Valeur"]
    assert cells(table, "fr") == [
        ["Questionnaire de diagnostic", "socio-economic-model 2026.1 (inferred)"],
        ["Version du référentiel", default_referential().version],
        ["Version du code", __version__],
        ["Produit le", "2026-03-01T12:00:00+00:00"],
    ]


def test_tables_are_numbered_without_gaps():
    assert [t.id for t in build("fr").tables()] == ["1", "2", "3", "4"]
    assert [t.id for t in build("fr", references=[]).tables()] == ["1", "2", "3"]


def pdf_text(path: Path) -> str:
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    # One space for every run of blanks: paragraphs wrap where the layout decides.
    return " ".join(text.replace(NNBSP, " ").replace("\xa0", " ").split())


def test_pdf_holds_title_organisation_levers_and_benchmark(tmp_path):
    path = tmp_path / "diagnostic.pdf"

    write_pdf(build("fr", synthetic=True), path)

    assert path.read_bytes().startswith(b"%PDF")
    text = pdf_text(path)
    # The title breaks after « socio- », a hyphen pdftotext drops when it joins the lines.
    assert re.search(r"Diagnostic du modèle socio-?économique — Acme Conseil", text)
    assert "Rapport de diagnostic — Acme Conseil" in text
    assert "Richesses humaines" in text
    assert "Tableau 3 — Alliances : vous et les entreprises (vague 2022)" in text
    assert "Organisation fictive : données synthétiques de démonstration." in text
    assert "Nombre de partenariats (moyenne)" in text
    assert re.search(r"pas de\s+comparaison plutôt qu'une\s+comparaison", text)


def test_pdf_of_an_empty_diagnostic_in_english(tmp_path):
    path = tmp_path / "diagnostic.pdf"

    write_pdf(build("en", {}, references=[]), path)

    text = pdf_text(path)
    assert "Socio-economic model diagnostic — Acme Conseil" in text
    assert "Human wealth" in text
    assert "Where do you stand?" not in text
    assert "You and the companies" not in text


def test_an_implausible_answer_stored_earlier_is_never_printed(tmp_path):
    """1e30 months of reserves, saved before the bound existed: the report shows « — »."""
    document = build("fr", {"reserves_months": 1e30, "skills": 5}, references=[])
    rows = chapter(document, "answers").blocks[0].rows
    assert [r["answer"] for r in rows if "réserves" in r["question"]] == ["—"]
    path = tmp_path / "diagnostic.pdf"
    write_pdf(document, path)
    text = pdf_text(path)
    assert "mois d'activité vos réserves" in text
    assert not re.search(r"1e\+?30|000 000", text)


def test_an_association_is_compared_on_the_three_levers_one_table_each():
    answers = validate_answers(
        INSTRUMENT, "associations",
        {"volunteer_count": 12, "main_resource": "subventions", "partnership_count": 3},
    )  # fmt: skip
    references = [
        Reference("associations", "volunteer_count", "count", 2022,
                  {"mean": Interval(14.25, 12.5, 16.0, 300)}, [(10.0, 0.25), (20.0, 1.0)], True),
        Reference("associations", "main_resource", "choice", 2022,
                  {"subventions": Interval(0.42, 0.38, 0.46, 300),
                   "dons": Interval(0.27, 0.23, 0.31, 300)}, [], True),
        Reference("associations", "partnership_count", "count", 2022,
                  {"mean": Interval(2.5, 2.0, 3.0, 300)}, [(3.0, 1.0)], True),
    ]  # fmt: skip
    document = diagnostic_document(
        organisation="Les Jardins",
        profile="associations",
        instrument=INSTRUMENT,
        answers=answers,
        assessment=assess(
            INSTRUMENT, ["associations"], answers, references, sheet_profile="associations"
        ),
        population="associations",
        lang="fr",
        synthetic=True,
        now=NOW,
    )

    blocks = chapter(document, "benchmark").blocks
    tables = [b for b in blocks if isinstance(b, Table)]
    assert [(t.id, t.title) for t in tables] == [
        ("3", "Richesses humaines : vous et les associations (vague 2022)"),
        ("4", "Ressources financières : vous et les associations (vague 2022)"),
        ("5", "Alliances : vous et les associations (vague 2022)"),
    ]
    assert cells(tables[0], "fr") == [
        ["Nombre de bénévoles réguliers (moyenne)", "12", "14,2", "12,5 – 16,0", "300",
         f"25,0{NNBSP}%"],
    ]  # fmt: skip
    assert cells(tables[1], "fr") == [
        ["Subventions", "oui", f"42,0{NNBSP}%", f"38,0{NNBSP}% – 46,0{NNBSP}%", "300", ""],
        ["Dons", "non", f"27,0{NNBSP}%", f"23,0{NNBSP}% – 31,0{NNBSP}%", "300", ""],
    ]  # fmt: skip
    answered = dict(cells(chapter(document, "answers").blocks[0], "fr"))
    assert answered["Quelle est la principale ressource financière de votre association ?"] == (
        "Subventions"
    )
    assert [t.id for t in document.tables()][-1] == "6"  # the versions come after the three
