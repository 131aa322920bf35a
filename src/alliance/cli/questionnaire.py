"""``alliance questionnaire list|convert``: the shipped questionnaires, and YAML ↔ XLSForm."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.console import Console

from alliance.cli.errors import reported
from alliance.cli.options import FormatOption, LangOption, lang_or_default
from alliance.cli.output import OutputFormat, emit
from alliance.errors import QuestionnaireError
from alliance.files import write_text_atomically
from alliance.messages import render
from alliance.survey.questionnaire import default_questionnaires, find_questionnaire, write_xlsform

__all__ = ["app"]

app = typer.Typer(
    help="Questionnaires : liste, conversion YAML ↔ XLSForm / questionnaires: list, "
    "YAML ↔ XLSForm conversion.",
    no_args_is_help=True,
)


@app.command("list")
def list_questionnaires(lang: LangOption = None, output: FormatOption = OutputFormat.TABLE) -> None:
    """List the questionnaires shipped with the project (the demo study's populations)."""
    language = lang_or_default(lang)
    with reported(language):
        records = [
            {
                "questionnaire": q.questionnaire,
                "version": q.version,
                "population": q.population,
                "items": len(q.items),
                "title": q.title(language),
            }
            for q in default_questionnaires().values()
        ]
        emit(
            records,
            ["questionnaire", "version", "population", "items", "title"],
            title="Questionnaires",
            caption=None,
            output_format=output,
            output=None,
        )


@app.command("convert")
def convert(
    source: Annotated[
        str, typer.Argument(help="A shipped questionnaire, or a .yaml or .xlsx (XLSForm) file.")
    ],
    target: Annotated[Path, typer.Argument(help="The file to write: .xlsx (XLSForm) or .yaml.")],
    lang: LangOption = None,
) -> None:
    """Convert a questionnaire between our YAML format and XLSForm."""
    language = lang_or_default(lang)
    with reported(language):
        questionnaire = find_questionnaire(source)
        suffix = target.suffix.lower()
        if suffix == ".xlsx":
            write_xlsform(questionnaire, target)
        elif suffix in (".yaml", ".yml"):
            document = questionnaire.model_dump(mode="json", exclude_defaults=True)
            text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
            write_text_atomically(target, text)
        else:
            raise QuestionnaireError("questionnaire.output_format", suffix=suffix or "∅")
        Console(stderr=True, highlight=False).print(
            render(
                "cli.converted",
                language,
                questionnaire=questionnaire.questionnaire,
                items=len(questionnaire.items),
                file=target,
            )
        )
