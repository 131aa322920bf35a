"""The diagnostic as a report (the notebook's engine: HTML, PDF), for the organisation to keep.

The report says what the organisation answered, its scores per lever with the balance, where it
stands among organisations of its profile (with the study's intervals, and the data's status),
the next steps, and on what versions all this rests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from alliance import __version__
from alliance.diagnostic.assessment import Assessment
from alliance.diagnostic.benchmark import Standing
from alliance.diagnostic.instrument import LEVERS, Instrument, Question, QuestionType
from alliance.diagnostic.scoring import rules_for, usable_answers
from alliance.i18n import Lang
from alliance.messages import render
from alliance.referential import Referential, default_referential
from alliance.report.charts import score_chart
from alliance.report.document import Chapter, Document
from alliance.report.numbers import number, percent
from alliance.report.tables import Column, Figure, Table

__all__ = ["diagnostic_document"]


def diagnostic_document(
    *,
    organisation: str,
    profile: str,
    instrument: Instrument,
    answers: Mapping[str, Any],
    assessment: Assessment,
    population: str,
    lang: Lang,
    synthetic: bool,
    now: datetime,
) -> Document:
    """Build the report of one organisation's diagnostic in ``lang``.

    ``assessment`` holds the scores, the benchmark on each lever and the next steps (built once
    in the core, as for the page and the API); ``population`` is the name of the study population
    the organisation is compared with;
    ``synthetic`` says the organisation itself is a demonstration one. Answers that no longer fit
    their question (an implausible number saved before its bound existed) are printed as « — ».
    """
    referential = default_referential()
    usable = usable_answers(instrument, profile, answers)
    scores, steps = assessment.scores, assessment.steps

    def text(key: str, **params: Any) -> str:
        return render(f"diagnostic.report.{key}", lang, **params)

    levers = referential.framework("levers")
    lever_rows = [
        {"lever": levers.item(lever).label(lang), "score": scores.levers.get(lever)}
        for lever in LEVERS
    ]
    rows = [
        *lever_rows,
        {"lever": text("overall"), "score": scores.overall},
        {"lever": text("balance"), "score": scores.balance},
    ]
    scores_table = Table(
        id="1",
        title=text("scores_title"),
        columns=[Column("lever", text("lever")), Column("score", text("score"), "integer")],
        rows=rows,
        note=text("scores_note"),
    )
    chapters = [
        Chapter(
            id="balance",
            title=text("balance_chapter"),
            blocks=[
                text("balance_intro"),
                *_chart(lever_rows, scores_table, text, lang),
                text("rules_intro"),
                *_rules(instrument, profile, lang),
            ],
        ),
        Chapter(
            id="answers",
            title=text("answers_chapter"),
            blocks=[_answers_table(instrument, profile, usable, referential, text, lang)],
        ),
    ]
    compared = sum(bool(lever.standings) for lever in assessment.levers)
    if compared:
        chapters.append(_benchmark_chapter(assessment, population, referential, text, lang))
    chapters.append(
        Chapter(
            id="next-steps",
            title=text("steps_chapter"),
            blocks=[f"{s.title(lang)} — {s.why(lang)}" for s in steps] or [text("no_steps")],
        )
    )
    versions = Table(
        id=str(3 + compared),  # after the scores, answers and benchmark tables
        title=text("versions_title"),
        columns=[Column("what", text("what")), Column("value", text("value"))],
        rows=[
            {
                "what": text("instrument_version"),
                "value": f"{instrument.instrument} {instrument.version} ({instrument.status})",
            },
            {"what": text("referential_version"), "value": referential.version},
            {"what": text("code_version"), "value": __version__},
            {"what": text("generated"), "value": now.isoformat(timespec="seconds")},
        ],
    )
    chapters.append(Chapter(id="versions", title=text("versions_chapter"), blocks=[versions]))
    notice = text("notice") + (" " + text("synthetic_notice") if synthetic else "")
    return Document(
        lang=lang,
        title=text("title", organisation=organisation),
        subtitle=text("subtitle"),
        notice=notice,
        chapters=chapters,
        labels={
            "contents": render("report.label_contents", lang),
            "figure": render("report.label_figure", lang),
            "table": render("report.label_table", lang),
            "synthetic_short": render("report.label_synthetic_short", lang),
            "running_head": text("running_head", organisation=organisation),
        },
    )


def _chart(
    lever_rows: list[dict[str, Any]], table: Table, text: Callable[..., str], lang: Lang
) -> list[Any]:
    """Return the levers' bar chart with its data table (the table alone if a lever is unscored)."""
    if any(row["score"] is None for row in lever_rows):
        return [table]
    pairs = [(row["lever"], float(row["score"])) for row in lever_rows]
    colon = " : " if lang == "fr" else ": "
    alt = "; ".join(f"{label}{colon}{number(value, lang, 0)}" for label, value in pairs)
    svg = score_chart(pairs, axis_title=text("axis"), lang=lang)
    return [Figure(id="1", title=text("chart_title"), svg=svg, alt=alt, data=table)]


def _rules(instrument: Instrument, profile: str, lang: Lang) -> list[str]:
    """How each question is scored, from the scoring rules' data, with the rule's status."""
    return [
        f"{q.label(lang)} — {rule.explanation(lang)} ({render(f'status.{rule.status}', lang)})"
        for q, rule in rules_for(instrument, profile)
    ]


def _answers_table(
    instrument: Instrument,
    profile: str,
    answers: Mapping[str, Any],
    referential: Referential,
    text: Callable[..., str],
    lang: Lang,
) -> Table:
    rows = [
        {
            "question": q.label(lang),
            "answer": _answer_text(q, answers.get(q.code), referential, lang),
        }
        for q in instrument.for_profile(profile)
    ]
    return Table(
        id="2",
        title=text("answers_title"),
        columns=[Column("question", text("question")), Column("answer", text("answer"))],
        rows=rows,
    )


def _answer_text(question: Question, value: Any, referential: Referential, lang: Lang) -> str:
    """Write an answer as the organisation would read it."""
    if value is None or value == "" or value == []:
        return "—"
    if question.type is QuestionType.MIX:
        levers = referential.framework("levers")
        return ", ".join(
            f"{levers.item(part).label(lang)} {percent(float(share) / 100, lang, 0)}"
            for part, share in ((p, value[p]) for p in question.parts if p in value)
        )
    if question.type is QuestionType.CHOICE:
        return str(referential.framework("levers").item(value).label(lang))
    if question.type is QuestionType.CATEGORIES:
        categories = referential.framework("partnership-categories")
        return ", ".join(categories.item(code).label(lang) for code in value)
    if question.type is QuestionType.SCALE:
        return f"{value} / 5"
    if question.type is QuestionType.PERCENT:
        return percent(float(value) / 100, lang, 0)
    unit = f" {question.unit(lang)}" if question.unit else ""
    return f"{number(float(value), lang, 0 if float(value).is_integer() else 1)}{unit}"


def _benchmark_chapter(
    assessment: Assessment,
    population: str,
    referential: Referential,
    text: Callable[..., str],
    lang: Lang,
) -> Chapter:
    """One table per lever compared, numbered from 3; a lever with no comparison says why."""
    levers = referential.framework("levers")
    blocks: list[Any] = [text("bench_intro", population=population)]
    for lever in assessment.levers:
        label = levers.item(lever.lever).label(lang)
        if not lever.standings:
            blocks.append(text("bench_missing", lever=label, reason=lever.note(lang)))
            continue
        reference = lever.standings[0].reference
        blocks.append(
            Table(
                id=str(3 + sum(isinstance(b, Table) for b in blocks)),
                title=text("bench_title", lever=label, population=population, wave=reference.wave),
                columns=[
                    Column("item", text("item")),
                    Column("yours", text("yours")),
                    Column("estimate", text("population_value")),
                    Column("interval", text("interval")),
                    Column("n", "n", "integer"),
                    Column("below", text("share_below"), "percent"),
                ],
                rows=[
                    row
                    for standing in lever.standings
                    for row in _benchmark_rows(standing, referential, text, lang)
                ],
                note=text("bench_note"),
                synthetic=any(s.reference.synthetic for s in lever.standings),
            )
        )
    return Chapter(id="benchmark", title=text("bench_chapter"), blocks=blocks)


def _benchmark_rows(
    standing: Standing, referential: Referential, text: Callable[..., str], lang: Lang
) -> list[dict[str, Any]]:
    """One row per value of the reference: a mean, a share of yes, a category, a code."""
    reference = standing.reference
    rows = []
    for key, interval in reference.values.items():
        if reference.kind == "count":
            label = text(f"bench_{reference.item}")
            yours = number(float(standing.value), lang, 0) if standing.value is not None else None
            shown = number(interval.estimate, lang, 1)
            low, high = number(interval.low, lang, 1), number(interval.high, lang, 1)
        else:
            if reference.kind == "yes_no":  # the study's question: « do you evaluate? »
                label = text("bench_evaluated")
                yours = None if standing.yes is None else text("yes" if standing.yes else "no")
            else:
                framework = "levers" if reference.kind == "choice" else "partnership-categories"
                label = referential.framework(framework).item(key).label(lang)
                chosen = standing.value if isinstance(standing.value, list) else [standing.value]
                yours = (
                    (text("yes") if key in chosen else text("no"))
                    if standing.value is not None
                    else None
                )
            shown = percent(interval.estimate, lang)
            low, high = percent(interval.low, lang), percent(interval.high, lang)
        rows.append(
            {"item": label, "yours": "—" if yours is None else str(yours), "estimate": shown,
             "interval": f"{low} – {high}", "n": interval.n, "below": standing.below}
        )  # fmt: skip
    return rows
