"""The home page: what the platform offers and the three latest (synthetic) examples."""

from __future__ import annotations

import pytest
from django.test import Client

from alliance.web.examples.models import InspiringExample

pytestmark = pytest.mark.integration


def test_home_answers_in_french(db):
    response = Client().get("/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "<h1>Les alliances, troisième pilier de la performance</h1>" in page


def test_home_shows_the_three_latest_examples_as_demonstrations(db):
    page = Client().get("/").content.decode()

    latest = page.split("<h2>Derniers exemples</h2>", 1)[1].split("</ul>", 1)[0]
    assert latest.count("<li>") == 3
    assert latest.count('<span class="badge synthetic">démonstration</span>') == 3
    # The newest first (2024, 2024, 2023), by code within a year.
    assert latest.index('href="/examples/ex-20/"') < latest.index('href="/examples/ex-28/"')
    assert latest.index('href="/examples/ex-28/"') < latest.index('href="/examples/ex-12/"')
    assert ">Mobilité solidaire : louer une voiture pour reprendre un emploi</a>" in latest


def test_home_links_every_part_of_the_site(db):
    page = Client().get("/").content.decode()

    for href, title in [
        ("/referential/", "Référentiel"),
        ("/examples/", "Exemples inspirants"),
        ("/results/", "Résultats"),
    ]:
        assert f'<li><a href="{href}"><strong>{title}</strong>' in page
    assert '<a href="/accounts/login/">Se connecter</a>' in page
    assert '<a class="brand" href="/">Observatoire des alliances</a>' in page


def test_home_in_english_shows_english_titles(db):
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode()

    assert '<html lang="en">' in page
    assert ">Inclusive mobility: renting a car to get back to work</a>" in page
    assert page.count('<span class="badge synthetic">demo</span>') == 3


def test_home_without_examples_has_no_latest_section(db):
    InspiringExample.objects.all().delete()

    response = Client().get("/")

    assert response.status_code == 200
    assert "Derniers exemples" not in response.content.decode()
