"""Issue 16's « Done when », in Chromium on a phone: a coordinator's department, end to end.

An RNA file and a SIRENE extract are imported with ``alliance territory import-rna`` and
``import-sirene``'s own function; partnerships are registered on the platform between
organisations of Ille-et-Vilaine (35), the demo's department; the published study is cut by region,
Brittany's estimates among them. The demo's coordinator then opens the department's page at 390 px
and finds every section, and fills in the self-assessment.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from alliance.cli.territory import import_registry
from alliance.web.demo_content import (
    DEMO_COORDINATOR,
    DEMO_PASSWORD,
    DEMO_TERRITORY,
    load_demo_content,
)
from alliance.web.organisations.models import Organisation
from alliance.web.partnerships import actions
from alliance.web.partnerships.models import Side
from alliance.web.results.publishing import publish
from tests.e2e.conftest import ARTIFACTS
from tests.territory.registry_samples import (
    establishment,
    rna_line,
    unit,
    write_establishments,
    write_rna,
    write_units,
)
from tests.web.studies import regional_study

pytestmark = pytest.mark.e2e

RENNES, SAINT_MALO = "35238", "35288"


def import_registries(folder: Path) -> None:
    """Ille-et-Vilaine's registries, as published: 4 + 1 + 1 + 1 active actors, 3 apart.

    RNA (Windows Latin-1): the demo association and three others active, one dissolved, one
    deleted. SIRENE: the demo SME, a foundation, a commune, and a ceased company, each with its
    head office; one secondary establishment, skipped.
    """
    rna = write_rna(
        folder / "rna_waldec_20251201_dpt_35.csv",
        [rna_line(id="W351234567", titre="LES JARDINS DU LAC (ASSOCIATION FICTIVE)",
                  adrs_codeinsee=RENNES, position="A", maj_time="2025-11-03 09:12:44"),
         rna_line(id="W351000101", titre="ÉPICERIE SOLIDAIRE DE CLEUNAY (FICTIVE)",
                  adrs_codeinsee=RENNES, position="A"),
         rna_line(id="W351000102", titre="LES AMIS DU THABOR (FICTIVE)", adrs_codeinsee=RENNES,
                  position="A"),
         rna_line(id="W352000103", titre="FÊTE DE LA RANCE (FICTIVE)",
                  adrs_codeinsee=SAINT_MALO, position="A"),
         rna_line(id="W351000104", titre="ANCIEN CERCLE (FICTIVE)", adrs_codeinsee=RENNES,
                  position="D"),
         rna_line(id="W351000105", titre="DOUBLON (FICTIVE)", adrs_codeinsee=RENNES,
                  position="S")],
        encoding="cp1252",
    )  # fmt: skip
    stamp = "2025-10-16T08:00:00"
    units = write_units(
        folder / "StockUniteLegale_utf8.csv",
        [unit(siren="732829320", denominationUniteLegale="BOULANGERIES MOREAU (FICTIVE)",
              categorieJuridiqueUniteLegale="5710", categorieEntreprise="PME",
              dateDernierTraitementUniteLegale=stamp),
         unit(siren="351000013", denominationUniteLegale="FONDATION DU BOCAGE (FICTIVE)",
              categorieJuridiqueUniteLegale="9300", dateDernierTraitementUniteLegale=stamp),
         unit(siren="351000021", denominationUniteLegale="COMMUNE FICTIVE",
              categorieJuridiqueUniteLegale="7210", dateDernierTraitementUniteLegale=stamp),
         unit(siren="351000039", denominationUniteLegale="ATELIER FERMÉ (FICTIF)",
              categorieJuridiqueUniteLegale="5499", categorieEntreprise="PME",
              etatAdministratifUniteLegale="C", dateDernierTraitementUniteLegale=stamp)],
    )  # fmt: skip
    establishments = write_establishments(
        folder / "StockEtablissement_utf8.csv",
        [establishment(siren="732829320", siret="73282932000017", codeCommuneEtablissement=RENNES),
         establishment(siren="732829320", siret="73282932000025", etablissementSiege="false",
                       codeCommuneEtablissement="75056"),
         establishment(siren="351000013", siret="35100001300018",
                       codeCommuneEtablissement=SAINT_MALO),
         establishment(siren="351000021", siret="35100002100011", codeCommuneEtablissement=RENNES),
         establishment(siren="351000039", siret="35100003900013", codeCommuneEtablissement=RENNES,
                       etatAdministratifEtablissement="F")],
    )  # fmt: skip
    rna_result = import_registry("rna", [rna], "fr")
    sirene_result = import_registry("sirene", [units, establishments], "fr")
    assert (rna_result.inserted, sirene_result.inserted, sirene_result.updated) == (6, 4, 4)


def register_partnerships() -> None:
    """The demo's content, then ten « mécénat » partnerships and one societal innovation.

    The demo's association and SME share one sponsorship; nine more associations of Rennes each
    sponsor with the SME (ten in all), and the demo association innovates with a Saint-Malo
    foundation (one: withheld, drawn dashed).
    """
    load_demo_content()
    association = Organisation.objects.get(rna="W351234567")
    sme = Organisation.objects.get(siren="732829320")
    for i in range(9):
        other = Organisation.objects.create(
            name=f"Association de Rennes n° {i} (fictive)", profile="associations", commune=RENNES
        )
        partnership = actions.start(other, "Mécénat de quartier")
        actions.agree(partnership, "mecenat")
        Side.objects.create(partnership=partnership, organisation=sme)
    foundation = Organisation.objects.create(
        name="Fondation du Bocage (fictive)", profile="fondations", siren="351000013",
        commune=SAINT_MALO,
    )  # fmt: skip
    partnership = actions.start(association, "Innovation au bord de la Rance")
    actions.agree(partnership, "innovation_societale")
    Side.objects.create(partnership=partnership, organisation=foundation)


def rows(page: Page, selector: str) -> list[list[str]]:
    """The cells' texts of a table's body rows."""
    found: list[list[str]] = page.locator(selector).evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))"
    )
    return found


def test_a_coordinator_finds_their_department_after_the_imports(site, browser: Browser, tmp_path):
    import_registries(tmp_path)
    register_partnerships()
    publish(regional_study(), source="tests/web/studies/")
    kind, code = DEMO_TERRITORY
    address = f"/territories/{kind}/{code}/"
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{site}/accounts/login/?next={address}")
        page.get_by_label("Adresse e-mail").fill(DEMO_COORDINATOR)
        page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        expect(page.locator("h1")).to_contain_text("Ille-et-Vilaine")
        expect(page).to_have_url(f"{site}{address}")

        # Actors by profile: the imported files' counts, exactly.
        assert rows(page, "#actors-table tbody tr") == [
            ["Associations", "4"], ["PME", "1"], ["Fondations", "1"],
            ["Collectivités territoriales", "1"],
        ]  # fmt: skip
        expect(page.locator("#actors-table caption")).to_have_text(
            "7 acteurs actifs dans les registres publics"
        )
        expect(page.locator("#actors")).to_contain_text(
            "À part : 2 dissous ou cessés, 1 supprimés du registre."
        )
        expect(page.locator("#actors")).to_contain_text(
            "Millésime des registres : RNA 2025-12-01 · SIRENE 2025-10-16"
        )
        assert rows(page, "#organisations-table tbody tr") == [
            ["Associations", "10"], ["PME", "moins de 5"], ["Fondations", "moins de 5"],
        ]  # fmt: skip

        # The map, the department outlined.
        assert page.locator("svg.france-map a path").count() == 96
        assert (
            page.locator('svg.france-map a[aria-current="page"]').get_attribute("href") == address
        )

        # The network of the partnerships registered on the platform, drawn.
        expect(page.locator("#network-graph")).to_have_attribute("data-drawn", "3")
        assert page.locator("#network-graph canvas").count() >= 1
        assert rows(page, "#network-table tbody tr") == [
            ["Associations", "Fondations", "Innovation sociétale", "moins de 5"],
            ["Associations", "PME", "Mécénat", "10"],
        ]

        # Its example, and the study's results for Brittany, the fragile one flagged.
        expect(page.locator("#examples a")).to_have_text(
            ["Livraison à vélo et insertion : une offre commune pour les commerces du centre-ville"]
        )
        expect(page.locator("#results h3")).to_have_text("Impact des alliances (démonstration) v2")
        assert rows(page, "#results tbody tr") == [
            ["Territoires", "2018", "44,0\u202f%", "40,0\u202f% – 48,0\u202f%", "25", "⚠ fragile"],
            ["Territoires", "2022", "52,0\u202f%", "48,0\u202f% – 56,0\u202f%", "60", ""],
        ]
        expect(page.locator("#results caption")).to_have_text("Associations")
        # On the phone each estimate is a card: nothing to scroll sideways, the flag in view.
        flag = page.locator("#results tbody tr").first.get_by_text("⚠ fragile")
        box = flag.bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= 390
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.set_viewport_size({"width": 1280, "height": 900})  # and on a computer, a table
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        assert page.locator("#results table").evaluate("t => getComputedStyle(t).display") == (
            "table"
        )
        page.set_viewport_size({"width": 390, "height": 844})
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "territory-journey-390.png"), full_page=True)

        # The engineering self-assessment, filled in and kept with its history.
        page.get_by_label("Ingénierie publique", exact=True).select_option("niveau_3")
        page.get_by_label("Ingénierie de « catalyse »", exact=True).select_option("niveau_2")
        page.get_by_label("Commentaire — Ingénierie de « catalyse »").fill("Un catalyseur à Rennes")
        page.get_by_role("button", name="Enregistrer une nouvelle version").click()

        expect(page).to_have_url(f"{site}{address}#self-assessment")
        expect(page.get_by_label("Ingénierie publique", exact=True)).to_have_value("niveau_3")
        expect(page.get_by_label("Commentaire — Ingénierie de « catalyse »")).to_have_value(
            "Un catalyseur à Rennes"
        )
        page.get_by_text("Historique des versions").click()
        expect(page.locator("ol.history li")).to_have_count(1)
        expect(page.locator("ol.history li")).to_contain_text(
            f"{DEMO_COORDINATOR} (2 niveaux renseignés)"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
