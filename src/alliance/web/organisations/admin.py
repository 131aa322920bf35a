"""The Django admin for organisations (observatory staff only)."""

from __future__ import annotations

from django.contrib import admin

from alliance.web.organisations.models import Membership, Organisation


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    """Members edited on the organisation's page."""

    model = Membership
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Organisations with their members."""

    list_display = ("name", "profile", "siren", "rna", "commune", "synthetic")
    search_fields = ("name", "siren", "rna")
    inlines = (MembershipInline,)
