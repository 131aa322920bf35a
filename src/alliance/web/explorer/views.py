"""Pages of the referential: the list of frameworks, and each framework with its items."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from alliance.errors import LookupFailedError
from alliance.referential import default_referential
from alliance.referential.presentation import item_view
from alliance.referential.records import framework_record
from alliance.report.diagrams import diagram
from alliance.web.language import current_lang

__all__ = ["framework_page", "frameworks_page"]


def frameworks_page(request: HttpRequest) -> HttpResponse:
    """Every framework with its title, its size and how sure its items are."""
    referential = default_referential()
    lang = current_lang()
    records = [framework_record(framework, referential, lang) for framework in referential]
    return render(
        request, "explorer/frameworks.html", {"frameworks": records, "version": referential.version}
    )


def framework_page(request: HttpRequest, code: str) -> HttpResponse:
    """One framework: each item as :func:`~alliance.referential.presentation.item_view` shows it."""
    referential = default_referential()
    lang = current_lang()
    try:
        framework = referential.framework(code)
    except LookupFailedError:
        raise Http404(code) from None
    items = [item_view(item, referential, lang, framework.code) for item in framework]
    record = framework_record(framework, referential, lang)
    context = {"framework": record, "items": items, "diagram": diagram(framework.code, lang)}
    return render(request, "explorer/framework.html", context)
