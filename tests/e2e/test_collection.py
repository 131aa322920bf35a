"""Collecting a wave on the platform, in Chromium: the coordinator, three respondents on a phone.

A coordinator (an analyst) attaches the public questionnaire — its follow-up « connaissez-vous une
action près de chez vous ? » asked of volunteers only — to a new wave 2025, sends three
invitations, and watches the counts and the quotas fill while three respondents answer on a
390 × 844 screen: one a volunteer, one not (the follow-up never appears; she reloads a page
midway), one who stops halfway and comes back through the same link. Closing writes the wave; the
study runs, and the notebook gives the follow-up its base: the two volunteers of 2025.

axe-core (``vendor/axe.min.js``, see ``vendor/README.md``) checks the respondent's pages: no
serious or critical violation. The pages keep their strict CSP: axe is evaluated through the
browser's debugging protocol, not added as a script. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, ViewportSize, expect

from alliance.web.accounts.models import User
from alliance.web.collection.models import Collection, Response
from alliance.web.jobs.worker import run_pending
from alliance.web.studies.models import Run, StudyFile
from tests.e2e.conftest import ARTIFACTS, PASSWORD
from tests.study.collected import FOLLOW_UP, RESPONDENT, write_study
from tests.web.studies import stored_study

pytestmark = pytest.mark.e2e

STUDY = "barometre-collecte"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SERIOUS = ("serious", "critical")
PHONE: ViewportSize = {"width": 390, "height": 844}
PEOPLE = ["alice@demo.invalid", "bruno@demo.invalid", "chloe@demo.invalid"]


@pytest.fixture
def stored(site: str, settings, tmp_path: Path) -> str:
    """The collection study stored in the workspace, and a coordinator (an analyst)."""
    settings.MEDIA_ROOT = tmp_path / "storage"
    User.objects.create_user("coordination@demo.invalid", PASSWORD, role=User.Role.ANALYST)
    stored_study(write_study(tmp_path / "folder", STUDY), STUDY, synthetic=True)
    return site


def violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is; return its serious and critical violations."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
            }));
        }"""
    )
    return [v for v in found if v["impact"] in SERIOUS]


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"collection-{name}.png"), full_page=True)


def on_screen(page: Page) -> str:
    return str(page.locator('input[name="item"]').get_attribute("value"))


def answer(page: Page, answers: dict[str, Any], *, until: str | None = None) -> list[str]:
    """Answer each screen (radios by their code; none for items left out) until ``until``."""
    shown: list[str] = []
    while page.url.rstrip("/").split("/")[-1] != "merci":
        item = on_screen(page)
        if item == until:
            return shown
        shown.append(item)
        value = answers.get(item)
        if value is not None:
            page.locator(f'input[name="{item}"][value="{value}"]').check()
        page.get_by_role("button", name="Suivant").or_(
            page.get_by_role("button", name="Terminer")
        ).click()
        page.wait_for_load_state()
    return shown


def test_a_wave_collected_on_phones_runs_into_the_notebook(stored: str, browser: Browser):
    site = stored
    desk = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    coordinator = desk.new_page()
    coordinator.goto(f"{site}/accounts/login/?next=/studies/{STUDY}/")
    coordinator.get_by_label("Adresse e-mail").fill("coordination@demo.invalid")
    coordinator.get_by_label("Mot de passe").fill(PASSWORD)
    coordinator.get_by_role("button", name="Se connecter").click()
    coordinator.get_by_role("link", name="Collectes de réponses").click()

    # The coordinator opens the collection of a new wave, by invitation, 6 responses wanted.
    coordinator.get_by_label("Nom de la nouvelle vague").fill("2025")
    coordinator.get_by_label("Réponses visées").fill("6")
    coordinator.get_by_label("Invitations personnelles par e-mail").check()
    coordinator.get_by_role("button", name="Ouvrir la collecte").click()
    expect(coordinator.get_by_role("heading", name="Collecte de la vague 2025")).to_be_visible()
    coordinator.get_by_label("Adresses e-mail").fill("\n".join(PEOPLE))
    coordinator.get_by_role("button", name="Envoyer les invitations").click()
    expect(coordinator.locator("main")).to_contain_text("3 invitations envoyées.")
    links = {}
    for sent in mail.outbox:
        found = re.search(r"(http://\S+/collect/invitation/[\w-]+/)", str(sent.body))
        assert found is not None
        links[sent.to[0]] = found.group(1)
    assert sorted(links) == PEOPLE
    live = coordinator.locator("#live")
    expect(live.locator("[data-count=complete]")).to_have_text("0")
    shot(coordinator, "coordinator-opened")

    phone = browser.new_context(locale="fr-FR", viewport=PHONE, is_mobile=True, has_touch=True)

    # Alice, a volunteer, answers everything, the follow-up included; axe checks her pages.
    alice = phone.new_page()
    alice.goto(links[PEOPLE[0]])
    expect(alice.get_by_role("heading", name="Vos réponses et vos données")).to_be_visible()
    assert violations(alice) == []
    shot(alice, "phone-notice")
    alice.get_by_role("button", name="Commencer").click()
    expect(alice.locator(".progress-text")).to_have_text("question 1 sur 13")
    assert violations(alice) == []
    # Submitting nothing shows the error by the question, linked to it.
    alice.get_by_role("button", name="Suivant").click()
    expect(alice.locator("#error-sex")).to_have_text("Cette question demande une réponse")
    expect(alice.locator("fieldset")).to_have_attribute("aria-describedby", "error-sex")
    assert violations(alice) == []
    shot(alice, "phone-error")
    # By keyboard: a choice with the space bar, the form sent with Enter.
    alice.locator('input[name="sex"][value="F"]').focus()
    alice.keyboard.press("Space")
    alice.keyboard.press("Enter")
    expect(alice.locator(".progress-text")).to_have_text("question 2 sur 13")
    width = alice.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    shown = answer(alice, RESPONDENT | {"volunteer": 1, "donor": 2, FOLLOW_UP: 1}, until=FOLLOW_UP)
    expect(alice.locator(".progress-text")).to_have_text("question 14 sur 14")
    expect(alice.locator("legend")).to_contain_text("Connaissez-vous, près de chez vous")
    shot(alice, "phone-follow-up")
    shown += answer(alice, {FOLLOW_UP: 1})
    assert shown[-1] == FOLLOW_UP
    expect(alice.get_by_role("heading", name="Merci !")).to_be_visible()
    shot(alice, "phone-thanks")

    # Bruno, not a volunteer, never sees the follow-up; he reloads a page midway.
    bruno = phone.new_page()
    bruno.goto(links[PEOPLE[1]])
    bruno.get_by_role("button", name="Commencer").click()
    shown = answer(bruno, RESPONDENT | {"sex": "M"}, until="occupation")
    bruno.locator('input[name="occupation"][value="retired"]').check()
    bruno.reload()  # nothing sent: the same screen; what was saved is kept
    assert on_screen(bruno) == "occupation"
    expect(bruno.locator(".progress-text")).to_have_text("question 4 sur 13")
    bruno.get_by_role("button", name="Précédent").click()
    expect(bruno.locator('input[name="region"][value="BRE"]')).to_be_checked()
    shown += answer(bruno, RESPONDENT | {"sex": "M", "volunteer": 2, "donor": 1})
    assert FOLLOW_UP not in shown
    assert shown[-1] == "donor"
    expect(bruno.get_by_role("heading", name="Merci !")).to_be_visible()
    assert violations(bruno) == []
    again = phone.new_page()
    assert again.goto(links[PEOPLE[1]]).status == 410  # type: ignore[union-attr]
    expect(again.locator("main")).to_contain_text("Vous avez déjà répondu à ce questionnaire")

    # Chloé stops after five questions, closes her browser, and comes back through her link.
    chloe = phone.new_page()
    chloe.goto(links[PEOPLE[2]])
    chloe.get_by_role("button", name="Commencer").click()
    answer(chloe, RESPONDENT | {"age": "50-64"}, until="impact_territories")
    chloe.close()
    expect(live.locator("[data-count=partial]")).to_have_text("1", timeout=15_000)
    expect(live.locator("[data-count=complete]")).to_have_text("2")
    shot(coordinator, "coordinator-live")
    phone.close()
    phone = browser.new_context(locale="fr-FR", viewport=PHONE, is_mobile=True, has_touch=True)
    chloe = phone.new_page()
    chloe.goto(links[PEOPLE[2]])
    assert on_screen(chloe) == "impact_territories"
    expect(chloe.locator(".progress-text")).to_have_text("question 6 sur 13")
    answer(chloe, RESPONDENT | {"age": "50-64", "volunteer": 1, FOLLOW_UP: 2})
    expect(chloe.get_by_role("heading", name="Merci !")).to_be_visible()
    phone.close()

    # The quotas filled live: 2 women and 1 man of 6 wanted (52.4 % and 47.6 % of them).
    expect(live.locator("[data-count=complete]")).to_have_text("3", timeout=15_000)
    expect(live.locator("[data-count=partial]")).to_have_text("0")
    expect(live.locator('[data-quota="sex=F"] [data-field=count]')).to_have_text("2")
    expect(live.locator('[data-quota="sex=M"] [data-field=count]')).to_have_text("1")
    expect(live.locator('[data-quota="sex=F"] [data-field=percent]')).to_have_text("64")
    shot(coordinator, "coordinator-quotas")
    assert violations(coordinator) == []
    assert Response.objects.filter(complete=True).count() == 3

    # Closing writes the wave, checked like a delivered file; the study runs.
    coordinator.get_by_role("button", name="Fermer et écrire la vague").click()
    expect(coordinator).to_have_url(
        f"{site}/studies/{STUDY}/files/data/collecte-grand-public-2025.csv"
    )
    assert not Collection.objects.get().is_open
    written = StudyFile.objects.get(path="data/collecte-grand-public-2025.csv")
    assert (written.problems, written.reading["rows"]) == ([], 3)
    coordinator.goto(f"{site}/studies/{STUDY}/")
    coordinator.get_by_role("button", name="Lancer une exécution").click()
    run_pending()
    run = Run.objects.get(study__code=STUDY)
    assert run.job.status == "done", run.job.problems
    coordinator.goto(f"{site}/studies/{STUDY}/runs/1/notebook/")
    expect(coordinator.locator("iframe.notebook")).to_be_visible()
    shot(coordinator, "notebook-page")
    coordinator.goto(f"{site}/studies/{STUDY}/runs/1/files/notebook.html")
    wave = coordinator.locator("td", has_text=re.compile(r"^2025$"))
    follow_up = coordinator.locator("table#table-F1 tr", has_text="Connaissez-vous").filter(
        has=wave
    )
    expect(follow_up.locator("td.num").nth(3)).to_have_text("2")  # n: the two volunteers
    everyone = coordinator.locator("table#table-F1 tr", has_text="sur les territoires").filter(
        has=wave
    )
    expect(everyone.locator("td.num").nth(3)).to_have_text("3")
    shot(coordinator, "notebook")
    desk.close()
