"""The organisations' API: creating and editing an organisation, its members, colleagues'
invitations — every endpoint × every person, bodies, bilingual refusals.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from alliance.web.accounts.models import User
from alliance.web.organisations.models import ColleagueInvitation, Membership, Organisation
from tests.web.conftest import bearer

pytestmark = pytest.mark.integration

WHO = ["anonymous", "owner", "editor", "viewer", "outsider", "analyst"]
READ = {"anonymous": 401, "owner": 200, "editor": 200, "viewer": 200, "outsider": 404,
        "analyst": 404}  # fmt: skip
EDIT = READ | {"viewer": 403}
MANAGE = EDIT | {"editor": 403}


def call(method: str, url: str, who: str, people, body: Any = None) -> Any:
    headers = {} if who == "anonymous" else bearer(people[who])
    options: dict[str, Any] = {"headers": headers}
    if body is not None:
        options |= {"data": json.dumps(body), "content_type": "application/json"}
    return getattr(Client(), method)(url, **options)


def created(expected: int) -> int:
    return 201 if expected == 200 else expected


def roles(organisation) -> dict[str, str]:
    return dict(organisation.memberships.values_list("user__email", "role"))


def token_of(message) -> str:
    found = re.findall(r"http://testserver/organisations/invitations/([\w-]+)/", message.body)
    assert len(set(found)) == 1
    return str(found[0])


# Creating and editing -------------------------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_create_organisation(who, people):
    body = {"name": "Les Ateliers (fictive)", "profile": "associations", "rna": "W351234567"}

    response = call("post", "/api/organisations", who, people, body)

    if who == "anonymous":
        assert response.status_code == 401
        assert not Organisation.objects.filter(name="Les Ateliers (fictive)").exists()
        return
    assert response.status_code == 201
    found = Organisation.objects.get(name="Les Ateliers (fictive)")
    assert response.json() == {
        "id": found.pk, "name": "Les Ateliers (fictive)", "profile": "associations", "siren": "",
        "rna": "W351234567", "commune": "", "synthetic": False,
    }  # fmt: skip
    assert roles(found) == {people[who].email: "owner"}


def test_create_refuses_bad_details_in_both_languages(people):
    response = call("post", "/api/organisations", "owner", people,
                    {"name": "A", "profile": "pme", "commune": "7505"})  # fmt: skip

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Code commune INSEE invalide (5 caractères, par exemple 75056) "
                  "(champ 'commune', valeur '7505')",
        "key": "organisation.commune_invalid",
        "messages": {
            "fr": "Code commune INSEE invalide (5 caractères, par exemple 75056) "
                  "(champ 'commune', valeur '7505')",
            "en": "Invalid INSEE commune code (5 characters, for example 75056) "
                  "(field 'commune', value '7505')",
        },
    }  # fmt: skip
    assert not Organisation.objects.filter(name="A").exists()


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Jardin\u0000partagé", "request.invalid_text"),  # no database stores NUL: the guard
        ("Jardin\u001b[2J", "qualification.text_control"),
        ("Jardin\tpartagé", "qualification.text_control"),
    ],
)
def test_create_refuses_a_name_with_a_control_character(people, name, key):
    response = call("post", "/api/organisations", "owner", people,
                    {"name": name, "profile": "associations"})  # fmt: skip

    assert response.status_code == 400
    assert response.json()["key"] == key
    assert not Organisation.objects.filter(name__startswith="Jardin").exists()


def test_a_control_character_is_located_in_both_languages(people, organisation):
    response = call("patch", f"/api/organisations/{organisation.pk}", "owner", people,
                    {"name": "Les Jardins\u0007"})  # fmt: skip

    assert response.status_code == 400
    assert response.json()["messages"] == {
        "fr": "Caractère de contrôle U+0007 interdit dans ce texte (position 12) (champ 'name')",
        "en": "Control character U+0007 is not allowed in this text (position 12) (field 'name')",
    }
    assert Organisation.objects.get(pk=organisation.pk).name == "Les Jardins du Lac (fictive)"


def test_create_with_a_synthetic_flag_is_not_possible(people):
    response = call("post", "/api/organisations", "owner", people,
                    {"name": "A", "profile": "pme", "synthetic": True})  # fmt: skip

    assert response.status_code == 201
    assert Organisation.objects.get(name="A").synthetic is False


@pytest.mark.parametrize("who", WHO)
def test_edit_organisation(who, people, organisation):
    response = call("patch", f"/api/organisations/{organisation.pk}", who, people,
                    {"commune": "35238"})  # fmt: skip

    assert response.status_code == EDIT[who]
    changed = Organisation.objects.get(pk=organisation.pk).commune == "35238"
    assert changed is (EDIT[who] == 200)
    if changed:
        assert response.json()["commune"] == "35238"
        assert response.json()["name"] == "Les Jardins du Lac (fictive)"


def test_edit_refuses_an_invalid_siren(people, organisation):
    response = call("patch", f"/api/organisations/{organisation.pk}", "owner", people,
                    {"siren": "123456789"})  # fmt: skip

    assert response.status_code == 400
    assert response.json()["key"] == "organisation.siren_invalid"
    assert Organisation.objects.get(pk=organisation.pk).siren == ""


@pytest.mark.parametrize(
    ("identifier", "status", "body"),
    [("732829320", 200, {"siren": "732829320", "rna": "", "profile": ""}),
     ("W351234567", 200, {"siren": "", "rna": "W351234567", "profile": "associations"}),
     ("732829321", 400, None), ("abc", 400, None)],
)  # fmt: skip
def test_identify_a_number(people, identifier, status, body):
    response = call("get", f"/api/organisations/identifiers/{identifier}", "viewer", people)

    assert response.status_code == status
    if body is not None:
        assert response.json() == body


def test_identify_needs_a_login(db):
    assert Client().get("/api/organisations/identifiers/732829320").status_code == 401


# Members ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_list_members(who, people, organisation):
    response = call("get", f"/api/organisations/{organisation.pk}/members", who, people)

    assert response.status_code == READ[who]
    if response.status_code == 200:
        assert [(m["email"], m["role"]) for m in response.json()] == [
            ("owner@demo.invalid", "owner"), ("editor@demo.invalid", "editor"),
            ("viewer@demo.invalid", "viewer"),
        ]  # fmt: skip


@pytest.mark.parametrize("who", WHO)
def test_change_a_role(who, people, organisation):
    url = f"/api/organisations/{organisation.pk}/members/{people['viewer'].pk}"

    response = call("patch", url, who, people, {"role": "editor"})

    assert response.status_code == MANAGE[who]
    assert (roles(organisation)["viewer@demo.invalid"] == "editor") is (MANAGE[who] == 200)


@pytest.mark.parametrize("who", WHO)
def test_remove_a_member(who, people, organisation):
    url = f"/api/organisations/{organisation.pk}/members/{people['editor'].pk}"

    response = call("delete", url, who, people)

    expected = MANAGE | {"editor": 200}  # the editor leaving
    assert response.status_code == expected[who]
    assert ("editor@demo.invalid" in roles(organisation)) is (expected[who] != 200)


@pytest.mark.parametrize("who", ["editor", "viewer"])
def test_any_member_may_leave(who, people, organisation):
    url = f"/api/organisations/{organisation.pk}/members/{people[who].pk}"

    response = call("delete", url, who, people)

    assert response.status_code == 200
    assert response.json() == {"removed": people[who].pk}
    assert f"{who}@demo.invalid" not in roles(organisation)


def test_the_last_owner_cannot_leave_nor_step_down(people, organisation):
    url = f"/api/organisations/{organisation.pk}/members/{people['owner'].pk}"

    leaving = call("delete", url, "owner", people)
    stepping_down = call("patch", url, "owner", people, {"role": "viewer"})

    for response in (leaving, stepping_down):
        assert response.status_code == 409
        assert response.json()["key"] == "members.last_owner"
        assert response.json()["messages"]["en"] == (
            "The organisation must keep at least one owner: first make someone else an owner "
            "(or transfer ownership to them)"
        )
    assert roles(organisation)["owner@demo.invalid"] == "owner"


def test_a_bad_role_and_a_stranger_are_400(people, organisation):
    base = f"/api/organisations/{organisation.pk}/members"

    bad_role = call("patch", f"{base}/{people['viewer'].pk}", "owner", people, {"role": "chef"})
    stranger = call("patch", f"{base}/{people['outsider'].pk}", "owner", people, {"role": "owner"})

    assert (bad_role.status_code, bad_role.json()["key"]) == (400, "members.role_unknown")
    assert (stranger.status_code, stranger.json()["key"]) == (400, "members.unknown")
    assert "outsider@demo.invalid" not in roles(organisation)


@pytest.mark.parametrize("who", WHO)
def test_transfer_ownership(who, people, organisation):
    url = f"/api/organisations/{organisation.pk}/members/transfer"

    response = call("post", url, who, people, {"user": people["viewer"].pk})

    assert response.status_code == MANAGE[who]
    if response.status_code == 200:
        assert roles(organisation) == {
            "owner@demo.invalid": "editor", "editor@demo.invalid": "editor",
            "viewer@demo.invalid": "owner",
        }  # fmt: skip


# Colleagues' invitations ------------------------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_invite_a_colleague(who, people, organisation):
    url = f"/api/organisations/{organisation.pk}/members/invitations"

    response = call("post", url, who, people, {"email": "collegue@demo.invalid", "role": "editor"})

    assert response.status_code == created(MANAGE[who])
    assert len(mail.outbox) == ColleagueInvitation.objects.count() == int(MANAGE[who] == 200)
    if response.status_code == 201:
        invitation = ColleagueInvitation.objects.get()
        body = response.json()
        assert body == {
            "id": invitation.pk, "email": "collegue@demo.invalid", "role": "editor",
            "state": "pending", "created": invitation.created.isoformat(),
            "expires": invitation.expires.isoformat(), "sent_by": people[who].email,
        }  # fmt: skip
        assert token_of(mail.outbox[0]) not in response.content.decode()


@pytest.mark.parametrize("who", WHO)
def test_list_colleagues_invitations(who, people, organisation):
    call("post", f"/api/organisations/{organisation.pk}/members/invitations", "owner", people,
         {"email": "c@demo.invalid"})  # fmt: skip

    response = call("get", f"/api/organisations/{organisation.pk}/members/invitations", who, people)

    assert response.status_code == MANAGE[who]
    if response.status_code == 200:
        assert [(i["email"], i["role"], i["state"]) for i in response.json()] == [
            ("c@demo.invalid", "viewer", "pending")
        ]


def test_resend_and_revoke(people, organisation):
    base = f"/api/organisations/{organisation.pk}/members/invitations"
    invitation = call("post", base, "owner", people, {"email": "c@demo.invalid"}).json()
    first = token_of(mail.outbox[0])

    resent = call("post", f"{base}/{invitation['id']}/resend", "owner", people)
    by_editor = call("delete", f"{base}/{invitation['id']}", "editor", people)
    revoked = call("delete", f"{base}/{invitation['id']}", "owner", people)
    again = call("delete", f"{base}/{invitation['id']}", "owner", people)
    unknown = call("delete", f"{base}/999999", "owner", people)

    assert resent.status_code == 200
    assert token_of(mail.outbox[1]) != first
    assert ColleagueInvitation.by_token(first) is None
    assert by_editor.status_code == 403
    assert (revoked.status_code, revoked.json()["state"]) == (200, "revoked")
    assert (again.status_code, again.json()["key"]) == (409, "invitation.closed")
    assert unknown.status_code == 404


def test_another_organisations_invitation_is_404(people, organisation, other_organisation):
    theirs = call("post", f"/api/organisations/{other_organisation.pk}/members/invitations",
                  "outsider", people, {"email": "c@demo.invalid"}).json()  # fmt: skip

    response = call(
        "delete", f"/api/organisations/{organisation.pk}/members/invitations/{theirs['id']}",
        "owner", people,
    )  # fmt: skip

    assert response.status_code == 404
    assert ColleagueInvitation.objects.get(pk=theirs["id"]).state() == "pending"


def test_too_many_invitations_are_429_in_both_languages(people, organisation, settings):
    settings.ALLIANCE_INVITATIONS_PENDING = 1
    url = f"/api/organisations/{organisation.pk}/members/invitations"

    call("post", url, "owner", people, {"email": "a@demo.invalid"})
    response = call("post", url, "owner", people, {"email": "b@demo.invalid"})

    assert response.status_code == 429
    assert response.json()["messages"] == {
        "fr": "Trop d'invitations en attente pour cette organisation (au plus 1) : annulez-en ou "
              "attendez qu'elles soient acceptées",
        "en": "Too many invitations waiting for this organisation (at most 1): cancel some or "
              "wait until they are accepted",
    }  # fmt: skip
    assert len(mail.outbox) == 1


# Accepting --------------------------------------------------------------------------------------


@pytest.fixture
def colleague_token(people, organisation) -> str:
    call("post", f"/api/organisations/{organisation.pk}/members/invitations", "owner", people,
         {"email": "collegue@demo.invalid", "role": "editor"})  # fmt: skip
    return token_of(mail.outbox[-1])


def test_the_invited_address_accepts(people, organisation, colleague_token):
    colleague = User.objects.create_user("collegue@demo.invalid")
    url = f"/api/organisations/invitations/{colleague_token}/accept"

    response = Client().post(url, headers=bearer(colleague))
    again = Client().post(url, headers=bearer(colleague))

    assert response.status_code == 200
    assert response.json() == {"organisation": organisation.pk, "role": "editor"}
    assert Membership.objects.get(user=colleague).role == "editor"
    assert (again.status_code, again.json()["key"]) == (410, "invitation.accepted")


@pytest.mark.parametrize(
    ("who", "status", "key"),
    [("anonymous", 401, None), ("owner", 403, "invitation.own"),
     ("viewer", 403, "invitation.other_address"), ("outsider", 403, "invitation.other_address")],
)  # fmt: skip
def test_others_cannot_accept(who, status, key, people, organisation, colleague_token):
    response = call("post", f"/api/organisations/invitations/{colleague_token}/accept", who, people)

    assert response.status_code == status
    if key:
        assert response.json()["key"] == key
    assert roles(organisation) == {
        "owner@demo.invalid": "owner", "editor@demo.invalid": "editor",
        "viewer@demo.invalid": "viewer",
    }  # fmt: skip


def test_expired_and_unknown_tokens(people, organisation, colleague_token):
    colleague = User.objects.create_user("collegue@demo.invalid")
    ColleagueInvitation.objects.update(expires=timezone.now())

    expired = Client().post(
        f"/api/organisations/invitations/{colleague_token}/accept", headers=bearer(colleague)
    )
    unknown = Client().post("/api/organisations/invitations/nope/accept", headers=bearer(colleague))

    assert (expired.status_code, expired.json()["key"]) == (410, "invitation.expired")
    assert unknown.status_code == 404
    assert not Membership.objects.filter(user=colleague).exists()
