"""The item models: required bilingual fields, placeholders, published figures."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from alliance.referential import Item, PublishedFigure, Status

pytestmark = pytest.mark.unit


def item_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": "force_1",
        "label": {"fr": "Force n° 1", "en": "Force no. 1"},
        "definition": {"fr": "Une force.", "en": "A force."},
        "status": "confirmed",
        "sources": ["notebook"],
    }
    return data | changes


def figure_data(**changes: Any) -> dict[str, Any]:
    return (
        item_data(
            code="citoyens_territoires",
            population="citoyens",
            population_detail={"fr": "Français", "en": "French people"},
            value=56,
        )
        | changes
    )


def error_types(error: ValidationError) -> list[str]:
    return [detail["type"] for detail in error.errors()]


def test_valid_item_exposes_text_by_language():
    item = Item.model_validate(item_data())

    assert item.text("fr") == ("Force n° 1", "Une force.")
    assert item.status is Status.CONFIRMED
    assert not item.is_placeholder


def test_placeholder_needs_both_markers():
    data = item_data(status="unknown", label={"fr": "Force n° 1 [inconnu]", "en": "Force no. 1"})

    with pytest.raises(ValidationError) as caught:
        Item.model_validate(data)

    assert error_types(caught.value) == ["placeholder_markers_missing"]


def test_placeholder_with_markers_is_valid():
    data = item_data(
        status="unknown",
        label={"fr": "Force n° 1 [inconnu]", "en": "Force no. 1 [unknown]"},
    )

    assert Item.model_validate(data).is_placeholder


def test_item_without_sources_is_refused():
    with pytest.raises(ValidationError) as caught:
        Item.model_validate(item_data(sources=[]))

    assert error_types(caught.value) == ["too_short"]


def test_items_are_immutable():
    item = Item.model_validate(item_data())

    with pytest.raises(ValidationError):
        item.code = "other"  # type: ignore[misc]


def test_figure_value_is_a_percentage():
    with pytest.raises(ValidationError) as caught:
        PublishedFigure.model_validate(figure_data(value=156))

    assert error_types(caught.value) == ["less_than_equal"]


def test_figure_without_value_must_be_a_placeholder():
    with pytest.raises(ValidationError) as caught:
        PublishedFigure.model_validate(figure_data(value=None))

    assert error_types(caught.value) == ["figure_value"]


def test_placeholder_figure_has_no_value():
    data = figure_data(
        value=None,
        status="unknown",
        label={
            "fr": "Impact vu par les fondations [inconnu]",
            "en": "Impact for foundations [unknown]",
        },
    )

    assert PublishedFigure.model_validate(data).value is None


def test_figure_population_is_checked_against_actor_profiles():
    assert PublishedFigure.reference_fields == {"population": "actor-profiles"}
