"""Every acknowledged write survives ``kill -9``: writers, the server killed mid-way, a restart.

Writers add evaluations to their partnership through the API as fast as they can; each id the
server answered 201 for is an acknowledged write. The server and its workers are killed with
SIGKILL while they write (no clean shut-down, transactions in flight), then started again on the
same database; every acknowledged evaluation must be read back. Writes in flight when the server
died may or may not be there (their client never heard back): they count as unacknowledged.
Usage: ``python -m benchmarks.kill_test [--writers 8] [--seconds 5]`` (PostgreSQL too when
``DATABASE_URL`` is set); the end-to-end tests run it at a small scale.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.live_site import SCORES, Organisation, Site, call

__all__ = ["Outcome", "main", "run"]


@dataclass(frozen=True)
class Outcome:
    """What the writers were told, and what was found after the restart."""

    acknowledged: int
    unanswered: int
    lost: int


def _writer(base: str, organisation: Organisation, stop: threading.Event, kept: list[int]) -> int:
    """Write until told to stop or the server is gone; return how many got no answer."""
    unanswered = 0
    path = f"/api/partnerships/{organisation.partnership}/evaluations"
    body = {"scores": SCORES, "organisation": organisation.pk}
    while not stop.is_set():
        status, answer = call(base, "POST", path, organisation.token, body, timeout=10)
        if status == 201:
            kept.append(json.loads(answer)["id"])
        else:
            unanswered += 1
            time.sleep(0.05)
    return unanswered


def _history(base: str, organisation: Organisation) -> set[int]:
    """Every evaluation id of the organisation's partnership, page after page."""
    found: set[int] = set()
    path: str | None = f"/api/partnerships/{organisation.partnership}/evaluations?limit=100"
    while path is not None:
        status, answer = call(base, "GET", path, organisation.token)
        if status != 200:
            break
        page = json.loads(answer)
        found |= {e["id"] for e in page["history"]}
        path = page["next"]
    return found


def run(site: Site, seconds: float) -> Outcome:
    """Write (one thread per seeded organisation), kill the server at half time, restart, read."""
    stop = threading.Event()
    kept: dict[int, list[int]] = {o.pk: [] for o in site.seeded}
    unanswered: list[int] = []
    threads = [
        threading.Thread(
            target=lambda o=o: unanswered.append(_writer(site.base, o, stop, kept[o.pk]))
        )
        for o in site.seeded
    ]
    for thread in threads:
        thread.start()
    time.sleep(seconds / 2)
    site.kill()
    time.sleep(0.5)
    stop.set()
    for thread in threads:
        thread.join()
    site.start()
    lost = 0
    for organisation in site.seeded:
        found = _history(site.base, organisation)
        lost += len(set(kept[organisation.pk]) - found)
    acknowledged = sum(len(ids) for ids in kept.values())
    return Outcome(acknowledged=acknowledged, unanswered=sum(unanswered), lost=lost)


def main(argv: list[str] | None = None) -> int:
    """Run the check on SQLite, and on PostgreSQL when ``DATABASE_URL`` is set; print it."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.kill_test")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=6.0)
    arguments = parser.parse_args(argv)
    databases = {"SQLite": None, "PostgreSQL": os.environ.get("DATABASE_URL")}
    failed = False
    for label, url in databases.items():
        if label == "PostgreSQL" and not url:
            print("kill -9: PostgreSQL skipped (DATABASE_URL is not set)")
            continue
        with tempfile.TemporaryDirectory() as folder:
            site = Site(Path(folder), organisations=arguments.writers, database_url=url)
            with site:
                outcome = run(site, arguments.seconds)
        print(
            f"kill -9 on {label}: {outcome.acknowledged} acknowledged writes, "
            f"{outcome.lost} lost after restart, {outcome.unanswered} unanswered (server down)"
        )
        failed |= outcome.lost > 0 or outcome.acknowledged == 0
    return int(failed)


if __name__ == "__main__":
    raise SystemExit(main())
