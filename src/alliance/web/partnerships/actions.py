"""What members do with their diagnostic, partnerships and evaluations, once for pages and API.

Invitations to partnerships are in :mod:`alliance.web.partnerships.invitations`.

Each function checks its input with the core (:mod:`alliance.diagnostic`,
:mod:`alliance.evaluation`) and raises the core's bilingual errors; permission checks stay with
the callers (:mod:`alliance.web.permissions`), which know who is asking.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from alliance.diagnostic import NextStep, Scores, default_instrument, next_steps, root_profile
from alliance.diagnostic.benchmark import Standing, standings
from alliance.diagnostic.scoring import validate_answers
from alliance.errors import DiagnosticError, EvaluationError, Location
from alliance.evaluation import (
    Comparison,
    compare,
    grid,
    validate_agreement,
    validate_scores,
    validate_side,
    validate_title,
)
from alliance.web.organisations.models import Organisation
from alliance.web.partnerships.models import Diagnostic, Evaluation, Partnership, Side
from alliance.web.results.catalogue import benchmark_references

__all__ = [
    "SideBySide", "agree", "benchmark", "diagnostic_of", "evaluate", "profiles_of", "qualify",
    "save_answers", "save_draft", "side_by_side", "start", "steps",
]  # fmt: skip

#: Profiles that have their own practice sheet (next steps are written for them).
SHEET_PROFILES = {"associations", "entreprises", "fondations", "collectivites_territoriales"}
COMMENT_LENGTH = 1000


def profiles_of(organisation: Organisation) -> list[str]:
    """Return the organisation's profile and its root (« pme », « entreprises »), specific first."""
    root = root_profile(organisation.profile)
    return list(dict.fromkeys([organisation.profile, root]))


def diagnostic_of(organisation: Organisation) -> Diagnostic:
    """Return the organisation's diagnostic, made empty on first use."""
    diagnostic, _ = Diagnostic.objects.get_or_create(
        organisation=organisation,
        defaults={"instrument_version": default_instrument().version},
    )
    return diagnostic


def save_answers(
    diagnostic: Diagnostic, answers: Mapping[str, Any], *, replace: bool = False
) -> Diagnostic:
    """Check answers and keep them: merged with the draft, or replacing it (``replace``).

    All or nothing: one invalid answer raises :class:`DiagnosticError` and nothing is kept.
    """
    instrument = default_instrument()
    profile = root_profile(diagnostic.organisation.profile)
    cleaned = validate_answers(instrument, profile, answers)
    kept = {} if replace else {k: v for k, v in diagnostic.answers.items() if k not in answers}
    diagnostic.answers = kept | cleaned
    diagnostic.instrument_version = instrument.version
    diagnostic.save()
    return diagnostic


def save_draft(diagnostic: Diagnostic, answers: Mapping[str, Any]) -> list[DiagnosticError]:
    """Keep every valid answer of a form post (one write); return the refused ones' errors.

    Unlike :func:`save_answers`, one invalid answer does not hold back the others: a long
    questionnaire never loses what was typed.
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
    diagnostic.answers = {k: v for k, v in diagnostic.answers.items() if k not in valid} | kept
    diagnostic.instrument_version = instrument.version
    diagnostic.save()
    return refused


def benchmark(organisation: Organisation, answers: Mapping[str, Any]) -> list[Standing]:
    """Place the answers among organisations of the same profile in the reference study.

    The study is the latest published one that covers the organisation's population, unless the
    setting ``ALLIANCE_BENCHMARK_STUDY`` names one (:func:`~.catalogue.benchmark_version`).
    """
    instrument = default_instrument()
    profiles = profiles_of(organisation)
    population = next(
        (
            instrument.benchmark_populations[p]
            for p in profiles
            if p in instrument.benchmark_populations
        ),
        None,
    )
    if population is None:
        return []
    return standings(instrument, profiles, answers, benchmark_references(population))


def steps(organisation: Organisation, scores: Scores) -> list[NextStep]:
    """Next steps for the organisation's profile, given its scores and its partnerships."""
    categories = sorted(
        {
            side.partnership.category
            for side in organisation.sides.select_related("partnership")
            if side.partnership.category
        }
    )
    profile = next((p for p in profiles_of(organisation) if p in SHEET_PROFILES), None)
    return next_steps(
        scores, profile or root_profile(organisation.profile), categories_used=categories
    )


@transaction.atomic
def start(organisation: Organisation, title: object) -> Partnership:
    """Start a partnership with the organisation as its first partner."""
    partnership = Partnership.objects.create(title=validate_title(title))
    Side.objects.create(partnership=partnership, organisation=organisation)
    return partnership


def agree(
    partnership: Partnership, category: object, common_objective: object, contract: object
) -> Partnership:
    """Set what the partners agree on together: category, common objective, contract."""
    agreement = validate_agreement(category, common_objective, contract)
    partnership.category = agreement.category
    partnership.common_objective = agreement.common_objective
    partnership.contract = agreement.contract
    partnership.save()
    return partnership


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
    """Record one partner's evaluation (a new entry of the history, never an overwrite)."""
    cleaned = validate_scores(scores)
    objects = {cell.object for cell in grid()}
    kept_comments = {}
    for key, comment in comments.items():
        if key not in objects:
            raise EvaluationError(
                "evaluation.object_unknown", Location(field=f"comments.{key}", value=key)
            )
        text = str(comment or "").strip()
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
