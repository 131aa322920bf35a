"""The API's documentation page renders its operations in a real browser, under the site's CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def test_api_docs_render_the_operations_without_any_csp_violation(site: str, page: Page):
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: problems.append(f"failed {r.url}"))
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(site) else outside.append(r.url))

    page.goto(f"{site}/api/docs")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Alliance Observatory API")
    expect(page.locator(".opblock-summary-path", has_text="/api/examples").first).to_be_visible()
    assert page.locator(".opblock").count() >= 20
    assert problems == []
    assert [u for u in outside if not u.startswith("data:")] == []


def test_an_unknown_page_shows_the_site_error_page(site: str, page: Page):
    response = page.goto(f"{site}/nowhere/")

    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page introuvable")).to_be_visible()
    expect(page.get_by_role("link", name="Mentions légales")).to_be_visible()
