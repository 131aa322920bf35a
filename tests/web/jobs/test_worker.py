"""The worker runs what is queued (more in tests/web/jobs/test_queue.py)."""

from __future__ import annotations

import pytest

from alliance.web.jobs.worker import run_pending

pytestmark = pytest.mark.integration


@pytest.mark.django_db(transaction=True)
def test_an_empty_queue_returns_at_once():
    run_pending()
