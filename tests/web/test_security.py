"""Security headers on every response: CSP, nosniff, frame denial, referrer policy."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("url", ["/", "/api/studies", "/nope/"])
def test_every_response_carries_the_security_headers(db, url):
    response = Client().get(url)

    assert response["Content-Security-Policy"].startswith("default-src 'self';")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
