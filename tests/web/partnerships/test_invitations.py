"""Invitations to partnerships: sent in both languages, bound to the invited address, expiring,
resent, revoked, accepted once, within the organisation's limits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from alliance.errors import OrganisationError
from alliance.web.accounts.models import User
from alliance.web.partnerships import actions, invitations
from alliance.web.partnerships.models import Invitation, Partnership, Side
from alliance.web.refusals import RefusalError

pytestmark = pytest.mark.integration


@pytest.fixture
def shared(organisation, other_organisation) -> Partnership:
    """A partnership between ``organisation`` (first side) and ``other_organisation``."""
    partnership = actions.start(organisation, "Jardin partagé")
    Side.objects.create(partnership=partnership, organisation=other_organisation)
    return partnership


@pytest.fixture
def jardins(db) -> User:
    """The person invited, logged in with the invited address."""
    return User.objects.create_user("jardins@demo.invalid")


def keeping(tokens: list[str]) -> Callable[[str], str]:
    """An invitation link that keeps the token it is given."""

    def link(token: str) -> str:
        tokens.append(token)
        return token

    return link


def test_invite_sends_one_mail_in_french_and_english(shared, organisation):
    tokens: list[str] = []

    def link(token: str) -> str:
        tokens.append(token)
        return f"https://observatoire.example/invitations/{token}/"

    invitation = invitations.invite(shared, organisation, "  partenaire@demo.invalid ", link)

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    address = f"https://observatoire.example/invitations/{tokens[0]}/"
    assert sent.to == ["partenaire@demo.invalid"]
    assert sent.from_email == settings.DEFAULT_FROM_EMAIL
    assert sent.subject == (
        "Invitation au partenariat « Jardin partagé » / "
        "Invitation to the partnership “Jardin partagé”"
    )
    last_day = timezone.localtime(invitation.expires)
    assert sent.body == (
        "Les Jardins du Lac (fictive) vous invite à qualifier et à évaluer avec elle le "
        "partenariat « Jardin partagé » sur l'Observatoire des alliances. Pour le rejoindre, "
        f"ouvrez ce lien (valable jusqu'au {last_day:%d/%m/%Y}) et connectez-vous ou créez un "
        f"compte avec cette adresse : {address}"
        "\n\n"
        "Les Jardins du Lac (fictive) invites you to qualify and evaluate the partnership "
        "“Jardin partagé” with them on Alliance Observatory. To join it, open this link (valid "
        f"until {last_day:%Y-%m-%d}) and log in or sign up with this address: {address}"
    )
    assert invitation.email == "partenaire@demo.invalid"
    assert invitation.invited_by == organisation
    assert Invitation.find(tokens[0]) == invitation


def test_only_the_digest_of_the_token_is_kept(shared, organisation):
    tokens: list[str] = []
    invitation = invitations.invite(shared, organisation, "p@demo.invalid", keeping(tokens))

    stored = Invitation.objects.get(pk=invitation.pk)
    assert tokens[0] not in stored.digest
    assert len(stored.digest) == 64
    assert Invitation.by_token(tokens[0]) == stored


def test_the_token_is_in_the_body_in_both_languages_not_in_the_subject(shared, organisation):
    tokens: list[str] = []
    invitations.invite(shared, organisation, "p@demo.invalid", keeping(tokens))

    assert tokens[0] not in mail.outbox[0].subject
    assert mail.outbox[0].body.count(tokens[0]) == 2


def test_an_invitation_expires_after_the_days_set(shared, organisation, settings):
    settings.ALLIANCE_INVITATION_DAYS = 3
    before = timezone.now()

    invitation = invitations.invite(shared, organisation, "p@demo.invalid", lambda t: t)

    assert before + timedelta(days=3) <= invitation.expires <= timezone.now() + timedelta(days=3)
    assert invitation.state() == "pending"


@pytest.mark.parametrize("address", ["pas-une-adresse", "", "a@b@c.fr", "  "])
def test_invite_refuses_an_invalid_address(shared, organisation, address):
    with pytest.raises(OrganisationError) as raised:
        invitations.invite(shared, organisation, address, lambda token: token)

    assert raised.value.key == "invitation.email_invalid"
    assert raised.value.message("fr").startswith("Adresse e-mail invalide")
    assert raised.value.message("en").startswith("Invalid e-mail address")
    assert mail.outbox == []
    assert Invitation.objects.count() == 0


def test_accept_joins_the_partnership_once(organisation, other_organisation, jardins):
    partnership = actions.start(other_organisation, "Boulangerie solidaire")
    tokens: list[str] = []
    invitation = invitations.invite(
        partnership, other_organisation, "Jardins@demo.invalid", keeping(tokens)
    )

    side = invitations.accept(invitation, organisation, jardins)

    assert side.organisation == organisation
    assert side.partnership == partnership
    assert {s.organisation for s in partnership.sides.all()} == {organisation, other_organisation}
    assert Invitation.objects.get(pk=invitation.pk).accepted_by == organisation
    assert Invitation.find(tokens[0]) is None
    with pytest.raises(RefusalError) as again:
        invitations.accept(invitation, organisation, jardins)
    assert (again.value.status, again.value.key) == (HTTPStatus.GONE, "invitation.accepted")


def test_accept_by_a_partner_already_in_adds_no_side(shared, organisation, other_organisation):
    invitation = invitations.invite(shared, organisation, "x@demo.invalid", lambda t: t)

    side = invitations.accept(
        invitation, other_organisation, User.objects.create_user("x@demo.invalid")
    )

    assert shared.sides.count() == 2
    assert side == shared.sides.get(organisation=other_organisation)


def test_another_address_cannot_accept(shared, organisation, other_organisation, people):
    invitation = invitations.invite(shared, organisation, "x@demo.invalid", lambda t: t)

    with pytest.raises(RefusalError) as refused:
        invitations.accept(invitation, other_organisation, people["outsider"])

    assert refused.value.status == HTTPStatus.FORBIDDEN
    assert refused.value.message("fr") == (
        "Cette invitation a été envoyée à x@demo.invalid : vous êtes connecté avec "
        "outsider@demo.invalid. Déconnectez-vous puis connectez-vous (ou créez un compte) avec "
        "l'adresse invitée"
    )
    assert refused.value.message("en") == (
        "This invitation was sent to x@demo.invalid: you are logged in as outsider@demo.invalid. "
        "Log out, then log in (or sign up) with the invited address"
    )
    assert Invitation.objects.get(pk=invitation.pk).accepted_by is None


def test_the_sender_cannot_accept_their_own(shared, organisation, people):
    owner = people["owner"]
    invitation = invitations.invite(shared, organisation, owner.email, lambda t: t, owner)

    with pytest.raises(RefusalError) as refused:
        invitations.accept(invitation, organisation, owner)

    assert (refused.value.status, refused.value.key) == (HTTPStatus.FORBIDDEN, "invitation.own")


def test_an_expired_invitation_is_refused(shared, organisation, jardins):
    invitation = invitations.invite(shared, organisation, jardins.email, lambda t: t)
    Invitation.objects.filter(pk=invitation.pk).update(expires=timezone.now())

    with pytest.raises(RefusalError) as refused:
        invitations.accept(Invitation.objects.get(pk=invitation.pk), organisation, jardins)

    assert (refused.value.status, refused.value.key) == (HTTPStatus.GONE, "invitation.expired")
    assert refused.value.message("en") == (
        "This invitation has expired: ask the person who invited you to send it again"
    )


def test_a_revoked_invitation_is_refused_and_cannot_be_resent(shared, organisation, jardins):
    tokens: list[str] = []
    invitation = invitations.invite(shared, organisation, jardins.email, keeping(tokens))

    invitations.revoke(invitation)

    assert Invitation.by_token(tokens[0]).state() == "revoked"  # type: ignore[union-attr]
    with pytest.raises(RefusalError) as refused:
        invitations.accept(invitation, organisation, jardins)
    assert (refused.value.status, refused.value.key) == (HTTPStatus.GONE, "invitation.revoked")
    with pytest.raises(RefusalError) as again:
        invitations.resend(invitation, lambda t: t)
    assert (again.value.status, again.value.key) == (HTTPStatus.CONFLICT, "invitation.closed")


def test_resend_makes_a_new_link_and_expiry_to_the_same_address(shared, organisation):
    tokens: list[str] = []
    invitation = invitations.invite(shared, organisation, "p@demo.invalid", keeping(tokens))
    Invitation.objects.filter(pk=invitation.pk).update(expires=timezone.now())
    expired = Invitation.objects.get(pk=invitation.pk)
    assert expired.state() == "expired"

    invitations.resend(expired, keeping(tokens))

    assert len(tokens) == 2
    assert tokens[0] != tokens[1]
    assert Invitation.by_token(tokens[0]) is None
    assert Invitation.find(tokens[1]) == invitation
    assert expired.expires > timezone.now() + timedelta(days=13)
    assert [m.to for m in mail.outbox] == [["p@demo.invalid"], ["p@demo.invalid"]]


def test_at_most_so_many_pending_invitations(shared, organisation, settings):
    settings.ALLIANCE_INVITATIONS_PENDING = 2
    for n in range(2):
        invitations.invite(shared, organisation, f"p{n}@demo.invalid", lambda t: t)

    with pytest.raises(RefusalError) as refused:
        invitations.invite(shared, organisation, "p2@demo.invalid", lambda t: t)

    assert refused.value.status == HTTPStatus.TOO_MANY_REQUESTS
    assert refused.value.message("fr") == (
        "Trop d'invitations en attente pour cette organisation (au plus 2) : annulez-en ou "
        "attendez qu'elles soient acceptées"
    )
    assert len(mail.outbox) == 2
    invitations.revoke(Invitation.objects.first())  # type: ignore[arg-type]
    invitations.invite(shared, organisation, "p2@demo.invalid", lambda t: t)
    assert len(mail.outbox) == 3


def test_at_most_so_many_mails_a_day_resent_ones_included(shared, organisation, settings):
    settings.ALLIANCE_INVITATIONS_PER_DAY = 2
    first = invitations.invite(shared, organisation, "p0@demo.invalid", lambda t: t)
    invitations.resend(first, lambda t: t)

    with pytest.raises(RefusalError) as refused:
        invitations.invite(shared, organisation, "p1@demo.invalid", lambda t: t)

    assert refused.value.status == HTTPStatus.TOO_MANY_REQUESTS
    assert refused.value.message("en") == (
        "Too many invitations sent by this organisation in 24 hours (at most 2): try again tomorrow"
    )
    assert Invitation.objects.count() == 1


def test_fifteen_invitations_in_a_row_are_not_all_sent(shared, organisation):
    refused = 0
    for n in range(15):
        try:
            invitations.invite(shared, organisation, f"inconnu{n}@demo.invalid", lambda t: t)
        except RefusalError:
            refused += 1

    assert (len(mail.outbox), refused) == (10, 5)


def test_sent_for_lists_the_invitations_of_organisations_one_edits(
    shared, organisation, other_organisation, people
):
    mine = invitations.invite(shared, organisation, "a@demo.invalid", lambda t: t)
    theirs = invitations.invite(shared, other_organisation, "b@demo.invalid", lambda t: t)

    assert invitations.sent_for(people["editor"], shared) == [mine]
    assert invitations.sent_for(people["outsider"], shared) == [theirs]
    assert invitations.sent_for(people["viewer"], shared) == []
