"""Readers do not wait while a study runs: page latency with and without a run in the background.

Issue 14 asks that analysts' long work (a study run: reading, weighting, charts, the notebook's
PDF) never holds up the other users. The site runs as in production (Granian, 2 workers ×
8 threads) with one ``alliance worker`` beside it, on a throw-away SQLite database. The demo study
(5 populations × 2 waves) is stored in the workspace; 20 simulated readers loop over public pages,
first for a few seconds with nothing else going on, then while the analyst's run is under way
(started by ``POST /api/studies/{study}/runs``, followed by ``GET /api/runs/{id}``). Prints both
p50 / p95 latencies, their ratio, errors and the run's duration; goal: p95 during the run within
2× of p95 at rest, and no error. Usage: ``python -m benchmarks.workspace_load``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from benchmarks.live_site import Site, call

__all__ = ["main"]

READERS = 20
PAGES = ["/", "/referential/", "/referential/objectives/", "/examples/", "/results/"]
GOAL = 2.0

#: Run in the site's environment: the demo study stored in the workspace, an analyst's token.
SEED = """
import io, json, shutil, tempfile
from pathlib import Path
from alliance.web.server import setup
setup()
from alliance.demo.delivery import deliver_study
from alliance.web.accounts.models import ApiToken, User
from alliance.web.studies.workspace import create_from_archive
folder = Path(tempfile.mkdtemp())
deliver_study(folder / "study")
archive = shutil.make_archive(str(folder / "study"), "zip", folder / "study")
analyst = User.objects.create_user("analyste@bench.invalid", None, role=User.Role.ANALYST)
with open(archive, "rb") as file:
    study = create_from_archive(analyst, file)
print(json.dumps({"study": study.code, "token": ApiToken.issue(analyst)}))
"""


def _reader(base: str, until: float, offset: int) -> tuple[list[float], int]:
    """One reader's loop over the public pages: latencies (seconds) and errors."""
    latencies, errors, step = [], 0, offset
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(base + PAGES[step % len(PAGES)], timeout=30) as answer:
                answer.read()
                errors += answer.status != 200
        except OSError:
            errors += 1
        latencies.append(time.perf_counter() - started)
        step += 1
    return latencies, errors


def _load(
    base: str, seconds: float | None, busy: Callable[[], bool] | None = None
) -> tuple[list[float], int]:
    """Run the readers for ``seconds``, or while ``busy()`` says the run goes on."""
    latencies: list[float] = []
    errors = 0
    with ThreadPoolExecutor(READERS) as pool:
        while True:
            reader = partial(_reader, base, time.monotonic() + (seconds or 2.0))
            for found, failed in pool.map(reader, range(READERS)):
                latencies += found
                errors += failed
            if seconds is not None or busy is None or not busy():
                return latencies, errors


def _percentiles(latencies: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(latencies, n=100)
    return cuts[49] * 1000, cuts[94] * 1000


def main(argv: list[str] | None = None) -> float:
    """Print latencies at rest and during a run; return the ratio of their p95."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.workspace_load")
    parser.add_argument("--seconds", type=float, default=8.0, help="the load at rest")
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch, Site(Path(scratch), organisations=2) as site:
        seeded = subprocess.run(
            [sys.executable, "-c", SEED], env=site.env, check=True, capture_output=True, text=True
        )
        study, token = json.loads(seeded.stdout.splitlines()[-1]).values()
        log = (Path(scratch) / "worker.log").open("ab")
        worker = subprocess.Popen(
            [sys.executable, "-m", "alliance", "worker"], env=site.env, stdout=log, stderr=log
        )
        try:
            _load(site.base, 2.0)  # warm-up: templates compiled, caches filled, not measured
            rest = _load(site.base, arguments.seconds)
            status, body = call(site.base, "POST", f"/api/studies/{study}/runs", token)
            if status != 202:
                raise RuntimeError(f"the run was not queued: {status} {body[:200]!r}")
            job = json.loads(body)["id"]
            started = time.monotonic()
            state = {"status": "queued"}

            def busy() -> bool:
                answer = call(site.base, "GET", f"/api/runs/{job}", token)[1]
                state.update(json.loads(answer))
                return state["status"] in ("queued", "running")

            during = _load(site.base, None, busy)
            duration = time.monotonic() - started
        finally:
            worker.terminate()
            worker.wait(timeout=60)
            log.close()
    (rest_50, rest_95), (run_50, run_95) = _percentiles(rest[0]), _percentiles(during[0])
    ratio = run_95 / rest_95
    print(f"{READERS} readers on public pages, one study run in the background (worker beside)")
    print(f"  at rest:        p50 {rest_50:7.1f} ms  p95 {rest_95:7.1f} ms  errors {rest[1]}")
    print(f"  during the run: p50 {run_50:7.1f} ms  p95 {run_95:7.1f} ms  errors {during[1]}")
    met = "met" if ratio <= GOAL and not rest[1] + during[1] else "not met"
    outcome = f"run {state['status']} in {duration:.1f} s; p95 ratio {ratio:.2f}×"
    print(f"  {outcome} (goal ≤ {GOAL}×: {met})")
    return ratio


if __name__ == "__main__":
    main()
