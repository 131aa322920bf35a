"""Registry counts by commune, profile and state: what territory pages ask, kept apart from entries.

Counts are what pages ask; entries are what links ask. A territory page, its API and the map want
how many actors a department holds by profile and state: over a million entries that is a grouped
scan of tens of thousands of rows, which four place indexes on the entries served at the cost of
every import maintaining them row by row. An organisation's page wants one entry by its SIREN or
RNA number, which the unique (source, number) index serves. So the entries keep only that index,
and after each import :func:`refresh_counts` rebuilds the registry's :class:`RegistryCount` rows
in two set-based statements: one grouped pass over the entries instead of index updates for each
row, and a table of about one row per commune, profile and state that answers a department in
a few milliseconds.

The rebuild is one transaction: a page reads the former counts until it commits, never a registry
half counted.
"""

from __future__ import annotations

from django.db import connection, transaction

from alliance.web.registry.models import RegistryCount, RegistryEntry

__all__ = ["refresh_counts"]

#: The columns a count copies from its entries, and groups them by. The places follow from the
#: commune, but grouping by them too keeps every sum equal to counting the entries themselves.
GROUPED = "source, commune, epci, department, region, profile, state"


def refresh_counts(source: str) -> int:
    """Rebuild the counts of one registry (``rna`` or ``sirene``) from its entries.

    Return the number of count rows written. Rows are written in commune order, so a
    department's rows (its communes' codes share their first characters) sit together on disk.
    On PostgreSQL the table is analysed afterwards: its rows have all just changed, and the
    planner should not wait for the autovacuum to learn how many a department holds.
    """
    counts = RegistryCount._meta.db_table
    entries = RegistryEntry._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Two imports ending together would each delete the rows the other has not committed
            # yet, then both insert: a lock that readers ignore makes the second wait its turn.
            # (SQLite lets one writer at a time already.)
            cursor.execute(f"LOCK TABLE {counts} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {counts} WHERE source = %s", [source])
        cursor.execute(
            f"INSERT INTO {counts} ({GROUPED}, count) "
            f"SELECT {GROUPED}, COUNT(*) FROM {entries} WHERE source = %s "
            f"GROUP BY {GROUPED} ORDER BY commune",
            [source],
        )
        written = int(cursor.rowcount)
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {counts}")
    return written
