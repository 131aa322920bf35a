"""The PDF: the HTML laid out by WeasyPrint; title, notice and values read back by pdftotext."""

from __future__ import annotations

import contextlib
import html
import re
import subprocess
import zlib
from pathlib import Path

import pytest

from alliance.i18n import Lang
from alliance.report.charts import Bar, share_chart
from alliance.report.document import Chapter, Cover, Document, Reference
from alliance.report.pdf import pdf_bytes, write_pdf
from alliance.report.tables import Column, Figure, Table

pytestmark = pytest.mark.integration

LABELS = {
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
    "tables": {"T1": {"description": "Tiré de vague-2022.sav"}},
}


def document(lang: Lang = "fr", labels: dict[str, str] | None = None) -> Document:
    shares = Table(
        id="T1",
        title="Parts par domaine",
        columns=[
            Column("item", "Domaine"),
            Column("share", "Part", "percent"),
            Column("n", "Réponses", "integer"),
        ],
        rows=[
            {"item": "Territoires", "share": 0.558, "n": 12345},
            {"item": "Personnes", "share": 0.301, "n": 87},
        ],
        provenance="T1",
        synthetic=True,
    )
    bars = [Bar("Innovation", "2022", 0.42, 0.37, 0.47)]
    chart = Figure(
        id="F1",
        title="Innovation territoriale",
        svg=share_chart(bars, axis_title="Part", lang=lang),
        alt="Innovation : 42 %.",
        data=Table(
            "D1", "Données de la figure F1", [Column("share", "Part", "percent")], [{"share": 0.42}]
        ),
    )
    return Document(
        lang=lang,
        title="Carnet de l’Observatoire",
        subtitle="Vague 2022",
        notice="Données synthétiques : aucun chiffre ne décrit une organisation réelle.",
        chapters=[Chapter("impact", "Impact", ["Premier paragraphe.", shares, chart])],
        provenance=PROVENANCE,
        labels=LABELS if labels is None else labels,
    )


def pdf_text(path: Path) -> str:
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.replace("\u202f", " ").replace("\xa0", " ")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "carnet.pdf"
    write_pdf(document(), path)
    return path


def test_file_is_a_pdf_written_atomically(written):
    assert written.read_bytes().startswith(b"%PDF")
    assert [p.name for p in written.parent.iterdir()] == ["carnet.pdf"]


def test_text_holds_title_notice_and_formatted_values(written):
    text = pdf_text(written)

    assert "Carnet de l’Observatoire" in text
    assert "Données synthétiques : aucun chiffre ne décrit une organisation réelle." in text
    assert "Tableau T1 — Parts par domaine" in text
    assert re.search(r"55,8\s%", text)
    assert re.search(r"30,1\s%", text)
    assert re.search(r"12\s345", text)
    assert "Figure F1 — Innovation territoriale" in text
    assert "Version du code" in text
    assert "0.1.0 (155bf7b)" in text


def test_pages_are_numbered_and_carry_the_running_head(written):
    text = pdf_text(written)

    pages = [int(total) for total in re.findall(r"^\d+\s?/\s?(\d+)$", text, re.MULTILINE)]
    assert pages
    assert set(pages) == {len(pages)}  # no cover without a Cover: every page is numbered
    assert text.count("Données synthétiques de démonstration\n") == len(pages)


def test_pdf_is_written_into_a_new_folder(tmp_path):
    path = tmp_path / "out" / "en.pdf"

    write_pdf(document("en"), path)

    assert path.read_bytes().startswith(b"%PDF")
    assert "Carnet de l’Observatoire" in pdf_text(path)


def test_running_head_with_an_apostrophe_is_printed_as_written(tmp_path):
    path = tmp_path / "carnet.pdf"

    write_pdf(document(labels={**LABELS, "running_head": "Données d'exemple"}), path)

    text = pdf_text(path)
    assert "Données d'exemple" in text
    assert "&#39;" not in text


def test_pdf_bytes_are_the_same_document_as_the_file(written, tmp_path):
    data = pdf_bytes(document())

    assert data.startswith(b"%PDF")
    assert data.rstrip().endswith(b"%%EOF")
    path = tmp_path / "from-bytes.pdf"
    path.write_bytes(data)
    assert pdf_text(path) == pdf_text(written)
    assert "Carnet de l’Observatoire" in pdf_text(path)
    assert list(tmp_path.iterdir()) == [path]


def published_document(lang: Lang = "fr") -> Document:
    """A document with the whole apparatus: cover, key figures, two chapters, bibliography."""
    base = document(lang)
    key = Table(
        "K1",
        "Chiffres clés",
        [Column("item", "Domaine"), Column("share", "Part", "percent")],
        [{"item": "Territoires", "share": 0.558}],
        provenance="K1",
    )
    return Document(
        lang=lang,
        title=base.title,
        subtitle=base.subtitle,
        notice=base.notice,
        chapters=[
            *base.chapters,
            Chapter("method", "Méthode" if lang == "fr" else "Method", ["Deuxième chapitre."]),
        ],
        provenance=PROVENANCE,
        labels={
            **LABELS,
            "bibliography": "Bibliographie",
            "volumes_heading": "Volets précédents",
            "references_heading": "Sources citées",
            "citation_heading": "Comment citer",
            "cover_authors": "Auteurs",
            "cover_credits": "Crédits",
            "cover_partners": "Partenaires",
        },
        cover=Cover(edition="5e édition", date="Publié le 15 juin 2022", authors=["Auteur"]),
        key_figures=Chapter("key-figures", "Chiffres clés", [key]),
        volumes=[Reference("Carnet « Alliance & Engagement ».", "https://example.org/engagement")],
        references=[Reference("Source citée.", "https://example.org/source")],
        citation="Auteur. « Carnet ». 5e édition.",
    )


def inflated(path: Path) -> bytes:
    """The PDF's bytes with every compressed stream (objects included) inflated."""
    data = path.read_bytes()
    found = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        with contextlib.suppress(zlib.error):
            found.append(zlib.decompressobj().decompress(data[match.end() :]))
    return b"\n".join(found)


def outline(path: Path) -> list[tuple[str, int]]:
    """The PDF's bookmarks (title, page), depth first, as pdftohtml reads them."""
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-stdout", "-i", "-q", "-f", "1", "-l", "1", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        (html.unescape(t), int(p)) for p, t in re.findall(r'<item page="(\d+)">([^<]*)</item>', xml)
    ]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("published") / "carnet.pdf"
    write_pdf(published_document(), path)
    return path


def test_the_pdf_is_tagged_pdf_ua_with_its_language_and_title(published, tmp_path):
    info = subprocess.run(
        ["pdfinfo", str(published)], capture_output=True, text=True, check=True
    ).stdout
    data = inflated(published)

    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    assert re.search(r"^PDF version:\s+1\.7$", info, re.MULTILINE)
    assert re.search(r"^Title:\s+Carnet de l’Observatoire$", info, re.MULTILINE)
    assert re.search(r"^Author:\s+Auteur$", info, re.MULTILINE)
    assert b"/StructTreeRoot" in data
    assert b"/MarkInfo <</Marked true>>" in data
    assert b"/Lang (fr)" in data
    assert b'rdf:about="" pdfuaid:part="1"' in data  # PDF/UA-1 identification (XMP)
    assert b"/DisplayDocTitle true" in data
    english = tmp_path / "en.pdf"
    write_pdf(published_document("en"), english)
    assert b"/Lang (en)" in inflated(english)


def test_the_structure_tree_holds_headings_lists_and_tables(published):
    tree = subprocess.run(
        ["pdfinfo", "-struct", str(published)], capture_output=True, text=True, check=True
    ).stdout
    roles = [line.strip().split(" ")[0] for line in tree.splitlines()]

    assert roles[0] == "Document"
    assert roles.count("H1") == 1
    # contents, key figures, two chapters, bibliography, citation, provenance
    assert roles.count("H2") == 7
    assert roles.count("H3") == 2
    assert roles.count("Table") == 3  # key figures, T1, the figure's data
    assert roles.count("Figure:") == 1  # the chart, with its attributes
    assert b"/Alt" in inflated(published)  # its text alternative, from the SVG's <title>
    assert roles.count("Caption") == 4
    assert roles.count("L") == 7


def test_a_bookmark_per_chapter_at_its_page(published):
    marks = outline(published)

    assert [title for title, _ in marks] == [
        "Carnet de l’Observatoire",
        "Sommaire",
        "Chiffres clés",
        "1. Impact",
        "2. Méthode",
        "Bibliographie",
        "Volets précédents",
        "Sources citées",
        "Comment citer",
        "Provenance des chiffres",
    ]
    pages = dict(marks)
    assert (pages["Carnet de l’Observatoire"], pages["Sommaire"], pages["Chiffres clés"]) == (
        1,
        2,
        3,
    )
    assert pages["1. Impact"] < pages["2. Méthode"] < pages["Bibliographie"]


def test_the_contents_give_each_chapter_s_page(published):
    pages = dict(outline(published))
    contents = subprocess.run(
        ["pdftotext", "-layout", "-f", "2", "-l", "2", str(published), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    listed = {
        title.strip(): int(page)
        for title, page in re.findall(
            r"^\s*(?:\d+\.\s+)?(.+?)\s*\.{3,}\s*(\d+)\s*$", contents, re.M
        )
    }

    assert listed == {
        "Chiffres clés": pages["Chiffres clés"],
        "Impact": pages["1. Impact"],
        "Méthode": pages["2. Méthode"],
        "Bibliographie": pages["Bibliographie"],
        "Comment citer": pages["Comment citer"],
        "Provenance des chiffres": pages["Provenance des chiffres"],
    }


def test_running_heads_name_the_chapter_of_the_page(published):
    pages = dict(outline(published))

    def head(page: int) -> str:
        return subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(published), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()[0]

    assert head(pages["1. Impact"]) == "1. Impact"
    assert head(pages["2. Méthode"]) == "2. Méthode"
    assert head(pages["Bibliographie"]) == "Bibliographie"
    assert "Carnet" in head(1)  # the cover: no running head above the title


def test_the_cover_page_stands_alone(published):
    cover = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(published), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert "5e édition" in cover
    assert "Publié le 15 juin 2022" in cover
    assert "Sommaire" not in cover
    assert not re.search(r"^\d+ / \d+$", cover, re.MULTILINE)
