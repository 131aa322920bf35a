"""Texts compared as people mean them."""

from __future__ import annotations

import pytest

from alliance.text import normalise

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Très fort", "tres_fort"), ("  Île-de-France ", "ile_de_france"), ("Q5[SQ001]", "q5_sq001")],
)
def test_case_accents_and_punctuation_fold(text, folded):
    assert normalise(text) == folded
