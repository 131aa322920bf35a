"""People log in by e-mail; staff roles and their admin groups; API tokens and their life."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.db import IntegrityError
from django.test import RequestFactory
from django.utils import timezone

from alliance.errors import AllianceError
from alliance.web.accounts.models import STAFF_GROUPS, ApiToken, User
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

    request = RequestFactory().post("/accounts/login/")

    assert authenticate(request, email="camille@demo.invalid", password=PASSWORD) is not None
    assert authenticate(request, email="camille@demo.invalid", password="wrong") is None


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


def test_analysts_get_the_django_admin(db):
    analyst = User.objects.create_user("analyste@demo.invalid", "x-long-password", role="analyst")

    assert analyst.is_staff is True
    assert analyst.is_superuser is False


def test_analysts_and_administrators_join_their_admin_group(db):
    analyst = User.objects.create_user("analyste@demo.invalid", PASSWORD, role="analyst")
    chief = User.objects.create_user("chef@demo.invalid", PASSWORD, role="admin")
    member = User.objects.create_user("membre@demo.invalid", PASSWORD)

    assert [g.name for g in analyst.groups.all()] == ["Analystes"]
    assert [g.name for g in chief.groups.all()] == ["Administrateurs"]
    assert list(member.groups.all()) == []
    assert STAFF_GROUPS == {"analyst": "Analystes", "admin": "Administrateurs"}


def test_the_analysts_group_has_the_permissions_of_their_job(db):
    permissions = set(
        Group.objects.get(name="Analystes").permissions.values_list(
            "content_type__app_label", "codename"
        )
    )

    assert permissions == {
        ("accounts", "view_user"), ("accounts", "change_user"),
        ("organisations", "view_organisation"), ("organisations", "change_organisation"),
        ("organisations", "view_membership"),
        ("examples", "view_inspiringexample"), ("examples", "add_inspiringexample"),
        ("examples", "change_inspiringexample"),
        ("results", "view_study"), ("results", "change_study"), ("results", "view_studyversion"),
        ("territories", "view_coordinator"),
    }  # fmt: skip


def test_language_is_french_by_default(db):
    assert User.objects.create_user("langue@demo.invalid", PASSWORD).language == "fr"


# API tokens: digest only, named, expiring, capped, revoked with the password or the account.


@pytest.fixture
def person(db) -> User:
    return User.objects.create_user("script@demo.invalid", PASSWORD)


def test_issued_token_finds_its_user(person):
    token = ApiToken.issue(person)

    assert len(token) == 43  # 32 random bytes, URL-safe base64
    assert ApiToken.user_for(token) == person
    assert ApiToken.user_for(token + "x") is None
    assert ApiToken.user_for("") is None


def test_only_the_sha256_of_a_token_is_stored(person):
    record, token = ApiToken.mint(person, "mon script")

    stored = ApiToken.objects.get(user=person)
    assert stored == record
    assert stored.digest == hashlib.sha256(token.encode()).hexdigest()
    assert not ApiToken.objects.filter(digest=token).exists()
    assert stored.name == "mon script"
    assert str(stored) == "script@demo.invalid / mon script"
    assert stored.session_digest == ""


def test_a_token_lives_thirty_days_by_default(person):
    record, _ = ApiToken.mint(person)

    assert record.name == "api"
    assert record.expires - record.created == pytest.approx(
        timedelta(days=30), abs=timedelta(seconds=1)
    )
    assert record.last_used is None


def test_the_lifetime_is_chosen_within_the_maximum(person, settings):
    settings.ALLIANCE_TOKEN_MAX_DAYS = 90

    record, _ = ApiToken.mint(person, "court", days=90)

    assert record.expires - record.created == pytest.approx(
        timedelta(days=90), abs=timedelta(seconds=1)
    )
    for days in (0, 91, -3):
        with pytest.raises(AllianceError) as raised:
            ApiToken.mint(person, "trop", days=days)
        assert raised.value.key == "token.days_out_of_range"
        assert "between 1 and 90 days" in raised.value.message("en")
        assert "entre 1 et 90 jours" in raised.value.message("fr")


def test_the_default_lifetime_is_a_setting(person, settings):
    settings.ALLIANCE_TOKEN_DAYS = 7

    record, _ = ApiToken.mint(person)

    assert record.expires - record.created == pytest.approx(
        timedelta(days=7), abs=timedelta(seconds=1)
    )


def test_an_expired_token_is_refused(person, monkeypatch):
    token = ApiToken.issue(person, days=1)
    later = timezone.now() + timedelta(days=1, seconds=1)

    monkeypatch.setattr(timezone, "now", lambda: later)

    assert ApiToken.user_for(token) is None
    assert ApiToken.live(person) == []


def test_using_a_token_notes_when(person):
    token = ApiToken.issue(person)

    ApiToken.user_for(token)

    assert ApiToken.objects.get(user=person).last_used is not None


def test_a_token_of_the_same_name_replaces_the_old_one(person):
    first = ApiToken.issue(person, "cron")
    second = ApiToken.issue(person, "cron")
    other = ApiToken.issue(person, "notebook")

    assert ApiToken.user_for(first) is None
    assert ApiToken.user_for(second) == ApiToken.user_for(other) == person
    assert sorted(t.name for t in ApiToken.live(person)) == ["cron", "notebook"]


def test_tokens_are_capped_per_person(person, settings):
    settings.ALLIANCE_TOKENS_PER_PERSON = 2
    ApiToken.issue(person, "un")
    ApiToken.issue(person, "deux")

    with pytest.raises(AllianceError) as raised:
        ApiToken.issue(person, "trois")

    assert raised.value.key == "token.too_many"
    assert raised.value.message("en").startswith("You already have 2 tokens: revoke one")
    assert ApiToken.issue(person, "deux")  # replacing one stays possible


def test_expired_tokens_do_not_count_in_the_cap(person, settings, monkeypatch):
    settings.ALLIANCE_TOKENS_PER_PERSON = 1
    ApiToken.issue(person, "vieux", days=1)
    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)

    ApiToken.issue(person, "neuf")

    assert [t.name for t in ApiToken.objects.filter(user=person)] == ["neuf"]


def test_a_new_password_revokes_every_token(person):
    token = ApiToken.issue(person)

    person.set_password("un-autre-mot-de-passe-9")
    person.save()

    assert ApiToken.user_for(token) is None
    assert ApiToken.objects.count() == 0


def test_saving_without_a_new_password_keeps_tokens(person):
    token = ApiToken.issue(person)

    person.first_name = "Camille"
    person.save()

    assert ApiToken.user_for(token) == person


def test_deactivation_revokes_tokens(person):
    token = ApiToken.issue(person)

    person.is_active = False
    person.save()

    assert ApiToken.user_for(token) is None
    assert ApiToken.objects.count() == 0


def test_tokens_go_with_their_person(person):
    token = ApiToken.issue(person)

    person.delete()

    assert ApiToken.user_for(token) is None
    assert ApiToken.objects.count() == 0


def test_logging_out_revokes_the_session_tokens_only(person):
    from_page = ApiToken.mint(person, "page", session_key="cle-de-session")[1]
    script = ApiToken.issue(person, "script")

    assert ApiToken.revoke_session("cle-de-session") == 1

    assert ApiToken.user_for(from_page) is None
    assert ApiToken.user_for(script) == person
