"""Skip logic and constraints: XLSForm's expression language, parsed once, evaluated two ways.

A questionnaire item may say when it is asked (``relevant``: ``${has_partnerships} = 1``) and
what a valid answer is (``constraint``: ``. >= 0 and . <= 500``), in the syntax of XLSForm
(ODK, KoboToolbox): ``${name}`` for another item's answer, ``.`` for the item's own, numbers and
quoted texts, ``= != < <= > >=``, ``+ - * div mod``, ``and or``, and the functions ``not()``,
``selected(${q}, 'x')``, ``count-selected(${q})``, ``string-length()``, ``true()`` and
``false()``. A real parser (Lark) reads it, so an error says where the expression breaks.

The same tree is evaluated on one respondent's answers (:meth:`Expression.evaluate`, for a web
form) and compiled to a Polars expression over a whole file (:meth:`Expression.to_polars`, for
checking a delivery): both follow XPath 1.0's rules, so a form and a file agree —

- an unanswered item's value is the empty text ``''``;
- ``=`` and ``!=`` compare as numbers when either side is a number (a text that is not a number
  is NaN: equal to nothing, different from everything), as texts otherwise;
- ``<``, ``<=``, ``>``, ``>=`` and arithmetic always compare numbers; a division by zero gives no
  value (NaN) rather than XPath's infinities, which no questionnaire means;
- a text is true when not empty, a number when neither 0 nor NaN;
- a multiple-choice answer is the space-separated list of its codes; ``selected()`` tests one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import polars as pl
from lark import Lark, Token, Transformer, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

__all__ = ["ColumnKind", "Expression", "ExpressionSyntaxError", "parse"]

GRAMMAR = r"""
?start: or_
?or_: and_ | or_ "or" and_ -> or_op
?and_: comparison | and_ "and" comparison -> and_op
?comparison: sum | sum COMPARE sum -> compare
?sum: product | sum ADD product -> arithmetic
?product: unary | product MULTIPLY unary -> arithmetic
?unary: atom | "-" unary -> negative
?atom: REF -> ref
     | "." -> current
     | NUMBER -> number
     | STRING -> string
     | FUNCTION "(" [start ("," start)*] ")" -> call
     | "(" start ")"
COMPARE: "!=" | "<=" | ">=" | "=" | "<" | ">"
ADD: "+" | "-"
MULTIPLY: "*" | "div" | "mod"
REF: /\$\{[A-Za-z_][A-Za-z0-9_.]*\}/
FUNCTION: /[a-z][a-z0-9-]*(?=\s*\()/
STRING: /'[^']*'/ | /"[^"]*"/
NUMBER: /\d+(\.\d+)?/
%import common.WS
%ignore WS
"""
#: Functions and how many arguments each takes.
FUNCTIONS = {
    "not": 1, "selected": 2, "count-selected": 1, "string-length": 1, "true": 0, "false": 0,
}  # fmt: skip
NUMBER_TEXT = re.compile(r"^\s*-?(\d+(\.\d*)?|\.\d+)\s*$")
#: What a compiled expression holds: a number (null = NaN), a text, a truth value, or an answer
#: of a numeric column — a text for XPath, kept as a number so that comparing it with a number
#: needs no round trip through text.
Kind = Literal["number", "text", "boolean", "answer_number"]
#: How :meth:`Expression.to_polars` is told what a column holds.
ColumnKind = Literal["number", "text"]


class ExpressionSyntaxError(ValueError):
    """An expression that does not parse: where (1-based column) and why.

    ``kind`` names the message (``validation.expression_<kind>`` in the locale files) and
    ``params`` fills it, so the error reads in French and English alike.
    """

    def __init__(self, text: str, column: int, kind: str, **params: Any) -> None:
        super().__init__(f"{text!r}, column {column}: {kind} {params}")
        self.text = text
        self.column = column
        self.kind = kind
        self.params = params


@dataclass(frozen=True)
class Node:
    """A node of an expression's tree: what it is (``op``) and its parts."""

    op: str
    args: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Expression:
    """A parsed expression: its text, its tree, and the items it names."""

    text: str
    tree: Node

    @property
    def names(self) -> frozenset[str]:
        """The items the expression reads (``${name}``), to check they exist."""
        return frozenset(_names(self.tree))

    @property
    def uses_current(self) -> bool:
        """Whether the expression reads the item's own answer (``.``), as constraints do."""
        return _uses_current(self.tree)

    def evaluate(self, answers: Mapping[str, Any], current: Any = None) -> bool:
        """Whether the expression holds for one respondent's ``answers`` (``current`` is ``.``).

        Answers are codes, numbers or texts; ``None`` or ``''`` when unanswered; a list of codes
        for a multiple choice.
        """
        return _truth(_value(self.tree, answers, current))

    def to_polars(self, kinds: Mapping[str, ColumnKind], current: str | None = None) -> pl.Expr:
        """Return a boolean Polars expression over a frame whose columns are the items' answers.

        ``kinds`` says which columns hold numbers and which texts (a multiple choice is a text
        column of space-separated codes); ``current`` names the column ``.`` stands for.
        """
        kind, expr = _compile(self.tree, kinds, current)
        return _polars_truth(kind, expr)


def parse(text: str) -> Expression:
    """Parse an expression, or raise :class:`ExpressionSyntaxError` saying where it breaks."""
    return _parse(text.strip())


@lru_cache(maxsize=1024)
def _parse(text: str) -> Expression:
    try:
        tree = _PARSER.parse(text)
    except UnexpectedEOF:
        raise ExpressionSyntaxError(text, len(text) + 1, "end") from None
    except UnexpectedCharacters as error:
        found = text[error.pos_in_stream or 0]
        raise ExpressionSyntaxError(text, error.column, "unexpected", found=found) from None
    except UnexpectedInput as error:
        token = getattr(error, "token", None)
        if token is None or token.type == "$END":
            raise ExpressionSyntaxError(text, len(text) + 1, "end") from None
        column = getattr(error, "column", 0) or 1
        raise ExpressionSyntaxError(text, column, "unexpected", found=str(token)) from None
    node = _Build().transform(tree)
    _check_calls(node, text)
    return Expression(text, node)


class _Build(Transformer[Token, Node]):
    """Turn Lark's parse tree into :class:`Node` s."""

    def or_op(self, parts: list[Node]) -> Node:
        return Node("or", tuple(parts))

    def and_op(self, parts: list[Node]) -> Node:
        return Node("and", tuple(parts))

    def compare(self, parts: list[Any]) -> Node:
        left, op, right = parts
        return Node(str(op), (left, right))

    def arithmetic(self, parts: list[Any]) -> Node:
        left, op, right = parts
        return Node(str(op), (left, right))

    def negative(self, parts: list[Node]) -> Node:
        return Node("neg", (parts[0],))

    def ref(self, parts: list[Token]) -> Node:
        return Node("ref", (str(parts[0])[2:-1],))

    def current(self, _: list[Any]) -> Node:
        return Node("current")

    def number(self, parts: list[Token]) -> Node:
        return Node("number", (float(parts[0]),))

    def string(self, parts: list[Token]) -> Node:
        return Node("text", (str(parts[0])[1:-1],))

    def call(self, parts: list[Any]) -> Node:
        name, *args = parts
        return Node("call", (str(name), *(a for a in args if a is not None)))


_PARSER = Lark(GRAMMAR, parser="lalr", lexer="contextual", propagate_positions=False)


def _check_calls(node: Node, text: str) -> None:
    """Refuse unknown functions, wrong argument counts, and ``selected`` of something not asked."""
    if node.op == "call":
        name, *args = node.args
        column = text.find(name) + 1
        if name not in FUNCTIONS:
            raise ExpressionSyntaxError(text, column, "function", name=name)
        if len(args) != FUNCTIONS[name]:
            raise ExpressionSyntaxError(
                text, column, "arguments", name=name, expected=FUNCTIONS[name], given=len(args)
            )
        if name in ("selected", "count-selected") and args[0].op not in ("ref", "current"):
            raise ExpressionSyntaxError(text, column, "selected", name=name)
    for part in node.args:
        if isinstance(part, Node):
            _check_calls(part, text)


def _names(node: Node) -> list[str]:
    if node.op == "ref":
        return [node.args[0]]
    return [name for part in node.args if isinstance(part, Node) for name in _names(part)]


def _uses_current(node: Node) -> bool:
    return node.op == "current" or any(
        isinstance(part, Node) and _uses_current(part) for part in node.args
    )


# --- one respondent ----------------------------------------------------------------------------


def _answer(value: Any) -> str:
    """Return an answer as XPath sees it: a text (``3`` for 3.0), ``''`` when unanswered."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return _text(float(value))
    if isinstance(value, list | tuple | set | frozenset):
        return " ".join(str(code) for code in value)
    return str(value)


def _codes(value: Any) -> list[str]:
    """Return the codes of a multiple-choice answer (a list, or a space-separated text)."""
    if isinstance(value, list | tuple | set | frozenset):
        return [str(code) for code in value]
    return _answer(value).split()


def _number(value: Any) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    return float(value) if NUMBER_TEXT.match(value) else math.nan


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _truth(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return not math.isnan(value) and value != 0
    return bool(value != "")


def _value(node: Node, answers: Mapping[str, Any], current: Any) -> Any:
    op, args = node.op, node.args
    if op == "ref":
        return _answer(answers.get(args[0]))
    if op == "current":
        return _answer(current)
    if op in ("number", "text"):
        return args[0]
    if op == "or":
        return any(_truth(_value(a, answers, current)) for a in args)
    if op == "and":
        return all(_truth(_value(a, answers, current)) for a in args)
    if op == "neg":
        return -_number(_value(args[0], answers, current))
    if op == "call":
        return _call(args[0], args[1:], answers, current)
    left, right = (_value(a, answers, current) for a in args)
    if op in ("=", "!="):
        return _equal(left, right) == (op == "=")
    a, b = _number(left), _number(right)
    return _numeric(op, a, b)


def _equal(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return _truth(left) == _truth(right)
    if isinstance(left, float) or isinstance(right, float):  # only literals and arithmetic
        return _number(left) == _number(right)
    return bool(left == right)


def _numeric(op: str, a: float, b: float) -> Any:
    if op in ("<", "<=", ">", ">="):
        if math.isnan(a) or math.isnan(b):
            return False
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0 or math.isnan(a) or math.isnan(b):
        return math.nan
    return a / b if op == "div" else math.fmod(a, b)


def _call(name: str, args: Sequence[Node], answers: Mapping[str, Any], current: Any) -> Any:
    if name == "true":
        return True
    if name == "false":
        return False
    if name == "not":
        return not _truth(_value(args[0], answers, current))
    if name == "string-length":
        return float(len(_text(_value(args[0], answers, current))))
    target = args[0]
    raw = current if target.op == "current" else answers.get(target.args[0])
    codes = _codes(raw)
    if name == "count-selected":
        return float(len(codes))
    return _text(_value(args[1], answers, current)) in codes


# --- a whole file ------------------------------------------------------------------------------


def _compile(
    node: Node, kinds: Mapping[str, ColumnKind], current: str | None
) -> tuple[Kind, pl.Expr]:
    """Compile to (kind, expression). Numbers are Float64 where null means NaN; texts never null."""
    op, args = node.op, node.args
    if op in ("ref", "current"):
        name = args[0] if op == "ref" else current
        if name is None:
            raise ValueError("'.' has no item here")
        column = pl.col(name)
        if kinds.get(name) == "number":
            return "answer_number", column.cast(pl.Float64).fill_nan(None)
        return "text", column.cast(pl.String).fill_null("")
    if op == "number":
        return "number", _constant(args[0], pl.Float64)
    if op == "text":
        return "text", _constant(args[0], pl.String)
    if op in ("or", "and"):
        parts = [_polars_truth(*_compile(a, kinds, current)) for a in args]
        combined = parts[0]
        for part in parts[1:]:
            combined = combined | part if op == "or" else combined & part
        return "boolean", combined
    if op == "neg":
        return "number", -_polars_number(*_compile(args[0], kinds, current))
    if op == "call":
        return _compile_call(args[0], args[1:], kinds, current)
    left, right = (_compile(a, kinds, current) for a in args)
    if op in ("=", "!="):
        equal = _polars_equal(left, right)
        return "boolean", equal if op == "=" else ~equal
    a, b = _polars_number(*left), _polars_number(*right)
    if op in ("<", "<=", ">", ">="):
        compared = {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
        return "boolean", compared.fill_null(False)
    if op == "+":
        return "number", a + b
    if op == "-":
        return "number", a - b
    if op == "*":
        return "number", a * b
    divided = a / b if op == "div" else _fmod(a, b)
    return "number", pl.when(b == 0).then(None).otherwise(divided)


def _constant(value: Any, dtype: pl.DataType | type[pl.DataType]) -> pl.Expr:
    """Return a literal as a column of the frame's height.

    A scalar ``pl.lit`` compared with a ``when`` over an all-null column fails to broadcast in
    Polars 2.1 (« length 1 doesn't match the DataFrame height »); a repeated value never does.
    """
    return pl.repeat(value, pl.len(), dtype=dtype)


def _fmod(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """C's fmod (the sign of the dividend), as XPath's ``mod``."""
    return a - b * (a / b).cast(pl.Int64, strict=False).cast(pl.Float64)


def _polars_number(kind: Kind, expr: pl.Expr) -> pl.Expr:
    if kind in ("number", "answer_number"):
        return expr
    if kind == "boolean":
        return expr.cast(pl.Float64)
    numeric = expr.str.contains(NUMBER_TEXT.pattern)
    return pl.when(numeric).then(expr.str.strip_chars().cast(pl.Float64, strict=False))


def _polars_truth(kind: Kind, expr: pl.Expr) -> pl.Expr:
    if kind == "boolean":
        return expr
    if kind == "number":
        return (expr != 0).fill_null(False)
    if kind == "answer_number":  # a text: true when answered, even « 0 »
        return expr.is_not_null()
    return expr != ""


def _polars_equal(left: tuple[Kind, pl.Expr], right: tuple[Kind, pl.Expr]) -> pl.Expr:
    kinds = {left[0], right[0]}
    if "boolean" in kinds:
        return _polars_truth(*left) == _polars_truth(*right)
    if "number" in kinds:
        return (_polars_number(*left) == _polars_number(*right)).fill_null(False)
    return _polars_text(*left) == _polars_text(*right)


def _compile_call(
    name: str, args: Sequence[Node], kinds: Mapping[str, ColumnKind], current: str | None
) -> tuple[Kind, pl.Expr]:
    if name in ("true", "false"):
        return "boolean", _constant(name == "true", pl.Boolean)
    if name == "not":
        return "boolean", ~_polars_truth(*_compile(args[0], kinds, current))
    if name == "string-length":
        kind, expr = _compile(args[0], kinds, current)
        return "number", _polars_text(kind, expr).str.len_chars().cast(pl.Float64)
    kind, expr = _compile(args[0], kinds, current)
    codes = (
        _polars_text(kind, expr).str.split(" ").list.eval(pl.element().filter(pl.element() != ""))
    )
    if name == "count-selected":
        return "number", codes.list.len().cast(pl.Float64)
    wanted_kind, wanted = _compile(args[1], kinds, current)
    return "boolean", codes.list.contains(_polars_text(wanted_kind, wanted)).fill_null(False)


def _polars_text(kind: Kind, expr: pl.Expr) -> pl.Expr:
    """Write a value as XPath does: ``3`` for 3.0, ``NaN`` for no number, ``true``/``false``."""
    if kind == "text":
        return expr
    if kind == "boolean":
        return pl.when(expr).then(pl.lit("true")).otherwise(pl.lit("false"))
    whole = expr == expr.round(0)
    return (
        pl.when(expr.is_null())
        .then(pl.lit("" if kind == "answer_number" else "NaN"))
        .when(whole)
        .then(expr.cast(pl.Int64, strict=False).cast(pl.String))
        .otherwise(expr.cast(pl.String))
    )
