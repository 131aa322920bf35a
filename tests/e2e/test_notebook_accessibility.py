"""The demo notebook's HTML passes axe-core in Chromium: no serious or critical violation.

axe-core (``vendor/axe.min.js``, see ``vendor/README.md``) is injected into the page opened from
its file, as a reader opens ``notebook.html``; both languages are checked, at desktop and phone
widths.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from alliance.demo.delivery import deliver_study
from alliance.i18n import Lang
from alliance.report.html import render_html
from alliance.study.check import prepare_study
from alliance.study.notebook import build_notebook, load_prose
from alliance.study.run import StudyRun, run_study

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> StudyRun:
    """The demo study delivered and run (no PDF: only the HTML is checked here)."""
    return run_study(prepare_study(deliver_study(tmp_path_factory.mktemp("demo") / "impact")))


def notebook_file(run: StudyRun, lang: Lang, folder: Path) -> Path:
    definition = run.definition
    prose = load_prose(definition.path(definition.notebook)) if definition.notebook else None
    path = folder / f"notebook-{lang}.html"
    path.write_text(render_html(build_notebook(run, lang, prose=prose)), encoding="utf-8")
    return path


def violations(browser: Browser, path: Path, width: int) -> list[dict[str, Any]]:
    """Run axe-core on the page; return its violations (id, impact, the first nodes)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(path.as_uri())
        page.add_script_tag(path=str(AXE))
        found: list[dict[str, Any]] = page.evaluate(
            """async () => {
                const results = await axe.run(document, {resultTypes: ["violations"]});
                return results.violations.map(v => ({
                    id: v.id, impact: v.impact,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
                }));
            }"""
        )
        return found
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_demo_notebook_has_no_serious_accessibility_violation(
    browser: Browser, demo_run: StudyRun, tmp_path: Path, lang: Lang, width: int
) -> None:
    path = notebook_file(demo_run, lang, tmp_path)

    found = violations(browser, path, width)

    assert [v for v in found if v["impact"] in SERIOUS] == []


def test_axe_finds_what_it_should(browser: Browser, tmp_path: Path) -> None:
    """The check is live: an image without text and an unlabelled field are serious or critical."""
    path = tmp_path / "broken.html"
    path.write_text(
        '<!DOCTYPE html><html lang="fr"><head><title>t</title></head><body><main>'
        '<img src="x.png"><input type="text"></main></body></html>',
        encoding="utf-8",
    )

    found = {v["id"]: v["impact"] for v in violations(browser, path, 1280)}

    assert found["image-alt"] == "critical"
    assert found["label"] == "critical"


def test_the_notebook_fits_a_phone_tables_scroll_in_their_own_region(
    browser: Browser, demo_run: StudyRun, tmp_path: Path
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 900})
    try:
        page = context.new_page()
        page.goto(notebook_file(demo_run, "fr", tmp_path).as_uri())

        assert page.evaluate("document.documentElement.scrollWidth") == 390
        region = page.locator(".table-scroll").first
        assert region.get_attribute("tabindex") == "0"
        assert region.get_attribute("aria-labelledby") == "caption-K1"
        assert page.evaluate(
            "() => { const r = document.querySelector('.table-scroll');"
            " return r.scrollWidth > r.clientWidth; }"
        )
    finally:
        context.close()
