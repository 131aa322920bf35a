"""Importing inspiring examples from a CSV file, as people write it, all or nothing.

Columns: ``code, title_fr, title_en, summary_fr, summary_en, partners, category, objectives,
region, commune, year, sdg, innovation_stage, impacts, sources``. Lists are separated by ``|``;
a partner is ``Name (profile)``. Every code is checked against the referential; any problem
refuses the whole file with its line and column, in French and English.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.db import transaction

from alliance.errors import DataFileError, Location
from alliance.identifiers import is_commune_code
from alliance.referential import default_referential
from alliance.survey.io.delimited import read_delimited
from alliance.web.examples.models import InspiringExample

__all__ = ["COLUMNS", "import_examples"]

COLUMNS = [
    "code", "title_fr", "title_en", "summary_fr", "summary_en", "partners", "category",
    "objectives", "region", "commune", "year", "sdg", "innovation_stage", "impacts", "sources",
]  # fmt: skip
REGIONS = {
    "ARA",
    "BFC",
    "BRE",
    "CVL",
    "COR",
    "GES",
    "HDF",
    "IDF",
    "NOR",
    "NAQ",
    "OCC",
    "PDL",
    "PAC",
}
PARTNER = re.compile(r"^(?P<name>.+?)\s*\((?P<profile>[a-z0-9_]+)\)$")


def _items(text: Any) -> list[str]:
    return [part.strip() for part in str(text or "").split("|") if part.strip()]


def import_examples(path: Path, *, synthetic: bool = False) -> int:
    """Create or update the examples of a CSV file; refuse it whole at the first problem."""
    responses = read_delimited(path)
    missing = [c for c in COLUMNS if c not in responses.frame.columns]
    if missing:
        raise DataFileError(
            "examples.columns_missing", Location(file=path.name), columns=", ".join(missing)
        )
    referential = default_referential()
    entries = []
    for index, row in enumerate(responses.frame.iter_rows(named=True)):

        def fail(column: str, value: Any, index: int = index) -> DataFileError:
            return DataFileError(
                "examples.value_invalid",
                responses.location(index, column, value),
                column=column,
            )

        def known(framework: str, code: str, column: str) -> str:
            if code not in referential.framework(framework):
                raise fail(column, code)
            return code

        partners = []
        for text in _items(row["partners"]):
            match = PARTNER.match(text)
            if not match:
                raise fail("partners", text)
            profile = known("actor-profiles", match["profile"], "partners")
            partners.append({"name": match["name"], "profile": profile})
        if row["region"] not in REGIONS:
            raise fail("region", row["region"])
        commune = str(row["commune"] or "")
        if commune and not is_commune_code(commune.zfill(5)):
            raise fail("commune", commune)
        try:
            year = int(row["year"])
            sdg = [int(n) for n in _items(row["sdg"])]
        except (TypeError, ValueError):
            raise fail("year/sdg", f"{row['year']} / {row['sdg']}") from None
        if not 1990 <= year <= 2100 or any(not 1 <= n <= 17 for n in sdg):
            raise fail("year/sdg", f"{year} / {sdg}")
        stage = str(row["innovation_stage"] or "")
        if stage:
            known("innovation-stages", stage, "innovation_stage")
        objectives = _items(row["objectives"])
        entries.append(
            {
                "code": str(row["code"]),
                "title_fr": row["title_fr"], "title_en": row["title_en"],
                "summary_fr": row["summary_fr"], "summary_en": row["summary_en"],
                "partners": partners,
                "category": known("partnership-categories", str(row["category"]), "category"),
                "objectives": [known("objectives", c, "objectives") for c in objectives],
                "region": row["region"],
                "commune": commune.zfill(5) if commune else "",
                "year": year,
                "sdg": sdg,
                "innovation_stage": stage,
                "impacts": [known("impacts", c, "impacts") for c in _items(row["impacts"])],
                "sources": _items(row["sources"]),
                "synthetic": synthetic,
            }
        )  # fmt: skip
    with transaction.atomic():
        for entry in entries:
            code = entry.pop("code")
            InspiringExample.objects.update_or_create(code=code, defaults=entry)
    return len(entries)
