"""The survey benchmark job with svy, samplics' successor (run in its own venv).

Usage: python svy_job.py DATA.parquet MARGINS.json
Prints one JSON line: seconds (reading excluded) and peak memory.
"""

import json
import resource
import sys
import time
import warnings
from pathlib import Path

import polars as pl

warnings.simplefilter("ignore")
import svy  # noqa: E402

data, margins_path = sys.argv[1], sys.argv[2]
frame = pl.read_parquet(data)
margins = json.loads(Path(margins_path).read_text(encoding="utf-8"))
items = [c for c in frame.columns if c.startswith("q")]

start = time.perf_counter()
frame = frame.with_columns(
    [
        pl.when(pl.col(item).is_null())
        .then(None)
        .otherwise(pl.col(item).is_in([1, 2]))
        .cast(pl.Int8)
        .alias(f"top2_{item}")
        for item in items
    ]
)
sample = svy.Sample(frame, svy.Design(stratum="stratum", psu="psu", wgt="base_weight"))
sample = sample.weighting.rake(shares=margins, tol=1e-10, max_iter=1000)
for item in items:
    sample.estimation.prop(f"top2_{item}", ci_method="logit", drop_nulls=True)
    sample.estimation.prop(f"top2_{item}", by="region", ci_method="logit", drop_nulls=True)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak}))
