"""The profile network: pairs of partners by category, counts protected as on the statistics."""

from __future__ import annotations

import pytest

from alliance.disclosure import protected_count
from alliance.territory.network import PartnershipRecord, alliance_network

pytestmark = pytest.mark.unit

SECRET = b"test-secret"


def test_pairs_of_profiles_by_category_with_small_counts_withheld():
    records = [
        # 10 sponsorships: one SME, ten associations.
        *(PartnershipRecord(i, "mecenat", ((1, "pme"), (100 + i, "associations")))
          for i in range(10)),
        # 3 partnerships of three partners: an association, a foundation, a commune.
        *(PartnershipRecord(20 + i, "innovation_societale",
                            ((100, "associations"), (200, "fondations"),
                             (300 + i, "collectivites_territoriales"))) for i in range(3)),
    ]  # fmt: skip

    network = alliance_network(records, "department/59", SECRET)

    edges = {(e.source, e.target, e.category): e for e in network.edges}
    assert set(edges) == {
        ("associations", "pme", "mecenat"),
        ("associations", "fondations", "innovation_societale"),
        ("associations", "collectivites_territoriales", "innovation_societale"),
        ("collectivites_territoriales", "fondations", "innovation_societale"),
    }
    assert edges[("associations", "pme", "mecenat")].partnerships == 10
    assert edges[("associations", "fondations", "innovation_societale")].withheld
    assert network.by_category == {"innovation_societale": None, "mecenat": 10}
    nodes = {n.profile: n for n in network.nodes}
    assert nodes["associations"].organisations == 10  # 10 distinct associations (100 twice)
    assert nodes["associations"].partnerships == protected_count(
        13, "department/59:partnerships:associations", SECRET
    )
    assert nodes["pme"].organisations is None  # one SME: withheld
    assert network.partnerships == protected_count(13, "department/59:partnerships", SECRET)


def test_a_same_profile_pair_is_an_edge_to_itself_and_counts_are_rounded():
    records = [PartnershipRecord(i, "", ((2 * i, "associations"), (2 * i + 1, "associations")))
               for i in range(7)]  # fmt: skip

    network = alliance_network(records, "region/32", SECRET)

    (edge,) = network.edges
    assert (edge.source, edge.target, edge.category) == ("associations", "associations", "")
    assert edge.partnerships in (5, 10)
    assert edge.partnerships == protected_count(7, "region/32:edge:associations:associations:",
                                                SECRET)  # fmt: skip


def test_an_empty_territory_has_an_empty_network():
    network = alliance_network([], "commune/59350", SECRET)
    assert (network.nodes, network.edges, network.partnerships) == ((), (), None)
