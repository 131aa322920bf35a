"""The legal-category rule: every INSEE category to an actor profile, as data with its status."""

from __future__ import annotations

import polars as pl
import pytest

from alliance.referential import default_referential
from alliance.territory.legal_categories import (
    Classification,
    category_table,
    classify,
    legal_category_rules,
    profile_expression,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("category", "company", "workforce", "profile"),
    [
        ("9220", "", "", "associations"),
        ("9230", "", "", "associations"),  # reconnue d'utilité publique
        ("9260", "", "", "associations"),  # droit local d'Alsace-Moselle
        ("9300", "", "", "fondations"),
        ("7210", "", "", "collectivites_territoriales"),  # commune
        ("7346", "", "", "collectivites_territoriales"),  # communauté de communes
        ("7120", "", "", "etat"),
        ("7383", "", "", "academiques"),  # EPSCP: universities
        ("7331", "", "", "institutions"),
        ("5710", "PME", "NN", "pme"),
        ("5710", "GE", "", "grandes_entreprises"),
        ("5499", "ETI", "", "entreprises"),
        ("5499", "", "12", "pme"),  # no company category: 20 to 49 employees
        ("5499", "", "41", "entreprises"),  # 500 to 999 employees
        ("5499", "", "53", "grandes_entreprises"),  # 10,000 and more
        ("5499", "", "", "entreprises"),  # size unknown
        ("1000", "", "NN", "pme"),  # entrepreneur individuel
    ],
)
def test_a_category_gives_its_profile(category, company, workforce, profile):
    assert classify(category, company, workforce).profile == profile


def test_a_known_category_outside_the_profiles_is_known_without_a_profile():
    assert classify("9110") == Classification(profile=None, known=True, status="confirmed")
    assert classify("8410") == Classification(profile=None, known=True, status="inferred")


@pytest.mark.parametrize("category", ["0000", "9999", "ABCD", "92", ""])
def test_an_unknown_category_is_not_put_anywhere(category):
    assert classify(category) == Classification(profile=None, known=False, status="unknown")


def test_the_statuses_are_confirmed_or_inferred_and_the_sources_exist():
    rules = legal_category_rules()
    assert {rule.status for rule in rules.rules} == {"confirmed", "inferred"}
    assert classify("9220").status == "confirmed"
    assert classify("7383").status == "inferred"
    cited = {source for rule in rules.rules for source in rule.sources} | set(rules.size_sources)
    assert cited <= set(rules.sources)
    assert all(rule.note for rule in rules.rules)


def test_every_profile_named_is_one_of_the_referential():
    profiles = {item.code for item in default_referential().framework("actor-profiles")}
    rules = legal_category_rules()
    named = {rule.profile for rule in rules.rules if rule.profile}
    sized = set(rules.by_workforce.values()) | set(rules.by_company_category.values())
    assert named | sized <= profiles


def test_the_table_and_the_expression_agree_with_classify():
    rows = pl.DataFrame(
        {
            "category": ["9220", "5710", "5710", "0000", "7210"],
            "company": ["", "GE", "", "", ""],
            "band": ["", "", "01", "", ""],
        }
    ).join(category_table(), on="category", how="left", maintain_order="left")

    found = rows.select(profile_expression("company", "band")).to_series().to_list()

    assert found == [
        "associations", "grandes_entreprises", "pme", None, "collectivites_territoriales",
    ]  # fmt: skip
    assert category_table().height == sum(classify(f"{n:04d}").known for n in range(10_000))
