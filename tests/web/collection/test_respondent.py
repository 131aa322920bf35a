"""The respondents' pages: anonymous link, personal invitation, one question per screen."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from alliance.web.collection import service
from alliance.web.collection.models import CollectionInvitation, Response
from tests.study.collected import FOLLOW_UP, RESPONDENT
from tests.web.collection.test_service import keep

pytestmark = pytest.mark.integration

ANSWERS = RESPONDENT | {"volunteer": 2, "donor": 1}


def start(client: Client, collection) -> str:
    """Open the anonymous link and start; return the resume link."""
    page = client.get(f"/collect/{collection.public_code}/")
    assert page.status_code == 200
    started = client.post(f"/collect/{collection.public_code}/")
    assert started.status_code == 302
    return str(started["Location"])


def on_screen(html: str) -> str:
    found = re.search(r'name="item" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def answer_through(client: Client, url: str, answers: dict[str, object]) -> list[str]:
    """Answer every screen; return the items shown, in order."""
    shown = []
    while True:
        item = on_screen(client.get(url).content.decode())
        shown.append(item)
        value = answers.get(item)
        sent = client.post(url, {"item": item, item: [] if value is None else [str(value)]})
        assert sent.status_code == 302, sent.content.decode()[:2000]
        if sent["Location"] == "/collect/merci/":
            return shown


@pytest.mark.django_db
def test_the_anonymous_link_shows_the_notice_then_one_question_per_screen(collection):
    client = Client()
    page = client.get(f"/collect/{collection.public_code}/")
    html = page.content.decode()
    assert "Vos réponses et vos données" in html
    assert "L&#x27;Observatoire des alliances recueille vos réponses" in html
    assert "données synthétiques" in html
    url = start(client, collection)
    assert url.startswith(f"/collect/{collection.public_code}/r/")
    first = client.get(url).content.decode()
    assert "question 1 sur 13" in first
    assert '<progress max="13" value="1"' in first
    assert "<legend>Sexe" in first
    assert '<label for="sex-1">Femme</label>' in first


@pytest.mark.django_db
def test_a_skipped_question_is_never_shown_and_the_thanks_page_ends(collection):
    client = Client()
    shown = answer_through(client, start(client, collection), ANSWERS)
    assert FOLLOW_UP not in shown
    assert shown[-1] == "donor"
    assert "Merci !" in client.get("/collect/merci/").content.decode()
    response = Response.objects.get()
    assert response.complete
    assert FOLLOW_UP not in response.answers


@pytest.mark.django_db
def test_the_follow_up_is_shown_to_volunteers(collection):
    client = Client()
    shown = answer_through(client, start(client, collection), ANSWERS | {"volunteer": 1})
    assert shown[-1] == FOLLOW_UP


@pytest.mark.django_db
def test_an_error_is_shown_by_its_question_and_linked_to_it(collection):
    client = Client()
    url = start(client, collection)
    page = client.post(url, {"item": "sex"})
    html = page.content.decode()
    assert page.status_code == 400
    assert 'aria-describedby="error-sex"' in html
    assert (
        '<p id="error-sex" class="error" role="alert">Cette question demande une réponse</p>'
        in html
    )
    english = client.post(url, {"item": "sex"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "This question needs an answer" in english.content.decode()


@pytest.mark.django_db
def test_a_reload_shows_the_same_screen_and_the_link_resumes_with_the_answers(collection):
    client = Client()
    url = start(client, collection)
    client.post(url, {"item": "sex", "sex": "M"})
    client.post(url, {"item": "age", "age": "65+"})
    assert on_screen(client.get(url).content.decode()) == "region"
    assert on_screen(client.get(url).content.decode()) == "region"  # a reload
    back = client.post(url, {"action": "back"})
    assert back.status_code == 302
    page = client.get(url).content.decode()
    assert on_screen(page) == "age"
    assert 'value="65+" checked' in page
    # The same browser coming back to the anonymous link continues its answers.
    assert (
        "Reprendre mes réponses"
        in client.get(f"/collect/{collection.public_code}/").content.decode()
    )
    assert client.post(f"/collect/{collection.public_code}/")["Location"] == url
    # Another browser starts anew.
    assert start(Client(), collection) != url


@pytest.mark.django_db
def test_a_respondent_erases_their_answers_after_confirming(collection):
    client = Client()
    url = start(client, collection)
    client.post(url, {"item": "sex", "sex": "F"})
    confirm = client.post(url, {"action": "erase"})
    assert "Oui, effacer mes réponses" in confirm.content.decode()
    assert Response.objects.count() == 1
    erased = client.post(url, {"action": "erase_confirmed"})
    assert erased["Location"] == "/collect/merci/?erased=1"
    assert Response.objects.count() == 0
    assert client.get(url).status_code == 404


def invited(collection, address: str = "a@demo.invalid") -> str:
    tokens: list[str] = []
    service.invite(collection, address, keep(tokens))
    return f"/collect/invitation/{tokens[0]}/"


@pytest.mark.django_db
def test_an_invitation_serves_for_one_answer(collection):
    url = invited(collection)
    client = Client()
    page = client.get(url)
    assert "Vos réponses et vos données" in page.content.decode()
    assert client.post(url)["Location"] == url
    answer_through(client, url, ANSWERS)
    assert CollectionInvitation.objects.get().used
    again = Client().get(url)
    assert again.status_code == 410
    assert "Vous avez déjà répondu à ce questionnaire" in again.content.decode()
    assert Response.objects.filter(complete=True).count() == 1


@pytest.mark.django_db
def test_an_expired_invitation_says_so(collection):
    url = invited(collection)
    CollectionInvitation.objects.update(expires=timezone.now() - timedelta(minutes=1))
    page = Client().get(url)
    assert page.status_code == 410
    assert "Ce lien d&#x27;invitation a expiré" in page.content.decode()
    assert Client().get("/collect/invitation/inconnu/").status_code == 404


@pytest.mark.django_db
def test_a_closed_collection_takes_no_answer(collection, people):
    client = Client()
    url = start(client, collection)
    answer_through(client, url, ANSWERS)
    service.close(collection, people["analyst"])
    assert Client().get(f"/collect/{collection.public_code}/").status_code == 410
    page = client.post(url, {"action": "erase_confirmed"})
    assert page.status_code == 410
    assert "Cette enquête est fermée" in page.content.decode()
    assert Response.objects.count() == 1


@pytest.mark.django_db
def test_the_form_speaks_the_respondents_language(collection):
    client = Client(headers={"Accept-Language": "en"})
    page = client.get(f"/collect/{collection.public_code}/").content.decode()
    assert "Your answers and your data" in page
    assert "Alliance Observatory collects your answers" in page
    url = start(client, collection)
    first = client.get(url).content.decode()
    assert "question 1 of 13" in first
    assert '<label for="sex-1">Woman</label>' in first
    client.post(url, {"item": "sex", "sex": "F"})
    assert Response.objects.get().language == "en"


@pytest.mark.django_db
def test_a_page_reached_with_the_browsers_back_button_is_saved_as_sent(collection):
    client = Client()
    url = start(client, collection)
    client.post(url, {"item": "sex", "sex": "F"})
    client.post(url, {"item": "age", "age": "25-34"})
    client.post(url, {"item": "sex", "sex": "M"})  # the first page, sent again from the history
    assert Response.objects.get().answers == {"sex": "M", "age": "25-34"}
    assert on_screen(client.get(url).content.decode()) == "age"


@pytest.mark.django_db
def test_complete_answers_stay_complete_and_can_still_be_erased(collection):
    client = Client()
    url = start(client, collection)
    answer_through(client, url, ANSWERS)
    page = client.get(url).content.decode()
    assert "Merci !" in page
    assert "Effacer mes réponses" in page
    assert client.post(url, {"item": "sex", "sex": "M"})["Location"] == url
    assert Response.objects.get().answers["sex"] == "F"
    assert Response.objects.get().complete
    client.post(url, {"action": "erase_confirmed"})
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_an_invited_respondent_may_erase_after_answering_then_answer_again(collection):
    url = invited(collection)
    client = Client()
    client.post(url)
    answer_through(client, url, ANSWERS)
    page = client.get(url)
    assert page.status_code == 410
    assert "Effacer mes réponses" in page.content.decode()
    assert "Oui, effacer mes réponses" in client.post(url, {"action": "erase"}).content.decode()
    client.post(url, {"action": "erase_confirmed"})
    assert Response.objects.count() == 0
    assert not CollectionInvitation.objects.get().used
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_starting_answers_is_limited_per_hour(collection, settings):
    settings.ALLIANCE_COLLECTION_STARTS_PER_HOUR = 2
    start(Client(), collection)
    start(Client(), collection)
    refused = Client().post(f"/collect/{collection.public_code}/")
    assert refused.status_code == 429
    assert "Trop de réponses ont commencé dans l&#x27;heure" in refused.content.decode()
    assert Response.objects.count() == 2
