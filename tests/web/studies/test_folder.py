"""A study's stored files written back as a folder; paths that would leave it refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from alliance.errors import RequestError
from alliance.web.results.models import Study
from alliance.web.studies.folder import materialise, safe_path
from alliance.web.studies.models import StudyFile

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("path", ["", "/etc/passwd", "../x.csv", "data/../../x", "a\\b", "a//b"])
def test_paths_leaving_the_folder_are_refused(path: str):
    with pytest.raises(RequestError) as refused:
        safe_path(path)
    assert refused.value.key == "request.unsafe_path"


def test_every_file_comes_back_under_its_path(db, settings, tmp_path: Path):
    settings.MEDIA_ROOT = tmp_path / "storage"
    study = Study.objects.create(code="s", title_fr="S", title_en="S")
    for path, content in [("study.yaml", b"study: s\n"), ("data/vague 1.csv", b"a;b\n1;2\n")]:
        StudyFile.objects.create(study=study, path=path, content=ContentFile(content, "f"))

    found = materialise(study, tmp_path / "folder")

    assert found == tmp_path / "folder" / "study.yaml"
    assert found.read_bytes() == b"study: s\n"
    assert (tmp_path / "folder" / "data" / "vague 1.csv").read_bytes() == b"a;b\n1;2\n"
