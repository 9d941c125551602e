"""Releases against a real Neo4j: build from the curated graph, restore into an empty server,
validate the KGX files with kgx's own validator, rebuild byte for byte, diff one change.

A release dumps its database with ``neo4j-admin`` (the server stops and starts), so these
tests run a server of their own (``curated_server``) and restore into another
(``own_server``), never into the shared session server.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from neo4j import Driver, GraphDatabase

from api import diff, pipeline, release
from api.settings import PROJECT_ROOT
from graph import server
from graph.errors import ServerError
from graph.export import Selection, StoredNode, iter_items
from graph.schema import apply_schema, schema_names
from graph.writer import Writer
from ontology import identifiers
from tests.integration.release import kgx_check

PASSWORD = "pharmakg-release-test"
BUILT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def curated_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[server.ServerConfig]:
    cfg = server.ServerConfig(
        home=PROJECT_ROOT / ".neo4j",
        instance_dir=tmp_path_factory.mktemp("release-neo4j"),
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
        pytest.fail(f"could not start a Neo4j server for the release tests: {error}", pytrace=False)
    try:
        with connect(cfg, PASSWORD) as driver:
            apply_schema(driver)
            report = pipeline.load(driver, pipeline.CURATED, [PROJECT_ROOT / "data" / "curated"])
            assert report.rejections == []
        yield cfg
    finally:
        server.stop(cfg)


@contextlib.contextmanager
def connect(cfg: server.ServerConfig, password: str) -> Iterator[Driver]:
    """A fresh driver: a dump or a load restarts the server, so no pooled connection lives."""
    with GraphDatabase.driver(cfg.bolt_uri, auth=("neo4j", password)) as driver:
        driver.verify_connectivity()
        yield driver


def options(version: str, previous: Path | None = None) -> release.BuildOptions:
    return release.BuildOptions(version=version, built=BUILT, previous=previous)


@pytest.fixture(scope="module")
def curated_release(
    curated_server: server.ServerConfig, tmp_path_factory: pytest.TempPathFactory
) -> release.Release:
    out = tmp_path_factory.mktemp("releases")
    steps: list[str] = []
    with connect(curated_server, PASSWORD) as driver:
        built = release.build(
            driver,
            out,
            options("2026.12.01"),
            server_config=curated_server,
            on_progress=lambda what, _done, _total: steps.append(what),
        )
    assert any("Dumping" in step for step in steps)
    return built


def graph_dump(driver: Driver) -> tuple[list[str], list[str]]:
    """Every node and relationship with labels, type and properties, sorted, comparable."""
    nodes = driver.execute_query(
        "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"
    ).records
    rels = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS type, b.id AS b, properties(r) AS props"
    ).records
    return (
        sorted(repr((sorted(r["labels"]), sorted(r["props"].items()))) for r in nodes),
        sorted(repr((r["a"], r["type"], r["b"], sorted(r["props"].items()))) for r in rels),
    )


def test_a_release_holds_every_format_with_its_checksum(curated_release: release.Release) -> None:
    directory = curated_release.directory
    files = curated_release.files
    expected = {
        "neo4j/neo4j.dump",
        *release.RDF_FILES.values(),
        *release.KGX_TSV,
        *release.KGX_JSONL,
        release.KGX_PREFIX_MAP,
        *release.CSV_FILES,
        release.DATA_DICTIONARY,
        release.CITATION,
    }
    assert set(files) == expected
    assert not (directory.parent / ".2026.12.01.partial").exists()
    for name, entry in files.items():
        assert entry["bytes"] == (directory / name).stat().st_size > 0
    assert release.problems(directory) == []
    sums = (directory / release.CHECKSUMS).read_text().splitlines()
    assert len(sums) == len(files) + 1  # and the manifest
    manifest = curated_release.manifest
    counts = manifest["counts"]
    assert sum(counts["categories"].values()) == counts["nodes"] > 100
    assert sum(counts["predicates"].values()) == counts["edges"] > 200
    assert "infores:pharmakg" in manifest["sources"]
    assert manifest["licence"] == "CC-BY-4.0"  # the data licence (the code is MIT)
    assert 'version: "2026.12.01"' in (directory / release.CITATION).read_text()
    print("\n".join(f"{entry['bytes']:>10}  {name}" for name, entry in sorted(files.items())))


def test_restore_into_an_empty_server_gives_the_same_graph(
    curated_server: server.ServerConfig,
    curated_release: release.Release,
    own_server: server.ServerConfig,
    tmp_path: Path,
) -> None:
    with connect(curated_server, PASSWORD) as driver:
        expected, expected_schema = graph_dump(driver), schema_names(driver)
    release.restore(curated_release.directory, own_server)
    with connect(own_server, own_server.password) as driver:
        got, got_schema = graph_dump(driver), schema_names(driver)
    # The dump holds the graph version node too (graph.version): the manifest counts entities.
    entities = [node for node in got[0] if "'Entity'" in node]
    assert len(entities) == curated_release.manifest["counts"]["nodes"] == len(got[0]) - 1
    assert len(got[1]) == curated_release.manifest["counts"]["edges"]
    assert got == expected
    assert got_schema == expected_schema
    # And the restored graph releases to the same bytes (another store, the same order).
    with connect(own_server, own_server.password) as driver:
        again = release.build(driver, tmp_path / "again", options("2026.12.01"))
    for name in (n for n in curated_release.files if not n.startswith("neo4j/")):
        assert (again.directory / name).read_bytes() == (
            curated_release.directory / name
        ).read_bytes(), name


def test_a_release_that_does_not_match_its_checksums_is_refused(
    curated_release: release.Release, own_server: server.ServerConfig, tmp_path: Path
) -> None:
    copy = tmp_path / "tampered"
    shutil.copytree(curated_release.directory, copy)
    nodes = copy / "kgx" / "nodes.tsv"
    nodes.write_bytes(nodes.read_bytes().replace(b"mitragynine", b"mitragynina", 1))
    (copy / "csv" / "edges.csv").unlink()
    assert [p.split(":")[0] for p in release.problems(copy)] == ["csv/edges.csv", "kgx/nodes.tsv"]
    with pytest.raises(release.ReleaseError, match="refusing it") as raised:
        release.restore(copy, own_server)
    assert "kgx/nodes.tsv: SHA-256" in str(raised.value)
    assert "csv/edges.csv: missing" in str(raised.value)
    assert not server.status(own_server).running  # refused before touching the server


# What kgx's validator still reports, and why each stays (docs/releases.md, "KGX"):
# - "doi": kgx's CURIE check is the regex ^[^ <()>:]*:[^/ :]+$ (kgx/prefix_manager.py), which
#   refuses a "/" in the local id; every DOI has one (its prefix/suffix syntax), and Biolink
#   spells DOIs so (biolink_model.yaml: prefix doi, https://doi.org/). A validator limitation.
# - "GBIF": kratom's taxon, where no NCBI taxon id could be confirmed
#   (data/curated/verification/unverified-entities.md); Biolink's context has no GBIF.
# - "PHARMAKG.CONDITION", "PHARMAKG.OUTCOME": the classes PharmaKG mints where no ontology has
#   one; no minted prefix is in Biolink's context. Both declared in kgx/prefix-map.json.
NO_CURIE_FOR_KGX = frozenset({"doi"})
NOT_IN_BIOLINK = frozenset({"GBIF", "PHARMAKG.CONDITION", "PHARMAKG.OUTCOME"})
_VALUE = "ERROR", "INVALID_NODE_PROPERTY_VALUE"
_EDGE_VALUE = "ERROR", "INVALID_EDGE_PROPERTY_VALUE"
_CONTEXT = "is not represented in Biolink Model JSON-LD context"


def run_validator(
    directory: Path, fmt: str, declared: dict[str, str] | None = None
) -> set[kgx_check.Finding]:
    logging.disable(logging.WARNING)  # kgx logs every finding; they are returned
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            findings, _errors = kgx_check.validate(directory, fmt, declared)
    finally:
        logging.disable(logging.NOTSET)
    return findings


def id_findings(directory: Path) -> set[kgx_check.Finding]:
    """The findings kgx gives the ids of the two kinds above, built from the files' ids."""

    def problem(curie: str) -> str | None:
        prefix, local = curie.split(":", 1)
        if "/" in local:
            assert prefix in NO_CURIE_FOR_KGX, curie
            return "slash"
        if prefix not in biolink_prefixes:
            assert prefix in NOT_IN_BIOLINK, curie
            return prefix
        return None

    biolink_prefixes = {*identifiers.biolink_prefix_map(), "biolink"}
    expected: set[kgx_check.Finding] = set()
    for line in (directory / "nodes.jsonl").read_text().splitlines():
        node = json.loads(line)["id"]
        match problem(node):
            case "slash":
                expected.add(
                    (*_VALUE, "Node property 'id' is expected to be of type 'CURIE'", node)
                )
            case str(prefix):
                expected.add(
                    (
                        *_VALUE,
                        f"Node property 'id' has a value '{node}' with a CURIE "
                        f"prefix '{prefix}' {_CONTEXT}",
                        node,
                    )
                )
    for line in (directory / "edges.jsonl").read_text().splitlines():
        edge = json.loads(line)
        entity = f"{edge['subject']}->{edge['object']}"
        for end in ("subject", "object"):
            curie = edge[end]
            match problem(curie):
                case "slash":
                    expected.add(
                        (
                            *_EDGE_VALUE,
                            f"Edge property '{end}' has a value '{curie}' "
                            "which is not a proper CURIE",
                            entity,
                        )
                    )
                case str(prefix):
                    expected.add(
                        (
                            *_EDGE_VALUE,
                            f"Edge property '{end}' has a value '{curie}' "
                            f"with a CURIE prefix '{prefix}' that {_CONTEXT}",
                            entity,
                        )
                    )
    return expected


@pytest.mark.parametrize("fmt", ["tsv", "jsonl"])
def test_the_kgx_files_pass_the_kgx_validator(curated_release: release.Release, fmt: str) -> None:
    directory = curated_release.directory / "kgx"
    findings = run_validator(directory, fmt)
    expected = id_findings(directory)
    by_prefix = Counter(
        (f[2].split("'")[3] if "value" in f[2] else f[3]).split(":")[0] for f in findings
    )
    print(
        f"kgx validator, {fmt}: {len(findings)} findings, by the prefix of the id: "
        f"{dict(sorted(by_prefix.items()))}"
    )
    # The Biolink checks themselves (categories, predicates, required slots, knowledge level
    # and agent type values, property types) find nothing; the ids find exactly the above.
    assert findings == expected
    assert {f[3].split(":")[0] for f in findings if f[2].endswith("CURIE'")} == {"doi"}
    prefix_map = json.loads((curated_release.directory / release.KGX_PREFIX_MAP).read_text())
    assert set(prefix_map) >= NOT_IN_BIOLINK | NO_CURIE_FOR_KGX


def test_with_the_releases_prefix_map_only_the_validators_doi_regex_remains(
    curated_release: release.Release,
) -> None:
    """Given the prefixes the release declares, as a KGX consumer registers them, kgx finds
    nothing but the DOIs its CURIE regex refuses (which Biolink's own ``doi`` prefix names)."""
    directory = curated_release.directory
    declared = json.loads((directory / release.KGX_PREFIX_MAP).read_text())
    findings = run_validator(directory / "kgx", "jsonl", declared)
    assert findings == {f for f in id_findings(directory / "kgx") if _names_a_doi(f)}
    assert findings  # the DOI-identified studies are there, and still refused by the regex
    dois = {f[3].removeprefix("doi:") for f in findings if f[3].startswith("doi:")}
    assert dois
    assert all(identifiers.is_curie(f"DOI:{doi}") for doi in dois)  # valid DOIs, by our check


def _names_a_doi(finding: kgx_check.Finding) -> bool:
    return "'doi:" in finding[2] or (finding[3].startswith("doi:") and "CURIE'" in finding[2])


def test_kgx_ids_name_the_rdf_files_iris(curated_release: release.Release) -> None:
    """Every KGX node id, expanded with the release's prefix map, is the node's RDF IRI."""
    directory = curated_release.directory
    prefix_map = json.loads((directory / release.KGX_PREFIX_MAP).read_text())
    kgx_ids = [
        json.loads(line)["id"]
        for line in (directory / "kgx" / "nodes.jsonl").read_text().splitlines()
    ]
    with (directory / "csv" / "nodes.csv").open(newline="", encoding="utf-8") as handle:
        our_ids = [row["id"] for row in csv.DictReader(handle)]
    assert len(kgx_ids) == len(our_ids) == curated_release.manifest["counts"]["nodes"]
    expanded = [prefix_map[p] + local for p, local in (c.split(":", 1) for c in kgx_ids)]
    assert expanded == [identifiers.iri(c) for c in our_ids]
    assert any(c.startswith("PHARMAKG.OUTCOME:") for c in kgx_ids)
    assert any(c.startswith("doi:10.") for c in kgx_ids)


def test_the_validator_catches_a_wrong_predicate(
    curated_release: release.Release, tmp_path: Path
) -> None:
    for name in ("nodes.tsv", "edges.tsv", "nodes.jsonl", "edges.jsonl"):
        shutil.copy(curated_release.directory / "kgx" / name, tmp_path / name)
    edges = tmp_path / "edges.tsv"
    edges.write_text(
        edges.read_text().replace("\tbiolink:has_input\t", "\tbiolink:investigates_thing\t", 1)
    )
    extra = run_validator(tmp_path, "tsv") - id_findings(tmp_path)
    assert [f[1] for f in extra] == ["INVALID_EDGE_PREDICATE"]


def test_building_twice_gives_the_same_bytes(
    curated_server: server.ServerConfig, curated_release: release.Release, tmp_path: Path
) -> None:
    with connect(curated_server, PASSWORD) as driver:
        again = release.build(driver, tmp_path, options("2026.12.01"))
    compared = [n for n in curated_release.files if not n.startswith("neo4j/")]
    assert compared
    for name in compared:
        assert (again.directory / name).read_bytes() == (
            curated_release.directory / name
        ).read_bytes(), name
    assert "neo4j/neo4j.dump" not in again.files  # built without the local server


@pytest.fixture
def one_changed_node(curated_server: server.ServerConfig) -> Iterator[tuple[str, str, str]]:
    """The graph with one node renamed; renamed back afterwards."""
    with connect(curated_server, PASSWORD) as driver:
        node = next(
            item.node
            for item in iter_items(driver, Selection(ordered=True))
            if isinstance(item, StoredNode) and item.node.id == "PUBCHEM.COMPOUND:3034396"
        )
        Writer(driver).write(
            [node.model_copy(update={"name": "mitragynine (renamed)"})], atomic=True
        )
    try:
        yield node.id, node.name, "mitragynine (renamed)"
    finally:
        with connect(curated_server, PASSWORD) as driver:
            Writer(driver).write([node], atomic=True)


def test_diff_reports_exactly_the_one_change(
    curated_server: server.ServerConfig,
    curated_release: release.Release,
    one_changed_node: tuple[str, str, str],
    tmp_path: Path,
) -> None:
    curie, old_name, new_name = one_changed_node
    with connect(curated_server, PASSWORD) as driver:
        changed = release.build(
            driver, tmp_path, options("2026.12.02", previous=curated_release.directory)
        )
        against_graph = diff.compare(
            diff.read_release(curated_release.directory), diff.read_graph(driver)
        )
    expected = {
        "old": "2026.12.01",
        "new": "2026.12.02",
        "nodes": {
            "added": [],
            "removed": [],
            "changed": [
                {
                    "id": curie,
                    "source": "infores:pharmakg",
                    "label": new_name,
                    "properties": {"name": {"old": old_name, "new": new_name}},
                }
            ],
        },
        "edges": {"added": [], "removed": [], "changed": []},
        "by_source": {"infores:pharmakg": {"nodes": {"changed": 1}, "edges": {}}},
    }
    assert json.loads((changed.directory / release.CHANGES_JSON).read_text()) == expected
    assert against_graph.to_json() == {**expected, "new": "the running graph"}
    changes = (changed.directory / release.CHANGES).read_text()
    assert f'`{curie}` {new_name} (infores:pharmakg): name: "{old_name}" → "{new_name}"' in changes
    assert "| nodes | 0 | 0 | 1 |" in changes
    assert "| edges | 0 | 0 | 0 |" in changes
    assert changed.manifest["previous"] == "2026.12.01"
