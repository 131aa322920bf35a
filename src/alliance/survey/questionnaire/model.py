"""What a questionnaire says: its items, their answer scales, who answers it, which version.

A questionnaire is data (YAML or XLSForm), validated on load. Item types follow XLSForm's
vocabulary (``select_one``, ``select_multiple``, ``integer``, ``decimal``, ``text``) so converting
between the two formats loses nothing. An item may point at the referential items it measures
(``published-figures/citoyens_2022_impact_territoires``) and may have a role: the respondent
``id``, the design ``weight``, or a ``quota`` variable used for weighting. Skip logic and
constraints are XLSForm expressions (:mod:`alliance.survey.questionnaire.logic`), checked here to
parse and to name only items of the questionnaire.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from alliance.referential.model import LocalizedText, Strict
from alliance.survey.questionnaire.logic import Expression, ExpressionSyntaxError, parse

__all__ = ["Choice", "ItemType", "Question", "Questionnaire", "Role", "Scale"]

Name = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_.]*$", max_length=64)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
Code = int | Annotated[str, Field(pattern=r"^[A-Za-z0-9_.+-]+$")]
#: A referential item, ``framework/code``.
Target = Annotated[str, Field(pattern=r"^[a-z0-9-]+/[a-z0-9_-]+$")]


class ItemType(StrEnum):
    """The kinds of answers, named as in XLSForm."""

    SELECT_ONE = "select_one"
    SELECT_MULTIPLE = "select_multiple"
    INTEGER = "integer"
    DECIMAL = "decimal"
    TEXT = "text"


class Role(StrEnum):
    """What an item is for besides being answered."""

    ID = "id"
    WEIGHT = "weight"
    QUOTA = "quota"


class Choice(Strict):
    """One answer of a scale; ``missing`` answers (« ne sait pas ») stay out of estimates' bases."""

    code: Code
    label: LocalizedText
    missing: bool = False


class Scale(Strict):
    """A list of answers shared by items (XLSForm's ``list_name``)."""

    name: Name
    choices: list[Choice] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes_unique(self) -> Scale:
        seen: set[str] = set()
        for choice in self.choices:
            if str(choice.code) in seen:
                raise PydanticCustomError(
                    "duplicate_code",
                    "duplicate code {code}",
                    {"code": str(choice.code)},
                )
            seen.add(str(choice.code))
        return self

    def codes(self, *, missing: bool | None = None) -> list[Code]:
        """Return the codes, all of them or only the (non-)missing ones."""
        return [c.code for c in self.choices if missing is None or c.missing == missing]


class Question(Strict):
    """One item of the questionnaire, which is one column of the responses (or one per choice)."""

    name: Name
    type: ItemType
    label: LocalizedText
    scale: Name | None = None
    required: bool = False
    role: Role | None = None
    referential: list[Target] = Field(default_factory=list)
    #: When the item is asked (XLSForm's ``relevant``): ``${has_partnerships} = 1``.
    relevant: str | None = None
    #: What a valid answer is (XLSForm's ``constraint``), ``.`` being the answer: ``. <= 500``.
    constraint: str | None = None
    #: What to tell a respondent whose answer breaks the constraint.
    constraint_message: LocalizedText | None = None

    @field_validator("relevant", "constraint")
    @classmethod
    def _expression_parses(cls, text: str | None) -> str | None:
        if text is None or not text.strip():
            return None
        try:
            parse(text)
        except ExpressionSyntaxError as error:
            raise PydanticCustomError(
                f"expression_{error.kind}",
                "expression {expression!r} does not parse at column {column}",
                {"expression": error.text, "column": error.column, **error.params},
            ) from None
        return text.strip()

    @property
    def relevance(self) -> Expression | None:
        """The parsed ``relevant`` expression, if the item is not always asked."""
        return parse(self.relevant) if self.relevant else None

    @property
    def validity(self) -> Expression | None:
        """The parsed ``constraint`` expression, if answers have one."""
        return parse(self.constraint) if self.constraint else None

    @model_validator(mode="after")
    def _scale_iff_select(self) -> Question:
        selects = self.type in (ItemType.SELECT_ONE, ItemType.SELECT_MULTIPLE)
        if selects != (self.scale is not None):
            raise PydanticCustomError(
                "scale_iff_select",
                "select_one and select_multiple items, and only they, need a scale",
            )
        return self


class Questionnaire(Strict):
    """A versioned questionnaire for one population."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    questionnaire: Slug
    version: str = Field(min_length=1)
    population: Slug
    title: LocalizedText
    synthetic: bool = False
    sources: list[str] = Field(default_factory=list)
    scales: list[Scale] = Field(default_factory=list)
    items: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _names_and_scales_consistent(self) -> Questionnaire:
        scales = {scale.name for scale in self.scales}
        names: set[str] = set()
        for item in self.items:
            if item.name in names:
                raise PydanticCustomError(
                    "duplicate_item", "duplicate item {name}", {"name": item.name}
                )
            names.add(item.name)
            if item.scale is not None and item.scale not in scales:
                raise PydanticCustomError(
                    "unknown_scale", "unknown scale {scale}", {"scale": item.scale}
                )
        for item in self.items:
            for expression in (item.relevance, item.validity):
                unknown = sorted(expression.names - names) if expression else []
                if expression and unknown:
                    raise PydanticCustomError(
                        "expression_unknown_item",
                        "expression {expression!r} names unknown item {name}",
                        {"expression": expression.text, "name": unknown[0]},
                    )
        ids = [item.name for item in self.items if item.role is Role.ID]
        if len(ids) > 1:
            raise PydanticCustomError("several_ids", "more than one item has the role id")
        return self

    def item(self, name: str) -> Question:
        """Return the item called ``name``."""
        return next(item for item in self.items if item.name == name)

    def scale_of(self, item: Question) -> Scale | None:
        """Return the scale of a select item."""
        return next((s for s in self.scales if s.name == item.scale), None)

    @property
    def id_item(self) -> Question | None:
        """The item holding respondent ids, if any."""
        return next((item for item in self.items if item.role is Role.ID), None)

    @property
    def weight_item(self) -> Question | None:
        """The item holding design weights, if any."""
        return next((item for item in self.items if item.role is Role.WEIGHT), None)
