"""English pages: the committed .mo matches the .po, pages switch language by header or by form."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from django.test import Client

import alliance.web

WEB = Path(alliance.web.__file__).parent
MESSAGES = WEB / "locale" / "en" / "LC_MESSAGES"

pytestmark = pytest.mark.integration


def catalog() -> Catalog:
    with (MESSAGES / "django.po").open("rb") as po:
        return read_po(po)


def compiled() -> gettext.GNUTranslations:
    with (MESSAGES / "django.mo").open("rb") as mo:
        return gettext.GNUTranslations(mo)


def texts(value: object) -> list[str]:
    """A message's id or string as a list: one text, or the singular and plural."""
    if isinstance(value, str):
        return [value]
    assert isinstance(value, (tuple, list)), value
    return [str(text) for text in value]


def test_every_message_of_the_po_has_an_english_text():
    messages = [m for m in catalog() if m.id]

    assert len(messages) >= len(_template_messages())
    assert [m.id for m in messages if m.fuzzy] == []
    for message in messages:
        translations = texts(message.string)
        assert translations, message.id
        assert all(text.strip() for text in translations), message.id


def test_the_committed_mo_matches_the_po():
    mo = compiled()
    checked = 0

    for message in catalog():
        if not message.id:
            continue
        ids, translations = texts(message.id), texts(message.string)
        if message.pluralizable:
            singular, plural = ids
            assert mo.ngettext(singular, plural, 1) == translations[0], ids
            assert mo.ngettext(singular, plural, 2) == translations[1], ids
        elif message.context:
            assert mo.pgettext(message.context, ids[0]) == translations[0], ids
        else:
            assert mo.gettext(ids[0]) == translations[0], ids
        checked += 1

    assert checked == len([m for m in catalog() if m.id])


def test_the_mo_declares_english_and_its_plural_rule():
    info = compiled().info()

    assert info["language"] == "en"
    assert info["plural-forms"] == "nplurals=2; plural=(n != 1);"


def _template_messages() -> set[str]:
    """The msgids makemessages would extract from the templates (``%`` doubled, as Django does)."""
    found: set[str] = set()
    for path in (WEB / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"""{% translate (["'])(.*?)\1 %}""", text):
            found.add(match.group(2).replace("%", "%%"))
        pattern = r"{% blocktranslate[^%]*%}(.*?){% (?:endblocktranslate|plural) %}"
        for match in re.finditer(pattern, text, re.S):
            found.add(re.sub(r"{{ (\w+) }}", r"%(\1)s", match.group(1).replace("%", "%%")))
    return found


def test_every_template_text_is_in_the_po():
    ids = {texts(m.id)[0] for m in catalog() if m.id}

    found = _template_messages()

    assert {
        "Exemples inspirants",
        "IC 95 %%",
        "%(counter)s exemple",
        "%(counter)s estimation",
    } <= found
    assert sorted(found - ids) == []


def test_english_page_by_header(db):
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode()

    assert '<html lang="en">' in page
    assert '<a href="/examples/">Inspiring examples</a>' in page
    assert "<h1>Alliances, the third pillar of performance</h1>" in page
    assert "Exemples inspirants" not in page


def test_french_by_default_and_for_other_languages(db):
    for client in (Client(), Client(HTTP_ACCEPT_LANGUAGE="de")):
        page = client.get("/").content.decode()
        assert '<html lang="fr">' in page
        assert '<a href="/examples/">Exemples inspirants</a>' in page


def test_set_language_switches_the_cookie(db):
    client = Client()

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/examples/"})

    assert response.status_code == 302
    assert response["Location"] == "/examples/"
    assert response.cookies["django_language"].value == "en"
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Inspiring examples" in page

    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})

    assert client.cookies["django_language"].value == "fr"
    assert '<html lang="fr">' in client.get("/").content.decode()


def test_an_unsupported_language_keeps_french_pages(db):
    client = Client()

    response = client.post("/i18n/setlang/", {"language": "de", "next": "/"})

    assert response.status_code == 302
    assert '<html lang="fr">' in client.get("/").content.decode()


def test_set_language_refuses_to_redirect_elsewhere(db):
    response = Client().post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
