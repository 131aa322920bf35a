"""The workspace's pages for studies and files, as each role sees them and as analysts use them."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from alliance.web.accounts.models import User
from alliance.web.jobs.models import Job
from alliance.web.jobs.worker import run_pending
from alliance.web.results.models import Study
from alliance.web.studies import workspace
from alliance.web.studies.models import StudyFile
from tests.study.conftest import HAND_STUDY
from tests.study.defects import defective_csv
from tests.web.conftest import PASSWORD, logged_in
from tests.web.studies.folders import HAND_CSV, HAND_SAV, hand_zip, zip_of

pytestmark = pytest.mark.integration

CODE = "barometre-test"


@pytest.fixture
def hand(people) -> Study:
    return workspace.create_from_archive(people["analyst"], io.BytesIO(hand_zip(skip=(HAND_CSV,))))


@pytest.fixture
def analyst(people) -> Client:
    return logged_in(people["analyst"])


def upload(client: Client, path: str, content: bytes, name: str = "wave.csv"):
    return client.post(
        f"/studies/{CODE}/files/", {"path": path, "file": SimpleUploadedFile(name, content)}
    )


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip()


PAGES = [
    "/studies/", "/studies/new/", f"/studies/{CODE}/", f"/studies/{CODE}/files/{HAND_SAV}",
    f"/studies/{CODE}/rejected/{HAND_SAV}", f"/studies/{CODE}/mapping/habitants/",
]  # fmt: skip


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("owner", 403), ("viewer", 403), ("outsider", 403), ("analyst", 200)],
)
def test_pages_by_role(hand, people, page: str, who: str, status: int):
    client = Client() if who == "anonymous" else logged_in(people[who])

    response = client.get(page)

    assert response.status_code == status
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("page", PAGES[2:])
def test_a_study_restricted_to_another_analyst_is_not_found(hand, people, page: str):
    other = User.objects.create_user("autre@demo.invalid", PASSWORD, role=User.Role.ANALYST)
    hand.analysts.set([other])

    assert logged_in(people["analyst"]).get(page).status_code == 404
    assert logged_in(other).get(page).status_code == 200
    assert CODE not in logged_in(people["analyst"]).get("/studies/").content.decode()


@pytest.mark.parametrize(
    "post",
    [
        (f"/studies/{CODE}/files/", {"path": HAND_CSV}),
        (f"/studies/{CODE}/validation/", {"path": HAND_SAV, "validation": "lenient"}),
        (f"/studies/{CODE}/mapping/habitants/", {"column": ["x"], "item-0": ""}),
        ("/studies/new/", {"mode": "form", "code": "x", "title_fr": "x", "title_en": "x"}),
    ],
)
def test_members_cannot_change_anything(hand, people, post):
    path, data = post

    assert logged_in(people["owner"]).post(path, data).status_code == 403
    assert Study.objects.filter(code="x").count() == 0
    assert "validation" not in hand.files.get(path="study.yaml").content.read().decode()


def test_the_list_shows_the_managed_studies(hand, analyst):
    response = analyst.get("/studies/")

    assert response.status_code == 200
    assert f'href="/studies/{CODE}/"' in response.content.decode()
    assert f"{CODE} démonstration Baromètre de test des alliances locales 4 — —" in text(response)
    assert 'href="/studies/new/"' in response.content.decode()


def test_create_from_a_zip_then_see_its_files(analyst):
    response = analyst.post(
        "/studies/new/",
        {"mode": "archive", "archive": SimpleUploadedFile("s.zip", hand_zip(top="etude/"))},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/studies/{CODE}/"
    page = text(analyst.get(response["Location"]))
    assert f"{HAND_SAV} vague (habitants, 2023) déposé 400 UTF-8 0 0" in page
    assert f"{HAND_CSV} vague (habitants, 2024) déposé 350 windows-1252 0 0" in page
    assert "Aucun problème trouvé." in page


@pytest.mark.parametrize(
    ("archive", "status", "message"),
    [
        (b"pas un zip", 400, "Ce fichier n'est pas une archive zip lisible"),
        (zip_of({"../evil": b"x", "study.yaml": b"study: s\n"}), 400, "Chemin de fichier refusé"),
        (zip_of({"a.csv": b"x"}), 400, "L'archive ne contient pas de study.yaml"),
        (zip_of({"study.yaml": b"study: Pas Un Code\n"}), 400, "Code d'étude invalide"),
        (zip_of({"study.yaml": b"study: barometre-test\n"}), 409, "Une étude porte déjà le code"),
    ],
)
def test_refused_archives_say_why_and_create_nothing(hand, analyst, archive, status, message):
    count = StudyFile.objects.count()

    response = analyst.post(
        "/studies/new/", {"mode": "archive", "archive": SimpleUploadedFile("s.zip", archive)}
    )

    assert response.status_code == status
    assert message in text(response).replace("&#x27;", "'")
    assert Study.objects.filter(code__in=["s"]).count() == 0
    assert StudyFile.objects.count() == count


def test_create_from_the_form_restricted_to_named_analysts(analyst, people):
    other = User.objects.create_user("autre@demo.invalid", PASSWORD, role=User.Role.ANALYST)

    response = analyst.post(
        "/studies/new/",
        {
            "mode": "form", "code": "enquete-2025", "title_fr": "Enquête 2025",
            "title_en": "Survey 2025", "synthetic": "on", "analysts": [str(other.pk)],
        },
    )  # fmt: skip

    assert response.status_code == 302
    study = Study.objects.get(code="enquete-2025")
    assert (study.title_fr, study.title_en, study.synthetic) == (
        "Enquête 2025", "Survey 2025", True,
    )  # fmt: skip
    assert list(study.analysts.all()) == [other]
    assert analyst.get("/studies/enquete-2025/").status_code == 404
    response = analyst.post(
        "/studies/new/", {"mode": "form", "code": "Enquête", "title_fr": "x", "title_en": "x"}
    )
    assert response.status_code == 400
    assert 'value="Enquête"' in response.content.decode()


def test_a_french_csv_with_defects_its_report_and_rejected_rows(hand, analyst):
    response = upload(analyst, HAND_CSV, defective_csv())

    assert response.status_code == 302
    assert response["Location"] == f"/studies/{CODE}/files/{HAND_CSV}"
    page = text(analyst.get(response["Location"]))
    assert (
        "Format csv Encodage windows-1252 Séparateur ; Séparateur décimal , Feuille — "
        "Lignes 350 Colonnes 10"
    ) in page
    assert "2 erreur(s), 0 avertissement(s)." in page
    assert (
        "erreur habitants-2024.csv remarque La colonne 'remarque' ne correspond à aucune question"
    ) in page.replace("&#x27;", "'")
    assert (
        "erreur habitants-2024.csv 3 q_impact Énorme Code hors de l'échelle "
        "(codes permis : 1, 2, 3, 4, 9)"
    ) in page.replace("&#x27;", "'")

    rejected = analyst.get(f"/studies/{CODE}/rejected/{HAND_CSV}")
    assert rejected.status_code == 200
    assert rejected["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="habitants-2024-rejected.csv"' in rejected["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(rejected.content.decode())))
    assert [row[0] for row in rows] == ["id_repondant", "H24-0002"]
    assert rows[1][-1] == "3"


def test_an_upload_without_file_or_with_an_unsafe_path_is_refused(hand, analyst):
    missing = analyst.post(f"/studies/{CODE}/files/", {"path": HAND_CSV})
    unsafe = upload(analyst, "../../etc/x.csv", b"a;b\n1;2\n")

    assert missing.status_code == 400
    assert "Choisissez un fichier à déposer" in text(missing)
    assert unsafe.status_code == 400
    assert "Chemin de fichier refusé" in text(unsafe)
    assert not StudyFile.objects.filter(path__contains="etc").exists()


def test_switching_a_wave_to_lenient(hand, analyst):
    upload(analyst, HAND_CSV, defective_csv())

    response = analyst.post(
        f"/studies/{CODE}/validation/", {"path": HAND_CSV, "validation": "lenient"}
    )

    assert response.status_code == 302
    page = text(analyst.get(response["Location"]))
    assert "0 erreur(s), 2 avertissement(s)." in page
    bad = analyst.post(f"/studies/{CODE}/validation/", {"path": HAND_CSV, "validation": "laxiste"})
    assert bad.status_code == 400


def test_mapping_unknown_columns_then_the_report_again(hand, analyst):
    upload(analyst, HAND_CSV, defective_csv())
    page = analyst.get(f"/studies/{CODE}/mapping/habitants/").content.decode()
    assert '<input type="hidden" name="column" value="remarque">' in page
    assert '<option value="q_impact">q_impact</option>' in page

    response = analyst.post(
        f"/studies/{CODE}/mapping/habitants/", {"column": ["remarque"], "item-0": ""}
    )

    assert response.status_code == 200
    after = text(response).replace("&#x27;", "'")
    assert "Correspondances enregistrées dans mappings/habitants.yaml" in after
    assert "Toutes les colonnes des vagues correspondent à une question." in after
    assert "3 q_impact Énorme Code hors de l'échelle" in after
    assert "remarque" not in after
    assert hand.files.get(path="mappings/habitants.yaml").content.read() == b"remarque: null\n"
    assert analyst.get(f"/studies/{CODE}/mapping/nobody/").status_code == 404


def test_an_analyst_may_upload_more_than_others(hand, people, settings):
    settings.ALLIANCE_MAX_UPLOAD = 4 * 1024 * 1024
    body = b"a;b\n" + b"1;2\n" * (3 * 1024 * 1024 // 4)

    assert upload(logged_in(people["analyst"]), "data/big.csv", body).status_code == 302
    refused = upload(logged_in(people["owner"]), "data/big.csv", body)
    assert refused.status_code == 413
    elsewhere = logged_in(people["analyst"]).post(
        "/organisations/new/", {"name": "x" * (3 * 1024 * 1024)}
    )
    assert elsewhere.status_code == 413
    too_big = upload(logged_in(people["analyst"]), "data/big.csv", body * 2)
    assert too_big.status_code == 413


def test_the_report_in_english(hand, people):
    client = logged_in(people["analyst"])
    upload(client, HAND_CSV, defective_csv())

    page = text(client.get(f"/studies/{CODE}/files/{HAND_CSV}", HTTP_ACCEPT_LANGUAGE="en"))

    assert "How it was read Format csv Encoding windows-1252 Separator ;" in page
    assert "2 error(s), 0 warning(s)." in page
    assert (
        "error habitants-2024.csv 3 q_impact Énorme Code outside the scale "
        "(allowed codes: 1, 2, 3, 4, 9)"
    ) in page


@pytest.mark.django_db(transaction=True)
def test_a_large_delivery_is_checked_by_a_job_that_the_file_page_follows(settings):
    settings.ALLIANCE_INLINE_CHECK = 0  # every upload counts as large
    person = User.objects.create_user("analyste-j@demo.invalid", PASSWORD, role=User.Role.ANALYST)
    workspace.create_from_archive(person, io.BytesIO(hand_zip(skip=(HAND_CSV,))))
    client = logged_in(person)

    answer = upload(client, HAND_CSV, (HAND_STUDY / HAND_CSV).read_bytes(), "habitants.csv")

    assert answer.status_code == 302
    job = Job.objects.get(kind="study.check")
    assert (job.status, job.arguments, job.created_by) == ("queued", {"study": CODE}, person)
    waiting = text(client.get(answer["Location"]))
    assert "Lecture et vérification en cours" in waiting
    assert "Rapport de validation" not in waiting
    run_pending()
    assert Job.objects.get(pk=job.pk).status == "done"
    done = text(client.get(answer["Location"]))
    assert "Lecture et vérification en cours" not in done
    assert "windows-1252" in done
    assert "0 erreur(s), 0 avertissement(s)." in done
