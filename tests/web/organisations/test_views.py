"""An organisation's pages: my organisations only; its members and my role on its page."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from alliance.web.accounts.models import User
from alliance.web.organisations.models import ColleagueInvitation, Organisation
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

    assert (
        '<dt>Profil</dt><dd>PME<span class="sheet"> · fiche pratique : adresse inconnue à ce jour'
        "</span></dd>"
    ) in page


def test_detail_shows_the_siren_and_commune_when_set(people, other_organisation):
    other_organisation.commune = "75056"
    other_organisation.save()

    page = main(
        logged_in(people["outsider"]).get(f"/organisations/{other_organisation.pk}/").content
    )

    assert "<dt>SIREN</dt><dd>732829320</dd>" in page
    assert "<dt>Commune</dt><dd>Paris (75)</dd>" in page
    assert "<dt>RNA</dt>" not in page


def test_unknown_organisation_is_404(people):
    assert logged_in(people["owner"]).get("/organisations/999999/").status_code == 404


# Creating and editing ---------------------------------------------------------------------------


def test_the_create_form_lists_the_referentials_profiles(people):
    response = logged_in(people["analyst"]).get("/organisations/new/")

    page = main(response.content)
    assert response.status_code == 200
    assert "<h1>Créer une organisation</h1>" in page
    assert (
        '<option value="collectivites_territoriales">Collectivités territoriales</option>' in page
    )


def test_creating_makes_me_its_owner(people):
    client = logged_in(people["analyst"])

    response = client.post("/organisations/new/", {
        "name": "Les Ateliers (fictive)", "profile": "associations", "rna": "W351234567",
        "siren": "", "commune": "35238",
    })  # fmt: skip

    found = Organisation.objects.get(name="Les Ateliers (fictive)")
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{found.pk}/"
    assert found.memberships.get().role == "owner"
    assert client.get(f"/organisations/{found.pk}/").status_code == 200


def test_creating_goes_back_to_where_i_came_from_on_this_site_only(people):
    client = logged_in(people["analyst"])
    body = {"name": "A", "profile": "pme"}

    here = client.post("/organisations/new/", body | {"next": "/invitations/abc/"})
    away = client.post("/organisations/new/", body | {"next": "https://ailleurs.example/"})

    assert here["Location"] == "/invitations/abc/"
    assert away["Location"].startswith("/organisations/")


def test_a_bad_siren_is_said_and_what_was_typed_kept(people):
    response = logged_in(people["analyst"]).post(
        "/organisations/new/", {"name": "Boulangerie <b>X</b>", "profile": "pme",
                                "siren": "732829321"},
    )  # fmt: skip

    page = main(response.content)
    assert response.status_code == 400
    assert (
        '<p class="error" role="alert">SIREN invalide : 9 chiffres dont la clé de Luhn est juste '
        "(champ &#x27;siren&#x27;, valeur &#x27;732829321&#x27;)</p>"
    ) in page
    assert 'value="Boulangerie &lt;b&gt;X&lt;/b&gt;"' in page
    assert not Organisation.objects.filter(profile="pme", name__startswith="Boulangerie <").exists()


def test_a_control_character_in_the_name_is_said_where_it_is(people):
    response = logged_in(people["analyst"]).post(
        "/organisations/new/", {"name": "Jardin\x1b[2J", "profile": "associations"}
    )

    assert response.status_code == 400
    assert (
        '<p class="error" role="alert">Caractère de contrôle U+001B interdit dans ce texte '
        "(position 7) (champ &#x27;name&#x27;)</p>"
    ) in main(response.content)
    assert not Organisation.objects.filter(name__startswith="Jardin").exists()


def test_a_nul_in_the_name_is_refused_before_the_form_is_read(people):
    """The request guard answers first (as for partnerships' titles): a page, not the form."""
    response = logged_in(people["analyst"]).post(
        "/organisations/new/", {"name": "Jardin\x00", "profile": "associations"}
    )

    assert response.status_code == 400
    assert "un caractère ne peut pas être enregistré" in main(response.content)
    assert not Organisation.objects.filter(name__startswith="Jardin").exists()


def test_searching_an_rna_prefills_it_and_the_profile(people):
    page = main(
        logged_in(people["analyst"]).get("/organisations/new/?identifier=w351234567").content
    )

    assert '<input id="rna" name="rna" value="W351234567">' in page
    assert '<option value="associations" selected>Associations</option>' in page


def test_searching_a_bad_number_says_so(people):
    response = logged_in(people["analyst"]).get("/organisations/new/?identifier=12345")

    assert response.status_code == 400
    assert "Ni un SIREN (9 chiffres) ni un RNA (W et 9 caractères)" in main(response.content)


def test_creating_needs_a_login(db):
    response = Client().get("/organisations/new/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/organisations/new/"


EDIT_PAGE = {"owner": 200, "editor": 200, "viewer": 403, "outsider": 404, "analyst": 404}


@pytest.mark.parametrize("who", list(EDIT_PAGE))
def test_editing(who, people, organisation):
    client = logged_in(people[who])

    page = client.get(f"/organisations/{organisation.pk}/edit/")
    response = client.post(f"/organisations/{organisation.pk}/edit/", {
        "name": "Les Jardins du Lac (fictive)", "profile": "associations", "rna": "W351234567",
        "commune": "35238",
    })  # fmt: skip

    assert page.status_code == EDIT_PAGE[who]
    assert response.status_code == (302 if EDIT_PAGE[who] == 200 else EDIT_PAGE[who])
    saved = Organisation.objects.get(pk=organisation.pk).commune == "35238"
    assert saved is (EDIT_PAGE[who] == 200)


def test_the_organisation_page_links_to_editing_and_members(people, organisation):
    owner = main(logged_in(people["owner"]).get(f"/organisations/{organisation.pk}/").content)
    viewer = main(logged_in(people["viewer"]).get(f"/organisations/{organisation.pk}/").content)

    assert f'<a href="/organisations/{organisation.pk}/edit/">' in owner
    assert "Gérer les membres et les invitations" in owner
    assert f'<a href="/organisations/{organisation.pk}/edit/">' not in viewer
    assert "Voir les membres" in viewer


# Members ----------------------------------------------------------------------------------------


def members_url(organisation) -> str:
    return f"/organisations/{organisation.pk}/members/"


def roles(organisation) -> dict[str, str]:
    return dict(organisation.memberships.values_list("user__email", "role"))


MEMBERS_PAGE = {"owner": 200, "editor": 200, "viewer": 200, "outsider": 404, "analyst": 404}


@pytest.mark.parametrize("who", list(MEMBERS_PAGE))
def test_the_members_page(who, people, organisation):
    response = logged_in(people[who]).get(members_url(organisation))

    assert response.status_code == MEMBERS_PAGE[who]
    if response.status_code == 200:
        page = main(response.content)
        assert "<li><span>viewer@demo.invalid — lecteur</span>" in page
        assert ("<h2>Inviter un collègue</h2>" in page) is (who == "owner")


def test_removing_transferring_and_leaving_ask_for_a_confirmation_first(people, organisation):
    page = main(logged_in(people["owner"]).get(members_url(organisation)).content)

    removal = page.split("<p>viewer@demo.invalid n'aura plus accès aux données")[1]
    assert removal.index("Confirmer le retrait") < removal.index("</details>")
    assert "<summary>Lui transférer la responsabilité…</summary>" in page
    assert "<summary>Quitter l'organisation…</summary>" in page


def test_an_owner_invites_a_colleague_and_sees_the_invitation(people, organisation):
    response = logged_in(people["owner"]).post(
        members_url(organisation), {"form": "invite", "email": "c@demo.invalid", "role": "editor"}
    )

    page = main(response.content)
    assert response.status_code == 200
    assert '<p class="notice" role="status">Invitation envoyée.</p>' in page
    assert "<span>c@demo.invalid — contributeur — en attente" in page
    assert mail.outbox[0].to == ["c@demo.invalid"]


def test_an_editor_cannot_invite(people, organisation):
    response = logged_in(people["editor"]).post(
        members_url(organisation), {"form": "invite", "email": "c@demo.invalid", "role": "owner"}
    )

    assert response.status_code == 403
    assert ColleagueInvitation.objects.count() == 0
    assert mail.outbox == []


def test_resend_and_revoke_from_the_page(people, organisation):
    client = logged_in(people["owner"])
    client.post(members_url(organisation), {"form": "invite", "email": "c@demo.invalid"})
    invitation = ColleagueInvitation.objects.get()

    resent = client.post(members_url(organisation), {"form": "resend", "invitation": invitation.pk})
    revoked = client.post(
        members_url(organisation), {"form": "revoke", "invitation": invitation.pk}
    )

    assert "Invitation renvoyée." in main(resent.content)
    assert len(mail.outbox) == 2
    assert "Invitation annulée." in main(revoked.content)
    assert "<span>c@demo.invalid — lecteur — annulée</span>" in main(revoked.content)


def test_the_last_owner_is_told_why_they_cannot_leave(people, organisation):
    response = logged_in(people["owner"]).post(members_url(organisation), {"form": "leave"})

    assert response.status_code == 409
    assert (
        '<p class="error" role="alert">L&#x27;organisation doit garder au moins un responsable'
    ) in main(response.content)
    assert roles(organisation)["owner@demo.invalid"] == "owner"


def test_a_viewer_leaves(people, organisation):
    response = logged_in(people["viewer"]).post(members_url(organisation), {"form": "leave"})

    assert response.status_code == 302
    assert response["Location"] == "/organisations/"
    assert "viewer@demo.invalid" not in roles(organisation)


@pytest.mark.parametrize(
    ("form", "expected"),
    [({"form": "role", "role": "editor"}, {"viewer@demo.invalid": "editor"}),
     ({"form": "remove"}, {}),
     ({"form": "transfer"}, {"viewer@demo.invalid": "owner", "owner@demo.invalid": "editor"})],
)  # fmt: skip
def test_owners_change_roles_remove_and_transfer(form, expected, people, organisation):
    response = logged_in(people["owner"]).post(
        members_url(organisation), form | {"user": people["viewer"].pk}
    )

    assert response.status_code == 200
    assert roles(organisation) == {
        "owner@demo.invalid": "owner", "editor@demo.invalid": "editor",
        **({"viewer@demo.invalid": "viewer"} if form["form"] != "remove" else {}),
    } | expected  # fmt: skip


def test_a_viewer_cannot_change_roles(people, organisation):
    response = logged_in(people["viewer"]).post(
        members_url(organisation), {"form": "role", "role": "owner", "user": people["viewer"].pk}
    )

    assert response.status_code == 403
    assert roles(organisation)["viewer@demo.invalid"] == "viewer"


# Accepting a colleague's invitation -------------------------------------------------------------


@pytest.fixture
def colleague_token(people, organisation) -> str:
    logged_in(people["owner"]).post(
        members_url(organisation), {"form": "invite", "email": "c@demo.invalid", "role": "editor"}
    )
    found = re.findall(
        r"http://testserver/organisations/invitations/([\w-]+)/", str(mail.outbox[-1].body)
    )
    return str(found[0])


def test_anonymous_people_see_who_invites_and_how_to_accept(colleague_token, settings):
    response = Client().get(f"/organisations/invitations/{colleague_token}/")

    page = main(response.content)
    assert response.status_code == 200
    assert "<h1>Rejoindre « Les Jardins du Lac (fictive) »</h1>" in page
    assert "Vous êtes invité comme contributeur." in page
    assert "Cette invitation est adressée à c@demo.invalid." in page
    login = f"/accounts/login/?next=%2Forganisations%2Finvitations%2F{colleague_token}%2F"
    assert f'<a href="{login}">' in page
    assert "<form method" not in page


def test_the_invited_address_joins(people, organisation, colleague_token):
    client = logged_in(User.objects.create_user("c@demo.invalid"))

    page = client.get(f"/organisations/invitations/{colleague_token}/")
    response = client.post(f"/organisations/invitations/{colleague_token}/")

    assert page.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{organisation.pk}/"
    assert roles(organisation)["c@demo.invalid"] == "editor"


@pytest.mark.parametrize(
    ("who", "message"),
    [("owner", "Vous ne pouvez pas accepter une invitation que vous avez envoyée vous-même"),
     ("outsider", "Cette invitation a été envoyée à c@demo.invalid : vous êtes connecté avec "
                  "outsider@demo.invalid.")],
)  # fmt: skip
def test_others_get_a_clear_refusal(who, message, people, organisation, colleague_token):
    client = logged_in(people[who])

    page = client.get(f"/organisations/invitations/{colleague_token}/")
    response = client.post(f"/organisations/invitations/{colleague_token}/")

    assert page.status_code == response.status_code == 403
    assert "<h1>Action impossible</h1>" in main(response.content)
    assert message in main(response.content)
    assert "c@demo.invalid" not in roles(organisation)
    assert "outsider@demo.invalid" not in roles(organisation)


@pytest.mark.parametrize(
    ("change", "message"),
    [({"expires": timezone.now()}, "Cette invitation a expiré"),
     ({"revoked": timezone.now()}, "Cette invitation a été annulée")],
)  # fmt: skip
def test_expired_and_revoked_links_say_so(change, message, organisation, colleague_token):
    ColleagueInvitation.objects.update(**change)
    client = logged_in(User.objects.create_user("c@demo.invalid"))

    response = client.post(f"/organisations/invitations/{colleague_token}/")

    assert response.status_code == 410
    assert message in main(response.content)
    assert "c@demo.invalid" not in roles(organisation)


def test_an_unknown_colleague_token_is_404(people):
    assert logged_in(people["owner"]).get("/organisations/invitations/nope/").status_code == 404


def test_a_dead_link_says_so_even_before_logging_in(colleague_token):
    ColleagueInvitation.objects.update(revoked=timezone.now())

    response = Client().get(f"/organisations/invitations/{colleague_token}/")

    assert response.status_code == 410
    assert "Cette invitation a été annulée par la personne qui l&#x27;avait envoyée" in main(
        response.content
    )
