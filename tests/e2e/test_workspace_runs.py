"""The analyst's run in the browser: start it, see it under way then done, read the weighting
and the preview, publish, and readers see the results on the public pages.

The run's job is done by a worker: here the test's own thread calls ``run_pending`` once the page
shows the job queued (the live server answers from its thread meanwhile).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from alliance.web.accounts.models import User
from alliance.web.jobs.worker import run_pending
from alliance.web.studies.models import Run
from tests.e2e.conftest import PASSWORD
from tests.study.conftest import HAND_STUDY
from tests.web.studies import stored_study

pytestmark = pytest.mark.e2e

STUDY = "barometre-test"


@pytest.fixture
def stored(site: str, settings, tmp_path) -> str:
    """The hand study's files already stored in the workspace, and an analyst."""
    settings.MEDIA_ROOT = tmp_path / "storage"
    User.objects.create_user("analyste@demo.invalid", PASSWORD, role=User.Role.ANALYST)
    stored_study(HAND_STUDY, STUDY)
    return site


def test_an_analyst_runs_weights_previews_and_publishes(stored: str, page: Page):
    site = stored
    page.goto(f"{site}/accounts/login/?next=/studies/{STUDY}/versions/")
    page.get_by_label("Adresse e-mail").fill("analyste@demo.invalid")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Versions publiées")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Aucune version publiée.")

    page.get_by_role("button", name="Lancer une exécution").click()

    expect(page).to_have_url(f"{site}/studies/{STUDY}/runs/1/")
    expect(page.locator("section.job")).to_have_attribute("data-job-status", "queued")
    expect(page.locator("section.job progress")).to_be_visible()
    run_pending()
    assert Run.objects.get(study__code=STUDY).job.status == "done"
    # The page's script sees the job done and reloads the page itself (a reload of ours would
    # race with it and be aborted).
    expect(page.locator(".run-done")).to_have_text("Terminée", timeout=30_000)
    expect(page.locator("main")).to_contain_text("vague 2023, 400 répondants (habitants-2023.sav)")

    page.get_by_role("link", name="Diagnostics de pondération").click()
    expect(page.get_by_role("heading", name="Habitants — vague 2023")).to_be_visible()
    histogram = page.locator('svg[aria-labelledby="weights-0"]')
    expect(histogram).to_be_visible()
    assert histogram.bounding_box()["height"] > 100  # type: ignore[index]
    expect(page.locator("table.margins").first).to_contain_text("Femme")

    page.goto(f"{site}/studies/{STUDY}/runs/1/preview/")
    expect(page.locator(".preview-mark")).to_contain_text("aperçu — non publié")
    expect(page.locator('svg[aria-labelledby="alt-0"]')).to_be_visible()
    assert page.goto(f"{site}/results/{STUDY}/").status == 404  # type: ignore[union-attr]

    page.goto(f"{site}/studies/{STUDY}/runs/1/preview/")
    page.get_by_role("button", name="Publier ces résultats").click()

    expect(page).to_have_url(f"{site}/studies/{STUDY}/versions/")
    expect(page.locator("ul.messages")).to_contain_text("Version 1 publiée.")
    expect(page.locator("ul.audit")).to_contain_text(
        "analyste@demo.invalid — a publié la version 1 (exécution 1)"
    )
    page.goto(f"{site}/results/{STUDY}/")
    title = "Baromètre de test des alliances locales"
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    page.get_by_role("link", name="Habitants").click()
    expect(page.locator("figure.chart svg")).to_be_visible()
    expect(page.locator("table")).to_contain_text("2024")
