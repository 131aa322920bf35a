"""Model formulas: parsed by hand, never evaluated; errors say where."""

from __future__ import annotations

import pytest

from alliance.errors import SurveyError
from alliance.survey import Formula, parse_formula

pytestmark = pytest.mark.unit


def test_response_and_terms_in_order():
    assert parse_formula("api00 ~ ell + meals + stype") == Formula(
        "api00", ("ell", "meals", "stype")
    )


def test_r_names_and_backquoted_names():
    formula = parse_formula("sch.wide_01~`taux net`+api.stu")

    assert formula == Formula("sch.wide_01", ("taux net", "api.stu"))
    assert str(formula) == "sch.wide_01 ~ `taux net` + api.stu"


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("y ~ a * b", 7),
        ("y ~ a +", 8),
        ("y a", 3),
        ("~ a", 1),
        ("y ~ __import__('os')", 5),
        ("y ~ a + + b", 9),
        ("", 1),
    ],
)
def test_anything_else_is_refused_with_its_position(text, position):
    with pytest.raises(SurveyError) as caught:
        parse_formula(text)

    assert caught.value.key == "survey.formula_invalid"
    assert caught.value.params["position"] == position


def test_a_column_twice_is_refused():
    with pytest.raises(SurveyError) as caught:
        parse_formula("y ~ a + b + a")

    assert caught.value.key == "survey.formula_repeated"
    assert caught.value.params["name"] == "a"
