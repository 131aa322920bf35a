"""The fast path for designs whose PSUs are single rows: the general path's answers, cheaper."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from alliance.survey import Design, mean, rake, share, trim
from alliance.survey.estimate import linearise
from alliance.survey.singletons import applies, degrees_of_freedom, ratio

pytestmark = pytest.mark.unit


def frame(n: int = 3000, seed: int = 5) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    answers = rng.choice([1.0, 2.0, 3.0, 4.0, np.nan], n, p=[0.3, 0.3, 0.2, 0.15, 0.05])
    return pl.DataFrame(
        {
            "h": rng.integers(0, 4, n),
            "w": rng.uniform(0.5, 2.0, n),
            "sex": rng.choice(["F", "M"], n),
            "age": rng.choice(["young", "middle", "old"], n, p=[0.2, 0.5, 0.3]),
            "q": answers,
            "x": rng.poisson(3, n).astype(float),
        }
    )


def raked() -> Design:
    design = Design.from_frame(frame(), weights="w", strata="h")
    targets = {"sex": {"F": 0.52, "M": 0.48}, "age": {"young": 0.25, "middle": 0.45, "old": 0.3}}
    return rake(design, targets, population_total=100_000)[0]


def test_it_applies_to_row_psus_raked_or_not_but_not_to_clusters_or_trimmed_weights():
    plain = Design.from_frame(frame(), weights="w", strata="h")
    clustered = Design.from_frame(frame().with_row_index("id"), weights="w", psu="h")

    assert applies(plain)
    assert applies(raked())
    assert not applies(clustered)
    assert not applies(trim(raked(), upper=1.5))


@pytest.mark.parametrize("binary", [True, False])
def test_its_variances_are_the_general_paths(binary):
    design = raked()
    values = design.series("q").fill_nan(None)
    answered = values.is_not_null().to_numpy()
    y = (
        values.is_in([1.0, 2.0]).fill_null(False).to_numpy().astype(float)
        if binary
        else values.fill_null(0.0).to_numpy()
    )
    domains = design.domains(answered, "age")

    fast = ratio(design, y, domains, binary=binary)
    general = linearise(design, "q", y, domains, binary=binary)
    variances = design.variance_of_sums(general.influence, general.cell_influence)

    assert fast is not None
    assert fast.variances is not None
    np.testing.assert_allclose(fast.variances, variances, rtol=1e-10)


def test_degrees_of_freedom_are_rows_minus_strata_in_each_domain():
    design = Design.from_frame(frame(), weights="w", strata="h")
    domains = design.domains(np.ones(len(design), dtype=bool), "sex")

    rows_by_sex = frame().group_by("sex").agg(pl.len(), pl.col("h").n_unique()).sort("sex")
    expected = (rows_by_sex["len"] - rows_by_sex["h"]).to_list()
    assert degrees_of_freedom(design, domains).tolist() == expected


def test_estimators_give_the_same_answers_through_either_path(monkeypatch):
    design = raked()
    fast = [*share(design, "q", [1, 2], by="sex"), *mean(design, "x", by="age")]

    monkeypatch.setattr(Design, "rows_are_psus", property(lambda self: False))
    slow_design = raked()
    general = [*share(slow_design, "q", [1, 2], by="sex"), *mean(slow_design, "x", by="age")]

    for quick, reference in zip(fast, general, strict=True):
        assert quick.estimate == pytest.approx(reference.estimate, rel=1e-12)
        assert quick.se == pytest.approx(reference.se, rel=1e-10)
        assert (quick.n, quick.df) == (reference.n, reference.df)
