"""The alliance network of a territory: which kinds of actors partner with which, by category.

Partnerships registered on the platform are private to their partners, so the public network is
an aggregate: its nodes are the referential's actor profiles (associations, companies…) and an
edge joins two profiles with the number of partnerships of one category between organisations of
those profiles (a partnership of three partners makes three pairs). Every count shown goes through
:func:`alliance.disclosure.protected_count`, the statistics endpoint's rule: below 5 it is
withheld (``None``, the edge stays, flagged), otherwise rounded to a multiple of 5 with a draw
keyed on the cell, so that no small group can be singled out and subtracting counts tells nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from alliance.disclosure import protected_count

__all__ = ["Edge", "Network", "Node", "PartnershipRecord", "alliance_network"]


@dataclass(frozen=True)
class PartnershipRecord:
    """One partnership of the territory: its category and its partners as ``(id, profile)``."""

    partnership: int
    category: str
    partners: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Node:
    """An actor profile: how many organisations of it, and partnerships they are in (protected)."""

    profile: str
    organisations: int | None
    partnerships: int | None


@dataclass(frozen=True)
class Edge:
    """Partnerships of ``category`` joining a ``source`` and a ``target`` profile (protected)."""

    source: str
    target: str
    category: str
    partnerships: int | None

    @property
    def withheld(self) -> bool:
        """Whether the count is too small to be shown."""
        return self.partnerships is None


@dataclass(frozen=True)
class Network:
    """Nodes and edges, sorted, with the partnerships counted in all (protected)."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    partnerships: int | None
    by_category: dict[str, int | None] = field(default_factory=dict)


def alliance_network(records: list[PartnershipRecord], cell: str, secret: bytes) -> Network:
    """Build the profile network of ``records``; ``cell`` names the territory in the draws' keys.

    Examples
    --------
    >>> records = [PartnershipRecord(i, "mecenat", ((1, "pme"), (100 + i, "associations")))
    ...            for i in range(10)]
    >>> network = alliance_network(records, "department/59", b"k")
    >>> [(e.source, e.target, e.category, e.partnerships) for e in network.edges]
    [('associations', 'pme', 'mecenat', 10)]
    >>> [(n.profile, n.organisations) for n in network.nodes]
    [('associations', 10), ('pme', None)]
    """
    organisations: dict[str, set[int]] = defaultdict(set)
    involved: dict[str, set[int]] = defaultdict(set)
    pairs: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    categories: dict[str, set[int]] = defaultdict(set)
    for record in records:
        categories[record.category].add(record.partnership)
        for organisation, profile in record.partners:
            organisations[profile].add(organisation)
            involved[profile].add(record.partnership)
        for (_, first), (_, second) in combinations(sorted(set(record.partners)), 2):
            source, target = sorted((first, second))
            pairs[(source, target, record.category)].add(record.partnership)

    def shown(count: int, name: str) -> int | None:
        return protected_count(count, f"{cell}:{name}", secret)

    nodes = tuple(
        Node(
            profile,
            shown(len(organisations[profile]), f"organisations:{profile}"),
            shown(len(involved[profile]), f"partnerships:{profile}"),
        )
        for profile in sorted(organisations)
    )
    edges = tuple(
        Edge(source, target, category, shown(len(ids), f"edge:{source}:{target}:{category}"))
        for (source, target, category), ids in sorted(pairs.items())
    )
    return Network(
        nodes=nodes,
        edges=edges,
        partnerships=shown(len({r.partnership for r in records}), "partnerships"),
        by_category={c: shown(len(ids), f"category:{c}") for c, ids in sorted(categories.items())},
    )
