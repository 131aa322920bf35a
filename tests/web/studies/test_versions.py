"""A study's versions in the workspace: the list, the audit trail, withdrawal, comparison."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.test import Client

from alliance.web.accounts.models import User
from alliance.web.results.models import StudyVersion
from alliance.web.results.publishing import publish
from alliance.web.studies.publication import publish_run, run_results
from tests.web.conftest import logged_in
from tests.web.studies.conftest import STUDY

pytestmark = pytest.mark.integration

VERSIONS = f"/studies/{STUDY}/versions/"


@pytest.fixture
def two_versions(people, run) -> tuple[StudyVersion, StudyVersion]:
    first, _ = publish_run(run, people["analyst"])
    results = run_results(run)
    moved = replace(results.estimates[0], estimate=0.5)
    second, _ = publish(replace(results, estimates=[moved, *results.estimates[1:-1]]))
    return first, second


@pytest.mark.parametrize("url", [VERSIONS, f"/studies/{STUDY}/compare/?a=1&b=2"])
@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("owner", 403), ("analyst", 200)])
def test_who_sees_the_versions(url, who, status, people, two_versions):
    client = Client() if who == "anonymous" else logged_in(people[who])

    assert client.get(url).status_code == status


def test_restricted_to_other_analysts_answers_404(people, two_versions):
    colleague = User.objects.create_user("collegue@demo.invalid", "x", role=User.Role.ANALYST)
    two_versions[0].study.analysts.add(colleague)
    client = logged_in(people["analyst"])

    assert client.get(VERSIONS).status_code == 404
    assert client.post(f"{VERSIONS}2/unpublish/").status_code == 404
    assert StudyVersion.objects.get(study__code=STUDY, number=2).withdrawn_at is None


def test_the_versions_and_who_published_them(people, two_versions):
    page = logged_in(people["analyst"]).get(VERSIONS).content.decode()

    assert "<tr><td>2</td>" in page
    assert "<tr><td>1</td>" in page
    assert "<strong>en ligne</strong>" in page
    assert "remplacée" in page
    assert "analyst@demo.invalid — a publié la version 1 (exécution 1)" in page
    assert 'action="/studies/barometre-test/versions/2/unpublish/"' in page
    assert 'action="/studies/barometre-test/compare/"' in page
    confirm = page.split('<details class="confirm"><summary>Dépublier…</summary>')[1]
    assert confirm.index("Les lecteurs ne verront plus cette version") < confirm.index(
        "Dépublier la version"
    )


def test_unpublishing_hides_the_version_from_readers_then_the_study(people, two_versions):
    client = logged_in(people["analyst"])

    response = client.post(f"{VERSIONS}2/unpublish/")

    assert (response.status_code, response["Location"]) == (302, VERSIONS)
    assert Client().get(f"/api/studies/{STUDY}").json()["version"] == 1
    page = client.get(VERSIONS).content.decode()
    assert "Version 2 dépubliée." in page
    assert "analyst@demo.invalid — a dépublié la version 2" in page

    client.post(f"{VERSIONS}1/unpublish/")

    assert Client().get(f"/results/{STUDY}/").status_code == 404
    assert Client().get(f"/results/{STUDY}/habitants/").status_code == 404
    assert STUDY not in Client().get("/results/").content.decode()
    assert Client().get(f"/api/studies/{STUDY}").status_code == 404
    assert Client().get(f"/api/studies/{STUDY}/results").status_code == 404
    assert STUDY not in [s["study"] for s in Client().get("/api/studies").json()]
    again = client.post(f"{VERSIONS}1/unpublish/")
    assert again.status_code == 302
    assert "La version 1 est déjà dépubliée" in client.get(VERSIONS).content.decode()


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("owner", 403)])
def test_only_analysts_unpublish(who, status, people, two_versions):
    client = Client() if who == "anonymous" else logged_in(people[who])

    assert client.post(f"{VERSIONS}2/unpublish/").status_code == status
    assert StudyVersion.objects.get(study__code=STUDY, number=2).withdrawn_at is None


def test_an_unknown_version_answers_404(people, two_versions):
    client = logged_in(people["analyst"])

    assert client.post(f"{VERSIONS}7/unpublish/").status_code == 404
    assert client.get(f"/studies/{STUDY}/compare/?a=1&b=7").status_code == 404
    assert client.get(f"/studies/{STUDY}/compare/?a=1").status_code == 404
    assert client.get(f"/studies/{STUDY}/compare/?a=x&b=2").status_code == 404


def test_the_comparison_marks_changed_and_removed_rows(people, two_versions, run):
    page = logged_in(people["analyst"]).get(f"/studies/{STUDY}/compare/?a=1&b=2").content.decode()

    total = len(run.results["estimates"])
    assert f"1 modifiées, 0 ajoutées, 1 retirées, {total - 2} identiques" in page
    assert page.count('<tr class="changed">') == 1
    assert page.count('<tr class="removed">') == 1
    assert page.count('<tr class="same">') == total - 2
    assert "<mark>modifiée</mark>" in page
    assert "<mark>retirée</mark>" in page
    first = run.results["estimates"][0]
    assert '<td class="num">50,0\u202f%</td>' in page
    assert first["population"] == "habitants"
