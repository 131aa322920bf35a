"""A job's step named as people understand it, in French and English."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from alliance.web.jobs.templatetags.job_steps import status_labels, step_label, step_labels

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("lang", "read", "weight"),
    [("fr", "Lecture des fichiers", "Pondération"), ("en", "Reading the files", "Weighting")],
)
def test_steps_are_named_in_the_pages_language(lang: str, read: str, weight: str):
    with translation.override(lang):
        assert (step_label("read"), step_label("weight")) == (read, weight)
        assert json.loads(step_labels())["read"] == read


def test_an_unknown_step_is_shown_as_it_is():
    assert step_label("calibrate") == "calibrate"


def test_statuses_are_named_for_the_polling_script():
    with translation.override("en"):
        assert json.loads(status_labels()) == {
            "queued": "waiting", "running": "running", "done": "done", "failed": "failed",
        }  # fmt: skip
