"""A run's pages: started, followed, its weighting, its preview, its notebook, published."""

from __future__ import annotations

import pytest
from django.test import Client

from alliance.web.accounts.models import User
from alliance.web.jobs.models import Job
from alliance.web.results.models import StudyVersion
from alliance.web.studies.models import PublicationEvent, Run
from tests.web.conftest import logged_in
from tests.web.studies.conftest import STUDY

pytestmark = pytest.mark.integration

RUN = f"/studies/{STUDY}/runs/1/"
PAGES = [RUN, RUN + "weighting/", RUN + "preview/", RUN + "notebook/", RUN + "files/notebook.pdf"]


def client_of(who: str, people: dict[str, User]) -> Client:
    return Client() if who == "anonymous" else logged_in(people[who])


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("owner", 403), ("viewer", 403), ("analyst", 200)]
)
def test_who_sees_a_runs_pages(url, who, status, people, run):
    response = client_of(who, people).get(url)

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", PAGES)
def test_a_study_restricted_to_other_analysts_answers_404(url, people, run):
    colleague = User.objects.create_user("collegue@demo.invalid", "x", role=User.Role.ANALYST)
    run.study.analysts.add(colleague)

    assert logged_in(people["analyst"]).get(url).status_code == 404
    assert logged_in(colleague).get(url).status_code == 200


def test_an_unknown_run_answers_404(people, run):
    assert logged_in(people["analyst"]).get(f"/studies/{STUDY}/runs/9/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_starting_a_run_queues_its_job_and_shows_its_progress(people, storage):
    from tests.study.conftest import HAND_STUDY
    from tests.web.studies import stored_study

    stored_study(HAND_STUDY, STUDY)
    client = logged_in(people["analyst"])
    client.cookies["django_language"] = "en"

    response = client.post(f"/studies/{STUDY}/runs/")

    assert response.status_code == 302
    assert response["Location"] == RUN
    run = Run.objects.get(study__code=STUDY)
    assert (run.number, run.lang, run.created_by) == (1, "en", people["analyst"])
    assert run.job.arguments == {"study": STUDY, "run": 1, "lang": "en"}
    page = client.get(RUN).content.decode()
    assert f'data-job="{run.job.id}"' in page
    assert 'data-job-status="queued"' in page
    assert client.get(f"/studies/{STUDY}/runs/").status_code == 405
    assert logged_in(people["owner"]).post(f"/studies/{STUDY}/runs/").status_code == 403
    assert Run.objects.count() == 1


def test_a_failed_run_shows_its_problems(people, run):
    messages = {"fr": "Fichier introuvable : data/x.csv", "en": "File not found: data/x.csv"}
    Job.objects.filter(pk=run.job_id).update(
        status="failed", problems=[{"severity": "error", "file": "study.yaml", "line": 35,
                                    "messages": messages}],
    )  # fmt: skip

    page = logged_in(people["analyst"]).get(RUN).content.decode()

    assert "Fichier introuvable : data/x.csv — study.yaml, ligne 35" in page
    assert "weighting/" not in page


def test_a_done_run_summarises_and_links(people, run):
    page = logged_in(people["analyst"]).get(RUN).content.decode()

    assert "Habitants : vague 2023, 400 répondants (habitants-2023.sav)" in page
    assert "vague 2024, 350 répondants (habitants-2024.csv)" in page
    for link in ("weighting/", "preview/", "notebook/", "publish/"):
        assert f'href="{RUN}{link}"' in page or f'action="{RUN}{link}"' in page


def test_the_weighting_page_shows_margins_weights_and_their_chart(people, run):
    page = logged_in(people["analyst"]).get(RUN + "weighting/").content.decode()

    first = run.weighting[0]
    assert "Habitants — vague 2023" in page
    assert "<dd>400</dd>" in page
    assert f"<dd>{first['iterations']} itérations, écart restant 6.6e-12</dd>" in page
    assert "<dd>293,7</dd>" in page  # Kish's effective n
    assert "<dd>73,4\u202f%</dd>" in page  # efficiency
    assert "<dd>437,56 – 5\u202f495,80</dd>" in page
    assert "<dd>12,6</dd>" in page  # ratio
    assert "<dd>aucun</dd>" in page  # no trimming
    # Margins: Femme 61,3 % in the sample, 52,5 % after, target 52,5 %.
    assert (
        '<td>Sexe</td><td>Femme</td><td class="num">61,3\u202f%</td>'
        '<td class="num">52,5\u202f%</td><td class="num">52,5\u202f%</td>'
        '<td class="num">0,00\u202fpts</td>'
    ) in page
    assert "-0,00" not in page
    # The weights' histogram, with its text alternative (bins and counts).
    assert page.count('<svg role="img" aria-labelledby="weights-') == 2
    assert 'aria-labelledby="margins-0"' in page
    assert "437,56 – 690,48 : 53" in page


def test_the_weighting_page_in_english(people, run):
    client = logged_in(people["analyst"])
    client.cookies["django_language"] = "en"

    page = client.get(RUN + "weighting/").content.decode()

    assert "Residents — wave 2023" in page
    assert "<td>Sex</td><td>Woman</td>" in page
    assert "<dd>293.7</dd>" in page


def test_pages_of_a_run_not_done_lead_back_to_it(people, run):
    Job.objects.filter(pk=run.job_id).update(status="running")
    client = logged_in(people["analyst"])

    for page in ("weighting/", "preview/", "notebook/"):
        response = client.get(RUN + page)
        assert (response.status_code, response["Location"]) == (302, RUN)
    assert client.get(RUN + "files/notebook.pdf").status_code == 404


def test_the_preview_shows_the_estimates_as_readers_will_not_published(people, run):
    page = logged_in(people["analyst"]).get(RUN + "preview/").content.decode()

    assert "aperçu — non publié" in page
    assert '<svg role="img" aria-labelledby="alt-0"' in page
    estimate = next(
        r for r in run.results["estimates"]
        if r["wave"] == "2024" and r["by"] is None and r["statistic"] == "share"
    )  # fmt: skip
    assert "Vague 2024 : 350 répondants" in page
    assert StudyVersion.objects.filter(study__code=STUDY).count() == 0
    assert estimate["n"] > 0
    assert f'<td class="num">{estimate["n"]}</td>' in page


def test_the_notebook_is_sandboxed_and_its_files_downloadable(people, run, storage):
    client = logged_in(people["analyst"])

    page = client.get(RUN + "notebook/").content.decode()
    notebook = client.get(RUN + "files/notebook.html")
    pdf = client.get(RUN + "files/notebook.pdf")

    assert (
        '<iframe class="notebook" sandbox title="Carnet de l’exécution" '
        f'src="{RUN}files/notebook.html">' in page
    )
    assert f'href="{RUN}files/tables.xlsx"' in page
    assert notebook["Content-Security-Policy"].startswith("sandbox; default-src 'none'")
    assert notebook["X-Frame-Options"] == "SAMEORIGIN"
    shown = b"".join(notebook.streaming_content)  # type: ignore[attr-defined]
    assert shown == (storage / run.outputs / "notebook.html").read_bytes()
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == f'attachment; filename="{STUDY}-1-notebook.pdf"'
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert client.get(RUN + "files/secret.txt").status_code == 404
    assert client.get(RUN + "files/..%2Fnotebook.pdf").status_code == 404


def test_publishing_a_run_makes_a_version_readers_see(people, run):
    client = logged_in(people["analyst"])

    response = client.post(RUN + "publish/")

    assert (response.status_code, response["Location"]) == (302, f"/studies/{STUDY}/versions/")
    version = StudyVersion.objects.get(study__code=STUDY)
    assert (version.number, version.published_by, version.source) == (
        1, people["analyst"], "/studies/barometre-test/runs/1/",
    )  # fmt: skip
    [event] = PublicationEvent.objects.filter(study__code=STUDY)
    assert (event.action, event.version, event.run, event.user) == (
        "publish", version, run, people["analyst"],
    )  # fmt: skip
    assert "Version 1 publiée." in client.get(f"/studies/{STUDY}/versions/").content.decode()
    assert Client().get(f"/results/{STUDY}/").status_code == 200
    assert Client().get(f"/results/{STUDY}/habitants/").status_code == 200
    published = Client().get(f"/api/studies/{STUDY}/results?wave=2024").json()
    expected = [r for r in run.results["estimates"] if r["wave"] == "2024" and r["by"] is None]
    assert [(r["variable"], r["estimate"], r["n"]) for r in published] == [
        (r["variable"], r["estimate"], r["n"]) for r in expected
    ]


def test_publishing_the_same_results_twice_says_so(people, run):
    client = logged_in(people["analyst"])
    client.post(RUN + "publish/")

    client.post(RUN + "publish/")

    assert StudyVersion.objects.filter(study__code=STUDY).count() == 1
    assert PublicationEvent.objects.filter(study__code=STUDY).count() == 1
    page = client.get(f"/studies/{STUDY}/versions/").content.decode()
    assert "Ces résultats sont déjà ceux de la version 1 : rien n&#x27;a été publié." in page


def test_a_run_not_done_cannot_be_published(people, run):
    Job.objects.filter(pk=run.job_id).update(status="failed")
    client = logged_in(people["analyst"])

    response = client.post(RUN + "publish/")

    assert (response.status_code, response["Location"]) == (302, RUN)
    assert StudyVersion.objects.filter(study__code=STUDY).count() == 0
    assert (
        "L&#x27;exécution 1 n&#x27;est pas terminée avec succès" in client.get(RUN).content.decode()
    )


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("owner", 403)])
def test_only_analysts_publish(who, status, people, run):
    assert client_of(who, people).post(RUN + "publish/").status_code == status
    assert StudyVersion.objects.filter(study__code=STUDY).count() == 0
