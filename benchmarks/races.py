"""Erasures racing writes: both partners of every partnership erase at once while they write.

Each seeded organisation writes diagnostic drafts and evaluations ``rounds`` times while every
organisation erases itself (so both partners of each partnership at once). Every answer must be
200, 201, 404 or 409 (never a 500, never dropped), every erasure 200, and nothing may be left:
no organisation, no partnership (none without a partner), no side, no evaluation. Usage:
``python -m benchmarks.races [--organisations 40] [--rounds 10]`` (PostgreSQL too when
``DATABASE_URL`` is set); the end-to-end tests run it at a small scale.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from benchmarks.live_site import ANSWERS, SCORES, Organisation, Site, call

__all__ = ["ACCEPTED", "Outcome", "main", "run"]

#: The answers a write racing an erasure may get.
ACCEPTED = {200, 201, 404, 409}


@dataclass(frozen=True)
class Outcome:
    """The writes' statuses, the erasures' statuses and the rows left afterwards."""

    writes: Counter[int]
    erasures: Counter[int]
    left: dict[str, int]

    @property
    def correct(self) -> bool:
        """Every erasure done, no write answered otherwise than accepted, nothing left."""
        return (
            set(self.erasures) == {200}
            and set(self.writes) <= ACCEPTED
            and not any(self.left.values())
        )


def run(site: Site, rounds: int) -> Outcome:
    """Race every seeded organisation's writes against every organisation's erasure."""
    writes: Counter[int] = Counter()
    erasures: Counter[int] = Counter()
    start = threading.Barrier(2 * len(site.seeded))

    def write(organisation: Organisation) -> None:
        start.wait()
        for _ in range(rounds):
            for method, path, body in [
                ("PATCH", f"/api/organisations/{organisation.pk}/diagnostic", {"answers": ANSWERS}),
                ("POST", f"/api/partnerships/{organisation.partnership}/evaluations",
                 {"scores": SCORES, "organisation": organisation.pk}),
            ]:  # fmt: skip
                writes[call(site.base, method, path, organisation.token, body)[0]] += 1

    def erase(organisation: Organisation) -> None:
        start.wait()
        time.sleep(0.05)  # a few writes first, then erasures among them
        path = (
            f"/api/organisations/{organisation.pk}?confirm={urllib.parse.quote(organisation.name)}"
        )
        erasures[call(site.base, "DELETE", path, organisation.token)[0]] += 1

    threads = [threading.Thread(target=write, args=(o,)) for o in site.seeded]
    threads += [threading.Thread(target=erase, args=(o,)) for o in site.seeded]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Outcome(writes, erasures, site.counts())


def main(argv: list[str] | None = None) -> int:
    """Run the races on SQLite, and on PostgreSQL when ``DATABASE_URL`` is set; print them."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.races")
    parser.add_argument("--organisations", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=10)
    arguments = parser.parse_args(argv)
    failed = False
    for label, url in {"SQLite": None, "PostgreSQL": os.environ.get("DATABASE_URL")}.items():
        if label == "PostgreSQL" and not url:
            print("races: PostgreSQL skipped (DATABASE_URL is not set)")
            continue
        with tempfile.TemporaryDirectory() as folder:
            site = Site(Path(folder), organisations=arguments.organisations, database_url=url)
            with site:
                outcome = run(site, arguments.rounds)
        print(
            f"races on {label}: erasures {dict(outcome.erasures)}, writes racing them "
            f"{dict(sorted(outcome.writes.items()))}, left afterwards {outcome.left}: "
            f"{'correct' if outcome.correct else 'WRONG'}"
        )
        failed |= not outcome.correct
    return int(failed)


if __name__ == "__main__":
    raise SystemExit(main())
