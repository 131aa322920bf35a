"""Creating studies, storing their files and checking them: all or nothing, one file per path."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import yaml

from alliance.errors import ConflictError, RequestError, StudyInvalidError
from alliance.study.scaffold import write_example
from alliance.web.results.models import Study
from alliance.web.studies import workspace
from alliance.web.studies.models import StudyFile
from tests.study.conftest import HAND_STUDY
from tests.study.defects import defective_csv
from tests.web.studies.folders import HAND_CSV, HAND_SAV, hand_zip, zip_of, zipped

pytestmark = pytest.mark.integration


def stored_names(storage: Path) -> set[str]:
    return {p.name for p in storage.rglob("*") if p.is_file()} if storage.exists() else set()


@pytest.fixture
def analyst(people):
    return people["analyst"]


@pytest.fixture
def hand(analyst) -> Study:
    return workspace.create_from_archive(analyst, io.BytesIO(hand_zip(skip=(HAND_CSV,))))


def test_a_study_from_an_archive_with_its_files_checked(hand: Study, analyst):
    assert (hand.code, hand.title_fr, hand.title_en, hand.synthetic, hand.created_by) == (
        "barometre-test", "Baromètre de test des alliances locales",
        "Test barometer of local alliances", True, analyst,
    )  # fmt: skip
    files = {f.path: f for f in hand.files.all()}
    assert sorted(files) == sorted(
        ["study.yaml", "questionnaires/habitants.yaml", "margins/habitants.json", HAND_SAV]
    )
    assert files[HAND_SAV].reading["rows"] == 400
    assert files[HAND_SAV].problems == []
    assert len(files[HAND_SAV].sha256) == 64
    # The whole study's problems are kept on study.yaml's record: the CSV wave is missing.
    (problem,) = files["study.yaml"].problems
    assert (problem["key"], problem["value"], problem["line"]) == (
        "study.file_missing", HAND_CSV, 35,
    )  # fmt: skip

    rows, others = workspace.file_states(hand)
    assert [(r["path"], r["state"]) for r in rows] == [
        ("study.yaml", "invalid"), ("questionnaires/habitants.yaml", "uploaded"),
        ("margins/habitants.json", "uploaded"), (HAND_SAV, "uploaded"), (HAND_CSV, "missing"),
    ]  # fmt: skip
    assert others == []


def test_a_code_taken_is_a_conflict_and_nothing_is_left(hand: Study, analyst, storage: Path):
    before = stored_names(storage)

    with pytest.raises(ConflictError) as refused:
        workspace.create_from_archive(analyst, io.BytesIO(hand_zip()))

    assert refused.value.params == {"code": "barometre-test"}
    assert stored_names(storage) == before
    assert Study.objects.filter(code="barometre-test").count() == 1


def test_a_failure_half_way_leaves_no_study_and_no_file(analyst, storage: Path, monkeypatch):
    def broken(study: Study) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(workspace, "refresh", broken)

    with pytest.raises(OSError, match="disk full"):
        workspace.create_from_archive(analyst, io.BytesIO(hand_zip()))

    assert not Study.objects.filter(code="barometre-test").exists()
    assert stored_names(storage) == set()


def test_replacing_a_file_keeps_one_record_and_deletes_the_old_content(
    hand: Study, analyst, storage: Path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = workspace.store_file(hand, HAND_CSV, io.BytesIO(defective_csv()), analyst)
    old = Path(first.content.path)
    assert first.reading["rows"] == 350
    assert first.reading["rejected_rows"] == 1

    source = Path("tests/study/data/hand-study") / HAND_CSV
    with django_capture_on_commit_callbacks(execute=True):
        second = workspace.store_file(
            hand, "./" + HAND_CSV, io.BytesIO(source.read_bytes()), analyst
        )

    assert second.pk == first.pk
    assert StudyFile.objects.filter(study=hand, path=HAND_CSV).count() == 1
    assert not old.exists()
    assert Path(second.content.path).read_bytes() == source.read_bytes()
    assert (second.problems, second.reading["rejected_rows"]) == ([], 0)
    assert hand.files.get(path="study.yaml").problems == []


def test_a_path_leaving_the_folder_is_refused(hand: Study, analyst):
    with pytest.raises(RequestError) as refused:
        workspace.store_file(hand, "../x.csv", io.BytesIO(b"a\n"), analyst)

    assert refused.value.key == "request.unsafe_path"
    assert not hand.files.filter(path__contains="x.csv").exists()


def test_rejected_rows_as_csv_with_cells_that_cannot_run(hand: Study, analyst):
    content = defective_csv().replace(b";\xc9norme;4;ras", b";\xc9norme;4;=HYPERLINK(1)")
    workspace.store_file(hand, HAND_CSV, io.BytesIO(content), analyst)

    rows = list(csv.reader(io.StringIO(workspace.rejected_csv(hand, HAND_CSV))))

    assert rows[0][-3:] == ["remarque", "reasons", "line"]
    assert len(rows) == 2
    assert rows[1][0] == "H24-0002"
    assert rows[1][-3] == "'=HYPERLINK(1)"
    assert rows[1][-1] == "3"
    assert rows[1][-2] == "q_impact: Code hors de l'échelle (codes permis : 1, 2, 3, 4, 9)"


def test_lenient_then_mapped(hand: Study, analyst):
    workspace.store_file(hand, HAND_CSV, io.BytesIO(defective_csv()), analyst)

    workspace.set_validation(hand, analyst, HAND_CSV, "lenient")
    wave = hand.files.get(path=HAND_CSV)
    assert [(p["severity"], p["key"]) for p in wave.problems] == [
        ("warning", "validation_rows.column_unknown"),
        ("warning", "validation_rows.code_outside_scale"),
    ]
    assert "validation: lenient" in hand.files.get(path="study.yaml").content.read().decode()

    saved = workspace.save_mapping(hand, analyst, "habitants", {"remarque": None})
    assert saved == "mappings/habitants.yaml"
    mapping = hand.files.get(path=saved)
    assert yaml.safe_load(mapping.content.read()) == {"remarque": None}
    wave.refresh_from_db()
    assert [p["key"] for p in wave.problems] == ["validation_rows.code_outside_scale"]


def test_a_study_from_its_fields_with_or_without_study_yaml(analyst, people):
    bare = workspace.create_study(
        analyst, code="enquete-2025", title_fr="Enquête", title_en="Survey", synthetic=False,
        analysts=[analyst],
    )  # fmt: skip
    assert list(bare.analysts.all()) == [analyst]
    assert bare.files.count() == 0
    assert [r["state"] for r in workspace.file_states(bare)[0]] == ["missing"]

    with pytest.raises(RequestError) as refused:
        workspace.create_study(
            analyst, code="autre", title_fr="A", title_en="A", synthetic=False,
            definition=io.BytesIO(b"study: barometre-test\n"),
        )  # fmt: skip
    assert (refused.value.key, refused.value.location.value) == (
        "upload.code_mismatch", "barometre-test",
    )  # fmt: skip
    assert not Study.objects.filter(code="autre").exists()


@pytest.mark.parametrize("code", ["Majuscules", "a_b", "-x", "new", "x" * 65])
def test_invalid_codes_are_refused(analyst, code: str):
    with pytest.raises(RequestError) as refused:
        workspace.create_study(analyst, code=code, title_fr="T", title_en="T", synthetic=False)

    assert (refused.value.key, refused.value.location.field) == ("upload.invalid_code", "code")


def test_a_definition_as_data(analyst):
    data = yaml.safe_load((Path("tests/study/data/hand-study/study.yaml")).read_text("utf-8"))

    study = workspace.create_from_definition(analyst, data)

    assert study.code == "barometre-test"
    stored = yaml.safe_load(study.files.get(path="study.yaml").content.read())
    assert stored == data
    assert {p["key"] for p in study.files.get(path="study.yaml").problems} == {"study.file_missing"}

    with pytest.raises(RequestError) as refused:
        workspace.create_from_definition(analyst, data | {"study": "x", "populations": []})
    assert refused.value.location.field == "populations"


def test_a_study_yaml_of_another_study_is_refused(hand: Study, analyst):
    before = hand.files.get(path="study.yaml").sha256

    with pytest.raises(RequestError) as refused:
        workspace.store_file(hand, "study.yaml", io.BytesIO(b"study: autre-etude\n"), analyst)

    assert (refused.value.key, refused.value.location.value) == (
        "upload.code_mismatch",
        "autre-etude",
    )
    assert hand.files.get(path="study.yaml").sha256 == before


def test_the_example_of_alliance_study_init_has_no_problem(analyst, tmp_path: Path):
    write_example(tmp_path / "exemple")

    study = workspace.create_from_archive(analyst, io.BytesIO(zipped(tmp_path / "exemple")))

    rows, others = workspace.file_states(study)
    assert {r["state"] for r in rows} == {"uploaded"}
    assert others == []
    assert study.files.get(path="study.yaml").problems == []
    waves = [r for r in rows if r["role"] == "wave"]
    assert sorted(r["file"].reading["format"] for r in waves) == ["csv", "spss"]


@pytest.mark.parametrize("path", ["/etc/passwd.csv", "../../../etc/passwd.csv", "data/../../x.csv"])
def test_a_definition_naming_files_outside_its_folder_is_refused(analyst, hand: Study, path: str):
    text = (HAND_STUDY / "study.yaml").read_text(encoding="utf-8").replace(HAND_CSV, path)

    with pytest.raises(RequestError) as from_archive:
        workspace.create_from_archive(
            analyst,
            io.BytesIO(zip_of({"study.yaml": text.replace("barometre-test", "autre").encode()})),
        )
    with pytest.raises(RequestError) as replaced:
        workspace.store_file(hand, "study.yaml", io.BytesIO(text.encode()), analyst)

    assert from_archive.value.key == replaced.value.key == "request.unsafe_path"
    assert not Study.objects.filter(code="autre").exists()
    assert HAND_CSV in hand.files.get(path="study.yaml").content.read().decode()


def test_a_new_wave_is_stored_and_named_in_one_go(hand: Study, analyst):
    wave = {"wave": "2025", "file": "data/habitants-2025.csv",
            "mode": {"fr": "en ligne", "en": "online"}}  # fmt: skip
    content = (HAND_STUDY / HAND_CSV).read_bytes()

    stored = workspace.add_wave(hand, analyst, "habitants", wave, io.BytesIO(content))

    assert stored.path == "data/habitants-2025.csv"
    assert stored.reading["rows"] == 350
    definition = workspace.definition_of(hand)
    assert definition is not None
    assert [w.wave for w in definition.populations[0].waves] == ["2023", "2024", "2025"]
    text = hand.files.get(path="study.yaml").content.read().decode()
    assert "# The waves: one delivered file each, weighted separately." in text


def test_a_new_wave_of_an_unknown_population_stores_nothing(hand: Study, analyst, storage):
    before = stored_names(storage)
    with pytest.raises(StudyInvalidError) as refused:
        workspace.add_wave(hand, analyst, "autres", {"wave": "2025", "file": "data/x.csv"},
                           io.BytesIO(b"a\n1\n"))  # fmt: skip
    assert refused.value.key == "study.population_unknown"
    assert not hand.files.filter(path="data/x.csv").exists()
    assert stored_names(storage) == before
