"""The shipped geography: communes to EPCI, department and region; names instead of codes."""

from __future__ import annotations

from typing import TypeVar

import pytest

from alliance.territory.geography import geography, place_name, place_value, region_names

pytestmark = pytest.mark.unit


T = TypeVar("T")


def known(value: T | None) -> T:
    assert value is not None
    return value


def test_the_vintage_and_its_source_are_recorded():
    found = geography()

    assert found.vintage == 2026
    assert found.source["package"] == "@etalab/decoupage-administratif"
    assert found.source["version"] == "6.0.0"


def test_the_tables_are_complete():
    found = geography()

    assert len(found.regions) == 26
    assert len(found.departments) == 109
    assert 1200 < len(found.epcis) < 1300
    current = [c for c in found.communes.values() if c.type == "commune-actuelle"]
    assert len(current) == 34969


def test_a_commune_resolves_to_its_epci_department_and_region():
    found = geography()
    lille = known(found.commune("59350"))

    assert (lille.name, lille.department, lille.region) == ("Lille", "59", "32")
    assert known(found.epci(lille.epci)).name == "Métropole Européenne de Lille"
    assert known(found.department(lille.department)).name == "Nord"
    assert known(found.region(lille.region)).name == "Hauts-de-France"


def test_arrondissements_and_former_codes_lead_to_the_current_commune():
    found = geography()

    marseille_1er = known(found.commune("13201"))
    assert (marseille_1er.type, marseille_1er.current) == ("arrondissement-municipal", "13055")
    assert known(found.commune(marseille_1er.current)).name == "Marseille"
    former = next(c for c in found.communes.values() if c.type == "ancien-code")
    assert known(found.commune(former.current)).type == "commune-actuelle"


def test_corsican_departments_and_communes():
    found = geography()

    assert known(found.department("2a")).name == "Corse-du-Sud"
    assert known(found.commune("2A004")).name == "Ajaccio"


@pytest.mark.parametrize(
    ("code", "lang", "name"),
    [
        ("HDF", "fr", "Hauts-de-France"),
        ("BRE", "en", "Brittany"),
        ("COR", "fr", "Corse"),
        ("FR-IDF", "fr", "Île-de-France"),
        ("59", "fr", "Nord"),
        ("974", "fr", "La Réunion"),
        ("59512", "fr", "Roubaix (59)"),
        ("75056", "fr", "Paris (75)"),
        ("99999", "fr", "99999"),
        ("XYZ", "fr", "XYZ"),
    ],
)
def test_place_names(code: str, lang: str, name: str):
    assert place_name(code, lang) == name  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("column", "value", "lang", "shown"),
    [
        ("region", "HDF", "fr", "Hauts-de-France"),
        ("Region", "BRE", "en", "Brittany"),
        ("commune", "59512", "fr", "Roubaix (59)"),
        ("departement", "35", "fr", "Ille-et-Vilaine"),
        ("size", "75", "fr", "75"),  # not a place column: a size band stays itself
        ("sex", "F", "en", "F"),
        ("region", "N", "fr", "N"),  # not a code of the geography: left as given
    ],
)
def test_place_values_are_named_only_in_place_columns(column, value, lang, shown):
    assert place_value(column, value, lang) == shown


def test_unlabelled_region_codes_are_named_only_when_all_are_regions():
    assert region_names(["84", "11"], "fr") == {"84": "Auvergne-Rhône-Alpes", "11": "Île-de-France"}
    assert region_names(["ARA", "COR"], "en") == {"ARA": "Auvergne-Rhône-Alpes", "COR": "Corsica"}
    assert region_names(["11", "1"], "fr") == {}
    assert region_names([], "fr") == {}


def test_overseas_collectivities_are_kept_apart_from_the_regions():
    regions = geography().regions

    assert sorted(code for code, r in regions.items() if r.overseas_collectivity) == [
        "975", "977", "978", "984", "986", "987", "988", "989",
    ]  # fmt: skip
    assert not regions["06"].overseas_collectivity  # Mayotte is a region
