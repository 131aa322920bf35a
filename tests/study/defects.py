"""A wave with known defects, for the tests of the workspace (core and web alike).

The fixture study's French CSV (« ; », Windows-1252) with, on line 3 (respondent H24-0002), the
answer « Énorme » to ``q_impact`` (no such label) and one more column, ``remarque``, that no item
of the questionnaire matches.
"""

from __future__ import annotations

from pathlib import Path

HAND_CSV = Path(__file__).parent / "data" / "hand-study" / "data" / "habitants-2024.csv"


def defective_csv() -> bytes:
    """Return the defective wave's bytes (Windows-1252, as the pollster delivered it)."""
    lines = HAND_CSV.read_bytes().decode("cp1252").splitlines()
    assert lines[2].startswith("H24-0002;")
    assert lines[2].endswith(";Fort;4")
    lines[2] = lines[2].removesuffix(";Fort;4") + ";Énorme;4"
    lines = [f"{line};{'remarque' if i == 0 else 'ras'}" for i, line in enumerate(lines)]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")
