"""``alliance study run`` timed step by step: the demo study, and one wave of 1,000,000 respondents.

For each study the time of every step (read, check, weight, estimate, charts, PDF, write) is
printed with the step that dominates. For the 1M study, the estimates step is compared with the
engine alone doing the same estimates on the same raked design (the goal: within 2×), so the
study layer's own cost is visible.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl
import yaml

from alliance.demo.delivery import deliver_study
from alliance.study.check import prepare_study
from alliance.study.pipeline import run_study_file
from alliance.study.run import run_study
from alliance.study.stopwatch import STEPS, Stopwatch
from alliance.survey import mean, share

__all__ = ["main"]

MILLION = 1_000_000
ITEMS = [f"q{i}" for i in range(1, 11)]


def _print_steps(title: str, clock: Stopwatch, total: float) -> None:
    print(title)
    for step in STEPS:
        if step in clock.seconds:
            seconds = clock.seconds[step]
            print(f"  {step:<10} {seconds:>8.2f} s  {seconds / total:>6.1%}")
    print(f"  {'total':<10} {total:>8.2f} s   dominant step: {clock.slowest()}")


def _million_study(folder: Path) -> Path:
    """One population, one wave of 1M respondents (Parquet), 10 shares, a mean, 2 segments."""
    rng = np.random.default_rng(7)
    n = MILLION
    sexe = rng.choice(["F", "M"], n, p=[0.58, 0.42])
    age = rng.choice(["18-34", "35-64", "65+"], n, p=[0.2, 0.45, 0.35])
    columns: dict[str, object] = {
        "id": np.arange(n),
        "strate": rng.integers(1, 11, n),
        "sexe": sexe,
        "age": age,
        "q_nb": rng.poisson(3, n),
    }
    for item in ITEMS:
        codes = rng.choice([1, 2, 3, 4, 9], n, p=[0.2, 0.35, 0.25, 0.15, 0.05])
        columns[item] = codes
    (folder / "data").mkdir(parents=True)
    pl.DataFrame(columns).write_parquet(folder / "data" / "wave.parquet")
    scale = {
        "name": "impact",
        "choices": [
            {"code": c, "label": {"fr": t, "en": t}, **({"missing": True} if c == 9 else {})}
            for c, t in [(1, "1"), (2, "2"), (3, "3"), (4, "4"), (9, "NSP")]
        ],
    }
    questionnaire = {
        "questionnaire": "million",
        "version": "1",
        "population": "million",
        "title": {"fr": "Un million", "en": "One million"},
        "synthetic": True,
        "scales": [
            scale,
            {"name": "sexe", "choices": [{"code": c, "label": {"fr": c, "en": c}} for c in "FM"]},
            {
                "name": "age",
                "choices": [
                    {"code": c, "label": {"fr": c, "en": c}} for c in ("18-34", "35-64", "65+")
                ],
            },
        ],
        "items": [
            {"name": "id", "type": "integer", "label": {"fr": "id", "en": "id"}, "role": "id"},
            {"name": "strate", "type": "integer", "label": {"fr": "strate", "en": "stratum"}},
            {
                "name": "sexe",
                "type": "select_one",
                "scale": "sexe",
                "label": {"fr": "s", "en": "s"},
            },
            {"name": "age", "type": "select_one", "scale": "age", "label": {"fr": "a", "en": "a"}},
            {"name": "q_nb", "type": "integer", "label": {"fr": "nb", "en": "nb"}},
            *(
                {"name": i, "type": "select_one", "scale": "impact", "label": {"fr": i, "en": i}}
                for i in ITEMS
            ),
        ],
    }
    (folder / "questionnaire.yaml").write_text(yaml.safe_dump(questionnaire), encoding="utf-8")
    margins = {"sexe": {"F": 0.52, "M": 0.48}, "age": {"18-34": 0.27, "35-64": 0.48, "65+": 0.25}}
    (folder / "margins.json").write_text(json.dumps(margins), encoding="utf-8")
    study = {
        "study": "million",
        "title": {"fr": "Un million de répondants", "en": "One million respondents"},
        "synthetic": True,
        "populations": [
            {
                "population": "million",
                "label": {"fr": "Million", "en": "Million"},
                "questionnaire": "questionnaire.yaml",
                "margins": "margins.json",
                "design": {"strata": "strate"},
                "waves": [{"wave": "2025", "file": "data/wave.parquet"}],
                "shares": [{"item": i, "codes": [1, 2]} for i in ITEMS],
                "means": ["q_nb"],
                "segments": ["sexe", "age"],
            }
        ],
    }
    path = folder / "study.yaml"
    path.write_text(yaml.safe_dump(study, allow_unicode=True), encoding="utf-8")
    return path


def _engine_alone(path: Path) -> float:
    """The same estimates as the run's, called directly on the run's raked design."""
    run = run_study(prepare_study(path))
    design = run.populations[0].weightings[0].design
    started = time.perf_counter()
    for item in ITEMS:
        for by in (None, "sexe", "age"):
            share(design, item, [1, 2], by=by)
    for by in (None, "sexe", "age"):
        mean(design, "q_nb", by=by)
    return time.perf_counter() - started


def main() -> int:
    """Time both studies and print the steps."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        clock = Stopwatch()
        started = time.perf_counter()
        run_study_file(deliver_study(root / "demo"), root / "demo-out", "fr", stopwatch=clock)
        _print_steps(
            "alliance study run — demo study (5 populations × 2 waves)",
            clock,
            time.perf_counter() - started,
        )
        path = _million_study(root / "million")
        clock = Stopwatch()
        started = time.perf_counter()
        run_study_file(path, root / "million-out", "fr", stopwatch=clock)
        _print_steps(
            "alliance study run — one wave of 1,000,000 respondents",
            clock,
            time.perf_counter() - started,
        )
        alone = _engine_alone(path)
        ratio = clock.seconds["estimate"] / alone
        print(
            f"  estimate step {clock.seconds['estimate']:.2f} s vs engine alone {alone:.2f} s: "
            f"{ratio:.2f}× (goal ≤ 2×)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
