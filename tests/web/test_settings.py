"""Settings: the embedded default, DATABASE_URL, and what production requires."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.unit


def settings_in(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = (
        "import alliance.web.settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DEBUG, s.SESSION_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ALLIANCE_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-c", code], env=clean | env, capture_output=True, text=True, check=False
    )


def test_embedded_default_is_sqlite_in_the_data_folder(tmp_path):
    done = settings_in({"ALLIANCE_DATA_DIR": str(tmp_path)})

    assert done.stdout.split() == ["django.db.backends.sqlite3", "False", "False", "0"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "collection_key").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "collection_key").read_text() != (tmp_path / "secret_key").read_text()


def test_database_url_switches_to_postgresql(tmp_path):
    url = "postgres://alliance:alliance@127.0.0.1:5432/alliance"

    done = settings_in({"ALLIANCE_DATA_DIR": str(tmp_path), "DATABASE_URL": url})

    assert done.stdout.split()[0] == "django.db.backends.postgresql"


def test_production_needs_a_secret_key_from_the_environment(tmp_path):
    done = settings_in({"ALLIANCE_DATA_DIR": str(tmp_path), "ALLIANCE_ENV": "production"})

    assert done.returncode != 0
    assert "ALLIANCE_SECRET_KEY must be set when ALLIANCE_ENV=production" in done.stderr


def test_production_needs_the_collection_secret_too(tmp_path):
    done = settings_in(
        {"ALLIANCE_DATA_DIR": str(tmp_path), "ALLIANCE_ENV": "production",
         "ALLIANCE_SECRET_KEY": "x" * 50}
    )  # fmt: skip

    assert done.returncode != 0
    assert "ALLIANCE_COLLECTION_KEY must be set when ALLIANCE_ENV=production" in done.stderr


def test_production_cookies_are_secure(tmp_path):
    done = settings_in(
        {
            "ALLIANCE_DATA_DIR": str(tmp_path),
            "ALLIANCE_ENV": "production",
            "ALLIANCE_SECRET_KEY": "x" * 50,
            "ALLIANCE_COLLECTION_KEY": "y" * 50,
        }
    )

    assert done.stdout.split() == ["django.db.backends.sqlite3", "False", "True", "31536000"]


def account_settings_in(env: dict[str, str]) -> list[str]:
    code = (
        "import alliance.web.settings as s; "
        "print(s.ALLIANCE_TOKEN_DAYS, s.AXES_IPWARE_PROXY_COUNT, "
        "','.join(s.AXES_IPWARE_META_PRECEDENCE_ORDER))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ALLIANCE_", "DATABASE_URL"))}
    done = subprocess.run(
        [sys.executable, "-c", code], env=clean | env, capture_output=True, text=True, check=True
    )
    return done.stdout.split()


def test_tokens_and_addresses_by_default(tmp_path):
    assert account_settings_in({"ALLIANCE_DATA_DIR": str(tmp_path)}) == [
        "30",
        "None",
        "REMOTE_ADDR",
    ]


def test_token_days_and_proxies_from_the_environment(tmp_path):
    found = account_settings_in(
        {
            "ALLIANCE_DATA_DIR": str(tmp_path),
            "ALLIANCE_TOKEN_DAYS": "7",
            "ALLIANCE_PROXY_COUNT": "1",
        }
    )

    assert found == ["7", "1", "HTTP_X_FORWARDED_FOR,REMOTE_ADDR"]


def test_token_days_never_exceed_the_maximum(tmp_path):
    found = account_settings_in({"ALLIANCE_DATA_DIR": str(tmp_path), "ALLIANCE_TOKEN_DAYS": "9999"})

    assert found[0] == "365"
