"""``alliance study run`` agrees with R's survey package on the fixture study (see data/README.md).

The fixture ``data/hand-study/`` has one population and two waves, an SPSS file (2023) and a French
CSV of labels (2024). Each wave is weighted on its own rows (stratified design, raked to the
margins); every share and mean, overall and by segment, must agree with
``data/expected_estimates.csv`` (written by ``make_study_reference.R``) to 1e-6 relative, with the
same unweighted n. Estimates on fewer than 10 respondents are suppressed (empty cells); fragile
ones are flagged.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

pytestmark = pytest.mark.integration

DATA = Path(__file__).parent / "data"
STUDY = DATA / "hand-study"
RELATIVE = 1e-6

#: Columns of ``estimates.csv``, exactly, in this order.
COLUMNS = [
    "population", "wave", "variable", "statistic", "by", "group",
    "estimate", "se", "ci_low", "ci_high", "n", "fragile",
]  # fmt: skip
KEY = ("population", "wave", "variable", "statistic", "by", "group")
VALUES = ("estimate", "se", "ci_low", "ci_high")
#: The study's ``suppress_below`` (stated in study.yaml, the default).
SUPPRESS_BELOW = 10
#: Fewer respondents than this, or an interval wider than FRAGILE_WIDTH: fragile.
FRAGILE_BELOW = 30
FRAGILE_WIDTH = 0.20
#: Statistics whose interval width counts: 0.20 is in share points, meaningless for a mean of
#: counts from 0 to 10 (whose every interval is wider), as ``alliance.study.reliability`` has it.
WIDTH_COUNTS_FOR = frozenset({"share"})


def _run(*args: str) -> Any:
    from alliance.cli import app  # imported here: a broken CLI fails these tests, not collection

    return CliRunner().invoke(app, list(args))


def _key(row: dict[str, str]) -> tuple[str, ...]:
    return tuple(row[column] for column in KEY)


def expected_rows() -> list[dict[str, str]]:
    with (DATA / "expected_estimates.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


EXPECTED = expected_rows()


def row_id(row: dict[str, str]) -> str:
    return "-".join((row["wave"], row["variable"], row["by"] or "all", row["group"] or "all"))


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the fixture study, so that running it writes nothing into the repository."""
    folder = tmp_path_factory.mktemp("study") / "hand-study"
    shutil.copytree(STUDY, folder)
    return folder


@pytest.fixture(scope="module")
def run(study: Path) -> tuple[Any, Path]:
    out = study.parent / "out"
    result = _run("study", "run", str(study / "study.yaml"), "--out", str(out))
    return result, out


@pytest.fixture(scope="module")
def estimates(run: tuple[Any, Path]) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of ``estimates.csv`` (read as UTF-8, comma-separated)."""
    result, out = run
    assert result.exit_code == 0, result.output
    with (out / "estimates.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [dict(zip(header, values, strict=True)) for values in reader]
    return header, rows


@pytest.fixture(scope="module")
def by_key(
    estimates: tuple[list[str], list[dict[str, str]]],
) -> dict[tuple[str, ...], list[dict[str, str]]]:
    table: dict[tuple[str, ...], list[dict[str, str]]] = {}
    for row in estimates[1]:
        table.setdefault(_key(row), []).append(row)
    return table


def test_study_runs(run):
    result, out = run

    assert result.exit_code == 0, result.output
    assert (out / "estimates.csv").is_file()


def test_check_accepts_the_study(study):
    result = _run("study", "check", str(study / "study.yaml"))

    assert result.exit_code == 0, result.output


def test_estimates_have_exactly_the_twelve_columns(estimates):
    header, _ = estimates

    assert header == COLUMNS


def test_reference_is_complete_and_shows_each_case():
    suppressed = [r for r in EXPECTED if int(r["n"]) < SUPPRESS_BELOW]
    fragile_by_n = [r for r in EXPECTED if SUPPRESS_BELOW <= int(r["n"]) < FRAGILE_BELOW]
    shown = [r for r in EXPECTED if int(r["n"]) >= SUPPRESS_BELOW]

    assert len(EXPECTED) == 60
    assert len({_key(r) for r in EXPECTED}) == len(EXPECTED)
    assert {r["wave"] for r in suppressed} == {"2024"}
    assert {r["group"] for r in suppressed} == {"4"}
    assert fragile_by_n
    assert any(is_fragile(r) and int(r["n"]) >= FRAGILE_BELOW for r in shown)
    assert all(r[column] for r in shown for column in VALUES)


def is_fragile(row: dict[str, str]) -> bool:
    """The rule: fewer than 30 respondents, or (a share's) interval wider than 0.20."""
    if int(row["n"]) < FRAGILE_BELOW:
        return True
    width = float(row["ci_high"]) - float(row["ci_low"])
    return row["statistic"] in WIDTH_COUNTS_FOR and width > FRAGILE_WIDTH


@pytest.mark.parametrize("expected", EXPECTED, ids=row_id)
def test_estimate_agrees_with_r(by_key, expected):
    found = by_key.get(_key(expected), [])
    assert len(found) == 1, f"{len(found)} rows for {_key(expected)}"
    row = found[0]

    assert row["n"] == str(int(expected["n"]))
    if int(expected["n"]) < SUPPRESS_BELOW:
        assert [row[column] for column in VALUES] == ["", "", "", ""]
    else:
        for column in VALUES:
            wanted = pytest.approx(float(expected[column]), rel=RELATIVE)
            assert float(row[column]) == wanted, column
    assert row["fragile"] == ("true" if is_fragile(expected) else "false")


def test_no_row_beyond_the_reference(estimates):
    """No stray group (« ne sait pas » as a group, an empty segment…) for the reference's items."""
    _, rows = estimates
    expected = {_key(r) for r in EXPECTED}
    estimated = {tuple(r[c] for c in KEY[:4]) for r in EXPECTED}

    stray = [_key(r) for r in rows if _key(r)[:4] in estimated and _key(r) not in expected]

    assert stray == []
