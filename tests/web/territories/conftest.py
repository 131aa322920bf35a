"""A department's actors and alliances: registry entries, organisations and their partnerships."""

from __future__ import annotations

import pytest

from alliance.web.accounts.models import User
from alliance.web.organisations.models import Organisation
from alliance.web.partnerships.models import Partnership, Side
from alliance.web.registry.counts import refresh_counts
from alliance.web.registry.models import RegistryEntry
from alliance.web.territories.models import Coordinator
from tests.web.conftest import PASSWORD


def _entries(
    department: str, commune: str, epci: str, profile: str, state: str, n: int, start: int
) -> list[RegistryEntry]:
    return [
        RegistryEntry(
            source="rna",
            identifier=f"W{start + i:09d}",
            name=f"Acteur {start + i}",
            profile=profile,
            state=state,
            commune=commune,
            epci=epci,
            department=department,
            region="32",
        )
        for i in range(n)
    ]


@pytest.fixture
def nord(db) -> dict[str, object]:
    """Lille's actors and alliances (:func:`make_nord`)."""
    return make_nord()


def make_nord() -> dict[str, object]:
    """Lille (59350, MEL 200093201, Nord 59, Hauts-de-France 32).

    Registry: 12 associations, 3 SMEs active in Lille; 2 closed and 1 deleted; 4 associations in
    Roubaix (59512). Platform: 10 associations and 1 SME in Lille, 1 foundation in Paris; the SME
    is in 10 sponsorship partnerships with an association each, and 1 partnership joins an
    association and the Paris foundation (« innovation sociétale »).
    """
    rows = [
        *_entries("59", "59350", "200093201", "associations", "active", 12, 0),
        *_entries("59", "59350", "200093201", "pme", "active", 3, 100),
        *_entries("59", "59350", "200093201", "associations", "closed", 2, 200),
        *_entries("59", "59350", "200093201", "associations", "deleted", 1, 300),
        *_entries("59", "59512", "200093201", "associations", "active", 4, 400),
    ]
    RegistryEntry.objects.bulk_create(rows)
    refresh_counts("rna")  # as an import does after loading its files
    associations = [
        Organisation.objects.create(name=f"Asso {i}", profile="associations", commune="59350")
        for i in range(10)
    ]
    sme = Organisation.objects.create(name="PME du Nord", profile="pme", commune="59350")
    paris = Organisation.objects.create(name="Fondation", profile="fondations", commune="75056")
    for association in associations:
        partnership = Partnership.objects.create(title="Mécénat", category="mecenat")
        Side.objects.create(partnership=partnership, organisation=sme)
        Side.objects.create(partnership=partnership, organisation=association)
    partnership = Partnership.objects.create(title="Innovation", category="innovation_societale")
    Side.objects.create(partnership=partnership, organisation=associations[0])
    Side.objects.create(partnership=partnership, organisation=paris)
    return {"sme": sme, "paris": paris}


@pytest.fixture
def coordinator(db) -> User:
    """The coordinator of the Nord (59)."""
    user = User.objects.create_user("coordination-nord@demo.invalid", PASSWORD)
    Coordinator.objects.create(user=user, kind="department", code="59")
    return user
