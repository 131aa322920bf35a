"""Starting the platform: Django set up once, management commands run through alliance manage."""

from __future__ import annotations

import os

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
