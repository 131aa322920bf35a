"""Replicate weights at scale: 1,000,000 respondents × 80 replicates, 20 shares by region.

The same job, the top-2 share of 20 items in each of 10 regions, is timed twice on the same
synthetic sample (10 strata, a PSU per 200 respondents): once with linearisation (strata and
PSUs) and once with 80 bootstrap replicate weights built from that design
(``--to-replicates bootstrap:80``). The goal is a replicate job within 10 times the linearised
one: every replicate total is one sparse product with the n × 80 weight matrix, never a loop over
replicates. Building the replicates is timed apart.

Usage: ``python -m benchmarks.replicates_bench [--size 1000000]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import polars as pl

from alliance.survey import Design, share

ITEMS = 20
REPLICATES = 80


def _frame(size: int, seed: int = 12) -> pl.DataFrame:
    generator = np.random.default_rng(seed)
    stratum = generator.integers(0, 10, size)
    columns = {
        "stratum": stratum,
        "psu": stratum * 10_000 + generator.integers(0, size // 2000 + 1, size),
        "weight": generator.uniform(0.5, 3.0, size),
        "region": generator.integers(0, 10, size),
    }
    for item in range(ITEMS):
        columns[f"q{item + 1}"] = generator.integers(1, 5, size)
    return pl.DataFrame(columns)


def _job(design: Design) -> float:
    start = time.perf_counter()
    for item in range(ITEMS):
        share(design, f"q{item + 1}", [1, 2], by="region")
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> float:
    """Print both timings and their ratio; return the ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000)
    size = parser.parse_args(argv).size
    frame = _frame(size)
    linear = Design.from_frame(frame, weights="weight", strata="stratum", psu="psu", nest=True)
    start = time.perf_counter()
    replicated = linear.to_replicates(f"bootstrap:{REPLICATES}", seed=1)
    built = time.perf_counter() - start
    linear_time, replicate_time = _job(linear), _job(replicated)
    ratio = replicate_time / linear_time
    print(
        f"replicates: {size:,} respondents × {REPLICATES} replicates, {ITEMS} shares by region: "
        f"linearised {linear_time:.2f} s, replicates {replicate_time:.2f} s "
        f"(× {ratio:.1f}, goal ≤ 10); building the replicates {built:.2f} s"
    )
    return ratio


if __name__ == "__main__":
    main()
