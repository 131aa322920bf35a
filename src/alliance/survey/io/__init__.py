"""Reading what pollsters and collection tools deliver, and writing responses back.

Readers return :class:`Responses` (a Polars frame with labels, missing codes and where each row came
from): CSV as people write it, XLSX, SPSS, Stata and Parquet. Writers produce Parquet with metadata
(the internal format), SPSS with labels, XLSX and CSV.
"""

from alliance.survey.io.margins import read_margins, read_targets
from alliance.survey.io.reading import READABLE, read_responses
from alliance.survey.io.responses import Responses
from alliance.survey.io.writing import WRITABLE, write_responses

__all__ = [
    "READABLE",
    "WRITABLE",
    "Responses",
    "read_margins",
    "read_responses",
    "read_targets",
    "write_responses",
]
