"""Registry files in ZIP archives, as data.gouv.fr and INSEE publish them: one member at a time."""

from __future__ import annotations

import errno
import io
import struct
import tempfile
import zipfile
from pathlib import Path

import pytest

from alliance.errors import RegistryFileError
from alliance.territory import archives
from alliance.territory.archives import registry_files

pytestmark = pytest.mark.unit


def archive(path: Path, members: dict[str, bytes]) -> Path:
    """Write a ZIP archive holding ``members`` (name → content), stored uncompressed."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as written:
        for name, content in members.items():
            written.writestr(name, content)
    return path


def test_a_plain_file_is_itself_even_missing(tmp_path):
    plain = tmp_path / "rna_waldec_20250301_dpt_59.csv"
    plain.write_text("id;titre\n", encoding="utf-8")

    assert [(f.name, f.path, f.error) for f in registry_files(plain)] == [
        ("rna_waldec_20250301_dpt_59.csv", plain, None)
    ]
    missing = tmp_path / "missing.zip"
    assert [(f.name, f.path) for f in registry_files(missing)] == [("missing.zip", missing)]


def test_an_archive_gives_its_csv_and_parquet_members_in_name_order_one_at_a_time(tmp_path):
    path = archive(tmp_path / "rna_waldec_20250301.zip", {
        "rna_waldec_20250301_dpt_59.csv": b"id;titre\nW595001234;Nord\n",
        "LISEZMOI.txt": b"Licence Ouverte",
        "__MACOSX/._rna_waldec_20250301_dpt_01.csv": b"\x00\x05",
        "dossier/": b"",
        "dossier/rna_waldec_20250301_dpt_01.CSV": b"id;titre\nW011001234;Ain\n",
        "StockEtablissement_utf8.parquet": b"PAR1",
    })  # fmt: skip

    seen: list[tuple[str, str, bytes]] = []
    earlier: list[Path] = []
    for file in registry_files(path):
        assert file.error is None
        assert not any(path.exists() for path in earlier)  # the previous one is gone already
        seen.append((file.name, file.path.name, file.path.read_bytes()))
        earlier.append(file.path)

    assert seen == [
        ("rna_waldec_20250301.zip/StockEtablissement_utf8.parquet",
         "StockEtablissement_utf8.parquet", b"PAR1"),
        ("rna_waldec_20250301.zip/dossier/rna_waldec_20250301_dpt_01.CSV",
         "rna_waldec_20250301_dpt_01.CSV", b"id;titre\nW011001234;Ain\n"),
        ("rna_waldec_20250301.zip/rna_waldec_20250301_dpt_59.csv",
         "rna_waldec_20250301_dpt_59.csv", b"id;titre\nW595001234;Nord\n"),
    ]  # fmt: skip
    assert not earlier[0].parent.exists()  # the folder goes once the archive is done


def test_members_of_one_base_name_in_two_folders_are_both_read(tmp_path):
    path = archive(tmp_path / "a.zip", {"2024/rna.csv": b"id\nW1\n", "2025/rna.csv": b"id\nW2\n"})

    found = [(f.name, f.path.read_bytes()) for f in registry_files(path)]

    assert found == [("a.zip/2024/rna.csv", b"id\nW1\n"), ("a.zip/2025/rna.csv", b"id\nW2\n")]


def test_a_member_named_outside_the_folder_is_written_inside_it(tmp_path, monkeypatch):
    temporary = tmp_path / "temporary" / "deeper"
    temporary.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    path = archive(tmp_path / "a.zip", {"../../evil.csv": b"id\n"})

    for file in registry_files(path):
        assert file.name == "a.zip/../../evil.csv"
        assert file.path.parent.parent == temporary
        assert [p.name for p in tmp_path.rglob("evil.csv")] == ["evil.csv"]
        assert file.path.exists()
    assert not list(tmp_path.rglob("evil.csv"))


def test_an_archive_without_registry_files_is_refused_with_its_name(tmp_path):
    path = archive(tmp_path / "StockEtablissement_utf8.zip", {"LISEZMOI.txt": b"rien"})

    with pytest.raises(RegistryFileError) as refused:
        list(registry_files(path))

    assert refused.value.key == "registry.empty_archive"
    assert refused.value.message("fr") == (
        "l'archive ZIP ne contient aucun fichier CSV ou Parquet "
        "(fichier StockEtablissement_utf8.zip)"
    )
    assert refused.value.message("en") == (
        "the ZIP archive holds no CSV or Parquet file (file StockEtablissement_utf8.zip)"
    )


def test_a_damaged_member_is_reported_and_the_next_one_still_read(tmp_path):
    members = {"a_dpt_01.csv": b"id;titre\nW011001234;Ain\n",
               "b_dpt_02.csv": b"id;titre\nW021001234;Aisne\n"}  # fmt: skip
    path = archive(tmp_path / "rna.zip", members)
    content = bytearray(path.read_bytes())
    start = content.index(b"W011001234")
    content[start] = ord("X")  # the stored CRC no longer matches
    path.write_bytes(bytes(content))

    found = [(f.name, f.error) for f in registry_files(path)]

    assert [name for name, _ in found] == ["rna.zip/a_dpt_01.csv", "rna.zip/b_dpt_02.csv"]
    damaged = found[0][1]
    assert damaged is not None
    assert damaged.key == "registry.bad_archive"
    assert damaged.message("en").startswith("unreadable ZIP archive: Bad CRC-32 for file")
    assert damaged.message("en").endswith("(file rna.zip/a_dpt_01.csv)")
    assert found[1][1] is None


def test_a_damaged_lzma_member_is_reported_too(tmp_path):
    path = tmp_path / "rna.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_LZMA) as written:
        written.writestr("a_dpt_01.csv", b"id;titre\n" + b"W011001234;Ain\n" * 500)
    with zipfile.ZipFile(path) as written:
        (member,) = written.infolist()
    content = bytearray(path.read_bytes())
    name_length, extra_length = struct.unpack("<HH", content[member.header_offset + 26 :][:4])
    data = member.header_offset + 30 + name_length + extra_length
    content[data + 12 : data + 28] = b"\xff" * 16  # past LZMA's properties, inside the stream
    path.write_bytes(bytes(content))

    (file,) = registry_files(path)

    assert file.error is not None
    assert file.error.key == "registry.bad_archive"


def test_a_full_disk_says_where_the_member_was_to_go(tmp_path, monkeypatch):
    path = archive(tmp_path / "StockEtablissement_utf8.zip", {"StockEtablissement_utf8.csv": b"x"})

    class FullDisk(io.BytesIO):
        def write(self, data: object) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(archives, "_written", lambda target, name: FullDisk())
    (file,) = registry_files(path)

    assert file.error is not None
    assert file.error.key == "registry.unpack_failed"
    assert file.error.message("en") == (
        f"could not extract this file into {file.path.parent} (No space left on device); TMPDIR "
        "may point to a larger folder "
        "(file StockEtablissement_utf8.zip/StockEtablissement_utf8.csv)"
    )
