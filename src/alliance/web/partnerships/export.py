"""Everything an organisation holds on the platform: its report, its export, and its erasure.

The export is the organisation's own data: its record, members, diagnostic with scores, the
partnerships it is in (what was agreed, its own side, its partners' names), its evaluations and
the invitations it sent. Erasing removes all of that; a partnership left with no partner goes
too, and partners keep their own sides and evaluations of a shared partnership.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import zipfile
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Q

from alliance.diagnostic import default_instrument, root_profile
from alliance.diagnostic.report import diagnostic_document
from alliance.i18n import Lang
from alliance.report.document import Document
from alliance.spreadsheet_cells import safe_cell
from alliance.web.organisations.models import Organisation
from alliance.web.partnerships import actions
from alliance.web.partnerships.models import (
    Diagnostic,
    Evaluation,
    Invitation,
    Partnership,
    Side,
)
from alliance.web.results.catalogue import population_label

__all__ = ["diagnostic_report", "erase", "export_csv_zip", "export_record"]


def diagnostic_report(
    organisation: Organisation, lang: Lang, *, now: datetime | None = None
) -> Document:
    """Build the diagnostic's report with the notebook's engine, dated ``now`` (default: now)."""
    diagnostic = actions.diagnostic_of(organisation)
    assessed = actions.assessment(organisation, diagnostic.answers)
    return diagnostic_document(
        organisation=organisation.name,
        profile=root_profile(organisation.profile),
        instrument=default_instrument(),
        answers=diagnostic.answers,
        assessment=assessed,
        population=population_label(assessed.population or "", lang),
        lang=lang,
        synthetic=organisation.synthetic,
        now=now or datetime.now(UTC),
    )


def export_record(organisation: Organisation) -> dict[str, Any]:
    """Return all the organisation's data as JSON-ready data."""
    diagnostic = actions.diagnostic_of(organisation)
    scores = diagnostic.scores()
    partnerships = []
    for side in organisation.sides.select_related("partnership").order_by("pk"):
        partnership = side.partnership
        partners = partnership.sides.exclude(pk=side.pk).select_related("organisation")
        partnerships.append(
            {
                "id": partnership.pk,
                "title": partnership.title,
                "category": partnership.category,
                "common_objective": partnership.common_objective,
                "common_objectives": partnership.common_objectives,
                "contract": partnership.contract,
                "our_objectives": side.objectives,
                "our_contributions": side.contributions,
                "partners": [s.organisation.name for s in partners],
            }
        )
    return {
        "exported": datetime.now(UTC).isoformat(timespec="seconds"),
        "organisation": {
            "id": organisation.pk,
            "name": organisation.name,
            "profile": organisation.profile,
            "siren": organisation.siren,
            "rna": organisation.rna,
            "commune": organisation.commune,
            "synthetic": organisation.synthetic,
            "created": organisation.created.isoformat(timespec="seconds"),
        },
        "members": [
            {"email": m.user.email, "role": m.role}
            for m in organisation.memberships.select_related("user").order_by("pk")
        ],
        "diagnostic": {
            "instrument_version": diagnostic.instrument_version,
            "answers": _in_instrument_order(diagnostic.answers),
            "scores": {
                "levers": scores.levers,
                "overall": scores.overall,
                "balance": scores.balance,
            },
            "updated": diagnostic.updated.isoformat(timespec="seconds")
            if diagnostic.updated
            else None,
        },
        "partnerships": partnerships,
        "evaluations": [
            {
                "partnership": e.partnership_id,
                "created": e.created.isoformat(timespec="seconds"),
                "scores": _in_grid_order(e),
                "comments": e.comments,
            }
            for e in organisation.evaluations.order_by("created")
        ],
        "invitations_sent": [
            {
                "partnership": i.partnership_id,
                "email": i.email,
                "created": i.created.isoformat(timespec="seconds"),
                "accepted": i.accepted_by_id is not None,
            }
            for i in Invitation.objects.filter(invited_by=organisation).order_by("pk")
        ],
    }


def _in_instrument_order(answers: dict[str, Any]) -> dict[str, Any]:
    """Return the answers in the instrument's order (``jsonb`` does not keep keys' order)."""
    ordered: dict[str, Any] = {}
    for question in default_instrument().questions:
        if question.code in answers and question.code not in ordered:
            value = answers[question.code]
            if isinstance(value, dict):
                value = {part: value[part] for part in question.parts if part in value}
            ordered[question.code] = value
    return ordered


def _in_grid_order(evaluation: Evaluation) -> dict[str, dict[str, int]]:
    """Return an evaluation's scores in the grid's order of objects, then approaches."""
    ordered: dict[str, dict[str, int]] = {}
    for obj, approach, score in evaluation.cells():
        ordered.setdefault(obj, {})[approach] = score
    return ordered


def export_csv_zip(organisation: Organisation) -> bytes:
    """Return the export as a ZIP of CSV files as French spreadsheets read them (``;``, BOM)."""
    record = export_record(organisation)
    sheets: dict[str, list[dict[str, Any]]] = {
        "organisation.csv": [record["organisation"]],
        "membres.csv": record["members"],
        "diagnostic.csv": [
            {"question": code, "answer": json.dumps(value, ensure_ascii=False)}
            for code, value in record["diagnostic"]["answers"].items()
        ],
        "scores.csv": [
            *(
                {"score": lever, "value": value}
                for lever, value in record["diagnostic"]["scores"]["levers"].items()
            ),
            {"score": "overall", "value": record["diagnostic"]["scores"]["overall"]},
            {"score": "balance", "value": record["diagnostic"]["scores"]["balance"]},
        ],
        "partenariats.csv": [
            {
                **p,
                "common_objectives": " | ".join(p["common_objectives"]),
                "our_objectives": json.dumps(p["our_objectives"], ensure_ascii=False),
                "our_contributions": json.dumps(p["our_contributions"], ensure_ascii=False),
                "partners": " | ".join(p["partners"]),
            }
            for p in record["partnerships"]
        ],
        "evaluations.csv": [
            {
                "partnership": e["partnership"],
                "created": e["created"],
                "object": obj,
                "approach": approach,
                "score": score,
                "comment": e["comments"].get(obj, ""),
            }
            for e in record["evaluations"]
            for obj, by_approach in e["scores"].items()
            for approach, score in by_approach.items()
        ],
        "invitations.csv": record["invitations_sent"],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in sheets.items():
            archive.writestr(name, _csv(rows))
        archive.writestr("export.json", json.dumps(record, ensure_ascii=False, indent=2))
    return buffer.getvalue()


def _csv(rows: list[dict[str, Any]]) -> bytes:
    text = io.StringIO()
    if rows:
        writer = csv.DictWriter(text, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(v) for k, v in row.items()})
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def _cell(value: Any) -> str:
    """Write a cell as French spreadsheets read it; typed text never runs (:func:`safe_cell`)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return str(safe_cell(str(value)))


def erase(organisation: Organisation) -> dict[str, int]:
    """Delete the organisation and everything of it; return how many records of each kind went.

    One transaction that first locks what it changes, so that concurrent writers wait for it or
    find the rows gone (404/409, :mod:`alliance.web.vanished`), never half an erasure: on
    PostgreSQL the organisation's row, then its partnerships' rows in the order of their keys (two
    partners erasing at once take them in the same order, and the second one sees the first's
    deletions: the partnership it is left alone in goes too); on SQLite the transaction takes the
    database's write lock when it begins (``transaction_mode`` IMMEDIATE in the settings).
    Raises ``Organisation.DoesNotExist`` when the organisation was erased meanwhile.

    Its PDF reports (:mod:`alliance.web.partnerships.reports`) leave the disk once the transaction
    is committed. Accounts are people's, not the organisation's: they stay (without this
    membership). On
    SQLite, deleted rows are overwritten in the file (``secure_delete``, see the settings), and
    the write-ahead log that still holds them is checkpointed and emptied.
    """
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        pk = organisation.pk
        partnership_ids = sorted(
            Side.objects.filter(organisation=organisation).values_list("partnership_id", flat=True)
        )
        list(Partnership.objects.select_for_update().filter(pk__in=partnership_ids).order_by("pk"))
        counted = {
            "memberships": organisation.memberships.count(),
            "diagnostics": Diagnostic.objects.filter(organisation=organisation).count(),
            "sides": len(partnership_ids),
            "evaluations": organisation.evaluations.count(),
            "invitations": Invitation.objects.filter(
                Q(invited_by=organisation) | Q(accepted_by=organisation)
            ).count(),
        }
        Evaluation.objects.filter(organisation=organisation).delete()
        organisation.delete()
        orphans = Partnership.objects.filter(pk__in=partnership_ids, sides__isnull=True)
        counted["partnerships"] = orphans.count()
        orphans.delete()
        counted["organisations"] = 1
        # Its PDF reports go once the erasure is committed (imported here: reports use export).
        from alliance.web.partnerships.reports import erase_reports

        transaction.on_commit(functools.partial(erase_reports, pk))
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        # The old pages stay in the write-ahead log until it is copied back and emptied (once
        # the transaction is committed: within a caller's transaction, the caller's commit).
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return counted
