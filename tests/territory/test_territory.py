"""Territories by kind and code: parents, communes held, French spellings, search, errors."""

from __future__ import annotations

import pytest

from alliance.errors import LookupFailedError
from alliance.territory.territory import canonical_kind, find_territory, search_territories

pytestmark = pytest.mark.unit


def test_a_commune_resolves_to_its_epci_department_and_region():
    lille = find_territory("commune", "59350")

    assert (lille.kind, lille.code, lille.name) == ("commune", "59350", "Lille")
    assert lille.parents == (("epci", "200093201"), ("department", "59"), ("region", "32"))
    assert lille.parent("department") == "59"
    assert lille.region_short == "HDF"
    assert lille.departments() == ("59",)
    # Lille's associated communes (Hellemmes-Lille, Lomme) keep codes of their own.
    assert lille.communes() == ("59298", "59350", "59355")


def test_an_arrondissement_or_a_former_code_leads_to_its_current_commune():
    paris = find_territory("commune", "75056")
    assert "75101" in paris.communes()
    assert find_territory("commune", "75101").code == "75056"
    assert find_territory("commune", "59355").code == "59350"  # Lomme, associated with Lille


def test_regions_by_insee_or_short_code_and_kinds_in_french():
    assert find_territory("région", "HDF").code == "32"
    assert find_territory("Region", "32").label("en") == "Hauts-de-France"
    assert find_territory("département", "2a").code == "2A"
    brittany = find_territory("region", "53")
    assert brittany.departments() == ("22", "29", "35", "56")
    assert len(brittany.communes()) > 1200
    assert canonical_kind("DEPARTEMENT") == "department"


def test_an_epci_holds_its_communes_and_lies_in_its_department():
    mel = find_territory("epci", "200093201")
    assert mel.name == "Métropole Européenne de Lille"
    assert mel.parents == (("department", "59"), ("region", "32"))
    assert {"59350", "59512", "59599"} <= set(mel.communes())
    assert mel.departments() == ("59",)


def test_unknown_kinds_and_codes_are_located_bilingual_errors():
    with pytest.raises(LookupFailedError) as kind:
        find_territory("canton", "59")
    assert kind.value.location.value == "canton"
    assert kind.value.message("fr").startswith("Type de territoire inconnu : un de commune, epci")
    assert kind.value.message("en").startswith("Unknown kind of territory: expected one of")

    with pytest.raises(LookupFailedError) as code:
        find_territory("department", "999")
    assert code.value.message("en") == (
        "No territory of kind department has this code in the Code officiel géographique"
        " (field 'code', value '999')"
    )
    for kind_name, wrong in [("region", "XX"), ("epci", "123"), ("commune", "123456")]:
        with pytest.raises(LookupFailedError):
            find_territory(kind_name, wrong)


def test_search_by_name_or_code_regions_first():
    found = [t.key for t in search_territories("nord")]
    assert found[0] == "department/59"
    assert [t.key for t in search_territories("59512")] == ["commune/59512"]
    assert search_territories("Hauts de france")[0].key == "region/32"
    assert search_territories("  ") == []
    assert len(search_territories("saint", limit=5)) == 5
