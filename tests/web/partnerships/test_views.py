"""The members' pages: diagnostic, partnerships, invitations, evaluations, export and erasure.

Rules (alliance.web.permissions): an organisation's members read its pages, owners and editors
change them, owners erase; a partnership's pages are its partners' members'; anonymous visitors
are sent to the login page, everyone else gets 404, and members lacking the role 403.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection
from django.http import HttpResponse, HttpResponseBase
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alliance.web.accounts.models import User
from alliance.web.jobs.models import Job
from alliance.web.jobs.worker import run_pending
from alliance.web.organisations.models import Membership, Organisation
from alliance.web.partnerships import actions, invitations
from alliance.web.partnerships.models import (
    Diagnostic,
    Evaluation,
    Invitation,
    Partnership,
    Side,
)
from tests.web.conftest import logged_in

pytestmark = pytest.mark.integration

WHO = ["anonymous", "owner", "editor", "viewer", "outsider", "analyst"]
HTMX = {"HX-Request": "true"}
CSV_FILES = [
    "organisation.csv", "membres.csv", "diagnostic.csv", "scores.csv", "partenariats.csv",
    "evaluations.csv", "invitations.csv",
]  # fmt: skip

#: Pages of ``organisation`` its members read.
READ = {"anonymous": 302, "owner": 200, "editor": 200, "viewer": 200, "outsider": 404,
        "analyst": 404}  # fmt: skip
#: Changes to ``organisation`` its owners and editors make.
EDIT = READ | {"viewer": 403}
#: The erasure, its owners'.
MANAGE = EDIT | {"editor": 403}
#: Pages of the partnership between ``organisation`` and ``other_organisation``.
PARTNERS = READ | {"outsider": 200}


def client_for(who: str, people) -> Client:
    return Client() if who == "anonymous" else logged_in(people[who])


def english(user: User) -> Client:
    client = logged_in(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def main(response: HttpResponseBase) -> str:
    """The page's ``<main>``: what the page says, without the header and footer."""
    assert isinstance(response, HttpResponse)
    return response.content.decode().split('<main id="main">', 1)[1].split("</main>", 1)[0]


def keeping(tokens: list[str]) -> Callable[[str], str]:
    """An invitation link that keeps the token it is given."""

    def link(token: str) -> str:
        tokens.append(token)
        return token

    return link


def assert_status(response, expected: int, url: str, who: str) -> None:
    """The status expected; anonymous visitors are sent to the login page, then back."""
    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.fixture
def shared(organisation, other_organisation) -> Partnership:
    """A partnership between ``organisation`` (first side) and ``other_organisation``."""
    partnership = actions.start(organisation, "Jardin partagé")
    Side.objects.create(partnership=partnership, organisation=other_organisation)
    return partnership


# The authorization matrix -----------------------------------------------------------------------

ORGANISATION_PAGES = ["diagnostic/", "diagnostic.pdf", "export.json", "export.zip", "partnerships/"]


@pytest.mark.parametrize("page", ORGANISATION_PAGES)
@pytest.mark.parametrize("who", WHO)
def test_reading_the_organisation_pages(who, page, people, organisation, shared):
    url = f"/organisations/{organisation.pk}/{page}"

    response = client_for(who, people).get(url)

    assert_status(response, READ[who], url, who)


@pytest.mark.parametrize("who", WHO)
def test_asking_for_the_pdf_report(who, people, organisation):
    """Members queue the report's job and are sent to its page; others as for reading."""
    url = f"/organisations/{organisation.pk}/diagnostic.pdf"

    response = client_for(who, people).post(url)

    assert_status(response, 303 if READ[who] == 200 else READ[who], url, who)
    jobs = Job.objects.filter(kind="report.pdf", arguments__organisation=organisation.pk)
    if READ[who] == 200:
        [job] = jobs
        assert response["Location"] == f"/jobs/{job.pk}/"
        assert (job.created_by, job.arguments["lang"]) == (people[who], "fr")
    else:
        assert not jobs.exists()


@pytest.mark.parametrize("page", ["export.json", "export.zip"])
@pytest.mark.parametrize("who", WHO)
def test_posting_to_the_downloads_is_not_allowed(who, page, people, organisation):
    """The downloads are GET-only, checked before the login: 405 for everyone."""
    url = f"/organisations/{organisation.pk}/{page}"

    response = client_for(who, people).post(url)

    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.content == b""


@pytest.mark.parametrize("who", WHO)
def test_posting_an_answer_to_the_diagnostic(who, people, organisation):
    url = f"/organisations/{organisation.pk}/diagnostic/"

    response = client_for(who, people).post(url, {"skills": "4"})

    assert_status(response, EDIT[who], url, who)
    saved = Diagnostic.objects.filter(organisation=organisation, answers={"skills": 4}).exists()
    assert saved is (EDIT[who] == 200)


@pytest.mark.parametrize("who", WHO)
def test_starting_a_partnership(who, people, organisation):
    url = f"/organisations/{organisation.pk}/partnerships/"

    response = client_for(who, people).post(url, {"title": "Nouveau partenariat"})

    allowed = who in ("owner", "editor")
    assert_status(response, 302 if allowed else EDIT[who], url, who)
    assert Partnership.objects.filter(title="Nouveau partenariat").count() == int(allowed)


@pytest.mark.parametrize("who", WHO)
def test_reading_the_erase_page(who, people, organisation):
    url = f"/organisations/{organisation.pk}/erase/"

    response = client_for(who, people).get(url)

    assert_status(response, MANAGE[who], url, who)


@pytest.mark.parametrize("confirm", ["wrong name", "Les Jardins du Lac (fictive)"])
@pytest.mark.parametrize("who", WHO)
def test_posting_to_the_erase_page(who, confirm, people, organisation):
    url = f"/organisations/{organisation.pk}/erase/"

    response = client_for(who, people).post(url, {"confirm": confirm})

    assert_status(response, MANAGE[who], url, who)
    erased = who == "owner" and confirm == organisation.name
    assert Organisation.objects.filter(pk=organisation.pk).exists() is not erased


@pytest.mark.parametrize("page", ["", "evaluation/"])
@pytest.mark.parametrize("who", WHO)
def test_reading_the_partnership_pages(who, page, people, shared):
    url = f"/partnerships/{shared.pk}/{page}"

    response = client_for(who, people).get(url)

    assert_status(response, PARTNERS[who], url, who)


@pytest.mark.parametrize("who", WHO)
def test_posting_to_the_partnership_page(who, people, shared):
    url = f"/partnerships/{shared.pk}/"

    response = client_for(who, people).post(url, {"form": "agreed", "category": "mecenat"})

    assert_status(response, PARTNERS[who] if who != "viewer" else 403, url, who)
    saved = Partnership.objects.get(pk=shared.pk).category == "mecenat"
    assert saved is (who in ("owner", "editor", "outsider"))


@pytest.mark.parametrize("who", WHO)
def test_posting_to_the_evaluation_page(who, people, shared):
    url = f"/partnerships/{shared.pk}/evaluation/"

    response = client_for(who, people).post(url, {"produit.performance": "3"})

    allowed = who in ("owner", "editor", "outsider")
    expected = {"anonymous": 302, "viewer": 403, "analyst": 404}.get(who, 302)
    assert_status(response, expected, url, who)
    if allowed:
        assert response["Location"] == url
    assert Evaluation.objects.filter(partnership=shared).count() == int(allowed)


@pytest.mark.parametrize("page", ["", "evaluation/"])
def test_a_viewers_post_to_a_partnership_changes_nothing(page, people, shared):
    """A viewer of a partner may read the partnership's pages; a post of theirs is refused."""
    client = logged_in(people["viewer"])

    response = client.post(
        f"/partnerships/{shared.pk}/{page}",
        {"form": "agreed", "category": "mecenat", "produit.performance": "3"},
    )

    assert response.status_code == 403
    assert Partnership.objects.get(pk=shared.pk).category == ""
    assert Evaluation.objects.count() == 0


@pytest.mark.parametrize(
    "data",
    [{"form": "side", "objective.processus": "1", "money": "500 €"},
     {"form": "invite", "email": "partenaire@demo.invalid"}],
    ids=["side", "invite"],
)  # fmt: skip
def test_a_viewers_other_forms_are_refused_too(data, people, shared, organisation):
    response = logged_in(people["viewer"]).post(f"/partnerships/{shared.pk}/", data)

    assert response.status_code == 403
    mine = Side.objects.get(partnership=shared, organisation=organisation)
    assert (mine.objectives, mine.contributions) == ({}, {})
    assert mail.outbox == []
    assert Invitation.objects.count() == 0


def test_a_partnership_of_others_is_404_for_a_member(people, other_organisation):
    theirs = actions.start(other_organisation, "Entre autres")

    for page in ("", "evaluation/"):
        response = logged_in(people["owner"]).get(f"/partnerships/{theirs.pk}/{page}")
        assert response.status_code == 404


@pytest.mark.parametrize(
    "url", ["/organisations/999999/diagnostic/", "/organisations/999999/export.json",
            "/organisations/999999/erase/", "/partnerships/999999/",
            "/partnerships/999999/evaluation/"],
)  # fmt: skip
def test_unknown_organisations_and_partnerships_are_404(url, people):
    assert logged_in(people["owner"]).get(url).status_code == 404


def test_an_unknown_export_format_is_404(people, organisation):
    response = logged_in(people["owner"]).get(f"/organisations/{organisation.pk}/export.xml")

    assert response.status_code == 404


# The diagnostic ---------------------------------------------------------------------------------


def test_an_htmx_answer_is_saved_and_the_scores_redrawn(people, organisation):
    response = logged_in(people["editor"]).post(
        f"/organisations/{organisation.pk}/diagnostic/", {"skills": "5"}, headers=HTMX
    )

    assert response.status_code == 200
    assert [t.name for t in response.templates] == [
        "partnerships/_saved.html", "partnerships/_scores.html", "partnerships/_benchmark.html",
        "partnerships/_version.html",
    ]  # fmt: skip
    html = response.content.decode()
    assert html.rstrip().endswith(
        '<input type="hidden" id="version-skills" name="version.skills" value="1" '
        'hx-swap-oob="true">'
    )
    assert "<html" not in html
    assert html.lstrip().startswith("<h2>Équilibre de la maison</h2>")
    assert '<tr><th scope="row">Richesses humaines</th><td class="num">100</td></tr>' in html
    assert '<tr><th scope="row">Alliances</th><td class="num">—</td></tr>' in html
    assert 'role="alert"' not in html
    assert Diagnostic.objects.get(organisation=organisation).answers == {"skills": 5}


def test_a_plain_post_saves_and_shows_the_whole_page(people, organisation):
    response = logged_in(people["owner"]).post(
        f"/organisations/{organisation.pk}/diagnostic/",
        {"people_mix.benevoles": "50", "people_mix.salaries": "50", "people_mix.volontaires": ""},
    )

    assert response.status_code == 200
    assert response.templates[0].name == "partnerships/diagnostic.html"
    assert "<h1>Diagnostic du modèle socio-économique</h1>" in main(response)
    assert Diagnostic.objects.get(organisation=organisation).answers == {
        "people_mix": {"benevoles": 50.0, "salaries": 50.0, "volontaires": 0.0}
    }


def test_checked_categories_are_saved(people, organisation):
    logged_in(people["owner"]).post(
        f"/organisations/{organisation.pk}/diagnostic/",
        {"partnership_categories": ["mecenat", "innovation_societale"]},
        headers=HTMX,
    )

    assert Diagnostic.objects.get(organisation=organisation).answers == {
        "partnership_categories": ["innovation_societale", "mecenat"]
    }


def test_an_invalid_answer_shows_the_error_in_french_and_keeps_the_answers(people, organisation):
    actions.save_answers(actions.diagnostic_of(organisation), {"skills": 4})

    response = logged_in(people["owner"]).post(
        f"/organisations/{organisation.pk}/diagnostic/",
        {"skills": "2.5", "engagement": "2"},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert (
        '<p class="error" role="alert">Réponse invalide à &#x27;skills&#x27; : il faut un nombre '
        "entier de 1 à 5 (champ &#x27;skills&#x27;, valeur &#x27;2.5&#x27;)</p>"
    ) in response.content.decode()
    assert Diagnostic.objects.get(organisation=organisation).answers == {
        "skills": 4, "engagement": 2,
    }  # fmt: skip


def test_an_invalid_answer_shows_the_error_in_english(people, organisation):
    actions.save_answers(actions.diagnostic_of(organisation), {"skills": 4})

    response = english(people["editor"]).post(
        f"/organisations/{organisation.pk}/diagnostic/", {"skills": "lots"}
    )

    assert response.status_code == 200
    assert (
        '<p class="error" role="alert">Invalid answer to &#x27;skills&#x27;: a whole number from '
        "1 to 5 is needed (field &#x27;skills&#x27;, value &#x27;lots&#x27;)</p>"
    ) in main(response)
    assert Diagnostic.objects.get(organisation=organisation).answers == {"skills": 4}


def test_the_page_shows_the_benchmark_with_the_synthetic_badge(people, organisation):
    response = logged_in(people["viewer"]).get(f"/organisations/{organisation.pk}/diagnostic/")

    page = main(response)
    assert "<h2>Où vous situez-vous ?</h2>" in page
    assert (
        "Comparé aux Associations de l'étude (vague 2022, résultats pondérés, "
        "intervalles de confiance à 95 %)."
    ) in page
    assert '<span class="badge synthetic">données synthétiques de démonstration</span>' in page
    assert "des organisations de l'étude évaluent les leurs (de " in page
    assert [s.reference.population for s in response.context["standings"]] == [
        "associations"] * 5  # fmt: skip
    assert "no-comparison" not in page


def test_the_page_compares_an_association_on_the_three_levers(people, organisation):
    actions.save_answers(
        actions.diagnostic_of(organisation), {"volunteer_count": 8, "main_resource": "dons"}
    )

    page = main(logged_in(people["owner"]).get(f"/organisations/{organisation.pk}/diagnostic/"))

    headings = re.findall(
        r'<h3 class="lever-benchmark" id="benchmark-([a-z_]+)">([^<]+)</h3>', page
    )
    assert headings == [
        ("richesses_humaines", "Richesses humaines"),
        ("ressources_financieres", "Ressources financières"),
        ("alliances", "Alliances"),
    ]
    assert "<dt>Nombre de bénévoles réguliers</dt>" in page
    assert "<dd>Vous : 8. Moyenne : 14,2 (de 12,9 à 15,5)." in page
    assert re.search(r"<strong>45,0\s%\sen ont moins que vous\.</strong>", page)
    assert "<dt>Principale ressource financière</dt>" in page
    assert re.search(
        r"<strong>Vous : Dons, comme 27,0\s% des organisations de l'étude\.</strong>", page
    )
    assert re.search(r"<li>Subventions — 42,0\s%", page)
    assert "no-comparison" not in page


def test_the_page_says_which_levers_a_company_cannot_be_compared_on(people, other_organisation):
    client = logged_in(people["outsider"])
    url = f"/organisations/{other_organisation.pk}/diagnostic/"

    french, english = main(client.get(url)), main(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))

    note = (
        '<p class="meta no-comparison">Le questionnaire de l&#x27;étude ne pose pas à votre '
        "population de question comparable sur ce levier : pas de comparaison plutôt qu&#x27;une "
        "comparaison avec une autre mesure.</p>"
    )
    assert french.count(note) == 2
    assert french.index('id="benchmark-richesses_humaines"') < french.index(note)
    assert french.index(note) < french.index('id="benchmark-alliances"')
    assert "<dt>Nombre de partenariats</dt>" in french
    assert english.count("asks your population no comparable question on this lever") == 2


def test_the_page_explains_each_score_with_its_rule(people, organisation):
    page = main(logged_in(people["viewer"]).get(f"/organisations/{organisation.pk}/diagnostic/"))

    assert "<summary>Comment les scores sont calculés</summary>" in page
    assert (
        "<li><strong>Combien de mois d&#x27;activité vos réserves couvrent-elles ?</strong> — "
        "Mois de réserves / 6 × 100, plafonné à 100 : six mois de réserves sont un coussin sain. "
        '<span class="badge inferred">déduit</span></li>'
    ) in page
    assert "Pas de score : le nombre de bénévoles dépend de la taille du projet" in page


def test_a_pme_is_compared_with_companies(people, other_organisation):
    page = main(
        logged_in(people["outsider"]).get(f"/organisations/{other_organisation.pk}/diagnostic/")
    )

    assert "Comparé aux Entreprises de l'étude (vague 2022" in page
    assert '<span class="badge synthetic">données synthétiques de démonstration</span>' in page


def test_the_practice_sheet_step_leads_to_the_sheet_or_says_it_is_unknown(
    people, organisation, other_organisation
):
    association = main(
        logged_in(people["viewer"]).get(f"/organisations/{organisation.pk}/diagnostic/")
    )
    company = main(
        logged_in(people["outsider"]).get(f"/organisations/{other_organisation.pk}/diagnostic/")
    )

    assert 'Fiches-Pratiques-Associations-EXE.pdf" rel="noopener">Ouvrir la fiche pratique' in (
        association
    )
    assert "L&#x27;adresse de la fiche de votre profil n&#x27;est pas encore connue" in company


def test_the_benchmark_places_my_count(people, organisation):
    actions.save_answers(actions.diagnostic_of(organisation), {"partnership_count": 3})

    response = logged_in(people["owner"]).get(f"/organisations/{organisation.pk}/diagnostic/")

    page = main(response)
    below = response.context["standings"][2].below
    share = f"{below * 100:.1f}".replace(".", ",")
    assert "<dt>Nombre de partenariats</dt>" in page
    assert "<dd>Vous : 3. Moyenne : " in page
    assert re.search(rf"<strong>{share}\s%\sen ont moins que vous\.</strong>", page)


def test_a_viewer_sees_the_form_disabled(people, organisation):
    response = logged_in(people["viewer"]).get(f"/organisations/{organisation.pk}/diagnostic/")

    assert response.context["can_edit"] is False
    assert '<select id="skills" name="skills" aria-label=' in main(response)
    assert main(response).count(" disabled>") >= 10


def test_an_editor_sees_the_form_enabled(people, organisation):
    response = logged_in(people["editor"]).get(f"/organisations/{organisation.pk}/diagnostic/")

    assert response.context["can_edit"] is True
    assert " disabled>" not in main(response)


def test_a_blank_mix_in_the_whole_form_is_no_answer(people, organisation):
    response = logged_in(people["owner"]).post(
        f"/organisations/{organisation.pk}/diagnostic/",
        {"skills": "4", "people_mix.benevoles": "", "people_mix.salaries": "",
         "people_mix.volontaires": ""},
        headers=HTMX,
    )  # fmt: skip

    assert response.status_code == 200
    assert 'role="alert"' not in response.content.decode()
    assert Diagnostic.objects.get(organisation=organisation).answers == {"skills": 4}


def test_blanking_every_share_clears_the_mix(people, organisation):
    actions.save_answers(
        actions.diagnostic_of(organisation),
        {"people_mix": {"benevoles": 60, "salaries": 40}, "skills": 4},
    )

    response = logged_in(people["owner"]).post(
        f"/organisations/{organisation.pk}/diagnostic/",
        {"people_mix.benevoles": " ", "people_mix.salaries": "", "people_mix.volontaires": ""},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert 'role="alert"' not in response.content.decode()
    assert Diagnostic.objects.get(organisation=organisation).answers == {"skills": 4}


def test_a_blank_share_beside_others_is_zero(people, organisation):
    logged_in(people["owner"]).post(
        f"/organisations/{organisation.pk}/diagnostic/",
        {"people_mix.benevoles": "100", "people_mix.salaries": "", "people_mix.volontaires": " "},
        headers=HTMX,
    )

    assert Diagnostic.objects.get(organisation=organisation).answers == {
        "people_mix": {"benevoles": 100.0, "salaries": 0.0, "volontaires": 0.0}
    }


def test_the_categories_fieldset_says_it_was_shown(people, organisation):
    page = main(logged_in(people["owner"]).get(f"/organisations/{organisation.pk}/diagnostic/"))

    assert '<input type="hidden" name="partnership_categories.shown" value="1">' in page


def test_unchecking_every_category_clears_them(people, organisation):
    actions.save_answers(
        actions.diagnostic_of(organisation), {"partnership_categories": ["mecenat"], "skills": 4}
    )

    response = logged_in(people["owner"]).post(
        f"/organisations/{organisation.pk}/diagnostic/",
        {"skills": "4", "strategic": "", "partnership_categories.shown": "1"},
    )

    assert response.status_code == 200
    assert 'role="alert"' not in main(response)
    assert Diagnostic.objects.get(organisation=organisation).answers == {"skills": 4}


def test_a_post_without_the_categories_fieldset_keeps_them(people, organisation):
    """An htmx post of another answer says nothing of the categories: they stay."""
    actions.save_answers(
        actions.diagnostic_of(organisation), {"partnership_categories": ["mecenat"], "skills": 4}
    )

    logged_in(people["owner"]).post(
        f"/organisations/{organisation.pk}/diagnostic/", {"skills": "5"}, headers=HTMX
    )

    assert Diagnostic.objects.get(organisation=organisation).answers == {
        "partnership_categories": ["mecenat"], "skills": 5,
    }  # fmt: skip


@pytest.mark.parametrize("share", ["beaucoup", "nan", "inf", "-inf"])
def test_a_share_that_is_not_a_number_is_an_error_not_a_crash(share, people, organisation):
    actions.save_answers(actions.diagnostic_of(organisation), {"skills": 4})

    response = logged_in(people["owner"]).post(
        f"/organisations/{organisation.pk}/diagnostic/",
        {"people_mix.benevoles": share, "people_mix.salaries": "50",
         "people_mix.volontaires": "50"},
        headers=HTMX,
    )  # fmt: skip

    assert response.status_code == 200
    assert (
        '<p class="error" role="alert">Réponse invalide à &#x27;people_mix&#x27; : il faut des '
        "parts en % de benevoles, salaries, volontaires, positives, de total 100 "
        f"(champ &#x27;people_mix&#x27;, valeur {{&#x27;benevoles&#x27;: &#x27;{share}&#x27;, "
        "&#x27;salaries&#x27;: &#x27;50&#x27;, &#x27;volontaires&#x27;: &#x27;50&#x27;})</p>"
    ) in response.content.decode()
    assert Diagnostic.objects.get(organisation=organisation).answers == {"skills": 4}


# Partnerships -----------------------------------------------------------------------------------


def test_creating_a_partnership_redirects_to_it(people, organisation):
    response = logged_in(people["editor"]).post(
        f"/organisations/{organisation.pk}/partnerships/", {"title": "  Jardin partagé  "}
    )

    partnership = Partnership.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/partnerships/{partnership.pk}/"
    assert partnership.title == "Jardin partagé"
    assert [s.organisation for s in partnership.sides.all()] == [organisation]


def test_an_invalid_title_shows_the_error(people, organisation):
    response = logged_in(people["owner"]).post(
        f"/organisations/{organisation.pk}/partnerships/", {"title": "   "}
    )

    assert response.status_code == 200
    assert (
        '<p class="error" role="alert">Intitulé de partenariat invalide : il faut de 1 à 200 '
        "caractères (champ &#x27;title&#x27;, valeur &#x27;&#x27;)</p>"
    ) in main(response)
    assert Partnership.objects.count() == 0


def test_the_list_shows_my_partnerships(people, organisation, shared):
    actions.agree(shared, "mecenat", "", "")

    page = main(logged_in(people["viewer"]).get(f"/organisations/{organisation.pk}/partnerships/"))

    assert f'<li><a href="/partnerships/{shared.pk}/">Jardin partagé</a> — Mécénat</li>' in page
    assert '<input id="title" name="title"' not in page


def test_the_partnership_page_shows_both_partners(people, shared):
    page = main(logged_in(people["outsider"]).get(f"/partnerships/{shared.pk}/"))

    assert "<h1>Jardin partagé</h1>" in page
    assert "<h3>Les Jardins du Lac (fictive)</h3>" in page
    assert "<h3>Boulangeries Moreau (fictive)</h3>" in page
    assert "<h2>Votre côté — Boulangeries Moreau (fictive)</h2>" in page
    assert "<h2>Inviter un partenaire</h2>" in page


def test_a_viewer_sees_the_partnership_without_forms(people, shared):
    page = main(logged_in(people["viewer"]).get(f"/partnerships/{shared.pk}/"))

    assert "<h3>Boulangeries Moreau (fictive)</h3>" in page
    assert "Votre côté" not in page
    assert "<form" not in page


def test_each_partner_qualifies_its_own_side(people, shared, organisation, other_organisation):
    response = logged_in(people["outsider"]).post(
        f"/partnerships/{shared.pk}/",
        {"form": "side", "objective.processus": "1", "objective.positionnement": "",
         "money": " 500 € ", "time": "2 jours"},
    )  # fmt: skip

    assert response.status_code == 200
    assert '<p class="notice" role="status">Enregistré.</p>' in main(response)
    theirs = Side.objects.get(partnership=shared, organisation=other_organisation)
    assert theirs.objectives == {"processus": 1}
    assert theirs.contributions == {"money": "500 €", "time": "2 jours"}
    mine = Side.objects.get(partnership=shared, organisation=organisation)
    assert (mine.objectives, mine.contributions) == ({}, {})


def test_an_invalid_agreement_shows_the_error(people, shared):
    response = logged_in(people["owner"]).post(
        f"/partnerships/{shared.pk}/", {"form": "agreed", "category": "sport"}
    )

    assert response.status_code == 200
    assert (
        '<p class="error" role="alert">Catégorie de partenariat inconnue (connues : mecenat, '
        "pratiques_responsables, cooperation_economique, innovation_societale) "
        "(champ &#x27;category&#x27;, valeur &#x27;sport&#x27;)</p>"
    ) in main(response)
    assert Partnership.objects.get(pk=shared.pk).category == ""


def test_the_invite_form_sends_the_mail(people, shared):
    response = logged_in(people["editor"]).post(
        f"/partnerships/{shared.pk}/", {"form": "invite", "email": "partenaire@demo.invalid"}
    )

    assert response.status_code == 200
    assert '<p class="notice" role="status">Invitation envoyée.</p>' in main(response)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["partenaire@demo.invalid"]
    links = re.findall(r"http://testserver/invitations/([\w-]+)/", str(mail.outbox[0].body))
    assert len(links) == 2
    assert links[0] == links[1]
    invitation = Invitation.find(links[0])
    assert invitation is not None
    assert invitation.partnership == shared
    assert links[0] not in response.content.decode()


def test_an_invalid_address_sends_nothing(people, shared):
    response = logged_in(people["owner"]).post(
        f"/partnerships/{shared.pk}/", {"form": "invite", "email": "pas-une-adresse"}
    )

    assert (
        '<p class="error" role="alert">Adresse e-mail invalide (champ &#x27;email&#x27;, '
        "valeur &#x27;pas-une-adresse&#x27;)</p>"
    ) in main(response)
    assert "Invitation envoyée." not in main(response)
    assert mail.outbox == []
    assert Invitation.objects.count() == 0


# Invitations ------------------------------------------------------------------------------------


@pytest.fixture
def token(other_organisation) -> str:
    """An invitation from ``other_organisation``'s partnership to join it."""
    partnership = actions.start(other_organisation, "Boulangerie solidaire")
    tokens: list[str] = []
    invitations.invite(partnership, other_organisation, "editor@demo.invalid", keeping(tokens))
    return tokens[0]


def test_accepting_on_behalf_of_an_organisation_i_edit(people, organisation, token):
    client = logged_in(people["editor"])
    invitation = Invitation.find(token)
    assert invitation is not None
    partnership = invitation.partnership

    page = client.get(f"/invitations/{token}/")
    response = client.post(f"/invitations/{token}/", {"organisation": str(organisation.pk)})

    assert page.status_code == 200
    assert "<h1>Rejoindre le partenariat « Boulangerie solidaire »</h1>" in main(page)
    assert f'<option value="{organisation.pk}">Les Jardins du Lac (fictive)</option>' in main(page)
    assert response.status_code == 302
    assert response["Location"] == f"/partnerships/{partnership.pk}/"
    assert partnership.sides.filter(organisation=organisation).exists()
    used = client.get(f"/invitations/{token}/")
    assert used.status_code == 410
    assert '<p class="error" role="alert">Cette invitation a déjà servi</p>' in main(used)
    assert client.get(f"/partnerships/{partnership.pk}/").status_code == 200


def test_a_viewer_cannot_accept(people, organisation, other_organisation):
    partnership = actions.start(other_organisation, "Boulangerie solidaire")
    tokens: list[str] = []
    invitations.invite(partnership, other_organisation, "viewer@demo.invalid", keeping(tokens))
    token = tokens[0]
    client = logged_in(people["viewer"])

    page = client.get(f"/invitations/{token}/")
    response = client.post(f"/invitations/{token}/", {"organisation": str(organisation.pk)})

    assert (
        "Vous devez être responsable ou contributeur d'une organisation pour rejoindre un "
        "partenariat."
    ) in main(page)
    assert response.status_code == 200
    assert not Side.objects.filter(organisation=organisation).exists()
    assert Invitation.find(token) is not None


def test_one_cannot_accept_for_an_organisation_one_does_not_edit(
    people, organisation, other_organisation
):
    partnership = actions.start(organisation, "Entre nous")
    tokens: list[str] = []
    invitations.invite(partnership, organisation, "owner@demo.invalid", keeping(tokens))
    third = Organisation.objects.create(name="Tiers (fictive)", profile="fondations")

    response = logged_in(people["owner"]).post(
        f"/invitations/{tokens[0]}/", {"organisation": str(third.pk)}
    )

    assert response.status_code == 200
    assert partnership.sides.count() == 1
    assert Invitation.find(tokens[0]) is not None


def test_an_unknown_token_is_404(people):
    assert logged_in(people["owner"]).get("/invitations/not-a-token/").status_code == 404


def test_anonymous_people_are_asked_to_log_in_with_the_invited_address(token):
    response = Client().get(f"/invitations/{token}/")

    assert response.status_code == 200
    page = main(response)
    assert "Cette invitation est adressée à editor@demo.invalid." in page
    assert f'<a href="/accounts/login/?next=%2Finvitations%2F{token}%2F">' in page
    assert "<form" not in page


# Evaluations ------------------------------------------------------------------------------------


def test_evaluations_side_by_side_show_a_divergence(people, shared, organisation):
    url = f"/partnerships/{shared.pk}/evaluation/"

    mine = logged_in(people["owner"]).post(
        url, {"produit.performance": "1", "produit.coherence": "3", "comment.produit": " Bien. "}
    )
    theirs = logged_in(people["outsider"]).post(
        url, {"produit.performance": "4", "produit.coherence": "4"}
    )
    page = main(logged_in(people["viewer"]).get(url))

    assert (mine.status_code, theirs.status_code) == (302, 302)
    assert (mine["Location"], theirs["Location"]) == (url, url)
    stored = Evaluation.objects.get(organisation=organisation)
    assert stored.scores == {"produit": {"performance": 1, "coherence": 3}}
    assert stored.comments == {"produit": "Bien."}
    assert "<h2>Les deux regards</h2>" in page
    assert (
        '<th scope="col">Les Jardins du Lac (fictive)</th>'
        '<th scope="col">Boulangeries Moreau (fictive)</th>'
    ) in page
    assert page.count('<tr class="diverges">') == 1
    assert '<td class="num">1</td><td class="num">4</td><td class="num">⚠ 3</td>' in page
    assert '<td class="num">3</td><td class="num">4</td><td class="num">1</td>' in page
    assert page.count("⚠") == 1
    assert "<caption>Commentaires des partenaires</caption>" in page
    assert '<tr><th scope="row">Produit du partenariat</th><td>Bien.</td><td>—</td></tr>' in page


def test_the_comparison_waits_for_both_partners(people, shared):
    url = f"/partnerships/{shared.pk}/evaluation/"
    logged_in(people["owner"]).post(url, {"produit.performance": "2"})

    page = main(logged_in(people["owner"]).get(url))

    assert "La comparaison apparaît quand deux partenaires ont évalué." in page
    assert "— Les Jardins du Lac (fictive) — 1 note, moyenne 2,0" in page
    assert '<option value="2" selected>2</option>' in page


def test_an_invalid_score_shows_the_error(people, shared):
    response = logged_in(people["owner"]).post(
        f"/partnerships/{shared.pk}/evaluation/", {"produit.performance": "9"}
    )

    assert response.status_code == 200
    assert (
        '<p class="error" role="alert">Note invalide &#x27;9&#x27; pour &#x27;produit&#x27; × '
        "&#x27;performance&#x27; (de 1 à 5) (champ &#x27;produit.performance&#x27;, "
        "valeur &#x27;9&#x27;)</p>"
    ) in main(response)
    assert Evaluation.objects.count() == 0


# Export -----------------------------------------------------------------------------------------


@pytest.fixture
def filled(organisation: Organisation, other_organisation, shared) -> Organisation:
    """``organisation`` with answers, a shared partnership, an evaluation and an invitation."""
    actions.save_answers(actions.diagnostic_of(organisation), {"skills": 5, "reserves_months": 3})
    actions.agree(shared, "mecenat", "Nourrir le quartier", "contrat_alliance")
    actions.qualify(shared.sides.get(organisation=organisation), {"processus": 1}, {})
    actions.evaluate(shared, organisation, {"produit": {"performance": 4}}, {"produit": "Bien"})
    invitations.invite(shared, organisation, "tiers@demo.invalid", lambda token: token)
    return organisation


def test_export_json(people, filled, shared):
    response = logged_in(people["viewer"]).get(f"/organisations/{filled.pk}/export.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="organisation-{filled.pk}.json"'
    )
    record = json.loads(response.content.decode("utf-8"))
    assert record["organisation"]["name"] == "Les Jardins du Lac (fictive)"
    assert record["organisation"]["rna"] == "W351234567"
    assert record["members"] == [
        {"email": "owner@demo.invalid", "role": "owner"},
        {"email": "editor@demo.invalid", "role": "editor"},
        {"email": "viewer@demo.invalid", "role": "viewer"},
    ]
    assert record["diagnostic"]["answers"] == {"skills": 5, "reserves_months": 3.0}
    assert record["diagnostic"]["scores"]["levers"]["richesses_humaines"] == 100.0
    assert [p["title"] for p in record["partnerships"]] == ["Jardin partagé"]
    assert record["partnerships"][0]["partners"] == ["Boulangeries Moreau (fictive)"]
    assert record["partnerships"][0]["our_objectives"] == {"processus": 1}
    assert [(e["partnership"], e["scores"], e["comments"]) for e in record["evaluations"]] == [
        (shared.pk, {"produit": {"performance": 4}}, {"produit": "Bien"})
    ]
    assert [i["email"] for i in record["invitations_sent"]] == ["tiers@demo.invalid"]


def test_export_zip_holds_the_csv_files(people, filled):
    response = logged_in(people["owner"]).get(f"/organisations/{filled.pk}/export.zip")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="organisation-{filled.pk}.zip"'
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == [*CSV_FILES, "export.json"]
    for name in CSV_FILES:
        data = archive.read(name)
        assert data.startswith(b"\xef\xbb\xbf"), name
        header = data.decode("utf-8-sig").splitlines()[0]
        assert ";" in header, name
    members = archive.read("membres.csv").decode("utf-8-sig")
    assert members == (
        "email;role\r\nowner@demo.invalid;owner\r\neditor@demo.invalid;editor\r\n"
        "viewer@demo.invalid;viewer\r\n"
    )
    scores = list(
        csv.reader(io.StringIO(archive.read("scores.csv").decode("utf-8-sig")), delimiter=";")
    )
    assert scores[:2] == [["score", "value"], ["richesses_humaines", "100,00"]]


@pytest.mark.django_db(transaction=True)
def test_diagnostic_pdf_through_its_job(people, filled, tmp_path: Path, settings):
    """Ask → the job's page → a worker runs it → download from the page; asked again, reused."""
    settings.MEDIA_ROOT = tmp_path / "files"
    viewer = logged_in(people["viewer"])
    waiting = main(viewer.get(f"/organisations/{filled.pk}/diagnostic.pdf"))
    assert "Produire le rapport (PDF)" in waiting

    asked = viewer.post(f"/organisations/{filled.pk}/diagnostic.pdf")
    again = viewer.post(f"/organisations/{filled.pk}/diagnostic.pdf")  # a double click
    assert asked["Location"] == again["Location"]
    assert "en attente" in main(viewer.get(asked["Location"]))
    run_pending()
    page = main(viewer.get(asked["Location"]))
    [link] = re.findall(r'<a class="button" href="([^"]+)">Télécharger diagnostic-', page)
    response = viewer.get(link)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="diagnostic-{filled.pk}.pdf"'
    pdf = response.getvalue()
    assert pdf.startswith(b"%PDF")
    [stored] = (tmp_path / "files" / "reports" / f"organisation-{filled.pk}").iterdir()
    assert link.endswith(stored.name)
    assert stored.read_bytes() == pdf
    direct = viewer.get(f"/organisations/{filled.pk}/diagnostic.pdf")
    assert direct.getvalue() == pdf  # unchanged: the same file, at once
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text is not checked")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(stored), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Les Jardins du Lac (fictive)" in " ".join(text.split())


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who", WHO)
def test_a_produced_report_is_downloaded_by_members_only(who, people, filled, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    logged_in(people["owner"]).post(f"/organisations/{filled.pk}/diagnostic.pdf")
    run_pending()
    link = Job.objects.get(kind="report.pdf").result["download"]

    response = client_for(who, people).get(link)

    assert_status(response, READ[who], link, who)


def test_an_unknown_or_malformed_report_name_is_404(people, organisation, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "secret.pdf").write_bytes(b"%PDF")
    owner = logged_in(people["owner"])

    for name in ["diagnostic-fr-" + "0" * 32 + ".pdf", "..%2F..%2Fsecret.pdf", "secret.pdf"]:
        assert owner.get(f"/organisations/{organisation.pk}/reports/{name}").status_code == 404


# Erasure ----------------------------------------------------------------------------------------


def test_the_erase_page_says_what_goes(people, filled):
    page = main(logged_in(people["owner"]).get(f"/organisations/{filled.pk}/erase/"))

    assert "sa participation à 1 partenariat(s), ses 1 évaluation(s)" in page
    assert "ses 3 adhésion(s) de membres" in page
    assert f'<a href="/organisations/{filled.pk}/export.zip">' in page


def test_a_wrong_name_erases_nothing(people, filled):
    response = logged_in(people["owner"]).post(
        f"/organisations/{filled.pk}/erase/", {"confirm": "Les Jardins du Lac"}
    )

    assert response.status_code == 200
    assert (
        '<p class="error" role="alert">Le nom saisi ne correspond pas : rien n\'a été effacé.</p>'
    ) in main(response)
    assert Organisation.objects.filter(pk=filled.pk).exists()
    assert Diagnostic.objects.filter(organisation=filled).exists()
    assert Membership.objects.filter(organisation=filled).count() == 3
    assert Evaluation.objects.filter(organisation=filled).count() == 1


def test_the_exact_name_erases_the_organisation_and_its_data(
    people, filled, other_organisation, shared
):
    alone = actions.start(filled, "Seuls")
    actions.evaluate(shared, other_organisation, {"produit": {"performance": 2}}, {})
    pk = filled.pk

    response = logged_in(people["owner"]).post(
        f"/organisations/{pk}/erase/", {"confirm": "  Les Jardins du Lac (fictive) "}
    )

    assert response.status_code == 200
    assert (
        '<p role="status">« Les Jardins du Lac (fictive) » et toutes ses données ont été '
        "effacées.</p>"
    ) in main(response)
    assert not Organisation.objects.filter(pk=pk).exists()
    assert not Diagnostic.objects.filter(organisation_id=pk).exists()
    assert not Side.objects.filter(organisation_id=pk).exists()
    assert not Evaluation.objects.filter(organisation_id=pk).exists()
    assert not Membership.objects.filter(organisation_id=pk).exists()
    assert not Invitation.objects.filter(invited_by_id=pk).exists()
    assert not Partnership.objects.filter(pk=alone.pk).exists()
    survivor = Partnership.objects.get(pk=shared.pk)
    assert [s.organisation for s in survivor.sides.all()] == [other_organisation]
    assert [e.organisation for e in survivor.evaluations.all()] == [other_organisation]
    assert {u.email for u in User.objects.filter(email__endswith="@demo.invalid")} == {
        "owner@demo.invalid", "editor@demo.invalid", "viewer@demo.invalid",
        "outsider@demo.invalid", "analyst@demo.invalid",
    }  # fmt: skip
    assert logged_in(people["owner"]).get(f"/organisations/{pk}/").status_code == 404
    assert logged_in(people["outsider"]).get(f"/partnerships/{shared.pk}/").status_code == 200


# Invitations: listed, resent, revoked; refused to others ----------------------------------------


def test_the_partnership_page_lists_my_invitations_with_resend_and_cancel(people, shared):
    client = logged_in(people["owner"])
    client.post(f"/partnerships/{shared.pk}/", {"form": "invite", "email": "p@demo.invalid"})
    invitation = Invitation.objects.get()

    page = main(client.get(f"/partnerships/{shared.pk}/"))
    resent = client.post(f"/partnerships/{shared.pk}/",
                         {"form": "resend", "invitation": str(invitation.pk)})  # fmt: skip
    revoked = client.post(f"/partnerships/{shared.pk}/",
                          {"form": "revoke", "invitation": str(invitation.pk)})  # fmt: skip

    assert "<h3>Invitations envoyées</h3>" in page
    assert "<span>p@demo.invalid — en attente (jusqu'au " in page
    assert '<button type="submit">Renvoyer</button>' in page
    assert '<button type="submit" class="danger">Annuler</button>' in page
    assert "Invitation renvoyée." in main(resent)
    assert len(mail.outbox) == 2
    assert "Invitation annulée." in main(revoked)
    assert Invitation.objects.get().state() == "revoked"
    assert "<span>p@demo.invalid — annulée</span>" in main(revoked)


def test_the_partner_neither_sees_nor_cancels_my_invitations(people, shared):
    logged_in(people["owner"]).post(
        f"/partnerships/{shared.pk}/", {"form": "invite", "email": "p@demo.invalid"}
    )
    invitation = Invitation.objects.get()
    partner = logged_in(people["outsider"])

    page = main(partner.get(f"/partnerships/{shared.pk}/"))
    response = partner.post(f"/partnerships/{shared.pk}/",
                            {"form": "revoke", "invitation": str(invitation.pk)})  # fmt: skip

    assert "p@demo.invalid" not in page
    assert response.status_code == 404
    assert Invitation.objects.get().state() == "pending"


def test_too_many_invitations_are_refused_on_the_page(people, shared, settings):
    settings.ALLIANCE_INVITATIONS_PER_DAY = 1
    client = logged_in(people["owner"])
    client.post(f"/partnerships/{shared.pk}/", {"form": "invite", "email": "a@demo.invalid"})

    response = client.post(
        f"/partnerships/{shared.pk}/", {"form": "invite", "email": "b@demo.invalid"}
    )

    assert response.status_code == 429
    assert (
        '<p class="error" role="alert">Trop d&#x27;invitations envoyées par cette organisation en '
        "24 heures (au plus 1) : réessayez demain</p>"
    ) in main(response)
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("who", "status", "message"),
    [("owner", 403, "Cette invitation a été envoyée à editor@demo.invalid : vous êtes connecté "
                    "avec owner@demo.invalid."),
     ("outsider", 403, "Vous ne pouvez pas accepter une invitation que vous avez envoyée "
                       "vous-même")],
)  # fmt: skip
def test_others_and_the_sender_get_a_refusal_page(who, status, message, people, organisation,
                                                  other_organisation):  # fmt: skip
    partnership = actions.start(other_organisation, "Boulangerie solidaire")
    tokens: list[str] = []
    invitations.invite(partnership, other_organisation, "editor@demo.invalid", keeping(tokens),
                       people["outsider"])  # fmt: skip
    client = logged_in(people[who])

    page = client.get(f"/invitations/{tokens[0]}/")
    response = client.post(f"/invitations/{tokens[0]}/", {"organisation": str(organisation.pk)})

    assert page.status_code == response.status_code == status
    assert message in main(response)
    assert partnership.sides.count() == 1


@pytest.mark.parametrize(
    ("field", "message"),
    [("expires", "Cette invitation a expiré"), ("revoked", "Cette invitation a été annulée")],
)
def test_expired_and_revoked_links_are_410(field, message, people, organisation, token):
    Invitation.objects.update(**{field: timezone.now()})

    response = logged_in(people["editor"]).post(
        f"/invitations/{token}/", {"organisation": str(organisation.pk)}
    )

    assert response.status_code == 410
    assert message in main(response)
    assert not Side.objects.filter(organisation=organisation).exists()


def test_someone_without_an_organisation_is_offered_to_create_one(other_organisation):
    partnership = actions.start(other_organisation, "Boulangerie solidaire")
    tokens: list[str] = []
    invitations.invite(partnership, other_organisation, "new@demo.invalid", keeping(tokens))

    page = main(logged_in(User.objects.create_user("new@demo.invalid")).get(
        f"/invitations/{tokens[0]}/"
    ))  # fmt: skip

    assert (
        f'<a href="/organisations/new/?next=%2Finvitations%2F{tokens[0]}%2F">'
        "Créer une organisation</a>"
    ) in page


# No lost update, plausible answers, nothing written by reading, bounded histories ---------------


def test_each_question_is_its_own_form_with_the_version_it_shows(people, organisation):
    actions.save_answers(actions.diagnostic_of(organisation), {"skills": 4})
    actions.save_answers(actions.diagnostic_of(organisation), {"skills": 5})

    html = main(logged_in(people["editor"]).get(f"/organisations/{organisation.pk}/diagnostic/"))

    forms = re.findall(r'<form id="question-([a-z_]+)"[^>]*hx-post="[^"]+"', html)
    assert forms == [
        "people_mix",
        "skills",
        "engagement",
        "volunteer_count",
        "revenue_mix",
        "main_resource",
        "largest_funder",
        "reserves_months",
        "investment_share",
        "partnership_count",
        "partnership_categories",
        "strategic",
        "evaluated_share",
        "shared_objectives",
    ]
    assert '<input type="hidden" id="version-skills" name="version.skills" value="2">' in html
    assert '<input type="hidden" id="version-engagement" name="version.engagement" value="0">' in (
        html
    )


def test_a_stale_answer_on_the_page_is_409_and_shows_the_answer_as_it_is_now(people, organisation):
    actions.save_answers(actions.diagnostic_of(organisation), {"skills": 4, "engagement": 2})
    url = f"/organisations/{organisation.pk}/diagnostic/"
    logged_in(people["owner"]).post(url, {"skills": "2", "version.skills": "1"}, headers=HTMX)

    response = logged_in(people["editor"]).post(
        url, {"skills": "5", "version.skills": "1"}, headers=HTMX
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert (
        '<p class="error" role="alert">La réponse à &#x27;skills&#x27; a été modifiée entre-temps'
    ) in html
    question = html.split('<form id="question-skills"', 1)[1].split("</form>", 1)[0]
    assert 'hx-swap-oob="true"' in question
    assert 'name="version.skills" value="2"' in question
    assert '<option value="2" selected>2</option>' in question
    assert Diagnostic.objects.get(organisation=organisation).answers == {
        "skills": 2, "engagement": 2,
    }  # fmt: skip


def test_the_page_lets_htmx_show_a_409(people, organisation):
    html = logged_in(people["owner"]).get(f"/organisations/{organisation.pk}/diagnostic/")
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html.content.decode())

    assert config is not None
    handling = json.loads(config.group(1))["responseHandling"]
    assert {"code": "409", "swap": True, "error": False} in handling


def test_an_out_of_bounds_answer_on_the_page_says_why_in_english(people, organisation):
    response = english(people["owner"]).post(
        f"/organisations/{organisation.pk}/diagnostic/", {"reserves_months": "1e30"},
        headers=HTMX,
    )  # fmt: skip

    assert response.status_code == 200
    assert (
        "Invalid answer to &#x27;reserves_months&#x27;: 1e+30 is outside the plausible values, "
        "0 to 120;"
    ) in response.content.decode()
    assert not Diagnostic.objects.filter(organisation=organisation).exists()


def rows() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_reading_any_page_writes_nothing(people, organisation, shared):
    """A diagnostic never answered, an export, a PDF, a partnership: GETs leave every table as
    it was."""
    client = logged_in(people["viewer"])
    pages = [
        f"/organisations/{organisation.pk}/", f"/organisations/{organisation.pk}/diagnostic/",
        f"/organisations/{organisation.pk}/diagnostic.pdf",
        f"/organisations/{organisation.pk}/export.json",
        f"/organisations/{organisation.pk}/export.zip",
        f"/organisations/{organisation.pk}/partnerships/", f"/partnerships/{shared.pk}/",
        f"/partnerships/{shared.pk}/evaluation/",
        f"/api/organisations/{organisation.pk}/diagnostic",
        f"/api/organisations/{organisation.pk}/export",
        f"/api/organisations/{organisation.pk}/diagnostic/report.pdf",
        f"/api/partnerships/{shared.pk}/evaluations",
    ]  # fmt: skip
    before = rows()

    statuses = [client.get(page).status_code for page in pages]

    assert statuses == [200] * len(pages)
    assert rows() == before
    assert not Diagnostic.objects.exists()


def test_an_empty_evaluation_on_the_page_is_refused(people, shared, organisation):
    response = logged_in(people["owner"]).post(f"/partnerships/{shared.pk}/evaluation/", {})

    assert response.status_code == 200
    assert (
        '<p class="error" role="alert">Évaluation vide : notez au moins une case de la grille '
        "(de 1 à 5) (champ &#x27;scores&#x27;)</p>"
    ) in main(response)
    assert Evaluation.objects.count() == 0


def test_the_shared_page_shows_a_bounded_page_of_a_long_history(people, shared, organisation):
    Evaluation.objects.bulk_create(
        Evaluation(partnership=shared, organisation=organisation, scores={"produit": {"sens": 3}})
        for _ in range(5000)
    )
    client = logged_in(people["outsider"])

    with CaptureQueriesContext(connection) as queries:
        page = main(client.get(f"/partnerships/{shared.pk}/evaluation/"))

    history = page.split('<ul class="history">', 1)[1].split("</ul>\n", 1)[0]
    assert history.count("<details>") == 20
    assert '<a rel="next" href="?page=2">Plus anciennes</a>' in page
    assert "Page 1 sur 250" in page
    assert len(queries) <= 25
    last = main(client.get(f"/partnerships/{shared.pk}/evaluation/?page=250"))
    assert '<a rel="prev" href="?page=249">Plus récentes</a>' in last
    assert 'rel="next"' not in last


def test_the_partnership_page_shows_who_changed_the_terms(
    people, shared, organisation, other_organisation
):
    actions.agree(shared, "mecenat", "Nourrir le quartier", "", by=organisation,
                  author=people["editor"])  # fmt: skip
    actions.agree(shared, common_objective="", by=other_organisation, author=people["outsider"])

    page = main(logged_in(people["viewer"]).get(f"/partnerships/{shared.pk}/"))

    history = page.split('<ol class="history revisions">', 1)[1].split("</ol>", 1)[0]
    assert history.count("<li>") == 2
    first, second = history.split("</li>")[:2]
    assert (
        f"{other_organisation.name} (outsider@demo.invalid) : objectif commun « Nourrir le "
        "quartier » → « — »" in first
    )
    assert f"{organisation.name} (editor@demo.invalid) : catégorie « — » → « Mécénat »" in second


def test_saving_the_terms_after_a_partner_changed_them_is_409(people, shared, other_organisation):
    actions.agree(shared, "mecenat", "Le leur", "", by=other_organisation)

    response = logged_in(people["editor"]).post(
        f"/partnerships/{shared.pk}/",
        {"form": "agreed", "category": "", "common_objective": "Le nôtre", "contract": "",
         "agreement_version": "0"},
    )  # fmt: skip

    assert response.status_code == 409
    assert "Les termes convenus ont été modifiés entre-temps par un partenaire" in main(response)
    assert 'name="agreement_version" value="1"' in main(response)
    shared.refresh_from_db()
    assert shared.common_objective == "Le leur"


@pytest.mark.parametrize("version", ["deux", "²", "-1"])
def test_a_version_that_is_not_one_is_400_not_a_crash(people, organisation, version):
    response = english(people["owner"]).post(
        f"/organisations/{organisation.pk}/diagnostic/",
        {"skills": "3", "version.skills": version}, headers=HTMX,
    )  # fmt: skip

    assert response.status_code == 400
    assert (
        "Invalid version for &#x27;skills&#x27;: a whole number of 0 or more is needed"
    ) in response.content.decode()
    assert not Diagnostic.objects.filter(organisation=organisation).exists()
