"""Writing the outputs all at once or not at all: seven files, no half-written folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

import alliance.report.pdf
from alliance.errors import DataFileError
from alliance.report.document import Document
from alliance.study.notebook import build_notebook
from alliance.study.opendata import estimates_csv
from alliance.study.outputs import OUTPUT_FILES, write_outputs
from alliance.study.run import StudyRun

pytestmark = pytest.mark.integration


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def refuse_pdf(document: Document, path: Path) -> None:
    raise OSError("disk full while writing the PDF")


@pytest.fixture(scope="module")
def document(hand_run: StudyRun) -> Document:
    return build_notebook(hand_run, "fr")


def test_the_seven_files(hand_outputs):
    assert OUTPUT_FILES == (
        "notebook.html",
        "notebook.pdf",
        "tables.xlsx",
        "provenance.json",
        "estimates.csv",
        "results.json",
        "datapackage.json",
    )
    assert sorted(p.name for p in hand_outputs.folder.iterdir()) == sorted(OUTPUT_FILES)
    assert hand_outputs.path("notebook.pdf") == hand_outputs.folder / "notebook.pdf"


def test_no_temporary_folder_is_left_behind(hand_outputs):
    assert sorted(p.name for p in hand_outputs.folder.parent.iterdir()) == ["hand-study", "out"]


def test_each_file_holds_what_the_run_produced(hand_outputs):
    run, document = hand_outputs.run, hand_outputs.document

    assert hand_outputs.path("notebook.pdf").read_bytes().startswith(b"%PDF")
    html = hand_outputs.path("notebook.html").read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert f'<p class="notice" role="note">{document.notice}</p>' in html
    assert json.loads(hand_outputs.path("provenance.json").read_text(encoding="utf-8")) == (
        json.loads(json.dumps(document.provenance))
    )
    results = json.loads(hand_outputs.path("results.json").read_text(encoding="utf-8"))
    assert results == json.loads(json.dumps(run.results.to_json()))
    assert hand_outputs.path("estimates.csv").read_text(encoding="utf-8") == estimates_csv(
        run.results
    )
    book = load_workbook(hand_outputs.path("tables.xlsx"), read_only=True)
    assert book.sheetnames == ["notes", *(table.id for table in document.tables())]


def test_a_failure_midway_leaves_the_existing_folder_as_it_was(
    hand_run, document, tmp_path, monkeypatch
):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notebook.html").write_text("earlier notebook", encoding="utf-8")
    (out / "results.json").write_text("{}", encoding="utf-8")
    (out / "notes.txt").write_text("the analyst's notes", encoding="utf-8")
    before = snapshot(out)
    monkeypatch.setattr(alliance.report.pdf, "write_pdf", refuse_pdf)

    with pytest.raises(OSError, match="disk full while writing the PDF"):
        write_outputs(hand_run, document, out, "fr")

    assert snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_failure_creates_no_folder(hand_run, document, tmp_path, monkeypatch):
    monkeypatch.setattr(alliance.report.pdf, "write_pdf", refuse_pdf)

    with pytest.raises(OSError, match="disk full"):
        write_outputs(hand_run, document, tmp_path / "new" / "out", "fr")

    assert [p.name for p in (tmp_path / "new").iterdir()] == []


def test_an_out_folder_under_a_file_is_refused_with_its_name(hand_run, document, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")

    with pytest.raises(DataFileError) as caught:
        write_outputs(hand_run, document, blocker / "out", "en")

    assert caught.value.key == "study.out_unwritable"
    assert caught.value.location.file == str(blocker / "out")
    assert blocker.read_text(encoding="utf-8") == "not a folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]
