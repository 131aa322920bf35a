"""The whole ``alliance survey estimate`` process at 1M respondents, against Polars alone.

Issue 12's goal is about what a person waits for, not the engine's inner loop: a fresh process
that starts, reads the Parquet file, builds the stratified design, rakes it to four margins and
writes the top-2 share of 20 items overall and by region, with calibration-aware SEs and logit
intervals. The floor is Polars alone in a fresh process, reading the same file and computing the
same 20 weighted shares overall and by region (no design, no SE): the ratio is the price of
everything a survey engine adds. Goals: within 2× of the floor, peak memory under 600 MB.

Each side runs in its own subprocess; its wall time is measured from outside and its peak
resident memory read with ``getrusage(RUSAGE_CHILDREN)`` around it (the best of a few runs, after
one to warm the OS's file cache). Usage: ``python -m benchmarks.process_bench [--runs 3]``.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time

from benchmarks.startup import executable
from benchmarks.survey_bench import prepare
from benchmarks.survey_data import ITEMS

__all__ = ["main"]

SIZE = 1_000_000
#: Issue 12's goals for the whole process.
TIME_GOAL, MEMORY_GOAL_MB = 2.0, 600.0

#: The floor: read the file, then each item's weighted top-2 share overall and by region.
POLARS_JOB = """
import sys
import polars as pl
items = [f"q{i}" for i in range(1, 21)]
frame = pl.read_parquet(sys.argv[1])
def shares(columns):
    return [
        frame.lazy()
        .filter(pl.col(item).is_not_null())
        .group_by(columns)
        .agg(
            (pl.col("base_weight") * pl.col(item).is_in([1, 2])).sum() / pl.col("base_weight").sum()
        )
        for item in items
    ]
overall = [frame.lazy().filter(pl.col(i).is_not_null()).select(
    (pl.col("base_weight") * pl.col(i).is_in([1, 2])).sum() / pl.col("base_weight").sum())
    for i in items]
results = pl.collect_all(overall + shares(["region"]))
print(sum(len(r) for r in results))
"""


def _run(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one subprocess (output discarded)."""
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - start
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _best(command: list[str], runs: int) -> tuple[float, float]:
    """Best wall time of ``runs`` runs after a warm-up, and the peak memory of all of them.

    ``RUSAGE_CHILDREN`` keeps the largest child so far: the alliance runs come first, so the
    peak read after them is theirs; Polars' peak, read after, is at most the larger of both.
    """
    _run(command)
    timings = [_run(command) for _ in range(runs)]
    return min(seconds for seconds, _ in timings), max(peak for _, peak in timings)


def main(argv: list[str] | None = None) -> float:
    """Print both wall times, their ratio and our peak memory; return the ratio."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.process_bench")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", type=int, default=SIZE)
    arguments = parser.parse_args(argv)
    parquet, _, targets = prepare(arguments.size)
    ours = [
        *executable(),
        "survey",
        "estimate",
        str(parquet),
        "--weights",
        "base_weight",
        "--strata",
        "stratum",
        "--psu",
        "psu",
        "--rake",
        str(targets),
        *(argument for item in ITEMS for argument in ("--share", f"{item}=1,2")),
        "--by",
        "region",
        "--format",
        "csv",
    ]
    our_seconds, our_peak = _best(ours, arguments.runs)
    floor_seconds, _ = _best([sys.executable, "-c", POLARS_JOB, str(parquet)], arguments.runs)
    ratio = our_seconds / floor_seconds
    print(
        f"whole process, {arguments.size:,} respondents (read Parquet, rake, 20 shares overall "
        f"and by region, SEs, intervals): alliance {our_seconds:.2f} s, Polars alone "
        f"{floor_seconds:.2f} s: × {ratio:.2f} (goal ≤ {TIME_GOAL:g}: "
        f"{_verdict(ratio <= TIME_GOAL)}); peak memory {our_peak:.0f} MB "
        f"(goal < {MEMORY_GOAL_MB:.0f} MB: {_verdict(our_peak < MEMORY_GOAL_MB)})"
    )
    return ratio


def _verdict(met: bool) -> str:
    return "met" if met else "not met"


if __name__ == "__main__":
    main()
