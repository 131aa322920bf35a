"""The stopwatch: steps announced as they start, their time added up."""

from __future__ import annotations

import pytest

from alliance.study.stopwatch import STEPS, Stopwatch

pytestmark = pytest.mark.unit


def test_the_steps_of_a_run():
    assert STEPS == ("read", "check", "weight", "estimate", "charts", "pdf", "write")


def test_each_step_is_announced_before_it_runs():
    heard: list[tuple[str, str]] = []
    stopwatch = Stopwatch(lambda step, subject: heard.append((step, subject)))

    with stopwatch.step("read", "a.csv"):
        assert heard == [("read", "a.csv")]
    with stopwatch.step("read", "b.csv"), stopwatch.step("check"):
        pass

    assert heard == [("read", "a.csv"), ("read", "b.csv"), ("check", "")]
    assert sorted(stopwatch.seconds) == ["check", "read"]
    assert all(seconds >= 0 for seconds in stopwatch.seconds.values())


def test_a_failing_step_still_counts():
    stopwatch = Stopwatch()

    with pytest.raises(ZeroDivisionError), stopwatch.step("estimate"):
        _ = 1 / 0

    assert list(stopwatch.seconds) == ["estimate"]


def test_the_slowest_step():
    stopwatch = Stopwatch()
    stopwatch.seconds.update({"read": 0.5, "pdf": 12.0, "charts": 1.5})

    assert stopwatch.slowest() == "pdf"
