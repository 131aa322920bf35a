"""Every named address of the site: reverse() gives the path, resolve() finds the name again."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.urls import Resolver404, get_resolver, resolve, reverse

pytestmark = pytest.mark.unit

#: name → (kwargs, expected path)
NAMED: dict[str, tuple[dict[str, Any], str]] = {
    "home": ({}, "/"),
    "legal": ({}, "/legal/"),
    "privacy": ({}, "/privacy/"),
    "robots": ({}, "/robots.txt"),
    "frameworks": ({}, "/referential/"),
    "framework": ({"code": "actor-profiles"}, "/referential/actor-profiles/"),
    "examples": ({}, "/examples/"),
    "example": ({"code": "ex-01"}, "/examples/ex-01/"),
    "results": ({}, "/results/"),
    "study": ({"study": "impact-demo"}, "/results/impact-demo/"),
    "study_download": (
        {"study": "impact-demo", "format": "parquet"},
        "/results/impact-demo/download.parquet",
    ),
    "population": (
        {"study": "impact-demo", "population": "public"},
        "/results/impact-demo/public/",
    ),
    "population_download": (
        {"study": "impact-demo", "population": "public", "format": "csv"},
        "/results/impact-demo/public/download.csv",
    ),
    "territories": ({}, "/territories/"),
    "territory": ({"kind": "department", "code": "2A"}, "/territories/department/2A/"),
    "organisations": ({}, "/organisations/"),
    "organisation": ({"pk": 42}, "/organisations/42/"),
    "diagnostic": ({"pk": 42}, "/organisations/42/diagnostic/"),
    "diagnostic_pdf": ({"pk": 42}, "/organisations/42/diagnostic.pdf"),
    "export": ({"pk": 42, "format": "zip"}, "/organisations/42/export.zip"),
    "erase": ({"pk": 42}, "/organisations/42/erase/"),
    "partnerships": ({"pk": 42}, "/organisations/42/partnerships/"),
    "partnership": ({"pk": 5}, "/partnerships/5/"),
    "evaluation": ({"pk": 5}, "/partnerships/5/evaluation/"),
    "invitation": ({"token": "abc-123_x"}, "/invitations/abc-123_x/"),
    "account": ({}, "/accounts/"),
    "revoke_token": ({"pk": 3}, "/accounts/tokens/3/revoke/"),
    "signup": ({}, "/accounts/signup/"),
    "signup_sent": ({}, "/accounts/signup/sent/"),
    "signup_confirm": (
        {"uidb64": "MQ", "token": "c4b1fx-0123456789abcdef"},
        "/accounts/signup/confirm/MQ/c4b1fx-0123456789abcdef/",
    ),
    "password_change": ({}, "/accounts/password-change/"),
    "password_change_done": ({}, "/accounts/password-change/done/"),
    "organisation_new": ({}, "/organisations/new/"),
    "organisation_edit": ({"pk": 42}, "/organisations/42/edit/"),
    "members": ({"pk": 42}, "/organisations/42/members/"),
    "colleague_invitation": ({"token": "abc-123_x"}, "/organisations/invitations/abc-123_x/"),
    "login": ({}, "/accounts/login/"),
    "workspace_studies": ({}, "/studies/"),
    "workspace_study_new": ({}, "/studies/new/"),
    "workspace_study": ({"code": "barometre"}, "/studies/barometre/"),
    "workspace_upload": ({"code": "barometre"}, "/studies/barometre/files/"),
    "workspace_file": (
        {"code": "barometre", "path": "data/vague-2024.csv"},
        "/studies/barometre/files/data/vague-2024.csv",
    ),
    "workspace_rejected": (
        {"code": "barometre", "path": "data/v.sav"},
        "/studies/barometre/rejected/data/v.sav",
    ),
    "workspace_mapping": (
        {"code": "barometre", "population": "habitants"},
        "/studies/barometre/mapping/habitants/",
    ),
    "workspace_validation": ({"code": "barometre"}, "/studies/barometre/validation/"),
    "logout": ({}, "/accounts/logout/"),
    "password_reset": ({}, "/accounts/password-reset/"),
    "password_reset_done": ({}, "/accounts/password-reset/sent/"),
    "password_reset_confirm": (
        {"uidb64": "MQ", "token": "c4b1fx-0123456789abcdef"},
        "/accounts/reset/MQ/c4b1fx-0123456789abcdef/",
    ),
    "password_reset_complete": ({}, "/accounts/reset/done/"),
    "set_language": ({}, "/i18n/setlang/"),
    "workspace_run_new": ({"code": "s-1"}, "/studies/s-1/runs/"),
    "workspace_run": ({"code": "s-1", "number": 2}, "/studies/s-1/runs/2/"),
    "workspace_weighting": ({"code": "s-1", "number": 2}, "/studies/s-1/runs/2/weighting/"),
    "workspace_preview": ({"code": "s-1", "number": 2}, "/studies/s-1/runs/2/preview/"),
    "workspace_notebook": ({"code": "s-1", "number": 2}, "/studies/s-1/runs/2/notebook/"),
    "workspace_output": (
        {"code": "s-1", "number": 2, "name": "notebook.pdf"},
        "/studies/s-1/runs/2/files/notebook.pdf",
    ),
    "workspace_publish": ({"code": "s-1", "number": 2}, "/studies/s-1/runs/2/publish/"),
    "workspace_versions": ({"code": "s-1"}, "/studies/s-1/versions/"),
    "workspace_unpublish": ({"code": "s-1", "number": 3}, "/studies/s-1/versions/3/unpublish/"),
    "workspace_compare": ({"code": "s-1"}, "/studies/s-1/compare/"),
    "job": ({"pk": uuid.UUID(int=7)}, f"/jobs/{uuid.UUID(int=7)}/"),
    "collections": ({"code": "s-1"}, "/studies/s-1/collections/"),
    "collection": ({"code": "s-1", "pk": 4}, "/studies/s-1/collections/4/"),
    "collection_invitations": ({"code": "s-1", "pk": 4}, "/studies/s-1/collections/4/invitations/"),
    "collection_close": ({"code": "s-1", "pk": 4}, "/studies/s-1/collections/4/close/"),
    "collect_thanks": ({}, "/collect/merci/"),
    "collect_invitation": ({"token": "t0k-en_1"}, "/collect/invitation/t0k-en_1/"),
    "collect_start": ({"code": "AbC-d_9"}, "/collect/AbC-d_9/"),
    "collect_answer": ({"code": "AbC-d_9", "token": "t0k"}, "/collect/AbC-d_9/r/t0k/"),
    "diagnostic_report_file": (
        {"pk": 42, "name": "diagnostic-fr-0a.pdf"},
        "/organisations/42/reports/diagnostic-fr-0a.pdf",
    ),
}

#: One name per address: where several methods share an address (GET and POST of
#: ``/api/organisations``, …), the first one declared names it.
API: dict[str, tuple[dict[str, Any], str]] = {
    "api:issue_token": ({}, "/api/auth/token"),
    "api:tokens": ({}, "/api/auth/tokens"),
    "api:revoke": ({"pk": 3}, "/api/auth/tokens/3"),
    "api:frameworks": ({}, "/api/referential/frameworks"),
    "api:framework": ({"code": "impacts"}, "/api/referential/frameworks/impacts"),
    "api:examples": ({}, "/api/examples"),
    "api:example": ({"code": "ex-01"}, "/api/examples/ex-01"),
    "api:studies": ({}, "/api/studies"),
    "api:study": ({"study": "impact-demo"}, "/api/studies/impact-demo"),
    "api:collection_progress": (
        {"study": "s-1", "pk": 4},
        "/api/studies/s-1/collections/4/progress",
    ),
    "api:results": ({"study": "impact-demo"}, "/api/studies/impact-demo/results"),
    "api:organisations": ({}, "/api/organisations"),
    "api:organisation": ({"pk": 7}, "/api/organisations/7"),
    "api:diagnostic": ({"pk": 7}, "/api/organisations/7/diagnostic"),
    "api:diagnostic_pdf": ({"pk": 7}, "/api/organisations/7/diagnostic/report.pdf"),
    "api:export_all": ({"pk": 7}, "/api/organisations/7/export"),
    "api:partnerships": ({"pk": 7}, "/api/organisations/7/partnerships"),
    "api:partnership": ({"pk": 5}, "/api/partnerships/5"),
    "api:agree": ({"pk": 5}, "/api/partnerships/5/agreement"),
    "api:agreement_revisions": ({"pk": 5}, "/api/partnerships/5/agreement/revisions"),
    "api:qualify": ({"pk": 5, "organisation": 7}, "/api/partnerships/5/sides/7"),
    "api:invite": ({"pk": 5}, "/api/partnerships/5/invitations"),
    "api:evaluations": ({"pk": 5}, "/api/partnerships/5/evaluations"),
    "api:accept": ({"token": "abc"}, "/api/invitations/abc/accept"),
    "api:statistics": ({}, "/api/statistics/partnerships"),
    "api:resend_invitation": (
        {"pk": 5, "invitation": 3},
        "/api/partnerships/5/invitations/3/resend",
    ),
    "api:revoke_invitation": ({"pk": 5, "invitation": 3}, "/api/partnerships/5/invitations/3"),
    "api:identify_organisation": (
        {"identifier": "W351234567"},
        "/api/organisations/identifiers/W351234567",
    ),
    "api:members_list": ({"pk": 7}, "/api/organisations/7/members"),
    "api:upload_file": ({"study": "barometre"}, "/api/studies/barometre/files"),
    "api:change_role": ({"pk": 7, "user": 2}, "/api/organisations/7/members/2"),
    "api:transfer_ownership": ({"pk": 7}, "/api/organisations/7/members/transfer"),
    "api:colleague_invitations": ({"pk": 7}, "/api/organisations/7/members/invitations"),
    "api:resend_colleague_invitation": (
        {"pk": 7, "invitation": 3},
        "/api/organisations/7/members/invitations/3/resend",
    ),
    "api:revoke_colleague_invitation": (
        {"pk": 7, "invitation": 3},
        "/api/organisations/7/members/invitations/3",
    ),
    "api:accept_colleague_invitation": (
        {"token": "abc"},
        "/api/organisations/invitations/abc/accept",
    ),
    "api:start_study_run": ({"study": "s-1"}, "/api/studies/s-1/runs"),
    "api:study_run": ({"id": "0b5e"}, "/api/runs/0b5e"),
    "api:publish_study_run": ({"id": "0b5e"}, "/api/runs/0b5e/publish"),
    "api:unpublish_version": (
        {"study": "s-1", "number": 2},
        "/api/studies/s-1/versions/2/unpublish",
    ),
    "api:job": ({"job_id": str(uuid.UUID(int=7))}, f"/api/jobs/{uuid.UUID(int=7)}"),
    "api:openapi-json": ({}, "/api/openapi.json"),
    "api:openapi-view": ({}, "/api/docs"),
}


@pytest.mark.parametrize("name", sorted(NAMED))
def test_named_url_reverses_and_resolves(name):
    kwargs, path = NAMED[name]

    assert reverse(name, kwargs=kwargs) == path
    match = resolve(path)
    assert match.url_name == name
    assert match.kwargs == kwargs


def test_every_top_level_name_is_tested():
    names = {key for key in get_resolver().reverse_dict if isinstance(key, str)}

    assert names == set(NAMED)


@pytest.mark.parametrize("name", sorted(API))
def test_api_url_reverses_and_resolves(name):
    kwargs, path = API[name]

    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).view_name == name


def test_admin_is_under_admin():
    assert reverse("admin:index") == "/admin/"
    assert reverse("admin:accounts_user_changelist") == "/admin/accounts/user/"
    assert reverse("admin:organisations_organisation_change", args=[3]) == (
        "/admin/organisations/organisation/3/change/"
    )


@pytest.mark.parametrize(
    "path",
    [
        "/organisations/abc/",
        "/referential/a b/",
        "/results/public/download",
        "/results/impact-demo/public/download",
        "/results/a b/",
    ],
)
def test_malformed_paths_do_not_resolve(path):
    with pytest.raises(Resolver404):
        resolve(path)
