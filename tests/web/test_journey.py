"""The « done when » journey of issue 13, through the site's pages as people go through them.

A new association's person signs up, confirms from the e-mail, creates its organisation, invites
a colleague as editor; the colleague signs up from the invitation's link and joins; the owner
starts a partnership and invites a partner organisation's person, who accepts for its
organisation. Every form is read from its page and posted with its CSRF token (checks enforced),
and every link is taken from the e-mail or page that carries it, so a broken step anywhere —
a template, a link, a redirect — breaks this test, not only the unit under it.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.test import Client

from alliance.web.accounts.models import User
from alliance.web.organisations.models import ColleagueInvitation, Membership, Organisation
from alliance.web.partnerships.models import Invitation, Partnership
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.integration

OWNER = "claire.martin@jardins-partages.invalid"
COLLEAGUE = "yanis.benali@jardins-partages.invalid"
PARTNER = "lucie.moreau@boulangeries.invalid"
OWNER_PASSWORD = "Une-passerelle-verte-2026"
COLLEAGUE_PASSWORD = "Des-radis-en-octobre-2026"


def browser() -> Client:
    """A client that, like a browser, must send the CSRF token its forms carry."""
    return Client(enforce_csrf_checks=True)


def token_of(page) -> str:
    """The CSRF token of the page's forms (every form of a page carries the same one)."""
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert found, "the page has no form protected against CSRF"
    return found.group(1)


def submit(client: Client, url: str, data: dict[str, str]):
    """Open the page at ``url`` (200), then post ``data`` with the token of its forms."""
    page = client.get(url)
    assert page.status_code == 200, url
    return client.post(url, data | {"csrfmiddlewaretoken": token_of(page)})


def link_in_last_mail(to: str) -> str:
    """The site's path in the last e-mail sent to ``to`` (the first link if it is bilingual)."""
    sent = [message for message in mail.outbox if message.to == [to]]
    assert sent, f"no e-mail to {to}"
    found = re.search(r"http://testserver(/\S+)", str(sent[-1].body))
    assert found, sent[-1].body
    return found.group(1)


def href_of(page, text: str) -> str:
    """The address of the page's link whose label holds ``text``."""
    found = re.search(
        rf'<a href="([^"]+)"><strong>{re.escape(text)}</strong></a>', page.content.decode()
    )
    assert found, f"no link « {text} »"
    return html.unescape(found.group(1))


def signs_up_and_confirms(client: Client, signup_url: str, email: str, password: str) -> str:
    """Sign up at ``signup_url`` then confirm from the e-mail; return where confirming led."""
    sent = submit(
        client, signup_url,
        {"email": email, "first_name": "", "last_name": "", "password1": password,
         "password2": password, "next": _next_of(signup_url)},
    )  # fmt: skip
    assert sent.status_code == 302
    assert sent["Location"] == "/accounts/signup/sent/"
    assert not User.objects.get(email=email).is_active
    confirm = link_in_last_mail(email)
    assert confirm.startswith("/accounts/signup/confirm/")
    confirmed = submit(client, confirm, {"password": password, "next": _next_of(confirm)})
    assert confirmed.status_code == 302
    assert User.objects.get(email=email).is_active
    return str(confirmed["Location"])


def _next_of(url: str) -> str:
    """The ``next`` a link carries, as the page's hidden field would hold it."""
    return parse_qs(urlsplit(url).query).get("next", [""])[0]


@pytest.fixture
def partner(db) -> User:
    """A bakery's owner already on the platform, who will be invited to the partnership."""
    person = User.objects.create_user(PARTNER, PASSWORD)
    bakery = Organisation.objects.create(
        name="Boulangeries Moreau (fictive)", profile="pme", siren="732829320"
    )
    Membership.objects.create(user=person, organisation=bakery, role="owner")
    return person


def test_an_association_signs_up_gathers_a_colleague_and_a_partner(partner):
    owner = browser()

    # 1. A new association's person signs up and confirms from the e-mailed link.
    forged = owner.post("/accounts/signup/", {"email": OWNER, "password1": OWNER_PASSWORD,
                                              "password2": OWNER_PASSWORD})  # fmt: skip
    assert forged.status_code == 403  # the CSRF checks are on: every post below carries a token
    assert not User.objects.filter(email=OWNER).exists()
    assert signs_up_and_confirms(owner, "/accounts/signup/", OWNER, OWNER_PASSWORD) == (
        "/accounts/"
    )
    assert owner.get("/accounts/").status_code == 200

    # 2. It creates its organisation, an association with its RNA number.
    created = submit(
        owner, "/organisations/new/",
        {"name": "Les Jardins partagés du Canal (fictive)", "profile": "associations",
         "siren": "", "rna": "W751234567", "commune": "75056"},
    )  # fmt: skip
    assert created.status_code == 302
    garden = Organisation.objects.get(name="Les Jardins partagés du Canal (fictive)")
    assert created["Location"] == f"/organisations/{garden.pk}/"
    assert (garden.profile, garden.rna, garden.commune) == ("associations", "W751234567", "75056")
    assert list(garden.memberships.values_list("user__email", "role")) == [(OWNER, "owner")]

    # 3. It invites a colleague as editor from the members' page.
    members = f"/organisations/{garden.pk}/members/"
    invited = submit(owner, members, {"form": "invite", "email": COLLEAGUE, "role": "editor"})
    assert invited.status_code == 200
    assert "Invitation envoyée." in invited.content.decode()
    invitation = ColleagueInvitation.objects.get(organisation=garden)
    assert (invitation.email, invitation.role) == (COLLEAGUE, "editor")

    # 4. The colleague opens the link, signs up with the invited address, confirms, accepts.
    colleague = browser()
    join = link_in_last_mail(COLLEAGUE)
    assert join.startswith("/organisations/invitations/")
    anonymous = colleague.get(join)
    assert anonymous.status_code == 200
    signup = href_of(anonymous, "Créer un compte")
    assert signup.startswith("/accounts/signup/?email=yanis.benali%40jardins-partages.invalid&")
    page = colleague.get(signup)
    assert f'value="{COLLEAGUE}"' in page.content.decode()  # the address comes pre-filled
    assert signs_up_and_confirms(colleague, signup, COLLEAGUE, COLLEAGUE_PASSWORD) == join
    joined = submit(colleague, join, {})
    assert joined.status_code == 302
    assert joined["Location"] == f"/organisations/{garden.pk}/"
    assert sorted(garden.memberships.values_list("user__email", "role")) == [
        (OWNER, "owner"), (COLLEAGUE, "editor"),
    ]  # fmt: skip
    invitation.refresh_from_db()
    assert invitation.accepted_by == User.objects.get(email=COLLEAGUE)
    assert colleague.get(join).status_code == 410  # the link served once

    # 5. The owner starts a partnership and invites the bakery's person.
    started = submit(
        owner, f"/organisations/{garden.pk}/partnerships/", {"title": "Pain et potager"}
    )
    assert started.status_code == 302
    partnership = Partnership.objects.get(title="Pain et potager")
    assert started["Location"] == f"/partnerships/{partnership.pk}/"
    assert list(partnership.sides.values_list("organisation__name", flat=True)) == [garden.name]
    asked = submit(owner, started["Location"], {"form": "invite", "email": PARTNER})
    assert asked.status_code == 200
    assert list(Invitation.objects.values_list("email", "invited_by")) == [(PARTNER, garden.pk)]

    # 6. The partner logs in from the invitation, accepts for its bakery: both are sides.
    bakery = Organisation.objects.get(memberships__user=partner)
    other = browser()
    accept = link_in_last_mail(PARTNER)
    assert accept.startswith("/invitations/")
    login = href_of(other.get(accept), "Se connecter")
    logged = submit(other, login, {"username": PARTNER, "password": PASSWORD, "next": accept})
    assert logged.status_code == 302
    assert logged["Location"] == accept
    choosing = other.get(accept)
    assert f'<option value="{bakery.pk}">{bakery.name}</option>' in choosing.content.decode()
    accepted = submit(other, accept, {"organisation": str(bakery.pk)})
    assert accepted.status_code == 302
    assert accepted["Location"] == f"/partnerships/{partnership.pk}/"
    assert sorted(partnership.sides.values_list("organisation__name", flat=True)) == [
        bakery.name, garden.name,
    ]  # fmt: skip
    assert Invitation.objects.get().accepted_by == bakery

    # Each side now sees the partnership from its own list.
    for client, organisation in ((owner, garden), (colleague, garden), (other, bakery)):
        listed = client.get(f"/organisations/{organisation.pk}/partnerships/")
        assert listed.status_code == 200
        assert "Pain et potager" in listed.content.decode()


def test_a_partner_new_to_the_site_signs_up_and_creates_its_organisation_from_the_invitation(
    partner,
):
    """The invited partner may have no account nor organisation yet: the invitation leads on."""
    bakery = Organisation.objects.get(memberships__user=partner)
    owner = browser()
    assert (
        submit(owner, "/accounts/login/", {"username": PARTNER, "password": PASSWORD}).status_code
        == 302
    )
    started = submit(
        owner, f"/organisations/{bakery.pk}/partnerships/", {"title": "Fournil solidaire"}
    )
    assert started.status_code == 302
    asked = submit(owner, started["Location"], {"form": "invite", "email": OWNER})
    assert asked.status_code == 200
    partnership = Partnership.objects.get(title="Fournil solidaire")

    newcomer = browser()
    accept = link_in_last_mail(OWNER)
    signup = href_of(newcomer.get(accept), "Créer un compte")
    assert signs_up_and_confirms(newcomer, signup, OWNER, OWNER_PASSWORD) == accept
    empty = newcomer.get(accept)
    assert empty.status_code == 200
    found = re.search(r'<a href="([^"]+)">Créer une organisation</a>', empty.content.decode())
    assert found, "no way to create an organisation from the invitation"
    create = html.unescape(found.group(1))
    made = submit(
        newcomer, create,
        {"name": "Les Jardins partagés du Canal (fictive)", "profile": "associations",
         "siren": "", "rna": "W751234567", "commune": "", "next": accept},
    )  # fmt: skip
    assert made.status_code == 302
    assert made["Location"] == accept  # back to the invitation, not to the new organisation
    garden = Organisation.objects.get(name="Les Jardins partagés du Canal (fictive)")
    assert list(garden.memberships.values_list("user__email", "role")) == [(OWNER, "owner")]
    accepted = submit(newcomer, accept, {"organisation": str(garden.pk)})
    assert accepted.status_code == 302
    assert accepted["Location"] == f"/partnerships/{partnership.pk}/"
    assert sorted(partnership.sides.values_list("organisation__name", flat=True)) == [
        bakery.name, garden.name,
    ]  # fmt: skip
