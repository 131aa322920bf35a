"""The demo's web content: synthetic examples, two demo organisations, an analyst, a coordinator.

The demo study's results are published like any study's (:mod:`alliance.web.results.publishing`)
and its delivered files are stored in the analysts' workspace like any upload
(:func:`load_demo_workspace`), so the demo analyst finds the study there, ready to run again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from alliance.web.accounts.models import User
from alliance.web.examples.models import InspiringExample
from alliance.web.organisations.models import Membership, Organisation
from alliance.web.partnerships import actions
from alliance.web.partnerships.models import Evaluation, Partnership, Side
from alliance.web.results.models import Study
from alliance.web.studies.workspace import store_folder
from alliance.web.territories.models import Coordinator

__all__ = [
    "DEMO_ACCOUNTS", "DEMO_ANALYST", "DEMO_COORDINATOR", "DEMO_PARTNERSHIP", "DEMO_PASSWORD",
    "DEMO_TERRITORY", "EXAMPLES_FILE", "load_demo_analyst", "load_demo_content",
    "load_demo_coordinator", "load_demo_organisations", "load_demo_workspace",
    "load_examples",
]  # fmt: skip

#: The demo's accounts: they exist only in the demo's own database (``alliance demo``).
DEMO_PASSWORD = "demo-alliance"
DEMO_ACCOUNTS = ("association@demo.invalid", "entreprise@demo.invalid")
#: The demo's observatory analyst: staff, member of no organisation.
DEMO_ANALYST = "analyste@demo.invalid"
DEMO_PARTNERSHIP = "Pain d'insertion au quartier du Lac (fictif)"
#: The demo's territory coordinator (synthetic, like every ``@demo.invalid`` account), for the
#: department of the demo organisations (Rennes, 35238: Ille-et-Vilaine).
DEMO_COORDINATOR = "coordination@demo.invalid"
DEMO_TERRITORY = ("department", "35")

EXAMPLES_FILE = Path(__file__).parent / "examples" / "data" / "demo_examples.yaml"


@transaction.atomic
def load_examples(path: Path = EXAMPLES_FILE, *, synthetic: bool = True) -> int:
    """Create or update the examples of a YAML file (``examples:`` list)."""
    entries: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))["examples"]
    for entry in entries:
        InspiringExample.objects.update_or_create(
            code=entry["code"],
            defaults={
                "title_fr": entry["title"]["fr"],
                "title_en": entry["title"]["en"],
                "summary_fr": entry["summary"]["fr"],
                "summary_en": entry["summary"]["en"],
                "partners": entry["partners"],
                "category": entry["category"],
                "objectives": entry.get("objectives", []),
                "common_objective": entry.get("common_objective") or "",
                "region": entry["region"],
                "commune": str(entry.get("commune") or ""),
                "year": entry["year"],
                "sdg": entry.get("sdg", []),
                "innovation_stage": entry.get("innovation_stage") or "",
                "impacts": entry.get("impacts", []),
                "sources": entry.get("sources", []),
                "synthetic": synthetic,
            },
        )
    return len(entries)


@transaction.atomic
def load_demo_organisations() -> int:
    """Two demo organisations sharing a partnership, each with a diagnostic and an evaluation."""
    association, _ = Organisation.objects.update_or_create(
        name="Les Jardins du Lac (association fictive)",
        defaults={
            "profile": "associations",
            "rna": "W351234567",
            "commune": "35238",
            "synthetic": True,
        },
    )
    company, _ = Organisation.objects.update_or_create(
        name="Boulangeries Moreau (entreprise fictive)",
        defaults={"profile": "pme", "siren": "732829320", "commune": "35238", "synthetic": True},
    )
    for email, organisation in zip(DEMO_ACCOUNTS, (association, company), strict=True):
        user = User.objects.filter(email=email).first() or User.objects.create_user(email)
        user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.update_or_create(
            user=user, organisation=organisation, defaults={"role": Membership.Role.OWNER}
        )
    actions.save_answers(actions.diagnostic_of(association), {
        "people_mix": {"benevoles": 70, "salaries": 25, "volontaires": 5}, "skills": 3,
        "engagement": 4, "volunteer_count": 12, "main_resource": "subventions",
        "revenue_mix": {"financement_public": 65, "financement_prive": 20,
        "revenus_activites": 15}, "largest_funder": 55, "reserves_months": 2,
        "investment_share": 5, "partnership_count": 3, "partnership_categories": ["mecenat"],
        "strategic": 3, "evaluated_share": 0, "shared_objectives": 2,
    }, replace=True)  # fmt: skip
    actions.save_answers(actions.diagnostic_of(company), {
        "people_mix": {"salaries": 85, "mecenat_competences": 15}, "skills": 4,
        "engagement": 3, "revenue_mix": {"financement_public": 5, "financement_prive": 10,
        "revenus_activites": 85}, "largest_funder": 30, "reserves_months": 4,
        "investment_share": 20, "partnership_count": 2,
        "partnership_categories": ["mecenat", "pratiques_responsables"], "strategic": 2,
        "evaluated_share": 50, "shared_objectives": 3,
    }, replace=True)  # fmt: skip
    partnership = Partnership.objects.filter(title=DEMO_PARTNERSHIP).first() or actions.start(
        association, DEMO_PARTNERSHIP
    )
    actions.agree(
        partnership, "mecenat", "Former des jeunes du quartier à la boulangerie", "contrat_alliance"
    )
    for organisation in (association, company):
        Side.objects.get_or_create(partnership=partnership, organisation=organisation)
    actions.qualify(
        partnership.sides.get(organisation=association),
        {"positionnement": 1, "processus": 2},
        {"time": "accompagnement des jeunes", "skills": "insertion"},
    )
    actions.qualify(
        partnership.sides.get(organisation=company),
        {"processus": 1, "proposition_valeur": 2},
        {"in_kind": "fournil, matières premières", "money": "5 000 €"},
    )
    Evaluation.objects.filter(partnership=partnership).delete()
    actions.evaluate(
        partnership, association,
        {"produit": {"performance": 4, "pertinence": 5, "sens": 5},
         "equilibre": {"clarte": 2, "coherence": 3}, "valorisation": {"efficience": 3}},
        {"equilibre": "Les attentes de l'entreprise restent floues pour nous."},
    )  # fmt: skip
    actions.evaluate(
        partnership, company,
        {"produit": {"performance": 3, "pertinence": 4, "sens": 3},
         "equilibre": {"clarte": 4, "coherence": 3}, "valorisation": {"efficience": 2}},
        {"produit": "Deux jeunes embauchés ; le suivi demande plus de temps que prévu."},
    )  # fmt: skip
    return 2


@transaction.atomic
def load_demo_analyst() -> User:
    """Create (or reset) the demo's analyst: staff in the « Analystes » group, of no organisation.

    Like the organisations' accounts, it exists only in the demo's own database.
    """
    analyst = User.objects.filter(email=DEMO_ANALYST).first() or User.objects.create_user(
        DEMO_ANALYST
    )
    analyst.role = User.Role.ANALYST
    analyst.set_password(DEMO_PASSWORD)
    analyst.save()
    return analyst


@transaction.atomic
def load_demo_coordinator() -> User:
    """Create (or reset) the demo's coordinator of the demo organisations' department.

    A member of no organisation: the role lets them fill in the territory's self-assessment only.
    """
    user = User.objects.filter(email=DEMO_COORDINATOR).first() or User.objects.create_user(
        DEMO_COORDINATOR
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    kind, code = DEMO_TERRITORY
    Coordinator.objects.get_or_create(user=user, kind=kind, code=code)
    return user


def load_demo_content() -> dict[str, int]:
    """Load the examples, the demo organisations, the analyst and the coordinator (idempotent)."""
    load_demo_analyst()
    load_demo_coordinator()
    return {"examples": load_examples(), "organisations": load_demo_organisations()}


def load_demo_workspace(study: str, folder: Path) -> int:
    """Store the published demo study's folder in the workspace; return how many files.

    The study exists once published; its files are stored as the demo analyst's uploads, so
    the workspace shows them read and checked, and a run can be started from the page.
    """
    files = store_folder(Study.objects.get(code=study), folder, load_demo_analyst())
    return len(files)
