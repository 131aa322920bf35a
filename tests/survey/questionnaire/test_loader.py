"""Loading questionnaires: the shipped ones are sound; broken files name their file and line."""

from __future__ import annotations

import pytest

from alliance.errors import QuestionnaireError
from alliance.referential import default_referential
from alliance.survey.questionnaire import (
    ItemType,
    Role,
    default_questionnaires,
    find_questionnaire,
    load_questionnaire,
    write_xlsform,
)
from alliance.survey.questionnaire.loader import DATA_DIR

pytestmark = pytest.mark.unit

SHIPPED = ["associations", "companies", "elected-officials", "foundations", "public"]
SELECTS = (ItemType.SELECT_ONE, ItemType.SELECT_MULTIPLE)

SMALL = """\
questionnaire: small
version: "1"
population: people
title: {fr: Petit, en: Small}
scales:
  - name: yes_no
    choices:
      - {code: 1, label: {fr: Oui, en: "Yes"}}
      - {code: 2, label: {fr: Non, en: "No"}}
items:
  - name: respondent_id
    type: text
    label: {fr: Identifiant, en: Identifier}
    role: id
  - name: volunteer
    type: select_one
    scale: yes_no
    label: {fr: Bénévole, en: Volunteer}
    referential:
      - levers/benevoles
      - levers/nowhere
"""


def written(tmp_path, text, name="small.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(path) -> QuestionnaireError:
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(path)
    return caught.value


def test_the_five_questionnaires_ship():
    assert sorted(default_questionnaires()) == SHIPPED


def test_shipped_questionnaires_are_read_once():
    assert default_questionnaires() is default_questionnaires()


@pytest.mark.parametrize("code", SHIPPED)
def test_shipped_questionnaire_has_an_id_and_quotas(code):
    questionnaire = default_questionnaires()[code]

    id_item = questionnaire.id_item
    assert id_item is not None
    assert id_item.required
    assert [item for item in questionnaire.items if item.role is Role.QUOTA]
    assert questionnaire.weight_item is not None


@pytest.mark.parametrize("code", SHIPPED)
def test_shipped_select_items_have_their_scale(code):
    questionnaire = default_questionnaires()[code]

    for item in questionnaire.items:
        scale = questionnaire.scale_of(item)
        assert (scale is not None) == (item.type in SELECTS), item.name


@pytest.mark.parametrize("code", SHIPPED)
def test_shipped_referential_targets_resolve(code):
    referential = default_referential()
    targets = [t for item in default_questionnaires()[code].items for t in item.referential]

    found = [referential.item(target) for target in targets]

    assert len(found) == len(targets)


def test_public_questionnaire_measures_the_published_figures():
    public = default_questionnaires()["public"]

    item = public.item("impact_territories")

    assert item.referential == ["published-figures/citoyens_2022_impact_territoires"]
    assert (public.version, public.population, public.synthetic) == (
        "2022.1",
        "french-public",
        True,
    )


def test_unknown_referential_target_is_located(tmp_path):
    error = refused(written(tmp_path, SMALL))

    assert error.message("fr") == (
        "L'élément 'levers/nowhere' n'existe pas dans le référentiel (fichier small.yaml, "
        "ligne 21, élément 'volunteer', champ 'referential', valeur 'levers/nowhere')"
    )
    assert error.message("en") == (
        "Item 'levers/nowhere' does not exist in the referential (file small.yaml, line 21, "
        "item 'volunteer', field 'referential', value 'levers/nowhere')"
    )


def test_valid_file_loads(tmp_path):
    path = written(tmp_path, SMALL.replace("      - levers/nowhere\n", ""))

    questionnaire = load_questionnaire(path)

    assert questionnaire.item("volunteer").referential == ["levers/benevoles"]


def test_unknown_field_names_its_line(tmp_path):
    error = refused(written(tmp_path, SMALL.replace("    role: id", "    rôle: id")))

    assert error.message("fr") == (
        "Champ inconnu (faute de frappe ?) (fichier small.yaml, ligne 14, "
        "champ 'items.0.rôle', valeur 'id')"
    )


def test_invalid_value_names_its_line(tmp_path):
    error = refused(written(tmp_path, SMALL.replace("type: text", "type: txt")))

    assert error.message("en") == (
        "Value not allowed (expected: 'select_one', 'select_multiple', 'integer', 'decimal' or "
        "'text') (file small.yaml, line 12, field 'items.0.type', value 'txt')"
    )


def test_duplicate_code_names_the_scale(tmp_path):
    text = SMALL.replace("{code: 2, label: {fr: Non", "{code: 1, label: {fr: Non")

    error = refused(written(tmp_path, text))

    assert error.message("en") == (
        "Duplicate code 1 in the scale (file small.yaml, line 6, field 'scales.0')"
    )


def test_yaml_syntax_error_names_line_and_column(tmp_path):
    error = refused(written(tmp_path, SMALL.replace("population: people", "population: [people")))

    assert error.message("en") == (
        "Unreadable YAML file: did not find expected ',' or ']' (file small.yaml, line 4, column 6)"
    )


def test_missing_file(tmp_path):
    error = refused(tmp_path / "nowhere.yaml")

    assert error.message("fr") == f"Questionnaire introuvable (fichier {tmp_path / 'nowhere.yaml'})"


def test_find_by_code():
    assert find_questionnaire("public") is default_questionnaires()["public"]


def test_find_by_yaml_path():
    questionnaire = find_questionnaire(str(DATA_DIR / "companies.yaml"))

    assert questionnaire == default_questionnaires()["companies"]


def test_find_by_xlsform_path(tmp_path):
    path = tmp_path / "form.xlsx"
    write_xlsform(default_questionnaires()["foundations"], path)

    assert find_questionnaire(str(path)) == default_questionnaires()["foundations"]


def test_unknown_name_lists_the_shipped_questionnaires():
    with pytest.raises(QuestionnaireError) as caught:
        find_questionnaire("citizens")

    assert caught.value.message("fr") == (
        "Questionnaire inconnu : 'citizens' (fournis : associations, companies, "
        "elected-officials, foundations, public ; ou un fichier YAML / XLSForm)"
    )
    assert caught.value.message("en") == (
        "Unknown questionnaire: 'citizens' (shipped: associations, companies, elected-officials, "
        "foundations, public; or a YAML / XLSForm file)"
    )


def test_missing_yaml_path_is_not_found_rather_than_unknown(tmp_path):
    with pytest.raises(QuestionnaireError) as caught:
        find_questionnaire(str(tmp_path / "citizens.yml"))

    assert caught.value.key == "questionnaire.file_missing"


FOLLOW_UP = (
    SMALL.replace("      - levers/nowhere\n", "")
    + """\
  - name: hours
    type: integer
    label: {fr: Heures, en: Hours}
    relevant: ${volunteer} = 1
    constraint: . <= 80
"""
)


def test_skip_logic_loads_parsed(tmp_path):
    questionnaire = load_questionnaire(written(tmp_path, FOLLOW_UP))

    hours = questionnaire.item("hours")
    assert hours.relevance is not None
    assert hours.relevance.names == {"volunteer"}
    assert hours.validity is not None
    assert hours.validity.evaluate({}, current=81) is False


def test_an_expression_that_does_not_parse_names_its_line(tmp_path):
    error = refused(written(tmp_path, FOLLOW_UP.replace("${volunteer} = 1", "${volunteer} =")))

    assert error.message("fr") == (
        "L'expression '${volunteer} =' s'arrête avant d'être complète (colonne 15) "
        "(fichier small.yaml, ligne 24, champ 'items.2.relevant', valeur '${volunteer} =')"
    )


def test_an_expression_naming_an_unknown_item_is_refused(tmp_path):
    error = refused(written(tmp_path, FOLLOW_UP.replace("${volunteer} = 1", "${volonteer} = 1")))

    assert error.message("en").startswith(
        "The expression '${volonteer} = 1' names an unknown item: volonteer (file small.yaml"
    )
