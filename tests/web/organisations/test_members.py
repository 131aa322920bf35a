"""Members run by their owners: colleagues invited with a role and accepting with the invited
address, roles changed, members removed, leaving, ownership transferred — always one owner left.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

import pytest
from django.core import mail
from django.utils import timezone

from alliance.errors import OrganisationError
from alliance.web.accounts.models import User
from alliance.web.organisations import members
from alliance.web.organisations.models import ColleagueInvitation, Membership
from alliance.web.refusals import RefusalError

pytestmark = pytest.mark.integration


def keeping(tokens: list[str]) -> Callable[[str], str]:
    """An invitation link that keeps the token it is given."""

    def link(token: str) -> str:
        tokens.append(token)
        return f"https://observatoire.example/organisations/invitations/{token}/"

    return link


def roles(organisation) -> dict[str, str]:
    return dict(organisation.memberships.values_list("user__email", "role"))


@pytest.fixture
def colleague(db) -> User:
    return User.objects.create_user("collegue@demo.invalid")


def test_invite_mails_the_colleague_in_french_and_english(people, organisation):
    tokens: list[str] = []

    invitation = members.invite(
        organisation, people["owner"], " collegue@demo.invalid ", "editor", keeping(tokens)
    )

    expires = timezone.localtime(invitation.expires)
    link = f"https://observatoire.example/organisations/invitations/{tokens[0]}/"
    assert (invitation.email, invitation.role, invitation.sent_by) == (
        "collegue@demo.invalid", "editor", people["owner"],
    )  # fmt: skip
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["collegue@demo.invalid"]
    assert mail.outbox[0].subject == (
        "Invitation à rejoindre « Les Jardins du Lac (fictive) » / "
        "Invitation to join “Les Jardins du Lac (fictive)”"
    )
    assert mail.outbox[0].body == (
        "owner@demo.invalid vous invite à rejoindre « Les Jardins du Lac (fictive) » sur "
        "l'Observatoire des alliances, comme contributeur. Pour accepter, ouvrez ce lien (valable "
        f"jusqu'au {expires:%d/%m/%Y}) et connectez-vous ou créez un compte avec cette adresse : "
        f"{link}\n\n"
        "owner@demo.invalid invites you to join “Les Jardins du Lac (fictive)” on Alliance "
        f"Observatory, as editor. To accept, open this link (valid until {expires:%Y-%m-%d}) and "
        f"log in or sign up with this address: {link}"
    )
    assert tokens[0] not in invitation.digest


@pytest.mark.parametrize(
    ("email", "role", "key"),
    [("pas-une-adresse", "viewer", "invitation.email_invalid"),
     ("a@demo.invalid", "admin", "members.role_unknown")],
)  # fmt: skip
def test_invite_refuses_bad_input(people, organisation, email, role, key):
    with pytest.raises(OrganisationError) as raised:
        members.invite(organisation, people["owner"], email, role, lambda t: t)

    assert raised.value.key == key
    assert ColleagueInvitation.objects.count() == 0
    assert mail.outbox == []


def test_the_invited_address_joins_with_the_role(people, organisation, colleague):
    tokens: list[str] = []
    invitation = members.invite(organisation, people["owner"], "Collegue@demo.invalid",
                                "editor", keeping(tokens))  # fmt: skip

    membership = members.accept(ColleagueInvitation.by_token(tokens[0]), colleague)  # type: ignore[arg-type]

    assert (membership.user, membership.role) == (colleague, "editor")
    assert ColleagueInvitation.objects.get(pk=invitation.pk).state() == "accepted"
    with pytest.raises(RefusalError) as again:
        members.accept(invitation, colleague)
    assert (again.value.status, again.value.key) == (HTTPStatus.GONE, "invitation.accepted")


def test_another_address_cannot_join(people, organisation):
    invitation = members.invite(organisation, people["owner"], "x@demo.invalid", "owner",
                                lambda t: t)  # fmt: skip

    with pytest.raises(RefusalError) as refused:
        members.accept(invitation, people["outsider"])

    assert (refused.value.status, refused.value.key) == (
        HTTPStatus.FORBIDDEN, "invitation.other_address",
    )  # fmt: skip
    assert "outsider@demo.invalid" not in roles(organisation)


def test_the_sender_cannot_accept_their_own(people, organisation):
    invitation = members.invite(organisation, people["owner"], "owner@demo.invalid", "viewer",
                                lambda t: t)  # fmt: skip

    with pytest.raises(RefusalError) as refused:
        members.accept(invitation, people["owner"])

    assert refused.value.key == "invitation.own"


def test_a_member_already_in_is_told_so(people, organisation):
    invitation = members.invite(organisation, people["owner"], "viewer@demo.invalid", "owner",
                                lambda t: t)  # fmt: skip

    with pytest.raises(RefusalError) as refused:
        members.accept(invitation, people["viewer"])

    assert (refused.value.status, refused.value.key) == (
        HTTPStatus.CONFLICT, "invitation.already_member",
    )  # fmt: skip
    assert roles(organisation)["viewer@demo.invalid"] == "viewer"


def test_expired_and_revoked_invitations_are_refused(people, organisation, colleague):
    expired = members.invite(organisation, people["owner"], colleague.email, "viewer", lambda t: t)
    ColleagueInvitation.objects.filter(pk=expired.pk).update(expires=timezone.now())
    revoked = members.invite(organisation, people["owner"], colleague.email, "viewer", lambda t: t)
    members.revoke(revoked)

    for invitation, key in ((expired, "invitation.expired"), (revoked, "invitation.revoked")):
        with pytest.raises(RefusalError) as refused:
            members.accept(invitation, colleague)
        assert (refused.value.status, refused.value.key) == (HTTPStatus.GONE, key)
    assert colleague.email not in roles(organisation)


def test_resend_gives_a_new_link_and_kills_the_old(people, organisation):
    tokens: list[str] = []
    invitation = members.invite(organisation, people["owner"], "c@demo.invalid", "viewer",
                                keeping(tokens))  # fmt: skip

    members.resend(invitation, keeping(tokens))

    assert ColleagueInvitation.by_token(tokens[0]) is None
    assert ColleagueInvitation.by_token(tokens[1]) == invitation
    assert [m.to for m in mail.outbox] == [["c@demo.invalid"], ["c@demo.invalid"]]


def test_change_role(people, organisation):
    members.change_role(organisation, people["viewer"].pk, "editor")

    assert roles(organisation)["viewer@demo.invalid"] == "editor"


@pytest.mark.parametrize(
    ("user", "role", "key"),
    [("viewer", "boss", "members.role_unknown"), ("outsider", "viewer", "members.unknown")],
)
def test_change_role_refuses_bad_input(people, organisation, user, role, key):
    with pytest.raises(OrganisationError) as raised:
        members.change_role(organisation, people[user].pk, role)

    assert raised.value.key == key


def test_the_last_owner_cannot_step_down_nor_leave(people, organisation):
    owner = people["owner"].pk
    for attempt in (lambda: members.change_role(organisation, owner, "editor"),
                    lambda: members.remove(organisation, owner)):  # fmt: skip
        with pytest.raises(RefusalError) as refused:
            attempt()
        assert refused.value.status == HTTPStatus.CONFLICT
        assert refused.value.message("fr").startswith(
            "L'organisation doit garder au moins un responsable"
        )
        assert refused.value.message("en").startswith(
            "The organisation must keep at least one owner"
        )
    assert roles(organisation)["owner@demo.invalid"] == "owner"


def test_an_owner_may_go_when_another_stays(people, organisation):
    members.change_role(organisation, people["editor"].pk, "owner")

    members.remove(organisation, people["owner"].pk)

    assert roles(organisation) == {"editor@demo.invalid": "owner", "viewer@demo.invalid": "viewer"}


def test_transfer_makes_the_successor_owner_and_the_owner_editor(people, organisation):
    members.transfer(organisation, people["owner"], people["viewer"].pk)

    assert roles(organisation) == {
        "owner@demo.invalid": "editor", "editor@demo.invalid": "editor",
        "viewer@demo.invalid": "owner",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("successor", "key"), [("owner", "members.transfer_to_self"), ("outsider", "members.unknown")]
)
def test_transfer_refuses_oneself_and_strangers(people, organisation, successor, key):
    with pytest.raises(OrganisationError) as raised:
        members.transfer(organisation, people["owner"], people[successor].pk)

    assert raised.value.key == key
    assert roles(organisation)["owner@demo.invalid"] == "owner"


@pytest.mark.parametrize("value", ["abc", None, "", "-1"])
def test_membership_of_refuses_what_is_not_a_member(organisation, value):
    with pytest.raises(OrganisationError) as raised:
        members.membership_of(organisation, value)

    assert raised.value.key == "members.unknown"


def test_role_of():
    assert members.role_of("viewer") is Membership.Role.VIEWER
