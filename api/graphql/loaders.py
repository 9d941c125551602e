"""Per-request DataLoaders: every entity and relation page a request needs, one query a level.

Built in the context getter, so nothing is cached across requests. Each ``load_fn`` hands its
keys to a ``graph.reads`` function that answers them in key order.
"""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from graph import reads
from graph.reads import Page, Reader, RelationKey
from ontology.records import Edge, Node


@dataclass(frozen=True)
class Loaders:
    nodes: DataLoader[str, Node | None]
    relations: DataLoader[RelationKey, Page[Edge]]


def build_loaders(reader: Reader) -> Loaders:
    async def load_nodes(ids: list[str]) -> list[Node | None]:
        return await reads.get_nodes(reader, ids)

    async def load_relations(keys: list[RelationKey]) -> list[Page[Edge]]:
        return await reads.relations(reader, keys)

    return Loaders(
        nodes=DataLoader(load_fn=load_nodes), relations=DataLoader(load_fn=load_relations)
    )
