"""``nodes_then_edges``: every node of a load before any edge, in bounded memory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from loaders.base import Reject, nodes_then_edges
from loaders.errors import Location, Rejection
from loaders.fields import Dating, provenance
from ontology.records import Edge, Node, Record
from ontology.vocab import Category, Predicate


def _node(n: int) -> Node:
    return Node(
        id=f"DOID:{n}",
        category=Category.CONDITION,
        name=f"example {n}",
        source="infores:doid",
        source_version="example",
    )


def _edge(child: int, parent: int) -> Edge:
    return Edge(
        subject=f"DOID:{child}",
        predicate=Predicate.SUBCLASS_OF,
        object=f"DOID:{parent}",
        provenance=provenance("infores:doid", (f"DOID:{child}",), Dating("example", None)),
    )


# Children before parents, as in a real ontology file; one bad record.
STREAM: list[Record] = [_node(1), _edge(1, 2), _node(2), _edge(2, 3), _edge(1, 3), _node(3)]


class Source:
    """A re-readable source that counts its readings and reports one rejection per reading."""

    def __init__(self) -> None:
        self.readings = 0

    def __call__(self, reject: Reject) -> Iterator[Record]:
        self.readings += 1
        reject(Rejection(Location(Path("example.obo"), 9), "name", "example"))
        yield from STREAM


def test_nodes_come_first_then_edges_in_file_order() -> None:
    source, rejections = Source(), list[Rejection]()
    out = list(nodes_then_edges(source, rejections.append))
    assert out == [_node(1), _node(2), _node(3), _edge(1, 2), _edge(2, 3), _edge(1, 3)]
    assert source.readings == 1
    assert len(rejections) == 1


def test_more_edges_than_it_holds_reads_the_source_again() -> None:
    source, rejections = Source(), list[Rejection]()
    out = list(nodes_then_edges(source, rejections.append, held=2))
    assert out == [_node(1), _node(2), _node(3), _edge(1, 2), _edge(2, 3), _edge(1, 3)]
    assert source.readings == 2
    assert len(rejections) == 1  # the second reading's rejections are not reported again
