"""A department's page on a phone (390 px) in Chromium: the map and the network graph are drawn."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from alliance.web.accounts.models import User
from alliance.web.territories.models import Coordinator
from tests.e2e.conftest import ARTIFACTS, PASSWORD
from tests.web.territories.conftest import make_nord

pytestmark = pytest.mark.e2e


def test_the_map_and_the_graph_are_drawn_at_phone_width(site, browser: Browser):
    make_nord()
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    try:
        page.goto(f"{site}/territories/department/59/")

        expect(page.locator("h1")).to_contain_text("Nord")
        assert page.locator("svg.france-map a path").count() == 96
        assert (
            page.locator('svg.france-map a[aria-current="page"]').get_attribute("href")
            == "/territories/department/59/"
        )
        graph = page.locator("#network-graph")
        expect(graph).to_have_attribute("data-drawn", "3")  # three profiles as nodes
        assert graph.locator("canvas").count() >= 1
        box = graph.bounding_box()
        assert box is not None
        assert 300 <= box["width"] <= 390
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390  # nothing wider than the phone
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "territory-department-390.png"), full_page=True)
        graph.screenshot(path=str(ARTIFACTS / "territory-network-390.png"))

        page.locator('svg.france-map a[data-code="62"]').click()
        expect(page).to_have_url(f"{site}/territories/department/62/")
        assert refused == []
    finally:
        context.close()


def test_the_choice_page_finds_a_commune_and_switches_the_indicator(site, browser: Browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{site}/territories/")
        page.fill("#q", "Roubaix")
        page.click("form[role=search] button")
        page.get_by_role("link", name="Roubaix").click()
        expect(page.locator("h1")).to_contain_text("Roubaix")

        page.select_option("#indicator", "examples")
        page.click("#map form button, section#map form button")
        expect(page).to_have_url(
            f"{site}/territories/commune/59512/?indicator=examples&map=department"
        )
        assert page.locator("svg.france-map a").count() == 96
        page.screenshot(path=str(ARTIFACTS / "territory-commune-390.png"), full_page=True)
    finally:
        context.close()


def test_the_coordinator_fills_in_the_self_assessment_on_a_phone(site, browser: Browser):
    make_nord()
    user = User.objects.create_user("coordination-nord@demo.invalid", PASSWORD)
    Coordinator.objects.create(user=user, kind="department", code="59")
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{site}/accounts/login/?next=/territories/department/59/")
        page.get_by_label("Adresse e-mail").fill("coordination-nord@demo.invalid")
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        expect(page.locator("h1")).to_contain_text("Nord")

        page.get_by_label("Ingénierie de « catalyse »", exact=True).select_option("niveau_2")
        page.get_by_label("Commentaire — Ingénierie de « catalyse »").fill("Deux catalyseurs")
        page.get_by_role("button", name="Enregistrer une nouvelle version").click()

        expect(page).to_have_url(f"{site}/territories/department/59/#self-assessment")
        expect(page.get_by_label("Ingénierie de « catalyse »", exact=True)).to_have_value(
            "niveau_2"
        )
        page.get_by_text("Historique des versions").click()
        expect(page.locator("ol.history li")).to_contain_text("coordination-nord@demo.invalid")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.locator("#self-assessment").screenshot(
            path=str(ARTIFACTS / "territory-self-assessment-390.png")
        )
    finally:
        context.close()
