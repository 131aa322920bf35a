"""Every user-facing message, in French and English, under a stable key.

The texts live as data in ``locale/<prefix>.yaml`` (``survey.yaml`` holds the ``survey.*`` keys),
where translators can read them side by side. Keeping them in one table lets a test prove that
each exists in both languages and lets the CLI, the reports, the web pages and the API show the
same words. Placeholders use :meth:`str.format` syntax. Every command needs them at start-up,
so the parsed table is kept in the user's cache (:mod:`alliance.cache`), keyed by the files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alliance.cache import cached, files_key
from alliance.i18n import LANGUAGES, Lang

__all__ = ["LOCALE_DIR", "MESSAGES", "missing_translations", "render"]

LOCALE_DIR = Path(__file__).parent / "locale"


def _load(folder: Path) -> dict[str, dict[Lang, str]]:
    """Read every message file; a key must carry its file's prefix and appear only once."""
    import yaml  # only when the cache has no copy of these files

    # libyaml's parser when available (as ``alliance.yaml_document.YAML_LOADER``, which cannot
    # be imported here: it needs the errors, which need these messages).
    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    messages: dict[str, dict[Lang, str]] = {}
    for path in sorted(folder.glob("*.yaml")):
        entries = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
        for key, texts in entries.items():
            if not key.startswith(f"{path.stem}.") or key in messages:
                raise ValueError(f"{path.name}: message key {key!r} misplaced or repeated")
            messages[key] = texts
    return messages


MESSAGES: dict[str, dict[Lang, str]] = cached(
    "messages", files_key(LOCALE_DIR.glob("*.yaml")), dict, lambda: _load(LOCALE_DIR)
)


def render(key: str, lang: Lang, **params: Any) -> str:
    """Return the message ``key`` in ``lang`` with its placeholders filled.

    A parameter given in both languages (``{"fr": …, "en": …}``, such as a reason written in the
    data) is filled in ``lang``.

    Examples
    --------
    >>> render("location.line", "fr", value=3)
    'ligne 3'
    >>> render("location.line", "en", value={"fr": "trois", "en": "three"})
    'line three'
    """
    filled = {
        name: value[lang] if isinstance(value, dict) and set(value) == set(LANGUAGES) else value
        for name, value in params.items()
    }
    return MESSAGES[key][lang].format(**filled)


def missing_translations() -> list[str]:
    """Return the keys that lack a non-empty text in one of the languages (should be none)."""
    return [
        key
        for key, texts in MESSAGES.items()
        if any(not texts.get(lang, "").strip() for lang in LANGUAGES)
    ]
