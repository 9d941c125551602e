"""The bulk path against a real Neo4j: the same records give the same graph as the writer.

``neo4j-admin database import`` needs its server stopped, so these tests start their own
server on free ports in a temporary directory instead of using the shared session server.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver, GraphDatabase

from api.settings import PROJECT_ROOT
from benchmarks.synthetic import generate
from graph import bulk, server
from graph.errors import ServerError
from graph.schema import apply_schema, schema_names
from graph.writer import Writer
from ontology.records import Edge, Node, Provenance, Record
from ontology.vocab import Category, Predicate

PASSWORD = "pharmakg-bulk-test"
pytestmark = pytest.mark.slow

PROV = Provenance(
    primary_knowledge_source="infores:chembl",
    publications=("PMID:24464759",),
    aggregator_knowledge_sources=("infores:pharmakg",),
    knowledge_level="knowledge_assertion",
    agent_type="manual_agent",
    retrieval_date=date(2024, 5, 1),
)
MITRAGYNINE = Node(
    id="PUBCHEM.COMPOUND:3034396",
    category=Category.ALKALOID,
    name="mitragynine",
    description="",
    synonyms=('MG, "speciogynine" isomer; 9-methoxy', "µ-agonist  ", "back\\slash"),
    xrefs=("CHEMBL.COMPOUND:CHEMBL299031",),
    formula="C23H30N2O4",
    source="infores:pharmakg",
)
MOR = Node(
    id="UniProtKB:P35372",
    category=Category.RECEPTOR,
    name="mu opioid receptor",
    symbol="OPRM1",
    taxon="NCBITaxon:9606",
    source="infores:pharmakg",
    description='line one\nline two, "quoted"\r\nthree 🧪',
)
STUDY = Node(
    id="PMID:24464759",
    category=Category.STUDY,
    name="Kruegel 2016",
    design="in_vitro",
    year=2016,
    sample_size=0,
    source="infores:pharmakg",
    source_version="2024-05",
)
AWKWARD: list[Record] = [
    MITRAGYNINE,
    MOR,
    STUDY,
    Edge(
        subject=MITRAGYNINE.id,
        predicate=Predicate.BINDS,
        object=MOR.id,
        provenance=PROV,
        measure="Ki",
        relation="<",
        value=1e-05,
        unit="nM",
        assay='[3H]DAMGO, "membranes"',
    ),
    Edge(
        subject=MITRAGYNINE.id,
        predicate=Predicate.BINDS,
        object=MOR.id,
        provenance=PROV,
        measure="Ki",
        value=709.0,
        unit="uM",
        note="second source,\nsame pair",
    ),
    Edge(
        subject=STUDY.id,
        predicate=Predicate.INVESTIGATES,
        object=MITRAGYNINE.id,
        provenance=PROV.model_copy(update={"aggregator_knowledge_sources": ()}),
        negated=True,
        dose="",
        role="test article",
    ),
]

# Line breaks in a CSV over the importer's 4 MiB read buffer (its per-file multiline mode,
# v2, fails on such files in 5.26).
LONG_SUMMARIES: list[Record] = [
    Node(
        id=f"PMID:{9_000_000 + i}",
        category=Category.STUDY,
        name=f"long study {i}",
        summary=("one line of a long summary, with a comma\n" * 2500),
        source="infores:x",
    )
    for i in range(50)
]


@pytest.fixture(scope="module")
def bulk_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[server.ServerConfig]:
    cfg = server.ServerConfig(
        home=PROJECT_ROOT / ".neo4j",
        instance_dir=tmp_path_factory.mktemp("bulk-neo4j"),
        password=PASSWORD,
        bolt_port=server.free_port(),
        http_port=server.free_port(),
        heap="512m",
        pagecache="256m",
        transaction_memory="256m",
    )
    try:
        server.start(cfg)
    except ServerError as error:
        pytest.fail(f"could not start a Neo4j server for the bulk tests: {error}", pytrace=False)
    try:
        yield cfg
    finally:
        server.stop(cfg)


@contextmanager
def connect(cfg: server.ServerConfig) -> Iterator[Driver]:
    """A fresh driver: every import restarts the server, so no pooled connection survives."""
    with GraphDatabase.driver(cfg.bolt_uri, auth=("neo4j", PASSWORD)) as driver:
        driver.verify_connectivity()
        yield driver


def dump(driver: Driver) -> tuple[list[str], list[str]]:
    """Every node and relationship with labels, type and properties, sorted, comparable (the
    graph version node, a fresh token per load, is bookkeeping: not part of the graph)."""
    nodes = driver.execute_query(
        "MATCH (n:Entity) RETURN labels(n) AS labels, properties(n) AS props"
    ).records
    rels = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS type, b.id AS b, properties(r) AS props"
    ).records
    return (
        sorted(repr((sorted(r["labels"]), sorted(r["props"].items()))) for r in nodes),
        sorted(repr((r["a"], r["type"], r["b"], sorted(r["props"].items()))) for r in rels),
    )


def load_with_writer(
    cfg: server.ServerConfig, records: list[Record]
) -> tuple[tuple[list[str], list[str]], list[str]]:
    rejected: list[str] = []
    with connect(cfg) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n")
        apply_schema(driver)
        Writer(
            driver,
            on_reject=lambda edge, reason: rejected.append(
                f"edge {edge.subject} -[{edge.rel_type}]-> {edge.object}: {reason}"
            ),
            scope=SCOPE,
            snapshot=True,
        ).write(records, atomic=True)
        return dump(driver), rejected


def load_in_bulk(
    cfg: server.ServerConfig, records: list[Record], work_dir: Path
) -> tuple[tuple[list[str], list[str]], bulk.BulkReport, set[str]]:
    report = bulk.bulk_load(cfg, records, work_dir=work_dir, scope=SCOPE)
    with connect(cfg) as driver:
        bulk.finish_bulk_load(driver, report)
        return dump(driver), report, schema_names(driver)


SCOPE = "test:bulk"  # the load's source and dataset, stamped alike by both paths


def test_bulk_and_writer_give_the_same_graph(
    bulk_server: server.ServerConfig, tmp_path: Path
) -> None:
    records = AWKWARD + LONG_SUMMARIES + list(generate(600, seed=11))
    expected, writer_rejections = load_with_writer(bulk_server, records)
    with connect(bulk_server) as driver:
        expected_schema = schema_names(driver)
    got, report, got_schema = load_in_bulk(bulk_server, records, tmp_path)

    assert writer_rejections == []
    assert report.rejected == []
    assert report.duplicate_nodes == []
    nodes = sum(isinstance(r, Node) for r in records)
    assert (report.nodes_imported, report.edges_imported) == (nodes, len(records) - nodes)
    assert len(got[0]) == nodes
    assert len(got[1]) == len(records) - nodes
    assert got == expected
    assert got_schema == expected_schema
    assert {"csv", "stop", "import", "start", "check", "schema"} <= set(report.seconds)
    # A batched snapshot load of the same scope over the bulk import retracts what it no
    # longer states: the graph is then the one a fresh load of the smaller dataset gives.
    smaller = records[:-25]
    with connect(bulk_server) as driver:
        retracted = Writer(driver, scope=SCOPE, snapshot=True).write(smaller, atomic=True)
        reloaded = dump(driver)
    assert len(retracted.retracted) == 25
    assert reloaded == load_with_writer(bulk_server, smaller)[0]


BAD_PROVENANCE = PROV.model_copy(update={"publications": ("PMID:1",)})
MISSING_OBJECT = Edge(
    subject=MITRAGYNINE.id,
    predicate=Predicate.BINDS,
    object="UniProtKB:P41145",
    provenance=BAD_PROVENANCE,
)
MISSING_SUBJECT = Edge(
    subject="PUBCHEM.COMPOUND:1",
    predicate=Predicate.BINDS,
    object=MOR.id,
    provenance=BAD_PROVENANCE,
)
WRONG_CATEGORY = Edge(
    subject=MOR.id, predicate=Predicate.BINDS, object=MITRAGYNINE.id, provenance=BAD_PROVENANCE
)
GOOD = Edge(
    subject=MITRAGYNINE.id,
    predicate=Predicate.AGONIST_OF,
    object=MOR.id,
    provenance=BAD_PROVENANCE,
    measure="EC50",
    value=339.0,
    unit="nM",
)
UNWRITABLE = Node(
    id="PUBCHEM.COMPOUND:2",
    category=Category.DRUG,
    name="odd",
    synonyms=("a\x1fb",),
    source="infores:pharmakg",
)


def test_bad_input_is_reported_like_the_writer_does(
    bulk_server: server.ServerConfig, tmp_path: Path
) -> None:
    # A duplicate node and a duplicate edge (identical, as the pipeline lets them through).
    stream: list[Record] = [
        MITRAGYNINE,
        MOR,
        MOR,
        MISSING_OBJECT,
        MISSING_SUBJECT,
        WRONG_CATEGORY,
        GOOD,
        GOOD,
    ]
    expected, writer_rejections = load_with_writer(bulk_server, stream)
    got, report, _ = load_in_bulk(bulk_server, [*stream, UNWRITABLE], tmp_path)

    assert got == expected
    assert sorted(str(r) for r in report.rejected if r.kind == "edge") == sorted(writer_rejections)
    assert len(writer_rejections) == 3
    assert [str(r) for r in report.rejected if r.kind != "edge"] == [
        "record PUBCHEM.COMPOUND:2: list element 'a\\x1fb' contains the array delimiter U+001F"
    ]
    assert report.duplicate_nodes == [MOR.id]
    assert len(got[1]) == 1  # GOOD, once


def test_a_failed_import_leaves_an_empty_database(
    bulk_server: server.ServerConfig, tmp_path: Path
) -> None:
    csvs = bulk.write_csvs([STUDY], tmp_path / "csv")
    path = csvs.directory / bulk.node_file(Category.STUDY)
    header = path.read_text().splitlines()[0].split(",")
    cells = [""] * len(header)
    cells[:3] = ['"PMID:1"', f'"Study{bulk.ARRAY_DELIMITER}Entity"', '"x"']
    cells[header.index("year:long")] = "not-a-year"
    path.write_text(",".join(header) + "\n" + ",".join(cells) + "\n")
    with connect(bulk_server) as driver:
        driver.execute_query("CREATE (:Entity {id: 'before'})")
    with pytest.raises(bulk.BulkError, match="the import failed; neo4j is now empty"):
        bulk.import_into(bulk_server, csvs.directory)
    with connect(bulk_server) as driver:
        count = driver.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"]
    assert count == 0


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("", '""'),
        ('a "b", c', '"a ""b"", c"'),
        (True, "true"),
        (False, "false"),
        (3, "3"),
        (1e-05, "1e-05"),
        (float("inf"), "Infinity"),
        (float("nan"), "NaN"),
        (["x", "y;z"], '"x\x1fy;z"'),
    ],
)
def test_cells_are_written_as_the_importer_reads_them(value: Any, text: str) -> None:
    assert bulk.cell(value) == text


def test_headers_carry_the_types_of_the_record_fields() -> None:
    header = bulk.node_header(Category.STUDY).split(",")
    assert header[:2] == ["id:ID(Entity)", ":LABEL"]
    assert {
        "sample_size:long",
        "year:long",
        "synonyms:string[]",
        "sources:string[]",
        "content_hash",
    } <= set(header)
    edge = bulk.edge_header().split(",")
    assert edge[:3] == [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"]
    assert {
        "value:double",
        "negated:boolean",
        "publications:string[]",
        "aggregator_knowledge_sources:string[]",
        "retrieval_date",
    } <= set(edge)
