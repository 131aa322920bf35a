"""Two real ``alliance worker`` processes: one killed (``kill -9``) mid-job, the other finishes it.

The workers run on a throw-away database of their own (SQLite in a temporary data folder, and a
fresh PostgreSQL database too when ``DATABASE_URL`` is set), with short heartbeat and stale
limits, and the job is the test-only kind ``test.sleep`` (``ALLIANCE_TEST_JOBS=1``).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from benchmarks.live_site import create_database, drop_database

from tests.live_databases import DATABASES

pytestmark = pytest.mark.e2e

#: Generous: the test waits for events, never measures how long they took.
WAIT_SECONDS = 120


@pytest.fixture(params=DATABASES)
def environment(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    """The workers' environment: their own database, the test kind, short heartbeats."""
    env = os.environ | {
        "ALLIANCE_DATA_DIR": str(tmp_path),
        "ALLIANCE_TEST_JOBS": "1",
        "ALLIANCE_JOB_HEARTBEAT": "0.5",
        "ALLIANCE_JOB_STALE_AFTER": "3",
    }
    env.pop("DATABASE_URL", None)
    server_url = request.param
    if server_url:
        env["DATABASE_URL"] = create_database(server_url)
    try:
        yield env
    finally:
        if server_url:
            drop_database(server_url, env["DATABASE_URL"])


def django(env: dict[str, str], code: str) -> Any:
    """Run ``code`` in a fresh process set up like the workers; return what it printed (JSON)."""
    script = f"from alliance.web.server import migrate, setup\nsetup()\n{code}"
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


STATE = """
import json
from django_tasks_db.models import DBTaskResult
from alliance.web.jobs.models import Job
job = Job.objects.get(pk={job!r})
task = DBTaskResult.objects.get(pk=job.task_id)
print(json.dumps({{**job.to_json(), "workers": task.worker_ids}}))
"""


def worker(env: dict[str, str], name: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "alliance", "worker", "--worker-id", name, "--interval", "0.2"],
            env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip


def wait_for(env: dict[str, str], job: str, status: str) -> dict[str, Any]:
    """Read the job's state until it has ``status``; a read that fails (a busy database) retries."""
    deadline = time.monotonic() + WAIT_SECONDS
    state: dict[str, Any] = {}
    while True:
        try:
            state = django(env, STATE.format(job=job))
        except subprocess.CalledProcessError as failed:
            state = {"status": None, "read_error": failed.stderr[-500:]}
        if state["status"] == status:
            return state
        assert time.monotonic() < deadline, f"job never {status}: {state}"
        time.sleep(0.3)


def test_a_job_whose_worker_is_killed_is_finished_by_another(
    environment: dict[str, str], tmp_path: Path
):
    enqueue = "from alliance.web.jobs.queue import enqueue\nmigrate()\n"
    job = django(environment, enqueue + 'print(f\'"{enqueue("test.sleep", seconds=6).id}"\')')
    first = worker(environment, "first", tmp_path / "first.log")
    second = None
    try:
        running = wait_for(environment, job, "running")
        assert (running["attempts"], running["workers"]) == (1, ["first"])
        second = worker(environment, "second", tmp_path / "second.log")

        first.send_signal(signal.SIGKILL)
        first.wait()
        done = wait_for(environment, job, "done")
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=WAIT_SECONDS)

    assert (done["attempts"], done["result"]) == (2, {"slept": 6, "attempt": 2})
    assert done["workers"] == ["first", "second"]
    assert done["problems"] == []
    assert second is not None
    assert second.returncode == 0  # SIGTERM while idle: a clean stop
