"""The demonstration study, run once per test session into a temporary folder (as CI does)."""

from __future__ import annotations

import pytest

from alliance.demo import DemoOutputs, run_demo


@pytest.fixture(scope="session")
def demo_fr(tmp_path_factory: pytest.TempPathFactory) -> DemoOutputs:
    return run_demo(tmp_path_factory.mktemp("demo-fr"), "fr")


@pytest.fixture(scope="session")
def demo_en(tmp_path_factory: pytest.TempPathFactory) -> DemoOutputs:
    return run_demo(tmp_path_factory.mktemp("demo-en"), "en")
