"""The rules every invitation shares: the address, the limits, who may accept, the sign-up link."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from alliance.errors import OrganisationError
from alliance.web import invitations
from alliance.web.organisations import members
from alliance.web.organisations.models import ColleagueInvitation
from alliance.web.partnerships import actions
from alliance.web.partnerships import invitations as partner_invitations
from alliance.web.refusals import RefusalError

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("typed", [" a@demo.invalid", "a@demo.invalid  "])
def test_clean_address_strips_spaces(typed):
    assert invitations.clean_address(typed) == "a@demo.invalid"


@pytest.mark.parametrize("typed", [None, "", "a", "a@", "<script>@x"])
def test_clean_address_refuses_what_is_not_an_address(typed):
    with pytest.raises(OrganisationError) as raised:
        invitations.clean_address(typed)

    assert raised.value.key == "invitation.email_invalid"
    assert raised.value.location.field == "email"


def test_pending_count_counts_colleagues_and_partners(people, organisation):
    members.invite(organisation, people["owner"], "a@demo.invalid", "viewer", lambda t: t)
    partnership = actions.start(organisation, "Jardin")
    partner_invitations.invite(partnership, organisation, "b@demo.invalid", lambda t: t)
    revoked = members.invite(organisation, people["owner"], "c@demo.invalid", "viewer", lambda t: t)
    invitations.revoke(revoked)

    assert invitations.pending_count(organisation) == 2


def test_limits_are_per_organisation(people, organisation, other_organisation, settings):
    settings.ALLIANCE_INVITATIONS_PENDING = 1
    members.invite(organisation, people["owner"], "a@demo.invalid", "viewer", lambda t: t)

    with pytest.raises(RefusalError) as refused:
        invitations.check_limits(organisation)

    assert refused.value.status == HTTPStatus.TOO_MANY_REQUESTS
    invitations.check_limits(other_organisation)
    invitations.check_limits(organisation, new=False)


def test_mails_older_than_a_day_do_not_count(people, organisation, settings):
    settings.ALLIANCE_INVITATIONS_PER_DAY = 1
    members.invite(organisation, people["owner"], "a@demo.invalid", "viewer", lambda t: t)
    with pytest.raises(RefusalError):
        invitations.check_limits(organisation)

    organisation.invitation_mails.update(sent=timezone.now() - timedelta(hours=25))

    invitations.check_limits(organisation)


def test_check_open_refuses_used_and_revoked_invitations_only(people, organisation):
    invitation = members.invite(organisation, people["owner"], "a@demo.invalid", "viewer",
                                lambda t: t)  # fmt: skip
    ColleagueInvitation.objects.filter(pk=invitation.pk).update(expires=timezone.now())
    expired = ColleagueInvitation.objects.get(pk=invitation.pk)

    invitations.check_open(expired)
    invitations.revoke(expired)

    with pytest.raises(RefusalError) as refused:
        invitations.check_open(expired)
    assert (refused.value.status, refused.value.key) == (HTTPStatus.CONFLICT, "invitation.closed")


def test_the_invited_address_is_compared_without_case(people, organisation):
    invitation = members.invite(organisation, people["owner"], "VIEWER@Demo.Invalid", "owner",
                                lambda t: t)  # fmt: skip

    invitations.check_acceptable(invitation, people["viewer"])


def test_the_record_shows_neither_token_nor_digest(people, organisation):
    invitation = members.invite(organisation, people["owner"], "a@demo.invalid", "viewer",
                                lambda t: t)  # fmt: skip

    record = invitations.invitation_record(invitation)

    assert set(record) == {"id", "email", "state", "created", "expires", "sent_by"}
    assert invitation.digest not in str(record)


def test_the_signup_link_carries_the_address_and_the_way_back():
    link = invitations.signup_link("a+b@demo.invalid", "/invitations/x/")

    assert link == "/accounts/signup/?email=a%2Bb%40demo.invalid&next=%2Finvitations%2Fx%2F"


def test_check_alive_says_a_link_is_gone_without_a_login(people, organisation):
    invitation = members.invite(organisation, people["owner"], "a@demo.invalid", "viewer",
                                lambda t: t)  # fmt: skip
    invitations.check_alive(invitation)
    invitations.revoke(invitation)

    with pytest.raises(RefusalError) as refused:
        invitations.check_alive(invitation)

    assert (refused.value.status, refused.value.key) == (HTTPStatus.GONE, "invitation.revoked")
