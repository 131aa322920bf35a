"""``alliance survey …``: weight a survey file, estimate shares, means and totals, test differences.

Every command reads the data, builds the design from the same options (declared once, see
:func:`alliance.cli.options.with_design_options`), optionally rakes and trims it, then calls
:mod:`alliance.survey`. Nothing here computes: it parses, calls and prints. ``import`` and
``validate`` live in :mod:`alliance.cli.imports`, imported only when they run.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from alliance.cli import LazyCommand, lazy_group
from alliance.cli.errors import reported
from alliance.cli.options import DesignOptions, LangOption, lang_or_default, with_design_options
from alliance.cli.output import OutputFormat, emit, shown
from alliance.i18n import Lang
from alliance.messages import render
from alliance.survey import (
    CiMethod,
    Design,
    Estimate,
    RakeDiagnostics,
    diagnose,
    difference,
    mean,
    rake,
    rao_scott,
    share,
    total,
    trim,
)
from alliance.survey.io import Responses, read_margins, read_responses, write_responses
from alliance.survey.weighting import margin_gap

__all__ = ["ESTIMATE_COLUMNS", "app"]

_stderr = Console(stderr=True, highlight=False)

app = typer.Typer(
    cls=lazy_group(
        {
            "import": LazyCommand(
                "alliance.cli.imports",
                "import_command",
                "Import responses checked against their questionnaire; never lose a row silently.",
            ),
            "validate": LazyCommand(
                "alliance.cli.imports",
                "validate_command",
                "Check responses against a questionnaire and report every problem; write nothing.",
            ),
        }
    ),
    help="Études d'impact : redressement, estimations, tests / impact studies: weighting, "
    "estimates, tests.",
    no_args_is_help=True,
)

#: Columns of ``alliance survey estimate``, in this order.
ESTIMATE_COLUMNS = [
    "variable",
    "statistic",
    "by",
    "group",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "n",
]

DataArgument = Annotated[
    Path, typer.Argument(help="Responses: CSV or Parquet.", show_default=False)
]
ByOption = Annotated[
    str | None,
    typer.Option(
        "--by", help="Column of domains (segments); A+B crosses two columns, as R's ~A+B."
    ),
]
OutputOption = Annotated[
    Path | None, typer.Option("-o", "--output", help="Write to this file instead of the screen.")
]
FormatChoice = Annotated[
    OutputFormat | None,
    typer.Option("--format", help="table, csv or json (default: from -o's extension, or table)."),
]


def _number(text: str, lang: Lang, option: str) -> float:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        message = render("cli.bad_number", lang, value=text)
        raise typer.BadParameter(message, param_hint=option) from None


def _pair(text: str | None, lang: Lang, option: str) -> tuple[float, float] | None:
    """Parse ``LOW:HIGH`` (decimal commas accepted); an empty side means no bound."""
    if text is None:
        return None
    low, colon, high = text.partition(":")
    if not colon:
        raise typer.BadParameter(render("cli.bad_bounds", lang, value=text), param_hint=option)
    return (
        _number(low, lang, option) if low.strip() else -math.inf,
        _number(high, lang, option) if high.strip() else math.inf,
    )


def _share_spec(text: str, lang: Lang) -> tuple[str, list[str]]:
    """Parse ``VAR=CODE[,CODE…]``."""
    variable, equals, codes = text.partition("=")
    parsed = [code.strip() for code in codes.split(",") if code.strip()]
    if not equals or not variable.strip() or not parsed:
        raise typer.BadParameter(render("cli.bad_share", lang, value=text), param_hint="--share")
    return variable.strip(), parsed


def by_columns(text: str, columns: list[str]) -> str | list[str]:
    """``--by``: a column, or columns joined by ``+`` (a column whose name has a ``+`` wins).

    Examples
    --------
    >>> by_columns("sex+region", ["sex", "region"]), by_columns("a+b", ["a+b"])
    (['sex', 'region'], 'a+b')
    """
    if text in columns or "+" not in text:
        return text
    return [name.strip() for name in text.split("+")]


def _domain_value(text: str, by: str | list[str]) -> str | list[str]:
    """``--first`` / ``--second``: one value per ``--by`` column, joined by ``+`` as well."""
    return text if isinstance(by, str) else [value.strip() for value in text.split("+")]


def load_design(
    responses: Responses,
    options: DesignOptions,
    *,
    lang: Lang,
    drop_unweighted: bool = True,
) -> tuple[Design, RakeDiagnostics | None]:
    """Describe the design, rake and trim it as asked.

    User-missing codes (« ne sait pas », SPSS missing values) are missing for the design and the
    estimates. Rows whose weight is a user-missing code are left out, as SPSS leaves them out of
    weighted analyses, and the user is told how many (``drop_unweighted=False`` keeps them, so
    they are an error).
    """
    bound_pair = _pair(options.bounds, lang, "--bounds")
    trim_pair = _pair(options.trim, lang, "--trim")
    weights = options.spec.weights
    frame = responses.for_estimates()
    if drop_unweighted and weights and responses.missing_codes.get(weights):
        codes = responses.missing_codes[weights]
        coded = responses.frame[weights].is_in(codes).fill_null(False)
        if coded.any():
            frame = frame.filter(~coded)
            _stderr.print(
                render(
                    "cli.unweighted_rows",
                    lang,
                    rows=int(coded.sum()),
                    column=weights,
                    codes=", ".join(str(c) for c in codes),
                )
            )
    design = Design.from_spec(frame, options.spec)
    diagnostics = None
    margins_file = options.margins
    margins, population_total = read_margins(margins_file) if margins_file else ({}, None)
    if margins:
        design, diagnostics = rake(
            design, margins, population_total=population_total, bounds=bound_pair
        )
    if trim_pair is not None:
        low, high = trim_pair
        design = trim(
            design,
            lower=None if math.isinf(low) else low,
            upper=None if math.isinf(high) else high,
            strict=True,
        )
        diagnostics = diagnose(
            design,
            iterations=diagnostics.iterations if diagnostics else 0,
            largest_gap=margin_gap(design, margins, population_total=population_total),
        )
    return design, diagnostics


def estimate_record(estimate: Estimate, ci: CiMethod, level: float) -> dict[str, Any]:
    """One output row: the estimate, its SE, its interval and its unweighted n."""
    low, high = estimate.ci(ci if estimate.statistic == "share" else "normal", level)
    return {
        "variable": estimate.variable,
        "statistic": estimate.statistic,
        "by": _joined(estimate.by),
        "group": _joined(estimate.group) if isinstance(estimate.by, tuple) else estimate.group,
        "domain": estimate.domain,
        "estimate": estimate.estimate,
        "se": estimate.se,
        "ci_low": low,
        "ci_high": high,
        "n": estimate.n,
        "deff": estimate.deff,
    }


def _joined(value: Any) -> Any:
    """Several columns or values in one cell, joined by ``+`` as ``--by`` takes them."""
    return "+".join(str(part) for part in value) if isinstance(value, tuple) else value


def _estimate_table(
    records: Sequence[dict[str, Any]], level: float, lang: Lang
) -> tuple[list[str], list[list[str]]]:
    """Estimates for people: the domain as ``by=group``, the interval in one cell."""
    headers = [
        render("cli.column_variable", lang),
        render("cli.column_domain", lang),
        render("cli.column_estimate", lang),
        render("cli.column_se", lang),
        render("cli.column_interval", lang, level=level),
        "n",
        "deff",
    ]
    cells = [
        [
            f"{r['variable']} ({render('cli.statistic_' + r['statistic'], lang)})",
            r["domain"] or render("cli.everyone", lang),
            shown(r["estimate"]),
            shown(r["se"]),
            f"{shown(r['ci_low'])} – {shown(r['ci_high'])}",
            str(r["n"]),
            shown(r["deff"]),
        ]
        for r in records
    ]
    return headers, cells


def _caption(design: Design, diagnostics: RakeDiagnostics | None, lang: Lang) -> str:
    steps = " → ".join(design.history)
    if diagnostics is None:
        return steps
    return f"{steps}\n{_diagnostics_line(diagnostics, lang)}"


def _diagnostics_line(diagnostics: RakeDiagnostics, lang: Lang) -> str:
    return render(
        "cli.rake_diagnostics",
        lang,
        iterations=diagnostics.iterations,
        gap=diagnostics.largest_gap,
        efficiency=diagnostics.efficiency,
        effective_n=diagnostics.effective_n,
        low=diagnostics.min_weight,
        high=diagnostics.max_weight,
        ratio=diagnostics.weight_ratio,
    )


@app.command("estimate")
@with_design_options()
def estimate_command(
    data: DataArgument,
    design: DesignOptions,
    shares: Annotated[
        list[str] | None,
        typer.Option("--share", help="VAR=CODE[,CODE…]: share of answers in these codes."),
    ] = None,
    means: Annotated[list[str] | None, typer.Option("--mean", help="Mean of VAR.")] = None,
    totals: Annotated[list[str] | None, typer.Option("--total", help="Total of VAR.")] = None,
    by: ByOption = None,
    ci: Annotated[
        str, typer.Option("--ci", help="Interval for shares: logit, beta, wilson or wald.")
    ] = "logit",
    level: Annotated[float, typer.Option("--level", help="Confidence level.")] = 0.95,
    output_format: FormatChoice = None,
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    """Estimate shares, means and totals, overall and by domain, with SEs and intervals."""
    language = lang_or_default(lang)
    if ci not in ("logit", "beta", "wilson", "wald"):
        raise typer.BadParameter(render("cli.bad_ci", language, value=ci), param_hint="--ci")
    if not 0 < level < 1:
        raise typer.BadParameter(
            render("cli.bad_level", language, value=level), param_hint="--level"
        )
    specs = [_share_spec(text, language) for text in shares or []]
    if not (specs or means or totals):
        raise typer.BadParameter(render("cli.nothing_to_estimate", language))
    with reported(language):
        responses = read_responses(data)
        sample, diagnostics = load_design(responses, design, lang=language)
        domains = [None] if by is None else [None, by_columns(by, sample.frame.columns)]
        estimates: list[Estimate] = []
        for variable, codes in specs:
            for domain in domains:
                estimates += share(sample, variable, codes, by=domain)
        for variable in means or []:
            for domain in domains:
                estimates += mean(sample, variable, by=domain)
        for variable in totals or []:
            for domain in domains:
                estimates += total(sample, variable, by=domain)
        for empty in (e for e in estimates if e.empty):
            _stderr.print(
                render(
                    "cli.empty_domain",
                    language,
                    variable=empty.variable,
                    domain=empty.domain or render("cli.everyone", language),
                )
            )
        records = [estimate_record(e, ci, level) for e in estimates]  # type: ignore[arg-type]
        emit(
            records,
            ESTIMATE_COLUMNS,
            title=render("cli.estimates_title", language, file=data.name),
            caption=_caption(sample, diagnostics, language),
            output_format=output_format,
            output=output,
            table=_estimate_table(records, level, language),
        )


@app.command("rake")
@with_design_options(rake_required=True)
def rake_command(
    data: DataArgument,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="File to write: .parquet, .sav, .xlsx or .csv.")
    ],
    design: DesignOptions,
    lang: LangOption = None,
) -> None:
    """Rake the weights to the targets; write the data with a ``weight`` column."""
    language = lang_or_default(lang)
    with reported(language):
        responses = read_responses(data)
        sample, diagnostics = load_design(responses, design, lang=language, drop_unweighted=False)
        write_responses(
            responses.with_frame(responses.frame.with_columns(weight=sample.weights)), output
        )
        console = Console(highlight=False)
        console.print(" → ".join(sample.history))
        if diagnostics is not None:
            console.print(_diagnostics_line(diagnostics, language))
        console.print(render("cli.written", language, file=str(output), rows=len(sample)))


@app.command("test")
@with_design_options()
def independence_command(
    data: DataArgument,
    crosstab: Annotated[str, typer.Option("--crosstab", help="Row variable of the table.")],
    against: Annotated[str, typer.Option("--against", help="Column variable of the table.")],
    design: DesignOptions,
    output_format: FormatChoice = None,
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    """Test the independence of two variables: Rao-Scott corrected chi-square (an F test)."""
    language = lang_or_default(lang)
    with reported(language):
        responses = read_responses(data)
        sample, diagnostics = load_design(responses, design, lang=language)
        result = rao_scott(sample, crosstab, against)
        record = {
            "rows": crosstab,
            "columns": against,
            "pearson_x2": result.pearson,
            "f": result.statistic,
            "ndf": result.ndf,
            "ddf": result.ddf,
            "p_value": result.p_value,
        }
        emit(
            [record],
            list(record),
            title=render("cli.test_title", language, rows=crosstab, columns=against),
            caption=_caption(sample, diagnostics, language),
            output_format=output_format,
            output=output,
        )


@app.command("compare")
@with_design_options()
def compare_command(
    data: DataArgument,
    by: Annotated[
        str, typer.Option("--by", help="Column of domains, e.g. wave or sex (A+B: two columns).")
    ],
    first: Annotated[str, typer.Option("--first", help="First domain (e.g. 2018, or 2018+F).")],
    second: Annotated[str, typer.Option("--second", help="Second domain (e.g. 2022).")],
    share_spec: Annotated[
        str | None, typer.Option("--share", help="VAR=CODE[,CODE…] to compare.")
    ] = None,
    mean_of: Annotated[
        str | None, typer.Option("--mean", help="VAR whose mean to compare.")
    ] = None,
    *,
    design: DesignOptions,
    level: Annotated[float, typer.Option("--level", help="Confidence level.")] = 0.95,
    output_format: FormatChoice = None,
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    """Compare a share or a mean between two domains (two segments, or two waves)."""
    language = lang_or_default(lang)
    if (share_spec is None) == (mean_of is None):
        raise typer.BadParameter(render("cli.share_or_mean", language))
    variable, codes = _share_spec(share_spec, language) if share_spec else (mean_of or "", None)
    with reported(language):
        responses = read_responses(data)
        sample, diagnostics = load_design(responses, design, lang=language)
        columns = by_columns(by, sample.frame.columns)
        result = difference(
            sample,
            variable,
            by=columns,
            first=_domain_value(first, columns),
            second=_domain_value(second, columns),
            codes=codes,
        )
        low, high = result.ci(level)
        record = {
            "variable": variable,
            "statistic": result.statistic,
            "by": _joined(result.by),
            "first": _joined(result.first),
            "second": _joined(result.second),
            "first_estimate": result.first_estimate,
            "second_estimate": result.second_estimate,
            "difference": result.estimate,
            "se": result.se,
            "ci_low": low,
            "ci_high": high,
            "t": result.t,
            "df": result.df,
            "p_value": result.p_value,
        }
        emit(
            [record],
            list(record),
            title=render("cli.compare_title", language, variable=variable, by=by),
            caption=_caption(sample, diagnostics, language),
            output_format=output_format,
            output=output,
        )
