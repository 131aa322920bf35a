"""Provenance: inputs fingerprinted, questionnaires, margins, code and referential versions."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from alliance import __version__
from alliance.referential import default_referential
from alliance.study.check import prepare_study
from alliance.study.provenance import build_provenance, code_commit
from alliance.study.run import run_study
from alliance.study.scaffold import write_example
from tests.study.conftest import edit

pytestmark = pytest.mark.unit


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_inputs_are_fingerprinted(hand_run):
    record = build_provenance(hand_run, {}, code_commit="0" * 40)
    waves = hand_run.populations[0].prepared.waves

    assert record["inputs"] == [
        {
            "population": "habitants",
            "file": "habitants-2023.sav",
            "sha256": sha256(waves[0].path),
            "read_as": "spss, encoding=UTF-8",
            "rows": 400,
            "wave": "2023",
            "questionnaire": "habitants",
            "questionnaire_version": "2023.1",
            "synthetic": True,
        },
        {
            "population": "habitants",
            "file": "habitants-2024.csv",
            "sha256": sha256(waves[1].path),
            "read_as": "csv, encoding=windows-1252, separator=;, decimal=,",
            "rows": 350,
            "wave": "2024",
            "questionnaire": "habitants",
            "questionnaire_version": "2023.1",
            "synthetic": True,
        },
    ]


def test_questionnaires_margins_code_and_referential(hand_run):
    prepared = hand_run.populations[0].prepared
    margins_file = prepared.waves[0].path.parent.parent / "margins" / "habitants.json"

    record = build_provenance(hand_run, {"T1": {"title": "x"}}, code_commit="abc123")

    assert (record["study"], record["synthetic"]) == ("barometre-test", True)
    assert record["code"] == {"package": "alliance", "version": __version__, "commit": "abc123"}
    assert record["referential"] == {"version": default_referential().version}
    assert record["questionnaires"] == {
        "habitants": {"version": "2023.1", "sha256": prepared.questionnaire_sha256}
    }
    assert record["margins"] == [
        {"file": "habitants.json", "sha256": sha256(margins_file), "sources": []}
    ]
    assert record["tables"] == {"T1": {"title": "x"}}
    json.dumps(record, allow_nan=False)


def test_each_margins_file_once_with_its_sources(tmp_path):
    write_example(tmp_path / "ex")
    study = tmp_path / "ex" / "study.yaml"
    margins = tmp_path / "ex" / "margins"
    (margins / "habitants-2025.yaml").write_text(
        (margins / "habitants.yaml")
        .read_text(encoding="utf-8")
        .replace("0.52, M: 0.48", "0.51, M: 0.49"),
        encoding="utf-8",
    )
    edit(
        study,
        "        # margins: margins/habitants-2025.yaml",
        "        margins: margins/habitants-2025.yaml",
    )

    record = build_provenance(run_study(prepare_study(study)), {}, code_commit="unknown")

    assert [(m["file"], m["sha256"]) for m in record["margins"]] == [
        ("habitants.yaml", sha256(margins / "habitants.yaml")),
        ("habitants-2025.yaml", sha256(margins / "habitants-2025.yaml")),
    ]
    assert record["margins"][0]["sources"] == [
        {
            "code": "exemple",
            "title": "Recensement fictif du territoire d'exemple",
            "url": "https://example.invalid/recensement",
        }
    ]


def test_the_notebook_s_provenance_traces_each_table(hand_outputs):
    record = json.loads(hand_outputs.path("provenance.json").read_text(encoding="utf-8"))

    entry = record["tables"]["F1"]
    assert entry["inputs"] == ["habitants-2023.sav", "habitants-2024.csv"]
    assert entry["questionnaires"] == ["habitants 2023.1"]
    assert entry["margins"] == ["habitants.json"]
    assert "logit" in entry["estimator"]
    assert record["code"]["commit"] == code_commit()


def test_code_commit_is_a_git_hash_in_a_clone():
    commit = code_commit()

    assert commit == "unknown" or re.fullmatch(r"[0-9a-f]{40}", commit)
