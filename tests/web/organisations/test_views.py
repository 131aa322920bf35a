"""An organisation's pages: my organisations only; its members and my role on its page."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.web.conftest import logged_in

pytestmark = pytest.mark.integration


def main(html: bytes) -> str:
    return html.decode().split('<main id="main">', 1)[1].split("</main>", 1)[0]


def test_list_shows_my_organisations_only(people, organisation, other_organisation):
    response = logged_in(people["viewer"]).get("/organisations/")

    assert response.status_code == 200
    page = main(response.content)
    assert "<h1>Mes organisations</h1>" in page
    assert f'<a href="/organisations/{organisation.pk}/">Les Jardins du Lac (fictive)</a>' in page
    assert "Boulangeries Moreau" not in page
    assert page.count('<li><a href="/organisations/') == 1


def test_the_outsider_sees_their_own_organisation(people, organisation, other_organisation):
    page = main(logged_in(people["outsider"]).get("/organisations/").content)

    assert (
        f'<a href="/organisations/{other_organisation.pk}/">Boulangeries Moreau (fictive)</a>'
        in (page)
    )
    assert "Les Jardins du Lac" not in page


def test_list_says_when_i_belong_to_none(people):
    page = main(logged_in(people["analyst"]).get("/organisations/").content)

    assert "<li>Vous n'êtes membre d'aucune organisation.</li>" in page


def test_synthetic_organisations_carry_the_badge(people, organisation):
    organisation.synthetic = True
    organisation.save()

    page = main(logged_in(people["owner"]).get("/organisations/").content)

    assert '<span class="badge synthetic">démonstration</span>' in page


def test_list_needs_a_login(db):
    response = Client().get("/organisations/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/organisations/"


def test_detail_shows_identifiers_and_members(people, organisation):
    response = logged_in(people["editor"]).get(f"/organisations/{organisation.pk}/")

    assert response.status_code == 200
    page = main(response.content)
    assert "<h1>Les Jardins du Lac (fictive)</h1>" in page
    assert "<dt>RNA</dt><dd>W351234567</dd>" in page
    assert "<dt>SIREN</dt>" not in page
    assert "<h2>Membres</h2>" in page
    assert "<li>owner@demo.invalid — responsable</li>" in page
    assert "<li>editor@demo.invalid — contributeur</li>" in page
    assert "<li>viewer@demo.invalid — lecteur</li>" in page
    assert "outsider@demo.invalid" not in page


def test_detail_in_english(people, organisation):
    client = logged_in(people["owner"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    page = main(client.get(f"/organisations/{organisation.pk}/").content)

    assert "<li>owner@demo.invalid — owner</li>" in page
    assert "<li>editor@demo.invalid — contributor</li>" in page
    assert "<li>viewer@demo.invalid — reader</li>" in page
    assert '<a href="/organisations/">← My organisations</a>' in page


@pytest.mark.parametrize("who", ["owner", "editor", "viewer"])
def test_detail_context_gives_my_role_and_whether_i_manage(who, people, organisation):
    response = logged_in(people[who]).get(f"/organisations/{organisation.pk}/")

    assert response.context["role"] == who
    assert response.context["can_manage"] is (who == "owner")


def test_detail_shows_my_role_in_french(people, organisation):
    page = main(logged_in(people["owner"]).get(f"/organisations/{organisation.pk}/").content)

    assert "<dt>Votre rôle</dt><dd>responsable</dd>" in page


def test_detail_shows_the_profile_label(people, other_organisation):
    client = logged_in(people["outsider"])

    page = main(client.get(f"/organisations/{other_organisation.pk}/").content)

    assert "<dt>Profil</dt><dd>PME</dd>" in page


def test_detail_shows_the_siren_and_commune_when_set(people, other_organisation):
    other_organisation.commune = "75056"
    other_organisation.save()

    page = main(
        logged_in(people["outsider"]).get(f"/organisations/{other_organisation.pk}/").content
    )

    assert "<dt>SIREN</dt><dd>732829320</dd>" in page
    assert "<dt>Commune</dt><dd>75056</dd>" in page
    assert "<dt>RNA</dt>" not in page


def test_unknown_organisation_is_404(people):
    assert logged_in(people["owner"]).get("/organisations/999999/").status_code == 404
