"""``alliance study init``: a commented, working example study to start from.

The definition, questionnaire and margins are the files in ``example/`` (read them: they are
commented). The two waves are drawn here, seeded, so that they differ from the population the
way a real quota sample does and weighting has something to correct; one is delivered as SPSS,
the other as a French CSV (« ; », Windows-1252, decimal comma, answers as labels), the two
formats analysts receive most. Everything is synthetic and the definition says so.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import polars as pl

from alliance.errors import DataFileError, Location

__all__ = ["EXAMPLE_DIR", "write_example"]

EXAMPLE_DIR = Path(__file__).parent / "example"
#: Labels of the impact scale, as the French CSV writes the answers.
IMPACT_LABELS = {1: "Très fort", 2: "Fort", 3: "Faible", 4: "Nul", 9: "Ne sait pas"}


def _wave(seed: int, n: int, shift: float) -> pl.DataFrame:
    """Draw one wave: women and older people over-represented, as in many quota samples."""
    rng = np.random.default_rng(seed)
    sexe = rng.choice(["F", "M"], n, p=[0.6, 0.4])
    age = rng.choice(["18-34", "35-64", "65+"], n, p=[0.18, 0.47, 0.35])
    strate = rng.choice([1, 2], n, p=[0.55, 0.45])
    older = (age == "65+").astype(float)
    p_top = np.clip(0.55 + shift - 0.15 * older + 0.05 * (sexe == "F"), 0.05, 0.95)

    def answers(p: np.ndarray) -> np.ndarray:
        top = rng.random(n) < p
        codes = np.where(top, rng.choice([1, 2], n), rng.choice([3, 4], n))
        codes[rng.random(n) < 0.05] = 9
        return codes

    counts = rng.poisson(3, n).astype(float)
    counts[rng.random(n) < 0.04] = np.nan
    return pl.DataFrame(
        {
            "id": [f"R{seed}-{i:04d}" for i in range(n)],
            "poids": np.round(np.where(strate == 1, 0.9, 1.15) * rng.uniform(0.8, 1.2, n), 4),
            "sexe": sexe,
            "age": age,
            "strate": strate,
            "q_impact_territoire": answers(p_top),
            "q_confiance": answers(p_top - 0.1),
            "q_nb_partenariats": counts,
        }
    )


def _write_sav(frame: pl.DataFrame, path: Path) -> None:
    import pyreadstat

    labels = {float(code): text for code, text in IMPACT_LABELS.items()}
    pyreadstat.write_sav(
        frame,
        str(path),
        variable_value_labels={"q_impact_territoire": labels, "q_confiance": labels},
        missing_ranges={"q_impact_territoire": [9.0], "q_confiance": [9.0]},
    )


def _write_french_csv(frame: pl.DataFrame, path: Path) -> None:
    worded = frame.with_columns(
        *(
            pl.col(name).replace_strict(
                list(IMPACT_LABELS), list(IMPACT_LABELS.values()), return_dtype=pl.String
            )
            for name in ("q_impact_territoire", "q_confiance")
        ),
        pl.col("poids").cast(pl.String).str.replace(".", ",", literal=True),
        pl.col("q_nb_partenariats").fill_nan(None).cast(pl.Int64),
    )
    path.write_bytes(worded.write_csv(separator=";").encode("cp1252"))


def write_example(folder: Path) -> list[Path]:
    """Write the example study into ``folder`` (new or empty); return the files written."""
    if folder.exists() and any(folder.iterdir()):
        raise DataFileError("study.folder_not_empty", Location(file=str(folder)), folder=folder)
    staging = folder.with_name(f".{folder.name}.init")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        shutil.copytree(EXAMPLE_DIR, staging)
        (staging / "data").mkdir()
        _write_sav(_wave(2024, 400, 0.0), staging / "data" / "habitants-2024.sav")
        _write_french_csv(_wave(2025, 380, 0.06), staging / "data" / "habitants-2025.csv")
        if folder.exists():
            folder.rmdir()
        staging.rename(folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sorted(path for path in folder.rglob("*") if path.is_file())
