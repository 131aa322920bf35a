"""SIRENE import at 1M establishments: ``alliance territory import-sirene`` against Polars alone.

Issue 16 asks that the import of a 1-million-row SIRENE establishments extract stay within 2× of
Polars reading the same file alone, with a peak memory under 1 GB. The extract is generated once
(``.bench-cache``) with INSEE's full ``StockEtablissement`` header: 600,000 legal units, each with
its head office, and 400,000 secondary establishments; about 1 % of the rows quote a name holding
a comma, as real files do. Like INSEE's stock files, the establishments are in SIRET order and
the legal units in SIREN order. A matching ``StockUniteLegale`` is generated too and imported after,
so the figures also say what a full import of both files costs.

Each side runs in a fresh process: ours is the whole command (start-up, Django set-up, reading,
checks, classification, geography, loading into the database); the floor is ``pl.read_csv`` of the
same file, every column as text. Wall time is measured from outside, the peak resident memory of
that one process with ``os.wait4``. Ours runs on a fresh SQLite file, and on PostgreSQL as well
when ``DATABASE_URL`` is set (in a fresh database made on its server, dropped after); the tables
are made before the clock starts. To say where the
time goes, the reading alone (the core readers' batches, no database) is timed in a process too.

Usage: ``python -m benchmarks.registry_import [--rows 1000000]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from alliance.territory.geography import geography
from alliance.territory.sirene import STOCK_ETABLISSEMENT, STOCK_UNITE_LEGALE
from benchmarks.live_site import create_database, drop_database
from benchmarks.startup import executable

__all__ = ["main", "prepare"]

CACHE = Path(__file__).resolve().parent.parent / ".bench-cache"
ROWS = 1_000_000
#: Bumped when the generated files change, so that a cached older extract is not measured.
EDITION = 2
#: Issue 16's goals.
TIME_GOAL, MEMORY_GOAL_MB = 2.0, 1024.0

POLARS_JOB = """
import sys
import polars as pl
print(pl.read_csv(sys.argv[1], infer_schema=False).height)
"""
READ_JOB = """
import sys
from pathlib import Path
from alliance.territory.registry_files import FileSummary
from alliance.territory.sirene import read_sirene
summary = FileSummary("f")
print(sum(batch.frame.height for batch in read_sirene(Path(sys.argv[1]), summary)))
"""
EMPTY_JOB = """
from alliance.web.server import migrate, setup
setup()
migrate()
"""


def _sirens(count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` distinct 9-digit SIRENs passing the Luhn check, as text."""
    base = rng.choice(np.arange(10_000_000, 99_999_999), size=count, replace=False)
    digits = np.stack([(base // 10 ** (7 - i)) % 10 for i in range(8)], axis=1)
    doubled = digits[:, 1::2] * 2
    total = digits[:, 0::2].sum(axis=1) + (doubled - 9 * (doubled > 9)).sum(axis=1)
    check = (10 - total % 10) % 10
    return np.char.add(base.astype(str), check.astype(str))


def prepare(rows: int = ROWS) -> tuple[Path, Path]:
    """Write (once) the establishments extract and its legal units; return both paths."""
    CACHE.mkdir(exist_ok=True)
    establishments = CACHE / f"StockEtablissement_utf8-{rows}-{EDITION}.csv"
    units = CACHE / f"StockUniteLegale_utf8-{rows}-{EDITION}.csv"
    if establishments.exists() and units.exists():
        return establishments, units
    rng = np.random.default_rng(16)
    unit_count = rows * 3 // 5
    sirens = _sirens(unit_count, rng)
    current = geography().communes.items()
    communes = np.array([code for code, place in current if place.type == "commune-actuelle"])
    owner = np.concatenate([np.arange(unit_count), rng.integers(0, unit_count, rows - unit_count)])
    head = np.arange(rows) < unit_count
    nic = np.where(head, 14, rng.integers(22, 99_999, rows)).astype(str)
    siren = sirens[owner]
    names = np.where(
        rng.random(rows) < 0.01, "BOULANGERIE DUPONT, FILS ET CIE (FICTIVE)", "ENSEIGNE FICTIVE"
    )
    stamp = "2025-10-31T12:00:00"
    filled: dict[str, str | np.ndarray] = {
        "siren": siren,
        "nic": np.char.zfill(nic, 5),
        "statutDiffusionEtablissement": "O",
        "dateCreationEtablissement": "2001-01-15",
        "trancheEffectifsEtablissement": rng.choice(["NN", "00", "01", "11", "21"], rows),
        "dateDernierTraitementEtablissement": stamp,
        "etablissementSiege": np.where(head, "true", "false"),
        "nombrePeriodesEtablissement": "1",
        "libelleVoieEtablissement": "RUE DE LA DEMONSTRATION",
        "codeCommuneEtablissement": rng.choice(communes, rows),
        "dateDebut": "2020-01-01",
        "etatAdministratifEtablissement": rng.choice(["A", "F"], rows, p=[0.7, 0.3]),
        "denominationUsuelleEtablissement": names,
        "activitePrincipaleEtablissement": "10.71C",
        "nomenclatureActivitePrincipaleEtablissement": "NAFRev2",
        "caractereEmployeurEtablissement": "N",
    }
    frame = pl.DataFrame(
        {name: _column(filled.get(name, ""), rows) for name in STOCK_ETABLISSEMENT}
    ).with_columns(siret=pl.col("siren") + pl.col("nic"))
    frame.sort("siret").write_csv(establishments)
    categories = rng.choice(["5499", "5710", "1000", "9220", "7210", "9300"], unit_count)
    unit_filled: dict[str, str | np.ndarray] = {
        "siren": sirens,
        "statutDiffusionUniteLegale": "O",
        "dateCreationUniteLegale": "2001-01-15",
        "trancheEffectifsUniteLegale": rng.choice(["NN", "00", "01", "11", "32", "53"], unit_count),
        "dateDernierTraitementUniteLegale": stamp,
        "categorieEntreprise": rng.choice(["PME", "ETI", "GE", ""], unit_count),
        "etatAdministratifUniteLegale": rng.choice(["A", "C"], unit_count, p=[0.7, 0.3]),
        "denominationUniteLegale": "UNITE LEGALE FICTIVE",
        "categorieJuridiqueUniteLegale": categories,
        "activitePrincipaleUniteLegale": "10.71C",
        "nomenclatureActivitePrincipaleUniteLegale": "NAFRev2",
        "nicSiegeUniteLegale": "00014",
        "economieSocialeSolidaireUniteLegale": rng.choice(["O", "N"], unit_count),
    }
    pl.DataFrame(
        {name: _column(unit_filled.get(name, ""), unit_count) for name in STOCK_UNITE_LEGALE}
    ).sort("siren").write_csv(units)
    return establishments, units


def _column(values: str | np.ndarray, rows: int) -> pl.Series:
    """A text column; empty ones are null, so that Polars writes them unquoted, as INSEE does."""
    if isinstance(values, str) and not values:
        return pl.Series([None], dtype=pl.String).extend_constant(None, rows - 1)
    if isinstance(values, str):
        return pl.Series([values], dtype=pl.String).extend_constant(values, rows - 1)
    return pl.Series(values, dtype=pl.String)


@dataclass(frozen=True)
class Measure:
    """One process: wall seconds, CPU seconds (user + system, all threads), peak resident MB."""

    seconds: float
    cpu: float
    peak: float


def _run(command: list[str], env: dict[str, str]) -> Measure:
    """Measure one process (its output discarded)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    errors = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command[:4])}… failed: {errors[-2000:]}")
    return Measure(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def _verdict(met: bool) -> str:
    return "met" if met else "not met"


def main(argv: list[str] | None = None) -> float:
    """Print the import's time against Polars', the ratio and the peak memory; return the ratio."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.registry_import")
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--prepare-only", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.prepare_only:
        prepare(arguments.rows)
        return 0.0
    # Written by a child process: a process started from a big one inherits its peak memory.
    command = [sys.executable, "-m", "benchmarks.registry_import", "--prepare-only"]
    subprocess.run([*command, "--rows", str(arguments.rows)], check=True)
    establishments, units = prepare(arguments.rows)
    base = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    _run([sys.executable, "-c", POLARS_JOB, str(establishments)], base)  # warm the file cache
    floor = _run([sys.executable, "-c", POLARS_JOB, str(establishments)], base)
    reading = _run([sys.executable, "-c", READ_JOB, str(establishments)], base)
    size = f"{arguments.rows:,} establishments ({establishments.stat().st_size / 1e6:.0f} MB)"
    print(
        f"SIRENE import, {size}: Polars read_csv alone {floor.seconds:.2f} s (CPU "
        f"{floor.cpu:.2f} s, peak {floor.peak:.0f} MB); our reading, checks, classification and "
        f"geography alone {reading.seconds:.2f} s (× {reading.seconds / floor.seconds:.2f}; CPU "
        f"{reading.cpu:.2f} s, × {reading.cpu / floor.cpu:.2f}; peak {reading.peak:.0f} MB)"
    )
    databases: list[tuple[str, str | None]] = [("SQLite", None)]
    if os.environ.get("DATABASE_URL"):
        databases.append(("PostgreSQL", os.environ["DATABASE_URL"]))
    ratio = 0.0
    for label, url in databases:
        database = create_database(url) if url else None
        with tempfile.TemporaryDirectory() as folder:
            env = {**base, "ALLIANCE_DATA_DIR": folder}
            if database:
                env["DATABASE_URL"] = database
            try:
                _run([sys.executable, "-c", EMPTY_JOB], env)  # tables made before the clock
                command = [*executable(), "territory", "import-sirene", "--format", "json"]
                ours = _run([*command, str(establishments)], env)
                unit = _run([*command, str(units)], env)
            finally:
                if url and database:
                    drop_database(url, database)
        times = ours.seconds / floor.seconds
        ratio = max(ratio, times)
        print(
            f"  alliance territory import-sirene on {label}: {ours.seconds:.2f} s, × {times:.2f} "
            f"Polars (goal ≤ {TIME_GOAL:g}: {_verdict(times <= TIME_GOAL)}; CPU {ours.cpu:.2f} s, "
            f"the database server's not counted), peak memory {ours.peak:.0f} MB (goal < "
            f"{MEMORY_GOAL_MB:.0f} MB: {_verdict(ours.peak < MEMORY_GOAL_MB)}); then the matching "
            f"StockUniteLegale ({arguments.rows * 3 // 5:,} units) {unit.seconds:.2f} s, peak "
            f"{unit.peak:.0f} MB"
        )
    return ratio


if __name__ == "__main__":
    main()
