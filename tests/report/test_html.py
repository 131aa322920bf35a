"""The HTML notebook: language, accessible charts, captioned tables, no external resource."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from alliance.i18n import Lang
from alliance.report.charts import Bar, share_chart
from alliance.report.document import Chapter, Document
from alliance.report.html import render_html
from alliance.report.tables import Column, Figure, Table

pytestmark = pytest.mark.unit

NNBSP = "\u202f"
VOID = {"meta", "link", "br", "hr", "img", "input", "source", "wbr"}

LABELS: dict[Lang, dict[str, str]] = {
    "fr": {
        "contents": "Sommaire",
        "figure": "Figure",
        "table": "Tableau",
        "provenance": "Provenance des chiffres",
        "provenance_intro": "Chaque tableau renvoie ici.",
        "provenance_ref": "Provenance",
        "code_version": "Version du code",
        "referential_version": "Version du référentiel",
        "synthetic_short": "Données synthétiques de démonstration.",
        "running_head": "Données synthétiques de démonstration",
        "notes_sheet": "notes",
        "title": "Titre",
    },
    "en": {
        "contents": "Contents",
        "figure": "Chart",
        "table": "Table",
        "provenance": "Provenance of the figures",
        "provenance_intro": "Each table points here.",
        "provenance_ref": "Provenance of",
        "code_version": "Code version",
        "referential_version": "Referential version",
        "synthetic_short": "Synthetic demonstration data.",
        "running_head": "Synthetic demonstration data",
        "notes_sheet": "read me",
        "title": "Title",
    },
}
NOTICE = {
    "fr": "Données synthétiques : aucun chiffre de ce carnet ne décrit une organisation réelle.",
    "en": "Synthetic data: no figure in this notebook describes a real organisation.",
}
PROVENANCE = {
    "code": {"version": "0.1.0", "commit": "155bf7b"},
    "referential": {"version": "2024.2"},
    "inputs": [
        {
            "file": "vague-2022.sav",
            "sha256": "ab" * 32,
            "read_as": "SPSS",
            "questionnaire": "barometre",
            "questionnaire_version": "2022.1",
        }
    ],
    "margins": [{"file": "margins-2022.yaml", "sha256": "cd" * 32}],
    "tables": {"T1": {"description": "vague-2022.sav, raked to margins-2022.yaml"}},
}


def document(lang: Lang) -> Document:
    shares = Table(
        id="T1",
        title="Parts « fort + très fort »",
        columns=[
            Column("item", "Item"),
            Column("share", "Part", "percent"),
            Column("change", "Évolution", "points"),
            Column("n", "Réponses", "integer"),
            Column("p", "p", "pvalue"),
            Column("fragile", "Fragile", "flag"),
        ],
        rows=[
            {"item": "Territoires", "share": 0.558, "change": 0.043, "n": 1234, "p": 0.0004},
            {"item": "Personnes", "share": 0.3, "change": -0.02, "n": 25, "fragile": True},
        ],
        note="Pondéré.",
        provenance="T1",
        synthetic=True,
    )
    bars = [
        Bar("Territoires", "2018", 0.42, 0.37, 0.47),
        Bar("Territoires", "2022", 0.558, 0.51, 0.60),
    ]
    data = Table(
        id="D1",
        title="Données de la figure 1",
        columns=[
            Column("label", "Item"),
            Column("series", "Vague"),
            Column("share", "Part", "percent"),
        ],
        rows=[{"label": b.label, "series": b.series, "share": b.estimate} for b in bars],
    )
    chart = Figure(
        id="F1",
        title="Territoires",
        svg=share_chart(bars, axis_title="Part", lang=lang),
        alt='Territoires : 42 % en 2018, 55,8 % en 2022 ("fort" < "très fort")',
        data=data,
        notes=["Traits : intervalles à 95 %."],
    )
    single = Figure(
        id="F2",
        title="Personnes",
        svg=share_chart([Bar("Personnes", "2022", 0.3, 0.25, 0.35)], axis_title="Part", lang=lang),
        alt="Personnes: 30% in 2022.",
        data=Table("D2", "Data", [Column("label", "Item")], [{"label": "Personnes"}]),
    )
    return Document(
        lang=lang,
        title="Carnet <de> l'Observatoire",
        subtitle="Vagues 2018 et 2022",
        notice=NOTICE[lang],
        chapters=[
            Chapter("impact", "Impact", ["Premier paragraphe.", shares, chart], source="Baromètre"),
            Chapter("people", "Personnes", [single]),
        ],
        provenance=PROVENANCE,
        labels=LABELS[lang],
    )


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str | None]
    text: str = ""
    children: list[Element] = field(default_factory=list)


class Page(HTMLParser):
    """Every element with its attributes and its whole text, in document order."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.stack: list[Element] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        if self.stack:
            self.stack[-1].children.append(element)
        self.elements.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self.stack:
            element.text += data

    def all(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    def texts(self, tag: str) -> list[str]:
        return [" ".join(e.text.split()) for e in self.all(tag)]


@pytest.fixture(scope="module")
def documents() -> dict[Lang, Document]:
    return {"fr": document("fr"), "en": document("en")}


@pytest.fixture(scope="module")
def html(documents: dict[Lang, Document]) -> dict[Lang, str]:
    return {lang: render_html(doc) for lang, doc in documents.items()}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_page_declares_its_language_and_title(html, documents, lang):
    page = Page(html[lang])
    alternatives = [figure.alt for figure in documents[lang].figures()]

    assert html[lang].startswith("<!DOCTYPE html>")
    assert page.all("html")[0].attrs["lang"] == lang
    assert page.all("meta")[0].attrs == {"charset": "utf-8"}
    # the page's title, then each chart's text alternative as its SVG's title (the PDF's /Alt)
    assert page.texts("title") == ["Carnet <de> l'Observatoire", *alternatives]
    assert len(alternatives) == 2
    assert page.texts("h1") == ["Carnet <de> l'Observatoire"]
    assert "<de>" not in html[lang]  # escaped, not markup


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_synthetic_notice_is_shown_as_a_note(html, lang):
    notes = [e for e in Page(html[lang]).all("p") if e.attrs.get("class") == "notice"]

    assert len(notes) == 1
    assert notes[0].attrs["role"] == "note"
    assert notes[0].text == NOTICE[lang]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_chart_is_an_image_labelled_with_its_text_alternative(html, documents, lang):
    svgs = Page(html[lang]).all("svg")

    assert len(svgs) == 2
    assert html[lang].count("<svg") == 2
    for svg, figure in zip(svgs, documents[lang].figures(), strict=True):
        assert svg.attrs["role"] == "img"
        assert svg.attrs["aria-label"] == figure.alt
        assert figure.alt
    assert (
        'aria-label="Territoires : 42 % en 2018, 55,8 % en 2022 (&#34;fort&#34; &lt; ' in html[lang]
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_page_needs_no_external_resource(html, lang):
    text = html[lang]

    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", text, re.IGNORECASE)
    assert not re.search(r"""url\(\s*["']?\s*(https?:)?//""", text, re.IGNORECASE)
    assert "@import" not in text
    assert "<script" not in text
    assert "<link" not in text
    assert "<img" not in text
    # The only links are to anchors of the page itself.
    page = Page(text)
    ids = {e.attrs["id"] for e in page.elements if e.attrs.get("id")}
    hrefs = [e.attrs.get("href") or "" for e in page.elements if "href" in e.attrs]
    assert hrefs
    assert all(h.startswith("#") and h[1:] in ids for h in hrefs)


def test_tables_have_captions_and_column_headers(html, documents):
    page = Page(html["fr"])
    tables = page.all("table")

    assert [t.attrs["id"] for t in tables] == ["table-T1", "table-D1", "table-D2"]
    assert [t.attrs.get("class") for t in tables] == [None, "data-table", "data-table"]
    for table, source in zip(tables, documents["fr"].tables(), strict=True):
        captions = [c for c in table.children if c.tag == "caption"]
        assert [c.text for c in captions] == [f"Tableau {source.id} — {source.title}"]
        headers = [h for h in _descendants(table) if h.tag == "th"]
        assert [h.attrs for h in headers] == [{"scope": "col"}] * len(source.columns)
        assert [h.text for h in headers] == [c.label for c in source.columns]


def _descendants(element: Element) -> list[Element]:
    found = []
    for child in element.children:
        found.append(child)
        found.extend(_descendants(child))
    return found


def _rows(html: str, table_id: str) -> list[list[tuple[str | None, str]]]:
    page = Page(html)
    table = next(t for t in page.all("table") if t.attrs["id"] == f"table-{table_id}")
    return [
        [(td.attrs.get("class"), td.text) for td in tr.children if td.tag == "td"]
        for tr in _descendants(table)
        if tr.tag == "tr" and any(td.tag == "td" for td in tr.children)
    ]


def test_cells_are_written_in_french(html):
    assert _rows(html["fr"], "T1") == [
        [
            (None, "Territoires"),
            ("num", f"55,8{NNBSP}%"),
            ("num", f"+4,3{NNBSP}pts"),
            ("num", f"1{NNBSP}234"),
            ("num", "<\u202f0,001"),
            ("num", ""),
        ],
        [
            (None, "Personnes"),
            ("num", f"30,0{NNBSP}%"),
            ("num", f"-2,0{NNBSP}pts"),
            ("num", "25"),
            ("num", ""),
            ("num", "⚠"),
        ],
    ]
    assert _rows(html["fr"], "D1") == [
        [(None, "Territoires"), (None, "2018"), ("num", f"42,0{NNBSP}%")],
        [(None, "Territoires"), (None, "2022"), ("num", f"55,8{NNBSP}%")],
    ]


def test_cells_are_written_in_english(html):
    assert _rows(html["en"], "T1") == [
        [
            (None, "Territoires"),
            ("num", "55.8%"),
            ("num", "+4.3 pts"),
            ("num", "1,234"),
            ("num", "< 0.001"),
            ("num", ""),
        ],
        [
            (None, "Personnes"),
            ("num", "30.0%"),
            ("num", "-2.0 pts"),
            ("num", "25"),
            ("num", ""),
            ("num", "⚠"),
        ],
    ]


def test_table_notes_say_synthetic_and_link_to_provenance(html):
    page = Page(html["en"])
    metas = [e for e in page.all("p") if e.attrs.get("class") == "meta"]

    assert [" ".join(m.text.split()) for m in metas] == [
        "Pondéré. Synthetic demonstration data. Provenance of T1",
        "Traits : intervalles à 95 %.",
        "",
        "",
    ]
    links = [e for e in _descendants(metas[0]) if e.tag == "a"]
    assert [a.attrs["href"] for a in links] == ["#prov-T1"]
    target = next(e for e in page.elements if e.attrs.get("id") == "prov-T1")
    assert (target.tag, target.text) == ("dt", "T1")


def test_contents_chapters_figures_and_paragraphs(html):
    page = Page(html["fr"])
    nav = page.all("nav")[0]

    assert nav.attrs["aria-label"] == "Sommaire"
    assert [(a.attrs["href"], a.text) for a in _descendants(nav) if a.tag == "a"] == [
        ("#impact", "Impact"),
        ("#people", "Personnes"),
        ("#provenance", "Provenance des chiffres"),
    ]
    sections = page.all("section")
    assert [s.attrs["id"] for s in sections] == ["impact", "people", "provenance"]
    assert page.texts("h2") == [
        "Sommaire",
        "1. Impact",
        "2. Personnes",
        "Provenance des chiffres",
    ]
    assert page.texts("figcaption") == ["Figure F1 — Territoires", "Figure F2 — Personnes"]
    assert [f.attrs["id"] for f in page.all("figure")] == ["F1", "F2"]
    assert "Premier paragraphe." in page.texts("p")
    assert [e.text for e in page.all("p") if e.attrs.get("class") == "source"] == ["Baromètre"]


def test_provenance_lists_code_referential_inputs_margins_and_tables(html):
    page = Page(html["en"])
    terms = page.texts("dt")
    details = page.texts("dd")

    assert terms == [
        "Code version",
        "Referential version",
        "vague-2022.sav",
        "margins-2022.yaml",
        "T1",
    ]
    assert details == [
        "0.1.0 (155bf7b)",
        "2024.2",
        f"SHA-256 {'ab' * 32} — SPSS — barometre 2022.1",
        f"SHA-256 {'cd' * 32}",
        "vague-2022.sav, raked to margins-2022.yaml",
    ]


def test_running_head_is_in_the_print_styles(html):
    assert "@top-right { content: string(runninghead);" in html["en"]
    assert (
        '<p class="running-head" aria-hidden="true">Synthetic demonstration data</p>' in html["en"]
    )


def test_document_with_default_provenance_renders():
    bare = Document("en", "Bare", "Sub", "Synthetic.", [Chapter("c", "C", ["Text."])])

    assert "<h1>Bare</h1>" in render_html(bare)
