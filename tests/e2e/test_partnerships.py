"""Two organisations in a browser: fill the diagnostic (saved as you go), invite a partner, both
evaluate the partnership, see where they differ."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from alliance.web.accounts.models import User
from alliance.web.organisations.models import Membership, Organisation
from alliance.web.partnerships.models import Diagnostic, Evaluation, Partnership
from tests.e2e.conftest import ARTIFACTS, PASSWORD

pytestmark = pytest.mark.e2e

COMPANY = "Boulangeries Moreau (fictive)"
TITLE = "Jardin partagé du quartier (e2e)"


@pytest.fixture
def company(site: str) -> Organisation:
    organisation = Organisation.objects.create(name=COMPANY, profile="pme", synthetic=True)
    user = User.objects.create_user("entreprise@demo.invalid", PASSWORD)
    Membership.objects.create(user=user, organisation=organisation, role="owner")
    return organisation


def log_in(page: Page, site: str, email: str) -> None:
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("link", name="Mes organisations")).to_be_visible()


def field(page: Page, name: str):
    """Return a form field by its id (ids like « produit.sens » hold a dot)."""
    return page.locator(f'[id="{name}"]')


def evaluate(page: Page, scores: dict[str, str], comment: str) -> None:
    page.get_by_role("link", name="Évaluer ce partenariat").click()
    for name, score in scores.items():
        field(page, name).select_option(score)
    field(page, "comment.produit").fill(comment)
    page.get_by_role("button", name="Enregistrer l'évaluation").click()
    expect(page.locator("ul.history")).to_contain_text("notes, moyenne")


def test_fill_the_diagnostic_invite_a_partner_both_evaluate_and_see_the_gaps(
    site: str, company: Organisation, browser: Browser, page: Page
):
    association = Organisation.objects.get(name="Les Jardins du Lac (fictive)")

    # The association fills part of its diagnostic: each answer is saved as it changes.
    log_in(page, site, "association@demo.invalid")
    page.goto(f"{site}/organisations/{association.pk}/")
    page.get_by_role("link", name=re.compile("^Diagnostic")).click()
    field(page, "skills").select_option("4")
    expect(page.locator("#scores")).to_contain_text("Richesses humaines")
    field(page, "partnership_count").fill("5")
    field(page, "partnership_count").press("Tab")
    expect(page.locator("#scores")).to_contain_text("Vous : 5.")
    expect(page.locator("#scores")).to_contain_text("données synthétiques de démonstration")
    field(page, "largest_funder").fill("140")
    field(page, "largest_funder").press("Tab")
    expect(page.locator("#scores .error")).to_contain_text("largest_funder")
    page.reload()
    expect(field(page, "skills")).to_have_value("4")
    expect(field(page, "partnership_count")).to_have_value("5")
    assert Diagnostic.objects.get(organisation=association).answers == {
        "skills": 4,
        "partnership_count": 5,
    }

    # It starts a partnership, qualifies it and invites the company by e-mail.
    page.goto(f"{site}/organisations/{association.pk}/partnerships/")
    page.get_by_label("Nouveau partenariat : intitulé").fill(TITLE)
    page.get_by_role("button", name="Créer").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    page.get_by_label("Catégorie").select_option("mecenat")
    page.get_by_label("Objectif commun n° 1 [inconnu]").check()
    page.locator("form:has(#category)").get_by_role("button", name="Enregistrer").click()
    expect(page.locator("dl.facts")).to_contain_text("Mécénat")
    expect(page.locator("dl.facts")).to_contain_text("Contrat alliance")
    page.get_by_label("Adresse e-mail du partenaire").fill("entreprise@demo.invalid")
    page.get_by_role("button", name="Inviter").click()
    expect(page.get_by_role("status")).to_have_text("Invitation envoyée.")
    assert [m.to for m in mail.outbox] == [["entreprise@demo.invalid"]]
    link = re.search(r"https?://\S+/invitations/\S+/", str(mail.outbox[0].body))
    assert link is not None
    evaluate(
        page,
        {"produit.sens": "5", "equilibre.clarte": "2", "produit.performance": "4"},
        "Les jeunes sont fiers du jardin.",
    )
    expect(
        page.get_by_text("La comparaison apparaît quand deux partenaires ont évalué.")
    ).to_be_visible()

    # The company accepts the invitation, then evaluates in its own browser session.
    other = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    partner = other.new_page()
    try:
        log_in(partner, site, "entreprise@demo.invalid")
        partner.goto(link.group(0))
        partner.get_by_label("Au nom de").select_option(label=COMPANY)
        partner.get_by_role("button", name="Rejoindre").click()
        expect(partner.get_by_role("heading", name=TITLE)).to_be_visible()
        evaluate(
            partner,
            {"produit.sens": "2", "equilibre.clarte": "4", "produit.performance": "4"},
            "Le suivi prend plus de temps que prévu.",
        )

        # Both views side by side: the two cells 2 points or more apart are flagged.
        table = partner.locator("table.comparison")
        expect(table).to_be_visible()
        expect(table.locator("tr.diverges")).to_have_count(2)
        expect(table.locator("tr.diverges").first).to_contain_text("⚠")
        ARTIFACTS.mkdir(exist_ok=True)
        partner.screenshot(path=str(ARTIFACTS / "evaluation-both-views.png"), full_page=True)
    finally:
        other.close()

    partnership = Partnership.objects.get(title=TITLE)
    assert set(partnership.organisations.all()) == {association, company}
    assert Evaluation.objects.filter(partnership=partnership).count() == 2


def test_two_tabs_never_undo_each_others_answers(site: str, page: Page):
    """Two tabs of the same diagnostic: a different answer in each is kept; the same answer
    changed in the stale tab is refused and shown as the other tab left it."""
    association = Organisation.objects.get(name="Les Jardins du Lac (fictive)")
    log_in(page, site, "association@demo.invalid")
    url = f"{site}/organisations/{association.pk}/diagnostic/"
    page.goto(url)
    other = page.context.new_page()
    other.goto(url)

    field(page, "skills").select_option("4")
    expect(page.locator("#version-skills")).to_have_value("1")  # saved: the new version is back
    field(other, "engagement").select_option("2")
    expect(other.locator("#version-engagement")).to_have_value("1")
    assert Diagnostic.objects.get(organisation=association).answers == {
        "skills": 4, "engagement": 2,
    }  # fmt: skip

    field(other, "skills").select_option("1")
    expect(other.locator("#scores .error")).to_contain_text("a été modifiée entre-temps")
    expect(field(other, "skills")).to_have_value("4")
    field(page, "skills").select_option("5")  # the first tab saw its own save: still current
    expect(page.locator("#scores .error")).to_have_count(0)
    expect(page.locator("#version-skills")).to_have_value("2")
    assert Diagnostic.objects.get(organisation=association).answers == {
        "skills": 5, "engagement": 2,
    }  # fmt: skip
