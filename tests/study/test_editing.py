"""Changing study.yaml from the workspace: one value changed, comments and layout kept."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from alliance.errors import StudyInvalidError
from alliance.study.definition import load_definition
from alliance.study.editing import add_wave, save_mapping, set_validation
from alliance.study.files import check_file
from tests.study.defects import defective_csv

pytestmark = pytest.mark.unit

CSV = "data/habitants-2024.csv"


def waves(study: Path) -> dict[str, str]:
    definition, problems, _doc = load_definition(study)
    assert definition is not None
    assert problems == []
    return {w.wave: w.validation for w in definition.populations[0].waves}


def test_a_wave_made_lenient_then_strict_again_keeps_the_comments(hand_study: Path):
    before = hand_study.read_text(encoding="utf-8")
    assert waves(hand_study) == {"2023": "strict", "2024": "strict"}

    set_validation(hand_study, CSV, "lenient")
    after = hand_study.read_text(encoding="utf-8")

    assert waves(hand_study) == {"2023": "strict", "2024": "lenient"}
    assert "        file: data/habitants-2024.csv\n        validation: lenient\n" in after
    assert after.replace("        validation: lenient\n", "") == before

    set_validation(hand_study, "./" + CSV, "strict")
    assert waves(hand_study) == {"2023": "strict", "2024": "strict"}
    assert hand_study.read_text(encoding="utf-8").count("validation:") == 1


def test_a_definition_in_flow_style_is_written_again(tmp_path: Path, hand_study: Path):
    data = yaml.safe_load(hand_study.read_text(encoding="utf-8"))
    hand_study.write_text(yaml.safe_dump(data, default_flow_style=True), encoding="utf-8")

    set_validation(hand_study, CSV, "lenient")

    assert waves(hand_study) == {"2023": "strict", "2024": "lenient"}


def test_an_unknown_wave_is_refused(hand_study: Path):
    with pytest.raises(StudyInvalidError) as refused:
        set_validation(hand_study, "data/other.csv", "lenient")

    assert refused.value.key == "study.wave_unknown"
    assert refused.value.params == {"path": "data/other.csv"}


def test_mapping_unknown_columns_creates_the_file_and_names_it(hand_study: Path):
    (hand_study.parent / CSV).write_bytes(defective_csv())
    assert check_file(hand_study, CSV).unknown_columns == ["remarque"]

    saved = save_mapping(hand_study, "habitants", {"remarque": None}, "mappings/habitants.yaml")

    assert saved == "mappings/habitants.yaml"
    mapping = hand_study.parent / "mappings" / "habitants.yaml"
    assert yaml.safe_load(mapping.read_text(encoding="utf-8")) == {"remarque": None}
    assert (
        "    questionnaire: questionnaires/habitants.yaml\n    mapping: mappings/habitants.yaml\n"
        in (hand_study.read_text(encoding="utf-8"))
    )
    report = check_file(hand_study, CSV)
    assert report.unknown_columns == []
    assert [p.key for p in report.problems] == ["validation_rows.code_outside_scale"]


def test_a_mapping_named_already_is_completed(hand_study: Path):
    save_mapping(hand_study, "habitants", {"Q1": "q_impact"}, "mappings/habitants.yaml")
    text = hand_study.read_text(encoding="utf-8")

    save_mapping(hand_study, "habitants", {"remarque": None}, "mappings/other.yaml")

    assert hand_study.read_text(encoding="utf-8") == text
    mapping = hand_study.parent / "mappings" / "habitants.yaml"
    assert yaml.safe_load(mapping.read_text(encoding="utf-8")) == {
        "Q1": "q_impact",
        "remarque": None,
    }
    assert not (hand_study.parent / "mappings" / "other.yaml").exists()


def test_an_unknown_population_is_refused(hand_study: Path):
    with pytest.raises(StudyInvalidError) as refused:
        save_mapping(hand_study, "entreprises", {"a": None}, "mappings/entreprises.yaml")

    assert refused.value.params == {"population": "entreprises"}


NEW_WAVE = {
    "wave": "2025", "file": "data/collecte-habitants-2025.csv",
    "fieldwork": {"start": "2025-01-06", "end": "2025-02-14"},
    "mode": {"fr": "en ligne, sur la plateforme", "en": "online, on the platform"},
}  # fmt: skip


def test_a_wave_is_added_after_the_last_one_with_the_comments_kept(hand_study: Path):
    before = hand_study.read_text(encoding="utf-8")

    add_wave(hand_study, "habitants", NEW_WAVE)
    after = hand_study.read_text(encoding="utf-8")

    assert waves(hand_study) == {"2023": "strict", "2024": "strict", "2025": "strict"}
    added = (
        "      - wave: '2025'\n"
        "        file: data/collecte-habitants-2025.csv\n"
        "        fieldwork: {start: '2025-01-06', end: '2025-02-14'}\n"
        "        mode: {fr: 'en ligne, sur la plateforme', en: 'online, on the platform'}\n"
    )
    assert '        mode: {fr: "téléphone", en: "telephone"}\n' + added + "    # Shares" in after
    assert after.replace(added, "") == before


def test_a_wave_is_added_to_a_definition_in_flow_style(hand_study: Path):
    data = yaml.safe_load(hand_study.read_text(encoding="utf-8"))
    hand_study.write_text(yaml.safe_dump(data, default_flow_style=True), encoding="utf-8")

    add_wave(hand_study, "habitants", NEW_WAVE)

    assert waves(hand_study) == {"2023": "strict", "2024": "strict", "2025": "strict"}


def test_a_wave_for_an_unknown_population_is_refused(hand_study: Path):
    with pytest.raises(StudyInvalidError) as refused:
        add_wave(hand_study, "entreprises", NEW_WAVE)

    assert refused.value.key == "study.population_unknown"
