"""What members do with their diagnostic, partnerships and evaluations, once for pages and API.

Invitations to partnerships are in :mod:`alliance.web.partnerships.invitations`.

Each function checks its input with the core (:mod:`alliance.diagnostic`,
:mod:`alliance.evaluation`) and raises the core's bilingual errors; permission checks stay with
the callers (:mod:`alliance.web.permissions`), which know who is asking.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from alliance.diagnostic import default_instrument, root_profile
from alliance.diagnostic.assessment import Assessment, assess
from alliance.diagnostic.benchmark import benchmark_population
from alliance.diagnostic.scoring import validate_answers
from alliance.errors import ConflictError, DiagnosticError, EvaluationError, Location
from alliance.evaluation import (
    Comparison,
    compare,
    grid,
    plain_text,
    validate_agreement,
    validate_scores,
    validate_side,
    validate_title,
)
from alliance.web.accounts.models import User
from alliance.web.organisations.models import Organisation
from alliance.web.partnerships.models import (
    AgreementRevision,
    Diagnostic,
    Evaluation,
    Partnership,
    Side,
)
from alliance.web.results.catalogue import benchmark_references

__all__ = [
    "TERMS", "SideBySide", "agree", "assessment", "diagnostic_of", "evaluate", "profiles_of",
    "qualify", "save_answers", "save_draft", "side_by_side", "start",
]  # fmt: skip

#: Profiles that have their own practice sheet (next steps are written for them).
SHEET_PROFILES = {"associations", "entreprises", "fondations", "collectivites_territoriales"}
COMMENT_LENGTH = 1000


def profiles_of(organisation: Organisation) -> list[str]:
    """Return the organisation's profile and its root (« pme », « entreprises »), specific first."""
    root = root_profile(organisation.profile)
    return list(dict.fromkeys([organisation.profile, root]))


def diagnostic_of(organisation: Organisation) -> Diagnostic:
    """Return the organisation's diagnostic; before its first answer, an empty one not saved.

    Reading never writes: the row is made by the first answer saved (:func:`save_answers`).
    """
    found = Diagnostic.objects.filter(organisation=organisation).first()
    if found is None:
        found = Diagnostic(
            organisation=organisation, instrument_version=default_instrument().version
        )
    return found


#: Writes that find the diagnostic changed under them start again this many times at most.
WRITE_ATTEMPTS = 20


def _expected_versions(versions: Mapping[str, object] | None) -> dict[str, int]:
    """Read the versions a write is based on: ``{question: whole number ≥ 0}``."""
    expected: dict[str, int] = {}
    for code, given in (versions or {}).items():
        text = str(given).strip() if isinstance(given, int | str) else ""
        if isinstance(given, bool) or not (text.isascii() and text.isdigit()):
            raise DiagnosticError(
                "diagnostic.version_invalid", Location(field=f"versions.{code}", value=given),
                question=code,
            )  # fmt: skip
        expected[code] = int(text)
    return expected


def _write(
    diagnostic: Diagnostic,
    cleaned: Mapping[str, Any],
    written: set[str],
    *,
    replace: bool = False,
    versions: Mapping[str, object] | None = None,
    version: int | None = None,
) -> Diagnostic:
    """Keep ``cleaned`` answers for the ``written`` questions without losing anyone's answers.

    The row is locked while the answers are merged (``SELECT … FOR UPDATE`` on PostgreSQL) and
    saved only if its version is still the one read (compare-and-swap, which also holds on
    SQLite): a concurrent write to *another* answer is merged again, never overwritten. A write
    based on an older version of one of its answers (``versions``) or of the whole diagnostic
    (``version``, for a replacement) raises :class:`ConflictError` and keeps nothing.
    """
    expected = _expected_versions(versions)
    for attempt in range(WRITE_ATTEMPTS):
        try:
            found = _attempt(diagnostic.organisation, cleaned, written, replace, expected, version)
        except OperationalError as problem:
            # SQLite answers « locked » while another connection writes: wait, then again.
            if "locked" not in str(problem):
                raise
            time.sleep(0.005 * (attempt + 1))
            continue
        if found is not None:
            for field in ("pk", "answers", "versions", "version", "instrument_version", "updated"):
                setattr(diagnostic, field, getattr(found, field))
            diagnostic._state.adding = False
            return diagnostic
    raise ConflictError("diagnostic.busy")


def _attempt(
    organisation: Organisation,
    cleaned: Mapping[str, Any],
    written: set[str],
    replace: bool,
    expected: Mapping[str, int],
    version: int | None,
) -> Diagnostic | None:
    """Merge and save once; return the diagnostic saved, None if another write came first."""
    instrument_version = default_instrument().version
    with transaction.atomic():
        Diagnostic.objects.get_or_create(
            organisation=organisation, defaults={"instrument_version": instrument_version}
        )
        current = Diagnostic.objects.select_for_update().get(organisation=organisation)
        if version is not None and version != current.version:
            raise ConflictError(
                "diagnostic.changed", Location(field="version", value=version),
                current=current.version, given=version,
            )  # fmt: skip
        for code, given in expected.items():
            if given != current.versions.get(code, 0):
                raise ConflictError(
                    "diagnostic.answer_changed", Location(field=code, value=given), question=code
                )
        changed = written | (set(current.answers) if replace else set())
        kept = {k: v for k, v in current.answers.items() if k not in changed}
        counts = dict(current.versions)
        for code in changed:
            counts[code] = counts.get(code, 0) + 1
        saved = Diagnostic.objects.filter(pk=current.pk, version=current.version).update(
            answers=kept | dict(cleaned), versions=counts, version=F("version") + 1,
            instrument_version=instrument_version, updated=timezone.now(),
        )  # fmt: skip
        return Diagnostic.objects.get(pk=current.pk) if saved else None


def save_answers(
    diagnostic: Diagnostic,
    answers: Mapping[str, Any],
    *,
    replace: bool = False,
    versions: Mapping[str, object] | None = None,
    version: int | None = None,
) -> Diagnostic:
    """Check answers and keep them: merged with the draft, or replacing it (``replace``).

    All or nothing: one invalid answer raises :class:`DiagnosticError`, one based on a stale
    version :class:`ConflictError` (see :func:`_write`), and nothing is kept.
    """
    instrument = default_instrument()
    profile = root_profile(diagnostic.organisation.profile)
    cleaned = validate_answers(instrument, profile, answers)
    return _write(
        diagnostic, cleaned, set(answers), replace=replace, versions=versions, version=version
    )


def save_draft(
    diagnostic: Diagnostic,
    answers: Mapping[str, Any],
    versions: Mapping[str, object] | None = None,
) -> list[DiagnosticError]:
    """Keep every valid answer of a form post (one write); return the refused ones' errors.

    Unlike :func:`save_answers`, one invalid answer does not hold back the others: a long
    questionnaire never loses what was typed. A stale version still refuses the whole post
    (:class:`ConflictError`).
    """
    instrument = default_instrument()
    profile = root_profile(diagnostic.organisation.profile)
    kept: dict[str, Any] = {}
    valid: set[str] = set()
    refused: list[DiagnosticError] = []
    for code, answer in answers.items():
        try:
            kept |= validate_answers(instrument, profile, {code: answer})
        except DiagnosticError as problem:
            refused.append(problem)
        else:
            valid.add(code)
    if valid:
        _write(diagnostic, kept, valid, versions=versions)
    return refused


def assessment(organisation: Organisation, answers: Mapping[str, Any]) -> Assessment:
    """Assess the diagnostic's answers: scores, benchmark on each lever, next steps.

    The organisation is compared with its population in the latest published study that covers
    it, unless the setting ``ALLIANCE_BENCHMARK_STUDY`` names one
    (:func:`~.catalogue.benchmark_version`); next steps read its profile's practice sheet and the
    categories of its partnerships.
    """
    instrument = default_instrument()
    profiles = profiles_of(organisation)
    population = benchmark_population(instrument, profiles)
    categories = sorted(
        {
            side.partnership.category
            for side in organisation.sides.select_related("partnership")
            if side.partnership.category
        }
    )
    return assess(
        instrument,
        profiles,
        answers,
        benchmark_references(population) if population is not None else [],
        sheet_profile=next((p for p in profiles if p in SHEET_PROFILES), profiles[-1]),
        categories_used=categories,
    )


@transaction.atomic
def start(organisation: Organisation, title: object) -> Partnership:
    """Start a partnership with the organisation as its first partner."""
    partnership = Partnership.objects.create(title=validate_title(title))
    Side.objects.create(partnership=partnership, organisation=organisation)
    return partnership


#: The terms partners agree on together, in the order pages show them.
TERMS = ("category", "common_objective", "contract", "common_objectives")


def agree(
    partnership: Partnership,
    category: object = None,
    common_objective: object = None,
    contract: object = None,
    common_objectives: object = None,
    *,
    by: Organisation | None = None,
    author: User | None = None,
    version: object = None,
) -> Partnership:
    """Change what the partners agree on together, leaving a revision both partners see.

    A term given as ``None`` stays as it is; a blank term is cleared, on purpose. Giving no term
    at all is refused (a ``{}`` would otherwise wipe the terms unnoticed). ``version`` is the
    ``agreement_version`` the change was based on: if a partner changed the terms since, the
    change is refused (:class:`ConflictError`) rather than undoing theirs.
    """
    terms = (category, common_objective, contract, common_objectives)
    given = dict(zip(TERMS, terms, strict=True))
    if all(value is None for value in given.values()):
        raise EvaluationError("qualification.agreement_empty")
    expected = _agreement_version(version)
    with transaction.atomic():
        current = Partnership.objects.select_for_update().get(pk=partnership.pk)
        if expected is not None and expected != current.agreement_version:
            raise ConflictError(
                "qualification.agreement_changed", Location(field="version", value=expected),
                current=current.agreement_version, given=expected,
            )  # fmt: skip
        merged = {
            term: getattr(current, term) if value is None else value
            for term, value in given.items()
        }
        chosen = merged["common_objectives"]
        if not isinstance(chosen, list | tuple):
            raise EvaluationError(
                "qualification.common_objectives_list",
                Location(field="common_objectives", value=chosen),
            )
        agreement = validate_agreement(
            merged["category"], merged["common_objective"], merged["contract"], chosen
        )
        agreed = vars(agreement) | {"common_objectives": list(agreement.common_objectives)}
        changes = {
            term: [getattr(current, term), agreed[term]]
            for term in TERMS
            if getattr(current, term) != agreed[term]
        }
        if changes:
            saved = Partnership.objects.filter(
                pk=current.pk, agreement_version=current.agreement_version
            ).update(
                **{term: after for term, (_, after) in changes.items()},
                agreement_version=F("agreement_version") + 1,
            )
            if not saved:
                raise ConflictError(
                    "qualification.agreement_changed", Location(field="version"),
                    current=current.agreement_version + 1, given=current.agreement_version,
                )  # fmt: skip
            AgreementRevision.objects.create(
                partnership=current, organisation=by, author=author, changes=changes
            )
    partnership.refresh_from_db()
    return partnership


def _agreement_version(version: object) -> int | None:
    """Read the ``agreement_version`` a change is based on (None: not said)."""
    if version is None or version == "":
        return None
    text = str(version).strip() if isinstance(version, int | str) else ""
    if isinstance(version, bool) or not (text.isascii() and text.isdigit()):
        raise EvaluationError(
            "qualification.version_invalid", Location(field="version", value=version)
        )
    return int(text)


def qualify(
    side: Side, objectives: Mapping[str, object], contributions: Mapping[str, object]
) -> Side:
    """Set one partner's carré magique objectives (with priorities) and contributions."""
    qualified = validate_side(objectives, contributions)
    side.objectives = qualified.objectives
    side.contributions = qualified.contributions
    side.save()
    return side


def evaluate(
    partnership: Partnership,
    organisation: Organisation,
    scores: Mapping[str, Mapping[str, object]],
    comments: Mapping[str, object],
) -> Evaluation:
    """Record one partner's evaluation (a new entry of the history, never an overwrite).

    An evaluation with every cell blank is refused: it would blank the partner's column in the
    comparison, which shows each partner's latest evaluation.
    """
    cleaned = validate_scores(scores)
    if not cleaned:
        raise EvaluationError("evaluation.empty", Location(field="scores"))
    objects = {cell.object for cell in grid()}
    kept_comments = {}
    for key, comment in comments.items():
        if key not in objects:
            raise EvaluationError(
                "evaluation.object_unknown", Location(field=f"comments.{key}", value=key)
            )
        text = plain_text(f"comments.{key}", comment, multiline=True)
        if len(text) > COMMENT_LENGTH:
            raise EvaluationError(
                "qualification.text_too_long", Location(field=f"comments.{key}"),
                limit=COMMENT_LENGTH,
            )  # fmt: skip
        if text:
            kept_comments[key] = text
    return Evaluation.objects.create(
        partnership=partnership, organisation=organisation, scores=cleaned, comments=kept_comments
    )


@dataclass(frozen=True)
class SideBySide:
    """The two first partners' latest evaluations and their cell-by-cell comparison."""

    first: Side | None
    second: Side | None
    first_latest: Evaluation | None
    second_latest: Evaluation | None
    comparison: list[Comparison]


def side_by_side(partnership: Partnership) -> SideBySide:
    """Set the partners' latest evaluations side by side (the first two partners)."""
    sides = list(partnership.sides.select_related("organisation").order_by("pk"))
    first, second = [*sides, None, None][:2]
    latest = [
        partnership.evaluations.filter(organisation=side.organisation).first() if side else None
        for side in (first, second)
    ]
    comparison = compare(latest[0].scores, latest[1].scores) if latest[0] and latest[1] else []
    return SideBySide(first, second, latest[0], latest[1], comparison)
