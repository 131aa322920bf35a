"""The site in a browser: log in, switch language, search the catalogue, open a result chart."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PASSWORD

pytestmark = pytest.mark.e2e


def test_log_in_and_see_my_organisation(site: str, page: Page):
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("association@demo.invalid")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    page.get_by_role("link", name="Mes organisations").click()

    expect(page.get_by_role("link", name="Les Jardins du Lac (fictive)")).to_be_visible()


def test_switch_to_english(site: str, page: Page):
    page.goto(site)
    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Inspiring examples").first).to_be_visible()


def test_search_the_catalogue_without_accents(site: str, page: Page):
    page.goto(f"{site}/examples/")

    page.get_by_label("Rechercher").fill("mecenat")
    page.wait_for_url(re.compile(r"q=mecenat"))

    count = page.locator(".count")
    expect(count).to_contain_text("exemple")
    assert int(count.inner_text().split()[0]) >= 5
    expect(page.locator("ol.examples li").first).to_contain_text(re.compile("écénat|ecenat", re.I))


def test_open_a_result_chart(site: str, page: Page):
    page.goto(f"{site}/results/")
    page.get_by_role("link", name=re.compile("Impact des alliances")).click()
    page.get_by_role("link", name="Associations").click()

    chart = page.locator("figure.chart svg[role=img]")
    expect(chart).to_be_visible()
    expect(page.locator("#chart-alt")).to_contain_text("Territoires (2022)")
    expect(page.get_by_role("link", name="CSV", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Parquet", exact=True)).to_be_visible()
