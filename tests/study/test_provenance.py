"""Provenance: inputs, questionnaires, margins and code, every table traced."""

from __future__ import annotations

import hashlib
import json

import pytest

from alliance import __version__
from alliance.demo import DemoOutputs
from alliance.demo.provenance import code_commit

pytestmark = pytest.mark.integration


def test_inputs_are_fingerprinted(demo_fr: DemoOutputs):
    record = json.loads(demo_fr.provenance.read_text(encoding="utf-8"))

    first = record["inputs"][0]
    raw = demo_fr.folder / "data" / "raw" / first["file"]
    assert first["sha256"] == hashlib.sha256(raw.read_bytes()).hexdigest()
    assert first["questionnaire_version"] == "2022.1"
    assert record["code"]["version"] == __version__
    assert {m["file"] for m in record["margins"]} == {
        "public.yaml", "elected-officials.yaml", "companies.yaml", "associations.yaml",
        "foundations.yaml",
    }  # fmt: skip


def test_each_table_names_its_files_and_estimator(demo_fr: DemoOutputs):
    entry = demo_fr.document.provenance["tables"]["F1"]

    assert entry["inputs"] == ["public-2018.csv", "public-2022.sav"]
    assert entry["questionnaires"] == ["public 2022.1"]
    assert "intervalle logit" in entry["estimator"]


def test_code_commit_is_a_git_hash_in_a_clone():
    commit = code_commit()

    assert commit == "unknown" or len(commit) == 40
