"""The notebook's blocks drawn from the referential: frameworks, chosen items, practice sheets.

The seed teaches through its frameworks; its chapters on them (objectives, forces of change,
innovation process, engineerings, models, practice sheets) are filled here from the referential's
data, never from prose lists, so a table says what the data says and how sure it is: each row
carries the item's status badges (:func:`~alliance.referential.presentation.item_view`), a
placeholder's hypothesis is named as one, and a framework the referential can draw comes as a
figure (:func:`~alliance.report.diagrams.diagram`) with its table as data. The populations block
lists what the run surveyed, from the run itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alliance.errors import DataFileError
from alliance.referential import default_referential
from alliance.referential.presentation import ItemView, item_view
from alliance.report.diagrams import diagram
from alliance.report.document import Block
from alliance.report.numbers import number
from alliance.report.tables import Column, Figure, Table

if TYPE_CHECKING:
    from alliance.study.notebook import NotebookBuilder

__all__ = ["framework_blocks", "framework_table", "referential_blocks"]


def _definition(b: NotebookBuilder, view: ItemView) -> str:
    """Return the definition as a reader needs it: a published figure first, a hypothesis named."""
    definition = view.definition
    if view.figure is not None:
        definition = f"{view.figure.text} — {view.figure.population}. {definition}"
    if view.note and view.hypothesis:
        definition += f" {b.r('hypothesis', note=view.note)}"
    return definition


def _item_columns(b: NotebookBuilder, *, beside: Column, before: bool) -> list[Column]:
    """Return the item, ``beside`` it (before or after), its definition and status."""
    item = Column("label", b.r("col_item"))
    return [
        *([beside, item] if before else [item, beside]),
        Column("definition", b.r("col_definition")),
        Column("status", b.r("col_status")),
    ]


def framework_table(b: NotebookBuilder, code: str, title: str) -> Table:
    """Return a framework as a table, each item as the referential's presentation shows it.

    Both badges when the definition is less sure, hypotheses named, published figures' values;
    the parent column only when some item has a parent (it would be empty, and narrow the rest).
    """
    referential = default_referential()
    framework = referential.framework(code)
    rows = []
    for item in framework:
        b.cite(item.sources)
        view = item_view(item, referential, b.lang, code)
        rows.append(
            {
                "label": view.label,
                "parent": view.parent[1] if view.parent else "",
                "definition": _definition(b, view),
                "status": view.status_text,
            }
        )
    columns = _item_columns(b, beside=Column("parent", b.r("col_parent")), before=False)
    if not any(row["parent"] for row in rows):
        columns = [column for column in columns if column.key != "parent"]
        rows = [{k: v for k, v in row.items() if k != "parent"} for row in rows]
    return b.table(title, columns, rows, note=b.r("framework_note", version=framework.version[:12]))


def framework_blocks(b: NotebookBuilder, code: str, title: str) -> list[Block]:
    """Return a framework drawn (a figure whose data is its table) or, when not drawn, its table."""
    table = framework_table(b, code, title)
    drawn = diagram(code, b.lang)
    if drawn is None:
        return [table]
    notes = [b.r("diagram_reconstructed_note")] if drawn.reconstructed else []
    return [Figure(id=table.id, title=title, svg=drawn.svg, alt=drawn.alt, data=table, notes=notes)]


def _items_table(b: NotebookBuilder, targets: list[str], title: str) -> Table:
    """Return chosen items of several frameworks (``framework/code``), each with its framework."""
    referential = default_referential()
    rows = []
    for target in targets:
        framework = target.partition("/")[0]
        item = referential.item(target)
        b.cite(item.sources)
        view = item_view(item, referential, b.lang, framework)
        rows.append(
            {
                "framework": referential.framework(framework).title(b.lang),
                "label": view.label,
                "definition": _definition(b, view),
                "status": view.status_text,
            }
        )
    columns = _item_columns(b, beside=Column("framework", b.t("col_framework")), before=True)
    return b.table(
        title, columns, rows, note=b.r("framework_note", version=referential.version[:12])
    )


def _practice_sheets(b: NotebookBuilder, title: str) -> Table:
    """Return the profiles that have a « fiche pratique », with its address or the lack of one."""
    referential = default_referential()
    rows = []
    for item in referential.framework("actor-profiles"):
        view = item_view(item, referential, b.lang, "actor-profiles")
        if view.sheet is None:
            continue
        b.cite(item.sources)
        rows.append(
            {
                "profile": view.label,
                "address": view.sheet.url or b.t("sheet_address_unknown"),
                "status": view.sheet.badge.text,
                "note": view.note or "",
            }
        )
    columns = [
        Column("profile", b.t("col_profile")),
        Column("address", b.t("col_address")),
        Column("status", b.r("col_status")),
        Column("note", b.t("col_note")),
    ]
    version = referential.framework("actor-profiles").version[:12]
    return b.table(title, columns, rows, note=b.r("framework_note", version=version))


def _surveyed_populations(b: NotebookBuilder, title: str) -> Table:
    """Return the populations the run surveyed: universe and each wave's sample, from the run."""
    rows = []
    for population in b.run.populations:
        info = b.results.population(population.code)
        questionnaire = population.prepared.questionnaire
        rows.append(
            {
                "population": b.label(info.label),
                "universe": b.label(info.universe) if info.universe else "",
                "samples": b.t("separator").join(
                    b.t("wave_sample", wave=wave.wave, n=number(wave.n, b.lang, 0))
                    for wave in info.waves
                ),
                "questionnaire": f"{questionnaire.title(b.lang)} ({questionnaire.version})",
            }
        )
    columns = [
        Column("population", b.r("col_population")),
        Column("universe", b.t("sheet_universe")),
        Column("samples", b.t("col_samples")),
        Column("questionnaire", b.t("col_questionnaire")),
    ]
    return b.table(title, columns, rows, populations=b.run.populations)


def referential_blocks(b: NotebookBuilder, spec: Any) -> list[Block] | None:
    """Return the blocks of a spec this module knows (None for another kind of block).

    ``{framework: code, title}``; ``{items: [framework/code, …], title}``;
    ``{practice-sheets: true, title}``; ``{surveyed-populations: true, title}``.
    """
    if not isinstance(spec, dict):
        return None
    title = (spec.get("title") or {}).get(b.lang, "")
    if "framework" in spec:
        code = spec["framework"]
        return framework_blocks(
            b, code, title or default_referential().framework(code).title(b.lang)
        )
    if "items" in spec:
        targets = spec["items"]
        if not isinstance(targets, list) or not targets:
            raise DataFileError("yaml.invalid", problem=f"no items in notebook block {spec!r}")
        return [_items_table(b, [str(t) for t in targets], title)]
    if "practice-sheets" in spec:
        return [_practice_sheets(b, title)]
    if "surveyed-populations" in spec:
        return [_surveyed_populations(b, title)]
    return None
