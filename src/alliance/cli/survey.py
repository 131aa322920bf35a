"""``alliance survey …``: weight a survey file, estimate, test differences.

Estimates are shares, means, totals, quantiles, ratios and counts; ``model`` (a regression) lives
in :mod:`alliance.cli.model`.

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

from alliance.cli import LazyCommand, lazy_group
from alliance.cli.errors import reported
from alliance.cli.estimates import (
    CALIBRATION_METHODS,
    by_text,
    estimate_columns,
    group_text,
    named_group,
    quantile_spec,
    ratio_spec,
    statistic_label,
)
from alliance.cli.options import DesignOptions, LangOption, lang_or_default, with_design_options
from alliance.cli.output import OutputFormat, emit, shown
from alliance.i18n import Lang
from alliance.messages import render
from alliance.survey import (
    CiMethod,
    Design,
    Estimate,
    RakeDiagnostics,
    batch,
    calibrate,
    count,
    diagnose,
    difference,
    mean,
    quantile,
    rake,
    rao_scott,
    ratio,
    total,
    trim,
)
from alliance.survey.distributions import preload
from alliance.survey.estimate import domain_label
from alliance.survey.io import Responses, read_responses, read_targets, write_responses
from alliance.survey.weighting import margin_gap

__all__ = ["ESTIMATE_COLUMNS", "app"]


def _warn(message: str) -> None:
    """Print a warning on stderr (Rich is imported when there is one: CSV output needs none)."""
    from rich.console import Console

    Console(stderr=True, highlight=False).print(message)


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
            "model": LazyCommand(
                "alliance.cli.model",
                "model_command",
                "Fit a regression (linear or logistic) with design-based standard errors.",
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
        "--by", help="Column of domains (segments); A,B crosses two columns, as R's ~A+B."
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
    """``--by``: a column, or columns separated by commas (a column whose name has one wins).

    Examples
    --------
    >>> by_columns("sex,region", ["sex", "region"]), by_columns("a,b", ["a,b"])
    (['sex', 'region'], 'a,b')
    """
    if text in columns or "," not in text:
        return text
    return [name.strip() for name in text.split(",")]


def _domain_value(text: str, by: str | list[str]) -> str | list[str]:
    """Parse ``--first`` / ``--second``: one value per ``--by`` column.

    Given as ``F,IDF``, or as the ``group`` column writes it, ``sex=F;region=IDF``.
    """
    if isinstance(by, str):
        return text
    if "=" in text:
        pairs = dict(part.partition("=")[::2] for part in text.split(";"))
        return [pairs.get(name, "").strip() for name in by]
    return [value.strip() for value in text.split(",")]


def read_for_estimates(data: Path) -> Responses:
    """Read the data of a command whose results have intervals or p-values.

    Their distribution functions' module, slow to import, is imported meanwhile, beside the
    reading and weighting that release the GIL (:func:`alliance.survey.distributions.preload`).
    """
    preload()
    return read_responses(data)


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
            _warn(
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
    margins, totals, population_total = (
        read_targets(margins_file) if margins_file else ({}, {}, None)
    )
    if options.calibrate is not None:
        if options.calibrate not in CALIBRATION_METHODS:
            message = render("cli.bad_calibrate", lang, value=options.calibrate)
            raise typer.BadParameter(message, param_hint="--calibrate")
        if margins_file is None:
            message = render("cli.calibrate_without_targets", lang)
            raise typer.BadParameter(message, param_hint="--calibrate")
        design, diagnostics = calibrate(
            design,
            margins,
            totals,
            method=options.calibrate,  # type: ignore[arg-type]
            bounds=bound_pair,
            population_total=population_total,
        )
    elif totals:
        raise typer.BadParameter(
            render("cli.totals_need_calibrate", lang, variable=next(iter(totals))),
            param_hint="--calibrate",
        )
    elif margins:
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
    """One output row: the estimate, its SE, its interval and its unweighted n.

    Then what only some rows have: a quantile's probability, a count's category, and the design
    effect as R's ``deff = TRUE`` (``deff``) and the degrees of freedom (``df``). The table for
    people shows ``deff_replace``, R's ``deff = "replace"``, which exists whatever the weights.
    """
    low, high = estimate.ci(ci if estimate.statistic == "share" else "normal", level)
    return {
        "variable": estimate.variable,
        "statistic": estimate.statistic,
        "by": by_text(estimate.by),
        "group": group_text(estimate.by, estimate.group),
        "domain": estimate.domain,
        "estimate": estimate.estimate,
        "se": estimate.se,
        "ci_low": low,
        "ci_high": high,
        "n": estimate.n,
        "probability": estimate.probability,
        "category": estimate.category,
        "deff": estimate.deff_srswor,
        "df": estimate.df,
        "deff_replace": estimate.deff,
    }


def _estimate_table(
    records: Sequence[dict[str, Any]], domains: Sequence[str], level: float, lang: Lang
) -> tuple[list[str], list[list[str]]]:
    """Estimates for people: the domain as ``by=group`` (places by name), the interval in one cell.

    ``domains`` are the records' domains written for people (:func:`domain_label` with a
    language); the CSV and JSON keep the codes.
    """
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
            statistic_label(r, lang),
            domain or render("cli.everyone", lang),
            shown(r["estimate"]),
            shown(r["se"]),
            f"{shown(r['ci_low'])} – {shown(r['ci_high'])}",
            str(r["n"]),
            shown(r["deff_replace"]),
        ]
        for r, domain in zip(records, domains, strict=True)
    ]
    return headers, cells


def _caption(design: Design, diagnostics: RakeDiagnostics | None, lang: Lang) -> str:
    steps = " → ".join(design.history)
    if diagnostics is None:
        return steps
    return f"{steps}\n{_diagnostics_line(diagnostics, lang, design)}"


def _diagnostics_line(diagnostics: RakeDiagnostics, lang: Lang, design: Design) -> str:
    """Say what weighting did; after ``--calibrate``, the gap is R's relative misfit."""
    calibrated = any(step.startswith("calibrate(") for step in design.history)
    return render(
        "cli.calibration_diagnostics" if calibrated else "cli.rake_diagnostics",
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
    quantiles: Annotated[
        list[str] | None,
        typer.Option("--quantile", help="VAR=P[,P…]: quantiles of VAR, e.g. api00=0.25,0.5,0.75."),
    ] = None,
    ratios: Annotated[
        list[str] | None, typer.Option("--ratio", help="NUM/DEN: ratio of two totals.")
    ] = None,
    counts: Annotated[
        list[str] | None,
        typer.Option("--count", help="Weighted count of each category of VAR (column category)."),
    ] = None,
    by: ByOption = None,
    deff: Annotated[
        bool,
        typer.Option("--deff", help="Add the columns deff (R's deff = TRUE) and df (R's degf)."),
    ] = False,
    ci: Annotated[
        str, typer.Option("--ci", help="Interval for shares: logit, beta, wilson or wald.")
    ] = "logit",
    level: Annotated[float, typer.Option("--level", help="Confidence level.")] = 0.95,
    output_format: FormatChoice = None,
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    """Estimate shares, means, totals, quantiles, ratios and counts, overall and by domain."""
    language = lang_or_default(lang)
    if ci not in ("logit", "beta", "wilson", "wald"):
        raise typer.BadParameter(render("cli.bad_ci", language, value=ci), param_hint="--ci")
    if not 0 < level < 1:
        raise typer.BadParameter(
            render("cli.bad_level", language, value=level), param_hint="--level"
        )
    specs = [_share_spec(text, language) for text in shares or []]
    quantile_specs = [quantile_spec(text, language) for text in quantiles or []]
    if not (specs or means or totals or quantile_specs or ratios or counts):
        raise typer.BadParameter(render("cli.nothing_to_estimate", language))
    with reported(language):
        responses = read_for_estimates(data)
        sample, diagnostics = load_design(responses, design, lang=language)
        domains = [None] if by is None else [None, by_columns(by, sample.frame.columns)]
        estimates = batch.shares(sample, specs, by=domains)  # each item's answers read once
        for variable in means or []:
            for domain in domains:
                estimates += mean(sample, variable, by=domain)
        for variable in totals or []:
            for domain in domains:
                estimates += total(sample, variable, by=domain)
        for variable, probabilities in quantile_specs:
            for domain in domains:
                estimates += quantile(sample, variable, probabilities, by=domain, level=level)
        for text in ratios or []:
            numerator, denominator = ratio_spec(text, sample.frame.columns, language)
            for domain in domains:
                estimates += ratio(sample, numerator, denominator, by=domain)
        for variable in counts or []:
            for domain in domains:
                estimates += count(sample, variable, by=domain)
        empties = {(e.variable, e.statistic, e.domain): e for e in estimates if e.empty}
        for empty in empties.values():  # once per domain, not per quantile or category
            _warn(
                render(
                    "cli.empty_domain",
                    language,
                    variable=empty.variable,
                    domain=empty.domain or render("cli.everyone", language),
                )
            )
        t_based = [e for e in estimates if e.statistic == "share" and ci != "wald"]
        for alone in (e for e in t_based if not e.empty and e.df <= 0):
            _warn(  # its interval (t-based, or Wilson's) is NaN: say why
                render(
                    "cli.no_degrees_of_freedom",
                    language,
                    variable=alone.variable,
                    domain=alone.domain or render("cli.everyone", language),
                )
            )
        records = [estimate_record(e, ci, level) for e in estimates]  # type: ignore[arg-type]
        emit(
            records,
            estimate_columns(records, ESTIMATE_COLUMNS, deff=deff),
            title=render("cli.estimates_title", language, file=data.name),
            caption=_caption(sample, diagnostics, language),
            output_format=output_format,
            output=output,
            table=_estimate_table(
                records, [domain_label(e.by, e.group, language) for e in estimates], level, language
            ),
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
    """Rake the weights to the targets; write the data with a ``weight`` column.

    With ``--replicates``, every replicate is raked too (R's ``rake`` on a ``svrepdesign``) and
    written over its own column: the file read back with ``--weights weight --replicates PREFIX``
    is the raked replicate design, with its SEs.
    """
    language = lang_or_default(lang)
    with reported(language):
        responses = read_responses(data)
        sample, diagnostics = load_design(responses, design, lang=language, drop_unweighted=False)
        raked = {"weight": sample.weights}
        if sample.replicates is not None:
            names = sample.replicates.columns
            raked |= {name: sample.replicates.weights[:, r] for r, name in enumerate(names)}
        write_responses(responses.with_frame(responses.frame.with_columns(**raked)), output)
        from rich.console import Console

        console = Console(highlight=False)
        console.print(" → ".join(sample.history))
        if diagnostics is not None:
            console.print(_diagnostics_line(diagnostics, language, sample))
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
        responses = read_for_estimates(data)
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
        str, typer.Option("--by", help="Column of domains, e.g. wave or sex (A,B: two columns).")
    ],
    first: Annotated[
        str, typer.Option("--first", help="First domain (e.g. 2018, or 2018,F or wave=2018;sex=F).")
    ],
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
        responses = read_for_estimates(data)
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
            "by": by_text(result.by),
            "first": group_text(result.by, result.first),
            "second": group_text(result.by, result.second),
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
        named = {  # for people, places by name; the CSV and JSON keep the codes
            **record,
            "first": named_group(result.by, result.first, language),
            "second": named_group(result.by, result.second, language),
        }
        emit(
            [record],
            list(record),
            title=render("cli.compare_title", language, variable=variable, by=by),
            caption=_caption(sample, diagnostics, language),
            output_format=output_format,
            output=output,
            table=(list(record), [[shown(named[column]) for column in record]]),
        )
