"""``alliance referential …``: read the frameworks of the notebook from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from alliance.cli.errors import reported
from alliance.cli.options import FormatOption, LangOption, lang_or_default
from alliance.cli.output import OutputFormat, cell, render_csv, render_json, render_table
from alliance.i18n import Lang
from alliance.messages import render
from alliance.referential import Framework, Referential, default_referential
from alliance.referential.glossary import glossary_markdown, replace_generated_section
from alliance.referential.presentation import ItemView, item_view
from alliance.referential.records import (
    COMMON_FIELDS,
    extra_fields,
    framework_record,
    item_record,
)

__all__ = ["app"]

app = typer.Typer(
    help="Les cadres du référentiel / the frameworks of the referential.",
    no_args_is_help=True,
)

#: Columns of the human table, besides code and label; extra fields come before the definition.
TABLE_EXTRA = ("population", "year", "sample_size", "value", "practice_sheet")


@app.command("list")
def list_frameworks(lang: LangOption = None, output: FormatOption = OutputFormat.TABLE) -> None:
    """List the frameworks, with their item counts by status and their versions."""
    language = lang_or_default(lang)
    with reported(language):
        referential = default_referential()
        records = [framework_record(framework, referential, language) for framework in referential]
        if output is OutputFormat.JSON:
            typer.echo(render_json(records), nl=False)
        elif output is OutputFormat.CSV:
            columns = ["framework", "title", "version", "items"]
            typer.echo(render_csv(records, columns), nl=False)
        else:
            print_frameworks(referential, language)


@app.command("show")
def show(
    framework: Annotated[str, typer.Argument(help="Framework code, e.g. partnership-categories.")],
    lang: LangOption = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Show the items of one framework: codes, labels, definitions, statuses and sources."""
    language = lang_or_default(lang)
    with reported(language):
        referential = default_referential()
        chosen = referential.framework(framework)
        records = [item_record(item, referential, language) for item in chosen]
        if output is OutputFormat.JSON:
            typer.echo(render_json(records), nl=False)
        elif output is OutputFormat.CSV:
            columns = [*COMMON_FIELDS, *extra_fields(chosen)]
            typer.echo(render_csv(records, columns), nl=False)
        else:
            _print_items(referential, chosen, language)


@app.command("glossary")
def glossary(
    update: Annotated[
        Path | None,
        typer.Option(help="Rewrite the generated section of this Markdown file in place."),
    ] = None,
) -> None:
    """Print the French ↔ English glossary of every framework (Markdown)."""
    with reported(lang_or_default(None)):
        section = glossary_markdown(default_referential())
    if update is None:
        typer.echo(section, nl=False)
        return
    updated = replace_generated_section(update.read_text(encoding="utf-8"), section)
    temporary = update.with_suffix(update.suffix + ".tmp")
    temporary.write_text(updated, encoding="utf-8")
    temporary.replace(update)


def _status_summary(framework: Framework, lang: Lang) -> str:
    counts = framework.status_counts().items()
    return " · ".join(
        f"{count} {render(f'status.{status.value}', lang)}" for status, count in counts if count
    )


def print_frameworks(referential: Referential, lang: Lang) -> None:
    """Print the frameworks as a table: code, title, item count by status.

    Each framework's own version is in the JSON and CSV listings; the table's title gives the
    referential's version, which changes whenever any framework does.
    """
    names = ("framework", "title", "items", "statuses")
    rows = [
        [
            framework.code,
            framework.title(lang),
            str(len(framework)),
            _status_summary(framework, lang),
        ]
        for framework in referential
    ]
    title = f"{render('column.version', lang)} {referential.version}"
    headers = [render(f"column.{name}", lang) for name in names]
    render_table(Console(), title, headers, rows, wide=1)


def _print_items(referential: Referential, framework: Framework, lang: Lang) -> None:
    extras = [name for name in TABLE_EXTRA if name in extra_fields(framework)]
    names = ["code", "label", "status", *extras, "definition"]
    rows = []
    for item in framework:
        record = item_record(item, referential, lang)
        view = item_view(item, referential, lang, framework.code)
        depth = _depth(framework, item.code)
        row = {
            **{name: cell(record[name]) for name in extras},
            "practice_sheet": _status_label(getattr(item, "practice_sheet", None), lang),
            "code": "  " * depth + item.code,
            "label": record["label"],
            "status": view.status_text,
            "definition": _definition(view, lang),
        }
        rows.append([row[name] for name in names])
    render_table(
        Console(),
        framework.title(lang),
        [render(f"column.{name}", lang) for name in names],
        rows,
        caption=framework.description(lang),
    )


def _definition(view: ItemView, lang: Lang) -> str:
    """Return the definition, then a placeholder's note marked as a hypothesis (as pages do)."""
    if view.note and view.hypothesis:
        return f"{view.definition} {render('report.hypothesis', lang, note=view.note)}"
    return view.definition


def _status_label(part: Any, lang: Lang) -> str:
    """Return the localised status of an optional sub-record (a practice sheet), or a dash."""
    return render(f"status.{part.status.value}", lang) if part is not None else "—"


def _depth(framework: Framework, code: str) -> int:
    depth, parent = 0, framework.item(code).parent
    while parent is not None:
        depth, parent = depth + 1, framework.item(parent).parent
    return depth
