"""The home page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from alliance.web.examples.models import InspiringExample
from alliance.web.results.models import StudyVersion

__all__ = ["home"]


def home(request: HttpRequest) -> HttpResponse:
    """Show what the platform offers, with the latest examples."""
    context = {
        "examples": InspiringExample.objects.all()[:3],
        "has_results": StudyVersion.objects.exists(),
    }
    return render(request, "home.html", context)
