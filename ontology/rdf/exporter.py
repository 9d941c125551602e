"""The exporter: records in, a complete document out (vocabulary, records, description)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ontology.rdf.formats import FORMATS
from ontology.rdf.mapping import edge_triples, node_triples
from ontology.rdf.stream import Format, StreamWriter, UnknownFormatError
from ontology.rdf.vocabulary import vocabulary_triples
from ontology.rdf.void import DatasetInfo, Summary, dataset_triples
from ontology.records import Edge, Node
from ontology.vocab import Predicate


class Exporter:
    """Feeds records to a streaming writer, counts them, ends with the dataset description."""

    def __init__(
        self,
        writer: StreamWriter,
        info: DatasetInfo,
        *,
        fmt: Format | None = None,
        star: bool = False,
        vocabulary: bool = True,
    ) -> None:
        if star and fmt is not None and not fmt.star:
            raise UnknownFormatError(
                f"{fmt.name} cannot write RDF-star; use one of: "
                f"{', '.join(f.name for f in FORMATS.values() if f.star)}"
            )
        self.writer = writer
        self.info = info
        self.fmt = fmt
        self.star = star
        self.vocabulary = vocabulary
        self.summary = Summary()
        self._subject: str | None = None
        self._direct: set[tuple[Predicate, str]] = set()  # the subject's direct triples

    def begin(self) -> None:
        self.writer.begin()
        if self.vocabulary:
            triples = vocabulary_triples()
            self.summary.triples += len(triples)
            self.writer.group(triples)

    def node(self, node: Node, sources: Sequence[str] = ()) -> None:
        triples = node_triples(node, sources)
        summary = self.summary
        summary.triples += len(triples)
        summary.nodes[node.category] += 1
        summary.spaces[node.id.partition(":")[0]] += 1
        example = summary.examples.get(node.category)
        if example is None or node.id < example:  # the same whatever the order of the records
            summary.examples[node.category] = node.id
        for source in {node.source, *sources}:
            summary.source(source, node.source_version if source == node.source else None)
        self.writer.group(triples)

    def edge(self, edge: Edge, edge_id: str | None = None) -> None:
        triples = edge_triples(edge, edge_id, star=self.star)
        summary = self.summary
        summary.edges[edge.predicate] += 1
        if not edge.negated:
            # Several edges (studies, measurements) may state one direct triple: write it once.
            # Every export reads a subject's edges together, so a subject's set is enough.
            if edge.subject != self._subject:
                self._subject, self._direct = edge.subject, set()
            direct = (edge.predicate, edge.object)
            if direct in self._direct:
                triples = triples[1:]
            else:
                self._direct.add(direct)
                summary.asserted[edge.predicate] += 1
        summary.triples += len(triples)
        prov = edge.provenance
        summary.source(prov.primary_knowledge_source, prov.source_version, prov.retrieval_date)
        for aggregator in prov.aggregator_knowledge_sources:
            summary.source(aggregator, None)
        self.writer.group(triples)

    def end(self) -> Summary:
        self.writer.group(dataset_triples(self.summary, self.info, self.fmt))
        self.writer.end()
        return self.summary


def export_records(records: Iterable[Node | Edge], exporter: Exporter) -> Summary:
    """Write records (not from Neo4j: tests, benchmarks) through an exporter.

    Nodes as they come, then the edges a subject at a time, as the reads of ``graph.export``
    deliver them (the exporter writes a direct triple once per subject).
    """
    exporter.begin()
    edges: dict[str, list[Edge]] = {}
    for record in records:
        if isinstance(record, Node):
            exporter.node(record)
        else:
            edges.setdefault(record.subject, []).append(record)
    for group in edges.values():
        for edge in group:
            exporter.edge(edge)
    return exporter.end()


# -- rdflib, for small parts -----------------------------------------------------------------
