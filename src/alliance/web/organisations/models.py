"""Organisations (a profile of the referential, a SIREN or RNA, a commune), members, invitations.

Every invitation (a colleague's here, a partner's in the partnerships app) shares
:class:`InvitationBase`: it is bound to one address, expires, can be revoked, and keeps only its
token's digest, so a copy of the database opens no door.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.identifiers import is_commune_code, is_rna, is_siren
from alliance.referential import default_referential
from alliance.web.accounts.models import User

__all__ = [
    "ColleagueInvitation", "InvitationBase", "InvitationMail", "Membership", "Organisation",
    "digest_of", "invitation_expiry",
]  # fmt: skip


def _validate_profile(code: str) -> None:
    if code not in default_referential().framework("actor-profiles"):
        raise ValidationError(_("Profil inconnu du référentiel : %(code)s"), params={"code": code})


def _validate_siren(value: str) -> None:
    if value and not is_siren(value):
        raise ValidationError(_("SIREN invalide : 9 chiffres dont la clé de Luhn est juste."))


def _validate_rna(value: str) -> None:
    if value and not is_rna(value):
        raise ValidationError(
            _(
                "RNA invalide : la lettre W, le code de la préfecture (3 caractères) puis 6 "
                "chiffres, par exemple W595001234."
            )
        )


def _validate_commune(value: str) -> None:
    if value and not is_commune_code(value):
        raise ValidationError(_("Code commune INSEE invalide (5 caractères, par exemple 75056)."))


class Organisation(models.Model):
    """An association, a company, a foundation, a local authority or an academic actor."""

    name = models.CharField(_("nom"), max_length=200)
    profile = models.CharField(_("profil"), max_length=64, validators=[_validate_profile])
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, validators=[_validate_siren])
    rna = models.CharField(_("RNA"), max_length=10, blank=True, validators=[_validate_rna])
    #: Indexed with the profile (:attr:`Meta.indexes`): territory pages count organisations by
    #: profile in their communes from the index alone, and find their partnerships by commune.
    commune = models.CharField(
        _("commune (code INSEE)"), max_length=5, blank=True, validators=[_validate_commune]
    )
    synthetic = models.BooleanField(_("données de démonstration"), default=False)
    created = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(User, through="Membership", related_name="organisations")

    class Meta:
        ordering = ("name",)
        verbose_name = _("organisation")
        indexes = [models.Index(fields=["commune", "profile"], name="organisation_place")]

    def __str__(self) -> str:
        return self.name

    def profile_label(self, lang: str) -> str:
        """Return the profile's label in ``lang``."""
        return default_referential().label(f"actor-profiles/{self.profile}", lang)  # type: ignore[arg-type]


class Membership(models.Model):
    """A person's role in an organisation: owner, editor or viewer."""

    class Role(models.TextChoices):
        OWNER = "owner", _("responsable")
        EDITOR = "editor", _("contributeur")
        VIEWER = "viewer", _("lecteur")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=8, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_role_per_member")
        ]


def digest_of(token: str) -> str:
    """Return what is kept of an invitation's token: its SHA-256 digest."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_expiry() -> datetime:
    """Return when an invitation sent now stops working (``ALLIANCE_INVITATION_DAYS``)."""
    return timezone.now() + timedelta(days=settings.ALLIANCE_INVITATION_DAYS)


class InvitationBase(models.Model):
    """An invitation by e-mail: bound to its address, expiring, revocable, stored as a digest."""

    class State(models.TextChoices):
        PENDING = "pending", _("en attente")
        ACCEPTED = "accepted", _("acceptée")
        EXPIRED = "expired", _("expirée")
        REVOKED = "revoked", _("annulée")

    email = models.EmailField()
    digest = models.CharField(max_length=64, unique=True)
    #: The person who sent it (who therefore cannot accept it).
    sent_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(default=invitation_expiry)
    revoked = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def new_token(self) -> str:
        """Give the invitation a new token and a new expiry; return the token (never stored)."""
        token = secrets.token_urlsafe(24)
        self.digest = digest_of(token)
        self.expires = invitation_expiry()
        return token

    def is_accepted(self) -> bool:
        """Tell whether the invitation has served (each kind knows who accepted it)."""
        raise NotImplementedError

    def state(self) -> InvitationBase.State:
        """Return where the invitation stands now."""
        if self.is_accepted():
            return self.State.ACCEPTED
        if self.revoked is not None:
            return self.State.REVOKED
        if self.expires <= timezone.now():
            return self.State.EXPIRED
        return self.State.PENDING

    @classmethod
    def by_token(cls, token: str) -> Self | None:
        """Return the invitation a token belongs to, whatever its state."""
        return cls.objects.filter(digest=digest_of(token)).first()  # type: ignore[attr-defined, no-any-return]

    @classmethod
    def pending(cls) -> models.QuerySet[Self]:
        """Invitations still waiting for an answer (not accepted, revoked nor expired)."""
        return cls.objects.filter(  # type: ignore[attr-defined, no-any-return]
            accepted_by__isnull=True, revoked__isnull=True, expires__gt=timezone.now()
        )


class ColleagueInvitation(InvitationBase):
    """An invitation to become a member of an organisation, with a role."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(max_length=8, choices=Membership.Role.choices)
    accepted_by = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-created",)

    def is_accepted(self) -> bool:
        """Tell whether someone joined with it."""
        return self.accepted_by_id is not None


class InvitationMail(models.Model):
    """One invitation e-mail an organisation sent (first or again), counted for the daily limit."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitation_mails"
    )
    sent = models.DateTimeField(auto_now_add=True, db_index=True)
