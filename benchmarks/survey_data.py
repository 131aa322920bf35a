"""Synthetic surveys for the survey benchmark: strata, PSUs, quota margins and 20 Likert items.

The sample is biased (young people and Île-de-France over-represented) so that raking has work to
do; answers depend on the PSU, age and sex so that design effects are not trivial.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from numpy.typing import NDArray

REGIONS = ["ARA", "BFC", "BRE", "CVL", "COR", "GES", "HDF", "IDF", "NOR", "NAQ", "OCC", "PDL"]
REGIONS += ["PAC"]
REGION_SHARES = [0.124, 0.042, 0.051, 0.038, 0.005, 0.082, 0.089, 0.186, 0.049, 0.091, 0.089]
REGION_SHARES += [0.058, 0.076]
AGES = ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"]
AGE_SHARES = [0.10, 0.15, 0.16, 0.17, 0.16, 0.26]
SIZES = ["rural", "small", "medium", "large"]
SIZE_SHARES = [0.33, 0.22, 0.25, 0.20]
ITEMS = [f"q{i}" for i in range(1, 21)]
STRATA = 10
ROWS_PER_PSU = 200


def _normalised(values: list[float]) -> NDArray[np.float64]:
    array = np.array(values, dtype=np.float64)
    normalised: NDArray[np.float64] = array / array.sum()
    return normalised


def margins() -> dict[str, dict[str, float]]:
    """Population margins (proportions) for sex, age, region and commune size."""
    return {
        "sex": {"F": 0.52, "M": 0.48},
        "age": dict(zip(AGES, _normalised(AGE_SHARES).tolist(), strict=True)),
        "region": dict(zip(REGIONS, _normalised(REGION_SHARES).tolist(), strict=True)),
        "size": dict(zip(SIZES, SIZE_SHARES, strict=True)),
    }


def synthetic_survey(n: int, seed: int = 17) -> pl.DataFrame:
    """Return ``n`` synthetic respondents (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    psus_per_stratum = max(2, n // ROWS_PER_PSU // STRATA)
    stratum = rng.integers(0, STRATA, n)
    psu = stratum * psus_per_stratum + rng.integers(0, psus_per_stratum, n)
    region_sample = _normalised(REGION_SHARES)
    region_sample[REGIONS.index("IDF")] = 0.28
    region = rng.choice(len(REGIONS), n, p=region_sample / region_sample.sum())
    age = rng.choice(len(AGES), n, p=_normalised([0.16, 0.20, 0.18, 0.16, 0.15, 0.15]))
    sex = rng.choice(2, n, p=[0.45, 0.55])
    psu_effect = rng.normal(0, 0.35, STRATA * psus_per_stratum)[psu]
    frame = {
        "stratum": stratum,
        "psu": psu,
        "sex": np.array(["F", "M"])[sex],
        "age": np.array(AGES)[age],
        "region": np.array(REGIONS)[region],
        "size": np.array(SIZES)[rng.choice(len(SIZES), n, p=SIZE_SHARES)],
        "base_weight": rng.uniform(0.8, 1.25, n),
    }
    columns: dict[str, object] = dict(frame)
    for i, item in enumerate(ITEMS):
        latent = (i % 7 - 3) * 0.1 + psu_effect + np.where(age >= 4, 0.5, -0.2) + 0.2 * (sex == 0)
        answer = np.digitize(-(latent + rng.normal(0, 1, n)), [-1.2, 0.0, 1.1]) + 1.0
        answer[rng.random(n) < 0.05] = np.nan
        columns[item] = answer
    return pl.DataFrame(columns).with_columns(pl.col(ITEMS).fill_nan(None).cast(pl.Int8))
