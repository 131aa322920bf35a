"""XLSForm expressions: parsed by a grammar, and one respondent and a whole file agree on them.

The property-based tests draw expression trees and answers at random, write each tree as text,
parse it back, and check that :meth:`Expression.evaluate` (a web form, one respondent) and
:meth:`Expression.to_polars` (a delivered file, all rows at once) give the same truth.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.survey.questionnaire.logic import ColumnKind, ExpressionSyntaxError, parse

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "answers", "expected"),
    [
        ("${q} = 'x'", {"q": "x"}, True),
        ("${q} = 'x'", {"q": "y"}, False),
        ("${q} = 1", {"q": 1}, True),
        ("${q} = '1'", {"q": 1}, True),
        ("${q} = 1", {"q": "1"}, True),
        ("${q} = ''", {}, True),
        ("${q} != ''", {"q": 0}, True),
        ("${q} > 2", {}, False),
        ("${q} != 2", {}, True),
        ("${q} >= 18 and ${q} < 65", {"q": 40}, True),
        ("${q} >= 18 and ${q} < 65", {"q": 70}, False),
        ("${a} = 1 or ${b} = 1", {"a": 2, "b": 1}, True),
        ("not(${a} = 1)", {"a": 1}, False),
        ("selected(${m}, 'mecenat')", {"m": ["mecenat", "pratiques"]}, True),
        ("selected(${m}, 'mecenat')", {"m": "pratiques mecenat"}, True),
        ("selected(${m}, 'mecenat')", {"m": None}, False),
        ("count-selected(${m}) >= 2", {"m": ["a", "b"]}, True),
        ("string-length(${t}) > 3", {"t": "abcd"}, True),
        ("${a} + ${b} * 2 = 7", {"a": 1, "b": 3}, True),
        ("(${a} + ${b}) * 2 = 8", {"a": 1, "b": 3}, True),
        ("${a} div 2 = 1.5", {"a": 3}, True),
        ("${a} mod 3 = 1", {"a": 7}, True),
        ("${a} div 0 = ${a} div 0", {"a": 7}, False),
        ("-${a} < 0", {"a": 7}, True),
        ("${q}", {"q": "0"}, True),
        ("${q}", {"q": ""}, False),
        ("true() and not(false())", {}, True),
        ('${q} = "x"', {"q": "x"}, True),
    ],
)
def test_one_respondent(text: str, answers: dict[str, Any], expected: bool):
    assert parse(text).evaluate(answers) is expected


def test_the_current_answer_is_a_dot():
    constraint = parse(". >= 0 and . <= 500")

    assert constraint.uses_current
    assert constraint.evaluate({}, current=12)
    assert not constraint.evaluate({}, current=501)
    assert not parse("${a} = 1").uses_current


def test_names_are_the_items_read():
    expression = parse("${a} = 1 and (selected(${b.c}, 'x') or not(${d} > 2))")

    assert expression.names == {"a", "b.c", "d"}
    assert expression.text == "${a} = 1 and (selected(${b.c}, 'x') or not(${d} > 2))"


def test_precedence_and_binds_tighter_than_or():
    expression = parse("${a} = 1 or ${a} = 2 and ${b} = 3")

    assert expression.evaluate({"a": 1, "b": 0})
    assert not expression.evaluate({"a": 2, "b": 0})


@pytest.mark.parametrize(
    ("text", "column", "kind", "params"),
    [
        ("${a} = ", 7, "end", {}),
        ("${a} == 1", 7, "unexpected", {"found": "="}),
        ("${a} = 'x", 8, "unexpected", {"found": "'"}),
        ("${a} = 1 and", 13, "end", {}),
        ("foo(${a})", 1, "function", {"name": "foo"}),
        ("${a} = 1 and regex(${b})", 14, "function", {"name": "regex"}),
        ("selected(${a})", 1, "arguments", {"name": "selected", "expected": 2, "given": 1}),
        ("selected('x', 'y')", 1, "selected", {"name": "selected"}),
        ("$a = 1", 1, "unexpected", {"found": "$"}),
    ],
)
def test_an_expression_that_does_not_parse_says_where(text, column, kind, params):
    with pytest.raises(ExpressionSyntaxError) as raised:
        parse(text)

    assert (raised.value.column, raised.value.kind, raised.value.params) == (column, kind, params)
    assert raised.value.text == text.strip()


def test_a_file_is_checked_in_one_expression():
    frame = pl.DataFrame(
        {"has": [1, 2, None], "cats": ["a b", "", None], "n": [3.0, None, 12.5]},
        schema={"has": pl.Int64, "cats": pl.String, "n": pl.Float64},
    )
    kinds: dict[str, ColumnKind] = {"has": "number", "cats": "text", "n": "number"}
    expression = parse("${has} = 1 and selected(${cats}, 'b')")

    assert frame.select(expression.to_polars(kinds)).to_series().to_list() == [True, False, False]
    within = parse(". < 10")
    assert frame.select(within.to_polars(kinds, current="n")).to_series().to_list() == [
        True,
        False,
        False,
    ]


# --- property: a form and a file agree ---------------------------------------------------------

NUMBERS = st.one_of(st.none(), st.integers(-3, 6).map(lambda k: k / 2))
TEXTS = st.sampled_from([None, "", "x", "y", "1", "2", " 3 ", "0", "-1.5", "abc"])
CHOICES = st.one_of(
    st.none(), st.lists(st.sampled_from(["x", "y", "1"]), unique=True).map(" ".join)
)
ROWS = st.lists(st.fixed_dictionaries({"a": NUMBERS, "b": TEXTS, "m": CHOICES}), min_size=1)


def literal(draw_number: bool) -> st.SearchStrategy[str]:
    if draw_number:
        return st.integers(0, 6).map(lambda k: str(k / 2).removesuffix(".0"))
    return st.sampled_from(["''", "'x'", "'1'", "'2'", "' 3 '", "'abc'", '"y"'])


LEAVES = st.one_of(
    st.sampled_from(["${a}", "${b}", "${m}", "true()", "false()"]),
    literal(True),
    literal(False),
    st.sampled_from(["string-length(${b})", "count-selected(${m})", "string-length(${a})"]),
    st.sampled_from(["x", "y", "1"]).map(lambda code: f"selected(${{m}}, '{code}')"),
)


def combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.sampled_from(["=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod"])
    logical = st.sampled_from(["and", "or"])
    return st.one_of(
        st.tuples(children, binary, children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(children, logical, children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        children.map(lambda c: f"not({c})"),
        children.map(lambda c: f"-({c})"),
    )


EXPRESSIONS = st.recursive(LEAVES, combine, max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(text=EXPRESSIONS, rows=ROWS)
def test_a_form_and_a_file_agree(text: str, rows: list[dict[str, Any]]):
    expression = parse(text)
    frame = pl.DataFrame(rows, schema={"a": pl.Float64, "b": pl.String, "m": pl.String})
    kinds: dict[str, ColumnKind] = {"a": "number", "b": "text", "m": "text"}

    by_file = frame.with_columns(expression.to_polars(kinds).alias("x"))["x"].to_list()

    assert by_file == [expression.evaluate(row) for row in rows]


@settings(max_examples=200, deadline=None)
@given(text=EXPRESSIONS)
def test_parsing_is_stable(text: str):
    expression = parse(text)

    assert parse(f"  {text}  ") == expression
    assert parse(f"({text})").tree == expression.tree
