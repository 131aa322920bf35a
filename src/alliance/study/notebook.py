"""The research notebook of a study, built from its run: chapters, figures, tables, provenance.

Without a prose file, the notebook has a chapter per population, then the changes between waves,
the published figures beside their reproduction (when ``published:`` is given), and the methods
appendix with a « fiche technique » per population. A study may name a prose file
(``notebook:`` in ``study.yaml``): its chapters, in its order, each with paragraphs in both
languages and the blocks the study fills (``framework``, ``population``, ``changes``,
``published``, ``methods``, ``series``, and those of :mod:`alliance.study.notebook_blocks`:
chosen items, practice sheets, surveyed populations). Every number comes from the run; every table
has its provenance. Every notebook also carries the apparatus of :mod:`alliance.study.apparatus`:
cover, « chiffres clés », the Observatoire's historical series (where a ``series`` block puts it,
else before the methods appendix), bibliography and « comment citer ».
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from alliance.errors import DataFileError, Location
from alliance.i18n import LANGUAGES, Lang
from alliance.messages import render
from alliance.report.charts import Bar, share_chart
from alliance.report.document import Block, Chapter, Document
from alliance.report.numbers import percent
from alliance.report.tables import Column, Figure, Kind, Table
from alliance.study import apparatus
from alliance.study.methods import methods_blocks
from alliance.study.notebook_blocks import referential_blocks
from alliance.study.provenance import build_provenance, code_commit
from alliance.study.results import Comparison, PopulationInfo, Result, StudyResults
from alliance.study.run import PopulationRun, StudyRun
from alliance.territory.geography import region_names

__all__ = ["NotebookBuilder", "build_notebook", "load_prose"]


def load_prose(path: Path) -> dict[str, Any]:
    """Read a notebook prose file (title, subtitle, chapters with paragraphs and blocks)."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise DataFileError("yaml.invalid", Location(file=path.name), problem=str(error)) from None
    if not isinstance(content, dict) or not isinstance(content.get("chapters"), list):
        raise DataFileError("yaml.invalid", Location(file=path.name), problem="no chapters list")
    return content


class NotebookBuilder:
    """Numbers tables and figures in reading order and records each one's provenance."""

    def __init__(self, run: StudyRun, lang: Lang) -> None:
        self.run = run
        self.results: StudyResults = run.results
        self.lang = lang
        self.tables = 0
        self.figures = 0
        self.provenance: dict[str, dict[str, Any]] = {}
        #: The referential's sources the notebook cites, in the order first cited (bibliography).
        self.cited: dict[str, None] = {}

    def cite(self, sources: list[str]) -> None:
        """Record sources of the referential the notebook cites."""
        self.cited.update(dict.fromkeys(sources))

    def t(self, key: str, **params: Any) -> str:
        """Return a text of the notebook in its language."""
        return render(f"notebook.{key}", self.lang, **params)

    def r(self, key: str, **params: Any) -> str:
        """Return a text shared with every report."""
        return render(f"report.{key}", self.lang, **params)

    def label(self, texts: dict[str, str]) -> str:
        """Return a text given in both languages in the notebook's."""
        return texts.get(self.lang) or next(iter(texts.values()), "")

    def table(
        self,
        title: str,
        columns: list[Column],
        rows: list[dict[str, Any]],
        *,
        populations: list[PopulationRun] | None = None,
        note: str = "",
        estimator: str = "",
        figure: bool = False,
        table_id: str = "",
    ) -> Table:
        """Return a numbered table (or a figure's data table, or one with its own id)."""
        if figure:
            table_id = f"F{self.figures}"
        elif not table_id:
            self.tables += 1
            table_id = f"T{self.tables}"
        self.provenance[table_id] = self._provenance(populations or [], estimator, title)
        return Table(
            id=table_id,
            title=title,
            columns=columns,
            rows=rows,
            note=note,
            provenance=table_id,
            synthetic=self.results.synthetic and bool(populations),
        )

    def _provenance(
        self, populations: list[PopulationRun], estimator: str, title: str
    ) -> dict[str, Any]:
        files = [w for p in populations for w in p.prepared.waves]
        margins = list({w.margins.file: w.margins for w in files if w.margins}.values())
        description = "; ".join(
            [
                *(f"{w.path.name} (SHA-256 {w.sha256[:12]}…)" for w in files),
                *(
                    f"{p.prepared.questionnaire.questionnaire} {p.prepared.questionnaire.version}"
                    for p in populations
                ),
                *(f"{m.file} (SHA-256 {m.digest[:12]}…)" for m in margins),
                estimator,
            ]
        )
        return {
            "title": title,
            "inputs": [w.path.name for w in files],
            "questionnaires": [
                f"{p.prepared.questionnaire.questionnaire} {p.prepared.questionnaire.version}"
                for p in populations
            ],
            "margins": [m.file for m in margins],
            "estimator": estimator,
            "description": description.strip("; ") or self.r("from_referential"),
        }

    def estimate_columns(self, first: list[Column], statistic: str = "share") -> list[Column]:
        """Return the columns of an estimate: value, interval, n, fragile flag."""
        kind: Kind = "percent" if statistic == "share" else "number"
        heading = self.r("col_share") if statistic == "share" else self.t("col_mean")
        return [
            *first,
            Column("estimate", heading, kind),
            Column("low", self.r("col_low"), kind),
            Column("high", self.r("col_high"), kind),
            Column("n", "n", "integer"),
            Column("fragile", self.r("col_fragile"), "flag"),
        ]

    def estimate_row(self, result: Result, **extra: Any) -> dict[str, Any]:
        """One estimate as a table row; a suppressed one keeps only its n."""
        return {
            **extra,
            "estimate": result.estimate,
            "low": result.ci_low,
            "high": result.ci_high,
            "n": result.n,
            "fragile": result.fragile,
        }

    def notes_for(self, results: list[Result]) -> str:
        """Return the notes on fragile and withheld estimates, when a table has any."""
        notes = []
        if any(r.fragile and not r.suppressed for r in results):
            notes.append(self.t("fragile_note", n=self.results.fragile_below))
        if any(r.suppressed for r in results):
            notes.append(self.t("suppressed_note", n=self.results.suppress_below))
        return " ".join(notes)


def _population_blocks(b: NotebookBuilder, run: PopulationRun) -> list[Block]:
    """Return a population's figure (shares by wave), its means and segments tables."""
    info = b.results.population(run.code)
    name = b.label(info.label)
    blocks: list[Block] = []
    shares = [r for r in b.results.of(run.code) if r.statistic == "share"]
    if shares:
        blocks.append(_shares_figure(b, run, info, shares, name))
    means = [r for r in b.results.of(run.code) if r.statistic == "mean"]
    if means:
        rows = [
            b.estimate_row(r, item=info.item_label(r.variable, b.lang), wave=r.wave) for r in means
        ]
        blocks.append(
            b.table(
                b.t("means_title", population=name),
                b.estimate_columns(
                    [Column("item", b.r("col_item")), Column("wave", b.r("col_wave"))], "mean"
                ),
                rows,
                populations=[run],
                note=b.notes_for(means),
                estimator=b.t("estimator_mean"),
            )
        )
    for variable in run.prepared.definition.segments:
        for statistic in ("share", "mean"):
            found = [r for r in b.results.of(run.code, by=variable) if r.statistic == statistic]
            if found:
                blocks.append(_segment_table(b, run, info, variable, found))
    return blocks


def _segment_table(
    b: NotebookBuilder,
    run: PopulationRun,
    info: PopulationInfo,
    variable: str,
    found: list[Result],
) -> Table:
    """Return one statistic by the groups of a segment, wave by wave.

    Groups by their labels; a segment of unlabelled region codes by the regions' names.
    """
    labels = {r.group or "": info.group_label(variable, r.group or "", b.lang) for r in found}
    labels |= region_names([group for group, label in labels.items() if group == label], b.lang)
    rows = [
        b.estimate_row(
            r,
            wave=r.wave,
            item=info.item_label(r.variable, b.lang),
            counted=_counted(run, r, b.lang),
            segment=labels[r.group or ""],
        )
        for r in found
    ]
    statistic = found[0].statistic
    first = [Column("wave", b.r("col_wave")), Column("item", b.r("col_item"))]
    if statistic == "share":
        first.append(Column("counted", b.t("col_counted")))
    return b.table(
        b.t(
            "segments_title",
            population=b.label(info.label),
            variable=info.segment_label(variable, b.lang),
        ),
        b.estimate_columns([*first, Column("segment", b.r("col_segment"))], statistic),
        rows,
        populations=[run],
        note=b.notes_for(found),
        estimator=b.r("estimator_share") if statistic == "share" else b.t("estimator_mean"),
    )


def _counted(run: PopulationRun, result: Result, lang: Lang) -> str:
    """Return the answers a share counts, by their labels (« Très fort, Fort »)."""
    questionnaire = run.prepared.questionnaire
    item = next((i for i in questionnaire.items if i.name == result.variable), None)
    scale = questionnaire.scale_of(item) if item else None
    labels = {str(c.code): c.label for c in scale.choices} if scale else {}
    return ", ".join(
        labels[str(code)](lang) if str(code) in labels else str(code) for code in result.codes
    )


def _shares_figure(
    b: NotebookBuilder, run: PopulationRun, info: PopulationInfo, shares: list[Result], name: str
) -> Figure:
    """Each item's share in each wave, as bars with their intervals, and the data table."""
    b.figures += 1
    shown = [r for r in shares if r.shown]
    bars = [
        Bar(
            info.item_label(r.variable, b.lang),
            r.wave,
            float(r.estimate or 0.0),
            float(r.ci_low or 0.0),
            float(r.ci_high or 0.0),
        )
        for r in shown
    ]
    title = b.t("shares_title", population=name)
    data = b.table(
        b.r("data_of", title=title),
        b.estimate_columns(
            [
                Column("item", b.r("col_item")),
                Column("counted", b.t("col_counted")),
                Column("wave", b.r("col_wave")),
            ]
        ),
        [
            b.estimate_row(
                r,
                item=info.item_label(r.variable, b.lang),
                counted=_counted(run, r, b.lang),
                wave=r.wave,
            )
            for r in shares
        ],
        populations=[run],
        note=b.notes_for(shares),
        estimator=b.r("estimator_share"),
        figure=True,
    )
    alt = (
        b.r("alt_intro", title=title)
        + " "
        + b.t("separator").join(
            b.r(
                "alt_bar",
                label=bar.label,
                series=bar.series,
                value=percent(bar.estimate, b.lang),
                low=percent(bar.low, b.lang),
                high=percent(bar.high, b.lang),
            )
            for bar in bars
        )
    )
    shown_keys = {(r.variable, r.wave) for r in shown}
    published = [
        Bar(info.item_label(f.variable, b.lang), f.wave, f.published, f.published, f.published)
        for f in b.results.published
        if f.population == run.code and (f.variable, f.wave) in shown_keys
    ]
    alt += "".join(
        ". "
        + b.t("alt_published", label=p.label, series=p.series, value=percent(p.estimate, b.lang))
        for p in published
    )
    svg = share_chart(
        bars, axis_title=b.r("axis_share"), lang=b.lang, published=published,
        published_title=b.t("published_marker"),
    ) if bars else ""  # fmt: skip
    notes = [b.notes_for(shares)] if b.notes_for(shares) else []
    return Figure(id=data.id, title=title, svg=svg, alt=alt, data=data, notes=notes)


def _changes(b: NotebookBuilder, statistic: str) -> list[Comparison]:
    """Return the comparisons of one statistic (shares or means), wave by wave."""
    return [c for c in b.results.comparisons if c.statistic == statistic]


def _changes_table(b: NotebookBuilder, statistic: str) -> Table:
    """Each share's or mean's change from one wave to the next (independent samples, t test).

    Shares read in percent and their change in points (its SE too); means in their own unit.
    """
    share = statistic == "share"
    rows = []
    for change in _changes(b, statistic):
        info = b.results.population(change.population)
        significant = change.p_value is not None and change.p_value < 0.05
        se = change.se * 100 if share and change.se is not None else change.se
        rows.append(
            {
                "population": b.label(info.label),
                "item": info.item_label(change.variable, b.lang),
                "waves": f"{change.first} → {change.second}",
                "first": change.first_estimate,
                "second": change.second_estimate,
                "change": change.difference,
                "se": se,
                "p": change.p_value,
                "significant": ""
                if change.p_value is None
                else b.r("yes" if significant else "no"),
            }
        )
    value: Kind = "percent" if share else "number"
    columns = [
        Column("population", b.r("col_population")),
        Column("item", b.r("col_item")),
        Column("waves", b.t("col_waves")),
        Column("first", b.t("col_first"), value),
        Column("second", b.t("col_second"), value),
        Column("change", b.r("col_change"), "points" if share else "number"),
        Column("se", b.r("col_se_points") if share else b.t("col_se"), "number"),
        Column("p", b.r("col_p"), "pvalue"),
        Column("significant", b.r("col_significant")),
    ]
    return b.table(
        b.t("changes_title" if share else "mean_changes_title"),
        columns,
        rows,
        populations=b.run.populations,
        note=b.t("changes_note_synthetic" if b.results.synthetic else "changes_note"),
        estimator=b.r("estimator_difference"),
    )


def _published_table(b: NotebookBuilder) -> Table:
    rows = []
    for figure in b.results.published:
        info = b.results.population(figure.population)
        inside = figure.inside
        rows.append(
            {
                "population": b.label(info.label),
                "item": info.item_label(figure.variable, b.lang),
                "wave": figure.wave,
                "published": figure.published,
                "source": figure.source,
                "estimate": figure.estimate,
                "low": figure.ci_low,
                "high": figure.ci_high,
                "n": figure.n,
                "inside": "" if inside is None else b.r("yes" if inside else "no"),
            }
        )
    columns = [
        Column("population", b.r("col_population")),
        Column("item", b.r("col_item")),
        Column("wave", b.r("col_wave")),
        Column("published", b.r("col_published"), "percent"),
        Column("source", b.r("col_source")),
        Column("estimate", b.r("col_reproduced"), "percent"),
        Column("low", b.r("col_low"), "percent"),
        Column("high", b.r("col_high"), "percent"),
        Column("n", "n", "integer"),
        Column("inside", b.r("col_inside")),
    ]
    codes = {f.population for f in b.results.published}
    populations = [p for p in b.run.populations if p.code in codes]
    return b.table(
        b.t("published_title"),
        columns,
        rows,
        populations=populations,
        note=b.t("published_note_synthetic" if b.results.synthetic else "published_note"),
        estimator=b.r("estimator_share"),
    )


def _blocks(b: NotebookBuilder, spec: Any) -> list[Block]:
    """Return the blocks a prose chapter asks for, filled from the run."""
    found = referential_blocks(b, spec)
    if found is not None:
        return found
    if isinstance(spec, dict) and "population" in spec:
        return _population_blocks(b, b.run.population(spec["population"]))
    if spec == "changes":
        return [_changes_table(b, kind) for kind in ("share", "mean") if _changes(b, kind)]
    if spec == "published":
        return [_published_table(b)] if b.results.published else []
    if spec == "methods":
        return methods_blocks(b)
    if spec == "series":
        return [apparatus.series_figure(b)]
    raise DataFileError("yaml.invalid", problem=f"unknown notebook block {spec!r}")


def _default_chapters(b: NotebookBuilder) -> list[dict[str, Any]]:
    """Chapters of a study without a prose file."""
    chapters: list[dict[str, Any]] = []
    for population in b.run.definition.populations:
        description = population.description
        chapters.append(
            {
                "id": f"population-{population.population}",
                "title": population.label.model_dump(),
                "paragraphs": {
                    lang: [description(lang)] if description else [] for lang in ("fr", "en")
                },
                "blocks": [{"population": population.population}],
            }
        )
    if b.results.comparisons:
        chapters.append(
            {"id": "changes", "title": _both(b, "chapter_changes"), "blocks": ["changes"]}
        )
    if b.results.published:
        chapters.append(
            {
                "id": "published-vs-reproduced",
                "title": _both(b, "chapter_published"),
                "blocks": ["published"],
            }
        )
    chapters.append({"id": "methods", "title": _both(b, "chapter_methods"), "blocks": ["methods"]})
    return chapters


def _both(b: NotebookBuilder, key: str) -> dict[str, str]:
    return {lang: render(f"notebook.{key}", lang) for lang in LANGUAGES}


def build_notebook(run: StudyRun, lang: Lang, *, prose: dict[str, Any] | None = None) -> Document:
    """Assemble the study's notebook in ``lang``."""
    b = NotebookBuilder(run, lang)
    results = run.results
    chapters = []
    specs = (prose or {}).get("chapters") or _default_chapters(b)
    for chapter in specs:
        paragraphs: list[Block] = list(chapter.get("paragraphs", {}).get(lang, []))
        blocks = [block for spec in chapter.get("blocks", []) for block in _blocks(b, spec)]
        chapters.append(
            Chapter(
                id=chapter["id"],
                title=b.label(chapter["title"]),
                blocks=[*paragraphs, *blocks],
                source=chapter.get("source", {}).get(lang, ""),
            )
        )
    if not any("series" in spec.get("blocks", []) for spec in specs):
        wanted = [spec.get("blocks", []) for spec in specs]
        at = next((i for i, found in enumerate(wanted) if "methods" in found), len(chapters))
        chapters.insert(at, apparatus.series_chapter(b))
    prose = prose or {}
    synthetic = results.synthetic
    notice = ""
    if synthetic:
        notice = (prose.get("synthetic_notice") or {}).get(lang) or b.t("synthetic_notice")
    labels = {
        key: render(f"report.label_{key}", lang)
        for key in (
            "contents", "figure", "table", "provenance", "provenance_intro", "provenance_ref",
            "code_version", "referential_version", "synthetic_short", "notes_sheet", "title",
        )
    }  # fmt: skip
    labels |= {key: b.t(key) for key in apparatus.LABELS}
    title = b.label(prose.get("title") or results.title)
    short = (prose.get("synthetic_short") or {}).get(lang) or b.t("synthetic_short")
    labels["synthetic_short"] = short
    labels["running_head"] = short.rstrip(".") if synthetic else title
    subtitle = b.label(prose.get("subtitle") or {}) or b.t(
        "subtitle", study=results.study, waves=", ".join(results.waves)
    )
    return Document(
        lang=lang,
        title=title,
        subtitle=subtitle,
        notice=notice,
        chapters=chapters,
        provenance=build_provenance(run, b.provenance, code_commit=code_commit()),
        labels=labels,
        cover=apparatus.cover(b),
        key_figures=apparatus.key_figures_chapter(b),
        volumes=apparatus.volumes(b),
        references=apparatus.references(b),
        citation=apparatus.citation(b, title),
    )
