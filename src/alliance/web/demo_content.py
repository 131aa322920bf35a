"""The demo's web content: the synthetic inspiring examples and the demo study's results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from alliance.demo.study import StudyResults
from alliance.web.examples.models import InspiringExample
from alliance.web.results.loading import load_study

__all__ = ["EXAMPLES_FILE", "load_demo_content", "load_examples"]

EXAMPLES_FILE = Path(__file__).parent / "examples" / "data" / "demo_examples.yaml"


@transaction.atomic
def load_examples(path: Path = EXAMPLES_FILE, *, synthetic: bool = True) -> int:
    """Create or update the examples of a YAML file (``examples:`` list)."""
    entries: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))["examples"]
    for entry in entries:
        InspiringExample.objects.update_or_create(
            code=entry["code"],
            defaults={
                "title_fr": entry["title"]["fr"],
                "title_en": entry["title"]["en"],
                "summary_fr": entry["summary"]["fr"],
                "summary_en": entry["summary"]["en"],
                "partners": entry["partners"],
                "category": entry["category"],
                "objectives": entry.get("objectives", []),
                "common_objective": entry.get("common_objective") or "",
                "region": entry["region"],
                "commune": str(entry.get("commune") or ""),
                "year": entry["year"],
                "sdg": entry.get("sdg", []),
                "innovation_stage": entry.get("innovation_stage") or "",
                "impacts": entry.get("impacts", []),
                "sources": entry.get("sources", []),
                "synthetic": synthetic,
            },
        )
    return len(entries)


def load_demo_content(results: StudyResults) -> dict[str, int]:
    """Load the synthetic examples and the study's results; return how many of each."""
    return {"examples": load_examples(), "results": load_study(results)}
