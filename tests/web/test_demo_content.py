"""The demo's web content: 40 synthetic examples loaded idempotently and two demo organisations
sharing a partnership (the demo study's results are published like any study's)."""

from __future__ import annotations

import pytest
from django.test import Client

from alliance.evaluation import Cell
from alliance.territory.territory import find_territory
from alliance.web.accounts.models import User
from alliance.web.demo_content import (
    DEMO_ACCOUNTS,
    DEMO_ANALYST,
    DEMO_COORDINATOR,
    DEMO_PARTNERSHIP,
    DEMO_PASSWORD,
    EXAMPLES_FILE,
    load_demo_content,
    load_demo_organisations,
    load_demo_workspace,
    load_examples,
)
from alliance.web.examples.models import InspiringExample
from alliance.web.organisations.models import Membership, Organisation
from alliance.web.partnerships.actions import side_by_side
from alliance.web.partnerships.models import Partnership
from alliance.web.permissions import managed_studies
from alliance.web.results.models import Study, StudyVersion
from alliance.web.territories.models import Coordinator
from tests.study.conftest import HAND_STUDY
from tests.web.conftest import logged_in, logs_in

pytestmark = pytest.mark.integration

ONE_EXAMPLE = """\
examples:
  - code: ex-01
    title: {fr: "Titre revu", en: "Revised title"}
    summary: {fr: "Résumé revu.", en: "Revised summary."}
    partners:
      - {name: "Coopérative Éole (fictive)", profile: pme}
    category: mecenat_nature
    region: COR
    commune: 2A004
    year: 2025
  - code: ex-99
    title: {fr: "Un exemple de plus", en: "One more example"}
    summary: {fr: "Pour le test.", en: "For the test."}
    partners: []
    category: innovation_societale
    region: IDF
    commune: 75056
    year: 2019
    sdg: [17]
"""


def test_loading_twice_keeps_forty_examples(db):
    assert InspiringExample.objects.count() == 40

    assert load_examples() == 40
    assert load_examples() == 40

    assert InspiringExample.objects.count() == 40
    assert InspiringExample.objects.filter(code__startswith="ex-").count() == 40


def test_every_demo_example_is_synthetic(db):
    load_examples()

    assert InspiringExample.objects.filter(synthetic=True).count() == 40


def test_fields_of_an_example(db):
    load_examples()

    example = InspiringExample.objects.get(code="ex-01")
    assert example.title_fr == "Mécénat de compétences contre la précarité énergétique"
    assert example.title_en == "Skills-based sponsorship against fuel poverty"
    assert example.summary_fr.startswith("Sur leur temps de travail, des ingénieurs thermiciens")
    assert example.summary_en.startswith("During working hours, thermal engineers")
    assert example.partners == [
        {"name": "Association Toits Partagés du Rhône (fictive)", "profile": "associations"},
        {"name": "Thermivolt Conseil SAS (fictive)", "profile": "pme"},
    ]
    assert example.category == "mecenat_competences"
    assert example.objectives == ["positionnement", "processus"]
    assert example.common_objective == ""
    assert example.region == "ARA"
    assert example.commune == "69266"
    assert example.year == 2018
    assert example.sdg == [7, 11, 17]
    assert example.innovation_stage == "deploiement"
    assert example.impacts == ["confiance", "performance"]
    assert example.sources == []
    assert example.synthetic is True


def test_every_demo_example_cites_sdg_17_and_a_real_looking_commune(db):
    load_examples()

    for example in InspiringExample.objects.all():
        assert 17 in example.sdg, example.code
        assert len(example.commune) == 5, example.code
        assert all(p["name"].endswith("(fictive)") for p in example.partners), example.code


def test_a_file_updates_by_code_and_adds_new_codes(db, tmp_path):
    path = tmp_path / "examples.yaml"
    path.write_text(ONE_EXAMPLE, encoding="utf-8")

    assert load_examples(path, synthetic=False) == 2

    assert InspiringExample.objects.count() == 41
    revised = InspiringExample.objects.get(code="ex-01")
    assert revised.title_fr == "Titre revu"
    assert revised.synthetic is False
    assert revised.commune == "2A004"
    assert revised.objectives == []
    assert revised.sdg == []
    assert revised.innovation_stage == ""
    added = InspiringExample.objects.get(code="ex-99")
    assert added.commune == "75056"
    assert added.partners == []
    assert added.sdg == [17]


def test_the_examples_file_is_the_packaged_one():
    assert EXAMPLES_FILE.name == "demo_examples.yaml"
    assert EXAMPLES_FILE.is_file()


def test_load_demo_content_counts_examples_and_organisations(db):
    versions = StudyVersion.objects.count()

    assert load_demo_content() == {"examples": 40, "organisations": 2}
    assert load_demo_content() == {"examples": 40, "organisations": 2}

    assert InspiringExample.objects.count() == 40
    assert Organisation.objects.filter(synthetic=True).count() == 2
    assert StudyVersion.objects.count() == versions  # no study results are loaded


def test_demo_organisations_share_a_partnership_each_with_a_diagnostic_and_an_evaluation(db):
    assert load_demo_organisations() == 2
    assert load_demo_organisations() == 2  # idempotent

    association = Organisation.objects.get(name="Les Jardins du Lac (association fictive)")
    company = Organisation.objects.get(name="Boulangeries Moreau (entreprise fictive)")
    assert (association.profile, company.profile) == ("associations", "pme")
    assert association.synthetic
    assert company.synthetic
    for email, organisation in zip(DEMO_ACCOUNTS, (association, company), strict=True):
        user = User.objects.get(email=email)
        assert user.check_password(DEMO_PASSWORD)
        assert Membership.objects.get(user=user).organisation == organisation
        assert Membership.objects.get(user=user).role == "owner"
        assert organisation.diagnostic.answers["partnership_count"] in (2, 3)
        assert organisation.diagnostic.scores().overall is not None
    partnership = Partnership.objects.get(title=DEMO_PARTNERSHIP)
    assert set(partnership.organisations.all()) == {association, company}
    assert (partnership.category, partnership.contract) == ("mecenat", "contrat_alliance")
    assert Partnership.objects.filter(title=DEMO_PARTNERSHIP).count() == 1
    assert sorted(e.organisation.name for e in partnership.evaluations.all()) == sorted(
        [association.name, company.name]
    )
    diverging = [c.cell for c in side_by_side(partnership).comparison if c.diverges]
    assert diverging == [Cell("produit", "sens"), Cell("equilibre", "clarte")]


def test_the_demo_analyst_is_staff_of_no_organisation_and_gets_a_token(db):
    load_demo_content()
    load_demo_content()  # idempotent

    analyst = User.objects.get(email=DEMO_ANALYST)
    assert (analyst.role, analyst.is_staff, analyst.is_superuser) == ("analyst", True, False)
    assert [g.name for g in analyst.groups.all()] == ["Analystes"]
    assert not Membership.objects.filter(user=analyst).exists()
    response = Client().post(
        "/api/auth/token",
        {"email": DEMO_ANALYST, "password": DEMO_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    mine = Client().get("/api/organisations", headers={"Authorization": f"Bearer {token}"})
    assert (mine.status_code, mine.json()) == (200, [])


def test_the_demo_coordinator_edits_the_demo_departments_self_assessment(db):
    load_demo_content()
    load_demo_content()  # idempotent

    coordinator = User.objects.get(email=DEMO_COORDINATOR)
    assert list(Coordinator.objects.values_list("user__email", "kind", "code")) == [
        (DEMO_COORDINATOR, "department", "35")
    ]
    organisation = Organisation.objects.get(siren="732829320")
    assert find_territory("commune", organisation.commune).parent("department") == "35"
    assert not Membership.objects.filter(user=coordinator).exists()
    assert logs_in(DEMO_COORDINATOR, DEMO_PASSWORD)
    page = logged_in(coordinator).get("/territories/department/35/").content.decode()
    assert 'name="answer:territorial-engineerings/publique"' in page


def test_demo_accounts_use_reserved_addresses():
    assert all(email.endswith("@demo.invalid")
               for email in (*DEMO_ACCOUNTS, DEMO_ANALYST, DEMO_COORDINATOR))  # fmt: skip
    assert DEMO_PASSWORD == "demo-alliance"


def test_the_demo_study_folder_is_stored_in_the_workspace_for_the_analyst(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "storage"
    Study.objects.create(code="barometre-test", title_fr="Baromètre", title_en="Barometer")

    stored = load_demo_workspace("barometre-test", HAND_STUDY)

    study = Study.objects.get(code="barometre-test")
    assert stored == study.files.count() == 5
    sav = study.files.get(path="data/habitants-2023.sav")
    assert (sav.reading["rows"], sav.problems) == (400, [])
    assert sav.uploaded_by == User.objects.get(email=DEMO_ANALYST)
    analyst = User.objects.get(email=DEMO_ANALYST)
    assert managed_studies(analyst).filter(code="barometre-test").exists()
    assert load_demo_workspace("barometre-test", HAND_STUDY) == 5
    assert study.files.count() == 5
