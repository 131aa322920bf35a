"""Reliability under load: 50 and 200 clients mixing reads, writes, evaluations and PDF reports.

The site runs as ``alliance serve`` runs it (Granian, 2 workers × 8 threads) on a fresh database:
SQLite, and PostgreSQL too when ``DATABASE_URL`` is set. Each client is one organisation's owner
holding one keep-alive connection, looping for ``--seconds`` over a mix: 55 % reads (diagnostic,
partnerships, evaluations, a referential page), 20 % diagnostic drafts (PATCH), 20 % evaluations
(POST), 5 % diagnostic PDF reports. Printed per run: requests, errors (goal 0: a 5xx other than a
PDF refused by the render bound, an unexpected status, or a request dropped without a response),
PDFs refused with 503 + Retry-After (by design, see ``alliance.web.rendering``), p50 and p95.
Before, on SQLite: pages timed while 64 slow clients trickle their headers. Then the ``kill -9``
check (:mod:`benchmarks.kill_test`) and the erasure races (:mod:`benchmarks.races`). Usage:
``python -m benchmarks.reliability [--clients 50 200] [--seconds 20]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import kill_test, races
from benchmarks.live_site import ANSWERS, SCORES, Organisation, Site, call

__all__ = ["main"]

#: (kind, weight) of each operation in the mix.
MIX = [("read", 55), ("diagnostic", 20), ("evaluation", 20), ("pdf", 5)]


@dataclass
class Tally:
    """What one client saw: latencies per kind, statuses, errors and refused PDFs."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    shed: int = 0


def _request(organisation: Organisation, kind: str, step: int) -> tuple[str, str, bytes | None]:
    if kind == "diagnostic":
        body = {"answers": ANSWERS | {"skills": 1 + step % 5}}
        return (
            "PATCH",
            f"/api/organisations/{organisation.pk}/diagnostic",
            json.dumps(body).encode(),
        )
    if kind == "evaluation":
        evaluation = {"scores": SCORES, "organisation": organisation.pk}
        path = f"/api/partnerships/{organisation.partnership}/evaluations"
        return "POST", path, json.dumps(evaluation).encode()
    if kind == "pdf":
        return "GET", f"/api/organisations/{organisation.pk}/diagnostic/report.pdf", None
    reads = [
        f"/api/organisations/{organisation.pk}/diagnostic",
        f"/api/organisations/{organisation.pk}/partnerships",
        f"/api/partnerships/{organisation.partnership}/evaluations",
        "/referential/",
    ]
    return "GET", reads[step % len(reads)], None


def client(port: int, organisation: Organisation, deadline: float, seed: int) -> Tally:
    """One client on one keep-alive connection (a new one only after the server closed it)."""
    tally, chooser = Tally(), random.Random(seed)
    kinds, weights = zip(*MIX, strict=True)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {organisation.token}", "Content-Type": "application/json"}
    step = 0
    while time.perf_counter() < deadline:
        kind = chooser.choices(kinds, weights)[0]
        method, path, body = _request(organisation, kind, step)
        step += 1
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            tally.errors["dropped"] += 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        elapsed = time.perf_counter() - started
        if kind == "pdf" and response.status == 503 and response.getheader("Retry-After"):
            tally.shed += 1
        elif response.status not in (200, 201):
            tally.errors[str(response.status)] += 1
        else:
            tally.latencies.setdefault(kind, []).append(elapsed)
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.close()
    return tally


def percentile(values: list[float], share: float) -> float:
    """The ``share`` percentile of ``values`` (milliseconds), nearest rank."""
    ordered = sorted(values)
    return ordered[int(share * (len(ordered) - 1))] * 1000 if ordered else float("nan")


def run(site: Site, clients: int, seconds: float) -> str:
    """Run ``clients`` concurrent clients for ``seconds``; return the result line."""
    organisations = site.seeded[:clients]
    tallies: list[Tally] = [Tally() for _ in organisations]
    deadline = time.perf_counter() + seconds

    def work(index: int) -> None:
        tallies[index] = client(site.port, organisations[index], deadline, index)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(organisations))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [x for t in tallies for kind in t.latencies.values() for x in kind]
    by_kind = {kind: [x for t in tallies for x in t.latencies.get(kind, [])] for kind, _ in MIX}
    errors = sum((t.errors for t in tallies), Counter[str]())
    shed = sum(t.shed for t in tallies)
    kinds = ", ".join(f"{k} {percentile(v, 0.95):.0f}" for k, v in by_kind.items())
    return (
        f"{clients:>4} clients: {len(every) + sum(errors.values()) + shed} requests, "
        f"errors {sum(errors.values())} {dict(errors) or ''}, PDFs refused 503 {shed}, "
        f"p50 {statistics.median(every) * 1000:.0f} ms, p95 {percentile(every, 0.95):.0f} ms "
        f"(p95 by kind, ms: {kinds})"
    )


def slow_clients(site: Site, count: int = 64, seconds: float = 8.0) -> str:
    """Open ``count`` connections trickling a header every 2 s; time pages meanwhile."""
    for _ in range(10):  # every worker has loaded the page's code and data once
        call(site.base, "GET", "/referential/")
    stop = threading.Event()

    def trickle() -> None:
        with socket.create_connection(("127.0.0.1", site.port)) as connection:
            connection.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
            index = 0
            while not stop.wait(2):
                try:
                    connection.sendall(f"X-Slow-{index}: yes\r\n".encode())
                except OSError:
                    return
                index += 1

    threads = [threading.Thread(target=trickle) for _ in range(count)]
    for thread in threads:
        thread.start()
    time.sleep(1)
    timings, failures = [], 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        status, _ = call(site.base, "GET", "/referential/", timeout=30)
        timings.append(time.perf_counter() - started)
        failures += status != 200
    stop.set()
    for thread in threads:
        thread.join()
    return (
        f"{count} slow clients (a header every 2 s): {len(timings)} pages meanwhile, "
        f"{failures} failed, p95 {percentile(timings, 0.95):.0f} ms, "
        f"max {max(timings) * 1000:.0f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the load on each database, then the kill -9 check; print the figures."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reliability")
    parser.add_argument("--clients", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--seconds", type=float, default=20.0)
    arguments = parser.parse_args(argv)
    databases = {"SQLite": None, "PostgreSQL": os.environ.get("DATABASE_URL")}
    for label, url in databases.items():
        if label == "PostgreSQL" and not url:
            print("reliability: PostgreSQL skipped (DATABASE_URL is not set)")
            continue
        with tempfile.TemporaryDirectory() as folder:
            site = Site(Path(folder), organisations=max(arguments.clients), database_url=url)
            with site:
                print(f"reliability on {label} (Granian 2 workers × 8 threads):")
                if label == "SQLite":
                    print(slow_clients(site), flush=True)
                for clients in arguments.clients:
                    print(run(site, clients, arguments.seconds), flush=True)
    return races.main([]) | kill_test.main([])


if __name__ == "__main__":
    raise SystemExit(main())
