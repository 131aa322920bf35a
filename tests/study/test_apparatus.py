"""The notebook's apparatus: cover, « chiffres clés », historical series, bibliography, citation."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance.referential import default_referential
from alliance.referential.model import PublishedFigure, Status
from alliance.report.document import Cover, Document, Reference
from alliance.report.html import render_html
from alliance.report.tables import Figure, Table
from alliance.study.apparatus import NOTEBOOK_VOLUME
from alliance.study.check import prepare_study
from alliance.study.notebook import build_notebook
from alliance.study.run import StudyRun, run_study
from alliance.text import normalise
from tests.study.conftest import edit

pytestmark = pytest.mark.unit

APPARATUS = """\
synthetic: true
edition: "5e édition"
published: 2022-06-15
authors: ["Observatoire des partenariats", "Le RAMEAU"]
credits:
  - {role: {fr: "Terrain", en: "Fieldwork"}, name: "Institut fictif"}
partners: ["Caisse fictive", "Fondation fictive"]
url: "https://example.org/carnet"
"""


def run_of(study: Path) -> StudyRun:
    return run_study(prepare_study(study))


@pytest.fixture(scope="module")
def notebook_fr(hand_run: StudyRun) -> Document:
    return build_notebook(hand_run, "fr")


@pytest.fixture
def dressed(hand_study: Path) -> StudyRun:
    """The fixture study with the whole cover apparatus in its definition."""
    edit(hand_study, "synthetic: true\n", APPARATUS)
    return run_of(hand_study)


def confirmed_by_year() -> list[PublishedFigure]:
    framework = default_referential().framework("published-figures")
    return [
        item
        for item in framework
        if isinstance(item, PublishedFigure)
        and item.status is Status.CONFIRMED
        and item.year is not None
    ]


def test_the_cover_says_what_the_definition_gives_in_each_language(dressed):
    french = build_notebook(dressed, "fr").cover
    english = build_notebook(dressed, "en").cover

    assert french == Cover(
        edition="5e édition",
        date="Publié le 15 juin 2022",
        authors=["Observatoire des partenariats", "Le RAMEAU"],
        credits=[("Terrain", "Institut fictif")],
        partners=["Caisse fictive", "Fondation fictive"],
        mark="Démonstration sur données synthétiques",
    )
    assert english is not None
    assert (english.date, english.credits, english.mark) == (
        "Published on June 15, 2022",
        [("Fieldwork", "Institut fictif")],
        "Demonstration on synthetic data",
    )


def test_a_cover_without_apparatus_keeps_the_synthetic_mark_only(notebook_fr, hand_study):
    assert notebook_fr.cover == Cover(mark="Démonstration sur données synthétiques")

    edit(hand_study, "synthetic: true", "synthetic: false")
    real = build_notebook(run_of(hand_study), "fr")
    assert real.cover == Cover()
    assert 'class="mark"' not in render_html(real)


def test_the_cover_in_html(dressed):
    html = render_html(build_notebook(dressed, "fr"))
    cover = html[html.index('<header class="cover">') : html.index("</header>")]

    assert '<p class="mark">Démonstration sur données synthétiques</p>' in cover
    assert '<p class="edition">5e édition</p>' in cover
    assert '<p class="date">Publié le 15 juin 2022</p>' in cover
    assert (
        "<dt>Auteurs</dt><dd>Observatoire des partenariats</dd><dd>Le RAMEAU</dd>"
        "<dt>Crédits</dt><dd>Terrain : Institut fictif</dd>"
        "<dt>Partenaires</dt><dd>Caisse fictive</dd><dd>Fondation fictive</dd>"
    ) in cover
    assert '<meta name="author" content="Observatoire des partenariats, Le RAMEAU">' in html


def test_key_figures_are_the_latest_wave_s_shares_with_the_published_value(notebook_fr, hand_run):
    chapter = notebook_fr.key_figures
    assert chapter is not None
    (table,) = chapter.blocks
    assert isinstance(table, Table)
    latest = [
        r for r in hand_run.results.of("habitants") if r.statistic == "share" and r.wave == "2024"
    ]

    assert (chapter.id, chapter.title, table.id) == ("key-figures", "Chiffres clés", "K1")
    assert [c.key for c in table.columns] == [
        "population", "item", "wave", "estimate", "low", "high", "n", "published", "source",
        "fragile",
    ]  # fmt: skip
    assert [(r["item"], r["wave"], r["published"], r["source"]) for r in table.rows] == [
        (
            "Faites-vous confiance aux alliances entre associations, entreprises et collectivités "
            "de votre territoire ?",
            "2024",
            0.56,
            "[1]",
        ),
        ("Quel est selon vous l'impact de ces alliances sur votre territoire ?", "2024", None, ""),
    ]
    assert [(r["estimate"], r["low"], r["high"], r["n"]) for r in table.rows] == [
        (r.estimate, r.ci_low, r.ci_high, r.n) for r in latest
    ]
    assert [r["n"] for r in table.rows] == [328, 329]
    assert table.note.endswith("renvoie à sa source : [1] Source : Baromètre fictif 2024, p. 3.")
    assert table.synthetic is True


def test_key_figures_are_traceable_like_every_table(notebook_fr):
    entry = notebook_fr.provenance["tables"]["K1"]

    assert entry["title"] == notebook_fr.tables()[0].title
    assert entry["inputs"] == ["habitants-2023.sav", "habitants-2024.csv"]
    assert entry["margins"] == ["habitants.json"]


def test_key_figures_are_the_latest_wave_shown(hand_study):
    edit(hand_study, "suppress_below: 10", "suppress_below: 350")  # 2024 withheld, not 2023

    document = build_notebook(run_of(hand_study), "fr")

    assert document.key_figures is not None
    (table,) = document.key_figures.blocks
    assert isinstance(table, Table)
    assert [(r["wave"], r["n"], r["published"]) for r in table.rows] == [
        ("2023", 374, None),
        ("2023", 381, None),
    ]
    assert table.note == "Estimations de l'étude avec leur intervalle de confiance à 95 %."


def test_withheld_estimates_are_not_key_figures(hand_study):
    edit(hand_study, "suppress_below: 10", "suppress_below: 400")

    document = build_notebook(run_of(hand_study), "fr")

    assert document.key_figures is None
    assert 'id="key-figures"' not in render_html(document)


def test_the_historical_series_draws_every_confirmed_figure_of_a_year(notebook_fr):
    chapter = next(c for c in notebook_fr.chapters if c.id == "historical-series")
    (figure,) = chapter.blocks
    assert isinstance(figure, Figure)
    expected = confirmed_by_year()

    assert figure.title == "Les chiffres confirmés de l'Observatoire des partenariats, 2008-2024"
    assert len(figure.data.rows) == len(expected) == 55
    assert [c.key for c in figure.data.columns] == [
        "year", "population", "figure", "study", "value", "source",
    ]  # fmt: skip
    assert figure.data.rows[0] == {
        "year": "2008",
        "population": "Citoyens",
        "figure": "Pertinence des partenariats entre mondes différents, selon les Français",
        "study": "",
        "value": 0.86,
        "source": "Carnet de recherche : ensemble, valorisons le jouer collectif",
    }
    assert figure.data.rows[-1]["year"] == "2024"
    assert [int(r["year"]) for r in figure.data.rows] == sorted(i.year or 0 for i in expected)
    assert figure.data.synthetic is False  # published figures, not the study's data
    assert "2008, Citoyens : 86\u202f% (Pertinence des partenariats" in figure.alt
    assert figure.alt.startswith("Nuage de points par année, une ligne par population")
    assert "« devoir d'alliance »" in figure.notes[0]
    assert "Collectivités territoriales" in figure.svg


def test_a_prose_file_places_the_series_where_it_says(hand_run):
    prose = {
        "chapters": [
            {"id": "history", "title": {"fr": "Histoire", "en": "History"}, "blocks": ["series"]},
            {"id": "appendix", "title": {"fr": "Annexe", "en": "Appendix"}, "blocks": ["methods"]},
        ]
    }

    document = build_notebook(hand_run, "fr", prose=prose)

    assert [c.id for c in document.chapters] == ["history", "appendix"]
    (series,) = document.chapters[0].blocks
    assert isinstance(series, Figure)
    assert series.title.startswith("Les chiffres confirmés")


def test_f1_shows_the_published_values_over_the_reproduced_ones(notebook_fr):
    shares = notebook_fr.figures()[0]

    assert shares.id == "F1"
    assert "Valeur publiée" in shares.svg
    assert "kind: Valeur publiée" in shares.svg
    assert shares.alt.endswith(
        ". Valeur publiée pour Faites-vous confiance aux alliances entre associations, "
        "entreprises et collectivités de votre territoire ?, 2024 : 56,0\u202f%"
    )


def test_the_bibliography_lists_the_earlier_volumes_with_their_links(notebook_fr):
    assert [(v.text.split(".")[0], v.url) for v in notebook_fr.volumes] == [
        (
            "Cahier « ODD 17 : les impacts du faire alliance en France »",
            "https://www.carenews.com/le-rameau/news/odd-17-alliance-engagement",
        ),
        (
            "Carnet « Alliance & Engagement »",
            "https://www.lerameau.fr/wp-content/uploads/2022/04/"
            "CarnetRechercheLR-ODD_17-Alliance-Engagement-vf.pdf",
        ),
        (
            "Carnet « Alliance & Innovation »",
            "https://www.lerameau.fr/wp-content/uploads/2022/06/"
            "CarnetRechercheLR-ODD_17-Alliance-Innovation-vf.pdf",
        ),
        (
            "Carnet « Alliance & Territoire(s) »",
            "https://www.lerameau.fr/wp-content/uploads/2022/07/"
            "CarnetRechercheLR-ODD_17-Alliance-Territoire-vf.pdf",
        ),
    ]
    assert NOTEBOOK_VOLUME not in {v.text for v in notebook_fr.volumes}


def test_the_bibliography_lists_every_source_the_notebook_cites(notebook_fr):
    referential = default_referential()
    cited = {code for item in confirmed_by_year() for code in item.sources}
    references = notebook_fr.references

    assert len(references) == len(cited) + 1  # and the study's own published source
    assert references[-1] == Reference("Baromètre fictif 2024, p. 3.")
    youmatter = referential.sources["youmatter-pme-2016"]
    assert (
        Reference(
            "Les PME engagées pour répondre au devoir d'alliances. youmatter, 2016.",
            youmatter.url or "",
        )
        in references
    )
    assert (
        Reference(
            "Dîner élus-entreprises : quel menu ? Le RAMEAU, 2020.",
            "http://www.lerameau.fr/diner-elus-entreprises-quel-menu/",
        )
        in references
    )  # no « ?. »
    texts = [r.text for r in references[:-1]]
    assert texts == sorted(texts, key=normalise)  # « Éclairage » among the E, not after « Un »
    assert texts[4:7] == [
        "Contexte et objectif de la note sur les modèles de co-construction. dokumen.tips.",
        "Dîner élus-entreprises : quel menu ? Le RAMEAU, 2020.",
        "Éclairage : l'évolution de la posture des élus en matière de co-construction. "
        "Carenews, 2016.",
    ]


def test_framework_sources_are_cited_too(hand_run):
    prose = {
        "chapters": [
            {
                "id": "levers",
                "title": {"fr": "Leviers", "en": "Levers"},
                "blocks": [{"framework": "levers", "title": {"fr": "Leviers", "en": "Levers"}}],
            }
        ]
    }
    referential = default_referential()
    codes = {c for item in referential.framework("levers") for c in item.sources}

    document = build_notebook(hand_run, "fr", prose=prose)

    titles = {r.text.split(". ")[0].rstrip(".") for r in document.references}
    assert {referential.sources[c].title.rstrip(".") for c in codes} <= titles


def test_the_bibliography_in_html_has_its_links(notebook_fr):
    html = render_html(notebook_fr)
    section = html[html.index('<section id="bibliography"') :]
    section = section[: section.index("</section>")]

    assert "<h3>Les volets précédents du programme IMPACT 2018-2022</h3>" in section
    assert "<h3>Sources citées</h3>" in section
    assert (
        '<a href="https://www.carenews.com/le-rameau/news/odd-17-alliance-engagement">'
        "https://www.carenews.com/le-rameau/news/odd-17-alliance-engagement</a>"
    ) in section
    assert section.count("<li>") == len(notebook_fr.volumes) + len(notebook_fr.references)


def test_how_to_cite(notebook_fr, dressed):
    assert (
        notebook_fr.citation == "« Baromètre de test des alliances locales ». Étude barometre-test."
    )
    assert build_notebook(dressed, "en").citation == (
        "Observatoire des partenariats, Le RAMEAU. « Test barometer of local alliances ». "
        "5e édition. June 15, 2022. Study barometre-test. https://example.org/carnet."
    )
    html = render_html(notebook_fr)
    assert (
        '<p class="citation">« Baromètre de test des alliances locales ». Étude barometre-test.</p>'
        in html
    )


def test_the_contents_list_the_key_figures_first_and_the_apparatus_last(notebook_fr):
    html = render_html(notebook_fr)
    nav = html[html.index("<nav") : html.index("</nav>")]

    hrefs = [part.split('"')[0] for part in nav.split('href="#')[1:]]
    assert hrefs == [
        "key-figures",
        "population-habitants",
        "changes",
        "published-vs-reproduced",
        "historical-series",
        "methods",
        "bibliography",
        "citation",
        "provenance",
    ]


def test_the_english_cover_writes_credits_the_english_way(dressed):
    html = render_html(build_notebook(dressed, "en"))

    assert "<dt>Credits</dt><dd>Fieldwork: Institut fictif</dd>" in html
