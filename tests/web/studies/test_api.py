"""POST /api/studies and /api/studies/{study}/files: analysts only, errors in one shape."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from alliance.web.accounts.models import User
from alliance.web.results.models import Study
from alliance.web.studies import workspace
from tests.study.defects import defective_csv
from tests.web.conftest import PASSWORD, bearer, logged_in
from tests.web.studies.folders import HAND_CSV, HAND_SAV, hand_zip

if TYPE_CHECKING:  # the test client's response type exists in django-stubs only
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.integration

CODE = "barometre-test"
#: The fixture study's definition as a client sends it (dates as texts).
DEFINITION = json.loads(
    json.dumps(
        yaml.safe_load(Path("tests/study/data/hand-study/study.yaml").read_text(encoding="utf-8")),
        default=str,
    )
)


def shaped(response: Response, status: int, key: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["key"] == key
    assert set(body["messages"]) == {"fr", "en"}
    assert body["messages"]["fr"] != body["messages"]["en"]
    return dict(body)


def post_json(headers: dict[str, str], data: object) -> Response:
    return Client().post(
        "/api/studies", json.dumps(data), content_type="application/json", headers=headers
    )


def post_archive(headers: dict[str, str], archive: bytes):
    return Client().post(
        "/api/studies", {"archive": SimpleUploadedFile("s.zip", archive)}, headers=headers
    )


def post_file(headers: dict[str, str], study: str, path: str, content: bytes):
    return Client().post(
        f"/api/studies/{study}/files",
        {"path": path, "file": SimpleUploadedFile(path.rsplit("/", 1)[-1], content)},
        headers=headers,
    )


def test_a_study_from_json(people):
    response = post_json(bearer(people["analyst"]), DEFINITION)

    assert response.status_code == 201
    body = response.json()
    assert (body["code"], body["study"], body["title"], body["synthetic"]) == (
        CODE, CODE, "Baromètre de test des alliances locales", True,
    )  # fmt: skip
    assert body["titles"]["en"] == "Test barometer of local alliances"
    assert [(f["path"], f["role"], f["state"]) for f in body["files"]] == [
        ("study.yaml", "definition", "invalid"),
        ("questionnaires/habitants.yaml", "questionnaire", "missing"),
        ("margins/habitants.json", "margins", "missing"),
        (HAND_SAV, "wave", "missing"),
        (HAND_CSV, "wave", "missing"),
    ]
    assert body["counts"] == {"errors": 4, "warnings": 0}
    assert {p["key"] for p in body["problems"]} == {"study.file_missing"}
    assert {p["value"] for p in body["problems"]} == {
        "questionnaires/habitants.yaml", "margins/habitants.json", HAND_SAV, HAND_CSV,
    }  # fmt: skip
    assert Study.objects.get(code=CODE).created_by == people["analyst"]


def test_a_study_from_an_archive_then_a_wave_with_its_report(people):
    headers = bearer(people["analyst"])
    created = post_archive(headers, hand_zip(skip=(HAND_CSV,)))
    assert created.status_code == 201
    assert created.json()["counts"] == {"errors": 1, "warnings": 0}

    response = post_file(headers, CODE, HAND_CSV, defective_csv())

    assert response.status_code == 201
    body = response.json()
    assert (body["study"], body["path"], body["size"]) == (CODE, HAND_CSV, len(defective_csv()))
    assert {k: v for k, v in body["reading"].items() if k not in ("column_names",)} == {
        "format": "csv", "encoding": "windows-1252", "separator": ";", "decimal": ",",
        "sheet": None, "rows": 350, "columns": 10, "rejected_rows": 1,
        "description": "csv, encoding=windows-1252, separator=;, decimal=,",
    }  # fmt: skip
    assert body["counts"] == {"errors": 2, "warnings": 0}
    assert body["problems"][1] == {
        "severity": "error", "file": "habitants-2024.csv", "line": 3, "row": None,
        "column": "q_impact", "value": "Énorme", "key": "validation_rows.code_outside_scale",
        "messages": {
            "fr": "Code hors de l'échelle (codes permis : 1, 2, 3, 4, 9)",
            "en": "Code outside the scale (allowed codes: 1, 2, 3, 4, 9)",
        },
    }  # fmt: skip


def test_a_session_works_too(people):
    client = logged_in(people["analyst"])
    response = client.post("/api/studies", json.dumps(DEFINITION), content_type="application/json")
    assert response.status_code == 201
    assert client.get("/api/studies").status_code == 200


@pytest.mark.parametrize("who", ["owner", "editor", "viewer", "outsider"])
def test_members_get_403(people, who: str):
    workspace.create_from_definition(people["analyst"], DEFINITION)
    headers = bearer(people[who])

    shaped(post_json(headers, DEFINITION | {"study": "autre"}), 403, "request.forbidden")
    shaped(post_file(headers, CODE, HAND_CSV, b"a\n"), 403, "request.forbidden")
    assert not Study.objects.filter(code="autre").exists()


def test_anonymous_get_401(people):
    workspace.create_from_definition(people["analyst"], DEFINITION)

    shaped(post_json({}, DEFINITION), 401, "request.unauthorized")
    shaped(post_file({}, CODE, HAND_CSV, b"a\n"), 401, "request.unauthorized")


def test_unknown_or_restricted_studies_are_404(people):
    study = workspace.create_from_definition(people["analyst"], DEFINITION)
    other = User.objects.create_user("autre@demo.invalid", PASSWORD, role=User.Role.ANALYST)
    study.analysts.set([other])

    shaped(post_file(bearer(people["analyst"]), CODE, HAND_CSV, b"a\n"), 404,
           "request.unknown_study")  # fmt: skip
    shaped(post_file(bearer(people["analyst"]), "nope", HAND_CSV, b"a\n"), 404,
           "request.unknown_study")  # fmt: skip
    assert post_file(bearer(other), CODE, "notes.txt", b"a\n").status_code == 201


def test_a_code_taken_is_409(people):
    headers = bearer(people["analyst"])
    assert post_json(headers, DEFINITION).status_code == 201

    shaped(post_json(headers, DEFINITION), 409, "upload.study_exists")
    shaped(post_archive(headers, hand_zip()), 409, "upload.study_exists")


@pytest.mark.parametrize(
    ("send", "key", "field"),
    [
        (lambda h: post_json(h, DEFINITION | {"populations": []}), "validation.too_short",
         "populations"),
        (lambda h: post_json(h, [1, 2]), "study.definition_not_mapping", None),
        (lambda h: post_archive(h, b"not a zip"), "upload.archive_invalid", "archive"),
        (lambda h: Client().post("/api/studies", "{", content_type="application/json",
                                 headers=h), "request.invalid_json", None),
    ],
)  # fmt: skip
def test_invalid_definitions_are_400(people, send, key: str, field: str | None):
    body = shaped(send(bearer(people["analyst"])), 400, key)

    assert body["messages"]["fr"]
    assert Study.objects.filter(code=CODE).count() == 0


def test_files_need_a_file_and_a_safe_path(people):
    headers = bearer(people["analyst"])
    workspace.create_from_definition(people["analyst"], DEFINITION)

    shaped(post_file(headers, CODE, "../x.csv", b"a\n"), 400, "request.unsafe_path")
    missing = Client().post(f"/api/studies/{CODE}/files", {"path": HAND_CSV}, headers=headers)
    assert missing.status_code == 400
    assert missing.json()["messages"]["en"]


def test_uploads_over_the_limit_are_413(people, settings):
    settings.ALLIANCE_MAX_UPLOAD = 3 * 1024 * 1024
    workspace.create_from_definition(people["analyst"], DEFINITION)
    body = b"a;b\n" + b"1;2\n" * (2560 * 1024 // 4)

    assert post_file(bearer(people["analyst"]), CODE, "data/big.csv", body).status_code == 201
    shaped(post_file(bearer(people["owner"]), CODE, "data/big.csv", body), 413,
           "request.too_large")  # fmt: skip
    shaped(post_file(bearer(people["analyst"]), CODE, "data/big.csv", body * 2), 413,
           "request.too_large")  # fmt: skip


def test_both_methods_of_api_studies_answer(db):
    listed = Client().get("/api/studies")

    assert listed.status_code == 200
    assert {s["study"] for s in listed.json()} >= {"impact-demo"}
    assert Client().post("/api/studies").status_code == 401
    assert Client().put("/api/studies").status_code == 405
