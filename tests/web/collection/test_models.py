"""What the database keeps of a collection: nothing that joins an invitation to its answers."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from alliance.web.collection import service
from alliance.web.collection.models import (
    Collection,
    CollectionInvitation,
    Response,
    response_key,
    token_digest,
)
from tests.web.collection.test_service import keep

pytestmark = pytest.mark.integration


def test_a_response_has_no_field_pointing_at_an_invitation_nor_a_person():
    fields = {f.name: f for f in Response._meta.get_fields()}
    related = {f.related_model for f in fields.values() if f.is_relation}
    assert related == {Collection}
    assert set(fields) == {
        "id", "collection", "key", "answers", "position", "complete", "language", "started",
        "updated",
    }  # fmt: skip


def test_the_response_key_is_an_hmac_under_the_separate_secret_not_the_invitation_digest(settings):
    token = "un-jeton"
    assert token_digest(token) == hashlib.sha256(b"un-jeton").hexdigest()
    expected = hmac.new(b"collection-secret-for-tests", b"un-jeton", hashlib.sha256).hexdigest()
    assert response_key(token) == expected
    assert response_key(token) != token_digest(token)
    settings.ALLIANCE_COLLECTION_KEY = "another-secret"
    assert response_key(token) != expected


@pytest.mark.django_db
def test_the_database_alone_cannot_join_an_invitation_to_its_response(collection):
    tokens: list[str] = []
    sent = service.invite(collection, "a@demo.invalid", keep(tokens))
    assert sent == ["a@demo.invalid"]
    invitation = CollectionInvitation.objects.get()
    token = tokens[0]  # it travelled in the mail only
    assert token_digest(token) == invitation.digest
    response = service.respondent(collection, token, "fr", create=True)
    assert response is not None
    stored = {str(v) for v in Response.objects.values_list(*[
        f.attname for f in Response._meta.concrete_fields]).get()}  # fmt: skip
    assert invitation.digest not in stored
    assert token not in stored
    assert invitation.email not in stored
    assert not any(hashlib.sha256(v.encode()).hexdigest() == invitation.digest for v in stored)


@pytest.mark.django_db
def test_the_form_is_the_questionnaire_copied_at_creation(collection):
    form = collection.form()
    assert form.questionnaire == "public"
    assert form.item("knows_local_alliance").relevant == "${volunteer} = 1"
    assert collection.margins["variables"]["sex"]["targets"] == {"F": 0.524, "M": 0.476}
    assert collection.notice("fr").startswith("L'Observatoire des alliances recueille")
    assert "“barometre-collecte”" in collection.notice("en")
    assert collection.is_open
