"""The worker: takes queued jobs from the database one at a time and runs them.

It is django-tasks-db's worker (``db_worker``), which claims a task with ``SELECT … FOR UPDATE
SKIP LOCKED`` on PostgreSQL (an exclusive transaction on SQLite), so several workers on several
machines never take the same job.
"""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Worker

__all__ = ["run_pending"]


def run_pending(*, worker_id: str = "inline") -> None:
    """Run every queued job, then return (tests, ``alliance study`` commands run in one process)."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    ).run()
