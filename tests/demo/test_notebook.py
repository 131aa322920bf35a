"""The notebook document: chapters of the seed, numbered tables, fragile estimates flagged."""

from __future__ import annotations

import pytest

from alliance.demo import DemoOutputs
from alliance.demo.notebook import is_fragile, load_content
from alliance.survey import Estimate

pytestmark = pytest.mark.integration


def test_chapters_follow_the_seed(demo_fr: DemoOutputs):
    assert [c.id for c in demo_fr.document.chapters] == [
        chapter["id"] for chapter in load_content()["chapters"]
    ]
    assert demo_fr.document.chapters[0].title == "L'alliance, troisième pilier de la performance"


def test_tables_are_numbered_in_reading_order_with_provenance(demo_fr: DemoOutputs):
    ids = [table.id for table in demo_fr.document.tables()]

    assert ids[:4] == ["T1", "T2", "T3", "F1"]
    assert all(table.provenance == table.id for table in demo_fr.document.tables())
    assert set(ids) == set(demo_fr.document.provenance["tables"])


def test_prose_states_no_survey_figure():
    text = str(load_content())

    assert not any(f"{n} %" in text or f"{n}%" in text for n in range(1, 100))


def share(n: int, se: float) -> Estimate:
    return Estimate("q", "share", 0.5, se, n=n, deff=1.0, df=n - 1, rows_in_design=n)


@pytest.mark.parametrize(
    ("n", "se", "fragile"),
    [(29, 0.02, True), (30, 0.02, False), (200, 0.06, True), (200, 0.04, False)],
)
def test_fragile_below_30_answers_or_wider_than_20_points(n, se, fragile):
    assert is_fragile(share(n, se)) is fragile
