"""The results record: rows of estimates.csv, results.json both ways, its digest, reading it."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest

from alliance.errors import DataFileError
from alliance.study.check import prepare_study
from alliance.study.results import (
    ESTIMATE_COLUMNS,
    RESULTS_FORMAT,
    PopulationInfo,
    PublishedComparison,
    Result,
    StudyResults,
    read_results,
)
from alliance.study.run import run_study
from tests.study.conftest import copy_hand_study

pytestmark = pytest.mark.unit

SHARE = Result(
    population="habitants",
    wave="2024",
    variable="q_impact",
    statistic="share",
    estimate=0.55,
    se=0.02,
    ci_low=0.51,
    ci_high=0.59,
    n=329,
    fragile=False,
    by="age",
    group="65+",
    codes=[1, 2],
)


def write_results(path, data) -> None:
    path.write_text(json.dumps(data), encoding="utf-8")


def test_a_result_is_one_row_of_estimates_csv():
    assert ESTIMATE_COLUMNS == [
        "population", "wave", "variable", "statistic", "by", "group",
        "estimate", "se", "ci_low", "ci_high", "n", "fragile",
    ]  # fmt: skip
    assert SHARE.row() == {
        "population": "habitants",
        "wave": "2024",
        "variable": "q_impact",
        "statistic": "share",
        "by": "age",
        "group": "65+",
        "estimate": 0.55,
        "se": 0.02,
        "ci_low": 0.51,
        "ci_high": 0.59,
        "n": 329,
        "fragile": False,
    }
    assert list(SHARE.row()) == ESTIMATE_COLUMNS
    assert SHARE.shown is True


def test_a_suppressed_result_is_not_shown():
    hidden = dataclasses.replace(
        SHARE, estimate=None, se=None, ci_low=None, ci_high=None, n=7, suppressed=True
    )

    assert hidden.shown is False
    assert hidden.row()["estimate"] is None


def test_published_figure_inside_its_interval():
    figure = PublishedComparison("p", "q", "2022", 0.56, "carnet", 0.55, 0.52, 0.59, 968)

    assert figure.inside is True
    assert dataclasses.replace(figure, published=0.60).inside is False
    assert dataclasses.replace(figure, ci_low=None, ci_high=None, estimate=None).inside is None


def test_results_json_round_trip(hand_run):
    results = hand_run.results

    data = json.loads(json.dumps(results.to_json()))

    assert data["format"] == RESULTS_FORMAT == "alliance-study-results/1"
    assert data["digest"] == results.digest()
    assert data["synthetic"] is True
    again = StudyResults.from_json(data)
    assert again == results
    assert again.digest() == results.digest()


def test_lookups(hand_run):
    results = hand_run.results

    assert results.population("habitants").label["en"] == "Residents"
    assert results.waves == ["2023", "2024"]
    overall_2024 = results.of("habitants", wave="2024")
    assert [(r.variable, r.by) for r in overall_2024] == [
        ("q_confiance", None),
        ("q_impact", None),
        ("q_nb_partenariats", None),
    ]
    by_age = results.of("habitants", by="age")
    assert len(by_age) == 18  # 2 waves × 3 items × 3 age groups
    assert results.of("nobody") == []


def test_the_digest_is_stable_and_changes_with_the_results(hand_run):
    results = hand_run.results
    first = results.estimates[0]
    assert first.estimate is not None
    changed = dataclasses.replace(
        results,
        estimates=[
            dataclasses.replace(first, estimate=first.estimate + 1e-9),
            *results.estimates[1:],
        ],
    )

    assert results.digest() == results.digest()
    assert len(results.digest()) == 64
    assert changed.digest() != results.digest()
    assert dataclasses.replace(results, synthetic=False).digest() != results.digest()


def test_the_digest_does_not_depend_on_where_the_study_lies(hand_run, tmp_path):
    again = run_study(prepare_study(copy_hand_study(tmp_path / "elsewhere")))

    assert again.results.digest() == hand_run.results.digest()


def test_nan_becomes_null_in_json(hand_run):
    results = hand_run.results
    info = results.populations[0]
    waves = [dataclasses.replace(info.waves[0], effective_n=math.nan), *info.waves[1:]]
    odd = dataclasses.replace(results, populations=[dataclasses.replace(info, waves=waves)])

    data = odd.to_json()

    assert data["populations"][0]["waves"][0]["effective_n"] is None
    json.dumps(data, allow_nan=False)


def test_read_results_from_the_folder_or_the_file(tmp_path, hand_run):
    write_results(tmp_path / "results.json", hand_run.results.to_json())

    assert read_results(tmp_path) == hand_run.results
    assert read_results(tmp_path / "results.json") == hand_run.results


def test_missing_results(tmp_path):
    with pytest.raises(DataFileError) as caught:
        read_results(tmp_path)

    assert caught.value.key == "study.results_missing"
    assert caught.value.message("en") == (
        f"Study results not found (run “alliance study run” first) "
        f"(file {tmp_path / 'results.json'})"
    )


def test_results_that_are_not_json(tmp_path):
    (tmp_path / "results.json").write_text("{nope", encoding="utf-8")

    with pytest.raises(DataFileError) as caught:
        read_results(tmp_path)

    assert caught.value.key == "study.results_invalid"
    assert caught.value.message("en").startswith(
        "Unreadable study results: Expecting property name"
    )


def test_results_of_another_format(tmp_path):
    write_results(tmp_path / "results.json", {"format": "something-else/2"})

    with pytest.raises(DataFileError) as caught:
        read_results(tmp_path)

    assert caught.value.message("en") == (
        f"Unreadable study results: not alliance-study-results/1 (file {tmp_path / 'results.json'})"
    )


def test_results_with_missing_fields(tmp_path, hand_run):
    data = hand_run.results.to_json()
    del data["populations"]
    write_results(tmp_path / "results.json", data)

    with pytest.raises(DataFileError) as caught:
        read_results(tmp_path)

    assert caught.value.key == "study.results_invalid"
    assert "populations" in caught.value.message("en")


def test_groups_of_a_region_segment_are_named_when_the_questionnaire_does_not_name_them():
    info = PopulationInfo(
        population="associations",
        label={"fr": "Associations", "en": "Associations"},
        waves=[],
        items={},
        segments={
            "region": {"label": {"fr": "Région", "en": "Region"},
                       "groups": {"IDF": {"fr": "IDF", "en": "IDF"},
                                  "NOR": {"fr": "Normandie (siège)", "en": "Normandy (seat)"}}},
            "size": {"label": {"fr": "Taille", "en": "Size"}, "groups": {}},
        },
    )  # fmt: skip

    assert info.group_label("region", "HDF", "fr") == "Hauts-de-France"
    assert info.group_label("region", "BRE", "en") == "Brittany"
    assert info.group_label("region", "IDF", "fr") == "Île-de-France"  # labelled with its code
    assert info.group_label("region", "NOR", "en") == "Normandy (seat)"  # the questionnaire's
    assert info.group_label("size", "75", "fr") == "75"
