"""Write the fixture study ``hand-study/``: a definition, a questionnaire, margins and two waves.

Run from the repository root (it only writes under ``tests/study/data/hand-study/``)::

    .venv/bin/python tests/study/data/make_study_data.py

The data are synthetic and seeded: rerunning the script rewrites the same files. One population
(« habitants », the adult residents of a fictional territory), two waves delivered as pollsters
deliver them:

* 2023, SPSS (``.sav``): codes with value labels, 9 (« ne sait pas ») declared user-missing;
* 2024, French CSV (``;``, Windows-1252): answers written as their French labels, the weight
  with a decimal comma, numeric codes only for the stratum.

Both samples over-represent women and people aged 65 and over relative to the margins, and the
answers depend on sex and age, so raking each wave to the margins moves the estimates. The
segment ``taille_commune`` is not a weighting variable: its largest towns (code 4) have only 8
respondents in 2024 (their estimates must be suppressed) and medium towns (code 3) only 20 (their
estimates are fragile). ``q_nb_partenariats`` is a count from 0 to 10 where 9 is a genuine answer,
not a missing code, and some cells are empty.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
import pyreadstat
from numpy.typing import NDArray

HERE = Path(__file__).resolve().parent
STUDY = HERE / "hand-study"
SEED = 20240314

#: The population's margins (shares), and its size: adults living in the territory.
MARGINS = {
    "sexe": {"F": 0.525, "M": 0.475},
    "age": {"18-34": 0.27, "35-64": 0.48, "65+": 0.25},
}
POPULATION_TOTAL = 612_000

SEXE = {"F": "Femme", "M": "Homme"}
AGE = {"18-34": "18 à 34 ans", "35-64": "35 à 64 ans", "65+": "65 ans et plus"}
STRATE = {1: "Nord", 2: "Centre", 3: "Sud"}
TAILLE = {
    1: "Commune rurale",
    2: "Petite ville (moins de 10 000 habitants)",
    3: "Ville moyenne (10 000 à 49 999 habitants)",
    4: "Grande ville (50 000 habitants et plus)",
}
CONFIANCE = {
    1: "Tout à fait confiance",
    2: "Plutôt confiance",
    3: "Plutôt pas confiance",
    4: "Pas du tout confiance",
    9: "Ne sait pas",
}
IMPACT = {1: "Très fort", 2: "Fort", 3: "Faible", 4: "Nul", 9: "Ne sait pas"}


@dataclass(frozen=True)
class WavePlan:
    """One wave's sample: its size, its biased shares of sex and age, its towns' exact counts."""

    n: int
    sexe: dict[str, float]
    age: dict[str, float]
    taille: dict[int, int]
    prefix: str


WAVES = {
    "2023": WavePlan(
        n=400,
        sexe={"F": 0.60, "M": 0.40},
        age={"18-34": 0.16, "35-64": 0.44, "65+": 0.40},
        taille={1: 200, 2: 151, 3: 35, 4: 14},
        prefix="H23",
    ),
    "2024": WavePlan(
        n=350,
        sexe={"F": 0.58, "M": 0.42},
        age={"18-34": 0.18, "35-64": 0.45, "65+": 0.37},
        taille={1: 170, 2: 152, 3: 20, 4: 8},
        prefix="H24",
    ),
}
#: Sampling: share of the sample in each stratum, and the stratum's base weight.
STRATA = {1: (0.40, 0.75), 2: (0.35, 1.05), 3: (0.25, 1.55)}


def simulate(rng: np.random.Generator, wave: str) -> pl.DataFrame:
    """One wave's respondents, with codes (9 for « ne sait pas », null for no answer)."""
    plan = WAVES[wave]
    n = plan.n
    sexe = _draw(rng, plan.sexe, n)
    age = _draw(rng, plan.age, n)
    strate = _draw(rng, {str(s): share for s, (share, _) in STRATA.items()}, n).astype(np.int64)
    taille = rng.permutation(np.repeat(list(plan.taille), list(plan.taille.values())))
    factor = np.array([STRATA[int(s)][1] for s in strate])
    poids = np.clip(np.round(factor * rng.uniform(0.8, 1.2, size=n), 4), 0.5, 2.0)
    # Lower latent values give the lower codes (« tout à fait confiance », « très fort »).
    older = (age == "65+").astype(float)
    younger = (age == "18-34").astype(float)
    woman = (sexe == "F").astype(float)
    shift = 0.15 if wave == "2024" else 0.0
    confiance = _likert(
        rng, -0.2 - 0.7 * older + 0.5 * younger - 0.25 * woman + 0.3 * (taille == 4) - shift
    )
    impact = _likert(rng, 0.1 + 0.5 * older - 0.4 * younger - 0.1 * woman + shift)
    counts = rng.poisson(2.2 + 2.0 * older + 1.2 * woman + 0.6 * (strate == 3))
    partenariats = np.minimum(counts, 10).astype(float)
    partenariats[rng.random(n) < 0.05] = np.nan
    return pl.DataFrame(
        {
            "id_repondant": [f"{plan.prefix}-{i:04d}" for i in range(1, n + 1)],
            "sexe": sexe.tolist(),
            "age": age.tolist(),
            "strate": strate.astype(np.int64),
            "taille_commune": taille.astype(np.int64),
            "poids": poids,
            "q_confiance": confiance,
            "q_impact": impact,
            "q_nb_partenariats": partenariats,
        }
    ).with_columns(pl.col("q_nb_partenariats").fill_nan(None))


def _draw(rng: np.random.Generator, shares: dict[str, float], n: int) -> NDArray[np.str_]:
    """``n`` answers drawn with these shares."""
    return np.asarray(rng.choice(np.array(list(shares)), size=n, p=list(shares.values())))


def _likert(rng: np.random.Generator, location: NDArray[np.float64]) -> NDArray[np.int64]:
    """Codes 1–4 cut from a noisy latent value; about 5 % « ne sait pas » (9)."""
    latent = location + rng.normal(0.0, 1.0, size=location.shape)
    codes = np.digitize(latent, [-0.9, 0.2, 1.2]) + 1
    codes[rng.random(location.shape) < 0.05] = 9
    return codes.astype(np.int64)


def check_groups(frame: pl.DataFrame) -> None:
    """Every group of every segment has both kinds of answers to every share's item.

    A group where no one (or everyone) answered 1 or 2 has a share of 0 (or 1), whose logit
    interval R cannot give; the fixture avoids that edge so every reference row is complete.
    """
    for item in ("q_confiance", "q_impact"):
        answered = frame.filter(pl.col(item) != 9)
        for segment in ("sexe", "age", "taille_commune"):
            shares = answered.group_by(segment).agg(pl.col(item).is_in([1, 2]).mean())[item]
            if not ((shares > 0) & (shares < 1)).all():
                raise SystemExit(f"seed {SEED}: a group of {segment} has a degenerate {item}")


def write_sav(frame: pl.DataFrame, path: Path) -> None:
    """SPSS as a pollster delivers it: value labels, 9 declared user-missing."""
    labels = {
        "strate": STRATE,
        "taille_commune": TAILLE,
        "q_confiance": CONFIANCE,
        "q_impact": IMPACT,
    }
    pyreadstat.write_sav(
        frame.with_columns(pl.col(name).cast(pl.Float64) for name in labels),
        str(path),
        column_labels={
            "id_repondant": "Identifiant du répondant",
            "sexe": "Sexe",
            "age": "Âge",
            "strate": "Strate de tirage",
            "taille_commune": "Taille de la commune de résidence",
            "poids": "Poids de sondage",
            "q_confiance": "Confiance dans les alliances locales",
            "q_impact": "Impact des alliances sur le territoire",
            "q_nb_partenariats": "Nombre de partenariats connus",
        },
        variable_value_labels={
            name: {float(code): text for code, text in scale.items()}
            for name, scale in labels.items()
        },
        missing_ranges={"q_confiance": [9.0], "q_impact": [9.0]},
    )


def write_french_csv(frame: pl.DataFrame, path: Path) -> None:
    """French CSV: « ; », Windows-1252, answers as French labels, the weight with a comma."""
    worded = frame.with_columns(
        pl.col("sexe").replace_strict(SEXE, return_dtype=pl.String),
        pl.col("age").replace_strict(AGE, return_dtype=pl.String),
        pl.col("taille_commune").replace_strict(TAILLE, return_dtype=pl.String),
        pl.col("q_confiance").replace_strict(CONFIANCE, return_dtype=pl.String),
        pl.col("q_impact").replace_strict(IMPACT, return_dtype=pl.String),
        pl.col("poids").map_elements(
            lambda w: f"{w:.4f}".replace(".", ","), return_dtype=pl.String
        ),
        pl.col("q_nb_partenariats").cast(pl.Int64),
    )
    path.write_bytes(worded.write_csv(separator=";", line_terminator="\r\n").encode("cp1252"))


def main() -> None:
    rng = np.random.default_rng(SEED)
    if STUDY.exists():
        shutil.rmtree(STUDY)
    for folder in ("questionnaires", "margins", "data"):
        (STUDY / folder).mkdir(parents=True)
    (STUDY / "study.yaml").write_text(STUDY_YAML, encoding="utf-8")
    (STUDY / "questionnaires" / "habitants.yaml").write_text(QUESTIONNAIRE_YAML, encoding="utf-8")
    margins = {**MARGINS, "population_total": POPULATION_TOTAL}
    (STUDY / "margins" / "habitants.json").write_text(
        json.dumps(margins, indent=2) + "\n", encoding="utf-8"
    )
    first, second = simulate(rng, "2023"), simulate(rng, "2024")
    check_groups(first)
    check_groups(second)
    write_sav(first, STUDY / "data" / "habitants-2023.sav")
    write_french_csv(second, STUDY / "data" / "habitants-2024.csv")


STUDY_YAML = """\
# A small synthetic study used by tests/study/test_reference_r.py, written by make_study_data.py
# (do not edit by hand: rerun the script). Every path is relative to this file's folder.

# The study's code: lower-case letters, digits and hyphens.
study: barometre-test
# Its title, in French and English.
title:
  fr: "Baromètre de test des alliances locales"
  en: "Test barometer of local alliances"
# These data are synthetic: outputs must say so.
synthetic: true
# Estimates on fewer respondents than this are suppressed (the default, stated for the test).
suppress_below: 10
populations:
  # The population's code, and its label in both languages.
  - population: habitants
    label: {fr: "Habitants", en: "Residents"}
    # The questionnaire the waves are validated against (our questionnaire YAML).
    questionnaire: questionnaires/habitants.yaml
    # Weighting targets: {"VAR": {"LEVEL": share}, "population_total": N}; each wave is raked
    # to them on its own rows.
    margins: margins/habitants.json
    # The sampling design, as R's svydesign(ids = ~1, strata = ~strate, weights = ~poids):
    # keys weights, strata, psu, fpc, nest (all optional).
    design: {weights: poids, strata: strate}
    # The waves: one delivered file each, weighted separately.
    waves:
      # SPSS file: value labels, 9 (« ne sait pas ») declared user-missing.
      - wave: "2023"
        file: data/habitants-2023.sav
        fieldwork: {start: 2023-03-06, end: 2023-03-17}
        mode: {fr: "en ligne", en: "online"}
      # French CSV: « ; », Windows-1252, answers as French labels, decimal comma.
      - wave: "2024"
        file: data/habitants-2024.csv
        fieldwork: {start: 2024-03-04, end: 2024-03-15}
        mode: {fr: "téléphone", en: "telephone"}
    # Shares to estimate: answers to the item in these codes (1 and 2: the two positive
    # answers), among those who answered (« ne sait pas » is out of the base).
    shares:
      - {item: q_confiance, codes: [1, 2]}
      - {item: q_impact, codes: [1, 2]}
    # Means to estimate, among those who answered.
    means: [q_nb_partenariats]
    # Every estimate is also given by each group of these variables.
    segments: [sexe, age, taille_commune]
    # Figures already published, set beside their reproduction (fictional here).
    published:
      - {item: q_confiance, wave: "2024", value: 0.56, source: "Baromètre fictif 2024, p. 3"}
"""

QUESTIONNAIRE_YAML = """\
# Questionnaire of the fixture study (tests/study/data/hand-study), written by
# make_study_data.py. Synthetic: the questions are invented for the tests.
questionnaire: habitants
version: "2023.1"
population: habitants
title:
  fr: Baromètre de test des alliances locales (habitants)
  en: Test barometer of local alliances (residents)
synthetic: true
sources: [synthetic]
scales:
  - name: sexe
    choices:
      - {code: F, label: {fr: Femme, en: Woman}}
      - {code: M, label: {fr: Homme, en: Man}}
  - name: age
    choices:
      - {code: 18-34, label: {fr: 18 à 34 ans, en: 18 to 34}}
      - {code: 35-64, label: {fr: 35 à 64 ans, en: 35 to 64}}
      - {code: 65+, label: {fr: 65 ans et plus, en: 65 and over}}
  - name: strate
    choices:
      - {code: 1, label: {fr: Nord, en: North}}
      - {code: 2, label: {fr: Centre, en: Centre}}
      - {code: 3, label: {fr: Sud, en: South}}
  - name: taille_commune
    choices:
      - {code: 1, label: {fr: Commune rurale, en: Rural municipality}}
      - code: 2
        label:
          fr: Petite ville (moins de 10 000 habitants)
          en: Small town (under 10,000 inhabitants)
      - code: 3
        label:
          fr: Ville moyenne (10 000 à 49 999 habitants)
          en: Medium town (10,000 to 49,999 inhabitants)
      - code: 4
        label:
          fr: Grande ville (50 000 habitants et plus)
          en: Large town (50,000 inhabitants or more)
  - name: confiance
    choices:
      - {code: 1, label: {fr: Tout à fait confiance, en: Complete trust}}
      - {code: 2, label: {fr: Plutôt confiance, en: Some trust}}
      - {code: 3, label: {fr: Plutôt pas confiance, en: Little trust}}
      - {code: 4, label: {fr: Pas du tout confiance, en: No trust at all}}
      - {code: 9, label: {fr: Ne sait pas, en: Does not know}, missing: true}
  - name: impact
    choices:
      - {code: 1, label: {fr: Très fort, en: Very strong}}
      - {code: 2, label: {fr: Fort, en: Strong}}
      - {code: 3, label: {fr: Faible, en: Weak}}
      - {code: 4, label: {fr: Nul, en: None at all}}
      - {code: 9, label: {fr: Ne sait pas, en: Does not know}, missing: true}
items:
  - name: id_repondant
    type: text
    label: {fr: Identifiant du répondant, en: Respondent identifier}
    required: true
    role: id
  - name: poids
    type: decimal
    label: {fr: Poids de sondage, en: Design weight}
    role: weight
  - name: sexe
    type: select_one
    scale: sexe
    label: {fr: Sexe, en: Sex}
    required: true
    role: quota
  - name: age
    type: select_one
    scale: age
    label: {fr: Âge, en: Age}
    required: true
    role: quota
  - name: strate
    type: select_one
    scale: strate
    label: {fr: Strate de tirage, en: Sampling stratum}
    required: true
  - name: taille_commune
    type: select_one
    scale: taille_commune
    label: {fr: Taille de la commune de résidence, en: Size of the municipality of residence}
    required: true
  - name: q_confiance
    type: select_one
    scale: confiance
    label:
      fr: >-
        Faites-vous confiance aux alliances entre associations, entreprises et collectivités
        de votre territoire ?
      en: >-
        Do you trust the alliances between associations, companies and local authorities
        of your area?
    required: true
  - name: q_impact
    type: select_one
    scale: impact
    label:
      fr: Quel est selon vous l'impact de ces alliances sur votre territoire ?
      en: In your view, what is the impact of these alliances on your area?
    required: true
  - name: q_nb_partenariats
    type: integer
    label:
      fr: Combien de partenariats entre acteurs de votre commune connaissez-vous (0 à 10) ?
      en: How many partnerships between actors of your municipality do you know of (0 to 10)?
"""


if __name__ == "__main__":
    main()
