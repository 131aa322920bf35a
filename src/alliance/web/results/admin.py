"""The Django admin for studies: analysts correct titles; results come only from publishing."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from alliance.web.results.models import Study, StudyVersion


class VersionInline(admin.TabularInline):  # type: ignore[type-arg]
    """A study's publications, read-only: they are made by ``alliance study publish``."""

    model = StudyVersion
    extra = 0
    fields = ("number", "published_at", "source")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Versions come only from publishing, which checks the study first."""
        return False


@admin.register(Study)
class StudyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Studies by code, with their titles and publications."""

    list_display = ("code", "title_fr", "synthetic")
    search_fields = ("code", "title_fr", "title_en")
    fields = ("code", "title_fr", "title_en", "synthetic")
    readonly_fields = ("code",)
    inlines = (VersionInline,)
