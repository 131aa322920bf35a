"""How pages name a job's step: the words people understand, not the handlers' short names."""

from __future__ import annotations

import json

from django import template

from alliance.web.jobs.kinds import STEPS
from alliance.web.jobs.models import Job

register = template.Library()


@register.filter
def step_label(step: str) -> str:
    """Return a step (``read``, ``weight``…) in the page's language; an unknown one as it is."""
    return str(STEPS.get(step, step))


@register.simple_tag
def step_labels() -> str:
    """Return every step's label in the page's language, as JSON for the polling script."""
    return json.dumps({step: str(label) for step, label in STEPS.items()}, ensure_ascii=False)


@register.simple_tag
def status_labels() -> str:
    """Return every status's label in the page's language, as JSON for the polling script."""
    labels = {status: str(label) for status, label in Job.Status.choices}
    return json.dumps(labels, ensure_ascii=False)
