"""Questionnaires: items, answer scales with missing codes, populations and versions.

Our YAML format and XLSForm, in and out. The questionnaires of the demo study's populations ship
with the project (:func:`default_questionnaires`).
"""

from alliance.survey.questionnaire.loader import (
    default_questionnaires,
    find_questionnaire,
    load_questionnaire,
)
from alliance.survey.questionnaire.model import (
    Choice,
    ItemType,
    Question,
    Questionnaire,
    Role,
    Scale,
)
from alliance.survey.questionnaire.xlsform import read_xlsform, write_xlsform

__all__ = [
    "Choice",
    "ItemType",
    "Question",
    "Questionnaire",
    "Role",
    "Scale",
    "default_questionnaires",
    "find_questionnaire",
    "load_questionnaire",
    "read_xlsform",
    "write_xlsform",
]
