"""The Django admin for inspiring examples: analysts add and correct the catalogue."""

from __future__ import annotations

from django.contrib import admin

from alliance.web.examples.models import InspiringExample


@admin.register(InspiringExample)
class InspiringExampleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Examples found by code or title, filtered by category, region and year."""

    list_display = ("code", "title_fr", "category", "region", "year", "synthetic")
    list_filter = ("category", "region", "year", "synthetic")
    search_fields = ("code", "title_fr", "title_en")
