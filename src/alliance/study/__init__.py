"""Impact studies as data: ``study.yaml``, its check, its run, its results and its notebook.

A study is defined by a file (:mod:`alliance.study.definition`), checked with every file it names
(:mod:`alliance.study.check`), run wave by wave (:mod:`alliance.study.run`) into one record of
results (:mod:`alliance.study.results`), which the notebook, the open data files and the web
platform all read. No Django here: the platform publishes the results files.
"""

from alliance.study.definition import StudyDefinition, load_definition
from alliance.study.pipeline import check_study, run_study_file
from alliance.study.results import ESTIMATE_COLUMNS, Result, StudyResults, read_results

__all__ = [
    "ESTIMATE_COLUMNS",
    "Result",
    "StudyDefinition",
    "StudyResults",
    "check_study",
    "load_definition",
    "read_results",
    "run_study_file",
]
