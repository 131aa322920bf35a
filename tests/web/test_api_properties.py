"""Property-based API test: schemathesis sends what the OpenAPI schema allows, and more.

Every operation, anonymous and as an organisation's owner, gets generated parameters and bodies
(valid, boundary and invalid ones). No answer may be a 500; every answer must match the schema:
a status it declares, the declared error body, the declared content type. A few examples per
operation keep the run short in CI; raise ``API_EXAMPLES`` locally to search longer.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from alliance.web.wsgi import application
from tests.web.conftest import bearer

pytestmark = pytest.mark.integration

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
EXAMPLES = int(os.environ.get("API_EXAMPLES", "20"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
#: The API checks more than the schema says (a partnership's title has 1 to 200 characters, text
#: holds no NUL…): schema-valid data may rightly answer 400, in the API's error shape.
BEYOND_THE_SCHEMA = [positive_data_acceptance]


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Keep the test's transaction across WSGI calls, as Django's test client does.

    Each request ends by closing old connections: on PostgreSQL that would close the test's.
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@SETTINGS
def test_anonymous_requests_never_fail(case, db):
    case.call_and_validate(excluded_checks=BEYOND_THE_SCHEMA)


@schema.parametrize()
@SETTINGS
def test_owner_requests_never_fail(case, people):
    case.call_and_validate(headers=bearer(people["owner"]), excluded_checks=BEYOND_THE_SCHEMA)


@schema.include(tag="workspace").parametrize()
@SETTINGS
def test_analyst_requests_to_the_workspace_never_fail(case, people, settings, tmp_path):
    """Analysts create studies and upload files: generated definitions and files answer 4xx."""
    settings.MEDIA_ROOT = tmp_path
    case.call_and_validate(headers=bearer(people["analyst"]), excluded_checks=BEYOND_THE_SCHEMA)
