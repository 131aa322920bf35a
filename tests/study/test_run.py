"""Running a study: each wave raked on its own rows, estimates per wave and segment, comparisons."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from alliance.study.check import PreparedStudy, prepare_study
from alliance.study.run import StudyRun, run_study
from alliance.survey import Design, difference, independent_difference, mean, rake, share
from tests.study.conftest import edit

pytestmark = pytest.mark.unit

TOTAL = 612_000
TARGETS = {"sexe": {"F": 0.525, "M": 0.475}, "age": {"18-34": 0.27, "35-64": 0.48, "65+": 0.25}}
GROUPS = {
    "sexe": ["F", "M"],
    "age": ["18-34", "35-64", "65+"],
    "taille_commune": ["1", "2", "3", "4"],
}


def wave_design(run: StudyRun, wave: str) -> Design:
    """The wave's design rebuilt by hand from its own rows and raked to the margins."""
    prepared = next(w for w in run.populations[0].prepared.waves if w.wave == wave)
    design = Design.from_frame(prepared.frame, weights="poids", strata="strate")
    raked, _ = rake(design, TARGETS, population_total=TOTAL)
    return raked


def test_each_wave_is_raked_to_the_population_total_and_every_target(hand_run):
    (population,) = hand_run.populations

    assert [w.wave for w in population.weightings] == ["2023", "2024"]
    for weighting, wave in zip(population.weightings, population.prepared.waves, strict=True):
        assert len(weighting.design) == wave.frame.height  # its own rows, not the stacked waves
        assert weighting.design.weights.sum() == pytest.approx(TOTAL, rel=1e-12)
        for variable, targets in TARGETS.items():
            assert set(weighting.margins[variable]) == set(targets)
            values = weighting.design.frame[variable].cast(pl.String).to_numpy()
            for level, target in targets.items():
                weighted = weighting.design.weights[values == level].sum() / TOTAL
                assert weighted == pytest.approx(target, abs=1e-9)
                before, after, wanted = weighting.margins[variable][level]
                assert (after, wanted) == (pytest.approx(target, abs=1e-9), target)
                assert before == pytest.approx((values == level).mean())
        assert weighting.diagnostics.iterations >= 1
        assert weighting.design.history == (
            "design(weights=poids, strata=strate)",
            f"rake(sexe, age; {weighting.diagnostics.iterations} iterations)",
        )


def test_sample_shares_before_weighting(hand_run):
    margins = hand_run.populations[0].weightings[0].margins

    assert margins["sexe"]["F"][0] == 0.6125  # 245 women of 400 in the 2023 sample
    assert margins["age"]["65+"][0] == 0.4225


def test_estimates_per_wave_overall_and_by_segment(hand_run):
    results = hand_run.results

    expected: set[tuple[str, str, str | None, str | None]] = set()
    for wave in ("2023", "2024"):
        for variable in ("q_confiance", "q_impact", "q_nb_partenariats"):
            expected.add((wave, variable, None, None))
            for by, groups in GROUPS.items():
                expected |= {(wave, variable, by, group) for group in groups}
    found = [(r.wave, r.variable, r.by, r.group) for r in results.estimates]
    assert len(found) == len(expected) == 60
    assert set(found) == expected
    assert {r.statistic for r in results.estimates if r.variable == "q_nb_partenariats"} == {"mean"}
    assert {tuple(r.codes) for r in results.estimates if r.statistic == "share"} == {(1, 2)}


@pytest.mark.parametrize("wave", ["2023", "2024"])
def test_estimates_are_the_engine_s_on_the_wave_alone(hand_run, wave):
    design = wave_design(hand_run, wave)
    results = {(r.variable, r.by, r.group): r for r in hand_run.results.of("habitants", wave=wave)}
    for by in GROUPS:
        results |= {
            (r.variable, r.by, r.group): r
            for r in hand_run.results.of("habitants", wave=wave, by=by)
        }

    overall = share(design, "q_confiance", [1, 2])[0]
    result = results[("q_confiance", None, None)]
    assert (result.estimate, result.se, result.n) == (
        pytest.approx(overall.estimate, rel=1e-9),
        pytest.approx(overall.se, rel=1e-9),
        overall.n,
    )
    assert (result.ci_low, result.ci_high) == pytest.approx(overall.ci("logit"), rel=1e-9)
    for estimate in mean(design, "q_nb_partenariats", by="age"):
        result = results[("q_nb_partenariats", "age", str(estimate.group))]
        assert result.estimate == pytest.approx(estimate.estimate, rel=1e-9)
        assert (result.ci_low, result.ci_high) == pytest.approx(estimate.ci("normal"), rel=1e-9)


def test_small_groups_are_suppressed(hand_run):
    small = [r for r in hand_run.results.estimates if r.suppressed]

    assert {(r.wave, r.variable, r.by, r.group, r.n) for r in small} == {
        ("2024", "q_confiance", "taille_commune", "4", 7),
        ("2024", "q_impact", "taille_commune", "4", 7),
        ("2024", "q_nb_partenariats", "taille_commune", "4", 8),
    }
    assert all((r.estimate, r.se, r.ci_low, r.ci_high) == (None,) * 4 for r in small)


def test_comparisons_of_consecutive_waves_are_independent_samples(hand_run):
    results = hand_run.results
    overall = {(r.wave, r.variable): r for r in results.estimates if r.by is None}

    assert [(c.variable, c.statistic, c.first, c.second) for c in results.comparisons] == [
        ("q_confiance", "share", "2023", "2024"),
        ("q_impact", "share", "2023", "2024"),
        ("q_nb_partenariats", "mean", "2023", "2024"),
    ]
    for change in results.comparisons:
        first, second = overall[("2023", change.variable)], overall[("2024", change.variable)]
        assert first.se is not None
        assert second.se is not None
        assert change.first_estimate == first.estimate
        assert change.second_estimate == second.estimate
        assert change.difference == pytest.approx(second.estimate - first.estimate)
        assert change.se == pytest.approx(math.sqrt(first.se**2 + second.se**2), rel=1e-12)
        assert change.suppressed is False
        engine = [
            share(wave_design(hand_run, w), change.variable, [1, 2])[0]
            if change.statistic == "share"
            else mean(wave_design(hand_run, w), change.variable)[0]
            for w in ("2023", "2024")
        ]
        assert change.df == engine[0].df + engine[1].df - 1
    # Degrees of freedom of the answering rows: (374 - 3 strata) + (328 - 3 strata) - 1.
    assert results.comparisons[0].df == 695


def test_the_change_of_a_share_is_the_two_waves_stacked_with_the_wave_as_a_stratum(hand_run):
    """R: svyttest on rbind(wave1, wave2), strata = wave × strate, raked within each wave."""
    frames = []
    for wave in hand_run.populations[0].prepared.waves:
        frame = wave.frame.with_columns(pl.lit(wave.wave).alias("wave"))
        frames.append(
            frame.with_columns(
                (pl.col("wave") + ":" + pl.col("strate").cast(pl.String)).alias("stratum"),
                *(
                    (pl.col("wave") + ":" + pl.col(name).cast(pl.String)).alias(f"{name}_wave")
                    for name in TARGETS
                ),
            )
        )
    stacked = Design.from_frame(pl.concat(frames, how="diagonal_relaxed"), weights="poids",
                                strata="stratum")  # fmt: skip
    per_wave = {
        f"{name}_wave": {f"{w}:{k}": v / 2 for w in ("2023", "2024") for k, v in targets.items()}
        for name, targets in TARGETS.items()
    }
    raked, _ = rake(stacked, per_wave, population_total=2 * TOTAL)

    stacked_change = difference(
        raked, "q_confiance", by="wave", first="2023", second="2024", codes=[1, 2]
    )
    first, second = (
        share(wave_design(hand_run, w), "q_confiance", [1, 2])[0] for w in ("2023", "2024")
    )
    change = independent_difference(first, second)

    assert change.estimate == pytest.approx(stacked_change.estimate, rel=1e-8)
    assert change.se == pytest.approx(stacked_change.se, rel=1e-8)
    assert change.df == stacked_change.df == first.df + second.df - 1
    assert change.p_value == pytest.approx(stacked_change.p_value, rel=1e-6)
    recorded = hand_run.results.comparisons[0]
    assert (recorded.difference, recorded.se, recorded.df) == (
        pytest.approx(change.estimate, rel=1e-9),
        pytest.approx(change.se, rel=1e-9),
        change.df,
    )
    assert recorded.p_value == pytest.approx(change.p_value, rel=1e-9)


def test_published_figures_beside_their_reproduction(hand_run):
    (figure,) = hand_run.results.published
    reproduced = next(
        r for r in hand_run.results.of("habitants", wave="2024") if r.variable == "q_confiance"
    )

    assert (figure.population, figure.variable, figure.wave, figure.published) == (
        "habitants",
        "q_confiance",
        "2024",
        0.56,
    )
    assert figure.source == "Baromètre fictif 2024, p. 3"
    assert (figure.estimate, figure.ci_low, figure.ci_high, figure.n) == (
        reproduced.estimate,
        reproduced.ci_low,
        reproduced.ci_high,
        reproduced.n,
    )
    assert reproduced.ci_low is not None
    assert reproduced.ci_low > 0.56
    assert figure.inside is False


def test_population_information_for_readers(hand_run):
    info = hand_run.results.population("habitants")

    assert info.label == {"fr": "Habitants", "en": "Residents"}
    assert [(w.wave, w.n, w.file, w.fieldwork_start, w.fieldwork_end) for w in info.waves] == [
        ("2023", 400, "habitants-2023.sav", "2023-03-06", "2023-03-17"),
        ("2024", 350, "habitants-2024.csv", "2024-03-04", "2024-03-15"),
    ]
    assert info.waves[1].mode == {"fr": "téléphone", "en": "telephone"}
    assert info.waves[0].effective_n == pytest.approx(
        hand_run.populations[0].weightings[0].diagnostics.effective_n
    )
    assert info.item_label("q_impact", "en") == (
        "In your view, what is the impact of these alliances on your area?"
    )
    assert info.segment_label("taille_commune", "fr") == "Taille de la commune de résidence"
    assert (
        info.group_label("taille_commune", "4", "en") == "Large town (50,000 inhabitants or more)"
    )
    assert hand_run.results.waves == ["2023", "2024"]
    assert hand_run.results.benchmark == []  # no benchmark item in this questionnaire


def benchmark_study(study: Path) -> Path:
    """The fixture study whose count question is the diagnostic's ``partnership_count``."""
    folder = study.parent
    edit(folder / "questionnaires" / "habitants.yaml", "- name: q_nb_partenariats",
         "- name: partnership_count")  # fmt: skip
    edit(study, "means: [q_nb_partenariats]", "means: [partnership_count]")
    edit(study, "    design:", "    mapping: mapping.yaml\n    design:")
    (folder / "mapping.yaml").write_text("q_nb_partenariats: partnership_count\n", encoding="utf-8")
    return study


def test_benchmark_references_for_populations_with_benchmark_items(hand_study):
    run = run_study(prepare_study(benchmark_study(hand_study)))

    (reference,) = run.results.benchmark
    latest = next(
        r for r in run.results.of("habitants", wave="2024") if r.variable == "partnership_count"
    )
    assert (reference["population"], reference["item"], reference["kind"], reference["wave"]) == (
        "habitants",
        "partnership_count",
        "count",
        2024,
    )
    assert reference["synthetic"] is True
    assert reference["values"]["mean"] == {
        "estimate": pytest.approx(latest.estimate, rel=1e-12),
        "low": pytest.approx(latest.ci_low, rel=1e-12),
        "high": pytest.approx(latest.ci_high, rel=1e-12),
        "n": latest.n,
    }
    points = [point for point, _ in reference["distribution"]]
    assert points == sorted(points)
    assert reference["distribution"][-1][1] == pytest.approx(1)


def test_no_benchmark_when_the_latest_wave_is_not_a_year(hand_study):
    benchmark_study(hand_study)
    edit(hand_study, '- wave: "2024"', '- wave: "2024-spring"')
    edit(hand_study, 'wave: "2024", value', 'wave: "2024-spring", value')

    run = run_study(prepare_study(hand_study))

    assert run.results.benchmark == []
    assert run.results.waves == ["2023", "2024-spring"]


def test_a_population_without_margins_keeps_its_design_weights(hand_study):
    edit(hand_study, "    margins: margins/habitants.json\n", "")

    run = run_study(prepare_study(hand_study))

    for weighting, wave in zip(run.populations[0].weightings, run.populations[0].prepared.waves,
                               strict=True):  # fmt: skip
        assert weighting.margins == {}
        assert np.array_equal(weighting.design.weights, wave.frame["poids"].to_numpy())
        assert weighting.diagnostics.iterations == 0


def test_a_study_with_errors_does_not_run(hand_study):
    (hand_study.parent / "data" / "habitants-2023.sav").unlink()
    prepared = prepare_study(hand_study)

    with pytest.raises(ValueError, match="run_study needs a study checked without errors"):
        run_study(prepared)
    with pytest.raises(ValueError, match="run_study needs a study checked without errors"):
        run_study(PreparedStudy(path=hand_study, definition=None))
