"""Synthetic microdata for the demonstration study: five populations, two waves, biased samples.

Everything here is **synthetic**: respondents are drawn at random (with a fixed seed, so every run
gives the same files) from the population margins, but with a sampling bias that weighting must
correct (as a real quota sample never quite matches). Answers to the impact questions depend on the
weighting variables and are calibrated so that, in the *population*, the share of « fort + très
fort » equals a target: the figure the notebook publishes when there is one (referential
``published-figures``), an illustrative value otherwise. The weighted 2022 estimates therefore
reproduce the published figures within sampling error; nothing else in these data is evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import product

import numpy as np
import polars as pl
from numpy.typing import NDArray
from scipy.optimize import brentq
from scipy.special import expit

from alliance.referential import Referential
from alliance.study.margins import PopulationMargins
from alliance.survey.questionnaire import ItemType, Question, Questionnaire, Role

__all__ = ["ItemTarget", "PopulationPlan", "simulate_wave", "target_of"]

#: Waves of the demonstration study.
WAVES = (2018, 2022)
#: Share of « ne sait pas » (code 9) among answers to impact questions.
DONT_KNOW = 0.04
#: Share of « très fort » within « fort + très fort », and of « faible » within the rest.
VERY_STRONG, WEAK = 0.38, 0.70


@dataclass(frozen=True)
class ItemTarget:
    """The population share of « fort + très fort » an item is drawn to have, and where from."""

    share: float
    published: bool
    figure: str | None = None


@dataclass(frozen=True)
class PopulationPlan:
    """How to simulate one population's sample."""

    questionnaire: str
    margins: str
    size: int
    id_prefix: str
    #: Sampling over- or under-representation of categories (1 = proportional).
    bias: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    #: Logit effects of categories on answering « fort + très fort ».
    effects: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    #: Illustrative 2022 shares of items the notebook does not publish.
    illustrative: Mapping[str, float] = field(default_factory=dict)
    #: Change from 2018 to 2022 (points of share) applied to every impact item.
    change_since_2018: float = 0.04
    seed: int = 0


def target_of(
    item: Question, plan: PopulationPlan, referential: Referential, wave: int
) -> ItemTarget:
    """Return the target share of an impact item in ``wave``: published or illustrative."""
    for target in item.referential:
        if target.startswith("published-figures/"):
            figure = referential.item(target)
            value = getattr(figure, "value", None)
            if value is not None:
                share = value / 100 - (plan.change_since_2018 if wave != 2022 else 0.0)
                return ItemTarget(share=share, published=wave == 2022, figure=target)
    share = plan.illustrative.get(item.name, 0.5)
    return ItemTarget(
        share=share - (plan.change_since_2018 if wave != 2022 else 0.0), published=False
    )


def _intercept(target: float, cells: list[tuple[float, float]]) -> float:
    """Logit intercept giving the population share ``target``, cells being (weight, effect)."""
    weights = np.array([w for w, _ in cells])
    effects = np.array([e for _, e in cells])

    def gap(alpha: float) -> float:
        return float((weights * expit(alpha + effects)).sum() / weights.sum() - target)

    return float(brentq(gap, -20, 20))


def _answers(rng: np.random.Generator, probability: NDArray[np.float64]) -> NDArray[np.int64]:
    """Draw 1 (très fort) … 4 (nul) with P(1 or 2) = ``probability``, then some 9 (ne sait pas)."""
    n = len(probability)
    top = rng.random(n) < probability
    codes = np.where(
        top,
        np.where(rng.random(n) < VERY_STRONG, 1, 2),
        np.where(rng.random(n) < WEAK, 3, 4),
    )
    codes[rng.random(n) < DONT_KNOW] = 9
    return codes.astype(np.int64)


def simulate_wave(
    plan: PopulationPlan,
    questionnaire: Questionnaire,
    margins: PopulationMargins,
    referential: Referential,
    wave: int,
) -> tuple[pl.DataFrame, dict[str, ItemTarget]]:
    """Draw one wave's sample; return the responses (codes) and each impact item's target."""
    rng = np.random.default_rng([plan.seed, wave])
    n = plan.size
    columns: dict[str, object] = {
        "respondent_id": [f"{plan.id_prefix}{wave}-{i:05d}" for i in range(n)]
    }
    drawn: dict[str, NDArray[np.str_]] = {}
    for variable, share in margins.targets().items():
        levels = list(share)
        bias = plan.bias.get(variable, {})
        p = np.array([share[level] * bias.get(level, 1.0) for level in levels])
        drawn[variable] = np.array(levels)[rng.choice(len(levels), n, p=p / p.sum())]
        columns[variable] = drawn[variable]
    # Cells of the population (independent margins) for calibrating the answer model.
    effect_variables = [v for v in plan.effects if v in drawn]
    population_cells = []
    for combination in product(*(margins.variables[v].targets.items() for v in effect_variables)):
        weight = float(np.prod([share for _, share in combination]))
        effect = sum(
            plan.effects[v].get(level, 0.0)
            for v, (level, _) in zip(effect_variables, combination, strict=True)
        )
        population_cells.append((weight, effect))
    row_effect = np.zeros(n)
    for variable in effect_variables:
        row_effect += np.vectorize(lambda level, v=variable: plan.effects[v].get(level, 0.0))(
            drawn[variable]
        )
    targets: dict[str, ItemTarget] = {}
    for item in questionnaire.items:
        if item.name in columns or item.role in (Role.ID, Role.WEIGHT):
            continue
        scale = questionnaire.scale_of(item)
        if item.type is ItemType.SELECT_ONE and item.scale == "impact":
            target = target_of(item, plan, referential, wave)
            alpha = _intercept(target.share, population_cells or [(1.0, 0.0)])
            columns[item.name] = _answers(rng, expit(alpha + row_effect))
            targets[item.name] = target
        elif item.type is ItemType.SELECT_ONE and scale is not None:
            codes = scale.codes(missing=False)
            picked = rng.integers(0, len(codes), n)
            numeric = all(isinstance(c, int) for c in codes)
            columns[item.name] = (np.array(codes) if numeric else np.array(codes, dtype=str))[
                picked
            ]
        elif item.type is ItemType.SELECT_MULTIPLE and scale is not None:
            for code in scale.codes(missing=False):
                columns[f"{item.name}.{code}"] = (rng.random(n) < 0.35).astype(np.int64)
        elif item.type is ItemType.INTEGER:
            columns[item.name] = rng.poisson(4, n)
    return pl.DataFrame(columns), targets
