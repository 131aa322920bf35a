"""Guessing slowed down at every door: 5 failures per e-mail or per address lock for 15 minutes.

The fifth failure is answered by the lock, and the next attempt is refused even with the right
password: 429 with ``Retry-After``, JSON in the
API, a translated page on the site. Success resets the count; the lock ends after the cool-off.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client

from alliance.web.accounts.lockout import username
from alliance.web.accounts.models import User
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.integration

EMAIL = "owner@demo.invalid"


def login_page(password: str, email: str = EMAIL, address: str = "127.0.0.1", **headers: Any):
    return Client(REMOTE_ADDR=address, **headers).post(
        "/accounts/login/", {"username": email, "password": password}
    )


def api_token(password: str, email: str = EMAIL, address: str = "127.0.0.1", **headers: Any):
    return Client(REMOTE_ADDR=address, **headers).post(
        "/api/auth/token", {"email": email, "password": password}, content_type="application/json"
    )


def admin_login(password: str, email: str = "admin@demo.invalid", address: str = "127.0.0.1"):
    return Client(REMOTE_ADDR=address).post(
        "/admin/login/?next=/admin/", {"username": email, "password": password}
    )


def test_the_login_page_locks_after_five_failures(people):
    for _ in range(4):
        assert login_page("faux").status_code == 200  # the form again, with its error
    assert login_page("faux").status_code == 429

    locked = login_page(PASSWORD)

    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    page = locked.content.decode()
    assert "<h1>Trop de tentatives</h1>" in page
    assert "Trop de tentatives de connexion échouées : réessayez dans 15 minutes." in page


def test_the_lockout_page_in_english(people):
    for _ in range(5):
        login_page("faux")

    locked = login_page(PASSWORD, HTTP_ACCEPT_LANGUAGE="en")

    assert locked.status_code == 429
    page = locked.content.decode()
    assert "<h1>Too many attempts</h1>" in page
    assert "Too many failed login attempts: try again in 15 minutes." in page


def test_the_api_locks_with_json_and_retry_after(people):
    for _ in range(4):
        assert api_token("faux").status_code == 401
    assert api_token("faux").status_code == 429

    locked = api_token(PASSWORD)

    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert locked.json() == {
        "detail": "Trop de tentatives de connexion échouées : réessayez dans 15 minutes.",
        "key": "account.locked_out",
        "messages": {
            "fr": "Trop de tentatives de connexion échouées : réessayez dans 15 minutes.",
            "en": "Too many failed login attempts: try again in 15 minutes.",
        },
    }


def test_the_admin_login_locks_too(db):
    User.objects.create_superuser("admin@demo.invalid", PASSWORD)
    for _ in range(4):
        assert admin_login("faux").status_code == 200
    assert admin_login("faux").status_code == 429

    locked = admin_login(PASSWORD)

    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"


def test_failures_count_per_email_across_addresses_and_doors(people):
    for number in range(3):
        login_page("faux", address=f"203.0.113.{number}")
    for number in range(2):
        api_token("faux", address=f"198.51.100.{number}")

    assert login_page(PASSWORD, address="192.0.2.200").status_code == 429
    assert login_page(PASSWORD, email="editor@demo.invalid").status_code == 302


def test_the_email_case_does_not_dodge_the_count(people):
    for variant in ("OWNER@demo.invalid", "Owner@demo.invalid", "owner@DEMO.invalid"):
        login_page("faux", email=variant, address="203.0.113.9")
    for _ in range(2):
        login_page("faux", address="198.51.100.9")

    assert login_page(PASSWORD, address="192.0.2.9").status_code == 429


def test_failures_count_per_address_across_emails(people):
    for number in range(5):
        login_page("faux", email=f"inconnu{number}@demo.invalid", address="203.0.113.7")

    assert login_page(PASSWORD, address="203.0.113.7").status_code == 429
    assert login_page(PASSWORD, address="203.0.113.8").status_code == 302


def test_a_forged_forwarded_for_does_not_change_the_address(people):
    for number in range(5):
        Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}").post(
            "/accounts/login/", {"username": f"x{number}@demo.invalid", "password": "faux"}
        )

    assert login_page(PASSWORD, address="203.0.113.7").status_code == 429


def test_success_resets_the_count(people):
    for _ in range(4):
        login_page("faux")
    assert login_page(PASSWORD).status_code == 302

    for _ in range(4):
        login_page("faux")

    assert login_page(PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(people):
    for _ in range(5):
        login_page("faux")
    assert login_page(PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))

    assert login_page(PASSWORD).status_code == 302


def test_username_reads_forms_and_the_api_alike(rf):
    assert username(rf.post("/"), {"username": " Owner@Demo.invalid "}) == "owner@demo.invalid"
    assert username(rf.post("/"), {"email": "Script@demo.invalid"}) == "script@demo.invalid"
    assert username(rf.post("/", {"username": "Page@demo.invalid"}), None) == "page@demo.invalid"
    assert username(rf.post("/"), None) == ""
