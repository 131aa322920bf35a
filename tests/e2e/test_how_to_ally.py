"""The « how to ally » chain on a phone (390 × 844), on the demo partnership and organisations.

Both partners see which category each one's priority points to and that they differ; one picks a
common objective from the referential and the contract follows; the other sees it. Every next step
of the demo organisations' diagnostic leads to a page that answers and shows what it promises.
Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from alliance.referential import default_referential
from alliance.referential.model import ActorProfile
from alliance.web.demo_content import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo_content
from alliance.web.organisations.models import Organisation
from alliance.web.partnerships.models import Partnership
from alliance.web.results.publishing import publish
from tests.e2e.conftest import ARTIFACTS
from tests.web.studies import synthetic_study

pytestmark = pytest.mark.e2e

PHONE: ViewportSize = {"width": 390, "height": 844}
GAP = "Vos objectifs prioritaires appellent deux catégories différentes"


@pytest.fixture
def demo(live_server, transactional_db, settings) -> str:
    """The live site with the demo content and a published study to compare with."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo_content()
    publish(synthetic_study())
    return str(live_server.url)


@pytest.fixture
def phones(browser: Browser) -> Iterator[list[BrowserContext]]:
    contexts = [
        browser.new_context(locale="fr-FR", viewport=PHONE, is_mobile=True, has_touch=True)
        for _ in DEMO_ACCOUNTS
    ]
    yield contexts
    for context in contexts:
        context.close()


def log_in(page: Page, site: str, email: str) -> None:
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("link", name="Mes organisations")).to_be_visible()


def fits_the_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"how-to-ally-{name}.png"), full_page=True)


def test_both_partners_see_the_gap_pick_a_common_objective_and_the_contract_follows(
    demo: str, phones: list[BrowserContext]
):
    partnership = Partnership.objects.get()
    url = f"{demo}/partnerships/{partnership.pk}/"
    association, company = (context.new_page() for context in phones)
    log_in(association, demo, DEMO_ACCOUNTS[0])
    log_in(company, demo, DEMO_ACCOUNTS[1])

    # Each partner sees where both priorities point, that they differ, and examples that bridged.
    for page in (association, company):
        page.goto(url)
        proposals = page.locator("ul.proposals li")
        expect(proposals).to_have_count(2)
        expect(proposals.nth(0)).to_contain_text("Les Jardins du Lac (association fictive)")
        expect(proposals.nth(0)).to_contain_text("« Positionnement")
        expect(proposals.nth(1)).to_contain_text("Boulangeries Moreau (entreprise fictive)")
        expect(proposals.nth(1)).to_contain_text("« Processus")
        for proposal in (proposals.nth(0), proposals.nth(1)):
            expect(proposal.locator(".badge")).to_have_text("déduit")
            expect(proposal).to_contain_text("Sources")
        expect(page.locator("p.notice.gap")).to_contain_text(GAP)
        fits_the_phone(page)
    first = association.locator("ul.proposals li").nth(0).locator("strong").nth(1).inner_text()
    second = association.locator("ul.proposals li").nth(1).locator("strong").nth(1).inner_text()
    assert first != second
    expect(association.locator("p.notice.gap")).to_contain_text(f"({first} et {second})")
    shoot(association, "1-gap-association")

    # Without any common objective, the contract is an exchange.
    association.locator("#common_objective").fill("")
    association.get_by_role("button", name="Enregistrer").first.click()
    expect(association.locator("p.notice[role=status]").first).to_have_text("Enregistré.")
    expect(association.locator(".guidance")).to_contain_text(
        "Selon ce qui est convenu aujourd'hui : Contrat échange."
    )

    # The association picks one of the referential's common objectives: the contract follows.
    objective = (
        default_referential()
        .framework("common-objectives")
        .item("developpement_economique_durable")
    )
    label = objective.label("fr")
    association.get_by_label(label).check()
    association.get_by_role("button", name="Enregistrer").first.click()
    expect(association.locator(".guidance")).to_contain_text(
        "Selon ce qui est convenu aujourd'hui : Contrat alliance."
    )
    facts = association.locator("dl.facts")
    expect(facts).to_contain_text(label)
    expect(facts).to_contain_text("Contrat alliance")
    fits_the_phone(association)
    shoot(association, "2-common-objective-association")
    partnership.refresh_from_db()
    assert partnership.common_objectives == ["developpement_economique_durable"]
    assert partnership.contract == "contrat_alliance"

    # The company sees the objective agreed, the contract, and still the gap between priorities.
    company.reload()
    expect(company.locator("dl.facts")).to_contain_text(label)
    expect(company.locator("dl.facts")).to_contain_text("Contrat alliance")
    expect(company.get_by_label(label)).to_be_checked()
    expect(company.locator("p.notice.gap")).to_contain_text(GAP)
    fits_the_phone(company)
    shoot(company, "3-company")


@pytest.mark.parametrize("account", [0, 1], ids=["association", "company"])
def test_every_next_step_leads_to_a_page_that_shows_what_it_promises(
    demo: str, phones: list[BrowserContext], account: int
):
    page = phones[account].new_page()
    log_in(page, demo, DEMO_ACCOUNTS[account])
    organisation = Organisation.objects.get(memberships__user__email=DEMO_ACCOUNTS[account])
    page.goto(f"{demo}/organisations/{organisation.pk}/diagnostic/")
    steps = page.locator("ol.steps > li")
    expect(steps.first).to_be_visible()
    fits_the_phone(page)
    shoot(page, f"4-steps-{DEMO_ACCOUNTS[account].split('@')[0]}")
    count = steps.count()
    assert count >= 3

    visited = 0
    for index in range(count):
        step = steps.nth(index)
        title = step.locator("strong").first.inner_text()
        links = step.locator("a")
        hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
        texts = [links.nth(i).inner_text() for i in range(links.count())]
        assert hrefs, f"the step « {title} » leads nowhere"
        for href, text in zip(hrefs, texts, strict=True):
            if href.startswith("http") and not href.startswith(demo):
                # The practice sheet lives on Le RAMEAU's site: the link is the referential's own,
                # and the profile's page on the platform shows it too.
                sheets = {
                    p.practice_sheet.url
                    for p in default_referential().framework("actor-profiles")
                    if isinstance(p, ActorProfile) and p.practice_sheet is not None
                }
                assert href in sheets, (title, href)
                continue
            other = phones[account].new_page()
            response = other.goto(urljoin(page.url, href))
            assert response is not None, (title, href)
            assert response.status == 200, (title, href)
            if "/referential/" in href:
                code = href.split("#", 1)[1]
                expect(other.locator(f'[id="{code}"]')).to_contain_text(text.strip())
            elif "/examples/" in href:
                expect(other.locator("p.count")).to_contain_text("exemple")
                expect(other.locator("ol.examples > li a").first).to_be_visible()
            fits_the_phone(other)
            other.close()
            visited += 1
    assert visited >= count
