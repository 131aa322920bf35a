"""The methods appendix of a study's notebook, and a « fiche technique » per population.

How each wave was weighted and from what; for each population its universe, samples, fieldwork,
mode, margins and the questions' wordings.

Everything here is read off the actual run: the weighting diagnostics of each wave, the margins
reached against their targets, the files with their fingerprints.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from alliance.i18n import Lang
from alliance.report.document import Block
from alliance.report.numbers import number
from alliance.report.tables import Column, Table
from alliance.study.run import PopulationRun, WaveWeighting
from alliance.survey.io.responses import Responses
from alliance.survey.questionnaire import Questionnaire
from alliance.territory.geography import place_value, region_names

if TYPE_CHECKING:
    from alliance.study.notebook import NotebookBuilder

__all__ = ["methods_blocks"]


def methods_blocks(b: NotebookBuilder) -> list[Block]:
    """Return the appendix: estimators, weighting per wave, margins, files, technical sheets."""
    blocks: list[Block] = [
        b.t("methods_estimators"),
        b.t("methods_intervals"),
        b.t(
            "methods_reliability", fragile=b.results.fragile_below, hidden=b.results.suppress_below
        ),
        _weighting_table(b),
    ]
    if any(
        p.prepared.margins or any(w.margins for w in p.prepared.waves) for p in b.run.populations
    ):
        blocks.append(_margins_table(b))
    blocks.append(_files_table(b))
    blocks += [_technical_sheet(b, population) for population in b.run.populations]
    return blocks


def _weighting_table(b: NotebookBuilder) -> Table:
    rows = []
    for population in b.run.populations:
        info = b.results.population(population.code)
        for weighting, wave in zip(population.weightings, population.prepared.waves, strict=True):
            d = weighting.diagnostics
            rows.append(
                {
                    "population": b.label(info.label),
                    "wave": weighting.wave,
                    "n": wave.responses.frame.height,
                    "effective": d.effective_n,
                    "efficiency": d.efficiency,
                    "range": " – ".join(number(w, b.lang, 2) for w in (d.min_weight, d.max_weight)),
                    "ratio": d.weight_ratio,
                    "iterations": d.iterations,
                    "design": _design_words(b, population, weighting),
                }
            )
    columns = [
        Column("population", b.r("col_population")),
        Column("wave", b.r("col_wave")),
        Column("n", "n", "integer"),
        Column("effective", b.t("col_effective"), "integer"),
        Column("efficiency", b.r("col_efficiency"), "percent"),
        Column("range", b.t("col_weight_range")),
        Column("ratio", b.r("col_ratio"), "number"),
        Column("iterations", b.r("col_iterations"), "integer"),
        Column("design", b.t("col_design")),
    ]
    return b.table(
        b.r("weighting_title"),
        columns,
        rows,
        populations=b.run.populations,
        note=b.r("weighting_note"),
        estimator=b.r("estimator_raking"),
    )


def _margins_table(b: NotebookBuilder) -> Table:
    rows = []
    for population in b.run.populations:
        info = b.results.population(population.code)
        questionnaire = population.prepared.questionnaire
        for weighting, wave in zip(population.weightings, population.prepared.waves, strict=True):
            margins = wave.margins
            if margins is None:
                continue
            for variable, categories in weighting.margins.items():
                documented = margins.variables[variable]
                source = margins.source(documented.source)
                labels = {c: _choice_label(questionnaire, variable, c, b.lang) for c in categories}
                labels |= region_names([c for c, label in labels.items() if c == label], b.lang)
                for level, (before, after, target) in categories.items():
                    rows.append(
                        {
                            "population": b.label(info.label),
                            "wave": weighting.wave,
                            "variable": _item_label(questionnaire, variable, b.lang),
                            "level": labels[level],
                            "target": target,
                            "before": before,
                            "after": after,
                            "tag": b.r(f"tag_{documented.tag}") if documented.tag else "",
                            "source": source.title if source else margins.file,
                        }
                    )
    columns = [
        Column("population", b.r("col_population")),
        Column("wave", b.r("col_wave")),
        Column("variable", b.r("col_variable")),
        Column("level", b.r("col_level")),
        Column("target", b.r("col_target"), "percent"),
        Column("before", b.t("col_before"), "percent"),
        Column("after", b.t("col_after"), "percent"),
        Column("tag", b.r("col_tag")),
        Column("source", b.r("col_source")),
    ]
    weighted = [
        p for p in b.run.populations if any(w.margins is not None for w in p.prepared.waves)
    ]
    return b.table(
        b.r("margins_title"),
        columns,
        rows,
        populations=weighted,
        note=b.t("margins_note"),
        estimator=b.r("estimator_raking"),
    )


def _files_table(b: NotebookBuilder) -> Table:
    rows = [
        {
            "file": wave.path.name,
            "wave": wave.wave,
            "read_as": _read_as(b, wave.responses),
            "rows": wave.responses.frame.height,
            "sha256": wave.sha256[:16] + "…",
        }
        for population in b.run.populations
        for wave in population.prepared.waves
    ]
    columns = [
        Column("file", b.r("col_file")),
        Column("wave", b.r("col_wave")),
        Column("read_as", b.r("col_read_as")),
        Column("rows", b.r("col_rows"), "integer"),
        Column("sha256", "SHA-256"),
    ]
    return b.table(b.r("files_title"), columns, rows, populations=b.run.populations)


def _technical_sheet(b: NotebookBuilder, population: PopulationRun) -> Table:
    """Return the « fiche technique »: what was surveyed, how, when, by whom, with which words."""
    info = b.results.population(population.code)
    definition = population.prepared.definition
    questionnaire = population.prepared.questionnaire
    rows = []

    def add(topic: str, value: str) -> None:
        rows.append({"topic": topic, "value": value})

    add(b.t("sheet_universe"), b.label(info.universe) if info.universe else b.label(info.label))
    for wave in info.waves:
        when = (
            b.t("sheet_dates", start=wave.fieldwork_start, end=wave.fieldwork_end)
            if wave.fieldwork_start
            else b.t("sheet_unknown")
        )
        details = [f"n = {wave.n}", when]
        if wave.mode:
            details.append(b.label(wave.mode))
        institute = wave.institute or b.run.definition.institute
        if institute and institute.casefold() not in (d.casefold() for d in details):
            details.append(institute)
        add(b.t("sheet_wave", wave=wave.wave), b.t("separator").join(details))
    used: dict[str, list[str]] = {}
    for prepared in population.prepared.waves:
        if prepared.margins is not None:
            used.setdefault(prepared.margins.file, []).append(prepared.wave)
    for wave_margins in {
        w.margins.file: w.margins for w in population.prepared.waves if w.margins
    }.values():
        sources = ", ".join(s.title for s in wave_margins.sources) or b.t("sheet_no_source")
        variables = ", ".join(_item_label(questionnaire, v, b.lang) for v in wave_margins.variables)
        topic = b.t("sheet_margins")
        if len(used) > 1:
            topic = b.t("sheet_margins_waves", waves=", ".join(used[wave_margins.file]))
        add(topic, f"{variables} ({b.t('separator').join([wave_margins.file, sources])})")
    add(
        b.t("sheet_questionnaire"),
        f"{questionnaire.title(b.lang)} — {questionnaire.questionnaire} {questionnaire.version}",
    )
    asked = [s.item for s in definition.shares] + list(definition.means)
    items = [i for name in asked for i in questionnaire.items if i.name == name]
    for rank, item in enumerate(items, start=1):
        wording, short = item.label(b.lang), info.item_label(item.name, b.lang)
        question = str(rank) if short == wording else f"{rank} ({short})"
        add(b.t("sheet_question", item=question), wording)
    columns = [Column("topic", b.t("col_topic")), Column("value", b.t("col_value"))]
    return b.table(
        b.t("sheet_title", population=b.label(info.label)),
        columns,
        rows,
        populations=[population],
    )


def _design_words(b: NotebookBuilder, population: PopulationRun, weighting: WaveWeighting) -> str:
    """Say in words how a wave was drawn and weighted, each column by its question's label.

    The design's history (``design(…) → rake(…)``) is for the log; a reader gets « Sondage
    aléatoire simple → calage sur Sexe, Âge (7 itérations) ».
    """
    questionnaire = population.prepared.questionnaire
    spec = population.prepared.definition.design.spec()

    def labels(columns: Sequence[str]) -> str:
        return ", ".join(_item_label(questionnaire, column, b.lang) for column in columns)

    parts = [
        b.t(f"design_{part}", columns=labels(columns))
        for part, columns in (
            ("weights", [spec.weights] if spec.weights else []),
            ("strata", [spec.strata] if spec.strata else []),
            ("psu", spec.psu_columns),
            ("fpc", spec.fpc_columns),
        )
        if columns
    ]
    if spec.replicates is not None:
        parts.append(b.t("design_replicates", kind=spec.replicate_type or ""))
    steps = [b.t("separator").join(parts) if parts else b.t("design_srs")]
    if weighting.margins:
        iterations = weighting.diagnostics.iterations
        key = "design_raking_once" if iterations == 1 else "design_raking"
        steps.append(b.t(key, variables=labels(list(weighting.margins)), iterations=iterations))
    words = " → ".join(steps)
    return words[:1].upper() + words[1:]


#: How each file format is named to a reader.
FORMATS = {"csv": "CSV", "xlsx": "Excel (XLSX)", "spss": "SPSS (.sav)", "parquet": "Parquet"}


def _read_as(b: NotebookBuilder, responses: Responses) -> str:
    """Say in words how a delivered file was read: format, encoding, separator, sheet."""
    parts = [FORMATS.get(responses.format, responses.format.upper())]
    if responses.encoding:
        parts.append(b.t("read_encoding", encoding=responses.encoding))
    if responses.separator:
        shown = "⇥" if responses.separator == "\t" else responses.separator
        parts.append(b.t("read_separator", separator=shown))
    if responses.decimal_comma:
        parts.append(b.t("read_decimal_comma"))
    if responses.sheet:
        parts.append(b.t("read_sheet", sheet=responses.sheet))
    return ", ".join([*parts, *responses.notes])


def _item_label(questionnaire: Questionnaire, name: str, lang: Lang) -> str:
    """Return a questionnaire item's label, or its name."""
    item = next((i for i in questionnaire.items if i.name == name), None)
    return item.label(lang) if item else name


def _choice_label(questionnaire: Questionnaire, name: str, code: str, lang: Lang) -> str:
    """Return the label of an answer code of a select item, or the code (a place by its name)."""
    item = next((i for i in questionnaire.items if i.name == name), None)
    scale = questionnaire.scale_of(item) if item else None
    choice = next((c for c in scale.choices if str(c.code) == code), None) if scale else None
    label = choice.label(lang) if choice else code
    return label if label != code else place_value(name, code, lang)
