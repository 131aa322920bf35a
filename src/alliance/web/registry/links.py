"""Platform organisations linked to the public registries by their SIREN or RNA number.

An organisation states its numbers; the registry says what the State knows of it (name, legal
category and so the actor profile, state, commune). Showing both side by side lets members see
a mismatch (a dissolved association, a profile chosen differently) without the platform
overwriting what they entered.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import override

from alliance.i18n import Lang
from alliance.referential import default_referential
from alliance.territory.geography import place_name
from alliance.web.organisations.models import Organisation
from alliance.web.registry.models import RegistryEntry, RegistryImport

__all__ = ["registry_entry", "registry_facts"]


def registry_entry(organisation: Organisation) -> RegistryEntry | None:
    """Return the organisation's registry entry: by SIREN in SIRENE first, else by RNA number.

    SIRENE comes first because it tells the size and the state of an employer association too.
    """
    numbers = [("sirene", organisation.siren), ("rna", organisation.rna)]
    for source, number in numbers:
        if number:
            found = RegistryEntry.objects.filter(source=source, identifier=number).first()
            if found is not None:
                return found
    return None


def _vintage(entry: RegistryEntry) -> date | None:
    """Return the vintage of the import that last wrote the entry, else its registry's newest."""
    if entry.imported is not None and entry.imported.vintage is not None:
        return entry.imported.vintage
    newest = RegistryImport.objects.filter(source=entry.source, vintage__isnull=False)
    return newest.order_by("-vintage").values_list("vintage", flat=True).first()


def registry_facts(organisation: Organisation, lang: Lang) -> dict[str, Any] | None:
    """Return what the registry says of the organisation, ready for a page (None if nothing)."""
    entry = registry_entry(organisation)
    if entry is None:
        return None
    profile = (
        default_referential().label(f"actor-profiles/{entry.profile}", lang)
        if entry.profile
        else ""
    )
    with override(lang):
        state = str(entry.get_state_display())
    return {
        "source": entry.get_source_display(),
        "identifier": entry.identifier,
        "name": entry.name,
        "profile": profile,
        "state": state,
        "active": entry.state == RegistryEntry.State.ACTIVE,
        "commune": place_name(entry.commune, lang) if entry.commune else "",
        "vintage": _vintage(entry),
    }
