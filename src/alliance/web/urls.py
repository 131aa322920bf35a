"""Every address of the site."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from alliance.web import refusals, views
from alliance.web.accounts import views as accounts
from alliance.web.api import api
from alliance.web.collection import manage as collection
from alliance.web.collection import respondent
from alliance.web.examples import views as examples
from alliance.web.explorer import views as explorer
from alliance.web.jobs import views as jobs
from alliance.web.organisations import views as organisations
from alliance.web.partnerships import views as partnerships
from alliance.web.results import views as results
from alliance.web.studies import runs, versions
from alliance.web.studies import views as workspace
from alliance.web.territories import views as territories

RESET = "accounts/reset/"

# Errors: pages of the site, or the API's error shape under /api/ (alliance.web.refusals).
handler400 = refusals.bad_request
handler403 = refusals.forbidden
handler404 = refusals.not_found
handler500 = refusals.server_error

urlpatterns = [
    path("", views.home, name="home"),
    path("legal/", views.legal, name="legal"),
    path("privacy/", views.privacy, name="privacy"),
    path("robots.txt", views.robots, name="robots"),
    path("favicon.ico", RedirectView.as_view(url=static("alliance/favicon.svg"), permanent=True)),
    path("referential/", explorer.frameworks_page, name="frameworks"),
    path("referential/<slug:code>/", explorer.framework_page, name="framework"),
    path("examples/", examples.examples_page, name="examples"),
    path("examples/<slug:code>/", examples.example_page, name="example"),
    path("results/", results.results_page, name="results"),
    path("results/<slug:study>/", results.study_page, name="study"),
    path(
        "results/<slug:study>/download.<str:format>", results.study_download, name="study_download"
    ),
    path("results/<slug:study>/<slug:population>/", results.population_page, name="population"),
    path(
        "results/<slug:study>/<slug:population>/download.<str:format>",
        results.population_download,
        name="population_download",
    ),
    # The workspace's studies and files (issue 14, items 1–2: alliance.web.studies.views).
    path("studies/", workspace.studies_page, name="workspace_studies"),
    path("studies/new/", workspace.new_study_page, name="workspace_study_new"),
    path("studies/<slug:code>/", workspace.study_page, name="workspace_study"),
    path("studies/<slug:code>/files/", workspace.upload, name="workspace_upload"),
    path("studies/<slug:code>/files/<path:path>", workspace.file_page, name="workspace_file"),
    path(
        "studies/<slug:code>/rejected/<path:path>",
        workspace.rejected_download,
        name="workspace_rejected",
    ),
    path(
        "studies/<slug:code>/mapping/<slug:population>/",
        workspace.mapping_page,
        name="workspace_mapping",
    ),
    path("studies/<slug:code>/validation/", workspace.validation, name="workspace_validation"),
    # The workspace: a study's runs, their weighting and preview, publication and versions.
    path("studies/<slug:code>/runs/", runs.run_new, name="workspace_run_new"),
    path("studies/<slug:code>/runs/<int:number>/", runs.run_page, name="workspace_run"),
    path(
        "studies/<slug:code>/runs/<int:number>/weighting/",
        runs.weighting_page,
        name="workspace_weighting",
    ),
    path(
        "studies/<slug:code>/runs/<int:number>/preview/",
        runs.preview_page,
        name="workspace_preview",
    ),
    path(
        "studies/<slug:code>/runs/<int:number>/notebook/",
        runs.notebook_page,
        name="workspace_notebook",
    ),
    path(
        "studies/<slug:code>/runs/<int:number>/files/<str:name>",
        runs.output_file,
        name="workspace_output",
    ),
    path(
        "studies/<slug:code>/runs/<int:number>/publish/",
        runs.publish_page,
        name="workspace_publish",
    ),
    path("studies/<slug:code>/versions/", versions.versions_page, name="workspace_versions"),
    path(
        "studies/<slug:code>/versions/<int:number>/unpublish/",
        versions.unpublish_page,
        name="workspace_unpublish",
    ),
    path("studies/<slug:code>/compare/", versions.compare_page, name="workspace_compare"),
    # Collecting answers on the platform (issue 18): the analyst's collections of a study, then
    # the respondents' public pages (anonymous link, personal invitation, thanks).
    path("studies/<slug:code>/collections/", collection.collections_page, name="collections"),
    path(
        "studies/<slug:code>/collections/<int:pk>/", collection.collection_page, name="collection"
    ),
    path(
        "studies/<slug:code>/collections/<int:pk>/invitations/",
        collection.invitations_page,
        name="collection_invitations",
    ),
    path(
        "studies/<slug:code>/collections/<int:pk>/close/",
        collection.close_page,
        name="collection_close",
    ),
    path("collect/merci/", respondent.thanks_page, name="collect_thanks"),
    path("collect/invitation/<str:token>/", respondent.invitation_page, name="collect_invitation"),
    path("collect/<str:code>/", respondent.anonymous_page, name="collect_start"),
    path("collect/<str:code>/r/<str:token>/", respondent.answer_page, name="collect_answer"),
    path("organisations/", organisations.organisations_page, name="organisations"),
    path("organisations/<int:pk>/", organisations.organisation_page, name="organisation"),
    path("organisations/new/", organisations.new_organisation_page, name="organisation_new"),
    path("organisations/<int:pk>/edit/", organisations.edit_page, name="organisation_edit"),
    path("organisations/<int:pk>/members/", organisations.members_page, name="members"),
    path(
        "organisations/invitations/<str:token>/",
        organisations.colleague_invitation_page,
        name="colleague_invitation",
    ),
    path("organisations/<int:pk>/diagnostic/", partnerships.diagnostic_page, name="diagnostic"),
    path(
        "organisations/<int:pk>/partnerships/",
        partnerships.partnerships_page,
        name="partnerships",
    ),
    path(
        "organisations/<int:pk>/diagnostic.pdf", partnerships.diagnostic_pdf, name="diagnostic_pdf"
    ),
    path("organisations/<int:pk>/export.<str:format>", partnerships.export_download, name="export"),
    path("organisations/<int:pk>/erase/", partnerships.erase_page, name="erase"),
    path("partnerships/<int:pk>/", partnerships.partnership_page, name="partnership"),
    path("partnerships/<int:pk>/evaluation/", partnerships.evaluation_page, name="evaluation"),
    path("invitations/<str:token>/", partnerships.invitation_page, name="invitation"),
    path("accounts/", accounts.account_page, name="account"),
    path("accounts/tokens/<int:pk>/revoke/", accounts.revoke_token, name="revoke_token"),
    path("accounts/signup/", accounts.signup_page, name="signup"),
    path("accounts/signup/sent/", accounts.signup_sent_page, name="signup_sent"),
    path("accounts/signup/confirm/<uidb64>/<token>/", accounts.confirm_page, name="signup_confirm"),
    path("accounts/password-change/", auth.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password-change/done/",
        auth.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # Territory pages (issue 16: alliance.web.territories.views): choose a territory, then a
    # commune's, EPCI's, department's or region's page; French spellings of the kind redirect.
    # Their JSON is GET /api/territories/{kind}/{code} and …/network (alliance.web.territories.api).
    path("territories/", territories.territories_page, name="territories"),
    path("territories/<str:kind>/<str:code>/", territories.territory_page, name="territory"),
    # Background jobs (issue 14, the jobs part): a job's page; its JSON is GET /api/jobs/{id}.
    path("jobs/<uuid:pk>/", jobs.job_page, name="job"),
    path(
        "organisations/<int:pk>/reports/<str:name>",
        partnerships.diagnostic_report_file,
        name="diagnostic_report_file",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
