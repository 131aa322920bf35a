"""The home page (what the platform offers, the latest examples), legal, privacy, robots.txt."""

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


@pytest.mark.parametrize(
    ("url", "french", "english"),
    [
        ("/legal/", "<h1>Mentions légales</h1>", "<h1>Legal notice</h1>"),
        ("/privacy/", "<h1>Confidentialité</h1>", "<h1>Privacy</h1>"),
    ],
)
def test_legal_and_privacy_pages_in_both_languages(db, url, french, english):
    assert french in Client().get(url).content.decode()
    assert english in Client().get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_privacy_says_what_is_kept_how_long_and_how_to_erase(db):
    page = Client().get("/privacy/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    for kept in ["Accounts", "Each organisation's diagnostic answers", "Technical logs"]:
        assert kept in page
    assert "Partnerships, invitations and evaluations" in page
    assert "90 days at most" in page
    assert "DELETE /api/organisations/{id}?confirm=" in page
    assert "GET /api/organisations/{id}/export" in page


def test_every_page_links_legal_and_privacy_in_its_footer_and_has_a_favicon(db):
    page = Client().get("/results/").content.decode()

    footer = page.split('<footer class="site">', 1)[1]
    assert '<a href="/legal/">Mentions légales</a>' in footer
    assert '<a href="/privacy/">Confidentialité</a>' in footer
    assert '<link rel="icon" href="/static/alliance/favicon.svg" type="image/svg+xml">' in page
    icon = Client().get("/static/alliance/favicon.svg")
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)  # type: ignore[attr-defined]


def test_favicon_ico_points_to_the_svg(db):
    response = Client().get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/alliance/favicon.svg"


def test_robots_keeps_crawlers_out_of_private_areas_and_the_api_but_its_docs(db):
    response = Client().get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert {"Allow: /api/docs", "Disallow: /api/", "Disallow: /organisations/"} <= set(lines)
    assert {"Disallow: /partnerships/", "Disallow: /accounts/", "Disallow: /admin/"} <= set(lines)
