"""The Django admin: administrators name the coordinators of territories here."""

from __future__ import annotations

from django.contrib import admin

from alliance.web.territories.models import Coordinator, SelfAssessment


@admin.register(Coordinator)
class CoordinatorAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Coordinators found by e-mail or territory code."""

    list_display = ("user", "kind", "code", "created")
    list_filter = ("kind",)
    search_fields = ("user__email", "code")
    raw_id_fields = ("user",)


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The history of self-assessments, read-only: versions are kept as they were saved."""

    list_display = ("kind", "code", "author_email", "created")
    list_filter = ("kind",)
    search_fields = ("code", "author_email")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        """Refuse every change: a saved version is history."""
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        """Refuse additions: versions are saved by coordinators, checked, on the page or API.

        (Deleting one stays possible, a note holding personal data, say.)
        """
        return False
