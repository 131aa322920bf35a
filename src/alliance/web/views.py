"""The home page, the legal and privacy pages, and ``robots.txt``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from alliance.web.examples.models import InspiringExample
from alliance.web.results.catalogue import has_published

__all__ = ["home", "legal", "privacy", "robots"]

#: Private or useless to crawlers; the API's documentation stays open.
ROBOTS = """User-agent: *
Allow: /api/docs
Allow: /api/openapi.json
Disallow: /api/
Disallow: /organisations/
Disallow: /partnerships/
Disallow: /invitations/
Disallow: /accounts/
Disallow: /admin/
Disallow: /i18n/
"""


def home(request: HttpRequest) -> HttpResponse:
    """Show what the platform offers, with the latest examples."""
    context = {
        "examples": InspiringExample.objects.all()[:3],
        "has_results": has_published(),
    }
    return render(request, "home.html", context)


def legal(request: HttpRequest) -> HttpResponse:
    """Say who publishes and hosts the site (« Mentions légales », required in France)."""
    return render(request, "legal.html", {"privacy_url": reverse("privacy")})


def privacy(request: HttpRequest) -> HttpResponse:
    """Say what personal data is kept, why, how long, and how to erase it (RGPD)."""
    return render(request, "privacy.html")


def robots(request: HttpRequest) -> HttpResponse:
    """Keep crawlers out of private areas and the API, but not its documentation."""
    return HttpResponse(ROBOTS, content_type="text/plain; charset=utf-8")
