"""An owner invites a colleague in a browser; the colleague, on a phone, logs in from the
invitation's link with the invited address and joins with the role chosen."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from alliance.web.accounts.models import User
from alliance.web.organisations.models import Membership, Organisation
from tests.e2e.conftest import PASSWORD
from tests.e2e.test_partnerships import log_in

pytestmark = pytest.mark.e2e


def test_an_owner_invites_a_colleague_who_accepts_on_a_phone(
    site: str, browser: Browser, page: Page
):
    association = Organisation.objects.get(name="Les Jardins du Lac (fictive)")
    colleague = User.objects.create_user("collegue@demo.invalid", PASSWORD)

    log_in(page, site, "association@demo.invalid")
    page.goto(f"{site}/organisations/{association.pk}/")
    page.get_by_role("link", name="Gérer les membres et les invitations").click()
    page.get_by_label("Adresse e-mail du collègue").fill("collegue@demo.invalid")
    page.locator("#role").select_option("editor")
    page.get_by_role("button", name="Inviter").click()
    expect(page.get_by_role("status")).to_have_text("Invitation envoyée.")
    expect(page.locator("ul.invitations")).to_contain_text("collegue@demo.invalid — contributeur")
    link = re.search(r"https?://\S+/organisations/invitations/\S+/", str(mail.outbox[0].body))
    assert link is not None

    other = browser.new_context(
        locale="fr-FR", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    phone = other.new_page()
    try:
        phone.goto(link.group(0))
        expect(phone.get_by_role("heading", name="Rejoindre « Les Jardins du Lac (fictive) »"))
        expect(phone.locator("main")).to_contain_text("adressée à collegue@demo.invalid")
        phone.locator("main").get_by_role("link", name="Se connecter").click()
        phone.get_by_label("Adresse e-mail").fill("collegue@demo.invalid")
        phone.get_by_label("Mot de passe").fill(PASSWORD)
        phone.get_by_role("button", name="Se connecter").click()
        phone.get_by_role("button", name="Rejoindre").click()
        expect(phone.get_by_role("heading", name="Les Jardins du Lac (fictive)")).to_be_visible()
        expect(phone.locator("dl.facts")).to_contain_text("contributeur")
    finally:
        other.close()

    assert Membership.objects.get(user=colleague, organisation=association).role == "editor"
    page.reload()
    expect(page.locator("ul.invitations")).to_contain_text("acceptée")
