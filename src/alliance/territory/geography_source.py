"""Building the shipped geography tables from ``@etalab/decoupage-administratif``'s JSON files.

The package (npm, MIT licence) republishes INSEE's Code officiel géographique and the DGCL's list
of EPCI, one vintage per major version. Maintainers refresh the tables once a year::

    npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-decoupage-administratif-*.tgz
    python -m alliance.territory.geography_source package src/alliance/territory/data/geography 2026

which writes ``regions.csv``, ``departments.csv``, ``epci.csv``, ``communes.csv`` and
``source.yaml`` (the package, its version and the vintage). The platform never fetches them.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import yaml

__all__ = ["build", "main"]

#: ISO 3166-2:FR codes of the regions (the project's short codes); Corsica's ISO code is 20R,
#: but the project's questionnaires and examples, like many French sources, write COR.
SHORT_CODES = {
    "84": "ARA", "27": "BFC", "53": "BRE", "24": "CVL", "94": "COR", "44": "GES", "32": "HDF",
    "11": "IDF", "28": "NOR", "75": "NAQ", "76": "OCC", "52": "PDL", "93": "PAC", "01": "GP",
    "02": "MQ", "03": "GF", "04": "RE", "06": "YT",
}  # fmt: skip
#: English names where English differs from French.
ENGLISH = {"53": "Brittany", "94": "Corsica", "28": "Normandy", "76": "Occitania",
           "03": "French Guiana", "04": "Réunion"}  # fmt: skip


def _read(folder: Path, name: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads((folder / "data" / name).read_text(encoding="utf-8"))
    return rows


def _write(path: Path, columns: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)


def _communes(folder: Path) -> list[list[Any]]:
    """Return current communes and arrondissements, then the codes that lead to one of them.

    A delegated or associated commune, or a former code, resolves to the current commune that
    absorbed it (``parent``); its own code is kept only where no current commune has it.
    """
    communes = _read(folder, "communes.json")
    epci = {
        member["code"]: e["code"] for e in _read(folder, "epci.json") for member in e["membres"]
    }
    current = {c["code"] for c in communes if c["type"] == "commune-actuelle"}
    rows: list[list[Any]] = []
    for c in communes:
        parent = c.get("commune") or c.get("chefLieu") or ""
        if c["type"] != "commune-actuelle" and c["code"] in current:
            continue
        owner = parent if c["type"] != "commune-actuelle" else c["code"]
        rows.append([c["code"], c["nom"], c["type"], c.get("departement", ""),
                     c.get("region", ""), epci.get(owner, ""), parent,
                     c.get("population", "")])  # fmt: skip
    known = {row[0] for row in rows}
    for c in communes:
        for old in c.get("anciensCodes", []):
            if old not in known:
                known.add(old)
                place = [c.get("departement", ""), c.get("region", ""), epci.get(c["code"], "")]
                rows.append([old, c["nom"], "ancien-code", *place, c["code"], ""])
    return sorted(rows, key=lambda row: (row[0], row[2]))


def build(folder: Path, out: Path, vintage: int) -> None:
    """Write the four tables and ``source.yaml`` from the package unpacked in ``folder``.

    ``vintage`` is the year of the Code officiel géographique the package's version holds (its
    README's table: 6.0.0 is 2026).
    """
    package = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    _write(out / "regions.csv", ["code", "name", "name_en", "short"], [
        [r["code"], r["nom"], ENGLISH.get(r["code"], r["nom"]), SHORT_CODES.get(r["code"], "")]
        for r in _read(folder, "regions.json")
    ])  # fmt: skip
    _write(
        out / "departments.csv",
        ["code", "name", "region"],
        [[d["code"], d["nom"], d["region"]] for d in _read(folder, "departements.json")],
    )
    _write(
        out / "epci.csv",
        ["code", "name", "type"],
        [[e["code"], e["nom"], e["type"]] for e in _read(folder, "epci.json")],
    )
    _write(out / "communes.csv",
           ["code", "name", "type", "department", "region", "epci", "parent", "population"],
           _communes(folder))  # fmt: skip
    source = {
        "package": package["name"],
        "version": package["version"],
        "licence": package.get("license", ""),
        "vintage": vintage,
        "sources": [
            "INSEE, Code officiel géographique (https://www.insee.fr/fr/information/2560452)",
            "DGCL, liste et composition des EPCI à fiscalité propre",
        ],
    }
    (out / "source.yaml").write_text(yaml.safe_dump(source, allow_unicode=True, sort_keys=False))


def main(argv: list[str] | None = None) -> None:
    """``python -m alliance.territory.geography_source PACKAGE_FOLDER OUT_FOLDER VINTAGE``."""
    package, out, vintage = argv if argv is not None else sys.argv[1:]
    build(Path(package), Path(out), int(vintage))


if __name__ == "__main__":
    main()
