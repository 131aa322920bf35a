"""From an INSEE legal category to an actor profile of the referential: the rule is data.

The rules live in ``data/legal-categories.yaml``, each with its status and sources, because which
profile a « syndicat mixte » or a « fonds de dotation » belongs to is a reading that people must be
able to see and discuss, not a branch hidden in code. A category no rule matches is *unknown*:
the importers report it and leave the entry without a profile, rather than guess.

Registry files hold millions of rows, so besides :func:`classify` (one entry) the rule compiles
to a table of every 4-digit code (:func:`category_table`) that the importers join in Polars.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
import yaml

__all__ = [
    "Classification", "LegalCategoryRules", "category_table", "classify", "legal_category_rules",
    "profile_expression",
]  # fmt: skip

RULES = Path(__file__).parent / "data" / "legal-categories.yaml"
#: The profile that ``by_size`` refines into PME or large companies.
COMPANIES = "entreprises"


@dataclass(frozen=True)
class Rule:
    """Codes (1, 2 or 4 digits) and the profile they belong to (None: known, no profile)."""

    codes: tuple[str, ...]
    profile: str | None
    by_size: bool
    status: str
    sources: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Classification:
    """A category's profile, whether a rule knew the category, and that rule's status."""

    profile: str | None
    known: bool
    status: str = "unknown"


class LegalCategoryRules:
    """The rules of ``legal-categories.yaml``: by category, then by company size."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.version = str(document["version"])
        self.sources: dict[str, dict[str, str]] = document["sources"]
        self.rules = [
            Rule(
                codes=tuple(str(code) for code in rule["codes"]),
                profile=rule["profile"],
                by_size=bool(rule.get("by_size", False)),
                status=rule["status"],
                sources=tuple(rule["sources"]),
                note=rule.get("note", ""),
            )
            for rule in document["rules"]
        ]
        size = document["size"]
        self.size_status: str = size["status"]
        self.size_sources: tuple[str, ...] = tuple(size["sources"])
        self.by_company_category: dict[str, str] = dict(size["company_category"])
        self.by_workforce = {
            band: profile for profile, bands in size["workforce"].items() for band in bands
        }
        self.size_default: str = size["default"]
        self._by_code = {code: rule for rule in self.rules for code in rule.codes}

    def rule(self, category: str) -> Rule | None:
        """Return the rule of a 4-digit category: the longest matching code (None if none)."""
        if not re.fullmatch(r"[0-9]{4}", category):
            return None
        for length in (4, 2, 1):
            found = self._by_code.get(category[:length])
            if found is not None:
                return found
        return None

    def size_profile(self, company_category: str, workforce: str) -> str:
        """Return ``pme``, ``grandes_entreprises`` or ``entreprises`` for a company."""
        return (
            self.by_company_category.get(company_category.strip())
            or self.by_workforce.get(workforce.strip())
            or self.size_default
        )


@cache
def legal_category_rules() -> LegalCategoryRules:
    """Return the rules, read on first use."""
    return LegalCategoryRules(yaml.safe_load(RULES.read_text(encoding="utf-8")))


def classify(category: str, company_category: str = "", workforce: str = "") -> Classification:
    """Return the profile of a legal category (a company refined by its size).

    Examples
    --------
    >>> classify("9220")
    Classification(profile='associations', known=True, status='confirmed')
    >>> classify("5710", company_category="GE").profile
    'grandes_entreprises'
    >>> classify("0000")
    Classification(profile=None, known=False, status='unknown')
    """
    rules = legal_category_rules()
    rule = rules.rule(category.strip())
    if rule is None:
        return Classification(profile=None, known=False)
    if rule.by_size:
        return Classification(rules.size_profile(company_category, workforce), True, rule.status)
    return Classification(rule.profile, True, rule.status)


@cache
def category_table() -> pl.DataFrame:
    """Every 4-digit category a rule knows: ``category``, ``rule_profile``, ``by_size``."""
    rules = legal_category_rules()
    rows = [(f"{n:04d}", rules.rule(f"{n:04d}")) for n in range(10_000)]
    known = [(code, rule) for code, rule in rows if rule is not None]
    return pl.DataFrame(
        {
            "category": [code for code, _ in known],
            "rule_profile": [rule.profile for _, rule in known],
            "by_size": [rule.by_size for _, rule in known],
        },
        schema={"category": pl.String, "rule_profile": pl.String, "by_size": pl.Boolean},
    )


def profile_expression(company_category: str, workforce: str) -> pl.Expr:
    """Return the profile of rows joined to :func:`category_table`, companies refined by size.

    ``company_category`` and ``workforce`` name the columns holding INSEE's company category and
    workforce band (either may be a column of empty strings when the file has none).
    """
    rules = legal_category_rules()
    by_category = pl.col(company_category).replace_strict(
        rules.by_company_category, default=None, return_dtype=pl.String
    )
    by_band = pl.col(workforce).replace_strict(
        rules.by_workforce, default=None, return_dtype=pl.String
    )
    sized = pl.coalesce(by_category, by_band, pl.lit(rules.size_default))
    return (
        pl.when(pl.col("by_size").fill_null(False))
        .then(sized)
        .otherwise(pl.col("rule_profile"))
        .alias("profile")
    )
