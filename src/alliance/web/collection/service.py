"""What a collection does, for its pages and its API alike: create, answer, invite, count, close.

The questionnaire's rules (which items apply, how an answer is read, the wave's file, the
quotas) are the core's, :mod:`alliance.study.collection`; here they meet the database and the
study's stored files (:mod:`alliance.web.studies.workspace`).
"""

from __future__ import annotations

import io
import re
import secrets
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from http import HTTPStatus
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from alliance.errors import AllianceError, ConflictError, Location, RequestError
from alliance.i18n import LANGUAGES
from alliance.messages import render
from alliance.study.collection import applicable, quota_progress, read_answer, write_wave
from alliance.study.margins import PopulationMargins, load_margins
from alliance.survey.questionnaire.loader import load_questionnaire
from alliance.survey.questionnaire.model import Question
from alliance.web.accounts.models import User
from alliance.web.collection.models import (
    DEFAULT_NOTICE,
    Collection,
    CollectionInvitation,
    Response,
    response_key,
    token_digest,
)
from alliance.web.invitations import clean_address, expiry_words
from alliance.web.refusals import RefusalError
from alliance.web.results.models import Study
from alliance.web.studies import workspace

__all__ = [
    "answer", "back", "close", "counts", "create_collection", "default_notice", "edit_notice",
    "erase",
    "invite", "new_token", "progress", "respondent", "screen", "sources",
]  # fmt: skip

WAVE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
#: Where a closed collection's wave is stored in the study folder.
WAVE_FILE = "data/collecte-{population}-{wave}.csv"
MODE = {"fr": "en ligne, sur la plateforme", "en": "online, on the platform"}


def sources(study: Study) -> list[dict[str, Any]]:
    """Return the study's populations with their questionnaire and their waves (for the form)."""
    definition = workspace.definition_of(study)
    if definition is None:
        return []
    return [
        {"population": p.population, "label": p.label.model_dump(),
         "questionnaire": p.questionnaire, "margins": p.margins,
         "waves": [w.wave for w in p.waves]}
        for p in definition.populations
    ]  # fmt: skip


def default_notice(study: Study) -> dict[str, str]:
    """Return the default privacy notice, naming the study in each language."""
    return {lang: DEFAULT_NOTICE[lang].format(study=study.title(lang)) for lang in LANGUAGES}


def create_collection(
    study: Study,
    user: User,
    *,
    population: str,
    wave: str,
    anonymous: bool = True,
    invitations: bool = False,
    goal: int = 100,
    notice: dict[str, str] | None = None,
) -> Collection:
    """Attach ``population``'s questionnaire to a new wave ``wave`` of it; return the collection.

    The questionnaire and the margins are copied as they are now: the form and the quotas do not
    change under respondents.
    """
    wave = wave.strip()
    if not WAVE.match(wave):
        raise RequestError("collection.invalid_wave", Location(field="wave", value=wave))
    found = next((s for s in sources(study) if s["population"] == population), None)
    if found is None:
        raise RequestError(
            "collection.unknown_population", Location(field="population", value=population),
            population=population,
        )  # fmt: skip
    taken = set(found["waves"]) | set(
        study.collections.filter(population=population).values_list("wave", flat=True)
    )
    if wave in taken:
        raise ConflictError(
            "collection.wave_taken", Location(field="wave", value=wave),
            population=population, wave=wave,
        )  # fmt: skip
    with workspace.folder_of(study) as definition:
        questionnaire = load_questionnaire(definition.parent / found["questionnaire"])
        margins = (
            load_margins(definition.parent / found["margins"]).model_dump(mode="json")
            if found["margins"]
            else None
        )
    texts = notice or {}
    defaults = default_notice(study)
    try:
        with transaction.atomic():
            return Collection.objects.create(
                study=study, population=population, wave=wave,
                questionnaire_path=found["questionnaire"],
                questionnaire=questionnaire.model_dump(mode="json", exclude_none=True),
                margins=margins, anonymous=anonymous or not invitations, invitations=invitations,
                goal=max(1, goal), created_by=user,
                notice_fr=texts.get("fr", "").strip() or defaults["fr"],
                notice_en=texts.get("en", "").strip() or defaults["en"],
            )  # fmt: skip
    except IntegrityError:  # created meanwhile
        raise ConflictError(
            "collection.wave_taken",
            Location(field="wave", value=wave),
            population=population,
            wave=wave,
        ) from None


def edit_notice(collection: Collection, notice: dict[str, str]) -> None:
    """Change the privacy notice while the collection is open (an empty text: the default)."""
    _check_open(collection)
    defaults = default_notice(collection.study)
    collection.notice_fr = notice.get("fr", "").strip() or defaults["fr"]
    collection.notice_en = notice.get("en", "").strip() or defaults["en"]
    collection.save(update_fields=["notice_fr", "notice_en"])


def new_token() -> str:
    """Make a respondent's secret: the anonymous resume link's, or an invitation's."""
    return secrets.token_urlsafe(24)


def _check_open(collection: Collection) -> None:
    if not collection.is_open:
        raise RefusalError(HTTPStatus.GONE, "collection.closed")


@contextmanager
def _while_open(collection: Collection) -> Iterator[None]:
    """Run a respondent's write in a transaction holding the collection's row, if still open.

    Closing takes the same row lock before it lists the complete responses, so an answer is
    either saved before the wave is written (and is in it) or refused as closed: never complete
    and left out.
    """
    with transaction.atomic():
        _check_open(Collection.objects.select_for_update().get(pk=collection.pk))
        yield


def _check_starts(collection: Collection) -> None:
    """Refuse (429) a new response beyond the collection's ``ALLIANCE_COLLECTION_STARTS_PER_HOUR``.

    The anonymous link needs no account: the limit keeps a script from filling the database.
    Nothing about the respondent is kept to count them; the limit is the collection's.
    """
    limit = settings.ALLIANCE_COLLECTION_STARTS_PER_HOUR
    since = timezone.now() - timedelta(hours=1)
    if collection.responses.filter(started__gt=since).count() >= limit:
        raise RefusalError(HTTPStatus.TOO_MANY_REQUESTS, "collection.too_many_starts")


def respondent(collection: Collection, token: str, lang: str, *, create: bool) -> Response | None:
    """Return the response of the respondent holding ``token`` (made when ``create``)."""
    key = response_key(token)
    found = Response.objects.filter(collection=collection, key=key).first()
    if found is None and create:
        _check_open(collection)
        _check_starts(collection)
        found, _created = Response.objects.get_or_create(
            collection=collection, key=key, defaults={"language": lang}
        )
    return found


def screen(collection: Collection, response: Response) -> tuple[Question | None, int, int]:
    """Return the item on screen, its position (from 1) and how many items apply now.

    None when every item that applies is answered: the questionnaire is done.
    """
    shown, _kept = applicable(collection.form(), response.answers)
    names = [item.name for item in shown]
    if response.position in names:
        index = names.index(response.position)
    elif response.complete:
        index = len(shown)
    else:
        unanswered = [i for i, item in enumerate(shown) if item.name not in response.answers]
        index = unanswered[0] if unanswered else len(shown)
    return (shown[index] if index < len(shown) else None), index + 1, len(shown)


def answer(
    collection: Collection, response: Response, item_name: str, values: list[str]
) -> Question | None:
    """Save the answer to ``item_name``; return the next item (None: done, the response complete).

    Any item that applies may be answered, not only the one on screen: a page kept open in
    another tab, or reached with the browser's back button, is saved as the respondent sees it.
    The form then goes on to the item after it. The answers of items that no longer apply are
    cleared; a wrong answer is refused (:func:`alliance.study.collection.read_answer`) and
    nothing is saved.
    """
    _check_open(collection)
    form = collection.form()
    shown, _kept = applicable(form, response.answers)
    current = next((item for item in shown if item.name == item_name), None)
    if current is None:  # an item that no longer applies: show the one on screen
        return screen(collection, response)[0]
    value = read_answer(form, current, values, response.answers)
    answers = dict(response.answers)
    if value is None:
        answers.pop(current.name, None)
    else:
        answers[current.name] = value
    shown, kept = applicable(form, answers)
    names = [item.name for item in shown]
    following = shown[names.index(current.name) + 1 :]
    nxt = following[0] if following else None
    response.answers = kept
    response.position = nxt.name if nxt is not None else ""
    response.updated = timezone.now()
    response.complete = nxt is None
    with _while_open(collection):
        response.save()
    return nxt


def back(collection: Collection, response: Response) -> None:
    """Go back to the item before the one on screen (answers kept)."""
    _check_open(collection)
    current, position, _total = screen(collection, response)
    shown, _kept = applicable(collection.form(), response.answers)
    index = position - 2 if current is not None else len(shown) - 1
    if index >= 0:
        response.position = shown[index].name
        response.save(update_fields=["position"])


def erase(collection: Collection, response: Response) -> None:
    """Erase a respondent's answers at their request (only while the collection is open)."""
    with _while_open(collection):
        response.delete()


def counts(collection: Collection) -> dict[str, int]:
    """Complete and partial (started, not finished) responses."""
    complete = collection.responses.filter(complete=True).count()
    return {"complete": complete, "partial": collection.responses.count() - complete}


def progress(collection: Collection) -> dict[str, Any]:
    """Return the live figures: counts and quotas against the margins (what the page polls)."""
    quotas = []
    if collection.margins:
        margins = PopulationMargins.model_validate(collection.margins)
        complete = collection.responses.filter(complete=True).values_list("answers", flat=True)
        rows = quota_progress(collection.form(), margins, complete, collection.goal)
        quotas = [row.to_json() for row in rows]
    return counts(collection) | {
        "goal": collection.goal, "open": collection.is_open, "quotas": quotas,
    }  # fmt: skip


def _check_daily(collection: Collection, wanted: int) -> None:
    limit = settings.ALLIANCE_COLLECTION_INVITATIONS_PER_DAY
    since = timezone.now() - timedelta(days=1)
    sent = collection.sent_invitations.filter(sent__gt=since).count()
    if sent + wanted > limit:
        raise RefusalError(HTTPStatus.TOO_MANY_REQUESTS, "collection.too_many_today", limit=limit)


def invite(collection: Collection, text: str, link: Callable[[str], str]) -> list[str]:
    """Send a personal link to each address in ``text`` (pasted: commas, spaces, new lines).

    Every address is checked before any mail leaves; an address already invited is skipped.
    Returns the addresses invited. ``link(token)`` makes the absolute address of a token's page.
    """
    _check_open(collection)
    if not collection.invitations:
        raise RefusalError(HTTPStatus.CONFLICT, "collection.no_personal_link")
    addresses = list(dict.fromkeys(clean_address(a) for a in re.split(r"[\s,;]+", text) if a))
    if not addresses:
        raise RequestError("collection.no_addresses", Location(field="addresses"))
    already = set(collection.sent_invitations.values_list("email", flat=True))
    addresses = [a for a in addresses if a not in already]
    _check_daily(collection, len(addresses))
    title = {lang: collection.study.title(lang) for lang in LANGUAGES}
    for address in addresses:
        token = new_token()
        invitation = CollectionInvitation.objects.create(
            collection=collection, email=address, digest=token_digest(token)
        )
        dates = expiry_words(invitation)
        words = {
            lang: {"title": title[lang], "expires": dates[lang], "link": link(token),
                   "collector": render("collection.collector", lang)}
            for lang in LANGUAGES
        }  # fmt: skip
        send_mail(
            " / ".join(render("collection.invitation_subject", lang, **words[lang])
                       for lang in LANGUAGES),
            "\n\n".join(render("collection.invitation_body", lang, **words[lang])
                        for lang in LANGUAGES),
            None,
            [address],
        )  # fmt: skip
    return addresses


def close(collection: Collection, user: User | None) -> str:
    """Close the collection and write its wave into the study; return the wave file's path.

    The complete responses become a CSV (:func:`alliance.study.collection.write_wave`) stored in
    the study's files and named in ``study.yaml`` as a new wave of the population, then the
    study is checked as after any upload: the wave is validated as a delivered file is. Partial
    responses stay out. Nothing changes if any step fails.
    """
    _check_open(collection)
    path = WAVE_FILE.format(population=collection.population, wave=collection.wave)
    wave = {
        "wave": collection.wave, "file": path,
        "fieldwork": {"start": timezone.localtime(collection.created_at).date().isoformat(),
                      "end": timezone.localdate().isoformat()},
        "mode": MODE,
    }  # fmt: skip
    with transaction.atomic():
        locked = Collection.objects.select_for_update().get(pk=collection.pk)
        _check_open(locked)
        # Listed under the lock: what the wave holds is what was complete when it closed.
        complete = list(locked.responses.filter(complete=True).order_by("pk"))
        if not complete:
            raise ConflictError("collection.no_complete")
        with tempfile.TemporaryDirectory() as scratch:
            target = Path(scratch) / "wave.csv"
            write_wave(locked.form(), [r.answers for r in complete], target)
            data = io.BytesIO(target.read_bytes())
        workspace.add_wave(locked.study, user, locked.population, wave, data)
        locked.closed_at = timezone.now()
        locked.wave_file = path
        locked.save(update_fields=["closed_at", "wave_file"])
    collection.refresh_from_db()
    return path


def check_alive(invitation: CollectionInvitation, response: Response | None) -> None:
    """Refuse an expired invitation, or one whose answer is complete (410 both)."""
    if (response is not None and response.complete) or invitation.used:
        raise RefusalError(HTTPStatus.GONE, "collection.already_answered")
    if invitation.expired:
        raise RefusalError(HTTPStatus.GONE, "collection.invitation_expired")


def refusal_message(error: AllianceError, lang: str) -> str:
    """Return a refused answer's message without its location (the form shows it by the field)."""
    return render(error.key, "en" if lang == "en" else "fr", **error.params)
