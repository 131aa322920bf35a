"""XLSForm in and out: ours round-trips and pyxform accepts it; other tools' forms read too."""

from __future__ import annotations

import pytest
from openpyxl import Workbook, load_workbook
from pyxform.xls2xform import xls2xform_convert  # type: ignore[import-untyped]

from alliance.errors import QuestionnaireError
from alliance.survey.questionnaire import (
    ItemType,
    Questionnaire,
    default_questionnaires,
    read_xlsform,
    write_xlsform,
)

pytestmark = pytest.mark.unit

SHIPPED = sorted(default_questionnaires())
OTHER_TOOL_SURVEY = [
    ["type", "name", "label", "required"],
    ["begin_group", "about", "À propos de vous", None],
    ["note", "hello", "Merci de répondre", None],
    ["select_one yesno", "volunteer", "Êtes-vous bénévole ?", "yes"],
    ["integer", "age", "Âge", None],
    ["end_group", None, None, None],
]
OTHER_TOOL_CHOICES = [
    ["list_name", "name", "label"],
    ["yesno", "yes", "Oui"],
    ["yesno", "no", "Non"],
]


def workbook(path, survey, choices=None, settings=None):
    """An XLSForm as another tool writes it: only the sheets and columns given."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    for title, rows in (("choices", choices), ("settings", settings)):
        if rows is not None:
            extra = book.create_sheet(title)
            for row in rows:
                extra.append(row)
    book.save(path)
    return path


def refused(path) -> QuestionnaireError:
    with pytest.raises(QuestionnaireError) as caught:
        read_xlsform(path)
    return caught.value


@pytest.mark.parametrize("code", SHIPPED)
def test_round_trip_of_a_shipped_questionnaire_is_equal(tmp_path, code):
    questionnaire = default_questionnaires()[code]
    path = tmp_path / f"{code}.xlsx"

    write_xlsform(questionnaire, path)

    assert read_xlsform(path) == questionnaire


def test_written_workbook_has_the_xlsform_sheets_and_bilingual_labels(tmp_path):
    path = tmp_path / "public.xlsx"

    write_xlsform(default_questionnaires()["public"], path)

    book = load_workbook(path)
    assert book.sheetnames == ["survey", "choices", "settings"]
    survey_header = [cell.value for cell in book["survey"][1]]
    choices_header = [cell.value for cell in book["choices"][1]]
    assert survey_header[:4] == ["type", "name", "label::Français (fr)", "label::English (en)"]
    assert choices_header[:4] == [
        "list_name",
        "name",
        "label::Français (fr)",
        "label::English (en)",
    ]
    assert [cell.value for cell in book["survey"][4]][:5] == [
        "select_one sex",
        "sex",
        "Sexe",
        "Sex",
        "yes",
    ]
    settings = {
        header.value: value.value
        for header, value in zip(*book["settings"].iter_rows(), strict=True)
    }
    assert (settings["form_id"], settings["version"]) == ("public", "2022.1")
    assert settings["default_language"] == "Français (fr)"


@pytest.mark.parametrize("code", SHIPPED)
def test_pyxform_accepts_the_written_form(tmp_path, code):
    path = tmp_path / f"{code}.xlsx"
    write_xlsform(default_questionnaires()[code], path)
    xml = tmp_path / f"{code}.xml"

    warnings = xls2xform_convert(path, xml, validate=False)

    assert xml.exists()
    assert warnings == []


def test_form_made_by_another_tool(tmp_path):
    path = workbook(tmp_path / "kobo.xlsx", OTHER_TOOL_SURVEY, OTHER_TOOL_CHOICES)

    questionnaire = read_xlsform(path)

    assert [item.name for item in questionnaire.items] == ["volunteer", "age"]
    volunteer = questionnaire.item("volunteer")
    assert (volunteer.type, volunteer.scale, volunteer.required) == (
        ItemType.SELECT_ONE,
        "yesno",
        True,
    )
    assert (volunteer.label("fr"), volunteer.label("en")) == ("Êtes-vous bénévole ?",) * 2
    scale = questionnaire.scale_of(volunteer)
    assert scale is not None
    assert scale.codes() == ["yes", "no"]
    assert questionnaire.item("age").type is ItemType.INTEGER
    assert (questionnaire.questionnaire, questionnaire.version, questionnaire.population) == (
        "kobo",
        "1",
        "unspecified",
    )


def test_settings_and_language_columns_of_another_tool(tmp_path):
    survey = [
        ["type", "name", "label::English (en)", "label::Français (fr)", "required"],
        ["select_one yesno", "volunteer", "Volunteer?", "Bénévole ?", "TRUE"],
    ]
    choices = [
        ["list_name", "name", "label::English (en)", "label::Français (fr)"],
        ["yesno", 1, "Yes", "Oui"],
        ["yesno", 2.0, "No", "Non"],
    ]
    settings = [["form_id", "form_title", "version"], ["wave_2024", "Vague 2024", 2024061201]]
    path = workbook(tmp_path / "form.xlsx", survey, choices, settings)

    questionnaire = read_xlsform(path)

    assert (questionnaire.questionnaire, questionnaire.version) == ("wave_2024", "2024061201")
    assert questionnaire.title("en") == "Vague 2024"
    volunteer = questionnaire.item("volunteer")
    assert (volunteer.label("fr"), volunteer.label("en"), volunteer.required) == (
        "Bénévole ?",
        "Volunteer?",
        True,
    )
    scale = questionnaire.scale_of(volunteer)
    assert scale is not None
    assert scale.codes() == [1, 2]
    assert scale.choices[1].label("en") == "No"


def test_unsupported_type_is_located(tmp_path):
    survey = [*OTHER_TOOL_SURVEY, ["geopoint", "where", "Où êtes-vous ?", None]]
    path = workbook(tmp_path / "geo.xlsx", survey, OTHER_TOOL_CHOICES)

    error = refused(path)

    assert error.message("fr") == (
        "Type de question non pris en charge : 'geopoint' "
        "(fichier geo.xlsx, rangée 7, champ 'type', valeur 'geopoint')"
    )
    assert error.message("en") == (
        "Unsupported question type: 'geopoint' "
        "(file geo.xlsx, row 7, field 'type', value 'geopoint')"
    )


def test_missing_choices_sheet(tmp_path):
    path = workbook(tmp_path / "form.xlsx", OTHER_TOOL_SURVEY)

    error = refused(path)

    assert error.message("fr") == "Feuille 'choices' absente du XLSForm (fichier form.xlsx)"
    assert error.message("en") == "Sheet 'choices' is missing from the XLSForm (file form.xlsx)"


def test_invalid_item_names_its_sheet_row(tmp_path):
    survey = [["type", "name", "label"], ["integer", "n", "N"], ["text", "2nd", "Second"]]
    path = workbook(tmp_path / "form.xlsx", survey, [["list_name", "name", "label"]])

    error = refused(path)

    assert error.message("en") == (
        "Invalid format (expected: ^[A-Za-z_][A-Za-z0-9_.]*$) (file form.xlsx, row 3, field 'name')"
    )


def test_select_with_an_unknown_list(tmp_path):
    survey = [["type", "name", "label"], ["select_one nope", "v", "V"]]
    path = workbook(tmp_path / "form.xlsx", survey, OTHER_TOOL_CHOICES)

    assert refused(path).message("fr") == "Échelle inconnue : nope (fichier form.xlsx)"


def test_missing_file(tmp_path):
    error = refused(tmp_path / "form.xlsx")

    assert error.message("en") == f"Questionnaire not found (file {tmp_path / 'form.xlsx'})"


def test_file_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "form.xlsx"
    path.write_text("type,name\n", encoding="utf-8")

    error = refused(path)

    assert error.location.file == "form.xlsx"
    assert "File is not a zip file" in error.message("en")


def test_file_that_is_not_a_workbook_is_not_called_yaml(tmp_path):
    path = tmp_path / "form.xlsx"
    path.write_text("type,name\n", encoding="utf-8")

    error = refused(path)

    assert "YAML" not in error.message("fr")
    assert "YAML" not in error.message("en")


def test_text_codes_with_leading_zeros_survive_the_round_trip(tmp_path):
    questionnaire = Questionnaire.model_validate(
        {
            "questionnaire": "departments",
            "version": "1",
            "population": "people",
            "title": {"fr": "Départements", "en": "Departments"},
            "scales": [
                {
                    "name": "department",
                    "choices": [
                        {"code": "01", "label": {"fr": "Ain", "en": "Ain"}},
                        {"code": "2A", "label": {"fr": "Corse-du-Sud", "en": "Corse-du-Sud"}},
                    ],
                }
            ],
            "items": [
                {
                    "name": "department",
                    "type": "select_one",
                    "scale": "department",
                    "label": {"fr": "Département", "en": "Department"},
                }
            ],
        }
    )
    path = tmp_path / "departments.xlsx"
    write_xlsform(questionnaire, path)

    back = read_xlsform(path)

    assert back.scales[0].codes() == ["01", "2A"]


def test_form_without_settings_reads_whatever_its_file_name(tmp_path):
    path = workbook(tmp_path / "Enquête Kobo.xlsx", OTHER_TOOL_SURVEY, OTHER_TOOL_CHOICES)

    questionnaire = read_xlsform(path)

    assert [item.name for item in questionnaire.items] == ["volunteer", "age"]


SKIPPING_SURVEY: list[list[str | None]] = [
    ["type", "name", "label", "required", "relevant", "constraint", "constraint_message"],
    ["select_one yesno", "volunteer", "Êtes-vous bénévole ?", "yes", None, None, None],
    ["begin_group", "time", "Votre temps", None, "${volunteer} = 'yes'", None, None],
    ["integer", "hours", "Heures par mois", "yes", None, ". >= 0 and . <= 300", "de 0 à 300"],
    ["text", "why", "Pourquoi tant ?", None, "${hours} > 100", None, None],
    ["end_group", None, None, None, None, None, None],
]


def test_skip_logic_of_groups_and_items_is_read(tmp_path):
    path = workbook(tmp_path / "kobo.xlsx", SKIPPING_SURVEY, OTHER_TOOL_CHOICES)

    questionnaire = read_xlsform(path)

    hours, why = questionnaire.item("hours"), questionnaire.item("why")
    assert hours.relevant == "${volunteer} = 'yes'"
    assert hours.constraint == ". >= 0 and . <= 300"
    assert hours.constraint_message is not None
    assert hours.constraint_message.fr == "de 0 à 300"
    assert why.relevant == "(${volunteer} = 'yes') and (${hours} > 100)"
    assert why.relevance is not None
    assert not why.relevance.evaluate({"volunteer": "no", "hours": 200})
    assert why.relevance.evaluate({"volunteer": "yes", "hours": 200})


def test_skip_logic_round_trips_and_pyxform_accepts_it(tmp_path):
    questionnaire = read_xlsform(
        workbook(tmp_path / "kobo.xlsx", SKIPPING_SURVEY, OTHER_TOOL_CHOICES)
    )
    path, xml = tmp_path / "ours.xlsx", tmp_path / "ours.xml"

    write_xlsform(questionnaire, path)

    assert read_xlsform(path) == questionnaire
    xls2xform_convert(path, xml, validate=False)
    assert 'relevant="(' in xml.read_text(encoding="utf-8")


def test_a_broken_expression_names_its_sheet_row_and_column(tmp_path):
    survey: list[list[str | None]] = [list(row) for row in SKIPPING_SURVEY]
    survey[4][4] = "${hours} >> 100"
    path = workbook(tmp_path / "kobo.xlsx", survey, OTHER_TOOL_CHOICES)

    error = refused(path)

    assert error.message("fr") == (
        "L'expression \"(${volunteer} = 'yes') and (${hours} >> 100)\" ne se lit pas à la "
        "colonne 39 : '>' inattendu (fichier kobo.xlsx, rangée 5, champ 'relevant')"
    )
