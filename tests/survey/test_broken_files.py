"""The broken-file corpus: each broken file gets its own clear message, exit code 1, and no output.

The files are made here, by the real tools, then broken the way files break in practice.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pyreadstat
import pytest
from typer.testing import CliRunner

from alliance.cli import app

pytestmark = pytest.mark.integration

HEADER = ["respondent_id", "sex", "age", "region", "occupation", "agglomeration", "weight"]
IMPACTS = [
    "impact_territories", "impact_territorial_innovation", "impact_people",
    "impact_company_performance", "impact_local_authority_performance",
    "impact_association_performance",
]  # fmt: skip


def valid_rows(n: int) -> list[list[object]]:
    regions = ["IDF", "ARA", "OCC", "BRE"]
    rows: list[list[object]] = []
    for i in range(n):
        quotas: list[object] = [f"R{i:04d}", "FM"[i % 2], "35-49", regions[i % 4], "retired"]
        rows.append([*quotas, "rural", 1.0, *[1 + i % 4] * len(IMPACTS)])
    return rows


def write_csv(path: Path, rows: list[list[object]], header: list[str] | None = None) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(header or HEADER + IMPACTS)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def truncated_sav(path: Path) -> None:
    frame = pl.DataFrame(valid_rows(50), schema=HEADER + IMPACTS, orient="row")
    pyreadstat.write_sav(frame, str(path))
    path.write_bytes(path.read_bytes()[:400])


def wrong_encoding(path: Path) -> None:
    path.write_bytes("respondent_id;sex\nR1;F\n".encode("utf-16-le"))


def ragged(path: Path) -> None:
    write_csv(path, valid_rows(3))
    lines = path.read_text().splitlines()
    lines[2] = lines[2].rsplit(";", 2)[0]
    path.write_text("\n".join(lines) + "\n")


def duplicate_ids(path: Path) -> None:
    rows = valid_rows(5)
    rows[3][0] = rows[1][0]
    write_csv(path, rows)


def invalid_codes(path: Path) -> None:
    rows = valid_rows(100)
    for i in range(0, 100, 10):
        rows[i][len(HEADER)] = 7
    write_csv(path, rows)


def negative_weight(path: Path) -> None:
    rows = valid_rows(4)
    rows[2][6] = -1.5
    write_csv(path, rows)


def unknown_column(path: Path) -> None:
    write_csv(path, [[*row, "x"] for row in valid_rows(2)], HEADER + IMPACTS + ["duree"])


Case = tuple[str, Callable[[Path], object], str]

FILE_ERRORS: list[Case] = [
    ("truncated.sav", truncated_sav, "Error: Unreadable file: "),
    ("utf16.csv", wrong_encoding, "Error: This file is not CSV text (null bytes)"),
    ("ragged.csv", ragged, "Error: Line with 11 fields where the header has 13 (file ragged.csv"),
    ("empty.csv", lambda p: p.write_bytes(b""), "Error: Empty file (file empty.csv)"),
    ("header.csv", lambda p: write_csv(p, []), "Error: No responses: the file has a header only"),
    ("empty.sav", lambda p: p.write_bytes(b""), "Error: Unreadable file: "),
    ("broken.xlsx", lambda p: p.write_bytes(b"PK\x03\x04broken"), "Error: Unreadable file: "),
]  # fmt: skip

OUTSIDE = "Code outside the scale (allowed codes: 1, 2, 3, 4, 9)"
UNKNOWN = "Column 'duree' matches no item (map it or ignore it in a mapping file)"
ROW_ERRORS: list[tuple[str, Callable[[Path], object], list[tuple[str, str]]]] = [
    ("duplicates.csv", duplicate_ids, [("5", "Duplicate respondent identifier")]),
    (
        "codes.csv",
        invalid_codes,
        [(str(line), OUTSIDE) for line in range(2, 102, 10)],
    ),
    ("weights.csv", negative_weight, [("4", "Negative weight")]),
    ("columns.csv", unknown_column, [("", UNKNOWN)]),
]  # fmt: skip


def run_import(tmp_path: Path, name: str, build: Callable[[Path], object], *extra: str):
    source = tmp_path / name
    build(source)
    output = tmp_path / "out.parquet"
    result = CliRunner().invoke(
        app,
        [
            "survey",
            "import",
            str(source),
            "-q",
            "public",
            "-o",
            str(output),
            "--lang",
            "en",
            *extra,
        ],
        env={"COLUMNS": "200"},
    )
    return result, output


@pytest.mark.parametrize(("name", "build", "message"), FILE_ERRORS, ids=[c[0] for c in FILE_ERRORS])
def test_broken_file_gives_one_clear_line(tmp_path, name, build, message):
    result, output = run_import(tmp_path, name, build)

    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith(message)
    assert name in result.stderr.splitlines()[-1]
    assert "Traceback" not in result.output
    assert not output.exists()


@pytest.mark.parametrize(("name", "build", "expected"), ROW_ERRORS, ids=[c[0] for c in ROW_ERRORS])
def test_row_problems_are_each_located_and_refuse_the_file(tmp_path, name, build, expected):
    result, output = run_import(tmp_path, name, build, "--format", "json")

    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert [(str(p["line"] or ""), p["message"]) for p in problems] == expected
    assert result.stderr.splitlines()[-1].startswith("Error: File refused: ")
    assert not output.exists()


def test_lenient_import_of_ten_percent_invalid_codes_keeps_ninety_rows(tmp_path):
    result, output = run_import(tmp_path, "codes.csv", invalid_codes, "--lenient")

    assert result.exit_code == 0, result.output
    assert pl.read_parquet(output).height == 90
    rejected = pl.read_csv(tmp_path / "out.rejected.csv")
    assert rejected["line"].to_list() == list(range(2, 102, 10))
    assert rejected["reasons"][0] == (
        "impact_territories: Code outside the scale (allowed codes: 1, 2, 3, 4, 9)"
    )
