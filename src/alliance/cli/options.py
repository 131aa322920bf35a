"""Options shared by several commands, declared once so they read the same everywhere.

The survey commands (``estimate``, ``rake``, ``test``, ``compare``) share the design options.
:func:`with_design_options` declares them once and hands the command one parsed
:class:`DesignOptions` instead: adding a design option is one edit here, and no command can
forget it or parse it differently.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

import typer

from alliance.cli.output import OutputFormat
from alliance.i18n import Lang, default_lang

if TYPE_CHECKING:  # the survey engine is imported when a survey command runs, not for --help
    from alliance.survey.specification import DesignSpec, LonelyPsu

__all__ = [
    "DesignOptions",
    "FormatOption",
    "LangOption",
    "lang_or_default",
    "stage_columns",
    "with_design_options",
]

LangOption = Annotated[
    Lang | None,
    typer.Option(
        "--lang",
        help="Langue des libellés / language of labels: fr or en (default: $ALLIANCE_LANG or fr).",
        show_default=False,
    ),
]

FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", help="table for people, json or csv for scripts."),
]


def lang_or_default(lang: Lang | None) -> Lang:
    """Return the language asked for, or the default one."""
    return lang or default_lang()


@dataclass(frozen=True)
class DesignOptions:
    """The design options of a survey command: how the sample was drawn, raked and trimmed.

    ``bounds`` and ``trim`` stay as typed (``LOW:HIGH``): the command parses them with its
    language, so a malformed value is reported in the user's language.
    """

    spec: DesignSpec
    margins: Path | None = None
    bounds: str | None = None
    trim: str | None = None
    calibrate: str | None = None


_RAKE_HELP = (
    'Targets JSON: {"VAR": {"LEVEL": share}, "population_total": N}; with --calibrate, also '
    'numeric totals {"NUM": total}.'
)
_CALIBRATE_HELP = (
    "Calibrate to the targets as R's calibrate(): linear, raking or logit (--bounds then bounds "
    "the g-weights); without it, --rake rakes."
)

#: The options, in the order ``--help`` lists them: (parameter, annotation, default).
_DESIGN_PARAMETERS: list[tuple[str, Any, Any]] = [
    (
        "weights",
        Annotated[str | None, typer.Option("--weights", help="Column of design weights.")],
        None,
    ),
    ("strata", Annotated[str | None, typer.Option("--strata", help="Column of strata.")], None),
    (
        "psu",
        Annotated[
            str | None,
            typer.Option(
                "--psu",
                help="Column of primary sampling units; COL1,COL2 gives one per stage (R's "
                "ids = ~COL1 + COL2).",
            ),
        ],
        None,
    ),
    (
        "fpc",
        Annotated[
            str | None,
            typer.Option(
                "--fpc",
                help="Column of sampling fractions (≤ 1) or population sizes (> 1); one per "
                "stage of --psu, comma-separated.",
            ),
        ],
        None,
    ),
    (
        "nest",
        Annotated[
            bool, typer.Option("--nest", help="PSU ids are unique only within their stratum.")
        ],
        False,
    ),
    (
        "lonely_psu",
        Annotated[
            str | None,
            typer.Option(
                "--lonely-psu",
                help="Strata with a single PSU: fail (default), adjust, remove, certainty or "
                "average, as R's survey.lonely.psu.",
                show_default=False,
            ),
        ],
        None,
    ),
    (
        "adjust_lonely_psu",
        Annotated[
            bool,
            typer.Option("--adjust-lonely-psu", help="Same as --lonely-psu adjust."),
        ],
        False,
    ),
    ("margins", Annotated[Path | None, typer.Option("--rake", "--margins", help=_RAKE_HELP)], None),
    (
        "calibrate",
        Annotated[str | None, typer.Option("--calibrate", help=_CALIBRATE_HELP)],
        None,
    ),
    (
        "bounds",
        Annotated[
            str | None,
            typer.Option(
                "--bounds", help="Keep raked / design weight within LOW:HIGH, e.g. 0.3:3."
            ),
        ],
        None,
    ),
    (
        "trimming",
        Annotated[
            str | None,
            typer.Option(
                "--trim", help="Trim weights to LOW:HIGH times the mean weight, e.g. 0.2:5."
            ),
        ],
        None,
    ),
]

_REPLICATE_PARAMETERS: list[tuple[str, Any, Any]] = [
    (
        "replicates",
        Annotated[
            str | None,
            typer.Option(
                "--replicates",
                help="Prefix of the replicate weight columns (analysis weights, in file order): "
                "variances then come from them, as R's svrepdesign(combined.weights = TRUE).",
            ),
        ],
        None,
    ),
    (
        "replicate_type",
        Annotated[
            str | None,
            typer.Option(
                "--replicate-type", help="jk1, jkn, brr, fay or bootstrap (with --replicates)."
            ),
        ],
        None,
    ),
    (
        "fay_rho",
        Annotated[float | None, typer.Option("--fay-rho", help="Fay's ρ (--replicate-type fay).")],
        None,
    ),
    (
        "replicate_scale",
        Annotated[
            float | None,
            typer.Option("--replicate-scale", help="Variance scale (default: R's for the type)."),
        ],
        None,
    ),
    (
        "replicate_rscales",
        Annotated[
            str | None,
            typer.Option(
                "--replicate-rscales",
                help="Per-replicate factors, comma-separated (required for jkn: (n_h-1)/n_h).",
            ),
        ],
        None,
    ),
    (
        "to_replicates",
        Annotated[
            str | None,
            typer.Option(
                "--to-replicates",
                help="Build replicate weights from --strata/--psu: jk1, jkn or bootstrap[:R], "
                "as R's as.svrepdesign.",
            ),
        ],
        None,
    ),
    (
        "seed",
        Annotated[int, typer.Option("--seed", help="Seed of --to-replicates bootstrap.")],
        0,
    ),
]
_DESIGN_PARAMETERS += _REPLICATE_PARAMETERS

#: ``--rake`` for ``alliance survey rake``, where the targets are what the command is for.
_REQUIRED_RAKE = Annotated[Path, typer.Option("--rake", "--margins", help=_RAKE_HELP)]

Command = TypeVar("Command", bound=Callable[..., None])


def stage_columns(text: str | None) -> str | tuple[str, ...] | None:
    """``--psu`` / ``--fpc``: a column, or one per stage separated by commas.

    Examples
    --------
    >>> stage_columns("dnum, snum"), stage_columns("psu"), stage_columns(None)
    (('dnum', 'snum'), 'psu', None)
    """
    if text is None:
        return None
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    return names[0] if len(names) == 1 else names or None


def _lonely_psu(rule: str | None, adjust: bool, lang: Lang | None) -> LonelyPsu:
    """``--lonely-psu``, with ``--adjust-lonely-psu`` as its older spelling of ``adjust``."""
    from alliance.messages import render
    from alliance.survey.specification import LONELY_PSU_RULES

    language = lang_or_default(lang)
    if rule is not None and rule not in LONELY_PSU_RULES:
        message = render("cli.bad_lonely_psu", language, value=rule)
        raise typer.BadParameter(message, param_hint="--lonely-psu")
    if adjust and rule not in (None, "adjust"):
        message = render("cli.lonely_psu_conflict", language, value=rule)
        raise typer.BadParameter(message, param_hint="--lonely-psu")
    chosen = "adjust" if adjust else rule or "fail"
    return cast("LonelyPsu", chosen)


def _numbers(text: str | None, lang: Lang | None) -> tuple[float, ...] | None:
    """``--replicate-rscales``: numbers separated by commas (or semicolons)."""
    from alliance.messages import render

    if text is None:
        return None
    try:
        return tuple(float(part) for part in text.replace(";", ",").split(",") if part.strip())
    except ValueError:
        message = render("cli.bad_number", lang_or_default(lang), value=text)
        raise typer.BadParameter(message, param_hint="--replicate-rscales") from None


def with_design_options(*, rake_required: bool = False) -> Callable[[Command], Command]:
    """Give a command the design options in place of its ``design: DesignOptions`` parameter.

    Typer reads the command's signature: the decorated command shows ``--weights``, ``--strata``,
    ``--psu``, ``--fpc``, ``--nest``, ``--lonely-psu`` (and its alias ``--adjust-lonely-psu``),
    ``--rake`` (alias ``--margins``), ``--calibrate``, ``--bounds`` and
    ``--trim`` where its ``design`` parameter was, and receives them as one
    :class:`DesignOptions`. ``rake_required`` makes ``--rake`` mandatory.
    """

    def decorate(command: Command) -> Command:
        signature = inspect.signature(command, eval_str=True)
        parameters: list[inspect.Parameter] = []
        keyword_only = False
        for parameter in signature.parameters.values():
            if parameter.name != "design":
                kind = inspect.Parameter.KEYWORD_ONLY if keyword_only else parameter.kind
                parameters.append(parameter.replace(kind=kind))
                continue
            keyword_only = True  # required options may follow options with defaults
            for name, annotation, default in _DESIGN_PARAMETERS:
                if name == "margins" and rake_required:
                    annotation, default = _REQUIRED_RAKE, inspect.Parameter.empty
                parameters.append(
                    inspect.Parameter(
                        name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default
                    )
                )

        @functools.wraps(command)
        def wrapper(**values: Any) -> None:
            from alliance.survey.specification import DesignSpec

            given = {name: values.pop(name) for name, _, _ in _DESIGN_PARAMETERS}
            spec = DesignSpec(
                weights=given["weights"],
                strata=given["strata"],
                psu=stage_columns(given["psu"]),
                fpc=stage_columns(given["fpc"]),
                nest=given["nest"],
                lonely_psu=_lonely_psu(
                    given["lonely_psu"], given["adjust_lonely_psu"], values.get("lang")
                ),
                replicates=given["replicates"],
                replicate_type=given["replicate_type"],
                fay_rho=given["fay_rho"],
                replicate_scale=given["replicate_scale"],
                replicate_rscales=_numbers(given["replicate_rscales"], values.get("lang")),
                to_replicates=given["to_replicates"],
                seed=given["seed"],
            )
            design = DesignOptions(
                spec,
                given["margins"],
                given["bounds"],
                given["trimming"],
                calibrate=given["calibrate"],
            )
            command(**values, design=design)

        new_signature = signature.replace(parameters=parameters)
        wrapper.__signature__ = new_signature  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
        return wrapper  # type: ignore[return-value]

    return decorate
