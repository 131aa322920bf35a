"""Start-up time of the ``alliance`` command: what people wait for before anything is printed.

Each command runs in a fresh subprocess, as a person runs it, and the median wall time of several
runs is reported against the goal. The commands import only what they use (see
``alliance.cli``), so ``--help`` and ``--version`` must not pay for the PDF engine, the charts,
Django or the demo.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

#: What a command may take to start, in seconds (issue 11).
GOAL = 0.3

COMMANDS: list[list[str]] = [["--help"], ["--version"], ["referential", "list"]]


def executable() -> list[str]:
    """The ``alliance`` console script next to this Python, else ``python -m alliance``."""
    script = Path(sys.executable).with_name("alliance")
    return [str(script)] if script.exists() else [sys.executable, "-m", "alliance"]


def wall_time(arguments: list[str]) -> float:
    """Seconds from starting the process to its exit (output discarded)."""
    environment = os.environ | {"COLUMNS": "100"}
    start = time.perf_counter()
    subprocess.run(
        [*executable(), *arguments],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environment,
    )
    return time.perf_counter() - start


def measure(arguments: list[str], runs: int = 7) -> float:
    """Median wall time of ``runs`` runs, after one warm-up run (the OS's file cache)."""
    wall_time(arguments)
    return statistics.median(wall_time(arguments) for _ in range(runs))


def main(argv: list[str] | None = None) -> int:
    """Print each command's median start-up time against the goal (a report: always 0)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.startup")
    parser.add_argument("--runs", type=int, default=7, help="runs per command (median)")
    runs = parser.parse_args(argv).runs
    print(f"{'start-up (median of ' + str(runs) + ' runs)':<40} {'time':>12} {'goal':>12}")
    for arguments in COMMANDS:
        seconds = measure(arguments, runs)
        verdict = "ok" if seconds < GOAL else "slower than the goal"
        name = " ".join(["alliance", *arguments])
        print(f"{name:<40} {seconds * 1e3:>10.0f}ms {GOAL * 1e3:>10.0f}ms  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
