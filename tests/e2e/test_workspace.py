"""An analyst, in a browser, creates a study from a zipped folder, uploads a pollster's .sav and a
French CSV by the file input, and reads the validation report with a problem's row and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from alliance.web.accounts.models import User
from alliance.web.studies.models import StudyFile
from tests.e2e.conftest import ARTIFACTS, PASSWORD
from tests.e2e.test_partnerships import log_in
from tests.study.conftest import HAND_STUDY
from tests.study.defects import defective_csv
from tests.web.studies.folders import HAND_CSV, HAND_SAV, hand_zip

pytestmark = pytest.mark.e2e


def test_an_analyst_uploads_a_delivery_and_reads_its_report(
    site: str, page: Page, settings, tmp_path: Path
):
    settings.MEDIA_ROOT = tmp_path / "storage"
    User.objects.create_user("analyste@demo.invalid", PASSWORD, role=User.Role.ANALYST)
    archive = tmp_path / "etude.zip"
    archive.write_bytes(hand_zip(top="etude/", skip=(HAND_CSV, HAND_SAV)))
    wave = tmp_path / "habitants-2024.csv"
    wave.write_bytes(defective_csv())

    log_in(page, site, "analyste@demo.invalid")
    page.get_by_role("link", name="Études").click()
    page.get_by_role("link", name="Créer une étude").click()
    page.get_by_label("Archive zip (study.yaml à la racine)").set_input_files(archive)
    page.get_by_role("button", name="Créer depuis l'archive").click()
    expect(
        page.get_by_role("heading", name="Baromètre de test des alliances locales")
    ).to_be_visible()
    expect(page.locator(f'tr[data-path="{HAND_SAV}"]')).to_contain_text("manquant")

    page.get_by_label("Chemin dans le dossier de l'étude").fill(HAND_SAV)
    page.locator("#file").set_input_files(HAND_STUDY / HAND_SAV)
    page.get_by_role("button", name="Déposer").click()
    expect(page.get_by_role("heading", name=HAND_SAV)).to_be_visible()
    expect(page.locator("dl.reading")).to_contain_text("spss")
    expect(page.locator("dl.reading")).to_contain_text("400")
    expect(page.locator("main")).to_contain_text("0 erreur(s), 0 avertissement(s).")

    page.get_by_role("link", name="← barometre-test").click()
    page.get_by_label("Chemin dans le dossier de l'étude").fill(HAND_CSV)
    page.locator("#file").set_input_files(wave)
    page.get_by_role("button", name="Déposer").click()
    expect(page.get_by_role("heading", name=HAND_CSV)).to_be_visible()
    reading = page.locator("dl.reading")
    expect(reading).to_contain_text("windows-1252")
    expect(reading).to_contain_text("350")
    expect(page.locator("main")).to_contain_text("2 erreur(s), 0 avertissement(s).")
    row = page.locator("table.problems tbody tr").filter(has_text="Énorme")
    expect(row.locator("td").nth(2)).to_have_text("3")
    expect(row.locator("td").nth(4)).to_have_text("q_impact")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "workspace-report.png"), full_page=True)

    assert StudyFile.objects.filter(path__in=[HAND_SAV, HAND_CSV]).count() == 2

    # A file dropped on the form is chosen, its name becomes the path when none is typed.
    page.get_by_role("link", name="← barometre-test").click()
    dropped = page.evaluate_handle(
        """(text) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([text], "notes.txt", {type: "text/plain"}));
            return transfer;
        }""",
        "Livraison reçue le 4 mars.\n",
    )
    page.dispatch_event("form[data-upload]", "drop", {"dataTransfer": dropped})
    expect(page.get_by_label("Chemin dans le dossier de l'étude")).to_have_value("notes.txt")
    page.get_by_role("button", name="Déposer").click()
    expect(page.get_by_role("heading", name="notes.txt")).to_be_visible()
    expect(page.locator("main")).to_contain_text("n'est pas nommé par study.yaml")
    assert StudyFile.objects.get(path="notes.txt").size == len(
        "Livraison reçue le 4 mars.\n".encode()
    )

    # On a phone, the study's page fits the screen's width (its tables scroll inside).
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{site}/studies/barometre-test/")
    expect(page.locator(f'tr[data-path="{HAND_CSV}"]')).to_contain_text("déposé, avec erreurs")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "workspace-study-phone.png"), full_page=True)
