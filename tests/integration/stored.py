"""What the graph holds around a node, read back through the export's read path (validated)."""

from __future__ import annotations

from neo4j import Driver

from graph import export
from graph.export import Selection, StoredEdge
from ontology.records import Edge


def neighbourhood(driver: Driver, curie: str) -> list[Edge]:
    """The edges touching a node, in a stable order (type, subject, object, id)."""
    return [
        item.edge
        for item in export.iter_items(driver, Selection(entity=curie))
        if isinstance(item, StoredEdge)
    ]
