"""End-to-end tests: the site served by a live Django server, driven in headless Chromium.

Chromium is Debian's (``/usr/bin/chromium``, installed by ``.ci/run``), driven by Playwright. A
failing test leaves a screenshot in ``test-artifacts/``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from alliance.web.accounts.models import User
from alliance.web.demo_content import load_examples
from alliance.web.organisations.models import Membership, Organisation
from alliance.web.results.publishing import publish
from tests.web.studies import synthetic_study

# Playwright's sync API keeps an event loop in this thread; Django's database calls made by the
# fixtures in the same thread are safe (the live server answers from its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARGUMENTS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
PASSWORD = "mot-de-passe-solide-42"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGUMENTS)
        yield launched
        launched.close()


@pytest.fixture
def site(live_server, transactional_db, settings) -> str:
    """The live site with the demo examples, a published study and a member of an organisation."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_examples()
    publish(synthetic_study())
    organisation = Organisation.objects.create(
        name="Les Jardins du Lac (fictive)", profile="associations", synthetic=True
    )
    user = User.objects.create_user("association@demo.invalid", PASSWORD)
    Membership.objects.create(user=user, organisation=organisation, role="owner")
    return str(live_server.url)


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        opened.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    if report.when == "call":
        item.report_call = report  # type: ignore[attr-defined]
    return report
