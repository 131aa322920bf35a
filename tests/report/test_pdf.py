"""The PDF: the HTML laid out by WeasyPrint; title, notice and values read back by pdftotext."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from alliance.i18n import Lang
from alliance.report.charts import Bar, share_chart
from alliance.report.document import Chapter, Document
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
    assert set(pages) == {len(pages) + 1}  # every page but the cover
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
