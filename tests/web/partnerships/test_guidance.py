"""The « how to ally » chain on the demo partnership: both partners see where they differ."""

from __future__ import annotations

import pytest
from django.test import Client

from alliance.web.accounts.models import User
from alliance.web.demo_content import DEMO_PARTNERSHIP, load_demo_organisations
from alliance.web.partnerships.guidance import EXAMPLES, guidance_record
from alliance.web.partnerships.models import Partnership
from tests.web.conftest import bearer, logged_in

pytestmark = pytest.mark.integration

#: The demo examples whose partners held both priorities (positionnement and processus).
BRIDGING = {"ex-01", "ex-06", "ex-17", "ex-18", "ex-21", "ex-26", "ex-29", "ex-34"}


@pytest.fixture
def demo(db) -> Partnership:
    load_demo_organisations()
    return Partnership.objects.get(title=DEMO_PARTNERSHIP)


def test_each_partner_sees_the_category_its_priority_calls_for_and_the_gap(demo: Partnership):
    record = guidance_record(demo, "fr")

    proposals = [entry["proposal"] for entry in record["proposals"]]
    assert [(p["objective"], p["category"], p["status_label"]) for p in proposals] == [
        ("positionnement", "mecenat", "déduit"),
        ("processus", "pratiques_responsables", "déduit"),
    ]
    assert record["gap"] is True
    assert record["verdict"].startswith(
        "Vos objectifs prioritaires appellent deux catégories différentes (Mécénat et Pratiques "
        "responsables)"
    )
    assert len(record["examples"]) == EXAMPLES
    assert {e["code"] for e in record["examples"]} <= BRIDGING
    assert (record["contract"], record["contract_status"]) == ("contrat_alliance", "notebook")


def test_both_partners_read_it_on_the_page_and_in_the_api(demo: Partnership):
    for email in ("association@demo.invalid", "entreprise@demo.invalid"):
        person = User.objects.get(email=email)
        page = logged_in(person).get(f"/partnerships/{demo.pk}/").content.decode()
        assert "De vos objectifs prioritaires à la catégorie de partenariat" in page
        assert '→ <strong>Mécénat</strong> <span class="badge inferred">déduit</span>' in page
        assert "→ <strong>Pratiques responsables</strong>" in page
        assert 'class="notice gap" role="status">Vos objectifs prioritaires appellent deux' in page
        assert "Des partenariats qui ont réuni ces deux priorités" in page
        answer = Client(headers=bearer(person) | {"Accept-Language": "en"}).get(
            f"/api/partnerships/{demo.pk}"
        )
        assert answer.status_code == 200
        guidance = answer.json()["guidance"]
        assert guidance["gap"] is True
        assert guidance["verdict"].startswith("Your priority objectives call for two different")


def test_a_partner_without_priority_is_told_to_rank_its_objectives(demo: Partnership):
    side = demo.sides.order_by("pk").last()
    assert side is not None
    side.objectives = {}
    side.save()

    record = guidance_record(demo, "fr")

    assert record["proposals"][1]["proposal"] is None
    assert (record["gap"], record["verdict"], record["examples"]) == (False, None, [])


def test_partners_choose_common_objectives_and_the_contract_follows(demo: Partnership):
    owner = logged_in(User.objects.get(email="association@demo.invalid"))
    url = f"/partnerships/{demo.pk}/"
    form = {"form": "agreed", "category": "mecenat", "agreement_version": demo.agreement_version}

    owner.post(url, form | {"common_objectives": ["reduire_fragilites"], "common_objective": ""})
    chosen = Partnership.objects.get(pk=demo.pk)
    owner.post(url, form | {"agreement_version": chosen.agreement_version, "common_objective": ""})
    none = Partnership.objects.get(pk=demo.pk)

    assert (chosen.common_objectives, chosen.common_objective, chosen.contract) == (
        ["reduire_fragilites"], "", "contrat_alliance",
    )  # fmt: skip
    assert (none.common_objectives, none.contract) == ([], "contrat_echange")
    page = owner.get(url).content.decode()
    assert "objectifs communs « Objectif commun n° 1 [inconnu] » → « — »" in page
    assert 'name="common_objectives" value="reduire_fragilites">' in page
    assert "Hypothèse (reconstruction, non vérifiée)" in page


def test_the_api_takes_common_objectives_as_a_list_of_known_codes(demo: Partnership):
    person = User.objects.get(email="entreprise@demo.invalid")
    url = f"/api/partnerships/{demo.pk}/agreement"
    client = Client(headers=bearer(person))

    saved = client.put(url, {"common_objectives": ["reduire_fragilites"]}, "application/json")
    unknown = client.put(url, {"common_objectives": ["inventé"]}, "application/json")
    not_a_list = client.put(url, {"common_objectives": "reduire_fragilites"}, "application/json")

    assert saved.status_code == 200
    assert saved.json()["common_objectives"] == ["reduire_fragilites"]
    assert (unknown.status_code, unknown.json()["key"]) == (
        400, "qualification.common_objective_unknown",
    )  # fmt: skip
    assert (not_a_list.status_code, not_a_list.json()["key"]) == (
        400, "qualification.common_objectives_list",
    )  # fmt: skip
