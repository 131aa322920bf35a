"""Every kind of job names a handler that exists."""

from __future__ import annotations

import pytest
from django.utils.module_loading import import_string

from alliance.web.jobs.kinds import HANDLERS

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("kind", sorted(HANDLERS))
def test_every_handler_can_be_imported(kind: str):
    assert callable(import_string(HANDLERS[kind]))
