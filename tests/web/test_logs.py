"""Logs as key=value lines: method, path and status of a request, never its query string."""

from __future__ import annotations

import logging
import sys

import pytest
from django.test import RequestFactory

from alliance.web.logs import KeyValueFormatter

pytestmark = pytest.mark.unit


def record(message: str, **extra) -> logging.LogRecord:
    made = logging.LogRecord("django.request", logging.ERROR, __file__, 1, message, (), None)
    made.created = 0.0
    for key, value in extra.items():
        setattr(made, key, value)
    return made


def test_a_request_error_gives_method_path_and_status_but_no_query_string():
    request = RequestFactory().post("/api/auth/token?password=secret", {"password": "secret"})

    line = KeyValueFormatter().format(record("Bad Request", request=request, status_code=400))

    assert line == (
        "time=1970-01-01T00:00:00.000+00:00 level=ERROR logger=django.request method=POST "
        'path=/api/auth/token status=400 message="Bad Request"'
    )
    assert "secret" not in line


def test_the_traceback_follows_the_line():
    try:
        1 / 0  # noqa: B018
    except ZeroDivisionError:
        failed = record("boom", exc_info=sys.exc_info())

    line, *trace = KeyValueFormatter().format(failed).splitlines()
    assert line.endswith("message=boom")
    assert trace[0] == "Traceback (most recent call last):"
    assert trace[-1] == "ZeroDivisionError: division by zero"


def test_values_with_spaces_quotes_or_newlines_are_quoted():
    line = KeyValueFormatter().format(record('say "hi"\nthen = go'))

    assert line.endswith('message="say \\"hi\\"\\nthen = go"')


def test_the_settings_send_django_and_alliance_logs_to_stderr_as_key_value(settings):
    logging_config = settings.LOGGING

    assert logging_config["formatters"]["keyvalue"]["()"] == "alliance.web.logs.KeyValueFormatter"
    assert logging_config["handlers"]["stderr"]["class"] == "logging.StreamHandler"
    assert set(logging_config["loggers"]) == {"django", "alliance"}
    ours = [
        h for h in logging.getLogger("alliance").handlers
        if isinstance(h.formatter, KeyValueFormatter)
    ]  # fmt: skip
    assert [type(h) for h in ours] == [logging.StreamHandler]  # on stderr, its default stream


@pytest.mark.parametrize(
    ("path", "written"),
    [
        ("/collect/invitation/s3cr3t-T0k_en/", "/collect/invitation/…/"),
        ("/collect/AbC-d_9/r/s3cr3t-T0k_en/", "/collect/AbC-d_9/r/…/"),
        ("/collect/AbC-d_9/", "/collect/AbC-d_9/"),
        ("/invitations/s3cr3t-T0k_en/", "/invitations/…/"),
        ("/organisations/invitations/s3cr3t-T0k_en/", "/organisations/invitations/…/"),
        ("/accounts/reset/MQ/s3cr3t-T0k_en/", "/accounts/reset/MQ/…/"),
        ("/accounts/signup/confirm/MQ/s3cr3t-T0k_en/", "/accounts/signup/confirm/MQ/…/"),
    ],
)
def test_the_token_of_a_secret_link_is_not_written(path, written):
    request = RequestFactory().get(path)

    line = KeyValueFormatter().format(record(f"Gone: {path}", request=request, status_code=410))

    assert f"path={written} " in line
    assert f'message="Gone: {written}"' in line
    assert "s3cr3t" not in line
