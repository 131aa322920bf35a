"""The frameworks drawn from the referential: SVG with a title and an alternative, honest stamps."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import pytest

from alliance.i18n import Lang
from alliance.referential import DATA_DIR, default_referential, load_referential
from alliance.report.diagrams import DIAGRAMS, diagram

pytestmark = pytest.mark.unit

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> str:
    """The diagram's words, its wrapped lines joined again."""
    root = ET.fromstring(svg)
    return " ".join(" ".join(node.itertext()) for node in root.iter(f"{SVG}text"))


@pytest.mark.parametrize("code", sorted(DIAGRAMS))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_diagram_is_svg_with_its_title_and_text_alternative(code: str, lang: Lang):
    drawn = diagram(code, lang)

    assert drawn is not None
    root = ET.fromstring(drawn.svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.findtext(f"{SVG}title") == default_referential().framework(code).title(lang)
    assert root.findtext(f"{SVG}desc") == drawn.alt
    for item in default_referential().framework(code).roots():
        assert item.label(lang) in drawn.alt


def test_the_magic_square_rests_on_inferred_links_and_says_so():
    square = diagram("objectives", "fr")

    assert square is not None
    assert square.reconstructed
    assert "schéma reconstitué" in texts(square.svg)
    assert "catégorie de partenariat activée : Innovation sociétale" in texts(square.svg)


def test_a_diagram_of_sure_items_carries_no_stamp():
    house = diagram("levers", "en")

    assert house is not None
    assert not house.reconstructed
    assert "reconstructed diagram" not in texts(house.svg)
    assert "Human wealth" in texts(house.svg)


def test_inferred_stages_are_stamped_and_explained():
    process = diagram("innovation-stages", "en")

    assert process is not None
    assert process.reconstructed
    assert "Light boxes: inferred items" in texts(process.svg)


def test_a_framework_not_drawn_has_no_diagram():
    assert diagram("sources-that-do-not-exist", "fr") is None


def test_a_diagram_is_drawn_from_the_referential_s_data(tmp_path, monkeypatch):
    copy = tmp_path / "referential"
    shutil.copytree(DATA_DIR, copy)
    levers = copy / "levers.yaml"
    levers.write_text(
        levers.read_text(encoding="utf-8").replace("fr: Richesses humaines", "fr: Forces vives"),
        encoding="utf-8",
    )
    monkeypatch.setattr(
        "alliance.report.diagrams.default_referential", lambda: load_referential(copy)
    )

    house = diagram("levers", "fr")

    assert house is not None
    assert "Forces vives" in texts(house.svg)
    assert "Richesses humaines" not in texts(house.svg)
    assert "Forces vives" in house.alt
