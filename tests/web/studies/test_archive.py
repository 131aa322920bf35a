"""Zipped study folders unpacked safely: nothing outside the folder, no links, no bombs."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from alliance.errors import RequestError
from alliance.web.studies.archive import unpack
from tests.web.studies.folders import HAND_CSV, HAND_SAV, hand_zip, zip_of

pytestmark = pytest.mark.integration

HAND_FILES = sorted(
    ["study.yaml", "questionnaires/habitants.yaml", "margins/habitants.json", HAND_SAV, HAND_CSV]
)


def refusal(archive: bytes, folder: Path) -> RequestError:
    with pytest.raises(RequestError) as refused:
        unpack(io.BytesIO(archive), folder)
    return refused.value


@pytest.mark.parametrize("top", ["", "hand-study/"])
def test_study_yaml_at_the_root_or_in_one_top_folder(top: str, tmp_path: Path):
    paths = unpack(io.BytesIO(hand_zip(top=top)), tmp_path)

    assert sorted(paths) == HAND_FILES
    assert (tmp_path / "study.yaml").read_text(encoding="utf-8").count("barometre-test") == 1


def test_leftovers_of_archivers_are_skipped(tmp_path: Path):
    archive = zip_of({"study.yaml": b"study: s\n", "__MACOSX/._study.yaml": b"x", ".DS_Store": b""})

    assert unpack(io.BytesIO(archive), tmp_path) == ["study.yaml"]


@pytest.mark.parametrize("name", ["../evil.csv", "/etc/evil", "data/../../evil", "a\\b.csv"])
def test_paths_leaving_the_folder_are_refused(name: str, tmp_path: Path):
    refused = refusal(zip_of({"study.yaml": b"study: s\n", name: b"x"}), tmp_path / "in")

    assert refused.key == "request.unsafe_path"
    assert refused.location.value == name
    assert not (tmp_path / "evil.csv").exists()


def test_a_symbolic_link_is_refused(tmp_path: Path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("study.yaml", b"study: s\n")
        link = zipfile.ZipInfo("data/link.csv")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")

    refused = refusal(buffer.getvalue(), tmp_path)

    assert (refused.key, refused.params) == ("upload.archive_link", {"path": "data/link.csv"})


def test_too_many_files_are_refused(settings, tmp_path: Path):
    settings.ALLIANCE_ARCHIVE_MAX_FILES = 3
    entries = {"study.yaml": b"study: s\n"} | {f"data/{i}.csv": b"a\n1\n" for i in range(3)}

    refused = refusal(zip_of(entries), tmp_path)

    assert (refused.key, refused.params, refused.location.value) == (
        "upload.archive_too_many", {"limit": 3}, 4,
    )  # fmt: skip


def test_a_zip_bomb_stops_at_the_limit(settings, tmp_path: Path):
    settings.ALLIANCE_ARCHIVE_MAX_SIZE = 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("study.yaml", b"study: s\n")
        archive.writestr("data/zeros.csv", b"0" * (8 * 1024 * 1024))
    assert len(buffer.getvalue()) < 64 * 1024

    refused = refusal(buffer.getvalue(), tmp_path)

    assert (refused.key, refused.location.value) == ("upload.archive_too_large", "data/zeros.csv")
    assert not (tmp_path / "data" / "zeros.csv").exists()


def test_not_a_zip_and_no_definition_are_refused(tmp_path: Path):
    assert refusal(b"study: s\n", tmp_path).key == "upload.archive_invalid"
    assert refusal(zip_of({"data/a.csv": b"a\n"}), tmp_path).key == "upload.archive_no_definition"
