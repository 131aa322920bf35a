"""Every user-facing message exists in French and English, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from alliance.messages import MESSAGES, missing_translations, render

pytestmark = pytest.mark.unit


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_no_message_lacks_a_language():
    assert missing_translations() == []


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_both_languages_use_the_same_placeholders(key):
    assert placeholders(MESSAGES[key]["fr"]) == placeholders(MESSAGES[key]["en"])


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_french_and_english_differ_unless_the_word_is_shared(key):
    shared = {
        "Code",
        "Version",
        "Versions",
        "Population",
        "Alliances",
        "Question",
        "Score",
        "variable",
        "total",
        "quantile",
    }
    fr, en = MESSAGES[key]["fr"], MESSAGES[key]["en"]
    assert fr != en or fr in shared


def test_render_fills_placeholders():
    assert render("lookup.unknown_item", "en", code="x", framework="levers") == (
        "Unknown item: 'x' in framework 'levers'"
    )
