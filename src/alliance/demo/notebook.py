"""The « Alliance & Performance » notebook, built from the study's results and the referential.

The prose comes from ``report/content/notebook.yaml``. Tables, charts and every number come from
the weighted estimates and from the referential's frameworks. Each table has a provenance entry:
its input files (SHA-256), questionnaire version, margins file and estimator.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from alliance.demo.provenance import build_provenance
from alliance.demo.study import PopulationResult, StudyResults
from alliance.i18n import Lang
from alliance.messages import render
from alliance.referential import Referential
from alliance.report.charts import Bar, share_chart
from alliance.report.document import Block, Chapter, Document
from alliance.report.numbers import percent
from alliance.report.tables import Column, Figure, Table
from alliance.survey import Estimate

__all__ = ["CONTENT", "build_notebook", "is_fragile"]

CONTENT = Path(__file__).parents[1] / "report" / "content" / "notebook.yaml"
#: An estimate is fragile below this many respondents or with an interval wider than this.
FRAGILE_N, FRAGILE_WIDTH = 30, 0.20

SHORT_LABELS: dict[str, dict[str, str]] = {
    "impact_territories": {"fr": "Territoires", "en": "Territories"},
    "impact_territorial_innovation": {
        "fr": "Innovation territoriale",
        "en": "Territorial innovation",
    },
    "impact_people": {"fr": "Personnes", "en": "People"},
    "impact_company_performance": {
        "fr": "Performance des entreprises",
        "en": "Company performance",
    },
    "impact_local_authority_performance": {
        "fr": "Performance des collectivités",
        "en": "Local authority performance",
    },
    "impact_association_performance": {
        "fr": "Performance des associations",
        "en": "Association performance",
    },
    "impact_own_performance": {"fr": "Sa propre performance", "en": "Its own performance"},
    "impact_territory": {"fr": "Son territoire", "en": "Its territory"},
    "impact_innovation": {"fr": "Innovation", "en": "Innovation"},
}
POPULATIONS: dict[str, dict[str, str]] = {
    "public": {"fr": "Français", "en": "French public"},
    "elected-officials": {"fr": "Élus locaux", "en": "Local elected officials"},
    "companies": {"fr": "Entreprises", "en": "Companies"},
    "associations": {"fr": "Associations", "en": "Associations"},
    "foundations": {"fr": "Fondations", "en": "Foundations"},
}


@cache
def load_content() -> dict[str, Any]:
    """Return the notebook's prose, by chapter."""
    content: dict[str, Any] = yaml.safe_load(CONTENT.read_text(encoding="utf-8"))
    return content


def is_fragile(estimate: Estimate) -> bool:
    """Tell whether an estimate rests on too few answers or has too wide an interval."""
    low, high = estimate.ci()
    return estimate.n < FRAGILE_N or high - low > FRAGILE_WIDTH


def _label(item: str, lang: Lang) -> str:
    return SHORT_LABELS.get(item, {"fr": item, "en": item})[lang]


class _Builder:
    """Numbers tables and figures in reading order and records their provenance."""

    def __init__(self, results: StudyResults, lang: Lang) -> None:
        self.results = results
        self.lang = lang
        self.tables = 0
        self.figures = 0
        self.provenance: dict[str, dict[str, Any]] = {}

    def t(self, key: str, **params: Any) -> str:
        return render(f"report.{key}", self.lang, **params)

    def table(
        self,
        title: str,
        columns: list[Column],
        rows: list[dict[str, Any]],
        *,
        populations: list[PopulationResult] | None = None,
        note: str = "",
        estimator: str = "",
        prefix: str = "T",
    ) -> Table:
        if prefix == "T":
            self.tables += 1
            number = self.tables
        else:
            number = self.figures
        table_id = f"{prefix}{number}"
        self.provenance[table_id] = _table_provenance(populations or [], estimator, self.lang)
        self.provenance[table_id]["title"] = title
        return Table(
            id=table_id,
            title=title,
            columns=columns,
            rows=rows,
            note=note,
            provenance=table_id,
            synthetic=bool(populations),
        )

    def estimate_row(self, estimate: Estimate, **extra: Any) -> dict[str, Any]:
        low, high = estimate.ci()
        return {
            **extra,
            "estimate": estimate.estimate,
            "low": low,
            "high": high,
            "n": estimate.n,
            "fragile": is_fragile(estimate),
        }

    def estimate_columns(self, first: list[Column]) -> list[Column]:
        return [
            *first,
            Column("estimate", self.t("col_share"), "percent"),
            Column("low", self.t("col_low"), "percent"),
            Column("high", self.t("col_high"), "percent"),
            Column("n", "n", "integer"),
            Column("fragile", self.t("col_fragile"), "flag"),
        ]

    def figure(
        self,
        title: str,
        bars: list[tuple[Bar, Estimate, dict[str, Any]]],
        *,
        populations: list[PopulationResult],
        first_columns: list[Column],
    ) -> Figure:
        self.figures += 1
        rows = [self.estimate_row(estimate, **extra) for _, estimate, extra in bars]
        data = self.table(
            self.t("data_of", title=title),
            self.estimate_columns(first_columns),
            rows,
            populations=populations,
            estimator=self.t("estimator_share"),
            prefix="F",
        )
        chart_bars = [bar for bar, _, _ in bars]
        alt = (
            self.t("alt_intro", title=title)
            + " "
            + " ; ".join(
                self.t(
                    "alt_bar",
                    label=bar.label,
                    series=bar.series,
                    value=percent(bar.estimate, self.lang),
                    low=percent(bar.low, self.lang),
                    high=percent(bar.high, self.lang),
                )
                for bar in chart_bars
            )
        )
        svg = share_chart(chart_bars, axis_title=self.t("axis_share"), lang=self.lang)
        notes = [self.t("fragile_note")] if any(r["fragile"] for r in rows) else []
        return Figure(id=data.id, title=title, svg=svg, alt=alt, data=data, notes=notes)


def _table_provenance(
    populations: list[PopulationResult], estimator: str, lang: Lang
) -> dict[str, Any]:
    files = [f for p in populations for f in p.files]
    description = "; ".join(
        [
            *(f"{f.path.name} (SHA-256 {f.sha256[:12]}…)" for f in files),
            *(
                f"{p.questionnaire.questionnaire} {p.questionnaire.version}, "
                f"{p.plan.margins}.yaml (SHA-256 {p.margins.digest[:12]}…)"
                for p in populations
            ),
            estimator,
        ]
    )
    return {
        "inputs": [f.path.name for f in files],
        "questionnaires": [
            f"{p.questionnaire.questionnaire} {p.questionnaire.version}" for p in populations
        ],
        "margins": [f"{p.plan.margins}.yaml" for p in populations],
        "estimator": estimator,
        "description": description.strip("; ") or render("report.from_referential", lang),
    }


def _framework_table(b: _Builder, referential: Referential, code: str, title: str) -> Table:
    framework = referential.framework(code)
    rows = []
    for item in framework:
        parent = framework.item(item.parent).label(b.lang) if item.parent else ""
        rows.append(
            {
                "label": item.label(b.lang),
                "parent": parent,
                "definition": item.definition(b.lang),
                "status": render(f"status.{item.status.value}", b.lang),
            }
        )
    columns = [
        Column("label", b.t("col_item")),
        Column("parent", b.t("col_parent")),
        Column("definition", b.t("col_definition")),
        Column("status", b.t("col_status")),
    ]
    note = b.t("framework_note", version=framework.version[:12])
    return b.table(title, columns, rows, note=note)


def _population_figure(b: _Builder, population: PopulationResult, title: str) -> Figure:
    bars = []
    for item in population.impact_items:
        label = _label(item, b.lang)
        for result in (population.item(item, wave) for wave in (2018, 2022)):
            low, high = result.estimate.ci()
            bars.append(
                (
                    Bar(label, str(result.wave), result.estimate.estimate, low, high),
                    result.estimate,
                    {"item": label, "wave": str(result.wave)},
                )
            )
    return b.figure(
        title,
        bars,
        populations=[population],
        first_columns=[Column("item", b.t("col_item")), Column("wave", b.t("col_wave"))],
    )


def _segment_table(b: _Builder, population: PopulationResult) -> Table:
    item = population.impact_items[0]
    variable = population.segment_variable or ""
    scale = population.questionnaire.scale_of(population.questionnaire.item(variable))
    labels = {str(c.code): c.label(b.lang) for c in scale.choices} if scale else {}
    order = list(labels)
    estimates = sorted(
        population.segments.get(item, []),
        key=lambda e: (
            order.index(str(e.group).split("|", 1)[1])
            if str(e.group).split("|", 1)[1] in order
            else len(order)
        ),
    )
    rows = [
        b.estimate_row(e, segment=labels.get(str(e.group).split("|", 1)[1], str(e.group)))
        for e in estimates
    ]
    title = b.t(
        "segments_title",
        item=_label(item, b.lang),
        population=POPULATIONS[population.plan.questionnaire][b.lang],
        variable=population.questionnaire.item(variable).label(b.lang),
    )
    return b.table(
        title,
        b.estimate_columns([Column("segment", b.t("col_segment"))]),
        rows,
        populations=[population],
        estimator=b.t("estimator_share"),
    )


def _organisations_figure(b: _Builder, results: StudyResults) -> Figure:
    bars = []
    populations = [results.population(c) for c in ("companies", "associations", "foundations")]
    for population in populations:
        name = POPULATIONS[population.plan.questionnaire][b.lang]
        for item in population.impact_items:
            result = population.item(item, 2022)
            low, high = result.estimate.ci()
            bars.append(
                (
                    Bar(_label(item, b.lang), name, result.estimate.estimate, low, high),
                    result.estimate,
                    {"population": name, "item": _label(item, b.lang)},
                )
            )
    return b.figure(
        b.t("figure_organisations"),
        bars,
        populations=populations,
        first_columns=[
            Column("population", b.t("col_population")),
            Column("item", b.t("col_item")),
        ],
    )


def _changes_table(b: _Builder, results: StudyResults) -> Table:
    rows = []
    for population in results.populations:
        for item, change in population.changes.items():
            rows.append(
                {
                    "population": POPULATIONS[population.plan.questionnaire][b.lang],
                    "item": _label(item, b.lang),
                    "first": change.first_estimate,
                    "second": change.second_estimate,
                    "change": change.estimate,
                    "se": change.se * 100,
                    "p": change.p_value,
                    "significant": b.t("yes") if change.p_value < 0.05 else "",
                }
            )
    columns = [
        Column("population", b.t("col_population")),
        Column("item", b.t("col_item")),
        Column("first", "2018", "percent"),
        Column("second", "2022", "percent"),
        Column("change", b.t("col_change"), "points"),
        Column("se", b.t("col_se_points"), "number"),
        Column("p", b.t("col_p"), "pvalue"),
        Column("significant", b.t("col_significant")),
    ]
    return b.table(
        b.t("changes_title"),
        columns,
        rows,
        populations=results.populations,
        note=b.t("changes_note"),
        estimator=b.t("estimator_difference"),
    )


def published_rows(results: StudyResults, lang: Lang) -> list[dict[str, Any]]:
    """Return the published figures against their reproduction from the demo data."""
    rows = []
    for population in results.populations:
        for item in population.impact_items:
            result = population.item(item, 2022)
            if not result.target.published or result.target.figure is None:
                continue
            figure = results.referential.item(result.target.figure)
            published = getattr(figure, "value", 0.0) / 100
            low, high = result.estimate.ci()
            rows.append(
                {
                    "population": POPULATIONS[population.plan.questionnaire][lang],
                    "item": _label(item, lang),
                    "published": published,
                    "source": render("report.published_source", lang),
                    "code": figure.code,
                    "estimate": result.estimate.estimate,
                    "low": low,
                    "high": high,
                    "n": result.estimate.n,
                    "inside": render(
                        "report.yes" if low <= published <= high else "report.no", lang
                    ),
                }
            )
    return rows


def _published_table(b: _Builder, results: StudyResults) -> Table:
    columns = [
        Column("population", b.t("col_population")),
        Column("item", b.t("col_item")),
        Column("published", b.t("col_published"), "percent"),
        Column("estimate", b.t("col_reproduced"), "percent"),
        Column("low", b.t("col_low"), "percent"),
        Column("high", b.t("col_high"), "percent"),
        Column("n", "n", "integer"),
        Column("inside", b.t("col_inside")),
    ]
    populations = [p for p in results.populations if any(r.target.published for r in p.items)]
    rows = published_rows(results, b.lang)
    codes = ", ".join(row["code"] for row in rows)
    return b.table(
        b.t("published_title"),
        columns,
        rows,
        note=b.t("published_note", codes=codes),
        populations=populations,
        estimator=b.t("estimator_share"),
    )


def _weighting_table(b: _Builder, results: StudyResults) -> Table:
    rows = []
    for population in results.populations:
        diagnostics = population.diagnostics
        rows.append(
            {
                "population": POPULATIONS[population.plan.questionnaire][b.lang],
                "n_first": population.files[0].rows,
                "n_second": population.files[1].rows,
                "effective_first": population.effective_n[2018],
                "effective_second": population.effective_n[2022],
                "efficiency": diagnostics.efficiency,
                "ratio": diagnostics.weight_ratio,
                "iterations": diagnostics.iterations,
                "variables": ", ".join(population.margins.variables),
            }
        )
    columns = [
        Column("population", b.t("col_population")),
        Column("variables", b.t("col_variables")),
        Column("n_first", "n 2018", "integer"),
        Column("n_second", "n 2022", "integer"),
        Column("effective_first", b.t("col_effective", wave=2018), "integer"),
        Column("effective_second", b.t("col_effective", wave=2022), "integer"),
        Column("efficiency", b.t("col_efficiency"), "percent"),
        Column("ratio", b.t("col_ratio"), "number"),
        Column("iterations", b.t("col_iterations"), "integer"),
    ]
    return b.table(
        b.t("weighting_title"),
        columns,
        rows,
        populations=results.populations,
        note=b.t("weighting_note"),
        estimator=b.t("estimator_raking"),
    )


def _margins_table(b: _Builder, results: StudyResults) -> Table:
    rows = []
    for population in results.populations:
        for variable, margins in population.margins.variables.items():
            source = population.margins.source(margins.source)
            for level, target in margins.targets.items():
                rows.append(
                    {
                        "population": POPULATIONS[population.plan.questionnaire][b.lang],
                        "variable": variable,
                        "level": level,
                        "target": target,
                        "tag": b.t(f"tag_{margins.tag}"),
                        "source": source.title,
                    }
                )
    columns = [
        Column("population", b.t("col_population")),
        Column("variable", b.t("col_variable")),
        Column("level", b.t("col_level")),
        Column("target", b.t("col_target"), "percent"),
        Column("tag", b.t("col_tag")),
        Column("source", b.t("col_source")),
    ]
    return b.table(b.t("margins_title"), columns, rows, note=b.t("margins_note"))


def _files_table(b: _Builder, results: StudyResults) -> Table:
    rows = [
        {
            "file": f.path.name,
            "read_as": f.read_as,
            "rows": f.rows,
            "sha256": f.sha256[:16] + "…",
        }
        for p in results.populations
        for f in p.files
    ]
    columns = [
        Column("file", b.t("col_file")),
        Column("read_as", b.t("col_read_as")),
        Column("rows", b.t("col_rows"), "integer"),
        Column("sha256", "SHA-256"),
    ]
    return b.table(b.t("files_title"), columns, rows, populations=results.populations)


def build_notebook(results: StudyResults, lang: Lang, *, code_commit: str = "unknown") -> Document:
    """Assemble the notebook in ``lang`` from the study's results."""
    content = load_content()
    b = _Builder(results, lang)
    referential = results.referential
    public, elected = results.population("public"), results.population("elected-officials")
    extra: dict[str, list[Block]] = {
        "socio-economic-model": [
            _framework_table(b, referential, "levers", b.t("levers_title")),
        ],
        "magic-square": [_framework_table(b, referential, "objectives", b.t("objectives_title"))],
        "four-categories": [
            _framework_table(b, referential, "partnership-categories", b.t("categories_title"))
        ],
        "impacts-public": [
            _population_figure(b, public, b.t("figure_public")),
            _segment_table(b, public),
        ],
        "impacts-elected": [
            _population_figure(b, elected, b.t("figure_elected")),
            _segment_table(b, elected),
        ],
        "impacts-organisations": [
            _organisations_figure(b, results),
            *(
                _segment_table(b, results.population(code))
                for code in ("companies", "associations", "foundations")
            ),
        ],
        "changes": [_changes_table(b, results)],
        "published-vs-reproduced": [_published_table(b, results)],
        "methods": [
            b.t("methods_estimators"),
            b.t("methods_intervals"),
            _weighting_table(b, results),
            _margins_table(b, results),
            _files_table(b, results),
        ],
    }
    chapters = []
    for chapter in content["chapters"]:
        paragraphs: list[Block] = list(chapter["paragraphs"][lang])
        chapters.append(
            Chapter(
                id=chapter["id"],
                title=chapter["title"][lang],
                blocks=[*paragraphs, *extra.get(chapter["id"], [])],
                source=chapter.get("source", {}).get(lang, ""),
            )
        )
    provenance = build_provenance(results, b.provenance, code_commit=code_commit)
    labels = {
        key: render(f"report.label_{key}", lang)
        for key in (
            "contents", "figure", "table", "provenance", "provenance_intro", "provenance_ref",
            "code_version", "referential_version", "synthetic_short", "running_head",
            "notes_sheet", "title",
        )
    }  # fmt: skip
    return Document(
        lang=lang,
        title=content["title"][lang],
        subtitle=content["subtitle"][lang],
        notice=content["synthetic_notice"][lang],
        chapters=chapters,
        provenance=provenance,
        labels=labels,
    )
