"""The demonstration study, delivered and run once per test session into a temporary folder."""

from __future__ import annotations

import pytest

from alliance.demo import run_demo
from alliance.study.outputs import StudyOutputs


@pytest.fixture(scope="session")
def demo_fr(tmp_path_factory: pytest.TempPathFactory) -> StudyOutputs:
    """The demo's French edition: its study folder and its seven files (about 20 s, the PDF)."""
    return run_demo(tmp_path_factory.mktemp("demo-fr"), "fr")
