"""The page's language as the core names it: English under English, French otherwise."""

from __future__ import annotations

import pytest
from django.utils import translation

from alliance.web.language import current_lang

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("active", "expected"),
    [("en", "en"), ("en-gb", "en"), ("fr", "fr"), ("fr-ca", "fr"), ("de", "fr"), ("es", "fr")],
)
def test_current_lang_follows_django(active, expected):
    with translation.override(active):
        assert current_lang() == expected


def test_french_when_translations_are_off():
    with translation.override(None):
        assert current_lang() == "fr"


def test_back_to_the_outer_language_after_an_override():
    with translation.override("fr"):
        with translation.override("en"):
            assert current_lang() == "en"
        assert current_lang() == "fr"
