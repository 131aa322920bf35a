"""Loading the referential (validate + check references) against parsing its YAML alone."""

from __future__ import annotations

from collections.abc import Callable

import yaml

from alliance.referential import DATA_DIR, load_referential
from alliance.yaml_document import YAML_LOADER


def load_and_check() -> None:
    load_referential(DATA_DIR)


def parse_yaml_only() -> None:
    for path in sorted(DATA_DIR.glob("*.yaml")):
        yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)


BENCHMARKS: list[tuple[str, Callable[[], None], str, Callable[[], None]]] = [
    ("referential: load + validate + check", load_and_check, "PyYAML parse only", parse_yaml_only),
]
