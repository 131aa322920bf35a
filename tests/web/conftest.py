"""Web tests: examples and two published studies loaded once per session, people, API clients."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from alliance.web.accounts.models import ApiToken, User
from alliance.web.demo_content import load_examples
from alliance.web.organisations.models import Membership, Organisation
from alliance.web.results.publishing import publish
from tests.web.studies import observed_study, synthetic_study

PASSWORD = "mot-de-passe-solide-42"
ROLES = ("owner", "editor", "viewer")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker) -> None:
    """Load the synthetic examples and publish two studies once for every web test.

    The synthetic study (``impact-demo``) is published last: it is the latest published study.
    """
    with django_db_blocker.unblock():
        load_examples()
        publish(observed_study(), source="tests/web/studies/")
        publish(synthetic_study(), source="tests/web/studies/")


@pytest.fixture
def organisation(db) -> Organisation:
    return Organisation.objects.create(
        name="Les Jardins du Lac (fictive)", profile="associations", rna="W351234567"
    )


@pytest.fixture
def other_organisation(db) -> Organisation:
    return Organisation.objects.create(
        name="Boulangeries Moreau (fictive)", profile="pme", siren="732829320"
    )


@pytest.fixture
def people(organisation: Organisation, other_organisation: Organisation) -> dict[str, User]:
    """One person per role in ``organisation``, an outsider (owner elsewhere), an analyst."""
    found: dict[str, User] = {}
    for role in ROLES:
        user = User.objects.create_user(f"{role}@demo.invalid", PASSWORD)
        Membership.objects.create(user=user, organisation=organisation, role=role)
        found[role] = user
    outsider = User.objects.create_user("outsider@demo.invalid", PASSWORD)
    Membership.objects.create(user=outsider, organisation=other_organisation, role="owner")
    found["outsider"] = outsider
    found["analyst"] = User.objects.create_user(
        "analyst@demo.invalid", PASSWORD, role=User.Role.ANALYST
    )
    return found


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def logs_in(email: str, password: str) -> bool:
    """Whether the login page lets ``email`` in with ``password`` (through axes, as people do)."""
    response = Client().post("/accounts/login/", {"username": email, "password": password})
    return response.status_code == 302


def bearer(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {ApiToken.issue(user)}"}


@pytest.fixture(autouse=True)
def fast_passwords(settings) -> None:
    """Hash passwords quickly: the tests create many people."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_limits() -> None:
    """Each test starts with no e-mail requests counted (they live in the cache)."""
    cache.clear()
