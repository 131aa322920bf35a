"""The API's interactive documentation: served from this site only, under the strict CSP."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.integration


def test_api_docs_reference_only_same_origin_assets(db):
    response = Client().get("/api/docs")

    assert response.status_code == 200
    page = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert "/static/ninja/swagger-ui-bundle.js" in assets
    assert "/static/ninja/swagger-ui-init.js" in assets
    assert "/static/ninja/swagger-ui.css" in assets
    assert all(a.startswith("/static/") for a in assets), assets
    assert "<script>" not in page  # no inline script: the CSP would block it
    assert '"url": "/api/openapi.json"' in page
    for asset in assets:
        assert Client().get(asset).status_code == 200, asset
