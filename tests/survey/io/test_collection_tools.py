"""KoboToolbox and LimeSurvey exports import without hand editing.

The export files are built here after the tools' documented formats:
- KoboToolbox "Export data" (CSV, ``;`` separated, "XML values and headers", "include groups in
  headers" with ``/``, select_multiple as one column of space-separated choices *and* as separate
  0/1 columns ``group/question/choice``, metadata columns ``start``, ``end``, ``_id``, ``_uuid``,
  ``_submission_time``, ``_index``), https://support.kobotoolbox.org/export_download.html;
- LimeSurvey "Export responses" (CSV, question codes or full question texts as headers, answer
  codes or full answer texts, subquestions as ``Q[SQ]``, multiple choice as ``Y`` / empty, and the
  columns ``id``, ``submitdate``, ``lastpage``, ``startlanguage``, ``seed``),
  https://www.limesurvey.org/manual/Export_responses.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance.survey.io import read_responses
from alliance.survey.io.collection_tools import candidate_names, detect_tool
from alliance.survey.questionnaire import load_questionnaire
from alliance.survey.validation import check_responses

pytestmark = pytest.mark.unit

QUESTIONNAIRE = load_questionnaire(Path(__file__).parent / "data" / "kobo_partnerships.yaml")

KOBO = (
    "start;end;identite/impact_own;identite/categories;identite/categories/mecenat;"
    "identite/categories/pratiques_responsables;identite/categories/cooperation_economique;"
    "identite/partners;_id;_uuid;_submission_time;_index\n"
    "2022-05-02T10:00;2022-05-02T10:07;1;mecenat cooperation_economique;1;0;1;3;11;"
    "a1b2;2022-05-02T10:08;1\n"
    "2022-05-03T09:00;2022-05-03T09:05;3;pratiques_responsables;0;1;0;1;12;c3d4;"
    "2022-05-03T09:06;2\n"
)

LIMESURVEY_CODES = (
    "id,submitdate,lastpage,startlanguage,seed,impact_own,categories[mecenat],"
    "categories[pratiques_responsables],categories[cooperation_economique],partners\n"
    "1,2022-05-02 10:07:00,3,fr,123,1,Y,,Y,3\n"
    "2,2022-05-03 09:05:00,3,fr,456,2,,Y,,1\n"
)

LIMESURVEY_TEXTS = (
    'id,submitdate,lastpage,startlanguage,seed,"Impact des alliances sur votre performance",'
    '"Nombre de partenaires"\n'
    '1,2022-05-02 10:07:00,3,fr,123,"Très fort",3\n'
    '2,2022-05-03 09:05:00,3,fr,456,"Ne sait pas",1\n'
)


def check(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return check_responses(read_responses(path), QUESTIONNAIRE, lang="en")


def test_kobo_export_maps_groups_choices_and_the_submission_id(tmp_path):
    checked = check(tmp_path, "kobo.csv", KOBO)

    assert checked.errors == []
    frame = checked.responses.frame
    assert frame["respondent_id"].to_list() == ["a1b2", "c3d4"]
    assert frame["impact_own"].to_list() == [1, 3]
    assert frame["categories"].to_list() == [
        "mecenat cooperation_economique",
        "pratiques_responsables",
    ]
    assert frame["categories.mecenat"].to_list() == [1, 0]
    assert frame["partners"].to_list() == [3.0, 1.0]
    (warning,) = checked.problems
    assert warning.message("en") == (
        "Columns of the collection tool (kobotoolbox), set aside: start, end, _id, "
        "_submission_time, _index (file kobo.csv)"
    )


def test_limesurvey_export_with_codes(tmp_path):
    checked = check(tmp_path, "limesurvey.csv", LIMESURVEY_CODES)

    assert checked.errors == []
    frame = checked.responses.frame
    assert frame["respondent_id"].to_list() == ["1", "2"]
    assert frame["categories.mecenat"].to_list() == [1, None]
    assert frame["categories.pratiques_responsables"].to_list() == [None, 1]


def test_limesurvey_export_with_full_texts(tmp_path):
    checked = check(tmp_path, "limesurvey.csv", LIMESURVEY_TEXTS)

    assert checked.errors == []
    assert checked.responses.frame["impact_own"].to_list() == [1, 9]
    assert checked.responses.for_estimates()["impact_own"].to_list() == [1, None]


def test_plain_files_are_no_tool_export():
    assert detect_tool(["respondent_id", "q1"]) is None
    assert candidate_names("q1") == ["q1"]
