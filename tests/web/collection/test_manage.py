"""The analyst's pages of a study's collections: open one, invite, follow the counts, close."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from alliance.web.collection import service
from alliance.web.collection.models import Collection
from tests.study.collected import RESPONDENT
from tests.web.collection.conftest import CODE
from tests.web.collection.test_service import answer_all
from tests.web.conftest import logged_in

pytestmark = pytest.mark.integration

PAGE = f"/studies/{CODE}/collections/"


@pytest.mark.django_db
def test_only_analysts_who_manage_the_study_see_its_collections(study, people):
    assert Client().get(PAGE).status_code == 302  # to the login page
    assert logged_in(people["owner"]).get(PAGE).status_code == 403
    page = logged_in(people["analyst"]).get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ouvrir une collecte pour une nouvelle vague" in html
    assert "Grand public — questionnaires/public.yaml" in html
    assert "L&#x27;Observatoire des alliances recueille vos réponses" in html


@pytest.mark.django_db
def test_an_analyst_opens_a_collection_for_a_new_wave(study, people):
    client = logged_in(people["analyst"])
    created = client.post(PAGE, {
        "population": "grand-public", "wave": "2025", "goal": "50", "anonymous": "on",
        "invitations": "on", "notice_fr": "", "notice_en": "Our own notice.",
    })  # fmt: skip
    collection = Collection.objects.get()
    assert created["Location"] == f"{PAGE}{collection.pk}/"
    assert (collection.goal, collection.anonymous, collection.invitations) == (50, True, True)
    assert collection.notice_en == "Our own notice."
    assert collection.notice_fr.startswith("L'Observatoire des alliances")
    taken = client.post(PAGE, {"population": "grand-public", "wave": "2022"})
    assert taken.status_code == 409
    assert "La population « grand-public » a déjà une vague « 2022 »" in taken.content.decode()


@pytest.mark.django_db
def test_the_page_shows_links_counts_and_quotas(collection, people):
    answer_all(collection, "a", RESPONDENT)
    service.respondent(collection, "b", "fr", create=True)
    page = logged_in(people["analyst"]).get(f"{PAGE}{collection.pk}/")
    html = page.content.decode()
    assert f"http://testserver/collect/{collection.public_code}/" in html
    assert '<dd data-count="complete">1</dd>' in html
    assert '<dd data-count="partial">1</dd>' in html
    assert '<tr data-quota="sex=F">\n<td>Sexe</td><td>Femme</td>' in html
    assert '<td class="num" data-field="count">1</td><td class="num">5,2</td>' in html
    assert f'data-progress-url="/api/studies/{CODE}/collections/{collection.pk}/progress"' in html
    assert "alliance/collection.js" in html


@pytest.mark.django_db
def test_invitations_are_sent_from_the_page(collection, people):
    client = logged_in(people["analyst"])
    url = f"{PAGE}{collection.pk}/invitations/"
    sent = client.post(url, {"addresses": "a@demo.invalid\nb@demo.invalid"})
    assert sent["Location"] == f"{PAGE}{collection.pk}/?sent=2"
    assert "2 invitations envoyées." in client.get(sent["Location"]).content.decode()
    assert "http://testserver/collect/invitation/" in mail.outbox[0].body
    refused = client.post(url, {"addresses": "pas-une-adresse"})
    assert refused.status_code == 400
    assert "Adresse e-mail invalide" in refused.content.decode()
    assert logged_in(people["owner"]).post(url, {"addresses": "c@demo.invalid"}).status_code == 403


@pytest.mark.django_db
def test_closing_from_the_page_goes_to_the_checked_wave_file(collection, people):
    client = logged_in(people["analyst"])
    url = f"{PAGE}{collection.pk}/close/"
    refused = client.post(url)
    assert refused.status_code == 409
    assert "Aucune réponse complète" in refused.content.decode()
    answer_all(collection, "a", RESPONDENT)
    closed = client.post(url)
    assert closed["Location"] == f"/studies/{CODE}/files/data/collecte-grand-public-2025.csv"
    page = client.get(f"{PAGE}{collection.pk}/").content.decode()
    assert "fermée" in page
    assert "Fermer et écrire la vague" not in page


@pytest.mark.django_db
def test_the_notice_is_edited_while_the_collection_is_open(collection, people):
    client = logged_in(people["analyst"])
    url = f"{PAGE}{collection.pk}/"
    saved = client.post(url, {"notice_fr": "Notre notice.", "notice_en": ""})
    assert saved["Location"] == url
    collection.refresh_from_db()
    assert collection.notice_fr == "Notre notice."
    assert collection.notice_en.startswith("Alliance Observatory collects your answers")
    assert "Notre notice." in Client().get(f"/collect/{collection.public_code}/").content.decode()
    answer_all(collection, "a", RESPONDENT)
    service.close(collection, people["analyst"])
    refused = client.post(url, {"notice_fr": "Trop tard.", "notice_en": "Too late."})
    assert refused.status_code == 410
    assert "Cette enquête est fermée" in refused.content.decode()
