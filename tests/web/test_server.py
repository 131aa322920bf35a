"""Starting the platform: Django set up once, management commands run through alliance manage."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from alliance.web import server

pytestmark = pytest.mark.integration


def test_manage_runs_the_system_check(capsys):
    server.manage(["check"])

    captured = capsys.readouterr()
    assert captured.out == "System check identified no issues (0 silenced).\n"
    assert captured.err == ""


def test_manage_exits_on_an_unknown_command(capsys):
    with pytest.raises(SystemExit) as stopped:
        server.manage(["no-such-command"])

    assert stopped.value.code == 1
    assert "Unknown command: 'no-such-command'" in capsys.readouterr().err


def test_setup_is_idempotent():
    server.setup()
    server.setup()

    assert apps.ready
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "alliance.web.settings"
    assert apps.get_app_config("accounts").name == "alliance.web.accounts"


def test_migrations_match_the_models(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_server_reads_requests_apart_from_the_python_threads():
    command = server.server_command("0.0.0.0", 8123, workers=3)

    assert command[1:4] == ["-m", "granian", "alliance.web.wsgi:application"]

    def value(option: str) -> str:
        return command[command.index(option) + 1]

    assert value("--interface") == "wsgi"
    assert value("--host") == "0.0.0.0"
    assert value("--port") == "8123"
    assert value("--workers") == "3"
    assert value("--blocking-threads") == str(server.THREADS)
    assert value("--http1-header-read-timeout") == str(server.HEADER_TIMEOUT_MS)


def test_serve_starts_the_job_worker_beside_the_server():
    assert server.worker_command()[1:] == ["-m", "alliance", "worker"]


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_when_one_child_ends_the_others_are_stopped_and_its_code_returned(tmp_path: Path):
    stopped = tmp_path / "stopped"
    waits = (
        "import signal, sys, time, pathlib\n"
        "def bye(*_):\n"
        f"    pathlib.Path({str(stopped)!r}).write_text('SIGTERM'); sys.exit(0)\n"
        "signal.signal(signal.SIGTERM, bye)\n"
        "time.sleep(120)\n"
    )

    code = server.supervise([python(waits), python("import time; time.sleep(1); exit(3)")])

    assert code == 3
    assert stopped.read_text() == "SIGTERM"


def test_sigterm_to_serve_reaches_every_child_once_and_ends_cleanly(tmp_path: Path):
    """The job worker takes a second signal as an order to abandon its job: it gets one."""
    child = (
        "import signal, sys, time, pathlib\n"
        "def bye(number, _):\n"
        "    with open(sys.argv[1], 'a') as out: out.write(signal.Signals(number).name + '\\n')\n"
        "signal.signal(signal.SIGTERM, bye)\n"
        "signal.signal(signal.SIGINT, bye)\n"
        "pathlib.Path(sys.argv[1] + '.ready').touch()\n"
        "signal.pause(); time.sleep(0.5)\n"
    )
    logs = [tmp_path / "granian", tmp_path / "worker"]
    commands = [[sys.executable, "-c", child, str(log)] for log in logs]
    supervisor = subprocess.Popen(
        python(f"from alliance.web.server import supervise; exit(supervise({commands!r}))")
    )
    deadline = time.monotonic() + 60
    while not all(Path(f"{log}.ready").exists() for log in logs):
        assert time.monotonic() < deadline, "the children did not start"
        time.sleep(0.05)

    supervisor.send_signal(signal.SIGINT)

    assert supervisor.wait(timeout=60) == 0
    assert [log.read_text() for log in logs] == ["SIGTERM\n", "SIGTERM\n"]
