"""The geography tables built from a (tiny) copy of the package's files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml

from alliance.territory.geography_source import main

pytestmark = pytest.mark.unit


def package(folder: Path) -> Path:
    data = folder / "data"
    data.mkdir(parents=True)
    files = {
        "package.json": {"name": "@etalab/decoupage-administratif", "version": "6.0.0",
                         "license": "MIT"},
        "data/regions.json": [{"code": "32", "nom": "Hauts-de-France"}],
        "data/departements.json": [{"code": "59", "nom": "Nord", "region": "32"}],
        "data/epci.json": [{"code": "245900410", "nom": "Métropole Européenne de Lille",
                            "type": "METRO", "membres": [{"code": "59350"}]}],
        "data/communes.json": [
            {"code": "59350", "nom": "Lille", "type": "commune-actuelle", "departement": "59",
             "region": "32", "population": 236710, "anciensCodes": ["59298"]},
            {"code": "59355", "nom": "Lomme", "type": "commune-associee", "chefLieu": "59350",
             "departement": "59", "region": "32"},
            {"code": "59350", "nom": "Lille", "type": "commune-deleguee", "chefLieu": "59350",
             "departement": "59", "region": "32"},
        ],
    }  # fmt: skip
    for name, content in files.items():
        (folder / name).write_text(json.dumps(content), encoding="utf-8")
    return folder


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_tables_and_source(tmp_path: Path):
    out = tmp_path / "out"
    main([str(package(tmp_path / "package")), str(out), "2026"])

    assert rows(out / "regions.csv") == [
        {"code": "32", "name": "Hauts-de-France", "name_en": "Hauts-de-France", "short": "HDF"}
    ]
    communes = {(r["code"], r["type"]): r for r in rows(out / "communes.csv")}
    assert set(communes) == {
        ("59350", "commune-actuelle"), ("59355", "commune-associee"), ("59298", "ancien-code"),
    }  # fmt: skip
    assert communes["59350", "commune-actuelle"]["epci"] == "245900410"
    assert communes["59355", "commune-associee"]["parent"] == "59350"
    assert communes["59355", "commune-associee"]["epci"] == "245900410"
    assert communes["59298", "ancien-code"]["parent"] == "59350"
    source = yaml.safe_load((out / "source.yaml").read_text(encoding="utf-8"))
    assert (source["version"], source["vintage"], source["licence"]) == ("6.0.0", 2026, "MIT")
