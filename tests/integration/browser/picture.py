"""What a query draws: the nodes and relationships Neo4j Browser takes from its records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver, Record
from neo4j.graph import Node, Path, Relationship

from ontology.vocab import CATEGORIES, Category, category_of_label


@dataclass(frozen=True)
class DrawnNode:
    category: Category
    name: str


@dataclass
class Picture:
    nodes: dict[str, DrawnNode] = field(default_factory=dict)  # by element id
    relationships: dict[str, str] = field(default_factory=dict)  # element id -> type

    @property
    def names(self) -> set[str]:
        return {node.name for node in self.nodes.values()}

    def add(self, value: Any) -> None:
        """Walk a record value as Browser does: nodes, relationships, paths, lists, maps."""
        if isinstance(value, Node):
            labels = [label for label in value.labels if label != "Entity"]
            assert len(labels) == 1, f"a node with labels {sorted(value.labels)}"
            self.nodes[value.element_id] = DrawnNode(
                category_of_label(labels[0]), str(value["name"])
            )
        elif isinstance(value, Relationship):
            self.relationships[value.element_id] = value.type
            # A relationship returned on its own carries bare end nodes (no labels); Browser
            # fetches those, and the guide's queries return them anyway.
            for end in (value.start_node, value.end_node):
                if end is not None and end.labels:
                    self.add(end)
        elif isinstance(value, Path):
            for node in value.nodes:
                self.add(node)
            for relationship in value.relationships:
                self.add(relationship)
        elif isinstance(value, list):
            for item in value:
                self.add(item)
        elif isinstance(value, dict):
            for item in value.values():
                self.add(item)


def picture(records: list[Record]) -> Picture:
    drawn = Picture()
    for record in records:
        for value in record.values():
            drawn.add(value)
    return drawn


def run(driver: Driver, cypher: str) -> Picture:
    records, _, _ = driver.execute_query(cypher, database_="neo4j")
    return picture(records)


def label(category: Category) -> str:
    return CATEGORIES[category].label
