"""Shared options: the language falls back to the default one."""

from __future__ import annotations

import pytest

from alliance.cli.options import lang_or_default

pytestmark = pytest.mark.unit


def test_explicit_language_wins(monkeypatch):
    monkeypatch.setenv("ALLIANCE_LANG", "fr")

    assert lang_or_default("en") == "en"


def test_missing_language_uses_alliance_lang(monkeypatch):
    monkeypatch.setenv("ALLIANCE_LANG", "en")

    assert lang_or_default(None) == "en"
