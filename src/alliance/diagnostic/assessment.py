"""The diagnostic's assessment, built once for the page, the API and the PDF report.

An organisation's answers give its scores per lever (:mod:`.scoring`), where it stands among the
organisations of its profile on each of the three levers (:mod:`.benchmark`) and its next steps
(:mod:`.next_steps`). Each lever's benchmark either lists the standings of the lever's questions
that the reference study also asks, or says plainly why there is none: the profile has no
reference population, no study of it is published, or that population's questionnaire asks
nothing comparable on the lever. Nothing is compared with a different measure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from alliance.diagnostic.benchmark import Reference, Standing, benchmark_population, standings
from alliance.diagnostic.instrument import LEVERS, Instrument
from alliance.diagnostic.next_steps import NextStep, next_steps
from alliance.diagnostic.scoring import Scores, score, usable_answers
from alliance.i18n import Lang
from alliance.messages import render

__all__ = ["Assessment", "LeverBenchmark", "assess"]

#: Why a lever has no comparison: see :attr:`LeverBenchmark.missing`.
Missing = Literal["no_population", "no_study", "no_item"]


@dataclass(frozen=True)
class LeverBenchmark:
    """One lever's comparison with the reference study, or why there is none."""

    lever: str
    standings: list[Standing]
    #: ``no_population``: the profile has no study population; ``no_study``: none of its studies
    #: is published; ``no_item``: the population's questionnaire asks nothing comparable.
    missing: Missing | None

    def note(self, lang: Lang) -> str:
        """Say, in ``lang``, why the lever is not compared (empty when it is)."""
        return render(f"diagnostic.benchmark.{self.missing}", lang) if self.missing else ""


@dataclass(frozen=True)
class Assessment:
    """Scores, benchmark on each lever and next steps of one organisation's diagnostic."""

    scores: Scores
    #: The study population the organisation is compared with (None: its profile has none).
    population: str | None
    levers: list[LeverBenchmark]
    steps: list[NextStep]

    @property
    def standings(self) -> list[Standing]:
        """Every benchmarked question, lever by lever."""
        return [s for lever in self.levers for s in lever.standings]


def assess(
    instrument: Instrument,
    profiles: Sequence[str],
    answers: Mapping[str, Any],
    references: Sequence[Reference],
    *,
    sheet_profile: str,
    categories_used: list[str] | None = None,
) -> Assessment:
    """Assess the answers of an organisation of ``profiles`` (most specific first, root last).

    ``references`` are the published references of its population (empty when none is
    published); ``sheet_profile`` is the profile whose practice sheet the next steps point to;
    ``categories_used`` the categories of its partnerships.
    """
    root = profiles[-1]
    scores = score(instrument, root, answers)
    population = benchmark_population(instrument, profiles)
    found = standings(instrument, profiles, usable_answers(instrument, root, answers), references)
    questions = {q.code: q for q in instrument.for_profile(root)}
    levers = []
    for lever in LEVERS:
        mine = [s for s in found if questions[s.question].lever == lever]
        missing: Missing | None = None
        if population is None:
            missing = "no_population"
        elif not any(r.population == population for r in references):
            missing = "no_study"
        elif not mine:
            missing = "no_item"
        levers.append(LeverBenchmark(lever, mine, missing))
    steps = next_steps(scores, sheet_profile, categories_used=categories_used)
    return Assessment(scores=scores, population=population, levers=levers, steps=steps)
