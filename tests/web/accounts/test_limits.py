"""E-mails on request (password reset, sign-up): 5 per address or e-mail an hour, then 429."""

from __future__ import annotations

from datetime import timedelta
from html import unescape
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from alliance.web.accounts.limits import mail_requests_exceeded
from alliance.web.accounts.models import MailRequest, digest_of

pytestmark = pytest.mark.integration


def reset(email: str, address: str = "127.0.0.1", **headers: Any):
    return Client(REMOTE_ADDR=address, **headers).post(
        "/accounts/password-reset/", {"email": email}
    )


def test_the_sixth_reset_request_for_an_email_gets_429(people):
    for number in range(5):
        assert reset("viewer@demo.invalid", address=f"203.0.113.{number}").status_code == 302

    refused = reset("viewer@demo.invalid", address="198.51.100.1")

    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert "Trop de demandes d'e-mail : réessayez dans 60 minutes." in unescape(
        refused.content.decode()
    )
    assert len(mail.outbox) == 5


def test_reset_requests_are_counted_per_address(people):
    for number in range(5):
        reset(f"inconnu{number}@demo.invalid", address="203.0.113.5")

    refused = reset("viewer@demo.invalid", address="203.0.113.5", HTTP_ACCEPT_LANGUAGE="en")

    assert refused.status_code == 429
    assert "Too many e-mail requests: try again in 60 minutes." in unescape(
        refused.content.decode()
    )
    assert mail.outbox == []
    assert reset("viewer@demo.invalid", address="203.0.113.6").status_code == 302


def test_the_email_case_does_not_dodge_the_count(db, rf, settings):
    settings.ALLIANCE_MAIL_REQUESTS_LIMIT = 1

    assert not mail_requests_exceeded(rf.post("/", REMOTE_ADDR="203.0.113.1"), "A@demo.invalid")
    assert mail_requests_exceeded(rf.post("/", REMOTE_ADDR="203.0.113.2"), " a@demo.invalid")


def test_requests_older_than_the_window_are_forgotten(db, rf, settings):
    settings.ALLIANCE_MAIL_REQUESTS_LIMIT = 1
    asked = rf.post("/", REMOTE_ADDR="203.0.113.9")
    assert not mail_requests_exceeded(asked, "b@demo.invalid")
    MailRequest.objects.update(at=timezone.now() - timedelta(hours=1, seconds=1))

    assert not mail_requests_exceeded(asked, "b@demo.invalid")
    assert MailRequest.objects.count() == 2


def test_the_count_is_kept_in_the_database_for_every_server_process(db, rf, settings):
    settings.ALLIANCE_MAIL_REQUESTS_LIMIT = 1
    mail_requests_exceeded(rf.post("/", REMOTE_ADDR="203.0.113.10"), "c@demo.invalid")

    assert set(MailRequest.objects.values_list("key", flat=True)) == {
        "address:203.0.113.10",
        f"email:{digest_of('c@demo.invalid')}",
    }
