"""Creating and editing an organisation; reading a SIREN or RNA number to pre-fill the form."""

from __future__ import annotations

import pytest

from alliance.errors import EvaluationError, OrganisationError
from alliance.web.organisations import registration
from alliance.web.organisations.models import Membership, Organisation

pytestmark = pytest.mark.integration

PME = {"name": "A", "profile": "pme"}


def test_create_makes_the_person_its_owner(people):
    person = people["analyst"]

    created = registration.create(
        person,
        {"name": "  Les   Ateliers du Port (fictive) ", "profile": "associations",
         "rna": "w 351 234 567", "siren": "732 829 320", "commune": "2a004"},
    )  # fmt: skip

    found = Organisation.objects.get(pk=created.pk)
    assert (found.name, found.profile, found.rna, found.siren, found.commune) == (
        "Les Ateliers du Port (fictive)", "associations", "W351234567", "732829320", "2A004",
    )  # fmt: skip
    assert list(found.memberships.values_list("user__email", "role")) == [
        ("analyst@demo.invalid", "owner")
    ]


@pytest.mark.parametrize(
    ("data", "key", "field"),
    [
        ({"name": "", "profile": "associations"}, "organisation.name_missing", "name"),
        ({"name": "x" * 201, "profile": "associations"}, "organisation.name_missing", "name"),
        ({"name": "A", "profile": "inconnu"}, "organisation.profile_unknown", "profile"),
        ({"name": "A"}, "organisation.profile_unknown", "profile"),
        (PME | {"siren": "732829321"}, "organisation.siren_invalid", "siren"),
        (PME | {"rna": "X12"}, "organisation.rna_invalid", "rna"),
        (PME | {"commune": "7505"}, "organisation.commune_invalid", "commune"),
        (PME | {"synthetic": True}, "organisation.field_unknown", "synthetic"),
    ],
)  # fmt: skip
def test_create_refuses_invalid_details_and_creates_nothing(people, data, key, field):
    with pytest.raises(OrganisationError) as raised:
        registration.create(people["analyst"], data)

    assert raised.value.key == key
    assert raised.value.location.field == field
    assert Organisation.objects.filter(name="A").count() == 0


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"name": "Jardin\x00partagé", "profile": "associations"}, "name", "U+0000"),
        ({"name": "Jardin\x1b[2J", "profile": "associations"}, "name", "U+001B"),
        ({"name": "Jardin\npartagé", "profile": "associations"}, "name", "U+000A"),
        (PME | {"commune": "7505\x1f6"}, "commune", "U+001F"),
        (PME | {"siren": "732\x00829320"}, "siren", "U+0000"),
    ],
)
def test_control_characters_are_refused_where_they_are_not_dropped(people, data, field, code):
    """Dropping spaces from a number must not silently drop a control character with them."""
    with pytest.raises(EvaluationError) as raised:
        registration.create(people["analyst"], data)

    assert raised.value.key == "qualification.text_control"
    assert raised.value.location.field == field
    assert code in raised.value.message("fr")
    assert not Organisation.objects.filter(name__startswith="Jardin").exists()
    assert not Organisation.objects.filter(name="A").exists()


@pytest.mark.parametrize("value", [["Jardin"], {"fr": "Jardin"}, 42])
def test_a_name_that_is_not_text_is_refused_not_stored_as_python(people, value):
    with pytest.raises(EvaluationError) as raised:
        registration.create(people["analyst"], {"name": value, "profile": "associations"})

    assert raised.value.key == "qualification.text_expected"
    assert raised.value.location.field == "name"
    assert not Organisation.objects.filter(memberships__user=people["analyst"]).exists()


def test_the_messages_are_in_french_and_english(people):
    with pytest.raises(OrganisationError) as raised:
        registration.create(people["analyst"], {"name": "A", "profile": "pme", "siren": "123"})

    assert raised.value.message("fr") == (
        "SIREN invalide : 9 chiffres dont la clé de Luhn est juste (champ 'siren', valeur '123')"
    )
    assert raised.value.message("en") == (
        "Invalid SIREN: 9 digits with a valid Luhn check digit (field 'siren', value '123')"
    )


def test_update_changes_only_the_fields_given(organisation):
    registration.update(organisation, {"commune": "35238", "siren": ""})

    found = Organisation.objects.get(pk=organisation.pk)
    assert (found.name, found.rna, found.commune, found.siren) == (
        "Les Jardins du Lac (fictive)", "W351234567", "35238", "",
    )  # fmt: skip


def test_update_checks_everything_before_saving(organisation):
    with pytest.raises(OrganisationError):
        registration.update(organisation, {"name": "Nouveau nom", "rna": "W1"})

    assert Organisation.objects.get(pk=organisation.pk).name == "Les Jardins du Lac (fictive)"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("732 829 320", registration.Identified(siren="732829320")),
        ("w351234567", registration.Identified(rna="W351234567", profile="associations")),
    ],
)
def test_identify_reads_what_the_number_tells(typed, expected):
    assert registration.identify(typed) == expected


@pytest.mark.parametrize(
    ("typed", "key"),
    [("732829321", "organisation.siren_invalid"), ("12", "organisation.identifier_invalid"),
     ("", "organisation.identifier_invalid"), ("<script>", "organisation.identifier_invalid")],
)  # fmt: skip
def test_identify_refuses_anything_else(typed, key):
    with pytest.raises(OrganisationError) as raised:
        registration.identify(typed)

    assert raised.value.key == key


def test_profiles_are_the_referentials_in_the_language_asked():
    profiles = dict(registration.profiles("en"))

    assert profiles["associations"] == "Non-profit associations"
    assert profiles["collectivites_territoriales"] == "Local authorities"
    assert len(profiles) == 11


def test_owner_role_is_the_first_membership(people):
    created = registration.create(people["outsider"], {"name": "B", "profile": "fondations"})

    assert Membership.objects.get(organisation=created).role == Membership.Role.OWNER
