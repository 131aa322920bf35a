"""An organisation's registry entry, by SIREN then RNA, shown on its page with the vintage."""

from __future__ import annotations

from datetime import date

import pytest

from alliance.web.registry.links import registry_entry, registry_facts
from alliance.web.registry.models import RegistryEntry, RegistryImport
from tests.web.conftest import logged_in

pytestmark = pytest.mark.integration


def main(html: bytes) -> str:
    return html.decode().split('<main id="main">', 1)[1].split("</main>", 1)[0]


@pytest.fixture
def entries(db) -> RegistryImport:
    imported = RegistryImport.objects.create(source="rna", vintage=date(2025, 3, 1))
    RegistryEntry.objects.create(
        source="rna", identifier="W351234567", name="LES JARDINS DU LAC (FICTIVE)",
        profile="associations", legal_category="9220", state="closed", commune="35238",
        epci="243500139", department="35", region="53", imported=imported,
    )  # fmt: skip
    RegistryEntry.objects.create(source="sirene", identifier="W351234567", name="not this one")
    return imported


def test_an_organisation_is_found_by_its_numbers(entries, organisation, other_organisation):
    found = registry_entry(organisation)

    assert found is not None
    assert (found.source, found.name) == ("rna", "LES JARDINS DU LAC (FICTIVE)")
    assert registry_entry(other_organisation) is None
    assert registry_facts(other_organisation, "fr") is None
    RegistryEntry.objects.create(source="sirene", identifier="732829320", name="MOREAU (FICTIVE)")
    moreau = registry_entry(other_organisation)
    assert moreau is not None
    assert moreau.name == "MOREAU (FICTIVE)"


def test_the_facts_name_the_profile_state_commune_and_vintage(entries, organisation):
    assert registry_facts(organisation, "en") == {
        "source": "RNA", "identifier": "W351234567", "name": "LES JARDINS DU LAC (FICTIVE)",
        "profile": "Non-profit associations", "state": "dissolved or ceased", "active": False,
        "commune": "Rennes (35)", "vintage": date(2025, 3, 1),
    }  # fmt: skip


def test_the_organisation_page_shows_its_registry_entry(entries, people, organisation):
    page = main(logged_in(people["viewer"]).get(f"/organisations/{organisation.pk}/").content)

    assert "<h2>Au registre public</h2>" in page
    assert "<dt>RNA</dt><dd>W351234567 — LES JARDINS DU LAC (FICTIVE)</dd>" in page
    assert "<dd><strong>dissoute ou cessée</strong></dd>" in page
    assert "<dt>Commune du siège</dt><dd>Rennes (35)</dd>" in page
    assert "<dt>Millésime du registre</dt><dd>01/03/2025</dd>" in page


def test_without_an_entry_the_page_says_nothing_of_the_registry(people, organisation):
    page = main(logged_in(people["viewer"]).get(f"/organisations/{organisation.pk}/").content)

    assert "Au registre public" not in page
