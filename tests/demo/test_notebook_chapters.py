"""The demo notebook: every section of the seed has its chapter, in our words, and no code shows.

``SEED_SECTIONS`` maps each heading of the seed notebook (« ODD 17 : Alliance & Performance »,
``../shared/seed/alliance-performance.txt``) to the chapter that covers it, with what the chapter
must show from the referential or the run: a framework drawn, a framework's table, an item, the
practice sheets, a population's figure. The prose is checked against fingerprints of the seed's
12-word runs (``data/seed-shingles.txt``), so it can paraphrase but not copy. Every heading, table
cell and chart label of the HTML and XLSX editions is checked for identifiers: snake_case codes,
answer codes of the questionnaires, item codes of the referential, region codes.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import pytest
from openpyxl import load_workbook

from alliance.demo.delivery import DATA_DIR
from alliance.i18n import Lang
from alliance.referential import default_referential
from alliance.report.document import Document
from alliance.report.html import render_html
from alliance.report.tables import Figure, Table
from alliance.report.xlsx import write_xlsx
from alliance.study.notebook import build_notebook, load_prose
from alliance.study.outputs import StudyOutputs
from alliance.study.run import StudyRun
from alliance.territory.geography import geography

pytestmark = pytest.mark.integration

ROOT = Path(__file__).parents[2]
PROSE = load_prose(DATA_DIR / "notebook.yaml")
SHINGLES = Path(__file__).parent / "data" / "seed-shingles.txt"
#: A run of this many words shared with the seed is a copy, not a paraphrase.
RUN = 12

#: Each heading of the seed (as extracted, in its order), the chapter covering it, and what that
#: chapter shows: (``diagram`` | ``framework``, framework code), (``item``, ``framework/code``),
#: (``sheets``, ``actor-profiles``), (``population``, population code), or None (prose only).
SEED_SECTIONS: list[tuple[str, str, tuple[str, str] | None]] = [
    ("Avant-propos – Pour quoi les alliances se développent-elles ?", "third-pillar", None),
    ("« Alliance & Performance », que révèle la recherche empirique ?", "empirical-base",
     ("framework", "study-programmes")),
    ("Pas d'équilibre durable d'une organisation sans alliance !", "socio-economic-model",
     ("diagram", "levers")),
    ("Le « carré magique » des objectifs", "magic-square", ("diagram", "objectives")),
    ("Les 4 catégories de partenariat alliant économie & intérêt général", "four-categories",
     ("diagram", "partnership-categories")),
    ("Les 4 objectifs des alliances d'intérêt général", "common-objectives",
     ("framework", "common-objectives")),
    ("Les 4 objectifs des alliances alliant économie & intérêt général", "common-objectives",
     ("framework", "contract-types")),
    ("Les 7 forces du changement", "forces-of-change", ("framework", "forces-of-change")),
    ("Le processus d'innovation sociétale", "innovation-process",
     ("diagram", "innovation-stages")),
    ("La triple ingénierie territoriale", "territorial-engineering",
     ("diagram", "territorial-engineerings")),
    ("Les 3 ingénieries territoriales permettent d'articuler", "territorial-engineering",
     ("framework", "co-construction-dimensions")),
    ("L'articulation des modèles", "models-articulation", ("item", "levers/alliances")),
    ("Le cycle pédagogique sur la diversité des modèles socio-économiques",
     "models-articulation", ("item", "publications/cycle_cap_2030")),
    ("La déclinaison des pratiques par profil d'acteurs", "practice-sheets",
     ("sheets", "actor-profiles")),
    ("La collection des fiches pratiques du « faire alliance »", "practice-sheets",
     ("sheets", "actor-profiles")),
    ("que mesure l'étude d'impact ?", "impact-study", None),
    ("Les Français mesurent les effets des alliances pour tous les acteurs", "impacts-public",
     ("population", "public")),
    ("L'impact des alliances, vu par les Français", "impacts-public", ("population", "public")),
    ("Pour les élus locaux, chacun est gagnant dans la co-construction territoriale",
     "impacts-elected", ("population", "elected-officials")),
    ("L'impact des alliances, vu par les Collectivités Territoriales", "impacts-elected",
     ("population", "elected-officials")),
    ("Les impacts perçus par les entreprises, les associations et les fondations",
     "impacts-organisations", ("population", "companies")),
    ("L'impact des alliances, vu par les entreprises", "impacts-organisations",
     ("population", "companies")),
    ("L'impact des alliances, vu par les associations", "impacts-organisations",
     ("population", "associations")),
    ("L'impact des alliances, vu par les fondations", "impacts-organisations",
     ("population", "foundations")),
    ("C'est ce que nous enseignent les retours d'expériences suivants", "experience-feedback",
     None),
]  # fmt: skip


def words(text: str) -> list[str]:
    """Return the words of ``text``, lower case, apostrophes and punctuation dropped."""
    return re.findall(r"[^\W_]+", unicodedata.normalize("NFC", text).lower())


def fingerprints(text: str) -> set[str]:
    """Return the fingerprint of every ``RUN``-word run of ``text``."""
    found = words(text)
    return {
        hashlib.sha256(" ".join(found[i : i + RUN]).encode()).hexdigest()[:16]
        for i in range(len(found) - RUN + 1)
    }


def seed_text() -> str | None:
    """Return the seed's text when it is beside the repository (it is not in it)."""
    for shared in (ROOT.parent, ROOT.parent.parent):
        path = shared / "shared" / "seed" / "alliance-performance.txt"
        if path.exists():
            return path.read_text(encoding="utf-8")
    return None


def squeezed(text: str) -> str:
    """Return ``text`` without spaces or apostrophe variants (the extraction split words)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text).replace("’", "'"))


@pytest.fixture(scope="module")
def editions(demo_fr: StudyOutputs, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Per language: the document, its HTML and its XLSX file."""
    english = build_notebook(demo_fr.run, "en", prose=PROSE)
    folder = tmp_path_factory.mktemp("english")
    write_xlsx(english, folder / "tables.xlsx")
    return {
        "fr": (demo_fr.document, demo_fr.path("notebook.html").read_text(encoding="utf-8"),
               demo_fr.path("tables.xlsx")),
        "en": (english, render_html(english), folder / "tables.xlsx"),
    }  # fmt: skip


# --- Every section of the seed -----------------------------------------------------------------


def test_the_headings_are_the_seed_s():
    seed = seed_text()
    if seed is None:
        pytest.skip(
            "the seed (../shared/seed/alliance-performance.txt) is not beside the repository"
        )
    text = squeezed(seed)
    for heading, _, _ in SEED_SECTIONS:
        assert squeezed(heading) in text, heading


def _shown(chapter_blocks: list[Any], shows: tuple[str, str], lang: Lang) -> bool:
    kind, code = shows
    referential = default_referential()
    tables = [b.data if isinstance(b, Figure) else b for b in chapter_blocks]
    tables = [t for t in tables if isinstance(t, Table)]
    if kind in ("diagram", "framework"):
        labels = [item.label(lang) for item in referential.framework(code)]
        matching = [
            block
            for block, table in zip(
                [b for b in chapter_blocks if isinstance(b, (Table, Figure))], tables, strict=True
            )
            if [row.get("label") for row in table.rows] == labels
        ]
        if kind == "diagram":
            return any(isinstance(b, Figure) and "<svg" in b.svg for b in matching)
        return bool(matching)
    if kind == "item":
        label = referential.item(code).label(lang)
        return any(row.get("label") == label for t in tables for row in t.rows)
    if kind == "sheets":
        profiles = [
            item.label(lang)
            for item in referential.framework(code)
            if getattr(item, "practice_sheet", None) is not None
        ]
        return any([row.get("profile") for row in t.rows] == profiles for t in tables)
    population = next(p for p in PROSE_POPULATIONS if p[0] == code)
    return any(
        isinstance(b, Figure) and "<svg" in b.svg and b.title.startswith(population[1][lang])
        for b in chapter_blocks
    )


#: The demo's populations and their labels, for the figures' titles.
PROSE_POPULATIONS = [
    ("public", {"fr": "Français", "en": "French public"}),
    ("elected-officials", {"fr": "Élus locaux", "en": "Local elected officials"}),
    ("companies", {"fr": "Entreprises", "en": "Companies"}),
    ("associations", {"fr": "Associations", "en": "Associations"}),
    ("foundations", {"fr": "Fondations", "en": "Foundations"}),
]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_seed_section_has_its_chapter_with_its_framework(editions, lang):
    document, html, _ = editions[lang]
    chapters = {chapter.id: chapter for chapter in document.chapters}

    for heading, chapter_id, shows in SEED_SECTIONS:
        chapter = chapters[chapter_id]
        assert f'id="{chapter_id}"' in html, chapter_id
        paragraphs = [b for b in chapter.blocks if isinstance(b, str)]
        assert paragraphs, chapter_id
        if shows is not None:
            assert _shown(chapter.blocks, shows, lang), (heading, chapter_id, shows)


def test_the_prose_copies_no_run_of_the_seed():
    seed = {line for line in SHINGLES.read_text(encoding="utf-8").splitlines()}
    texts = [
        text
        for chapter in PROSE["chapters"]
        for text in [
            *chapter.get("paragraphs", {}).get("fr", []),
            chapter["title"]["fr"],
            chapter.get("source", {}).get("fr", ""),
        ]
    ]

    assert len(seed) > 2000
    for text in texts:
        copied = fingerprints(text) & seed
        assert not copied, text[:80]


def test_the_paraphrase_check_catches_a_copied_sentence():
    seed = seed_text()
    if seed is None:
        pytest.skip("the seed is not beside the repository")
    stored = set(SHINGLES.read_text(encoding="utf-8").splitlines())
    copied = (
        "Les Territoires sont au bien commun ce que la paillasse de recherche est aux traitements"
    )

    assert fingerprints(seed) <= stored
    assert fingerprints(f"Ainsi : {copied}.") & stored


# --- No code reaches a reader --------------------------------------------------------------------

SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
URL = re.compile(r"https?://\S+")


def known_codes(run: StudyRun) -> tuple[set[str], set[str]]:
    """Return the codes no reader should see: as words, and numeric ones (region codes)."""
    codes: set[str] = set()
    for population in run.populations:
        questionnaire = population.prepared.questionnaire
        codes |= {population.code, questionnaire.questionnaire}
        codes |= {item.name for item in questionnaire.items}
        for scale in questionnaire.scales:
            codes |= {str(c.code) for c in scale.choices if re.search("[A-Za-z]", str(c.code))}
    for framework in default_referential():
        codes |= {framework.code, *(item.code for item in framework)}
    regions = geography().regions.values()
    codes |= {region.short for region in regions if region.short}
    return codes, {region.code for region in regions}


def identifiers(text: str, codes: set[str], *, whole: bool) -> list[str]:
    """Return the identifiers in ``text``: snake_case words, or the text itself when a code."""
    found = SNAKE.findall(URL.sub("", text))
    if whole and text.strip() in codes and text.strip() not in found:
        found.append(text.strip())
    return found


class _Reader(HTMLParser):
    """Collect the texts a reader sees: headings, table cells, chart labels (a whole ``<text>``,
    its wrapped lines joined), and the rest."""

    WHOLE: ClassVar[set[str]] = {
        "h1",
        "h2",
        "h3",
        "h4",
        "th",
        "td",
        "caption",
        "figcaption",
        "li",
        "text",
    }

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.texts: list[tuple[str, str]] = []
        self.label: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "text":
            self.texts.append(("text", " ".join(self.label)))
            self.label = []
        while self.open and self.open.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if not data.strip() or {"style", "script"} & set(self.open):
            return
        if "text" in self.open:
            self.label.append(data.strip())
        else:
            self.texts.append((self.open[-1] if self.open else "", data.strip()))


def html_identifiers(html: str, codes: set[str]) -> list[str]:
    reader = _Reader()
    reader.feed(html)
    return [
        found
        for tag, text in reader.texts
        for found in identifiers(text, codes, whole=tag in _Reader.WHOLE)
    ]


def xlsx_identifiers(path: Path, codes: set[str]) -> list[str]:
    book = load_workbook(path, read_only=True)
    return [
        found
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str)
        for found in identifiers(value, codes, whole=True)
    ]


def document_identifiers(document: Document, codes: set[str]) -> list[str]:
    """Identifiers in the document's headings, titles, column labels and text cells."""
    texts = [document.title, document.subtitle]
    texts += [chapter.title for chapter in document.chapters]
    for table in document.tables():
        texts += [table.title, *(column.label for column in table.columns)]
        texts += [
            str(row.get(column.key) or "")
            for row in table.rows
            for column in table.columns
            if column.kind == "text"
        ]
    texts += [figure.title for figure in document.figures()]
    return [found for text in texts for found in identifiers(text, codes, whole=True)]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_identifier_reaches_a_reader(editions, demo_fr, lang):
    document, html, xlsx = editions[lang]
    words, numeric = known_codes(demo_fr.run)

    assert document_identifiers(document, words | numeric) == []
    assert html_identifiers(html, words) == []
    assert xlsx_identifiers(xlsx, words | numeric) == []


def test_no_snake_case_code_in_the_pdf(demo_fr):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text is not checked")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(demo_fr.path("notebook.pdf")), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout

    assert "Les trois ingénieries territoriales" in text
    assert SNAKE.findall(URL.sub("", text)) == []


def test_the_identifier_check_catches_codes(demo_fr):
    words, numeric = known_codes(demo_fr.run)
    html = (
        "<table><tr><th>Catégorie</th></tr><tr><td>csp_plus</td></tr><tr><td>ARA</td></tr>"
        "<tr><td>no_staff</td></tr></table><svg><text><tspan>endowment_fund</tspan></text></svg>"
        "<p>Voir https://example.org/a_b</p>"
    )

    assert {"csp_plus", "ARA", "no_staff", "endowment_fund", "84"} <= words | numeric
    assert html_identifiers(html, words) == ["csp_plus", "ARA", "no_staff", "endowment_fund"]
    assert identifiers("84", words | numeric, whole=True) == ["84"]


# --- Honest framing ------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "word"), [("fr", "démonstration"), ("en", "demonstration")])
def test_a_synthetic_demonstration_says_so(editions, lang, word):
    document, html, _ = editions[lang]
    changes = next(c for c in document.chapters if c.id == "changes")

    assert word in document.title
    assert word in document.subtitle.lower()
    assert "Reproduction" not in document.subtitle
    assert "illustration" in changes.title
    assert document.notice == PROSE["synthetic_notice"][lang]
    assert document.notice in html.replace("&#39;", "'")
