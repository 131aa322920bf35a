"""``alliance survey model "y ~ a + b" DATA``: a regression with design-based standard errors.

The design options are every survey command's (:func:`alliance.cli.options.with_design_options`),
so the model is fitted on the same design, raked or calibrated, as the estimates (with
``--replicates`` or ``--to-replicates``, SEs come from refitting on each replicate, as ``svyglm``
on a ``svrepdesign``); the engine is :func:`alliance.survey.glm` (R's ``svyglm``). One row per
coefficient, with exactly the columns :data:`MODEL_COLUMNS`. The formula is parsed, never evaluated.
"""

from __future__ import annotations

from typing import Annotated

import typer

from alliance.cli.errors import reported
from alliance.cli.options import DesignOptions, LangOption, lang_or_default, with_design_options
from alliance.cli.output import emit
from alliance.cli.survey import (
    DataArgument,
    FormatChoice,
    OutputOption,
    _caption,
    _warn,
    load_design,
    read_for_estimates,
)
from alliance.messages import render
from alliance.survey import glm, parse_formula

__all__ = ["MODEL_COLUMNS", "model_command"]

#: Columns of ``alliance survey model``, in this order (``statistic`` is the t value).
MODEL_COLUMNS = ["term", "estimate", "se", "statistic", "df", "p_value"]

FAMILIES = ("gaussian", "binomial")


@with_design_options()
def model_command(
    formula: Annotated[
        str,
        typer.Argument(
            help='The model, as R writes it: "api00 ~ ell + meals + stype".', show_default=False
        ),
    ],
    data: DataArgument,
    design: DesignOptions,
    family: Annotated[
        str,
        typer.Option("--family", help="gaussian (linear) or binomial (logistic, 0/1 outcome)."),
    ] = "gaussian",
    output_format: FormatChoice = None,
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    """Fit a regression (svyglm): coefficients, design-based SEs, t tests."""
    language = lang_or_default(lang)
    if family not in FAMILIES:
        message = render("cli.bad_family", language, value=family)
        raise typer.BadParameter(message, param_hint="--family")
    with reported(language):
        parsed = parse_formula(formula)
        responses = read_for_estimates(data)
        sample, diagnostics = load_design(responses, design, lang=language)
        model = glm(sample, parsed, family=family)  # type: ignore[arg-type]
        if model.discarded_replicates:  # R warns too: "k replicates gave NA results…"
            _warn(render("cli.model_discarded", language, count=model.discarded_replicates))
        records = [
            {
                "term": c.term,
                "estimate": c.estimate,
                "se": c.se,
                "statistic": c.statistic,
                "df": c.df,
                "p_value": c.p_value,
            }
            for c in model.coefficients
        ]
        emit(
            records,
            MODEL_COLUMNS,
            title=render(
                "cli.model_title", language, formula=str(parsed), family=family, file=data.name
            ),
            caption=_caption(sample, diagnostics, language),
            output_format=output_format,
            output=output,
        )
