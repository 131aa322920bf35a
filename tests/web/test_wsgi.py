"""The WSGI application Granian serves."""

from __future__ import annotations

import pytest
from django.core.handlers.wsgi import WSGIHandler

from alliance.web.wsgi import application

pytestmark = pytest.mark.unit


def test_application_is_django():
    assert isinstance(application, WSGIHandler)
