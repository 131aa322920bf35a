"""Sign-up and token forms; passwords too close to the e-mail or the names are refused."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from alliance.web.accounts.forms import ProfileForm, SignupForm, TokenForm
from alliance.web.accounts.models import User
from alliance.web.demo_content import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.web.conftest import PASSWORD, ROLES

pytestmark = pytest.mark.integration

#: Django's French message (with its non-breaking spaces inside the quotes).
SIMILAR = "Le mot de passe est trop semblable au champ «\xa0adresse e-mail\xa0»."


def signup(**fields: str) -> SignupForm:
    data = {"email": "entreprise@demo.invalid", "password1": PASSWORD, "password2": PASSWORD}
    return SignupForm(data | fields)


def test_a_password_like_the_email_is_refused():
    with pytest.raises(ValidationError) as raised:
        validate_password("entreprisedemo", User(email="entreprise@demo.invalid"))

    assert raised.value.messages == [SIMILAR]


def test_a_password_like_a_name_is_refused():
    person = User(email="c@demo.invalid", first_name="Camille", last_name="Delacroix-Martin")

    with pytest.raises(ValidationError):
        validate_password("delacroixmartin", person)


def test_the_demo_and_test_passwords_stay_valid():
    for email in DEMO_ACCOUNTS:
        validate_password(DEMO_PASSWORD, User(email=email))
    for role in (*ROLES, "outsider", "analyst"):
        validate_password(PASSWORD, User(email=f"{role}@demo.invalid"))


def test_signup_accepts_a_good_password():
    form = signup(first_name="Camille")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["email"] == "entreprise@demo.invalid"


def test_signup_refuses_a_password_like_the_email():
    form = signup(password1="entreprisedemo", password2="entreprisedemo")

    assert not form.is_valid()
    assert form.errors["password1"] == [SIMILAR]


def test_signup_refuses_different_passwords():
    form = signup(password2="autre-chose-encore-1")

    assert not form.is_valid()
    assert form.errors["password2"] == ["Les deux mots de passe ne correspondent pas."]


def test_signup_refuses_a_short_or_common_password():
    form = signup(password1="azerty", password2="azerty")

    assert not form.is_valid()
    assert len(form.errors["password1"]) == 2


def test_signup_needs_an_email():
    form = signup(email="pas-une-adresse")

    assert not form.is_valid()
    assert form.errors["email"] == ["Saisissez une adresse de courriel valide."]


def test_the_profile_changes_names_and_language_only():
    assert list(ProfileForm().fields) == ["first_name", "last_name", "language"]


def test_the_token_form_bounds_the_lifetime(settings):
    settings.ALLIANCE_TOKEN_MAX_DAYS = 90
    settings.ALLIANCE_TOKEN_DAYS = 14

    form = TokenForm({"name": "cron", "days": "91", "password": "x"})

    assert list(form.fields) == ["name", "days", "password"]
    assert form.fields["days"].initial == 14
    assert not form.is_valid()
    assert form.errors["days"] == ["Assurez-vous que cette valeur est inférieure ou égale à 90."]
    assert TokenForm({"name": "cron", "days": "90", "password": "x"}).is_valid()
