"""Organisations (with a profile of the referential, a SIREN or RNA, a commune) and memberships."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance.identifiers import is_commune_code, is_rna, is_siren
from alliance.referential import default_referential
from alliance.web.accounts.models import User

__all__ = ["Membership", "Organisation"]


def _validate_profile(code: str) -> None:
    if code not in default_referential().framework("actor-profiles"):
        raise ValidationError(_("Profil inconnu du référentiel : %(code)s"), params={"code": code})


def _validate_siren(value: str) -> None:
    if value and not is_siren(value):
        raise ValidationError(_("SIREN invalide : 9 chiffres dont la clé de Luhn est juste."))


def _validate_rna(value: str) -> None:
    if value and not is_rna(value):
        raise ValidationError(_("RNA invalide : la lettre W suivie de 9 chiffres."))


def _validate_commune(value: str) -> None:
    if value and not is_commune_code(value):
        raise ValidationError(_("Code commune INSEE invalide (5 caractères, par exemple 75056)."))


class Organisation(models.Model):
    """An association, a company, a foundation, a local authority or an academic actor."""

    name = models.CharField(_("nom"), max_length=200)
    profile = models.CharField(_("profil"), max_length=64, validators=[_validate_profile])
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, validators=[_validate_siren])
    rna = models.CharField(_("RNA"), max_length=10, blank=True, validators=[_validate_rna])
    commune = models.CharField(
        _("commune (code INSEE)"), max_length=5, blank=True, validators=[_validate_commune]
    )
    synthetic = models.BooleanField(_("données de démonstration"), default=False)
    created = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(User, through="Membership", related_name="organisations")

    class Meta:
        ordering = ("name",)
        verbose_name = _("organisation")

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
