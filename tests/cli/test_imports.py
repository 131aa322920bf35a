"""``alliance survey import|validate``: strict refusal, lenient import, rejected rows, reports."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import signal
import subprocess
import time

import polars as pl
import pyreadstat
import pytest
from typer.testing import CliRunner

from alliance.cli import app
from alliance.cli.imports import _terminable
from alliance.files import atomic_paths
from alliance.survey.io.parquet import read_parquet, stored_questionnaire
from alliance.survey.problems import PROBLEM_COLUMNS
from alliance.survey.questionnaire import default_questionnaires

pytestmark = pytest.mark.integration

runner = CliRunner()

HEADER = (
    "respondent_id;weight;sex;age;region;occupation;impact_territories;"
    "impact_territorial_innovation;impact_people;impact_company_performance;"
    "impact_local_authority_performance;impact_association_performance\n"
)
VALID_ROWS = (
    "R1;1,5;F;18-24;IDF;retired;1;2;3;4;9;1\nR2;0,5;M;65+;ARA;csp_plus;Très fort;Fort;2;2;2;2\n"
)
# Line 3: sex X; line 4: impact_territories 7.
BAD_ROWS = (
    "R1;1,5;F;18-24;IDF;retired;1;2;3;4;9;1\n"
    "R2;0,5;X;65+;ARA;csp_plus;Très fort;Fort;2;2;2;2\n"
    "R3;1;F;25-34;BRE;inactive;7;1;1;1;1;1\n"
)
REFUSED = "Erreur : Fichier refusé : 2 erreur(s) (rien n'a été écrit)\n"


def run(*args: str):
    return runner.invoke(app, ["survey", *args], env={"COLUMNS": "160"})


def responses_file(tmp_path, rows=VALID_ROWS, header=HEADER, name="wave.csv"):
    path = tmp_path / name
    path.write_text(header + rows, encoding="utf-8")
    return path


def test_validate_a_clean_file(tmp_path):
    data = responses_file(tmp_path)

    result = run("validate", str(data), "-q", "public")

    assert result.exit_code == 0, result.output
    assert "wave.csv : 2 lignes lues (csv, encoding=utf-8, separator=;, decimal=,)" in result.stderr
    assert "Conforme au questionnaire public (2022.1) : 2 réponses" in result.stderr
    assert result.stdout == ""


def test_validate_in_english(tmp_path):
    data = responses_file(tmp_path)

    result = run("validate", str(data), "-q", "public", "--lang", "en")

    assert result.exit_code == 0, result.output
    assert "Conforms to questionnaire public (2022.1): 2 responses" in result.stderr


def test_validate_a_file_with_errors_lists_them_and_exits_1(tmp_path):
    data = responses_file(tmp_path, BAD_ROWS)

    result = run("validate", str(data), "-q", "public")

    assert result.exit_code == 1
    assert result.stderr.endswith(REFUSED)
    assert "Problèmes — wave.csv" in result.stdout
    assert "Code hors de l'échelle (codes permis : F, M)" in result.stdout
    assert "Conforme" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wave.csv"]


def test_strict_import_refuses_the_file_and_writes_nothing(tmp_path):
    data = responses_file(tmp_path, BAD_ROWS)
    output = tmp_path / "out.parquet"

    result = run("import", str(data), "-q", "public", "-o", str(output))

    assert result.exit_code == 1
    assert result.stderr.endswith(REFUSED)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wave.csv"]


def test_strict_import_refusal_in_english(tmp_path):
    data = responses_file(tmp_path, BAD_ROWS)

    result = run("import", str(data), "-q", "public", "-o", str(tmp_path / "o.csv"), "--lang", "en")

    assert result.exit_code == 1
    assert result.stderr.endswith("Error: File refused: 2 error(s) (nothing was written)\n")


def test_lenient_import_writes_valid_rows_with_the_questionnaire(tmp_path):
    data = responses_file(tmp_path, BAD_ROWS)
    output = tmp_path / "out.parquet"

    result = run("import", str(data), "-q", "public", "-o", str(output), "--lenient")

    assert result.exit_code == 0, result.output
    assert "1 réponses valides écrites dans" in result.stderr
    assert "2 lignes rejetées écrites, avec leurs motifs, dans" in result.stderr
    written = read_parquet(output)
    assert written.frame["respondent_id"].to_list() == ["R1"]
    assert written.frame["weight"].to_list() == [1.5]
    assert written.missing_codes["impact_people"] == [9]
    assert stored_questionnaire(output) == default_questionnaires()["public"].model_dump(
        mode="json"
    )


def test_lenient_import_writes_the_rejected_rows_with_their_reasons(tmp_path):
    data = responses_file(tmp_path, BAD_ROWS)

    result = run(
        "import", str(data), "-q", "public", "-o", str(tmp_path / "out.parquet"), "--lenient"
    )

    assert result.exit_code == 0, result.output
    with (tmp_path / "out.rejected.csv").open(encoding="utf-8") as handle:
        rejected = list(csv.DictReader(handle))
    assert list(rejected[0]) == [*HEADER.strip().split(";"), "reasons", "line"]
    assert [(r["respondent_id"], r["sex"], r["line"]) for r in rejected] == [
        ("R2", "X", "3"),
        ("R3", "F", "4"),
    ]
    assert rejected[0]["reasons"] == "sex: Code hors de l'échelle (codes permis : F, M)"
    assert rejected[1]["reasons"] == (
        "impact_territories: Code hors de l'échelle (codes permis : 1, 2, 3, 4, 9)"
    )


def test_rejected_path_can_be_chosen(tmp_path):
    data = responses_file(tmp_path, BAD_ROWS)
    rejected = tmp_path / "reasons" / "refused.csv"
    rejected.parent.mkdir()

    result = run(
        "import", str(data), "-q", "public", "-o", str(tmp_path / "out.parquet"), "--lenient",
        "--rejected", str(rejected),
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert pl.read_csv(rejected)["respondent_id"].to_list() == ["R2", "R3"]
    assert not (tmp_path / "out.rejected.csv").exists()


def test_clean_import_writes_no_rejected_file(tmp_path):
    data = responses_file(tmp_path)

    result = run("import", str(data), "-q", "public", "-o", str(tmp_path / "out.parquet"))

    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.parquet", "wave.csv"]
    assert "2 réponses valides écrites dans" in result.stderr


def test_lenient_import_still_refuses_a_missing_required_column(tmp_path):
    header = HEADER.replace("respondent_id;weight;sex;", "respondent_id;weight;")
    rows = "".join(line.replace(";F;", ";", 1) + "\n" for line in VALID_ROWS.splitlines()[:1])
    data = responses_file(tmp_path, rows, header)

    result = run(
        "import", str(data), "-q", "public", "-o", str(tmp_path / "out.parquet"), "--lenient",
        "--format", "csv",
    )  # fmt: skip

    assert result.exit_code == 1
    assert "Colonne absente pour la question obligatoire 'sex'" in result.stdout
    assert result.stderr.endswith("Erreur : Fichier refusé : 1 erreur(s) (rien n'a été écrit)\n")
    assert not (tmp_path / "out.parquet").exists()


def test_sav_output_keeps_value_labels_for_spss(tmp_path):
    data = responses_file(tmp_path)
    output = tmp_path / "out.sav"

    result = run("import", str(data), "-q", "public", "-o", str(output), "--lang", "en")

    assert result.exit_code == 0, result.output
    frame, meta = pyreadstat.read_sav(str(output), output_format="polars", user_missing=True)
    assert isinstance(frame, pl.DataFrame)
    assert frame["impact_territories"].to_list() == [1.0, 1.0]
    assert frame["impact_territorial_innovation"].to_list() == [2.0, 2.0]
    assert meta.variable_value_labels["impact_people"] == {
        1.0: "Very strong",
        2.0: "Strong",
        3.0: "Weak",
        4.0: "None at all",
        9.0: "Does not know",
    }
    assert meta.column_names_to_labels["sex"] == "Sex"
    assert meta.missing_ranges["impact_local_authority_performance"] == [{"lo": 9.0, "hi": 9.0}]


def test_csv_problem_report_on_stdout(tmp_path):
    data = responses_file(tmp_path, BAD_ROWS)

    result = run(
        "import", str(data), "-q", "public", "-o", str(tmp_path / "out.parquet"), "--lenient",
        "--format", "csv", "--lang", "en",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows == [
        PROBLEM_COLUMNS,
        ["error", "wave.csv", "3", "", "sex", "X", "Code outside the scale (allowed codes: F, M)"],
        [
            "error",
            "wave.csv",
            "4",
            "",
            "impact_territories",
            "7",
            "Code outside the scale (allowed codes: 1, 2, 3, 4, 9)",
        ],
    ]


def test_json_problem_report_for_scripts(tmp_path):
    data = responses_file(tmp_path, BAD_ROWS)

    result = run("validate", str(data), "-q", "public", "--format", "json", "--lang", "en")

    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert [(p["line"], p["column"], p["value"]) for p in problems] == [
        (3, "sex", "X"),
        (4, "impact_territories", "7"),
    ]


def test_mapping_file_renames_and_ignores_columns(tmp_path):
    header = HEADER.replace(";region;", ";Q3;").replace("\n", ";duree\n")
    rows = "".join(line + ";312\n" for line in VALID_ROWS.splitlines())
    data = responses_file(tmp_path, rows, header)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("Q3: region\nduree: null\n", encoding="utf-8")

    result = run("validate", str(data), "-q", "public", "--mapping", str(mapping))

    assert result.exit_code == 0, result.output
    assert "Conforme au questionnaire public (2022.1) : 2 réponses" in result.stderr


def test_spss_input_file(tmp_path):
    impacts = HEADER.strip().split(";")[6:]
    frame = pl.DataFrame(
        {
            "respondent_id": ["R1", "R2"],
            "weight": [1.5, 0.5],
            "sex": ["F", "M"],
            "age": ["18-24", "65+"],
            "region": ["IDF", "ARA"],
            "occupation": ["retired", "csp_plus"],
            **{name: [1.0, 9.0] for name in impacts},
        }
    )
    data = tmp_path / "wave.sav"
    pyreadstat.write_sav(
        frame,
        str(data),
        variable_value_labels={"impact_people": {1: "Très fort", 9: "NSP"}},
        missing_ranges={"impact_people": [9]},
    )
    output = tmp_path / "out.parquet"

    result = run("import", str(data), "-q", "public", "-o", str(output), "--lang", "en")

    assert result.exit_code == 0, result.output
    assert "wave.sav: 2 rows read (spss" in result.stderr
    written = read_parquet(output)
    assert written.frame["impact_people"].to_list() == [1, 9]
    assert written.frame["sex"].to_list() == ["F", "M"]
    assert written.value_labels["impact_people"][9] == "Does not know"


def test_missing_input_file_is_one_clear_line(tmp_path):
    result = run("validate", str(tmp_path / "nowhere.csv"), "-q", "public", "--lang", "en")

    assert result.exit_code == 1
    assert result.stderr.endswith(f"Error: File not found (file {tmp_path / 'nowhere.csv'})\n")


def test_unknown_questionnaire(tmp_path):
    data = responses_file(tmp_path)

    result = run("validate", str(data), "-q", "citizens", "--lang", "en")

    assert result.exit_code == 1
    assert "Unknown questionnaire: 'citizens'" in result.stderr


def test_a_clean_import_removes_an_older_rejected_file(tmp_path):
    data = responses_file(tmp_path, BAD_ROWS)
    output = tmp_path / "out.parquet"
    assert run("import", str(data), "-q", "public", "-o", str(output), "--lenient").exit_code == 0

    clean = responses_file(tmp_path, name="clean.csv")
    result = run("import", str(clean), "-q", "public", "-o", str(output), "--lenient")

    assert result.exit_code == 0, result.output
    assert not (tmp_path / "out.rejected.csv").exists()
    assert read_parquet(output).frame.height == 2


def full_disk(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("failing", ["write_parquet", "write_csv"])
def test_a_full_disk_writes_neither_file_and_says_so(tmp_path, monkeypatch, failing):
    data = responses_file(tmp_path, BAD_ROWS)
    monkeypatch.setattr(pl.DataFrame, failing, full_disk)

    result = run(
        "import", str(data), "-q", "public", "-o", str(tmp_path / "out.parquet"), "--lenient",
        "--lang", "en",
    )  # fmt: skip

    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "Error: Disk full: nothing was written, nor left half-written" in result.stderr
    assert "out.parquet" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wave.csv"]


def test_a_full_disk_keeps_the_previous_output_and_its_rejected_rows(tmp_path, monkeypatch):
    data = responses_file(tmp_path, BAD_ROWS)
    output = tmp_path / "out.parquet"
    assert run("import", str(data), "-q", "public", "-o", str(output), "--lenient").exit_code == 0
    before = output.read_bytes(), (tmp_path / "out.rejected.csv").read_bytes()
    monkeypatch.setattr(pl.DataFrame, "write_csv", full_disk)

    result = run("import", str(data), "-q", "public", "-o", str(output), "--lenient")

    assert result.exit_code == 1
    assert "Erreur : Disque plein" in result.stderr
    assert (output.read_bytes(), (tmp_path / "out.rejected.csv").read_bytes()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "out.parquet", "out.rejected.csv", "wave.csv",
    ]  # fmt: skip


def test_the_next_import_removes_what_a_killed_one_left(tmp_path):
    data = responses_file(tmp_path)
    dead = subprocess.Popen(["true"])
    dead.wait()
    left = tmp_path / f".out.parquet.alliance-{dead.pid}.k1ll3d.tmp"
    left.write_bytes(b"half a parquet file")

    result = run("import", str(data), "-q", "public", "-o", str(tmp_path / "out.parquet"))

    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.parquet", "wave.csv"]


def test_sigterm_while_writing_removes_the_temporary_files(tmp_path):
    def write_then_get_terminated() -> None:
        with _terminable(), atomic_paths(tmp_path / "out.parquet") as (temporary,):
            temporary.write_bytes(b"half a parquet file")
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # the signal arrives before this ends

    with pytest.raises(KeyboardInterrupt):
        write_then_get_terminated()

    assert list(tmp_path.iterdir()) == []
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
