"""Template filters that speak the core's language: statuses, percentages, links."""

from __future__ import annotations

from django import template

from alliance.messages import render
from alliance.report.numbers import percent as core_percent
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
    """Call ``obj.method(lang)``: a title, a summary or a label in the page's language."""
    return str(getattr(obj, method)(current_lang()))
