"""The study pipeline: files delivered in several formats, imported, raked, estimated."""

from __future__ import annotations

import pyreadstat
import pytest

from alliance.demo import DemoOutputs

pytestmark = pytest.mark.integration


def test_waves_arrive_as_pollsters_deliver_them(demo_fr: DemoOutputs):
    files = {f.path.name: f for p in demo_fr.results.populations for f in p.files}

    assert sorted(files) == [
        "associations-2018.csv", "associations-2022.csv", "companies-2018.csv",
        "companies-2022.csv", "elected-officials-2018.xlsx", "elected-officials-2022.xlsx",
        "foundations-2018.sav", "foundations-2022.sav", "public-2018.csv", "public-2022.sav",
    ]  # fmt: skip
    assert files["public-2018.csv"].read_as == "csv, encoding=windows-1252, separator=;"
    _, meta = pyreadstat.read_sav(str(files["public-2022.sav"].path), metadataonly=True)
    assert meta.variable_value_labels["impact_territories"][9.0] == "Ne sait pas"
    assert all(f.rows > 0 and f.imported.is_file() for f in files.values())


def test_weighting_reaches_the_population_margins(demo_fr: DemoOutputs):
    public = demo_fr.results.population("public")

    assert public.diagnostics.largest_gap < 1e-9
    assert 0.5 < public.diagnostics.efficiency < 1
    assert public.effective_n[2022] < 1000


def test_weighting_corrects_the_biased_sample(demo_fr: DemoOutputs):
    public = demo_fr.results.population("public")
    result = public.item("impact_territories", 2022)

    # Young people, more positive, are over-sampled: the raw share is above the weighted one.
    assert result.unweighted > result.estimate.estimate


def test_changes_are_differences_of_the_two_waves(demo_fr: DemoOutputs):
    public = demo_fr.results.population("public")
    change = public.changes["impact_territories"]

    assert change.estimate == pytest.approx(
        public.item("impact_territories", 2022).estimate.estimate
        - public.item("impact_territories", 2018).estimate.estimate
    )
    assert 0 < change.p_value < 1
