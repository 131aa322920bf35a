"""What an organisation holds: its diagnostic report, its export (JSON, CSV) and its erasure."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import uuid
import zipfile
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from alliance.web.accounts.models import User
from alliance.web.organisations.models import Membership, Organisation
from alliance.web.partnerships import actions, invitations
from alliance.web.partnerships.export import (
    diagnostic_report,
    erase,
    export_csv_zip,
    export_record,
)
from alliance.web.partnerships.models import (
    Diagnostic,
    Evaluation,
    Invitation,
    Partnership,
    Side,
)

pytestmark = pytest.mark.integration

CSV_FILES = [
    "organisation.csv", "membres.csv", "diagnostic.csv", "scores.csv", "partenariats.csv",
    "evaluations.csv", "invitations.csv",
]  # fmt: skip


@pytest.fixture
def shared(organisation, other_organisation) -> Partnership:
    """A partnership between ``organisation`` (first side) and ``other_organisation``."""
    partnership = actions.start(organisation, "Jardin partagé")
    Side.objects.create(partnership=partnership, organisation=other_organisation)
    return partnership


@pytest.fixture
def filled(people, organisation: Organisation, other_organisation, shared) -> Organisation:
    """``organisation`` with answers, two partnerships (one shared), evaluations, an invitation."""
    actions.save_answers(
        actions.diagnostic_of(organisation),
        {"skills": 5, "reserves_months": 3, "partnership_categories": ["mecenat"]},
    )
    actions.agree(shared, "mecenat", "Nourrir le quartier", "contrat_alliance")
    actions.qualify(
        shared.sides.get(organisation=organisation), {"processus": 1}, {"time": "2 jours"}
    )
    actions.qualify(shared.sides.get(organisation=other_organisation), {"positionnement": 2}, {})
    older = actions.evaluate(shared, organisation, {"produit": {"performance": 4}}, {})
    Evaluation.objects.filter(pk=older.pk).update(created=timezone.now() - timedelta(days=1))
    actions.evaluate(
        shared,
        organisation,
        {"produit": {"performance": 5, "sens": 3}},
        {"produit": "Très utile ; merci"},
    )
    actions.evaluate(shared, other_organisation, {"produit": {"performance": 2}}, {})
    invitations.invite(shared, organisation, "tiers@demo.invalid", lambda token: token)
    actions.start(organisation, "Seuls")
    return organisation


def read_csv(archive: zipfile.ZipFile, name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")), delimiter=";"))


# diagnostic_report ------------------------------------------------------------------------------


def test_report_in_french(filled):
    document = diagnostic_report(filled, "fr")

    assert document.lang == "fr"
    assert document.title == "Diagnostic du modèle socio-économique — Les Jardins du Lac (fictive)"
    assert [c.id for c in document.chapters] == [
        "balance", "answers", "benchmark", "next-steps", "versions",
    ]  # fmt: skip
    assert [t.title for t in document.tables() if t.id in ("3", "4", "5")] == [
        "Richesses humaines : vous et les Associations (vague 2022)",
        "Ressources financières : vous et les Associations (vague 2022)",
        "Alliances : vous et les Associations (vague 2022)",
    ]
    assert "Organisation fictive" not in document.notice
    steps = next(c for c in document.chapters if c.id == "next-steps").blocks
    assert isinstance(steps[0], str)
    assert steps[0].startswith("Faire des alliances un levier stratégique — ")


def test_report_in_english_for_a_pme(other_organisation):
    document = diagnostic_report(other_organisation, "en")

    assert document.title == "Socio-economic model diagnostic — Boulangeries Moreau (fictive)"
    assert [t.title for t in document.tables() if t.id == "3"] == [
        "Alliances: you and the Companies (wave 2022)"
    ]
    benchmark = next(c for c in document.chapters if c.id == "benchmark").blocks
    assert benchmark[1:3] == [
        "Human wealth: The study's questionnaire asks your population no comparable question on "
        "this lever: no comparison rather than one with a different measure.",
        "Financial resources: The study's questionnaire asks your population no comparable "
        "question on this lever: no comparison rather than one with a different measure.",
    ]


def test_report_of_a_demonstration_organisation_says_so(organisation):
    organisation.synthetic = True
    organisation.save()

    document = diagnostic_report(organisation, "fr")

    assert document.notice.endswith("Organisation fictive : données synthétiques de démonstration.")


def test_report_without_a_study_population_has_no_benchmark(db):
    academic = Organisation.objects.create(name="Université (fictive)", profile="academiques")

    document = diagnostic_report(academic, "en")

    assert [c.id for c in document.chapters] == ["balance", "answers", "next-steps", "versions"]


def test_report_draws_the_chart_once_every_lever_is_scored(organisation):
    diagnostic = actions.diagnostic_of(organisation)
    assert diagnostic_report(organisation, "fr").figures() == []

    actions.save_answers(diagnostic, {"skills": 3, "reserves_months": 3, "strategic": 3})

    assert len(diagnostic_report(organisation, "fr").figures()) == 1


# export_record ----------------------------------------------------------------------------------


def test_export_record(filled, shared, other_organisation):
    record = export_record(filled)

    assert list(record) == [
        "exported", "organisation", "members", "diagnostic", "partnerships", "evaluations",
        "invitations_sent",
    ]  # fmt: skip
    assert abs(datetime.fromisoformat(record["exported"]) - timezone.now()) < timedelta(minutes=1)
    organisation = record["organisation"]
    assert organisation == {
        "id": filled.pk, "name": "Les Jardins du Lac (fictive)", "profile": "associations",
        "siren": "", "rna": "W351234567", "commune": "", "synthetic": False,
        "created": filled.created.isoformat(timespec="seconds"),
    }  # fmt: skip
    assert record["members"] == [
        {"email": "owner@demo.invalid", "role": "owner"},
        {"email": "editor@demo.invalid", "role": "editor"},
        {"email": "viewer@demo.invalid", "role": "viewer"},
    ]
    diagnostic = record["diagnostic"]
    assert diagnostic["instrument_version"] == "2026.1"
    assert diagnostic["answers"] == {
        "skills": 5, "reserves_months": 3.0, "partnership_categories": ["mecenat"],
    }  # fmt: skip
    assert diagnostic["scores"] == {
        "levers": {"richesses_humaines": 100.0, "ressources_financieres": 50.0,
                   "alliances": 25.0},
        "overall": pytest.approx(175 / 3), "balance": 25.0,
    }  # fmt: skip
    assert record["partnerships"][0] == {
        "id": shared.pk, "title": "Jardin partagé", "category": "mecenat",
        "common_objective": "Nourrir le quartier", "common_objectives": [],
        "contract": "contrat_alliance",
        "our_objectives": {"processus": 1}, "our_contributions": {"time": "2 jours"},
        "partners": ["Boulangeries Moreau (fictive)"],
    }  # fmt: skip
    assert [(p["title"], p["partners"]) for p in record["partnerships"]] == [
        ("Jardin partagé", ["Boulangeries Moreau (fictive)"]), ("Seuls", []),
    ]  # fmt: skip
    assert [(e["partnership"], e["scores"], e["comments"]) for e in record["evaluations"]] == [
        (shared.pk, {"produit": {"performance": 4}}, {}),
        (shared.pk, {"produit": {"performance": 5, "sens": 3}}, {"produit": "Très utile ; merci"}),
    ]
    assert [(i["partnership"], i["email"], i["accepted"]) for i in record["invitations_sent"]] == [
        (shared.pk, "tiers@demo.invalid", False)
    ]
    assert json.loads(json.dumps(record)) == record


def test_export_holds_nothing_of_the_partners_own_data(filled):
    text = json.dumps(export_record(filled), ensure_ascii=False)

    assert "positionnement" not in text
    assert "outsider@demo.invalid" not in text
    assert '"performance": 2' not in text


def test_export_of_a_new_organisation(organisation):
    record = export_record(organisation)

    assert record["members"] == []
    assert record["diagnostic"]["answers"] == {}
    assert record["diagnostic"]["scores"] == {
        "levers": {"richesses_humaines": None, "ressources_financieres": None, "alliances": None},
        "overall": None, "balance": None,
    }  # fmt: skip
    assert (record["partnerships"], record["evaluations"], record["invitations_sent"]) == (
        [], [], [],
    )  # fmt: skip


# export_csv_zip ---------------------------------------------------------------------------------


def test_zip_holds_one_csv_per_sheet_and_the_json(filled):
    archive = zipfile.ZipFile(io.BytesIO(export_csv_zip(filled)))

    assert archive.namelist() == [*CSV_FILES, "export.json"]
    for name in CSV_FILES:
        assert archive.read(name).startswith("\ufeff".encode()), name
    inside = json.loads(archive.read("export.json").decode("utf-8"))
    record = export_record(filled)
    assert {k: v for k, v in inside.items() if k != "exported"} == {
        k: v for k, v in record.items() if k != "exported"
    }


def test_csv_files_are_french_spreadsheets(filled, shared):
    archive = zipfile.ZipFile(io.BytesIO(export_csv_zip(filled)))

    assert read_csv(archive, "organisation.csv")[0] == [
        "id", "name", "profile", "siren", "rna", "commune", "synthetic", "created",
    ]  # fmt: skip
    assert read_csv(archive, "organisation.csv")[1][1:7] == [
        "Les Jardins du Lac (fictive)", "associations", "", "W351234567", "", "False",
    ]  # fmt: skip
    assert archive.read("membres.csv").decode("utf-8") == (
        "\ufeffemail;role\r\nowner@demo.invalid;owner\r\neditor@demo.invalid;editor\r\n"
        "viewer@demo.invalid;viewer\r\n"
    )
    assert read_csv(archive, "diagnostic.csv") == [
        ["question", "answer"], ["skills", "5"], ["reserves_months", "3.0"],
        ["partnership_categories", '["mecenat"]'],
    ]  # fmt: skip
    assert read_csv(archive, "scores.csv") == [
        ["score", "value"], ["richesses_humaines", "100,00"], ["ressources_financieres", "50,00"],
        ["alliances", "25,00"], ["overall", "58,33"], ["balance", "25,00"],
    ]  # fmt: skip
    partnerships = read_csv(archive, "partenariats.csv")
    assert partnerships[0] == [
        "id", "title", "category", "common_objective", "common_objectives", "contract",
        "our_objectives", "our_contributions", "partners",
    ]  # fmt: skip
    assert partnerships[1] == [
        str(shared.pk), "Jardin partagé", "mecenat", "Nourrir le quartier", "", "contrat_alliance",
        '{"processus": 1}', '{"time": "2 jours"}', "Boulangeries Moreau (fictive)",
    ]  # fmt: skip
    evaluations = read_csv(archive, "evaluations.csv")
    assert evaluations[0] == ["partnership", "created", "object", "approach", "score", "comment"]
    assert [row[2:] for row in evaluations[1:]] == [
        ["produit", "performance", "4", ""],
        ["produit", "performance", "5", "Très utile ; merci"],
        ["produit", "sens", "3", "Très utile ; merci"],
    ]
    invitations = read_csv(archive, "invitations.csv")
    assert invitations[0] == ["partnership", "email", "created", "accepted"]
    assert invitations[1][1::2] == ["tiers@demo.invalid", "False"]


def test_a_semicolon_in_a_value_is_quoted(filled):
    archive = zipfile.ZipFile(io.BytesIO(export_csv_zip(filled)))

    assert '"Très utile ; merci"' in archive.read("evaluations.csv").decode("utf-8-sig")


def test_an_empty_sheet_is_a_bom_alone(organisation):
    archive = zipfile.ZipFile(io.BytesIO(export_csv_zip(organisation)))

    for name in ("membres.csv", "diagnostic.csv", "partenariats.csv", "evaluations.csv",
                 "invitations.csv"):  # fmt: skip
        assert archive.read(name) == "\ufeff".encode(), name


# erase ------------------------------------------------------------------------------------------


def test_erase_returns_exact_counts(filled):
    assert erase(filled) == {
        "memberships": 3, "diagnostics": 1, "sides": 2, "evaluations": 2, "invitations": 1,
        "partnerships": 1, "organisations": 1,
    }  # fmt: skip


def test_erase_of_an_organisation_without_anything(db):
    bare = Organisation.objects.create(name="Vide (fictive)", profile="fondations")

    assert erase(bare) == {
        "memberships": 0, "diagnostics": 0, "sides": 0, "evaluations": 0, "invitations": 0,
        "partnerships": 0, "organisations": 1,
    }  # fmt: skip
    assert not Organisation.objects.filter(pk=bare.pk).exists()


def test_erase_counts_the_invitations_it_accepted(organisation, other_organisation):
    theirs = actions.start(other_organisation, "Boulangerie solidaire")
    accepted = invitations.invite(theirs, other_organisation, "jardins@demo.invalid", lambda t: t)
    invitations.accept(accepted, organisation, User.objects.create_user("jardins@demo.invalid"))
    invitations.invite(theirs, other_organisation, "autre@demo.invalid", lambda t: t)
    mine = actions.start(organisation, "Seuls")
    invitations.invite(mine, organisation, "tiers@demo.invalid", lambda t: t)

    counted = erase(organisation)

    assert (counted["invitations"], counted["sides"], counted["partnerships"]) == (2, 2, 1)
    assert list(Invitation.objects.values_list("email", flat=True)) == ["autre@demo.invalid"]
    assert [s.organisation for s in Partnership.objects.get(pk=theirs.pk).sides.all()] == [
        other_organisation
    ]


def test_erase_removes_everything_of_the_organisation(filled, shared, other_organisation):
    pk = filled.pk

    erase(filled)

    assert not Organisation.objects.filter(pk=pk).exists()
    assert not Diagnostic.objects.filter(organisation_id=pk).exists()
    assert not Side.objects.filter(organisation_id=pk).exists()
    assert not Evaluation.objects.filter(organisation_id=pk).exists()
    assert not Membership.objects.filter(organisation_id=pk).exists()
    assert not Invitation.objects.filter(invited_by_id=pk).exists()
    assert list(Partnership.objects.values_list("title", flat=True)) == ["Jardin partagé"]
    survivor = Partnership.objects.get(pk=shared.pk)
    assert [s.organisation for s in survivor.sides.all()] == [other_organisation]
    assert [e.scores for e in survivor.evaluations.all()] == [{"produit": {"performance": 2}}]
    assert survivor.category == "mecenat"


def test_erase_keeps_peoples_accounts(filled, people):
    erase(filled)

    emails = User.objects.filter(email__endswith="@demo.invalid").values_list("email", flat=True)
    assert set(emails) == {
        "owner@demo.invalid", "editor@demo.invalid", "viewer@demo.invalid",
        "outsider@demo.invalid", "analyst@demo.invalid",
    }  # fmt: skip
    assert list(people["owner"].memberships.all()) == []
    assert people["outsider"].memberships.count() == 1


def test_erase_leaves_the_partner_whole(filled, other_organisation):
    before = export_record(other_organisation)

    erase(filled)

    after = export_record(other_organisation)
    assert after["members"] == before["members"]
    assert after["diagnostic"] == before["diagnostic"]
    assert after["evaluations"] == before["evaluations"]
    assert [p["partners"] for p in after["partnerships"]] == [[]]


def test_erasing_both_partners_leaves_no_partnership(filled, other_organisation, shared):
    erase(filled)
    counted = erase(other_organisation)

    assert counted["partnerships"] == 1
    assert not Partnership.objects.filter(pk=shared.pk).exists()
    assert not Side.objects.filter(partnership=shared).exists()


def test_erasing_an_organisation_erased_meanwhile_raises_not_found(organisation):
    stale = Organisation.objects.get(pk=organisation.pk)
    erase(organisation)

    with pytest.raises(Organisation.DoesNotExist):
        erase(stale)


def test_sqlite_deletes_securely(db):
    if connection.vendor != "sqlite":
        pytest.skip(f"secure_delete is a SQLite setting; the database is {connection.vendor}")

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone() == (1,)


def test_the_configured_sqlite_connection_overwrites_deleted_rows(tmp_path: Path):
    """The settings' ``init_command`` overwrites deleted rows, whatever SQLite's build default."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip(f"secure_delete is a SQLite setting; the engine is {database['ENGINE']}")
    path = tmp_path / "erase.sqlite3"
    unique = f"Organisation à effacer {uuid.uuid4().hex} (fictive)".encode()
    with closing(sqlite3.connect(path)) as raw:
        raw.executescript("PRAGMA secure_delete = OFF;")  # some builds turn it on by default
        raw.executescript(database["OPTIONS"]["init_command"])
        raw.execute("CREATE TABLE organisation (id INTEGER PRIMARY KEY, name BLOB)")
        raw.executemany("INSERT INTO organisation (name) VALUES (?)", [(b"autre",), (unique,)])
        raw.commit()
        assert unique in written(path)

        raw.execute("DELETE FROM organisation WHERE name = ?", (unique,))
        raw.commit()
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # as erase() does after its transaction

    assert unique not in written(path)


def written(path: Path) -> bytes:
    """The database file and its write-ahead log (WAL mode), as they are on disk."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


FORMULA = '=HYPERLINK("https://evil.invalid";"Cliquez")'


def test_no_text_typed_by_partners_runs_as_a_formula_in_the_csv(
    organisation, other_organisation, shared
):
    """The partner types formulas; the other organisation's export shows them as text."""
    organisation.name = "+Les Jardins"
    organisation.save()
    actions.agree(shared, "", FORMULA, "")
    actions.qualify(shared.sides.get(organisation=other_organisation), {}, {"time": "@SUM(A1)"})
    shared.title = "-1+1"
    shared.save()
    actions.evaluate(shared, other_organisation, {"produit": {"sens": 2}}, {"produit": FORMULA})
    actions.evaluate(shared, organisation, {"produit": {"sens": 4}}, {"produit": "=1+1"})
    actions.save_answers(actions.diagnostic_of(organisation), {"reserves_months": 3})
    with zipfile.ZipFile(io.BytesIO(export_csv_zip(organisation))) as archive:
        cells = [cell for name in CSV_FILES for row in read_csv(archive, name) for cell in row]
    assert f"'{FORMULA}" in cells
    assert {"'+Les Jardins", "'=1+1", "'-1+1"} <= set(cells)
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
