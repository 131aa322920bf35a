"""The survey benchmark job with samplics (run by ``benchmarks/survey_bench.py`` in its own venv).

Usage: python samplics_job.py DATA.parquet MARGINS.json
Prints one JSON line: seconds (reading excluded) and peak memory. samplics treats raked weights as
fixed in its standard errors; it is timed on the same work, not on the same formulas.
"""

import json
import resource
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import polars as pl

warnings.simplefilter("ignore")
import samplics  # noqa: E402

data, margins_path = sys.argv[1], sys.argv[2]
frame = pl.read_parquet(data)
margins = json.loads(Path(margins_path).read_text(encoding="utf-8"))
items = [c for c in frame.columns if c.startswith("q")]

start = time.perf_counter()
weights = frame["base_weight"].to_numpy()
total = weights.sum()
control = {v: {k: p * total for k, p in targets.items()} for v, targets in margins.items()}
columns = {v: frame[v].to_numpy() for v in margins}
raked = samplics.SampleWeight().rake(
    samp_weight=weights, margins=columns, control=control, tol=1e-10, max_iter=1000
)
stratum, psu, region = (frame[c].to_numpy() for c in ("stratum", "psu", "region"))
for item in items:
    answers = frame[item].to_numpy(allow_copy=True).astype(float)
    answered = ~np.isnan(answers)
    top2 = np.isin(answers, [1, 2]).astype(float)
    for domain in (None, region[answered]):
        estimator = samplics.TaylorEstimator(samplics.PopParam.prop, ciprop_method="logit")
        estimator.estimate(
            y=top2[answered],
            samp_weight=raked[answered],
            stratum=stratum[answered],
            psu=psu[answered],
            domain=domain,
        )
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak}))
