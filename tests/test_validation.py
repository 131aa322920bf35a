"""pydantic errors become the project's bilingual messages."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from alliance.messages import render
from alliance.validation import message_for

pytestmark = pytest.mark.unit


class Sample(BaseModel):
    size: int


def first_error(data: object) -> tuple[str, dict[str, object]]:
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate(data)
    return message_for(caught.value.errors()[0])


def test_known_type_maps_to_its_message():
    key, params = first_error({"size": "large"})

    assert key == "validation.int_parsing"
    assert render(key, "fr", **params) == "Nombre entier attendu"


def test_unknown_type_falls_back_with_pydantic_text():
    key, params = message_for(
        {"type": "uuid_parsing", "loc": (), "msg": "Input should be a UUID", "input": "x"}
    )

    assert (key, params) == ("validation.other", {"problem": "Input should be a UUID"})
