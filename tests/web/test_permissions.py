"""The authorization matrix: every role × every private page and endpoint, others' data included.

Rules (alliance.web.permissions): members read their organisation; owners and editors edit;
owners manage (members and colleagues' invitations); nobody else sees it — anonymous pages
redirect to login, anonymous API calls get 401, other people (outsiders, observatory analysts) get
404 so existence does not leak. Invitations are accepted by the invited address only, never by
their sender, and never once used, revoked or expired.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from alliance.web.accounts.models import ApiToken, User
from alliance.web.jobs.models import Job
from alliance.web.organisations import members
from alliance.web.organisations.models import ColleagueInvitation, Membership, Organisation
from alliance.web.partnerships.actions import start
from alliance.web.partnerships.invitations import invite as partner_invite
from alliance.web.partnerships.models import Invitation
from alliance.web.permissions import (
    Action,
    can,
    coordinates,
    managed_studies,
    own_tokens,
    visible_jobs,
    visible_organisations,
)
from alliance.web.results.models import Study
from alliance.web.territories.models import Coordinator, SelfAssessment
from tests.web.conftest import bearer, logged_in

pytestmark = pytest.mark.integration

WHO = ["anonymous", "owner", "editor", "viewer", "outsider", "analyst"]

#: Expected status of GET /organisations/<id>/ for the organisation, by person.
PAGE = {
    "anonymous": 302,
    "owner": 200,
    "editor": 200,
    "viewer": 200,
    "outsider": 404,
    "analyst": 404,
}
#: Expected status of GET /api/organisations/<id> with a token (none for anonymous).
API = {
    "anonymous": 401,
    "owner": 200,
    "editor": 200,
    "viewer": 200,
    "outsider": 404,
    "analyst": 404,
}

CAN = {
    Action.READ: {"owner", "editor", "viewer"},
    Action.EDIT: {"owner", "editor"},
    Action.MANAGE: {"owner"},
}


def client_for(who: str, people) -> Client:
    return Client() if who == "anonymous" else logged_in(people[who])


@pytest.mark.parametrize("who", WHO)
def test_organisation_page(who, people, organisation):
    response = client_for(who, people).get(f"/organisations/{organisation.pk}/")

    assert response.status_code == PAGE[who]
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", WHO)
def test_organisation_api_with_a_token(who, people, organisation):
    headers = {} if who == "anonymous" else bearer(people[who])

    response = Client().get(f"/api/organisations/{organisation.pk}", headers=headers)

    assert response.status_code == API[who]
    if response.status_code == 200:
        assert response.json()["name"] == "Les Jardins du Lac (fictive)"
        assert {m["email"] for m in response.json()["members"]} >= {"owner@demo.invalid"}


@pytest.mark.parametrize("who", WHO)
def test_organisation_api_with_the_session_cookie(who, people, organisation):
    response = client_for(who, people).get(f"/api/organisations/{organisation.pk}")

    assert response.status_code == API[who]


@pytest.mark.parametrize("who", WHO)
def test_list_of_my_organisations(who, people, organisation, other_organisation):
    headers = {} if who == "anonymous" else bearer(people[who])

    response = Client().get("/api/organisations", headers=headers)

    if who == "anonymous":
        assert response.status_code == 401
        return
    names = [o["name"] for o in response.json()]
    expected = {
        "owner": [organisation.name], "editor": [organisation.name],
        "viewer": [organisation.name], "outsider": [other_organisation.name], "analyst": [],
    }  # fmt: skip
    assert names == expected[who]


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("who", WHO)
def test_rules_in_one_place(who, action, people, organisation):
    user = AnonymousUser() if who == "anonymous" else people[who]

    assert can(user, action, organisation) is (who in CAN[action])


def test_anonymous_sees_no_organisation(people):
    assert visible_organisations(AnonymousUser()) == []


@pytest.mark.parametrize(
    "url", ["/", "/referential/", "/examples/", "/results/", "/results/impact-demo/",
            "/results/impact-demo/associations/", "/results/impact-demo/download.csv",
            "/api/referential/frameworks", "/api/examples?q=mecenat", "/api/studies",
            "/territories/", "/territories/department/59/", "/api/territories/department/59",
            "/api/territories/region/32/network"],
)  # fmt: skip
def test_public_pages_and_endpoints_need_no_login(db, url):
    assert Client().get(url).status_code == 200


def test_a_wrong_token_is_refused(organisation):
    response = Client().get(
        f"/api/organisations/{organisation.pk}", HTTP_AUTHORIZATION="Bearer not-a-token"
    )

    assert response.status_code == 401


# API tokens: each person lists and revokes only their own; others' ids do not exist for them.

#: Expected status when ``who`` revokes the owner's token, by page and by API.
REVOKE_OWNERS_TOKEN = {
    "anonymous": (302, 401),
    "owner": (302, 204),
    "editor": (404, 404),
    "viewer": (404, 404),
    "outsider": (404, 404),
    "analyst": (404, 404),
}


@pytest.mark.parametrize("who", WHO)
def test_a_token_list_shows_only_ones_own(who, people):
    for name in ("owner", "editor", "analyst"):
        ApiToken.issue(people[name], f"jeton de {name}")
    headers = {} if who == "anonymous" else bearer(people[who])

    response = Client().get("/api/auth/tokens", headers=headers)

    if who == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    expected = {"api"} | ({f"jeton de {who}"} if who in ("owner", "editor", "analyst") else set())
    assert {t["name"] for t in response.json()} == expected


@pytest.mark.parametrize("who", WHO)
def test_revoking_the_owners_token(who, people):
    page_status, api_status = REVOKE_OWNERS_TOKEN[who]
    on_page, on_page_token = ApiToken.mint(people["owner"], "page")
    by_api, by_api_token = ApiToken.mint(people["owner"], "script")
    headers = {} if who == "anonymous" else bearer(people[who])

    page = client_for(who, people).post(f"/accounts/tokens/{on_page.pk}/revoke/")
    api = Client().delete(f"/api/auth/tokens/{by_api.pk}", headers=headers)

    assert (page.status_code, api.status_code) == (page_status, api_status)
    revoked = who == "owner"
    assert (ApiToken.user_for(on_page_token) is None) is revoked
    assert (ApiToken.user_for(by_api_token) is None) is revoked
    if who == "anonymous":
        assert page["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", WHO)
def test_the_account_page_is_ones_own(who, people):
    response = client_for(who, people).get("/accounts/")

    if who == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert f"<strong>{who}@demo.invalid</strong>" in response.content.decode()


def test_own_tokens_of_anonymous_is_empty(people):
    ApiToken.issue(people["owner"])

    assert list(own_tokens(AnonymousUser())) == []
    assert [t.user for t in own_tokens(people["owner"])] == [people["owner"]]


# Members and invitations ------------------------------------------------------------------------

#: Inviting a colleague, changing a role (owners only): pages and API alike.
MANAGE_API = API | {"editor": 403, "viewer": 403}
MANAGE_PAGE = PAGE | {"editor": 403, "viewer": 403}


@pytest.mark.parametrize("who", WHO)
def test_who_may_invite_a_colleague(who, people, organisation):
    headers = {} if who == "anonymous" else bearer(people[who])
    api = Client().post(
        f"/api/organisations/{organisation.pk}/members/invitations",
        data={"email": "api@demo.invalid"}, content_type="application/json", headers=headers,
    )  # fmt: skip
    page = client_for(who, people).post(
        f"/organisations/{organisation.pk}/members/", {"form": "invite", "email": "p@demo.invalid"}
    )

    assert api.status_code == (201 if MANAGE_API[who] == 200 else MANAGE_API[who])
    assert page.status_code == MANAGE_PAGE[who]
    sent = set(ColleagueInvitation.objects.values_list("email", flat=True))
    assert sent == ({"api@demo.invalid", "p@demo.invalid"} if who == "owner" else set())


@pytest.mark.parametrize("who", WHO)
def test_who_may_change_a_role(who, people, organisation):
    headers = {} if who == "anonymous" else bearer(people[who])

    response = Client().patch(
        f"/api/organisations/{organisation.pk}/members/{people['editor'].pk}",
        data={"role": "viewer"}, content_type="application/json", headers=headers,
    )  # fmt: skip

    assert response.status_code == MANAGE_API[who]


@pytest.mark.parametrize("who", WHO)
def test_who_may_invite_a_partner(who, people, organisation):
    partnership = start(organisation, "Jardin partagé")
    headers = {} if who == "anonymous" else bearer(people[who])

    response = Client().post(
        f"/api/partnerships/{partnership.pk}/invitations",
        data={"email": "p@demo.invalid"}, content_type="application/json", headers=headers,
    )  # fmt: skip

    expected = API | {"viewer": 403}
    assert response.status_code == (201 if expected[who] == 200 else expected[who])
    assert Invitation.objects.count() == int(expected[who] == 200)


@pytest.fixture
def invited(people, organisation) -> tuple[str, str]:
    """Two tokens sent by the owner to ``new@demo.invalid``: a colleague's and a partner's."""
    tokens: list[str] = []
    members.invite(organisation, people["owner"], "new@demo.invalid", "editor", tokens.append)  # type: ignore[arg-type]
    partnership = start(people["outsider"].organisations.get(), "Boulangerie solidaire")
    partner_invite(partnership, partnership.sides.get().organisation, "new@demo.invalid",
                   tokens.append, people["outsider"])  # type: ignore[arg-type]  # fmt: skip
    return tokens[0], tokens[1]


#: Accepting the invitations to ``new@demo.invalid``, by person: only that address may; the
#: senders (owner, outsider) may not accept their own; a used, revoked or expired link is gone.
ACCEPT = {"new": 200, "owner": 403, "editor": 403, "outsider": 403, "analyst": 403}


def _accept(who: str, people, tokens: tuple[str, str], acting_for: int | None) -> list[int]:
    user = people[who] if who in people else User.objects.get(email=f"{who}@demo.invalid")
    headers = bearer(user)
    colleague = Client().post(f"/api/organisations/invitations/{tokens[0]}/accept",
                              headers=headers)  # fmt: skip
    partner = Client().post(
        f"/api/invitations/{tokens[1]}/accept", data={"organisation": acting_for},
        content_type="application/json", headers=headers,
    )  # fmt: skip
    return [colleague.status_code, partner.status_code]


def _third(email: str) -> int:
    """An organisation of its own for ``email`` (created if need be), to accept on behalf of."""
    person = User.objects.filter(email=email).first() or User.objects.create_user(email)
    third = Organisation.objects.create(name="Tiers (fictive)", profile="fondations")
    Membership.objects.create(user=person, organisation=third, role="owner")
    return third.pk


@pytest.mark.parametrize("who", list(ACCEPT))
def test_only_the_invited_address_accepts(who, people, organisation, invited):
    acting = _third(people[who].email if who in people else f"{who}@demo.invalid")

    statuses = _accept(who, people, invited, acting)

    assert statuses == [ACCEPT[who], ACCEPT[who]]
    joined = Invitation.objects.filter(accepted_by__isnull=False).exists()
    assert joined is (who == "new")
    assert ColleagueInvitation.objects.get().state() == ("accepted" if who == "new" else "pending")


@pytest.mark.parametrize("change", ["expires", "revoked", "accepted"])
def test_expired_revoked_or_used_links_are_refused(change, people, organisation, invited):
    acting = _third("new@demo.invalid")
    if change == "accepted":
        _accept("new", people, invited, acting)
    else:
        for model in (ColleagueInvitation, Invitation):
            model.objects.update(**{change: timezone.now()})

    assert _accept("new", people, invited, acting) == [410, 410]


def test_invitation_pages_refuse_other_addresses(people, invited):
    client = logged_in(people["editor"])

    assert client.get(f"/organisations/invitations/{invited[0]}/").status_code == 403
    assert client.get(f"/invitations/{invited[1]}/").status_code == 403


@pytest.mark.parametrize(
    ("who", "sees"),
    [("owner", set()), ("analyst", {"open", "mine"}), ("other_analyst", {"open"})],
)
def test_studies_are_managed_by_analysts_unless_restricted_to_others(
    people: dict[str, User], who: str, sees: set[str]
):
    people["other_analyst"] = User.objects.create_user(
        "other-analyst@demo.invalid", "x-pass-12345-y", role=User.Role.ANALYST
    )
    Study.objects.create(code="open", title_fr="Ouverte", title_en="Open")
    Study.objects.create(code="mine", title_fr="À moi", title_en="Mine").analysts.add(
        people["analyst"]
    )

    managed = managed_studies(people[who]).filter(code__in=["open", "mine"])
    assert set(managed.values_list("code", flat=True)) == sees


#: The workspace (alliance.web.studies): status by person for a study open to every analyst and
#: one restricted to another analyst: pages (GET), then the API's upload (POST, with a token).
WORKSPACE = {
    "anonymous": ((302, 302, 302), (401, 401)),
    "owner": ((403, 403, 403), (403, 403)),
    "editor": ((403, 403, 403), (403, 403)),
    "viewer": ((403, 403, 403), (403, 403)),
    "outsider": ((403, 403, 403), (403, 403)),
    "analyst": ((200, 200, 404), (201, 404)),
}


@pytest.mark.parametrize("who", WHO)
def test_workspace_pages_and_uploads(who, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    other = User.objects.create_user("other-analyst@demo.invalid", role=User.Role.ANALYST)
    Study.objects.create(code="open", title_fr="Ouverte", title_en="Open")
    Study.objects.create(code="theirs", title_fr="À eux", title_en="Theirs").analysts.add(other)
    client = client_for(who, people)
    headers = {} if who == "anonymous" else bearer(people[who])

    pages = tuple(
        client.get(page).status_code for page in ("/studies/", "/studies/open/", "/studies/theirs/")
    )
    uploads = tuple(
        Client()
        .post(f"/api/studies/{code}/files", {"path": "notes.txt", "file": _text()}, headers=headers)
        .status_code
        for code in ("open", "theirs")
    )

    assert (pages, uploads) == WORKSPACE[who]


def _text() -> SimpleUploadedFile:
    return SimpleUploadedFile("notes.txt", b"notes\n")


#: A study's runs and versions in the workspace, pages and API: (method, address, status for an
#: analyst who manages it). The study « matrix » has run 1 (done) and version 1 (published).
WORKSPACE_PAGES = [
    ("post", "/studies/matrix/runs/", 302),
    ("get", "/studies/matrix/runs/1/", 200),
    ("get", "/studies/matrix/runs/1/weighting/", 200),
    ("get", "/studies/matrix/runs/1/preview/", 200),
    ("get", "/studies/matrix/runs/1/notebook/", 200),
    ("post", "/studies/matrix/runs/1/publish/", 302),
    ("get", "/studies/matrix/versions/", 200),
    ("get", "/studies/matrix/compare/?a=1&b=1", 200),
    ("post", "/studies/matrix/versions/1/unpublish/", 302),
]
WORKSPACE_API = [
    ("post", "/api/studies/matrix/runs", 202),
    ("get", "/api/runs/{job}", 200),
    ("post", "/api/runs/{job}/publish", 200),
    ("post", "/api/studies/matrix/versions/1/unpublish", 200),
]


@pytest.fixture
def matrix_run(people):
    """The study « matrix », run once and published, open to every analyst."""
    from alliance.web.jobs.models import Job
    from alliance.web.results.publishing import publish
    from alliance.web.studies.models import Run
    from tests.web.studies import changed, observed_study

    study = Study.objects.create(code="matrix", title_fr="Matrice", title_en="Matrix")
    results = changed(observed_study(), study="matrix")
    publish(results)
    job = Job.objects.create(kind="study.run", status=Job.Status.DONE, progress=1.0)
    return Run.objects.create(study=study, number=1, job=job, results=results.to_json())


@pytest.mark.parametrize(("method", "url", "allowed"), WORKSPACE_PAGES)
@pytest.mark.parametrize("who", [*WHO, "restricted"])
def test_workspace_run_pages(who, method, url, allowed, people, matrix_run):
    if who == "restricted":  # an analyst, the study being restricted to another one
        other = User.objects.create_user("autre@demo.invalid", "x-pass-12345-y", role="analyst")
        matrix_run.study.analysts.add(other)
    person = "analyst" if who == "restricted" else who
    expected = {"anonymous": 302, "analyst": allowed, "restricted": 404}.get(who, 403)

    response = getattr(client_for(person, people), method)(url)

    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("method", "url", "allowed"), WORKSPACE_API)
@pytest.mark.parametrize("who", [*WHO, "restricted"])
def test_workspace_run_api(who, method, url, allowed, people, matrix_run):
    if who == "restricted":
        other = User.objects.create_user("autre@demo.invalid", "x-pass-12345-y", role="analyst")
        matrix_run.study.analysts.add(other)
    person = "analyst" if who == "restricted" else who
    expected = {"anonymous": 401, "analyst": allowed, "restricted": 404}.get(who, 403)
    client = Client(headers={} if person == "anonymous" else bearer(people[person]))

    response = getattr(client, method)(url.format(job=matrix_run.job_id))

    assert response.status_code == expected
    assert response["Content-Type"].startswith("application/json")


# Collections of a study (alliance.web.collection): the workspace's rule; respondents' pages public.

COLLECTION_PAGES = [
    ("get", "/studies/{code}/collections/", 200),
    ("get", "/studies/{code}/collections/{pk}/", 200),
    ("post", "/studies/{code}/collections/{pk}/invitations/", 400),  # no address pasted
    ("get", "/api/studies/{code}/collections/{pk}/progress", 200),
]


@pytest.mark.parametrize(("method", "url", "allowed"), COLLECTION_PAGES)
@pytest.mark.parametrize("who", [*WHO, "restricted"])
def test_collection_pages_and_progress(who, method, url, allowed, people, settings, tmp_path):
    from alliance.web.collection import service
    from tests.study.collected import write_study
    from tests.web.studies import stored_study

    settings.MEDIA_ROOT = tmp_path / "storage"
    study = stored_study(write_study(tmp_path / "folder", "sondage"), "sondage")
    collection = service.create_collection(
        study, people["analyst"], population="grand-public", wave="2025", invitations=True
    )
    if who == "restricted":
        other = User.objects.create_user("autre@demo.invalid", "x-pass-12345-y", role="analyst")
        study.analysts.add(other)
    person = "analyst" if who == "restricted" else who
    api = url.startswith("/api/")
    anonymous = 401 if api else 302
    expected = {"anonymous": anonymous, "analyst": allowed, "restricted": 404}.get(who, 403)
    client = client_for(person, people)
    if api:
        client = Client(headers={} if person == "anonymous" else bearer(people[person]))

    response = getattr(client, method)(url.format(code="sondage", pk=collection.pk))

    assert response.status_code == expected
    # The respondents' page is public, to everyone alike.
    assert Client().get(f"/collect/{collection.public_code}/").status_code == 200


# Jobs: the person who asked, and the analysts of the job's study -------------------------------


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("anonymous", set()),
        ("owner", {"owner's pdf"}),
        ("viewer", set()),
        ("outsider", set()),
        ("analyst", {"open run", "mine run", "analyst's pdf"}),
        ("other_analyst", {"open run"}),
    ],
)
def test_a_job_is_seen_by_who_asked_and_by_the_analysts_of_its_study(
    people: dict[str, User], who: str, sees: set[str]
):
    people["other_analyst"] = User.objects.create_user(
        "other-analyst@demo.invalid", "x-pass-12345-y", role=User.Role.ANALYST
    )
    Study.objects.create(code="open", title_fr="Ouverte", title_en="Open")
    Study.objects.create(code="mine", title_fr="À moi", title_en="Mine").analysts.add(
        people["analyst"]
    )
    jobs = {
        "owner's pdf": Job.objects.create(kind="report.pdf", created_by=people["owner"]),
        "analyst's pdf": Job.objects.create(kind="report.pdf", created_by=people["analyst"]),
        "open run": Job.objects.create(kind="study.run", arguments={"study": "open"}),
        "mine run": Job.objects.create(kind="study.run", arguments={"study": "mine"}),
        "gone run": Job.objects.create(kind="study.run", arguments={"study": "gone"}),
    }
    user = AnonymousUser() if who == "anonymous" else people[who]

    visible = set(visible_jobs(user).values_list("pk", flat=True))

    assert {name for name, job in jobs.items() if job.pk in visible} == sees


#: Who edits the Nord's (59) self-assessment: its coordinator and administrators. The page is
#: public, so others are refused with 403 (anonymous: a login redirect on the page, 401 in the API).
TERRITORY_WHO = [*WHO, "coordinator", "region_coordinator", "administrator"]
SELF_ASSESSMENT_PAGE = {w: 403 for w in TERRITORY_WHO} | {
    "anonymous": 302, "coordinator": 302, "administrator": 302,
}  # fmt: skip
SELF_ASSESSMENT_API = {w: 403 for w in TERRITORY_WHO} | {
    "anonymous": 401, "coordinator": 200, "administrator": 200,
}  # fmt: skip


@pytest.fixture
def territory_people(people) -> dict[str, User]:
    """The people of the matrix, the Nord's coordinator, Hauts-de-France's, an administrator."""
    found = dict(people)
    found["coordinator"] = User.objects.create_user("nord@demo.invalid", "x")
    Coordinator.objects.create(user=found["coordinator"], kind="department", code="59")
    found["region_coordinator"] = User.objects.create_user("hdf@demo.invalid", "x")
    Coordinator.objects.create(user=found["region_coordinator"], kind="region", code="32")
    found["administrator"] = User.objects.create_user(
        "admin@demo.invalid", "x", role=User.Role.ADMIN
    )
    return found


@pytest.mark.parametrize("who", TERRITORY_WHO)
def test_who_edits_a_territorys_self_assessment(who, territory_people):
    person = territory_people.get(who)
    user = AnonymousUser() if person is None else person
    client = Client() if person is None else logged_in(person)
    headers = {} if person is None else bearer(person)
    answer = {"territorial-engineerings/projet": "niveau_2"}

    page = client.post("/territories/department/59/", {f"answer:{k}": v for k, v in answer.items()})
    api = Client().put(
        "/api/territories/department/59/self-assessment", {"answers": answer},
        content_type="application/json", headers=headers,
    )  # fmt: skip

    assert page.status_code == SELF_ASSESSMENT_PAGE[who]
    assert api.status_code == SELF_ASSESSMENT_API[who]
    allowed = who in ("coordinator", "administrator")
    assert coordinates(user, "department", "59") is allowed
    assert SelfAssessment.objects.count() == (2 if allowed else 0)
    # Everyone reads the page and its API, which are public aggregates.
    assert client.get("/territories/department/59/").status_code == 200
    assert Client().get("/api/territories/department/59", headers=headers).status_code == 200
