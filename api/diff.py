"""What changed between two releases, or between a release and the running graph.

Both sides are read as KGX records (``ontology.kgx``): a release from its ``kgx/*.jsonl``, the
graph through the same conversion, so the comparison sees exactly what a release would hold.
Nodes and edges are matched by id (an edge's id is a digest of what identifies its
statement, so a new value is a removed edge and an added one); a record whose other properties
differ is *changed*, with the properties named. Counts are kept per source (a node's
``source``, an edge's ``primary_knowledge_source``).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neo4j import Driver

from graph import export
from graph.export import Selection, StoredNode
from ontology import kgx

KGX_DIR = "kgx"
NODES_JSONL = "nodes.jsonl"
EDGES_JSONL = "edges.jsonl"
LISTED = 50  # changes spelled out per kind in the readable summary

Records = dict[str, dict[str, Any]]


class DiffError(ValueError):
    """A release that cannot be read for a diff (names the file and line)."""


@dataclass
class Snapshot:
    """A graph as KGX records by id, with a label saying where it comes from."""

    label: str
    nodes: Records = field(default_factory=dict)
    edges: Records = field(default_factory=dict)


def compact(record: dict[str, Any]) -> dict[str, Any]:
    """A KGX record as JSON Lines hold it: absent values and empty lists left out."""
    return json.loads(kgx.json_line(record))  # type: ignore[no-any-return]


def read_release(release: Path) -> Snapshot:
    directory = release / KGX_DIR
    snapshot = Snapshot(label=release.name)
    for name, target in ((NODES_JSONL, snapshot.nodes), (EDGES_JSONL, snapshot.edges)):
        path = directory / name
        if not path.is_file():
            raise DiffError(f"{path}: missing; is {release} a PharmaKG release directory?")
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                try:
                    record = json.loads(line)
                    target[record["id"]] = record
                except (json.JSONDecodeError, KeyError, TypeError) as error:
                    raise DiffError(
                        f"{path}, line {number}: not a KGX record with an id ({error})"
                    ) from error
    return snapshot


def read_graph(
    driver: Driver, *, database: str | None = None, label: str = "the running graph"
) -> Snapshot:
    snapshot = Snapshot(label=label)
    for item in export.iter_items(driver, Selection(ordered=True), database=database):
        if isinstance(item, StoredNode):
            record = compact(kgx.node_record(item.node, item.sources))
            snapshot.nodes[record["id"]] = record
        else:
            record = compact(kgx.edge_record(item.edge, item.id))
            snapshot.edges[record["id"]] = record
    return snapshot


# -- the comparison --------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    id: str
    source: str
    label: str  # the node's name, or "subject predicate object"


@dataclass(frozen=True)
class Change:
    entry: Entry
    properties: dict[str, tuple[Any, Any]]  # name -> (old, new); None when absent


@dataclass
class KindDiff:
    added: list[Entry] = field(default_factory=list)
    removed: list[Entry] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def to_json(self) -> dict[str, Any]:
        return {
            "added": [_entry_json(e) for e in self.added],
            "removed": [_entry_json(e) for e in self.removed],
            "changed": [
                {
                    **_entry_json(c.entry),
                    "properties": {
                        name: {"old": old, "new": new} for name, (old, new) in c.properties.items()
                    },
                }
                for c in self.changed
            ],
        }


def _entry_json(entry: Entry) -> dict[str, str]:
    return {"id": entry.id, "source": entry.source, "label": entry.label}


@dataclass
class Diff:
    old: str
    new: str
    nodes: KindDiff
    edges: KindDiff

    @property
    def empty(self) -> bool:
        return self.nodes.empty and self.edges.empty

    def by_source(self) -> dict[str, dict[str, Counter[str]]]:
        """source -> "nodes"/"edges" -> counts of added, removed, changed."""
        table: dict[str, dict[str, Counter[str]]] = defaultdict(
            lambda: {"nodes": Counter(), "edges": Counter()}
        )
        for kind, part in (("nodes", self.nodes), ("edges", self.edges)):
            for entry in part.added:
                table[entry.source][kind]["added"] += 1
            for entry in part.removed:
                table[entry.source][kind]["removed"] += 1
            for change in part.changed:
                table[change.entry.source][kind]["changed"] += 1
        return dict(sorted(table.items()))

    def to_json(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "nodes": self.nodes.to_json(),
            "edges": self.edges.to_json(),
            "by_source": {
                source: {kind: dict(sorted(counts.items())) for kind, counts in kinds.items()}
                for source, kinds in self.by_source().items()
            },
        }


def compare(old: Snapshot, new: Snapshot) -> Diff:
    return Diff(
        old.label,
        new.label,
        _compare(old.nodes, new.nodes, _node_entry),
        _compare(old.edges, new.edges, _edge_entry),
    )


def _compare(old: Records, new: Records, entry: Callable[[dict[str, Any]], Entry]) -> KindDiff:
    result = KindDiff()
    result.added = [entry(new[key]) for key in sorted(new.keys() - old.keys())]
    result.removed = [entry(old[key]) for key in sorted(old.keys() - new.keys())]
    for key in sorted(old.keys() & new.keys()):
        before, after = old[key], new[key]
        if before == after:
            continue
        names = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        result.changed.append(
            Change(entry(after), {n: (before.get(n), after.get(n)) for n in names})
        )
    return result


def _node_entry(record: dict[str, Any]) -> Entry:
    return Entry(record["id"], str(record.get("source", "?")), str(record.get("name", "")))


def _edge_entry(record: dict[str, Any]) -> Entry:
    predicate = record.get("pharmakg_predicate", record.get("predicate", "?"))
    return Entry(
        record["id"],
        str(record.get("primary_knowledge_source", "?")),
        f"{record.get('subject')} {predicate} {record.get('object')}",
    )


# -- the readable summary (CHANGES.md) -------------------------------------------------------


def render(diff: Diff) -> str:
    """Markdown: totals, counts per source, then the changes themselves (the first few)."""
    lines = [f"# Changes from {diff.old} to {diff.new}", ""]
    if diff.empty:
        return "\n".join([*lines, "No node or edge was added, removed or changed.", ""])
    lines += ["| | added | removed | changed |", "|---|---:|---:|---:|"]
    for kind, part in (("nodes", diff.nodes), ("edges", diff.edges)):
        lines.append(f"| {kind} | {len(part.added)} | {len(part.removed)} | {len(part.changed)} |")
    lines += [
        "",
        "## Per source",
        "",
        "| source | nodes added | removed | changed | edges added | removed | changed |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for source, kinds in diff.by_source().items():
        cells = [
            str(kinds[k][what])
            for k in ("nodes", "edges")
            for what in ("added", "removed", "changed")
        ]
        lines.append(f"| {source} | {' | '.join(cells)} |")
    for kind, part in (("Nodes", diff.nodes), ("Edges", diff.edges)):
        lines += _listed(
            f"{kind} added",
            (f"`{e.id}` {e.label} ({e.source})" for e in part.added),
            len(part.added),
        )
        lines += _listed(
            f"{kind} removed",
            (f"`{e.id}` {e.label} ({e.source})" for e in part.removed),
            len(part.removed),
        )
        lines += _listed(
            f"{kind} changed", (_change_line(c) for c in part.changed), len(part.changed)
        )
    return "\n".join(lines) + "\n"


def _change_line(change: Change) -> str:
    what = "; ".join(
        f"{name}: {_shown(old)} → {_shown(new)}" for name, (old, new) in change.properties.items()
    )
    return f"`{change.entry.id}` {change.entry.label} ({change.entry.source}): {what}"


def _shown(value: Any) -> str:
    text = "(absent)" if value is None else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def _listed(title: str, items: Iterable[str], total: int) -> list[str]:
    if not total:
        return []
    out = ["", f"## {title} ({total})", ""]
    for number, item in enumerate(items):
        if number == LISTED:
            out.append(f"- ... and {total - LISTED} more (see the JSON diff)")
            break
        out.append(f"- {item}")
    return out
