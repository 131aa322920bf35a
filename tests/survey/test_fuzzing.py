"""Fuzzing the CSV and XLSForm readers: whatever the bytes, our error or a result, never a crash."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from alliance.errors import DataFileError, QuestionnaireError
from alliance.survey.io.delimited import read_delimited
from alliance.survey.questionnaire import Questionnaire, read_xlsform

pytestmark = pytest.mark.unit

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Characters that matter to a CSV reader, and some that matter to people.
CSV_ALPHABET = st.sampled_from([*';,\t|"\n\r 0123456789.-abcAZéÉ€«»NA', "\x00", "\ufeff"])
CELLS = st.one_of(
    st.none(),
    st.integers(-5, 12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(alphabet=st.sampled_from(list("abc _/-:éÉ()12 ")), max_size=12),
    st.sampled_from(["select_one s", "select_multiple s", "integer", "text", "begin_group", "yes"]),
)


@FUZZ
@given(
    content=st.one_of(
        st.binary(max_size=400),
        st.text(alphabet=CSV_ALPHABET, max_size=400).map(lambda t: t.encode("utf-8")),
        st.text(alphabet=CSV_ALPHABET, max_size=400).map(
            lambda t: t.encode("cp1252", errors="replace")
        ),
    )
)
def test_csv_reader_returns_responses_or_raises_our_error(content):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_bytes(content)
        try:
            responses = read_delimited(path)
        except DataFileError as error:
            place = error.location.file
        else:
            place = "fuzz.csv" if responses.frame.height > 0 else "no rows"
        assert place == "fuzz.csv"


@FUZZ
@given(
    survey=st.lists(st.lists(CELLS, min_size=1, max_size=6), max_size=8),
    choices=st.lists(st.lists(CELLS, min_size=1, max_size=5), max_size=8),
    with_settings=st.booleans(),
)
def test_xlsform_reader_returns_a_questionnaire_or_raises_our_error(survey, choices, with_settings):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.xlsx"
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "survey"
        for row in [["type", "name", "label", "required"], *survey]:
            sheet.append(row)
        listed = book.create_sheet("choices")
        for row in [["list_name", "name", "label"], *choices]:
            listed.append(row)
        if with_settings:
            book.create_sheet("settings").append(["form_id", "version"])
        book.save(path)
        try:
            result: object = read_xlsform(path)
        except QuestionnaireError as error:
            result = error.location.file
        assert result == "fuzz.xlsx" or isinstance(result, Questionnaire)
