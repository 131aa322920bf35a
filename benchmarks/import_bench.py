"""Import benchmark: a 1M-row × 30-column survey file read and checked against its questionnaire.

Ours is the whole import: reading (with detection of encoding, separator and decimal comma for
CSV; labels and missing codes for SPSS) and checking every row against the questionnaire. The
references read the same file and do nothing else: Polars' ``read_csv`` (told the separator and
decimal mark) and pyreadstat's ``read_sav``. Goal: within 2× of them.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl
import pyreadstat

from alliance.survey.io import read_responses
from alliance.survey.questionnaire import Questionnaire
from alliance.survey.validation import check_responses

CACHE = Path(__file__).resolve().parent.parent / ".bench-cache"
ROWS = 1_000_000
ITEMS = 23  # + id, weight, sex, age, region, size, occupation = 30 columns


def questionnaire() -> Questionnaire:
    """The benchmark's questionnaire: quotas and 23 four-point items with « ne sait pas »."""
    impact = [{"code": c, "label": {"fr": f"c{c}", "en": f"c{c}"}} for c in (1, 2, 3, 4)]
    impact.append({"code": 9, "label": {"fr": "NSP", "en": "DK"}, "missing": True})

    def scale(name: str, codes: list[str]) -> dict[str, object]:
        return {"name": name, "choices": [{"code": c, "label": {"fr": c, "en": c}} for c in codes]}

    def select(name: str, scale_name: str) -> dict[str, object]:
        label = {"fr": name, "en": name}
        return {"name": name, "type": "select_one", "scale": scale_name, "label": label}

    return Questionnaire.model_validate(
        {
            "questionnaire": "bench",
            "version": "1",
            "population": "bench",
            "title": {"fr": "Banc d'essai", "en": "Benchmark"},
            "scales": [
                {"name": "impact", "choices": impact},
                scale("sex", ["F", "M"]),
                scale("age", ["18-24", "25-34", "35-49", "50-64", "65+"]),
                scale("region", [f"R{i:02d}" for i in range(13)]),
                scale("size", ["rural", "small", "medium", "large"]),
                scale("occupation", ["a", "b", "c", "d", "e"]),
            ],
            "items": [
                {"name": "respondent_id", "type": "text", "label": {"fr": "id", "en": "id"},
                 "role": "id", "required": True},
                {"name": "weight", "type": "decimal", "label": {"fr": "poids", "en": "weight"},
                 "role": "weight"},
                *[select(name, name) for name in ("sex", "age", "region", "size", "occupation")],
                *[select(f"q{i}", "impact") for i in range(1, ITEMS + 1)],
            ],
        }
    )  # fmt: skip


def prepare(rows: int = ROWS) -> tuple[Path, Path]:
    """Write (once) the survey as a French CSV and as an SPSS file with labels and missing codes."""
    CACHE.mkdir(exist_ok=True)
    csv_path, sav_path = CACHE / f"import-{rows}.csv", CACHE / f"import-{rows}.sav"
    if csv_path.exists() and sav_path.exists():
        return csv_path, sav_path
    rng = np.random.default_rng(5)
    columns: dict[str, object] = {
        "respondent_id": [f"R{i:07d}" for i in range(rows)],
        "weight": np.round(rng.uniform(0.3, 3.0, rows), 4),
        "sex": rng.choice(["F", "M"], rows),
        "age": rng.choice(["18-24", "25-34", "35-49", "50-64", "65+"], rows),
        "region": rng.choice([f"R{i:02d}" for i in range(13)], rows),
        "size": rng.choice(["rural", "small", "medium", "large"], rows),
        "occupation": rng.choice(["a", "b", "c", "d", "e"], rows),
    }
    for i in range(1, ITEMS + 1):
        columns[f"q{i}"] = rng.choice([1, 2, 3, 4, 9], rows, p=[0.2, 0.3, 0.3, 0.15, 0.05])
    frame = pl.DataFrame(columns)
    french = frame.with_columns(
        pl.col("weight").cast(pl.String).str.replace(".", ",", literal=True)
    )
    french.write_csv(csv_path, separator=";")
    labels = {f"q{i}": {1: "Très fort", 2: "Fort", 3: "Faible", 4: "Nul", 9: "NSP"}
              for i in range(1, ITEMS + 1)}  # fmt: skip
    pyreadstat.write_sav(
        frame,
        str(sav_path),
        variable_value_labels=labels,  # type: ignore[arg-type]
        missing_ranges={f"q{i}": [9] for i in range(1, ITEMS + 1)},
    )
    return csv_path, sav_path


def seconds(function: Callable[[], object], repeat: int = 3) -> float:
    """Best wall time of ``repeat`` runs."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def main(rows: int = ROWS) -> int:
    """Print our import time against the plain readers, for CSV and SPSS."""
    csv_path, sav_path = prepare(rows)
    form = questionnaire()

    def ours(path: Path) -> Callable[[], object]:
        return lambda: check_responses(read_responses(path), form)

    cases = [
        ("CSV (;, decimal comma)", ours(csv_path), "polars.read_csv",
         lambda: pl.read_csv(csv_path, separator=";", decimal_comma=True)),
        ("SPSS .sav", ours(sav_path), "pyreadstat.read_sav",
         lambda: pyreadstat.read_sav(str(sav_path), output_format="polars", user_missing=True)),
    ]  # fmt: skip
    print(f"import of {rows:,} rows × 30 columns, read and checked against the questionnaire")
    print(f"{'file':<24} {'alliance':>10} {'reader alone':>13} {'ratio':>7}  reader")
    for name, our_job, reference_name, reference in cases:
        ours_time, reference_time = seconds(our_job), seconds(reference)
        print(
            f"{name:<24} {ours_time:>9.2f}s {reference_time:>12.2f}s "
            f"{ours_time / reference_time:>6.2f}x  {reference_name}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS))
