"""Survey engine benchmark, against R's ``survey``, samplics and svy on the same job.

The job, on synthetic surveys of 10k, 100k and 1M respondents (strata, PSUs, 20 Likert items):
rake to sex, age, region and commune-size margins, then the top-2 share (« fort + très fort ») of
every item, overall and by region, with its calibration-aware standard error and logit interval.
Reading the file is excluded from the time; peak memory is the process's maximum resident size.

Each engine runs in its own process: ours here, samplics and svy in the peers' virtual environment
(``make bench`` creates it in ``.venv-peers``; ``ALLIANCE_BENCH_PEERS`` names another Python), R
when ``Rscript`` and its ``survey`` package are installed, at the sizes where it is expected to
finish within 10 minutes. Usage: ``python -m benchmarks.survey_bench [--sizes 10000,100000]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

from alliance.survey import Design, rake, share
from alliance.survey.distributions import preload
from benchmarks.survey_data import ITEMS, margins, synthetic_survey

SIZES = (10_000, 100_000, 1_000_000)
CACHE = Path(__file__).resolve().parent.parent / ".bench-cache"
PEERS = Path(__file__).resolve().parent / "peers"
BUDGET_SECONDS = 600.0


def prepare(n: int) -> tuple[Path, Path, Path]:
    """Write (once) the survey as Parquet and CSV, and its margins; return their paths."""
    CACHE.mkdir(exist_ok=True)
    parquet, csv, targets = (
        CACHE / f"survey-{n}.parquet",
        CACHE / f"survey-{n}.csv",
        CACHE / "margins.json",
    )
    if not parquet.exists():
        frame = synthetic_survey(n)
        frame.write_parquet(parquet)
        frame.write_csv(csv)
    targets.write_text(json.dumps(margins()), encoding="utf-8")
    rows = [(v, level, p) for v, shares in margins().items() for level, p in shares.items()]
    pl.DataFrame(rows, schema=["variable", "level", "share"], orient="row").write_csv(
        CACHE / "margins.csv"
    )
    return parquet, csv, targets


def our_job(frame: pl.DataFrame, targets: dict[str, dict[str, float]]) -> None:
    """Rake, then every item's top-2 share overall and by region, with logit intervals."""
    design = Design.from_frame(frame, weights="base_weight", strata="stratum", psu="psu")
    raked, _ = rake(design, targets)
    for item in ITEMS:
        for estimate in share(raked, item, [1, 2]) + share(raked, item, [1, 2], by="region"):
            estimate.ci("logit")


def run_ours(data: Path, targets: Path) -> None:
    """Engine entry point: time our job on a file and print one JSON line."""
    frame = pl.read_parquet(data)
    wanted = json.loads(targets.read_text(encoding="utf-8"))
    preload().join()  # SciPy's special functions, imported on first use: not timed, as imports
    start = time.perf_counter()
    our_job(frame, wanted)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak}))


def _measure(command: list[str]) -> dict[str, float] | str:
    """Run one engine; return its JSON result, or why it gave none."""
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=BUDGET_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        return f"timed out after {BUDGET_SECONDS:.0f} s"
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return f"failed: {last[:90]}"
    result: dict[str, float] = json.loads(lines[-1])
    return result


def _peers_python() -> str | None:
    configured = os.environ.get("ALLIANCE_BENCH_PEERS")
    default = Path(__file__).resolve().parent.parent / ".venv-peers" / "bin" / "python"
    if configured:
        return configured
    return str(default) if default.exists() else None


def _r_available() -> bool:
    if shutil.which("Rscript") is None:
        return False
    check = subprocess.run(["Rscript", "-e", "library(survey)"], capture_output=True, check=False)
    return check.returncode == 0


def main(argv: list[str] | None = None) -> int:
    """Run the job with every available engine at every size; print times, memory and ratios."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.survey_bench")
    parser.add_argument("--sizes", default=",".join(str(n) for n in SIZES))
    parser.add_argument("--engine", nargs=3, metavar=("ENGINE", "DATA", "MARGINS"))
    arguments = parser.parse_args(argv)
    if arguments.engine:
        run_ours(Path(arguments.engine[1]), Path(arguments.engine[2]))
        return 0
    peers, has_r = _peers_python(), _r_available()
    print("survey job: rake (4 margins) + top-2 share of 20 items, overall and by 13 regions,")
    print("with calibration-aware SEs and logit intervals; reading the file excluded")
    print(f"{'respondents':>12} {'engine':<14} {'seconds':>9} {'peak MB':>9} {'ours is':>10}")
    r_seconds: float | None = None
    previous_size = 0
    for n in (int(size) for size in arguments.sizes.split(",")):
        parquet, csv, targets = prepare(n)
        engines: list[tuple[str, list[str] | str]] = [
            ("alliance", [sys.executable, "-m", "benchmarks.survey_bench", "--engine", "ours",
                          str(parquet), str(targets)]),
        ]  # fmt: skip
        for name in ("samplics", "svy"):
            script = str(PEERS / f"{name}_job.py")
            engines.append((name, [peers, script, str(parquet), str(targets)] if peers else
                            "not installed (make bench installs it in .venv-peers)"))  # fmt: skip
        if not has_r:
            engines.append(("R survey", "not installed (Rscript with the survey package)"))
        elif r_seconds is not None and r_seconds * n / previous_size > BUDGET_SECONDS:
            predicted = r_seconds * n / previous_size
            engines.append(("R survey", f"skipped: about {predicted:.0f} s expected"))
        else:
            engines.append(("R survey", ["Rscript", str(PEERS / "survey_job.R"), str(csv),
                                         str(CACHE / "margins.csv")]))  # fmt: skip
        ours: float | None = None
        for name, command in engines:
            outcome = command if isinstance(command, str) else _measure(command)
            if isinstance(outcome, str):
                print(f"{n:>12,} {name:<14} {outcome}")
                if name == "R survey":
                    r_seconds = None if "skipped" not in outcome else r_seconds
                continue
            seconds, peak = outcome["seconds"], outcome["peak_mb"]
            ours = seconds if name == "alliance" else ours
            ratio = f"{seconds / ours:>8.1f}x" if ours and name != "alliance" else ""
            print(f"{n:>12,} {name:<14} {seconds:>9.3f} {peak:>9.0f} {ratio:>10} faster")
            if name == "R survey":
                r_seconds, previous_size = seconds, n
    return 0


if __name__ == "__main__":
    sys.exit(main())
