"""People (logged in by e-mail) and the tokens scripts use for the API."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["ApiToken", "User"]


class EmailUserManager(UserManager["User"]):
    """Create users from an e-mail address rather than a user name."""

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        """Create a person who logs in with ``email``."""
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        """Create an observatory administrator."""
        extra |= {"is_staff": True, "is_superuser": True, "role": User.Role.ADMIN}
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person. Observatory staff are analysts or administrators; everyone else is a member."""

    class Role(models.TextChoices):
        MEMBER = "member", _("membre")
        ANALYST = "analyst", _("analyste de l'observatoire")
        ADMIN = "admin", _("administrateur de l'observatoire")

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("adresse e-mail"), unique=True)
    role = models.CharField(_("rôle"), max_length=16, choices=Role.choices, default=Role.MEMBER)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects = EmailUserManager()  # type: ignore[misc]

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Give observatory staff (analysts, administrators) the Django admin."""
        if self.role in (self.Role.ANALYST, self.Role.ADMIN):
            self.is_staff = True
        super().save(*args, **kwargs)

    @property
    def is_observatory_staff(self) -> bool:
        """Analysts and administrators of the observatory."""
        return self.role in (self.Role.ANALYST, self.Role.ADMIN) or self.is_superuser

    def __str__(self) -> str:
        return self.email


class ApiToken(models.Model):
    """A token for scripts: only its SHA-256 is stored, the token itself is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)

    @classmethod
    def issue(cls, user: User) -> str:
        """Create a token for ``user`` and return it (it cannot be read back later)."""
        token = secrets.token_urlsafe(32)
        cls.objects.create(user=user, digest=hashlib.sha256(token.encode()).hexdigest())
        return token

    @classmethod
    def user_for(cls, token: str) -> User | None:
        """Return the user a token belongs to, if any."""
        digest = hashlib.sha256(token.encode()).hexdigest()
        found = cls.objects.select_related("user").filter(digest=digest).first()
        return found.user if found and found.user.is_active else None
