"""People (logged in by e-mail) and the tokens scripts use for the API.

A token is a secret that outlives the page that made it, so it is bounded: it expires, it has a
name its owner recognises, it is capped per person and it dies with the password, the account or
the session that created it. Only its SHA-256 is stored: a database leak gives no usable token.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.errors import AllianceError, Location

__all__ = ["STAFF_GROUPS", "ApiToken", "MailRequest", "User"]

#: The admin groups of observatory staff (made by a data migration), by role.
STAFF_GROUPS = {"analyst": "Analystes", "admin": "Administrateurs"}


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
    language = models.CharField(
        _("langue"), max_length=2, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects = EmailUserManager()  # type: ignore[misc]

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Give staff the admin (analysts their group); revoke tokens on a new password or leave.

        Every way of changing a password (the form, the reset link, the admin, ``changepassword``)
        ends here, so the tokens made with the old one cannot outlive it.
        """
        if self.role in (self.Role.ANALYST, self.Role.ADMIN):
            self.is_staff = True
        new_password = self._password is not None  # type: ignore[attr-defined]
        existed = self.pk is not None
        super().save(*args, **kwargs)
        if existed and (new_password or not self.is_active):
            self.api_tokens.all().delete()
        group = STAFF_GROUPS.get(self.role)
        if group:
            self.groups.add(*Group.objects.filter(name=group))

    @property
    def is_observatory_staff(self) -> bool:
        """Analysts and administrators of the observatory."""
        return self.role in (self.Role.ANALYST, self.Role.ADMIN) or self.is_superuser

    def __str__(self) -> str:
        return self.email


def digest_of(secret: str) -> str:
    """Return the SHA-256 of a token or session key: what is stored instead of the secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    """A named, expiring token for scripts: only its SHA-256 is stored, the token is shown once."""

    DEFAULT_NAME = "api"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nom"), max_length=100, default=DEFAULT_NAME)
    digest = models.CharField(max_length=64, unique=True)
    session_digest = models.CharField(max_length=64, blank=True, default="", db_index=True)
    created = models.DateTimeField(_("créé le"), auto_now_add=True)
    expires = models.DateTimeField(_("expire le"))
    last_used = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)

    class Meta:
        ordering = ("-created", "-pk")
        constraints = (models.UniqueConstraint(fields=("user", "name"), name="one_token_per_name"),)

    def __str__(self) -> str:
        return f"{self.user} / {self.name}"

    @classmethod
    def mint(
        cls,
        user: User,
        name: str = "",
        days: int | None = None,
        session_key: str | None = None,
    ) -> tuple[ApiToken, str]:
        """Create a token for ``user`` and return it with its record (it cannot be read back).

        A token of the same name is replaced rather than multiplied; beyond the cap per person
        the caller must revoke one first; ``days`` is bounded by ``ALLIANCE_TOKEN_MAX_DAYS``.
        ``session_key`` ties the token to the session that made it: logging out revokes it.
        """
        name = name.strip() or cls.DEFAULT_NAME
        if len(name) > 100:
            raise AllianceError("token.name_too_long", Location(field="name", value=name[:20]))
        days = settings.ALLIANCE_TOKEN_DAYS if days is None else days
        if not 1 <= days <= settings.ALLIANCE_TOKEN_MAX_DAYS:
            raise AllianceError(
                "token.days_out_of_range",
                Location(field="days", value=str(days)),
                max=settings.ALLIANCE_TOKEN_MAX_DAYS,
            )
        now = timezone.now()
        cls.objects.filter(user=user, expires__lte=now).delete()
        cls.objects.filter(user=user, name=name).delete()
        cap = settings.ALLIANCE_TOKENS_PER_PERSON
        if cls.objects.filter(user=user).count() >= cap:
            raise AllianceError("token.too_many", Location(field="name", value=name), cap=cap)
        token = secrets.token_urlsafe(32)
        record = cls.objects.create(
            user=user,
            name=name,
            digest=digest_of(token),
            session_digest=digest_of(session_key) if session_key else "",
            expires=now + timedelta(days=days),
        )
        return record, token

    @classmethod
    def issue(cls, user: User, name: str = "", days: int | None = None) -> str:
        """Create a token for ``user`` and return only the token (for scripts and tests)."""
        return cls.mint(user, name, days)[1]

    @classmethod
    def user_for(cls, token: str) -> User | None:
        """Return the active person a live token belongs to, noting when it was last used."""
        now = timezone.now()
        found = (
            cls.objects.select_related("user")
            .filter(digest=digest_of(token), expires__gt=now)
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        if found.last_used is None or now - found.last_used > timedelta(minutes=1):
            cls.objects.filter(pk=found.pk).update(last_used=now)  # at most a write a minute
        return found.user

    @classmethod
    def live(cls, user: User) -> list[ApiToken]:
        """Return a person's tokens that have not expired, newest first."""
        return list(cls.objects.filter(user=user, expires__gt=timezone.now()))

    @classmethod
    def revoke_session(cls, session_key: str) -> int:
        """Revoke the tokens made from a session (on its logout); return how many."""
        return cls.objects.filter(session_digest=digest_of(session_key)).delete()[0]


class MailRequest(models.Model):
    """One e-mail sent on request (reset, sign-up), counted for its address and its e-mail.

    Kept in the database, not in a process's memory, so the limit holds however many server
    processes and machines answer (``alliance.web.accounts.limits``).
    """

    #: ``address:<ip>`` or ``email:<sha256 of the e-mail>``.
    key = models.CharField(max_length=80)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["key", "at"], name="mail_requests_by_key")]
