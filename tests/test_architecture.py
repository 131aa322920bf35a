"""The layout's rules, checked: one-way imports, small modules, tests mirroring the source."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import alliance.referential

pytestmark = pytest.mark.unit

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "src" / "alliance"
DOORS = {"cli", "web"}
FRAMEWORK_LIBRARIES = {"django", "typer", "rich", "click", "ninja"}
MAX_LINES = 600


def python_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def core_modules() -> list[Path]:
    return [
        path
        for path in python_modules()
        if path.relative_to(PACKAGE).parts[0] not in DOORS and path.name != "__main__.py"
    ]


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def mirrored_test(path: Path) -> Path:
    relative = path.relative_to(PACKAGE)
    name = "test_app.py" if relative.name == "__init__.py" else f"test_{relative.stem}.py"
    return ROOT / "tests" / relative.parent / name


@pytest.mark.parametrize("path", core_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_never_imports_a_door_framework(path: Path):
    assert imported_roots(path) & FRAMEWORK_LIBRARIES == set()


@pytest.mark.parametrize("path", core_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_never_imports_the_doors(path: Path):
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"^\s*(from|import) alliance\.(cli|web)\b", source, re.MULTILINE)


@pytest.mark.parametrize("path", python_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_small(path: Path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def modules_needing_tests() -> list[Path]:
    """Every module but package markers, Django's migrations and the ``python -m`` shim."""
    return [
        path
        for path in python_modules()
        if path.name != "__main__.py"
        and "migrations" not in path.parts
        and not (path.name == "__init__.py" and path.parent != PACKAGE / "cli")
    ]


@pytest.mark.parametrize("path", modules_needing_tests(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_has_its_mirrored_test_file(path: Path):
    assert mirrored_test(path).exists(), f"missing {mirrored_test(path).relative_to(ROOT)}"


@pytest.mark.parametrize(
    "path", sorted((ROOT / "tests").rglob("test_*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_every_test_file_declares_its_layer(path: Path):
    source = path.read_text(encoding="utf-8")
    assert re.search(r"^pytestmark = pytest\.mark\.(unit|integration|e2e)$", source, re.MULTILINE)


def test_referential_public_api_is_pinned():
    assert sorted(alliance.referential.__all__) == [
        "ActorProfile",
        "DATA_DIR",
        "Framework",
        "Item",
        "Link",
        "LocalizedText",
        "PLACEHOLDER_MARKERS",
        "PracticeSheet",
        "PublishedFigure",
        "Referential",
        "Source",
        "Status",
        "default_referential",
        "load_referential",
    ]
