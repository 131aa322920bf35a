"""Checking responses against their questionnaire: mapping, recoding, every problem located."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from alliance.survey.io import read_responses
from alliance.survey.io.responses import Responses
from alliance.survey.questionnaire import Questionnaire, default_questionnaires
from alliance.survey.validation import LISTED_PER_KIND, check_responses
from alliance.text import normalise

pytestmark = pytest.mark.unit

PUBLIC = default_questionnaires()["public"]
IMPACTS = [
    "impact_territories",
    "impact_territorial_innovation",
    "impact_people",
    "impact_company_performance",
    "impact_local_authority_performance",
    "impact_association_performance",
]

SMALL = Questionnaire.model_validate(
    {
        "questionnaire": "small",
        "version": "1",
        "population": "people",
        "title": {"fr": "Petit", "en": "Small"},
        "scales": [
            {
                "name": "partner",
                "choices": [
                    {"code": "a", "label": {"fr": "Associations", "en": "Associations"}},
                    {"code": "b", "label": {"fr": "Entreprises", "en": "Companies"}},
                ],
            },
        ],
        "items": [
            {
                "name": "id",
                "type": "text",
                "label": {"fr": "Identifiant", "en": "Identifier"},
                "required": True,
                "role": "id",
            },
            {
                "name": "w",
                "type": "decimal",
                "label": {"fr": "Poids", "en": "Weight"},
                "role": "weight",
            },
            {"name": "n", "type": "integer", "label": {"fr": "Nombre", "en": "Number"}},
            {"name": "d", "type": "decimal", "label": {"fr": "Durée", "en": "Duration"}},
            {
                "name": "partners",
                "type": "select_multiple",
                "scale": "partner",
                "label": {"fr": "Partenaires", "en": "Partners"},
            },
        ],
    }
)


def public_rows(count: int = 2, **changes: list[object]) -> dict[str, list[object]]:
    """Columns of ``count`` valid answers to the public questionnaire, some replaced."""
    columns: dict[str, list[object]] = {
        "respondent_id": [f"R{i}" for i in range(1, count + 1)],
        "weight": [1.0] * count,
        "sex": ["F"] * count,
        "age": ["18-24"] * count,
        "region": ["IDF"] * count,
        "occupation": ["retired"] * count,
        **{name: [1] * count for name in IMPACTS},
    }
    columns.update(changes)
    return columns


def csv_responses(columns, name="wave.csv") -> Responses:
    """Responses as a CSV reader gives them: data from line 2."""
    return Responses(
        frame=pl.DataFrame(columns, strict=False),
        path=Path(name),
        format="csv",
        first_row=2,
        row_unit="line",
    )


def keys(checked) -> list[str]:
    return [problem.key for problem in checked.problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Région", "region"),
        ("Région d'habitation", "region_d_habitation"),
        ("q1_Impact", "q1_impact"),
        ("  Âge (en années) ", "age_en_annees"),
        ("Île-de-France", "ile_de_france"),
    ],
)
def test_normalise_folds_case_accents_and_punctuation(text, expected):
    assert normalise(text) == expected


def test_clean_file_passes_whole():
    responses = csv_responses(public_rows())

    checked = check_responses(responses, PUBLIC)

    assert checked.problems == []
    assert checked.rejected.height == 0
    assert checked.responses.frame.columns == list(public_rows())
    assert checked.responses.frame["respondent_id"].to_list() == ["R1", "R2"]


def test_columns_match_names_ignoring_case_and_accents():
    columns = public_rows()
    columns["Région"] = columns.pop("region")
    columns["SEX"] = columns.pop("sex")

    checked = check_responses(csv_responses(columns), PUBLIC)

    assert checked.problems == []
    assert checked.mapping["Région"] == "region"
    assert checked.mapping["SEX"] == "sex"
    assert checked.responses.frame["region"].to_list() == ["IDF", "IDF"]


def test_columns_match_french_and_english_labels():
    columns = public_rows()
    columns["Sexe"] = columns.pop("sex")
    columns["Region of residence"] = columns.pop("region")
    columns["Catégorie socioprofessionnelle"] = columns.pop("occupation")

    checked = check_responses(csv_responses(columns), PUBLIC)

    assert checked.problems == []
    assert (
        checked.mapping["Sexe"],
        checked.mapping["Region of residence"],
        checked.mapping["Catégorie socioprofessionnelle"],
    ) == ("sex", "region", "occupation")


def test_explicit_mapping_names_the_item():
    columns = public_rows()
    columns["Q3"] = columns.pop("region")

    checked = check_responses(csv_responses(columns), PUBLIC, mapping={"Q3": "region"})

    assert checked.problems == []
    assert checked.mapping["Q3"] == "region"


def test_mapping_to_none_ignores_the_column():
    columns = public_rows(duree_interview=[312, 415])

    checked = check_responses(csv_responses(columns), PUBLIC, mapping={"duree_interview": None})

    assert checked.problems == []
    assert "duree_interview" not in checked.responses.frame.columns
    assert "duree_interview" not in checked.mapping


def test_mapping_to_an_unknown_item_refuses_the_file():
    columns = public_rows(Q9=[1, 2])

    checked = check_responses(csv_responses(columns), PUBLIC, mapping={"Q9": "impact_moon"})

    (problem,) = checked.problems
    assert problem.severity == "error"
    assert problem.message("fr") == (
        "Le fichier de correspondance vise une question inconnue : 'impact_moon' "
        "(fichier wave.csv, champ 'Q9')"
    )
    assert problem.message("en") == (
        "The mapping file points at an unknown item: 'impact_moon' (file wave.csv, field 'Q9')"
    )
    assert checked.file_errors == [problem]


def test_unknown_column_is_an_error_when_strict():
    columns = public_rows(extra=[1, 2])

    checked = check_responses(csv_responses(columns), PUBLIC)

    (problem,) = checked.errors
    assert problem.message("fr") == (
        "La colonne 'extra' ne correspond à aucune question (associez-la ou ignorez-la dans un "
        "fichier de correspondance) (fichier wave.csv, champ 'extra')"
    )
    assert checked.file_errors == [problem]


def test_unknown_column_is_a_warning_when_lenient_and_left_out():
    columns = public_rows(extra=[1, 2])

    checked = check_responses(csv_responses(columns), PUBLIC, lenient=True)

    (problem,) = checked.problems
    assert problem.severity == "warning"
    assert problem.message("en") == (
        "Column 'extra' matches no item (map it or ignore it in a mapping file) "
        "(file wave.csv, field 'extra')"
    )
    assert checked.errors == []
    assert "extra" not in checked.responses.frame.columns
    assert checked.responses.frame.height == 2


def test_second_column_for_the_same_item_is_unknown():
    columns = public_rows(Sexe=["F", "M"])

    checked = check_responses(csv_responses(columns), PUBLIC)

    (problem,) = checked.problems
    assert (problem.key, problem.location.field) == ("validation_rows.column_unknown", "Sexe")
    assert checked.mapping["sex"] == "sex"


def test_required_item_without_a_column():
    columns = public_rows()
    del columns["age"]

    checked = check_responses(csv_responses(columns), PUBLIC)

    (problem,) = checked.problems
    assert problem.message("fr") == (
        "Colonne absente pour la question obligatoire 'age' (fichier wave.csv)"
    )
    assert problem.message("en") == "No column for the required item 'age' (file wave.csv)"
    assert checked.file_errors == [problem]


def test_optional_item_may_have_no_column():
    checked = check_responses(csv_responses(public_rows()), PUBLIC)

    assert "agglomeration" not in checked.responses.frame.columns
    assert checked.problems == []


def test_labels_are_recoded_to_codes():
    columns = public_rows(
        3,
        impact_territories=["Très fort", "strong", "NE SAIT PAS"],
        sex=["Femme", "man", "F"],
    )

    checked = check_responses(csv_responses(columns), PUBLIC)

    assert checked.problems == []
    assert checked.responses.frame["impact_territories"].to_list() == [1, 2, 9]
    assert checked.responses.frame["impact_territories"].dtype == pl.Int64
    assert checked.responses.frame["sex"].to_list() == ["F", "M", "F"]


def test_code_outside_the_scale_names_file_line_column_and_value():
    columns = public_rows(3, impact_people=[1, 7, 2])

    checked = check_responses(csv_responses(columns), PUBLIC)

    (problem,) = checked.problems
    assert problem.message("fr") == (
        "Code hors de l'échelle (codes permis : 1, 2, 3, 4, 9) "
        "(fichier wave.csv, ligne 3, champ 'impact_people', valeur 7)"
    )
    assert problem.message("en") == (
        "Code outside the scale (allowed codes: 1, 2, 3, 4, 9) "
        "(file wave.csv, line 3, field 'impact_people', value 7)"
    )
    assert checked.responses.frame["respondent_id"].to_list() == ["R1", "R3"]


def test_codes_the_file_declares_missing_are_kept_and_left_out_of_estimates():
    """SPSS user-missing values: 8 (« refus ») is not a code of the scale, 9 is one."""
    columns = public_rows(3, impact_people=[1.0, 8.0, 9.0])
    responses = replace(
        csv_responses(columns, "wave.sav"), missing_codes={"impact_people": [8.0, 9.0]}
    )

    checked = check_responses(responses, PUBLIC)

    assert checked.problems == []
    assert checked.responses.frame["impact_people"].to_list() == [1, 8, 9]
    assert checked.responses.missing_codes["impact_people"] == [9, 8]
    assert checked.responses.for_estimates()["impact_people"].to_list() == [1, None, None]


def test_decimal_code_is_outside_an_integer_scale():
    columns = public_rows(impact_people=[1.0, 1.5])

    checked = check_responses(csv_responses(columns), PUBLIC)

    assert keys(checked) == ["validation_rows.code_outside_scale"]
    assert checked.problems[0].location.value == 1.5


def test_text_code_outside_the_scale_is_named_with_the_codes():
    columns = public_rows(sex=["F", "X"])

    checked = check_responses(csv_responses(columns), PUBLIC, lang="en")

    (problem,) = checked.problems
    assert problem.text("en") == "Code outside the scale (allowed codes: F, M)"
    assert problem.location.value == "X"


def test_missing_answer_to_a_required_item():
    columns = public_rows(impact_people=[1, None])

    checked = check_responses(csv_responses(columns), PUBLIC)

    (problem,) = checked.problems
    assert problem.message("en") == (
        "Missing answer to a required item (file wave.csv, line 3, field 'impact_people')"
    )


def test_integers_are_checked_and_kept_as_numbers():
    columns = {"id": ["1", "2", "3", "4"], "n": ["2", "x", "1,5", " 4 "]}

    checked = check_responses(csv_responses(columns), SMALL, lang="en")

    assert [(p.key, p.location.line, p.location.value) for p in checked.problems] == [
        ("validation_rows.not_a_number", 3, "x"),
        ("validation_rows.not_an_integer", 4, "1,5"),
    ]
    assert checked.problems[0].text("fr") == "Nombre attendu"
    assert checked.problems[1].text("en") == "A whole number was expected"
    assert checked.responses.frame["n"].to_list() == [2.0, 4.0]


def test_decimals_written_with_a_comma_or_a_point():
    columns = {"id": ["1", "2", "3"], "d": ["1,5", "2.25", "3"]}

    checked = check_responses(csv_responses(columns), SMALL)

    assert checked.problems == []
    assert checked.responses.frame["d"].to_list() == [1.5, 2.25, 3.0]


def test_decimal_comma_of_a_french_csv_file(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("id;w;d\nR1;1,5;0,25\nR2;2;1\n", encoding="utf-8")

    checked = check_responses(read_responses(path), SMALL)

    assert checked.problems == []
    assert checked.responses.frame["w"].to_list() == [1.5, 2.0]
    assert checked.responses.frame["d"].to_list() == [0.25, 1.0]


def test_negative_and_missing_weights_are_rejected():
    columns = {"id": ["1", "2", "3"], "w": [1.0, -0.5, None]}

    checked = check_responses(csv_responses(columns), SMALL)

    assert [p.message("fr") for p in checked.problems] == [
        "Poids négatif (fichier wave.csv, ligne 3, champ 'w', valeur -0.5)",
        "Poids manquant (fichier wave.csv, ligne 4, champ 'w')",
    ]
    assert checked.responses.frame["id"].to_list() == ["1"]


def test_missing_respondent_id():
    columns = {"id": ["1", None, ""]}

    checked = check_responses(csv_responses(columns), SMALL)

    assert [(p.key, p.location.line) for p in checked.problems] == [
        ("validation_rows.id_missing", 3),
        ("validation_rows.id_missing", 4),
    ]
    assert checked.problems[0].message("en") == (
        "Missing respondent identifier (file wave.csv, line 3, field 'id')"
    )


def test_duplicate_ids_reject_only_the_later_occurrences():
    columns = {"id": ["R1", "R2", "R1", "R1"]}

    checked = check_responses(csv_responses(columns), SMALL)

    assert [p.message("fr") for p in checked.problems] == [
        "Identifiant de répondant en double (fichier wave.csv, ligne 4, champ 'id', valeur 'R1')",
        "Identifiant de répondant en double (fichier wave.csv, ligne 5, champ 'id', valeur 'R1')",
    ]
    assert checked.responses.frame["id"].to_list() == ["R1", "R2"]
    assert checked.rejected["line"].to_list() == [4, 5]


def test_duplicate_ids_in_a_file_sorted_by_id():
    columns = {"id": ["R1", "R2", "R2", "R2", "R3"]}

    checked = check_responses(csv_responses(columns), SMALL)

    assert checked.responses.frame["id"].to_list() == ["R1", "R2", "R3"]
    assert checked.rejected["line"].to_list() == [4, 5]


def test_select_multiple_as_one_column_of_space_separated_codes():
    columns = {"id": ["1", "2", "3"], "partners": ["a b", "b", "a c"]}

    checked = check_responses(csv_responses(columns), SMALL)

    (problem,) = checked.problems
    assert problem.message("en") == (
        "Code outside the scale (allowed codes: a, b) "
        "(file wave.csv, line 4, field 'partners', value 'a c')"
    )
    assert checked.responses.frame["partners"].to_list() == ["a b", "b"]


def test_select_multiple_as_one_binary_column_per_choice():
    columns = {"id": ["1", "2", "3"], "partners.a": [1, 0, 1], "partners.b": ["0", "1", "2"]}

    checked = check_responses(csv_responses(columns), SMALL)

    assert checked.mapping == {"id": "id", "partners.a": "partners.a", "partners.b": "partners.b"}
    (problem,) = checked.problems
    assert problem.message("fr") == (
        "0 ou 1 attendu (fichier wave.csv, ligne 4, champ 'partners.b', valeur '2')"
    )
    valid = checked.responses.frame
    assert (valid["partners.a"].to_list(), valid["partners.b"].to_list()) == ([1, 0], [0, 1])


def test_rejected_rows_keep_their_original_columns_with_reasons_and_line():
    columns = public_rows(3, sex=["F", "X", "M"], impact_people=["Fort", "7", "2"])

    checked = check_responses(csv_responses(columns), PUBLIC, lang="en")

    rejected = checked.rejected
    assert rejected.columns == [*columns, "reasons", "line"]
    assert rejected.to_dicts()[0] | {"reasons": None} == {
        **{name: values[1] for name, values in columns.items()},
        "reasons": None,
        "line": 3,
    }
    assert rejected["reasons"].to_list() == [
        "sex: Code outside the scale (allowed codes: F, M) ; "
        "impact_people: Code outside the scale (allowed codes: 1, 2, 3, 4, 9)"
    ]


def test_rejected_rows_of_a_spreadsheet_are_numbered_by_row():
    responses = Responses(
        frame=pl.DataFrame({"id": ["1", "1"]}), path=Path("wave.xlsx"), format="xlsx", first_row=5
    )

    checked = check_responses(responses, SMALL, lang="fr")

    assert checked.rejected.to_dicts() == [
        {"id": "1", "reasons": "id: Identifiant de répondant en double", "row": 6}
    ]
    assert checked.problems[0].location.row == 6


def test_problems_of_one_kind_are_listed_up_to_the_cap_then_counted():
    count = LISTED_PER_KIND + 3
    columns = public_rows(count, impact_people=[7] * count)

    checked = check_responses(csv_responses(columns), PUBLIC)

    assert len(checked.problems) == LISTED_PER_KIND + 1
    assert checked.problems[LISTED_PER_KIND - 1].location.line == LISTED_PER_KIND + 1
    more = checked.problems[-1]
    assert more.message("fr") == (
        "… et 3 autres lignes : Code hors de l'échelle (codes permis : 1, 2, 3, 4, 9) "
        "(fichier wave.csv, champ 'impact_people')"
    )
    assert checked.rejected.height == count


def test_count_of_further_problems_reads_in_english_too():
    count = LISTED_PER_KIND + 3
    columns = public_rows(count, impact_people=[7] * count)

    checked = check_responses(csv_responses(columns), PUBLIC, lang="fr")

    assert checked.problems[-1].message("en") == (
        "… and 3 more rows: Code outside the scale (allowed codes: 1, 2, 3, 4, 9) "
        "(file wave.csv, field 'impact_people')"
    )


def test_missing_codes_and_labels_travel_with_the_valid_responses():
    checked = check_responses(csv_responses(public_rows()), PUBLIC, lang="en")

    responses = checked.responses
    assert responses.missing_codes == {name: [9] for name in IMPACTS}
    assert responses.variable_labels["sex"] == "Sex"
    assert responses.value_labels["impact_people"] == {
        1: "Very strong",
        2: "Strong",
        3: "Weak",
        4: "None at all",
        9: "Does not know",
    }
    assert responses.path == Path("wave.csv")


def test_labels_in_french():
    checked = check_responses(csv_responses(public_rows()), PUBLIC, lang="fr")

    assert checked.responses.variable_labels["region"] == "Région de résidence"
    assert checked.responses.value_labels["sex"] == {"F": "Femme", "M": "Homme"}


def test_csv_read_from_disk_is_checked_with_its_lines(tmp_path):
    path = tmp_path / "export.csv"
    pl.DataFrame(public_rows(3, region=["IDF", "Bretagne", "Mars"])).write_csv(path)

    checked = check_responses(read_responses(path), PUBLIC)

    (problem,) = checked.problems
    assert (problem.location.file, problem.location.line, problem.location.value) == (
        "export.csv",
        4,
        "Mars",
    )
    assert checked.responses.frame["region"].to_list() == ["IDF", "BRE"]


def test_rejected_rows_keep_an_item_named_reasons():
    questionnaire = Questionnaire.model_validate(
        {
            "questionnaire": "why",
            "version": "1",
            "population": "people",
            "title": {"fr": "Pourquoi", "en": "Why"},
            "items": [
                {
                    "name": "id",
                    "type": "text",
                    "label": {"fr": "Identifiant", "en": "Identifier"},
                    "required": True,
                    "role": "id",
                },
                {"name": "reasons", "type": "text", "label": {"fr": "Raisons", "en": "Reasons"}},
            ],
        }
    )
    responses = csv_responses({"id": ["1", "1"], "reasons": ["proximité", "confiance"]})

    checked = check_responses(responses, questionnaire)

    assert "confiance" in checked.rejected.row(0)
