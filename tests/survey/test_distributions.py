"""The distribution functions are scipy.stats' own, without its import time."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
from scipy import stats

from alliance.survey.distributions import (
    beta_quantile,
    f_survival,
    normal_quantile,
    t_quantile,
    t_survival,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("q", [0.001, 0.025, 0.5, 0.975])
@pytest.mark.parametrize("df", [1, 2.5, 74, 1e6])
def test_t_quantile_and_survival_are_scipy_stats(q, df):
    assert t_quantile(q, df) == pytest.approx(stats.t.ppf(q, df), rel=1e-12)
    assert t_survival(t_quantile(q, df), df) == pytest.approx(1 - q, rel=1e-9)
    assert t_survival(1.7, df) == pytest.approx(stats.t.sf(1.7, df), rel=1e-12)


def test_no_degrees_of_freedom_give_nan():
    assert math.isnan(t_quantile(0.975, 0))
    assert math.isnan(t_survival(1.0, 0))


@pytest.mark.parametrize(("q", "a", "b"), [(0.025, 10.5, 20.3), (0.975, 0.4, 3), (0.5, 200, 1)])
def test_beta_quantile_is_scipy_stats(q, a, b):
    assert beta_quantile(q, a, b) == pytest.approx(stats.beta.ppf(q, a, b), rel=1e-12)


def test_normal_quantile_and_f_survival_are_scipy_stats():
    assert normal_quantile(0.975) == pytest.approx(stats.norm.ppf(0.975), rel=1e-12)
    assert f_survival(3.0, 2.5, 30.7) == pytest.approx(stats.f.sf(3.0, 2.5, 30.7), rel=1e-12)


def test_importing_the_estimators_does_not_import_scipy_stats():
    script = "import sys, alliance.survey; print('scipy.stats' in sys.modules)"

    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )

    assert completed.stdout.strip() == "False"


def test_importing_the_estimators_leaves_scipy_special_to_the_first_interval():
    script = (
        "import sys, alliance.survey\n"
        "from alliance.survey.distributions import t_quantile\n"
        "before = 'scipy.special' in sys.modules\n"
        "print(before, round(t_quantile(0.975, 10), 6), 'scipy.special' in sys.modules)"
    )

    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )

    assert completed.stdout.split() == ["False", "2.228139", "True"]


def test_preload_imports_scipy_special_in_a_thread_that_ends():
    script = (
        "import sys\n"
        "from alliance.survey.distributions import preload, t_quantile\n"
        "thread = preload()\n"
        "daemon = thread.daemon\n"
        "value = t_quantile(0.975, 10)\n"  # waits for the thread's import if still running
        "thread.join()\n"
        "print(daemon, round(value, 6), 'scipy.special' in sys.modules)"
    )

    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )

    assert completed.stdout.split() == ["False", "2.228139", "True"]
