"""Creating and editing an organisation: name, profile of the referential, SIREN, RNA, commune.

There is no network at run time, so « search by SIREN / RNA » cannot ask the national registers:
:func:`identify` checks the number's format (and the SIREN's Luhn key) and pre-fills what the
number itself tells — an RNA number belongs to an association. It never says whether another
organisation on the platform has the number: that would reveal private data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction

from alliance.errors import Location, OrganisationError
from alliance.evaluation import plain_text
from alliance.i18n import Lang
from alliance.identifiers import is_commune_code, is_rna, is_siren
from alliance.referential import default_referential
from alliance.web.accounts.models import User
from alliance.web.organisations.models import Membership, Organisation

__all__ = ["FIELDS", "Identified", "create", "identify", "profiles", "update"]

FIELDS = ("name", "profile", "siren", "rna", "commune")
NAME_LENGTH = 200


def profiles(lang: Lang) -> list[tuple[str, str]]:
    """Return the referential's actor profiles as ``(code, label)``, parents before children."""
    referential = default_referential()
    return [
        (item.code, referential.label(f"actor-profiles/{item.code}", lang))
        for item in referential.framework("actor-profiles")
    ]


def _compact(value: object) -> str:
    """Drop the spaces, dots and dashes people type in numbers (« 732 829 320 »)."""
    return re.sub(r"[\s.\-]", "", str(value or "")).upper()


def _clean(field: str, value: object) -> str:
    """Return one field's stored form, or refuse it (400) located at ``field``.

    Every field must be text without control characters (:func:`plain_text`, as partnerships'
    titles): a NUL or an escape sequence in a name would break exports and terminals downstream,
    and one hidden in a number must not vanish silently when its spaces are dropped.
    """
    text = plain_text(field, value)
    if field == "name":
        name = " ".join(text.split())
        if not name or len(name) > NAME_LENGTH:
            raise OrganisationError(
                "organisation.name_missing", Location(field="name", value=value),
                limit=NAME_LENGTH,
            )  # fmt: skip
        return name
    if field == "profile":
        if text not in {code for code, _ in profiles("fr")}:
            raise OrganisationError(
                "organisation.profile_unknown", Location(field="profile", value=value)
            )
        return text
    cleaned = _compact(text)
    check = {"siren": is_siren, "rna": is_rna, "commune": is_commune_code}[field]
    if cleaned and not check(cleaned):
        raise OrganisationError(f"organisation.{field}_invalid", Location(field=field, value=value))
    return cleaned


def _cleaned(data: Mapping[str, object]) -> dict[str, str]:
    """Check every field given; refuse (400) the first invalid or unknown one."""
    for field in data:
        if field not in FIELDS:
            raise OrganisationError("organisation.field_unknown", Location(field=field))
    return {field: _clean(field, value) for field, value in data.items()}


@transaction.atomic
def create(owner: User, data: Mapping[str, object]) -> Organisation:
    """Create an organisation (name and profile required) with ``owner`` as its owner."""
    details = _cleaned({"name": data.get("name"), "profile": data.get("profile"), **data})
    organisation = Organisation.objects.create(**details)
    Membership.objects.create(user=owner, organisation=organisation, role=Membership.Role.OWNER)
    return organisation


def update(organisation: Organisation, data: Mapping[str, object]) -> Organisation:
    """Change the fields given (others stay); all are checked before anything is saved."""
    details = _cleaned(data)
    for field, value in details.items():
        setattr(organisation, field, value)
    organisation.save(update_fields=list(details) or None)
    return organisation


@dataclass(frozen=True)
class Identified:
    """What a SIREN or RNA number tells by itself: where it goes and, for an RNA, the profile."""

    siren: str = ""
    rna: str = ""
    profile: str = ""


def identify(value: object) -> Identified:
    """Read a SIREN or RNA number typed in a search box; refuse (400) anything else."""
    number = _compact(value)
    if re.fullmatch(r"[0-9]{9}", number):
        return Identified(siren=_clean("siren", number))
    if is_rna(number):
        return Identified(rna=number, profile="associations")
    raise OrganisationError(
        "organisation.identifier_invalid", Location(field="identifier", value=value)
    )
