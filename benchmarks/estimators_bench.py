"""Issue 12's estimators at 1,000,000 respondents, each against R's ``survey`` on the same job.

The survey of :mod:`benchmarks.survey_data` (10 strata, a PSU per 200 respondents) gets three
more columns, drawn once: ``income`` (log-normal, depends on the PSU and age), ``employees``
(a count) and ``top`` (1 when q1 is 1 or 2). Each job is timed on its own, the design being built
once beforehand (its time is printed too); reading the file is excluded. Jobs:

- ``quantile``: quartiles and median of income (``svyquantile(ci = TRUE)``), overall and by the 13
  regions (``svyby``);
- ``ratio``: income / employees (``svyratio``), overall and by region;
- ``count``: count of each age group (``svytotal(~factor(age))``), overall and by region;
- ``by two columns``: mean income by sex and region, 26 domains (``svyby(~income, ~sex+region)``);
- ``deff``: mean income with R's ``deff = TRUE``, overall and by region;
- ``calibrate``: linear calibration to sex, age and region and the total of employees
  (``calibrate``), then the mean income with its calibration-aware SE;
- ``glm``: ``income ~ age + sex + employees`` (gaussian) and ``top ~ age + sex + employees``
  (binomial), ``svyglm`` with ``summary()``.

Usage: ``python -m benchmarks.estimators_bench [--size 1000000] [--repeat 5] [--no-r]``. R runs
when ``Rscript`` and its ``survey`` package are installed (``benchmarks/peers/estimators_job.R``);
``--repeat`` keeps our best time of several runs, on a machine shared with other work.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl

from alliance.survey import (
    Design,
    calibrate,
    count,
    glm,
    mean,
    quantile,
    ratio,
)
from alliance.survey.distributions import preload
from benchmarks.survey_bench import CACHE, PEERS, _r_available
from benchmarks.survey_data import margins, synthetic_survey

__all__ = ["JOBS", "main", "prepare"]

SIZE = 1_000_000
BUDGET_SECONDS = 1800.0


def prepare(n: int) -> tuple[Path, Path, Path]:
    """Write (once) the survey with its extra columns as Parquet and CSV, and the targets."""
    CACHE.mkdir(exist_ok=True)
    parquet, csv, targets = (
        CACHE / f"estimators-{n}.parquet",
        CACHE / f"estimators-{n}.csv",
        CACHE / "estimators-targets.json",
    )
    if not parquet.exists():
        frame = synthetic_survey(n)
        rng = np.random.default_rng(23)
        psu = frame["psu"].to_numpy()
        psu_effect = rng.normal(0, 0.2, int(psu.max()) + 1)[psu]
        older = frame["age"].is_in(["45-54", "55-64", "65+"]).to_numpy()
        income = np.exp(10 + psu_effect + 0.3 * older + rng.normal(0, 0.5, n))
        frame = frame.with_columns(
            income=pl.Series(np.round(income, 2)),
            employees=pl.Series(rng.poisson(12, n) + 1, dtype=pl.Float64),
            top=pl.col("q1").is_in([1, 2]).fill_null(False).cast(pl.Float64),
        )
        frame.write_parquet(parquet)
        frame.write_csv(csv)
    wanted: dict[str, object] = dict(margins())
    wanted.pop("size")
    wanted["employees"] = 13.0 * 50_000_000
    wanted["population_total"] = 50_000_000
    targets.write_text(json.dumps(wanted), encoding="utf-8")
    return parquet, csv, targets


def _calibrated(design: Design, targets: dict[str, object]) -> None:
    categories = {k: v for k, v in targets.items() if isinstance(v, dict)}
    calibrated, _ = calibrate(
        design,
        categories,
        {"employees": float(targets["employees"])},  # type: ignore[arg-type]
        population_total=float(targets["population_total"]),  # type: ignore[arg-type]
    )
    mean(calibrated, "income")


JOBS: dict[str, Callable[[Design, dict[str, object]], object]] = {
    "quantile": lambda d, _: [
        quantile(d, "income", [0.25, 0.5, 0.75], by=by) for by in (None, "region")
    ],
    "ratio": lambda d, _: [ratio(d, "income", "employees", by=by) for by in (None, "region")],
    "count": lambda d, _: [count(d, "age", by=by) for by in (None, "region")],
    "by two columns": lambda d, _: mean(d, "income", by=["sex", "region"]),
    "deff": lambda d, _: [
        [e.deff_srswor for e in mean(d, "income", by=by)] for by in (None, "region")
    ],
    "calibrate": _calibrated,
    "glm": lambda d, _: [
        glm(d, "income ~ age + sex + employees", family="gaussian"),
        glm(d, "top ~ age + sex + employees", family="binomial"),
    ],
}


def run_ours(data: Path, targets_path: Path, repeat: int = 1) -> dict[str, float]:
    """Time the design, then each job, on the data; return seconds by job, best of ``repeat``.

    Each repetition builds a new design, so every job pays what it pays in a single run (its
    columns coded, its answers sorted); the best time is the least disturbed by other work on
    the machine.
    """
    frame = pl.read_parquet(data)
    targets = json.loads(targets_path.read_text(encoding="utf-8"))
    preload().join()  # SciPy's special functions, imported on first use: not timed, as imports
    seconds: dict[str, float] = {}
    for _ in range(repeat):
        start = time.perf_counter()
        design = Design.from_frame(frame, weights="base_weight", strata="stratum", psu="psu")
        timings = {"design": time.perf_counter() - start}
        for name, job in JOBS.items():
            start = time.perf_counter()
            job(design, targets)
            timings[name] = time.perf_counter() - start
        seconds = {name: min(t, seconds.get(name, t)) for name, t in timings.items()}
    return seconds


def _run_r(csv: Path, targets: Path) -> dict[str, float] | str:
    command = ["Rscript", str(PEERS / "estimators_job.R"), str(csv), str(targets)]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=BUDGET_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        return f"timed out after {BUDGET_SECONDS:.0f} s"
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        return f"failed: {(done.stderr.strip().splitlines() or ['no output'])[-1][:90]}"
    result: dict[str, float] = json.loads(lines[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    """Print, for each estimator's job, our time, R's and the ratio."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.estimators_bench")
    parser.add_argument("--size", type=int, default=SIZE)
    parser.add_argument("--no-r", action="store_true", help="time our engine only")
    parser.add_argument(
        "--repeat", type=int, default=1, help="best of this many runs of our jobs (R runs once)"
    )
    arguments = parser.parse_args(argv)
    parquet, csv, targets = prepare(arguments.size)
    ours = run_ours(parquet, targets, max(arguments.repeat, 1))
    theirs: dict[str, float] | str = "not installed (Rscript with the survey package)"
    if arguments.no_r:
        theirs = "not run (--no-r)"
    elif _r_available():
        theirs = _run_r(csv, targets)
    print(f"issue 12's estimators at {arguments.size:,} respondents (reading excluded)")
    print(f"{'job':<16} {'alliance':>10} {'R survey':>10} {'ours is':>10}")
    for name, seconds in ours.items():
        if isinstance(theirs, str):
            print(f"{name:<16} {seconds:>9.2f}s {'':>10} {'':>10}")
            continue
        r = theirs.get(name, float("nan"))
        print(f"{name:<16} {seconds:>9.2f}s {r:>9.2f}s {r / seconds:>8.0f}x faster")
    if isinstance(theirs, str):
        print(f"R survey: {theirs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
