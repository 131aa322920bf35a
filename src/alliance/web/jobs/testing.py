"""A job that takes as long as it is told: for tests that run real workers and kill one.

Registered as the kind ``test.sleep`` only when ``ALLIANCE_TEST_JOBS=1`` is set
(:mod:`alliance.web.jobs.kinds`), so a production platform never offers it. It keeps the handler
contract: it writes nothing but its progress, so running it again is safe.
"""

from __future__ import annotations

import time
from typing import Any

from alliance.web.jobs.models import Job
from alliance.web.jobs.queue import Progress

__all__ = ["sleep"]

#: Progress is reported this many times while the job sleeps.
TICKS = 10


def sleep(job: Job, progress: Progress, *, seconds: float) -> dict[str, Any]:
    """Wait ``seconds``, reporting progress; return which attempt finished the job."""
    for tick in range(TICKS):
        progress(tick / TICKS, "write", f"{tick}/{TICKS}")
        time.sleep(seconds / TICKS)
    return {"slept": seconds, "attempt": job.attempts}
