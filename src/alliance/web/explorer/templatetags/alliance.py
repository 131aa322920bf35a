"""Template filters that speak the core's language: statuses, percentages, labels, links."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from alliance.errors import LookupFailedError
from alliance.messages import render
from alliance.referential import default_referential
from alliance.report.numbers import percent as core_percent
from alliance.territory.geography import place_name
from alliance.web.language import current_lang

register = template.Library()


@register.filter
def status_label(status: str) -> str:
    """Return a status (notebook, confirmed, inferred, unknown) as people read it."""
    return render(f"status.{status}", current_lang())


@register.filter
def percent(share: float | None) -> str:
    """Return a share (0–1) as a percentage in the page's language."""
    return "" if share is None else core_percent(share, current_lang())


@register.filter
def is_url(text: str) -> bool:
    """Tell whether a source is a web address (to link it)."""
    return isinstance(text, str) and text.startswith(("http://", "https://"))


@register.filter
def localised(obj: object, method: str) -> str:
    """Call ``obj.method(lang)``: a title, a summary or a label in the page's language.

    An optional text that is not there (a note left out) gives an empty string.
    """
    text = getattr(obj, method)
    return "" if text is None else str(text(current_lang()))


@register.filter
def get(mapping: object, key: str) -> object:
    """Look a key up in a dictionary (answers, scores, priorities)."""
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def label(code: str, framework: str) -> str:
    """Return the referential label of ``framework/code`` in the page's language."""
    try:
        return default_referential().label(f"{framework}/{code}", current_lang())
    except LookupFailedError:  # a code the referential no longer has is shown as it is
        return code


@register.filter
def target_url(target: str) -> str:
    """Return the explorer address of a ``framework/code`` referential target."""
    framework, _, code = target.partition("/")
    return f"{reverse('framework', args=[framework])}#{code}"


@register.filter
def target_label(target: str) -> str:
    """Return the label of a ``framework/code`` referential target in the page's language."""
    framework, _, code = target.partition("/")
    return label(code, framework)


@register.filter
def place(code: str | None) -> str:
    """Name a region, department or commune code (``HDF``, ``59``, ``59512``) for the page."""
    return "" if not code else place_name(str(code), current_lang())


@register.inclusion_tag("explorer/_sheet.html")
def practice_sheet(profile: str | None) -> dict[str, object]:
    """Link the practice sheet of an actor profile (or of the profile it belongs to).

    A profile whose sheet is known by name only says its address is unknown; a profile without
    a sheet shows nothing.
    """
    framework = default_referential().framework("actor-profiles")
    code = profile or ""
    while code in framework:
        item = framework.item(code)
        sheet = getattr(item, "practice_sheet", None)
        if sheet is not None:
            return {"known": True, "url": sheet.url, "status": sheet.status.value}
        code = item.parent or ""
    return {"known": False}


@register.filter
def urlencode_query(query: dict[str, str]) -> str:
    """Return a search's parameters as a query string (``category=mecenat&region=HDF``)."""
    return urlencode(query)
