"""The map's indicators by region or department: registry counts exact, platform ones protected."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from alliance.disclosure import protected_count
from alliance.web.registry.counts import refresh_counts
from alliance.web.registry.models import RegistryEntry
from alliance.web.territories.indicators import INDICATORS, indicator_values

pytestmark = pytest.mark.integration


def test_registry_counts_by_department_and_region(nord):
    assert indicator_values("actors", "department") == {"59": 19.0}
    assert indicator_values("associations", "region") == {"32": 16.0}


def test_platform_counts_are_protected(nord, settings):
    secret = settings.SECRET_KEY.encode()
    assert indicator_values("organisations", "department") == {
        "59": protected_count(11, "map:department:59:organisations", secret),
        "75": None,
    }
    assert indicator_values("partnerships", "region") == {
        "32": protected_count(11, "map:region:32:partnerships", secret),
        "11": None,
    }


def test_examples_by_region_and_by_department(db):
    by_region = indicator_values("examples", "region")
    assert (by_region["32"] or 0) >= 3
    assert sum(v or 0 for v in by_region.values()) == 40
    assert indicator_values("examples", "department")["59"] == 2


def test_values_are_kept_in_the_cache(nord):
    assert indicator_values("actors", "department") == {"59": 19.0}
    RegistryEntry.objects.all().delete()
    refresh_counts("rna")
    assert indicator_values("actors", "department") == {"59": 19.0}
    cache.clear()
    assert indicator_values("actors", "department") == {}


def test_every_indicator_has_a_label():
    assert list(INDICATORS) == ["actors", "associations", "organisations", "partnerships",
                                "examples"]  # fmt: skip
