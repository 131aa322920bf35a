"""A registry entry is unique per source and number; an import records what it read; counts."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from alliance.web.registry.models import RegistryCount, RegistryEntry, RegistryImport

pytestmark = pytest.mark.integration


@pytest.mark.django_db
def test_one_entry_per_source_and_number():
    RegistryEntry.objects.create(source="rna", identifier="W595001234", commune="59350")

    with pytest.raises(IntegrityError), transaction.atomic():
        RegistryEntry.objects.create(source="rna", identifier="W595001234")
    RegistryEntry.objects.create(source="sirene", identifier="W595001234")

    assert RegistryEntry.objects.count() == 2
    assert str(RegistryEntry.objects.get(source="rna")) == "rna:W595001234"


@pytest.mark.django_db
def test_an_import_lists_newest_first():
    older = RegistryImport.objects.create(source="rna", rows=3)
    newer = RegistryImport.objects.create(source="sirene", rows=5)

    assert list(RegistryImport.objects.all()) == [newer, older]
    assert str(RegistryImport(source="rna")) == "rna"


def test_a_count_names_its_cell():
    count = RegistryCount(source="rna", commune="59350", profile="associations", state="active",
                          count=12)  # fmt: skip
    assert str(count) == "rna:59350:associations:active 12"
