"""Load benchmark of the web platform: 50 concurrent users on catalogue searches and result pages.

The site runs as in production (Granian, 2 workers × 8 threads, WhiteNoise) on a fresh SQLite
database holding the demo content. Each simulated user loops over a catalogue search (varying
words and facets) and a results page, for ``--seconds``. Prints p50 / p95 latency and errors;
goal: p95 < 200 ms with zero errors on 2 cores. Usage: ``python -m benchmarks.web_load``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

USERS = 50
PORT = 8799
PATHS = [
    "/examples/?q=mecenat", "/results/impact-demo/public/", "/examples/?q=insertion&region=NAQ",
    "/results/impact-demo/elected-officials/", "/examples/?category=innovation_societale",
    "/results/impact-demo/companies/",
    "/examples/?q=ecoles", "/results/impact-demo/public/?view=segments",
]  # fmt: skip


def prepare(data: Path) -> dict[str, str]:
    """Create the database with the demo content; return the server's environment."""
    env = os.environ | {"ALLIANCE_DATA_DIR": str(data)}
    env.pop("DATABASE_URL", None)
    script = (
        "from pathlib import Path; from alliance.demo import run_demo;"
        f"out = run_demo(Path({str(data / 'demo')!r}));"
        "from alliance.cli.study import publish_folder;"
        "publish_folder(out.folder, source='bench');"
        "from alliance.web.demo_content import load_demo_content; load_demo_content()"
    )
    subprocess.run([sys.executable, "-c", script], env=env, check=True)
    return env


def user(base: str, deadline: float, offset: int) -> tuple[list[float], int]:
    """One user's loop: latencies (seconds) and errors."""
    latencies, errors, step = [], 0, offset
    while time.perf_counter() < deadline:
        url = base + PATHS[step % len(PATHS)]
        step += 1
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                response.read()
                if response.status != 200:
                    errors += 1
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            errors += 1
            continue
        latencies.append(time.perf_counter() - start)
    return latencies, errors


def main(argv: list[str] | None = None) -> int:
    """Start the server, warm it up, run the users, print the percentiles."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.web_load")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--users", type=int, default=USERS)
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        env = prepare(Path(folder))
        from alliance.web.server import server_command

        server = subprocess.Popen(
            server_command("127.0.0.1", PORT), env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{PORT}"
        try:
            for _ in range(100):  # wait for the server, then render each page once
                try:
                    urllib.request.urlopen(base + "/", timeout=10).read()
                    break
                except OSError:  # not listening yet
                    time.sleep(0.2)
            for path in PATHS:
                for _ in range(4):
                    urllib.request.urlopen(base + path, timeout=30).read()
            deadline = time.perf_counter() + arguments.seconds
            with ThreadPoolExecutor(arguments.users) as pool:
                runs = list(pool.map(lambda i: user(base, deadline, i), range(arguments.users)))
        finally:
            server.terminate()
            server.wait(timeout=10)
    latencies = sorted(x for run, _ in runs for x in run)
    errors = sum(e for _, e in runs)
    p50 = statistics.median(latencies) * 1000
    p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000
    print(f"web load: {arguments.users} users, {arguments.seconds:.0f} s, Granian 2 × 8 threads")
    verdict = "met" if p95 < 200 and errors == 0 else "NOT met"
    print(
        f"requests {len(latencies)}, errors {errors}, p50 {p50:.0f} ms, p95 {p95:.0f} ms "
        f"(goal p95 < 200 ms, zero errors: {verdict})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
