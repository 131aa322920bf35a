"""The forms of account self-service: sign up, one's profile, a new API token."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from alliance.web.accounts.models import User

__all__ = ["ProfileForm", "SignupForm", "TokenForm"]


class SignupForm(forms.Form):
    """E-mail, name and password twice; whether the e-mail is taken is never said here."""

    email = forms.EmailField(label=_("Adresse e-mail"))
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Mot de passe (encore)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        """Check the passwords agree and pass the validators (not too close to e-mail or names)."""
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Les deux mots de passe ne correspondent pas."))
        elif first and "email" in data:
            person = User(
                email=data["email"],
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(first, person)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ProfileForm(forms.ModelForm):  # type: ignore[type-arg]
    """What a person changes about themselves: their names and language."""

    class Meta:
        model = User
        fields = ("first_name", "last_name", "language")
        labels = {"first_name": _("Prénom"), "last_name": _("Nom"), "language": _("Langue")}


class TokenForm(forms.Form):
    """A new API token: its name, how many days it lives, and the password (asked every time)."""

    name = forms.CharField(label=_("Nom du jeton"), max_length=100, initial="api")
    password = forms.CharField(
        label=_("Votre mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Bound the lifetime by the settings of the moment (they may change between requests)."""
        super().__init__(*args, **kwargs)
        self.fields["days"] = forms.IntegerField(
            label=_("Durée (jours)"),
            min_value=1,
            max_value=settings.ALLIANCE_TOKEN_MAX_DAYS,
            initial=settings.ALLIANCE_TOKEN_DAYS,
        )
        self.order_fields(["name", "days", "password"])
