"""The Django admin for people (observatory staff, by the permissions of their group).

Analysts may look after people, but not hand out power: only superusers change roles, staff
flags, groups and permissions, and only they touch another staff member's account (its password
included), so an analyst cannot raise their own rights or take over an administrator's account.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from alliance.web.accounts.models import ApiToken, User

#: What only a superuser may change on a person.
POWERS = ("role", "is_staff", "is_superuser", "groups", "user_permissions")


class TokenInline(admin.TabularInline):  # type: ignore[type-arg]
    """A person's API tokens: seen and revoked, never created or read back here."""

    model = ApiToken
    extra = 0
    fields = ("name", "created", "expires", "last_used")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Tokens are made by their owner, with their password, never by someone else."""
        return False


@admin.register(User)
class PersonAdmin(UserAdmin):  # type: ignore[type-arg]
    """People by e-mail, with their role, language and tokens."""

    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "role", "is_active", "is_staff")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password", "first_name", "last_name", "language", "role")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
    )
    add_fieldsets = ((None, {"fields": ("email", "password1", "password2", "role")}),)
    inlines = (TokenInline,)

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> Any:
        """No tokens on the add page: a new person has none."""
        return super().get_inline_instances(request, obj) if obj is not None else []

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        """Powers stay read-only for anyone but a superuser."""
        found = tuple(super().get_readonly_fields(request, obj))
        return found if request.user.is_superuser else found + POWERS

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Another staff member's account is a superuser's business."""
        others_staff = obj is not None and obj.is_staff and obj != request.user
        if others_staff and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)
