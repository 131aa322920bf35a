"""Organisations: identifiers and profile checked with French messages; one role per member."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from alliance.web.accounts.models import User
from alliance.web.organisations.models import Membership, Organisation
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.integration

SIREN = "SIREN invalide : 9 chiffres dont la clé de Luhn est juste."
RNA = (
    "RNA invalide : la lettre W, le code de la préfecture (3 caractères) puis 6 chiffres, "
    "par exemple W595001234."
)
COMMUNE = "Code commune INSEE invalide (5 caractères, par exemple 75056)."


def errors_of(organisation: Organisation) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        organisation.full_clean()
    return raised.value.message_dict


def test_invalid_identifiers_and_profile_give_french_messages(db):
    organisation = Organisation(
        name="Mauvaise (fictive)", profile="inconnu", siren="732829321", rna="X12", commune="7505"
    )

    assert errors_of(organisation) == {
        "profile": ["Profil inconnu du référentiel : inconnu"],
        "siren": [SIREN],
        "rna": [RNA],
        "commune": [COMMUNE],
    }


def test_messages_in_english_under_english(db):
    organisation = Organisation(name="Bad (fictive)", profile="pme", rna="W1", commune="2C004")

    with translation.override("en"):
        errors = errors_of(organisation)

    assert errors == {
        "rna": [
            "Invalid RNA: the letter W, the prefecture's code (3 characters) then 6 digits, "
            "for example W595001234."
        ],
        "commune": ["Invalid INSEE municipality code (5 characters, e.g. 75056)."],
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("siren", "73282932", SIREN),
        ("siren", "73282932A", SIREN),
        ("rna", "w751234567", RNA),
        ("rna", "751234567", RNA),
        ("commune", "2a004", COMMUNE),
        ("commune", "ABCDE", COMMUNE),
    ],
)
def test_each_identifier_is_checked(db, field, value, message):
    organisation = Organisation(name="Une (fictive)", profile="associations", **{field: value})

    assert errors_of(organisation) == {field: [message]}


def test_a_siren_too_long_is_refused_by_length_too(db):
    organisation = Organisation(name="Longue (fictive)", profile="pme", siren="7328293200")

    assert errors_of(organisation) == {
        "siren": [
            SIREN,
            "Assurez-vous que cette valeur comporte au plus 9 caractères (actuellement 10).",
        ]
    }


@pytest.mark.parametrize(
    "fields",
    [
        {"profile": "pme", "siren": "732829320", "commune": "75056"},
        {"profile": "associations", "rna": "W751234567", "commune": "2A004"},
        {"profile": "associations_employeuses", "siren": "356000000", "rna": "W351234567"},
        {"profile": "collectivites_territoriales", "commune": "97411"},
        {"profile": "academiques"},
    ],
)
def test_valid_organisations_pass(db, fields):
    organisation = Organisation(name="Valide (fictive)", **fields)

    organisation.full_clean()
    organisation.save()

    assert Organisation.objects.filter(name="Valide (fictive)").count() == 1


def test_name_and_profile_are_required(db):
    assert errors_of(Organisation()) == {
        "name": ["Ce champ ne peut pas être vide."],
        "profile": ["Ce champ ne peut pas être vide."],
    }


@pytest.mark.parametrize(
    ("profile", "french", "english"),
    [
        ("pme", "PME", "SMEs"),
        ("associations", "Associations", "Non-profit associations"),
        ("associations_employeuses", "Associations employeuses", "Employer associations"),
        ("collectivites_territoriales", "Collectivités territoriales", "Local authorities"),
    ],
)
def test_profile_label(profile, french, english):
    organisation = Organisation(name="X (fictive)", profile=profile)

    assert organisation.profile_label("fr") == french
    assert organisation.profile_label("en") == english


def test_str_and_order_by_name(organisation, other_organisation):
    assert str(organisation) == "Les Jardins du Lac (fictive)"
    assert [o.name for o in Organisation.objects.all()] == [
        "Boulangeries Moreau (fictive)",
        "Les Jardins du Lac (fictive)",
    ]
    assert organisation.synthetic is False
    assert organisation.created is not None


def test_members_and_their_roles(people, organisation):
    roles = {m.user.email: m.get_role_display() for m in organisation.memberships.all()}

    assert roles == {
        "owner@demo.invalid": "responsable",
        "editor@demo.invalid": "contributeur",
        "viewer@demo.invalid": "lecteur",
    }
    assert sorted(u.email for u in organisation.members.all()) == [
        "editor@demo.invalid",
        "owner@demo.invalid",
        "viewer@demo.invalid",
    ]
    assert [o.name for o in people["owner"].organisations.all()] == [organisation.name]


def test_default_role_is_viewer(organisation):
    user = User.objects.create_user("nouveau@demo.invalid", PASSWORD)

    membership = Membership.objects.create(user=user, organisation=organisation)

    assert membership.role == Membership.Role.VIEWER == "viewer"


def test_one_role_per_member(people, organisation):
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=people["viewer"], organisation=organisation, role="owner")


def test_deleting_an_organisation_removes_its_memberships(people, organisation):
    organisation.delete()

    assert Membership.objects.filter(user=people["owner"]).count() == 0
    assert User.objects.filter(email="owner@demo.invalid").exists()
