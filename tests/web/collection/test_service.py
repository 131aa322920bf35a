"""A collection's work: answering screen by screen, skip logic, erasing, invitations, closing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.utils import timezone

from alliance.errors import ConflictError, OrganisationError, RequestError
from alliance.survey.io.reading import read_responses
from alliance.web.collection import service
from alliance.web.collection.models import Collection, CollectionInvitation, Response
from alliance.web.refusals import RefusalError
from alliance.web.studies import workspace
from tests.study.collected import FOLLOW_UP, RESPONDENT

pytestmark = pytest.mark.integration

#: The public questionnaire's items in order, as a respondent answers them (follow-up included).
ORDER = [
    "sex", "age", "region", "occupation", "agglomeration", "impact_territories",
    "impact_territorial_innovation", "impact_people", "impact_company_performance",
    "impact_local_authority_performance", "impact_association_performance", "volunteer",
    "donor", FOLLOW_UP,
]  # fmt: skip


def keep(tokens: list[str]) -> Callable[[str], str]:
    """A link maker that keeps each token it is given (tokens travel in the mails only)."""

    def link(token: str) -> str:
        tokens.append(token)
        return token

    return link


def answer_all(collection: Collection, token: str, answers: dict[str, object]) -> Response:
    """Answer every screen shown with ``answers`` (empty where none); return the response."""
    response = service.respondent(collection, token, "fr", create=True)
    assert response is not None
    while True:
        item, _position, _total = service.screen(collection, response)
        if item is None:
            return response
        value = answers.get(item.name)
        service.answer(collection, response, item.name, [] if value is None else [str(value)])


@pytest.mark.django_db
def test_a_skipped_follow_up_is_never_shown_and_the_total_shrinks(collection):
    response = service.respondent(collection, "t1", "fr", create=True)
    assert response is not None
    shown = []
    while True:
        item, position, total = service.screen(collection, response)
        if item is None:
            break
        shown.append((item.name, position, total))
        value = (RESPONDENT | {"volunteer": 2, "donor": 1}).get(item.name)
        service.answer(collection, response, item.name, [] if value is None else [str(value)])
    assert [name for name, *_ in shown] == ORDER[:-1]
    assert shown[0][1:] == (1, 13)  # before volunteer is answered, the follow-up does not apply
    assert response.complete
    assert FOLLOW_UP not in response.answers


@pytest.mark.django_db
def test_a_follow_up_applies_then_is_cleared_when_the_condition_changes(collection):
    response = answer_all(collection, "t2", RESPONDENT | {"volunteer": 1, FOLLOW_UP: 1})
    assert response.answers[FOLLOW_UP] == 1
    assert response.complete
    other = service.respondent(collection, "t3", "fr", create=True)
    assert other is not None
    for name in ORDER[:12]:
        value = (RESPONDENT | {"volunteer": 1}).get(name)
        service.answer(collection, other, name, [] if value is None else [str(value)])
    service.answer(collection, other, "donor", ["2"])
    service.answer(collection, other, FOLLOW_UP, ["1"])
    assert other.complete
    # Going back to « volunteer » and answering « no » clears the follow-up's answer.
    other.complete = False
    other.position = "volunteer"
    other.save()
    service.answer(collection, other, "volunteer", ["2"])
    assert FOLLOW_UP not in Response.objects.get(pk=other.pk).answers


@pytest.mark.django_db
def test_each_screen_is_saved_and_the_respondent_resumes_where_they_stopped(collection):
    first = service.respondent(collection, "resume", "fr", create=True)
    assert first is not None
    service.answer(collection, first, "sex", ["M"])
    service.answer(collection, first, "age", ["65+"])
    again = service.respondent(collection, "resume", "en", create=False)
    assert again is not None
    assert again.pk == first.pk
    assert again.answers == {"sex": "M", "age": "65+"}
    item, position, _total = service.screen(collection, again)
    assert (item.name if item else None, position) == ("region", 3)
    service.back(collection, again)
    item, position, _total = service.screen(collection, again)
    assert (item.name if item else None, position) == ("age", 2)


@pytest.mark.django_db
def test_a_wrong_answer_is_refused_and_nothing_is_saved(collection):
    response = service.respondent(collection, "wrong", "fr", create=True)
    assert response is not None
    with pytest.raises(RequestError) as refused:
        service.answer(collection, response, "sex", [])
    assert refused.value.key == "collection.required"
    assert service.refusal_message(refused.value, "fr") == "Cette question demande une réponse"
    assert Response.objects.get(pk=response.pk).answers == {}


@pytest.mark.django_db
def test_a_respondent_erases_their_answers_while_the_collection_is_open(collection):
    response = service.respondent(collection, "erase", "fr", create=True)
    assert response is not None
    service.answer(collection, response, "sex", ["F"])
    service.erase(collection, response)
    assert not Response.objects.filter(collection=collection).exists()


@pytest.mark.django_db
def test_counts_say_complete_and_partial_responses_and_quotas_fill(collection):
    answer_all(collection, "a", RESPONDENT)
    answer_all(collection, "b", RESPONDENT | {"sex": "M"})
    answer_all(collection, "c", RESPONDENT)
    partial = service.respondent(collection, "d", "fr", create=True)
    assert partial is not None
    service.answer(collection, partial, "sex", ["M"])
    progress = service.progress(collection)
    assert (progress["complete"], progress["partial"], progress["goal"]) == (3, 1, 10)
    assert [(q["level"], q["count"], q["expected"]) for q in progress["quotas"]] == [
        ("F", 2, 5.2), ("M", 1, 4.8)
    ]  # fmt: skip


@pytest.mark.django_db
def test_invitations_are_mailed_in_both_languages_once_per_address(collection):
    sent = service.invite(
        collection, "a@demo.invalid, b@demo.invalid\na@demo.invalid", lambda t: f"https://x/{t}"
    )
    assert sent == ["a@demo.invalid", "b@demo.invalid"]
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert message.subject == (
        "Votre avis : « barometre-collecte » / Your opinion: “barometre-collecte”"
    )
    assert "L'Observatoire des alliances vous invite à répondre" in message.body
    assert "Alliance Observatory invites you to answer" in message.body
    assert service.invite(collection, "a@demo.invalid", str) == []
    assert CollectionInvitation.objects.count() == 2
    with pytest.raises(OrganisationError) as refused:
        service.invite(collection, "c@demo.invalid pas-une-adresse", str)
    assert refused.value.key == "invitation.email_invalid"
    assert len(mail.outbox) == 2  # every address is checked before any mail leaves


@pytest.mark.django_db
def test_invitations_are_limited_per_day(collection, settings):
    settings.ALLIANCE_COLLECTION_INVITATIONS_PER_DAY = 2
    service.invite(collection, "a@demo.invalid", str)
    with pytest.raises(RefusalError) as refused:
        service.invite(collection, "b@demo.invalid c@demo.invalid", str)
    assert refused.value.status == 429
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_new_wave_must_be_new(study, people):
    with pytest.raises(ConflictError) as refused:
        service.create_collection(study, people["analyst"], population="grand-public", wave="2022")
    assert refused.value.key == "collection.wave_taken"
    with pytest.raises(RequestError) as unknown:
        service.create_collection(study, people["analyst"], population="autres", wave="2025")
    assert unknown.value.key == "collection.unknown_population"
    with pytest.raises(RequestError) as invalid:
        service.create_collection(study, people["analyst"], population="grand-public", wave="../x")
    assert invalid.value.key == "collection.invalid_wave"


@pytest.mark.django_db
def test_closing_writes_the_wave_checked_like_a_delivered_file(collection, people):
    answer_all(collection, "a", RESPONDENT | {"volunteer": 1, FOLLOW_UP: 1})
    answer_all(collection, "b", RESPONDENT | {"sex": "M", "volunteer": 2})
    partial = service.respondent(collection, "c", "fr", create=True)
    assert partial is not None
    service.answer(collection, partial, "sex", ["M"])

    path = service.close(collection, people["analyst"])

    assert path == "data/collecte-grand-public-2025.csv"
    assert not collection.is_open
    stored = collection.study.files.get(path=path)
    assert stored.problems == []
    assert stored.reading["rows"] == 2
    definition = workspace.definition_of(collection.study)
    assert definition is not None
    waves = definition.populations[0].waves
    assert [w.wave for w in waves] == ["2022", "2025"]
    assert waves[1].file == path
    assert collection.study.files.get(path="study.yaml").problems == []
    with workspace.folder_of(collection.study) as folder:
        frame = read_responses(folder.parent / path).frame
    assert frame[FOLLOW_UP].to_list() == [1, None]
    assert frame["sex"].to_list() == ["F", "M"]
    with pytest.raises(RefusalError) as refused:
        service.answer(collection, partial, "age", ["65+"])
    assert refused.value.status == 410
    with pytest.raises(RefusalError):
        service.erase(collection, partial)


@pytest.mark.django_db
def test_closing_without_a_complete_response_changes_nothing(collection, people):
    with pytest.raises(ConflictError) as refused:
        service.close(collection, people["analyst"])
    assert refused.value.key == "collection.no_complete"
    assert Collection.objects.get(pk=collection.pk).is_open


@pytest.mark.django_db
def test_an_answer_sent_after_the_collection_closed_is_refused_not_lost_from_the_wave(
    collection,
):
    response = service.respondent(collection, "late", "fr", create=True)
    assert response is not None
    Collection.objects.filter(pk=collection.pk).update(closed_at=timezone.now())

    # ``collection`` is the page's copy, read before closing: the saved row decides.
    with pytest.raises(RefusalError) as refused:
        service.answer(collection, response, "sex", ["F"])
    with pytest.raises(RefusalError):
        service.erase(collection, response)

    assert refused.value.status == 410
    stored = Response.objects.get(pk=response.pk)
    assert (stored.answers, stored.complete) == ({}, False)
