"""Apache Jena, an engine nobody here wrote, on the curated export.

The curated data is loaded into Neo4j and exported through the streamed path in every format
(and RDF-star where the format has it). One JVM (tests/jena/JenaCheck.java on Jena 5.6.0,
fetched by tests/jars.py) parses each file with riot in strict mode, runs every saved query of
docs/queries/*.rq with ARQ on the Turtle export, and the examples of docs/rdf.md on the export
each is written for (N-Quads for GRAPH, RDF-star for rdf:reifies). Its answers must equal the
Cypher oracle's and the GraphQL twin's. No Java or no jars fail these tests: they never skip.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from api.settings import PROJECT_ROOT
from graph import export
from graph.export import Selection
from ontology import rdf
from tests.integration.rdf.questions import INFO, QUERIES, QUESTIONS, Answers, json_answer
from tests.integration.rdf.test_graphql_equivalence import PROJECT, sparql_projection
from tests.jars import jars
from tests.unit.rdf.test_docs_sparql import doc_queries

CHECK = PROJECT_ROOT / "tests" / "jena" / "JenaCheck.java"
# A short run: the client compiler and the serial collector halve its CPU time (measured:
# 10.9 s against 19.8 s for the whole module's commands).
JVM_FLAGS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
EXPORTS = [
    (name, star)
    for name, fmt in rdf.FORMATS.items()
    for star in (False, True)
    if fmt.star or not star
]
BROKEN = "broken.ttl"  # a document Jena must reject: the check can fail
EXAMPLES = dict(enumerate(doc_queries()))


def export_file(name: str, star: bool) -> str:
    return f"curated{'-star' if star else ''}.{rdf.FORMATS[name].extension}"


def example_data(query: str) -> tuple[str, str]:
    """The export a docs/rdf.md example is written for, and the command that runs it."""
    if "GRAPH" in query:
        return export_file("nq", False), "query"
    return export_file("ttl", "rdf:reifies" in query), "query"


@dataclass
class JenaRun:
    reports: dict[str, list[str]] = field(default_factory=dict)  # file -> "quads N", messages
    results: dict[str, dict[str, Any]] = field(default_factory=dict)  # job -> SPARQL JSON
    exit: int = 0
    stderr: str = ""
    seconds: float = 0.0


def write_exports(driver: Driver, folder: Path) -> None:
    for name, star in EXPORTS:
        fmt = rdf.FORMATS[name]
        with (folder / export_file(name, star)).open("w", encoding="utf-8") as out:
            export.export(
                driver,
                Selection(),
                rdf.Exporter(rdf.writer_for(fmt, out.write), INFO, fmt=fmt, star=star),
            )
    (folder / BROKEN).write_text(
        '<https://example.org/a> <https://example.org/b> "x"^^<not an iri> .\n', "utf-8"
    )


def run_jena(folder: Path) -> JenaRun:
    """Every command in one JVM: the strict parses, then the queries."""
    commands = [f"parse\t{f}\t{f}.report" for f in [export_file(*e) for e in EXPORTS] + [BROKEN]]
    for question in QUESTIONS:
        commands.append(
            f"query\t{export_file('ttl', False)}\t{QUERIES / question}.rq\t{question}.json"
        )
    for number, query in EXAMPLES.items():
        (folder / f"example-{number}.rq").write_text(query, encoding="utf-8")
        data, command = example_data(query)
        commands.append(f"{command}\t{data}\texample-{number}.rq\texample-{number}.json")
    saved = f"{QUERIES / 'metabolism'}.rq"  # a saved query on N-Quads: GRAPH, or the union
    commands.append(f"query\t{export_file('nq', False)}\t{saved}\tquads-default.json")
    commands.append(f"union\t{export_file('nq', False)}\t{saved}\tquads-union.json")
    java = shutil.which("java")
    assert java is not None, "Java runs Apache Jena"
    started = time.perf_counter()
    done = subprocess.run(
        [java, *JVM_FLAGS, "-cp", f"{jars('jena')}/*", str(CHECK)],
        cwd=folder,
        input="\n".join(commands) + "\n",
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    found = JenaRun(
        exit=done.returncode, stderr=done.stderr[-3000:], seconds=time.perf_counter() - started
    )
    for report in folder.glob("*.report"):
        found.reports[report.name.removesuffix(".report")] = report.read_text(
            encoding="utf-8"
        ).splitlines()
    for result in folder.glob("*.json"):
        found.results[result.stem] = json.loads(result.read_text(encoding="utf-8"))
    return found


@pytest.fixture(scope="module")
def jena_cache() -> dict[str, JenaRun]:
    return {}


@pytest.fixture
def jena(
    curated_db: Driver, jena_cache: dict[str, JenaRun], tmp_path_factory: pytest.TempPathFactory
) -> JenaRun:
    """Jena's findings on the curated export (one JVM for the module)."""
    if "curated" not in jena_cache:
        folder = tmp_path_factory.mktemp("jena")
        write_exports(curated_db, folder)
        jena_cache["curated"] = run_jena(folder)
    return jena_cache["curated"]


def test_jena_ran_every_command(jena: JenaRun) -> None:
    assert jena.exit == 0, jena.stderr
    print(
        f"Apache Jena: {jena.seconds:.1f} s for {len(jena.reports)} parses and "
        f"{len(jena.results)} queries"
    )


@pytest.mark.parametrize(
    ("name", "star"), EXPORTS, ids=[export_file(*e).removeprefix("curated") for e in EXPORTS]
)
def test_riot_parses_the_export_strictly(jena: JenaRun, name: str, star: bool) -> None:
    report = jena.reports[export_file(name, star)]
    assert report[1:] == [], "riot --strict warned or failed"
    # every format holds the same statements (the RDF-star ones: among themselves)
    same = jena.reports[export_file("nt", star)][0]
    assert report[0] == same
    assert int(report[0].split()[1]) > 1000


def test_riot_rejects_a_broken_document(jena: JenaRun) -> None:
    report = jena.reports[BROKEN]
    assert any(line.startswith(("error", "fatal")) for line in report[1:]), report


def test_every_saved_sparql_query_runs_in_jena() -> None:
    assert {p.stem for p in QUERIES.glob("*.rq")} == set(QUESTIONS)


@pytest.mark.parametrize("question", QUESTIONS)
def test_jena_answers_as_cypher_does(
    jena: JenaRun, answers_for: Callable[[str], Answers], question: str
) -> None:
    rows = json_answer(jena.results[question], question)
    found = answers_for("curated")
    assert set(rows) == found.cypher[question]
    assert len(rows) == len(found.ordered[question])
    assert rows, f"the curated data answers {question}"


@pytest.mark.parametrize("question", QUESTIONS)
def test_jena_answers_as_graphql_does(
    jena: JenaRun, ask: Callable[[str], dict[str, Any]], question: str
) -> None:
    rows = json_answer(jena.results[question], question)  # in Jena's order
    assert sparql_projection(rows, question) == PROJECT[question](ask(question))


@pytest.mark.parametrize("number", list(EXAMPLES))
def test_jena_answers_the_doc_examples_as_pasted(jena: JenaRun, number: int) -> None:
    assert jena.results[f"example-{number}"]["results"]["bindings"], EXAMPLES[number]


def test_saved_queries_need_graph_or_the_union_on_quads(jena: JenaRun) -> None:
    on_turtle = json_answer(jena.results["metabolism"], "metabolism")
    assert json_answer(jena.results["quads-default"], "metabolism") == []
    assert sorted(json_answer(jena.results["quads-union"], "metabolism"), key=repr) == sorted(
        on_turtle, key=repr
    )
