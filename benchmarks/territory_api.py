"""The territory API under load: a department's page data with a million actors in PostgreSQL.

A fresh PostgreSQL database on ``DATABASE_URL``'s server
(:func:`benchmarks.live_site.create_database`) gets 1,000,000 registry entries, 1,000,000
organisations and 100,000 partnerships (two partners each, one in three with a third),
bulk-loaded with ``COPY``. Actors and organisations are spread over the communes of the 101
departments in proportion to their population, so the Nord or Paris hold tens of thousands; a
partnership's partners are neighbours in commune order (mostly the same department), as local
alliances are. The registry counts that pages read are then rebuilt as an import ends, by
:func:`alliance.web.registry.counts.refresh_counts` itself, run in the site's environment. The
site then runs as in production (Granian, 2 workers) and 20 clients ask
``GET /api/territories/department/{code}`` for departments in turn for ``--seconds``.

Printed: the counts' rebuild, the first (uncached) answer's time for the largest departments,
then p50 / p95 under load and errors. Goal: p95 < 100 ms. Usage:
``python -m benchmarks.territory_api``.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks.live_site import Site, call
from benchmarks.reliability import percentile

CLIENTS = 20
COMMUNES = Path(__file__).parents[1] / "src/alliance/territory/data/geography/communes.csv"
PROFILES = ["associations", "associations_employeuses", "pme", "grandes_entreprises",
            "fondations", "collectivites_territoriales", "academiques"]  # fmt: skip
PROFILE_WEIGHTS = [60, 10, 20, 2, 2, 4, 2]
CATEGORIES = ["mecenat", "mecenat_competences", "pratiques_responsables",
              "cooperation_economique", "innovation_societale"]  # fmt: skip
#: The departments asked for, the largest first (their first answer is timed alone).
DEPARTMENTS = ["59", "75", "13", "69", "92", "33", "35", "67", "31", "44", "2A", "48", "23"]
#: What an import runs once its files are loaded, timed without the process's start; then where
#: an uncached department's answer spends its time, part by part (after a small department has
#: loaded the referential and the geography).
REFRESH_JOB = """
import sys, time
from alliance.web.server import setup
setup()
from alliance.territory.territory import find_territory
from alliance.web.registry.counts import refresh_counts
from alliance.web.territories import figures
started = time.perf_counter()
print(refresh_counts("rna"), time.perf_counter() - started)
figures.actors(find_territory("department", "23"), "fr")
territory = find_territory("department", sys.argv[1])
parts = {
    "actors": lambda: figures.actors(territory, "fr"),
    "organisations": lambda: figures.organisations(territory, "fr"),
    "network": lambda: figures.network(territory),
    "examples": lambda: figures.examples(territory),
    "results": lambda: figures.regional_results(territory, "fr"),
}
for name, part in parts.items():
    started = time.perf_counter()
    part()
    print(name, (time.perf_counter() - started) * 1000)
"""


def _communes() -> list[dict[str, str]]:
    with COMMUNES.open(encoding="utf-8", newline="") as file:
        return [
            r for r in csv.DictReader(file)
            if r["type"] == "commune-actuelle" and len(r["region"]) == 2
        ]  # fmt: skip


def load(database: str, registry: int, organisations: int, partnerships: int) -> float:
    """Bulk-load the rows with COPY; return the seconds it took."""
    import psycopg

    started = time.perf_counter()
    rng = random.Random(16)
    communes = _communes()
    weights = [max(1, int(c["population"] or 0)) for c in communes]
    with psycopg.connect(database) as connection, connection.cursor() as cursor:
        places = sorted(rng.choices(communes, weights, k=registry), key=lambda c: c["code"])
        columns = ("source, identifier, siret, name, profile, legal_category, activity, "
                   "workforce, state, commune, epci, department, region")  # fmt: skip
        with cursor.copy(f"COPY registry_registryentry ({columns}) FROM STDIN") as copy:
            for index, place in enumerate(places):
                state = "active" if index % 10 else ("closed" if index % 20 else "deleted")
                profile = rng.choices(PROFILES, PROFILE_WEIGHTS)[0]
                copy.write_row(("rna", f"W{index:09d}", "", f"Acteur {index}", profile, "9220",
                                "", "", state, place["code"], place["epci"],
                                place["department"], place["region"]))  # fmt: skip
        homes = sorted(rng.choices(communes, weights, k=organisations), key=lambda c: c["code"])
        with cursor.copy(
            "COPY organisations_organisation (id, name, profile, siren, rna, commune, synthetic,"
            " created) FROM STDIN"
        ) as copy:
            for index, place in enumerate(homes, start=1):
                profile = rng.choices(PROFILES, PROFILE_WEIGHTS)[0]
                copy.write_row((index, f"Organisation {index}", profile, "", "", place["code"],
                                True, "2026-01-01T00:00:00Z"))  # fmt: skip
        with cursor.copy(
            "COPY partnerships_partnership (id, title, category, common_objective, contract,"
            " common_objectives, agreement_version, created) FROM STDIN"
        ) as copy:
            for index in range(1, partnerships + 1):
                copy.write_row((index, f"Partenariat {index}", rng.choice(CATEGORIES), "", "",
                                "[]", 0, "2026-01-01T00:00:00Z"))  # fmt: skip
        with cursor.copy(
            "COPY partnerships_side (partnership_id, organisation_id, objectives, contributions)"
            " FROM STDIN"
        ) as copy:
            for index in range(1, partnerships + 1):
                first = rng.randrange(1, organisations + 1)
                size = 3 if index % 3 == 0 else 2
                partners = {first}
                while len(partners) < size:
                    near = first + rng.randint(-2000, 2000)
                    partners.add(min(organisations, max(1, near)))
                for organisation in sorted(partners):
                    copy.write_row((index, organisation, "{}", "{}"))
        for table in ("organisations_organisation", "partnerships_partnership"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        connection.commit()
        connection.autocommit = True
        for table in ("registry_registryentry", "organisations_organisation",
                      "partnerships_partnership", "partnerships_side"):  # fmt: skip
            cursor.execute(f"VACUUM ANALYZE {table}")
    return time.perf_counter() - started


def refresh(site: Site) -> tuple[int, float, dict[str, float]]:
    """Rebuild the registry counts as an import does, then time an uncached department's parts.

    Return (count rows, seconds, milliseconds of each part of the largest department's answer).
    """
    done = subprocess.run(
        [sys.executable, "-c", REFRESH_JOB, DEPARTMENTS[0]],
        env=site.env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    first, *lines = done.stdout.splitlines()
    rows, seconds = first.split()
    parts = {name: float(ms) for name, ms in (line.split() for line in lines)}
    return int(rows), float(seconds), parts


def client(base: str, deadline: float, offset: int) -> tuple[list[float], int]:
    """One client's loop over the departments: latencies (seconds) and errors."""
    latencies, errors, step = [], 0, offset
    while time.perf_counter() < deadline:
        code = DEPARTMENTS[step % len(DEPARTMENTS)]
        step += 1
        start = time.perf_counter()
        status, _ = call(base, "GET", f"/api/territories/department/{code}", timeout=30)
        latencies.append(time.perf_counter() - start)
        errors += status != 200
    return latencies, errors


def main(argv: list[str] | None = None) -> int:
    """Load the rows, start the site, time the first answers, then 20 clients; print the figures."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.territory_api")
    parser.add_argument("--registry", type=int, default=1_000_000)
    parser.add_argument("--organisations", type=int, default=1_000_000)
    parser.add_argument("--partnerships", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=20.0)
    arguments = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL")
    if not url:
        print("territory API: skipped (DATABASE_URL does not point at PostgreSQL)")
        return 0
    with (
        tempfile.TemporaryDirectory() as folder,
        Site(Path(folder), organisations=0, database_url=url) as site,
    ):
        seconds = load(site._database, arguments.registry, arguments.organisations,
                       arguments.partnerships)  # fmt: skip
        print(
            f"territory API: {arguments.registry:,} registry entries, "
            f"{arguments.organisations:,} organisations, {arguments.partnerships:,} partnerships "
            f"loaded with COPY in {seconds:.1f} s"
        )
        rows, seconds, parts = refresh(site)
        print(f"territory API: registry counts rebuilt ({rows:,} rows) in {seconds:.1f} s")
        print(
            f"territory API: department {DEPARTMENTS[0]} uncached, by part: "
            + ", ".join(f"{name} {ms:.0f} ms" for name, ms in parts.items())
        )
        for _ in range(20):  # both workers load the geography and the referential first
            call(site.base, "GET", "/api/territories/commune/01001", timeout=60)
        first = []
        for code in DEPARTMENTS[:3]:
            start = time.perf_counter()
            status, _ = call(site.base, "GET", f"/api/territories/department/{code}", timeout=60)
            first.append(f"{code} {(time.perf_counter() - start) * 1000:.0f} ms ({status})")
        print(f"territory API: first answer (nothing cached): {', '.join(first)}")
        deadline = time.perf_counter() + arguments.seconds
        with ThreadPoolExecutor(CLIENTS) as pool:
            runs = list(pool.map(lambda i: client(site.base, deadline, i), range(CLIENTS)))
        every = [latency for latencies, _ in runs for latency in latencies]
        errors = sum(e for _, e in runs)
        p95 = percentile(every, 0.95)
        print(
            f"territory API: {CLIENTS} clients, {len(every)} requests in "
            f"{arguments.seconds:.0f} s, p50 {statistics.median(every) * 1000:.0f} ms, "
            f"p95 {p95:.0f} ms (goal < 100 ms, ratio {p95 / 100:.2f}x), {errors} errors"
        )
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
