"""People log in by e-mail; staff roles; API tokens stored only as their SHA-256."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth import authenticate
from django.db import IntegrityError

from alliance.web.accounts.models import ApiToken, User
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.integration


def test_create_user_by_email(db):
    user = User.objects.create_user("Camille.Martin@EXEMPLE.FR", PASSWORD)

    assert user.pk is not None
    assert user.email == "Camille.Martin@exemple.fr"  # the domain is normalised, not the name
    assert str(user) == "Camille.Martin@exemple.fr"
    assert user.username is None
    assert user.role == User.Role.MEMBER == "member"
    assert user.check_password(PASSWORD)
    assert not user.is_staff
    assert not user.is_superuser
    assert user.is_active
    assert User.USERNAME_FIELD == "email"
    assert User.REQUIRED_FIELDS == []


def test_a_person_logs_in_with_email_and_password(db):
    User.objects.create_user("camille@demo.invalid", PASSWORD)

    assert authenticate(email="camille@demo.invalid", password=PASSWORD) is not None
    assert authenticate(email="camille@demo.invalid", password="wrong") is None


def test_create_user_without_password_cannot_log_in(db):
    user = User.objects.create_user("sans-mot-de-passe@demo.invalid")

    assert not user.has_usable_password()


def test_emails_are_unique(db):
    User.objects.create_user("double@demo.invalid", PASSWORD)

    with pytest.raises(IntegrityError):
        User.objects.create_user("double@demo.invalid", PASSWORD)


def test_create_superuser_is_an_observatory_administrator(db):
    admin = User.objects.create_superuser("admin@demo.invalid", PASSWORD, role=User.Role.MEMBER)

    assert admin.is_staff
    assert admin.is_superuser
    assert admin.role == User.Role.ADMIN == "admin"
    assert admin.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("role", "superuser", "expected"),
    [
        (User.Role.MEMBER, False, False),
        (User.Role.ANALYST, False, True),
        (User.Role.ADMIN, False, True),
        (User.Role.MEMBER, True, True),
    ],
)
def test_is_observatory_staff(db, role, superuser, expected):
    user = User.objects.create_user("staff@demo.invalid", PASSWORD, role=role)
    user.is_superuser = superuser

    assert user.is_observatory_staff is expected


def test_role_labels_in_french():
    assert dict(User.Role.choices) == {
        "member": "membre",
        "analyst": "analyste de l'observatoire",
        "admin": "administrateur de l'observatoire",
    }


def test_issued_token_finds_its_user(db):
    user = User.objects.create_user("script@demo.invalid", PASSWORD)

    token = ApiToken.issue(user)

    assert len(token) == 43  # 32 random bytes, URL-safe base64
    assert ApiToken.user_for(token) == user
    assert ApiToken.user_for(token + "x") is None
    assert ApiToken.user_for("") is None


def test_only_the_sha256_of_a_token_is_stored(db):
    user = User.objects.create_user("script@demo.invalid", PASSWORD)

    token = ApiToken.issue(user)

    stored = ApiToken.objects.get(user=user)
    assert stored.digest == hashlib.sha256(token.encode()).hexdigest()
    assert len(stored.digest) == 64
    assert token not in stored.digest
    assert not ApiToken.objects.filter(digest=token).exists()
    assert stored.created is not None


def test_each_issue_makes_a_new_token(db):
    user = User.objects.create_user("script@demo.invalid", PASSWORD)

    first, second = ApiToken.issue(user), ApiToken.issue(user)

    assert first != second
    assert user.api_tokens.count() == 2
    assert ApiToken.user_for(first) == ApiToken.user_for(second) == user


def test_tokens_of_inactive_people_are_refused(db):
    user = User.objects.create_user("parti@demo.invalid", PASSWORD)
    token = ApiToken.issue(user)

    user.is_active = False
    user.save()

    assert ApiToken.user_for(token) is None


def test_tokens_go_with_their_person(db):
    user = User.objects.create_user("parti@demo.invalid", PASSWORD)
    token = ApiToken.issue(user)

    user.delete()

    assert ApiToken.user_for(token) is None
    assert ApiToken.objects.count() == 0


def test_analysts_get_the_django_admin(db):
    analyst = User.objects.create_user("analyste@demo.invalid", "x-long-password", role="analyst")

    assert analyst.is_staff is True
    assert analyst.is_superuser is False
