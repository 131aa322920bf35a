"""Issue 14's whole journey in Chromium, as an analyst who never used a terminal would take it.

Create a study from its zipped folder, upload the pollster's ``.sav`` and the French CSV, read how
they were read and their reports, run the study (a worker takes the job: here the test's thread,
while the live server answers), read the weighting diagnostics, preview, publish, and find the
results on the public pages. Each step leaves a screenshot in ``test-artifacts/journey-*.png``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from alliance.web.accounts.models import User
from alliance.web.jobs.worker import run_pending
from alliance.web.studies.models import Run
from tests.e2e.conftest import ARTIFACTS, PASSWORD
from tests.e2e.test_partnerships import log_in
from tests.study.conftest import HAND_STUDY
from tests.web.studies.folders import HAND_CSV, HAND_SAV, hand_zip

pytestmark = pytest.mark.e2e

STUDY = "barometre-test"
TITLE = "Baromètre de test des alliances locales"


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"journey-{name}.png"), full_page=True)


def upload(page: Page, path: str, file: Path) -> None:
    page.get_by_label("Chemin dans le dossier de l'étude").fill(path)
    page.locator("#file").set_input_files(file)
    page.get_by_role("button", name="Déposer").click()
    expect(page.get_by_role("heading", name=path)).to_be_visible()


def test_from_a_delivery_to_the_public_results(site: str, page: Page, settings, tmp_path: Path):
    settings.MEDIA_ROOT = tmp_path / "storage"
    User.objects.create_user("analyste@demo.invalid", PASSWORD, role=User.Role.ANALYST)
    archive = tmp_path / "etude.zip"
    archive.write_bytes(hand_zip(top="etude/", skip=(HAND_CSV, HAND_SAV)))

    log_in(page, site, "analyste@demo.invalid")
    page.get_by_role("link", name="Études").click()
    page.get_by_role("link", name="Créer une étude").click()
    page.get_by_label("Archive zip (study.yaml à la racine)").set_input_files(archive)
    page.get_by_role("button", name="Créer depuis l'archive").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_role("button", name="Lancer une exécution")).to_be_disabled()
    shot(page, "1-study-created")

    upload(page, HAND_SAV, HAND_STUDY / HAND_SAV)
    expect(page.locator("dl.reading")).to_contain_text("spss")
    expect(page.locator("main")).to_contain_text("0 erreur(s), 0 avertissement(s).")
    shot(page, "2-sav-read")
    page.get_by_role("link", name=f"← {STUDY}").click()
    upload(page, HAND_CSV, HAND_STUDY / HAND_CSV)
    expect(page.locator("dl.reading")).to_contain_text("windows-1252")
    expect(page.locator("main")).to_contain_text("0 erreur(s), 0 avertissement(s).")
    shot(page, "3-french-csv-read")

    page.get_by_role("link", name=f"← {STUDY}").click()
    page.get_by_role("button", name="Lancer une exécution").click()
    expect(page).to_have_url(f"{site}/studies/{STUDY}/runs/1/")
    expect(page.locator("section.job")).to_have_attribute("data-job-status", "queued")
    shot(page, "4-run-queued")
    run_pending()
    assert Run.objects.get(study__code=STUDY).job.status == "done"
    expect(page.locator(".run-done")).to_have_text("Terminée", timeout=15_000)
    shot(page, "5-run-done")

    page.get_by_role("link", name="Diagnostics de pondération").click()
    expect(page.locator("svg").first).to_be_visible()
    shot(page, "6-weighting")
    page.goto(f"{site}/studies/{STUDY}/runs/1/preview/")
    expect(page.locator(".preview-mark")).to_contain_text("aperçu — non publié")
    shot(page, "7-preview")
    page.get_by_role("button", name="Publier ces résultats").click()
    expect(page.locator("ul.messages")).to_contain_text("Version 1 publiée.")
    shot(page, "8-published")

    page.goto(f"{site}/results/{STUDY}/")
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    page.get_by_role("link", name="Habitants").click()
    expect(page.locator("figure.chart svg").first).to_be_visible()
    shot(page, "9-public-results")
