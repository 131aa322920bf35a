"""Choosing the language: French unless ALLIANCE_LANG says otherwise."""

from __future__ import annotations

import pytest

from alliance.i18n import LANGUAGES, default_lang

pytestmark = pytest.mark.unit


def test_languages_are_french_then_english():
    assert LANGUAGES == ("fr", "en")


@pytest.mark.parametrize(
    ("setting", "expected"),
    [("en", "en"), ("EN_GB.UTF-8", "en"), ("fr_FR", "fr"), ("de", "fr"), ("", "fr")],
)
def test_default_language_follows_alliance_lang(monkeypatch, setting, expected):
    monkeypatch.setenv("ALLIANCE_LANG", setting)

    assert default_lang() == expected
