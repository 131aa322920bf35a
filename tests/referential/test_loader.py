"""Loading the referential from YAML: located, bilingual errors, all or nothing."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from alliance.errors import (
    ReferentialError,
    ReferentialFileError,
    ReferentialReferenceError,
    ReferentialValidationError,
)
from alliance.referential import DATA_DIR, load_referential

pytestmark = pytest.mark.unit

VALID_LEVERS = """\
framework: levers
version: "1.0.0"
order: 20
title: {fr: Les trois leviers, en: The three levers}
description: {fr: Le modèle socio-économique., en: The socio-economic model.}
items:
  - code: alliances
    label: {fr: Alliances, en: Alliances}
    definition: {fr: Agir avec d'autres., en: Acting with others.}
    status: notebook
    sources: [notebook]
  - code: salaries
    parent: alliances
    label:
      fr: Salariés
      en: Employees
    definition: {fr: Personnes employées., en: Employed people.}
    status: confirmed
    sources: [notebook]
"""


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A referential folder with the real sources and one small valid framework."""
    shutil.copy(DATA_DIR / "sources.yaml", tmp_path / "sources.yaml")
    (tmp_path / "levers.yaml").write_text(VALID_LEVERS, encoding="utf-8")
    return tmp_path


def write_levers(data_dir: Path, text: str) -> None:
    (data_dir / "levers.yaml").write_text(textwrap.dedent(text), encoding="utf-8")


def messages(error: ReferentialError) -> tuple[str, str]:
    return error.message("fr"), error.message("en")


def test_valid_folder_loads_with_items_in_order(data_dir):
    referential = load_referential(data_dir)

    assert [item.code for item in referential.framework("levers")] == ["alliances", "salaries"]
    assert referential.framework("levers").children("alliances")[0].label("en") == "Employees"


def test_version_is_a_digest_that_changes_with_the_data(data_dir):
    before = load_referential(data_dir).version
    write_levers(data_dir, VALID_LEVERS.replace("Acting with others.", "Acting together."))

    after = load_referential(data_dir).version

    assert len(before) == 12
    assert before != after
    assert load_referential(data_dir).version == after


def test_missing_translation_names_file_line_item_and_field(data_dir):
    write_levers(data_dir, VALID_LEVERS.replace("      en: Employees\n", ""))

    with pytest.raises(ReferentialValidationError) as caught:
        load_referential(data_dir)

    assert messages(caught.value) == (
        "Champ obligatoire absent (fichier levers.yaml, ligne 15, élément 'salaries', "
        "champ 'label.en')",
        "Required field missing (file levers.yaml, line 15, item 'salaries', field 'label.en')",
    )


def test_empty_definition_is_refused(data_dir):
    write_levers(data_dir, VALID_LEVERS.replace("en: Employed people.", "en: '  '"))

    with pytest.raises(ReferentialValidationError) as caught:
        load_referential(data_dir)

    assert caught.value.message("en") == (
        "Empty text (file levers.yaml, line 17, item 'salaries', field 'definition.en', value '  ')"
    )


def test_unknown_field_is_a_typo_not_ignored(data_dir):
    write_levers(data_dir, VALID_LEVERS.replace("    status: confirmed", "    statut: confirmed"))

    with pytest.raises(ReferentialValidationError) as caught:
        load_referential(data_dir)

    assert caught.value.key == "validation.missing"
    assert caught.value.location.field == "status"


def test_field_not_declared_anywhere_is_refused(data_dir):
    text = VALID_LEVERS.replace("    status: confirmed", "    status: confirmed\n    colour: red")
    write_levers(data_dir, text)

    with pytest.raises(ReferentialValidationError) as caught:
        load_referential(data_dir)

    assert caught.value.message("fr") == (
        "Champ inconnu (faute de frappe ?) (fichier levers.yaml, ligne 19, élément 'salaries', "
        "champ 'colour', valeur 'red')"
    )


def test_invalid_status_lists_the_allowed_ones(data_dir):
    write_levers(data_dir, VALID_LEVERS.replace("status: confirmed", "status: probable"))

    with pytest.raises(ReferentialValidationError) as caught:
        load_referential(data_dir)

    assert caught.value.message("en") == (
        "Value not allowed (expected: 'notebook', 'confirmed', 'inferred' or 'unknown') "
        "(file levers.yaml, line 18, item 'salaries', field 'status', value 'probable')"
    )


def test_code_must_be_lowercase_ascii(data_dir):
    write_levers(data_dir, VALID_LEVERS.replace("code: salaries", "code: Salariés"))

    with pytest.raises(ReferentialValidationError) as caught:
        load_referential(data_dir)

    assert caught.value.location.field == "code"
    assert caught.value.location.item == "Salariés"
    assert caught.value.key == "validation.string_pattern_mismatch"


def test_yaml_syntax_error_gives_line_and_column(data_dir):
    write_levers(
        data_dir, VALID_LEVERS.replace("label: {fr: Alliances, en: Alliances}", "label: {fr")
    )

    with pytest.raises(ReferentialFileError) as caught:
        load_referential(data_dir)

    assert caught.value.location.file == "levers.yaml"
    assert (caught.value.location.line, caught.value.location.column) == (9, 15)
    assert caught.value.message("en").startswith("Unreadable YAML file: ")


def test_missing_sources_file_is_reported(data_dir):
    (data_dir / "sources.yaml").unlink()

    with pytest.raises(ReferentialFileError) as caught:
        load_referential(data_dir)

    assert caught.value.message("fr") == (
        f"Fichier du référentiel introuvable (fichier {data_dir / 'sources.yaml'})"
    )


def test_framework_name_must_match_file_name(data_dir):
    write_levers(data_dir, VALID_LEVERS.replace("framework: levers", "framework: leviers"))

    with pytest.raises(ReferentialValidationError) as caught:
        load_referential(data_dir)

    assert caught.value.message("en") == (
        "The framework is named 'leviers' but the file is named 'levers' "
        "(file levers.yaml, line 1, field 'framework')"
    )


def test_duplicate_code_is_refused(data_dir):
    write_levers(data_dir, VALID_LEVERS.replace("code: salaries", "code: alliances"))

    with pytest.raises(ReferentialValidationError) as caught:
        load_referential(data_dir)

    assert caught.value.message("en") == (
        "Duplicate code in framework 'levers' (file levers.yaml, line 12, item 'alliances', "
        "field 'code')"
    )


def test_unknown_parent_is_refused(data_dir):
    write_levers(data_dir, VALID_LEVERS.replace("parent: alliances", "parent: allainces"))

    with pytest.raises(ReferentialReferenceError) as caught:
        load_referential(data_dir)

    assert caught.value.message("fr") == (
        "Le parent 'allainces' n'existe pas dans le cadre 'levers' (fichier levers.yaml, "
        "ligne 13, élément 'salaries', champ 'parent', valeur 'allainces')"
    )


def test_parent_cycle_is_refused(data_dir):
    text = VALID_LEVERS.replace(
        "  - code: alliances\n", "  - code: alliances\n    parent: salaries\n"
    )
    write_levers(data_dir, text)

    with pytest.raises(ReferentialReferenceError) as caught:
        load_referential(data_dir)

    assert caught.value.key == "referential.parent_cycle"
    assert caught.value.location.item == "alliances"


def test_link_to_missing_item_is_refused(data_dir):
    link = (
        "    links:\n"
        "      - rel: activates_category\n"
        "        target: partnership-categories/mecenat\n"
        "        status: inferred\n"
        "        sources: [reconstruction]\n"
    )
    write_levers(data_dir, VALID_LEVERS + link)

    with pytest.raises(ReferentialReferenceError) as caught:
        load_referential(data_dir)

    assert caught.value.message("en") == (
        "Reference 'partnership-categories/mecenat' points to no item of the referential "
        "(file levers.yaml, line 22, item 'salaries', field 'links.0.target', "
        "value 'partnership-categories/mecenat')"
    )


def test_undeclared_source_is_refused(data_dir):
    write_levers(
        data_dir,
        VALID_LEVERS.replace(
            "    sources: [notebook]\n", "    sources: [notebook, wikipedia]\n", 1
        ),
    )

    with pytest.raises(ReferentialReferenceError) as caught:
        load_referential(data_dir)

    assert caught.value.message("en") == (
        "Source 'wikipedia' is not declared in sources.yaml (file levers.yaml, line 11, "
        "item 'alliances', field 'sources.1', value 'wikipedia')"
    )


def test_unknown_item_without_placeholder_marker_is_refused(data_dir):
    write_levers(data_dir, VALID_LEVERS.replace("status: confirmed", "status: unknown"))

    with pytest.raises(ReferentialValidationError) as caught:
        load_referential(data_dir)

    assert caught.value.message("en") == (
        "An item with status 'unknown' must carry the markers [inconnu] / [unknown] in its "
        "French and English labels (file levers.yaml, line 12, item 'salaries')"
    )


def test_placeholder_marker_without_unknown_status_is_refused(data_dir):
    write_levers(data_dir, VALID_LEVERS.replace("fr: Salariés", "fr: Salariés [inconnu]"))

    with pytest.raises(ReferentialValidationError) as caught:
        load_referential(data_dir)

    assert caught.value.message("fr") == (
        "Un libellé marqué [inconnu] exige le statut « unknown » (fichier levers.yaml, ligne 12, "
        "élément 'salaries')"
    )


def test_framework_sources_must_be_declared(data_dir):
    write_levers(data_dir, VALID_LEVERS.replace("items:\n", "sources: [notebook, blog]\nitems:\n"))

    with pytest.raises(ReferentialReferenceError) as caught:
        load_referential(data_dir)

    assert caught.value.message("en") == (
        "Source 'blog' is not declared in sources.yaml (file levers.yaml, line 6, "
        "field 'sources.1', value 'blog')"
    )
