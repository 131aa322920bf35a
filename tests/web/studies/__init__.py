"""Small studies' results for the web tests, built by hand (no microdata, no study run).

``synthetic_study()`` (« impact-demo », synthetic) has two populations and two waves, a segment,
one fragile and one suppressed estimate, a published figure and benchmark references for
associations and companies; ``regional_study()`` is its next version, cut by region too.
``observed_study()`` (« barometre-2024 ») is not synthetic.
:func:`stored_study` puts a study folder's files in the workspace, as uploads would.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile

from alliance.diagnostic.benchmark import Interval, Reference
from alliance.study.results import (
    Comparison,
    PopulationInfo,
    PublishedComparison,
    Result,
    StudyResults,
    WaveInfo,
)
from alliance.web.results.models import Study
from alliance.web.studies.models import StudyFile

SYNTHETIC = "impact-demo"
OBSERVED = "barometre-2024"

TERRITORIES = {"fr": "Territoires", "en": "Territories"}


def wave(name: str, n: int) -> WaveInfo:
    return WaveInfo(
        wave=name, n=n, file=f"{name}.csv", sha256="0" * 64, read_as="csv",
        fieldwork_start=f"{name}-03-01", fieldwork_end=f"{name}-04-15",
    )  # fmt: skip


def share(population: str, wave: str, variable: str, estimate: float | None, n: int,
          **fields: Any) -> Result:  # fmt: skip
    if estimate is None:
        return Result(population, wave, variable, "share", None, None, None, None, n,
                      fragile=False, suppressed=True, codes=[1, 2], **fields)  # fmt: skip
    return Result(population, wave, variable, "share", estimate, 0.02, round(estimate - 0.04, 3),
                  round(estimate + 0.04, 3), n, fragile=n < 30, codes=[1, 2], **fields)  # fmt: skip


def references(population: str) -> list[dict[str, Any]]:
    """The alliance lever's three benchmark items of ``population`` in wave 2022.

    Associations also have the human and financial levers' items (their questionnaire asks the
    number of regular volunteers and the main resource), after these three.
    """
    distribution = [(0.0, 0.1), (1.0, 0.3), (2.0, 0.55), (3.0, 0.75), (5.0, 0.9), (10.0, 1.0)]
    found = [
        Reference(population, "partnership_count", "count", 2022,
                  {"mean": Interval(2.6, 2.4, 2.8, 500)}, distribution, True),
        Reference(population, "partnership_categories", "categories", 2022,
                  {"mecenat": Interval(0.45, 0.41, 0.49, 500),
                   "pratiques_responsables": Interval(0.2, 0.17, 0.23, 500)}, [], True),
        Reference(population, "partnerships_evaluated", "yes_no", 2022,
                  {"yes": Interval(0.485, 0.448, 0.521, 500)}, [], True),
    ]  # fmt: skip
    if population == "associations":
        found += [
            Reference(population, "volunteer_count", "count", 2022,
                      {"mean": Interval(14.2, 12.9, 15.5, 500)},
                      [(2.0, 0.2), (5.0, 0.45), (10.0, 0.7), (30.0, 0.95), (100.0, 1.0)], True),
            Reference(population, "main_resource", "choice", 2022,
                      {"cotisations": Interval(0.31, 0.27, 0.35, 500),
                       "subventions": Interval(0.42, 0.38, 0.46, 500),
                       "dons": Interval(0.27, 0.23, 0.31, 500)}, [], True),
        ]  # fmt: skip
    return [r.to_dict() for r in found]


def synthetic_study() -> StudyResults:
    associations = PopulationInfo(
        population="associations",
        label={"fr": "Associations", "en": "Associations"},
        universe={"fr": "Associations employeuses", "en": "Employing associations"},
        waves=[wave("2018", 500), wave("2022", 520)],
        items={"impact_territories": TERRITORIES,
               "partners_count": {"fr": "Nombre de partenaires", "en": "Number of partners"}},
        segments={"size": {"label": {"fr": "Taille", "en": "Size"},
                           "groups": {"1": {"fr": "Petites", "en": "Small"},
                                      "2": {"fr": "Grandes", "en": "Large"}}}},
    )  # fmt: skip
    companies = PopulationInfo(
        population="companies",
        label={"fr": "Entreprises", "en": "Companies"},
        waves=[wave("2018", 400), wave("2022", 410)],
        items={"impact_territories": TERRITORIES, "impact_jobs": {"fr": "Emploi", "en": "Jobs"}},
    )
    estimates = [
        share("associations", "2018", "impact_territories", 0.412, 500),
        share("associations", "2022", "impact_territories", 0.558, 520),
        Result(
            "associations",
            "2022",
            "partners_count",
            "mean",
            3.25,
            0.1,
            3.05,
            3.45,
            520,
            fragile=False,
        ),
        share("associations", "2022", "impact_territories", 0.61, 300, by="size", group="1"),
        share("associations", "2022", "impact_territories", 0.47, 25, by="size", group="2"),
        share("companies", "2018", "impact_territories", 0.3, 400),
        share("companies", "2018", "impact_jobs", 0.25, 28),
        share("companies", "2022", "impact_territories", 0.35, 410),
        share("companies", "2022", "impact_jobs", None, 7),
    ]
    return StudyResults(
        study=SYNTHETIC,
        title={"fr": "Impact des alliances (démonstration)",
               "en": "Impact of alliances (demonstration)"},
        synthetic=True,
        populations=[associations, companies],
        estimates=estimates,
        comparisons=[Comparison("associations", "impact_territories", "share", "2018", "2022",
                                0.412, 0.558, 0.146, 0.026, 1018, 0.0001)],
        published=[PublishedComparison("associations", "impact_territories", "2022", 0.56,
                                       "Carnet, figure 3", 0.558, 0.518, 0.598, 520)],
        benchmark=references("associations") + references("companies"),
    )  # fmt: skip


def regional_study() -> StudyResults:
    """``impact-demo`` again, its associations also cut by region as the demo's public is.

    Groups are region short codes, as the demo writes them. Brittany (``BRE``): a share on 60
    respondents, a fragile one on 25 and a suppressed one on 7; Hauts-de-France (``HDF``) one.
    """
    base = synthetic_study()
    associations, companies = base.populations
    region = {"label": {"fr": "Région", "en": "Region"}, "groups": {}}
    estimates = [
        share("associations", "2018", "impact_territories", 0.44, 25, by="region", group="BRE"),
        share("associations", "2022", "impact_territories", 0.52, 60, by="region", group="BRE"),
        share("associations", "2022", "impact_territories", 0.57, 80, by="region", group="HDF"),
        share("companies", "2022", "impact_jobs", None, 7, by="region", group="BRE"),
    ]
    return changed(
        base,
        populations=[
            replace(associations, segments={**associations.segments, "region": region}),
            replace(companies, segments={"region": region}),
        ],
        estimates=[*base.estimates, *estimates],
    )


def observed_study() -> StudyResults:
    foundations = PopulationInfo(
        population="foundations",
        label={"fr": "Fondations", "en": "Foundations"},
        waves=[wave("2024", 300)],
        items={"impact_territories": TERRITORIES},
    )
    return StudyResults(
        study=OBSERVED,
        title={"fr": "Baromètre des partenariats 2024", "en": "Partnerships barometer 2024"},
        synthetic=False,
        populations=[foundations],
        estimates=[share("foundations", "2024", "impact_territories", 0.62, 300)],
    )


def changed(results: StudyResults, **fields: Any) -> StudyResults:
    """The same results with some fields replaced (a new version when published)."""
    return replace(results, **fields)


def stored_study(folder: Path, code: str, **fields: Any) -> Study:
    """Create the workspace study ``code`` with every file of ``folder`` stored under its path."""
    study = Study.objects.create(code=code, title_fr=code, title_en=code, **fields)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        content = path.read_bytes()
        StudyFile.objects.create(
            study=study,
            path=path.relative_to(folder).as_posix(),
            content=ContentFile(content, path.name),
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
        )
    return study
