"""The studies API: published studies, one study, its estimates filtered; 404 for unknowns."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from alliance.web.results.models import StudyVersion
from alliance.web.results.publishing import publish
from tests.web.studies import SYNTHETIC, changed, synthetic_study

pytestmark = pytest.mark.integration


def get(url: str, status: int = 200) -> Any:
    response = Client().get(url)
    assert response.status_code == status, response.content
    return response.json()


def published_at(code: str) -> str:
    return StudyVersion.objects.get(study__code=code).published_at.isoformat()


def test_studies_the_latest_published_first(db):
    assert get("/api/studies") == [
        {
            "study": "impact-demo",
            "title": "Impact des alliances (démonstration)",
            "synthetic": True,
            "version": 1,
            "published_at": published_at("impact-demo"),
            "populations": [
                {"population": "associations", "label": "Associations", "waves": ["2018", "2022"]},
                {"population": "companies", "label": "Entreprises", "waves": ["2018", "2022"]},
            ],
            "waves": ["2018", "2022"],
        },
        {
            "study": "barometre-2024",
            "title": "Baromètre des partenariats 2024",
            "synthetic": False,
            "version": 1,
            "published_at": published_at("barometre-2024"),
            "populations": [
                {"population": "foundations", "label": "Fondations", "waves": ["2024"]}
            ],
            "waves": ["2024"],
        },
    ]


def test_one_study_in_english(db):
    study = get("/api/studies/impact-demo?lang=en")

    assert study["title"] == "Impact of alliances (demonstration)"
    assert [p["label"] for p in study["populations"]] == ["Associations", "Companies"]


def test_a_new_version_is_the_one_served(db):
    publish(changed(synthetic_study(), title={"fr": "Deuxième", "en": "Second"}))

    study = get("/api/studies/impact-demo")

    assert (study["version"], study["title"]) == (2, "Deuxième")


@pytest.mark.parametrize(
    "url",
    [
        "/api/studies/martians",
        "/api/studies/martians/results",
        "/api/studies/impact-demo/results?population=martians",
        "/api/studies/impact-demo/results?population=foundations",
    ],
)
def test_unknown_study_or_population_is_404(db, url):
    response = Client().get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    body = response.json()

    assert list(body) == ["detail", "key", "messages"]
    assert body["key"] in {"request.unknown_study", "request.unknown_population"}
    assert body["detail"].startswith("Unknown ")
    assert body["messages"]["fr"].startswith(("Étude inconnue", "Population inconnue"))


def test_results_of_the_whole_population_by_default(db):
    records = get("/api/studies/impact-demo/results?population=companies")

    assert records[0] == {
        "population": "companies", "wave": "2018", "variable": "impact_territories",
        "statistic": "share", "by": None, "group": None, "estimate": 0.3, "se": 0.02,
        "ci_low": 0.26, "ci_high": 0.34, "n": 400, "fragile": False, "label": "Territoires",
        "group_label": None, "published": None, "synthetic": True, "suppressed": False,
    }  # fmt: skip
    assert [(r["variable"], r["wave"]) for r in records] == [
        ("impact_territories", "2018"), ("impact_jobs", "2018"),
        ("impact_territories", "2022"), ("impact_jobs", "2022"),
    ]  # fmt: skip
    assert records[1]["fragile"] is True


def test_a_suppressed_estimate_has_no_values(db):
    records = get("/api/studies/impact-demo/results?population=companies&wave=2022")

    hidden = records[-1]
    assert hidden["suppressed"] is True
    assert [hidden[k] for k in ("estimate", "se", "ci_low", "ci_high")] == [None] * 4
    assert hidden["n"] == 7


def test_published_figures_and_english_labels(db):
    records = get("/api/studies/impact-demo/results?population=associations&wave=2022&lang=en")

    assert [r["label"] for r in records] == ["Territories", "Number of partners"]
    assert records[0]["published"] == pytest.approx(0.56)
    assert records[0]["ci_low"] <= 0.56 <= records[0]["ci_high"]


def test_results_of_a_segment(db):
    records = get("/api/studies/impact-demo/results?by=size&lang=en")

    assert [(r["by"], r["group"], r["group_label"]) for r in records] == [
        ("size", "1", "Small"), ("size", "2", "Large"),
    ]  # fmt: skip
    assert get("/api/studies/impact-demo/results?by=region") == []


def test_segments_true_gives_every_segment(db):
    records = get("/api/studies/impact-demo/results?segments=true")

    assert {r["by"] for r in records} == {"size"}
    assert len(records) == 2


def test_every_population_without_filters(db):
    records = get(f"/api/studies/{SYNTHETIC}/results")

    assert [r["population"] for r in records] == ["associations"] * 3 + ["companies"] * 4
    assert {r["synthetic"] for r in records} == {True}
    assert {r["synthetic"] for r in get("/api/studies/barometre-2024/results")} == {False}
