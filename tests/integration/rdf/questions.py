"""The saved questions, asked in SPARQL (docs/queries/*.rq) and in Cypher.

``compute_answers`` exports a loaded database as Turtle through the streamed path, loads it
into pyoxigraph and rdflib, and answers each question three ways: SPARQL on both stores and
Cypher through the driver (the oracle). Rows are normalised to Python values and CURIEs, from
pyoxigraph and rdflib terms or from SPARQL JSON results (Apache Jena's, test_jena.py).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pyoxigraph as ox
from neo4j import Driver
from rdflib import Graph
from rdflib.term import Literal as RdfLiteral
from rdflib.term import URIRef

from api.settings import PROJECT_ROOT
from graph import export
from graph.export import Selection
from ontology import rdf
from ontology.vocab import (
    ACTIVITY_PREDICATES,
    CATEGORIES,
    PREDICATES,
    Category,
    Predicate,
    predicate_of_type,
)
from tests.unit.rdf import fixture_graph as fx

QUERIES = PROJECT_ROOT / "docs" / "queries"
QUESTIONS = (
    "studies-connecting",
    "pharmacology",
    "metabolism",
    "interactions",
    "receptor-profile",
    "mu-opioid-ranking",
)
INFO = rdf.DatasetInfo(version="0.0.test", created=date(2026, 11, 24))
Row = tuple[Any, ...]

# -- the Cypher oracle -----------------------------------------------------------------------

_ACTIVITY = "|".join(sorted(PREDICATES[p].rel_type for p in ACTIVITY_PREDICATES))
CYPHER: dict[str, str] = {
    # Direct triples are asserted only for edges that are not negated: the oracle agrees.
    "studies-connecting": """
MATCH (:Entity {id: $compound})<-[i:INVESTIGATES]-(s:Study)-[t:TESTS_MECHANISM]->(target)
MATCH (s)-[m:MEASURES]->(:OutcomeMeasure)-[o:OUTCOME_OF]->(informs)
WHERE NOT any(r IN [i, t, m, o] WHERE coalesce(r.negated, false))
  AND (target.id = $family
       OR EXISTS { (target)-[mo:MEMBER_OF]->(:Entity {id: $family})
                   WHERE NOT coalesce(mo.negated, false) })
  AND EXISTS { MATCH p = (informs)-[:SUBCLASS_OF*0..]->(:Entity {id: $condition})
               WHERE none(r IN relationships(p) WHERE coalesce(r.negated, false)) }
RETURN DISTINCT s.id AS study""",
    "pharmacology": """
MATCH (:Entity {id: $compound})-[r]->(:Entity {id: $target})
RETURN r.id AS id, type(r) AS type, r.measure AS measure, r.relation AS relation,
       r.value AS value, r.unit AS unit, r.assay AS assay, r.species AS species,
       r.primary_knowledge_source AS source, coalesce(r.negated, false) AS negated,
       r.publications AS citations""",
    "metabolism": """
MATCH chain = (:Entity {id: $compound})-[:METABOLIZED_TO*0..]->(substance)
WHERE none(step IN relationships(chain) WHERE coalesce(step.negated, false))
WITH DISTINCT substance
MATCH (substance)-[r:METABOLIZED_BY|METABOLIZED_TO]->(other)
RETURN substance.id AS substance, r.id AS id, type(r) AS type, other.id AS other,
       other.name AS name,
       r.evidence_kind AS evidence, coalesce(r.negated, false) AS negated,
       r.publications AS citations""",
    "interactions": """
MATCH (kratom:Organism) WHERE 'kratom' IN coalesce(kratom.synonyms, [])
MATCH (kratom)-[r:INTERACTS_WITH]-(partner)
RETURN r.id AS id, partner.id AS partner, partner.name AS name,
       r.evidence_kind AS evidence, r.mechanism AS mechanism, r.effect AS effect,
       coalesce(r.negated, false) AS negated, r.publications AS citations""",
    "receptor-profile": f"""
MATCH (:Entity {{id: $compound}})-[r:{_ACTIVITY}]->(target)
RETURN r.id AS id, type(r) AS type, target.id AS target, target.name AS name,
       r.measure AS measure, r.relation AS relation, r.value AS value, r.unit AS unit,
       r.assay AS assay, r.species AS species, coalesce(r.negated, false) AS negated,
       r.publications AS citations""",
    "mu-opioid-ranking": f"""
MATCH (c:`{CATEGORIES[Category.ALKALOID].label}`)-[r:{_ACTIVITY}]->(:Entity {{id: $target}})
RETURN r.id AS id, c.id AS compound, c.name AS name, type(r) AS type, r.measure AS measure,
       r.relation AS relation, r.value AS value, r.unit AS unit,
       r.value * CASE r.unit WHEN 'nM' THEN 1 WHEN 'uM' THEN 1000 WHEN 'mM' THEN 1000000
                  END AS nanomolar,
       r.assay AS assay, r.species AS species, coalesce(r.negated, false) AS negated,
       r.publications AS citations""",
}
PARAMETERS = {
    "compound": fx.MITRAGYNINE,
    "target": fx.MOR,
    "family": fx.OPIOID_FAMILY,
    "condition": fx.ANXIETY,
}


def cypher_answer(driver: Driver, question: str) -> set[Row]:
    rows = driver.execute_query(CYPHER[question], PARAMETERS).records
    if question == "studies-connecting":
        return {(r["study"],) for r in rows}
    answer = set()
    for r in rows:
        values = dict(r)
        if "type" in values:
            values["type"] = predicate_of_type(values["type"])
        values["citations"] = frozenset(values["citations"])
        answer.add(tuple(values.values()))
    return answer


# -- SPARQL answers, as the same rows --------------------------------------------------------

_PREDICATES = {rdf.predicate_iri(p): p for p in Predicate}


def _python(term: Any) -> Any:
    """A SPARQL term (pyoxigraph, rdflib or SPARQL JSON) as a Python value; our IRIs as CURIEs."""
    if term is None:
        return None
    if isinstance(term, dict):  # {"type": "uri" | "literal", "value": ..., "datatype": ...}
        term = (
            URIRef(term["value"])
            if term["type"] == "uri"
            else RdfLiteral(term["value"], datatype=term.get("datatype"))
        )
    if isinstance(term, (ox.NamedNode, URIRef)):
        iri = term.value if isinstance(term, ox.NamedNode) else str(term)
        return _PREDICATES.get(iri) or rdf.curie_of(iri)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        text = term.value
    else:
        assert isinstance(term, RdfLiteral)
        datatype, text = str(term.datatype or rdf.XSD + "string"), str(term)
    if datatype == rdf.XSD + "double":
        return float(text)
    if datatype in (rdf.XSD + "integer", rdf.XSD + "gYear"):
        return int(text)
    if datatype == rdf.XSD + "boolean":
        return text == "true"
    return text


COLUMNS = {
    "studies-connecting": ("studyId",),
    "pharmacology": (
        "edgeId",
        "predicate",
        "measure",
        "relation",
        "value",
        "unit",
        "assay",
        "species",
        "source",
        "negated",
        "citations",
    ),
    "metabolism": (
        "substanceId",
        "edgeId",
        "predicate",
        "otherId",
        "otherName",
        "evidenceKind",
        "negated",
        "citations",
    ),
    "interactions": (
        "edgeId",
        "partnerId",
        "partnerName",
        "evidenceKind",
        "mechanism",
        "effect",
        "negated",
        "citations",
    ),
    "receptor-profile": (
        "edgeId",
        "predicate",
        "targetId",
        "targetName",
        "measure",
        "relation",
        "value",
        "unit",
        "assay",
        "species",
        "negated",
        "citations",
    ),
    "mu-opioid-ranking": (
        "edgeId",
        "compoundId",
        "compoundName",
        "predicate",
        "measure",
        "relation",
        "value",
        "unit",
        "nanomolar",
        "assay",
        "species",
        "negated",
        "citations",
    ),
}


def _row(question: str, get: Callable[[str], Any]) -> Row:
    values = []
    for column in COLUMNS[question]:
        if column == "citations":
            text = _python(get(column))
            values.append(frozenset(rdf.curie_of(c) for c in text.split()))
        else:
            values.append(_python(get(column)))
    return tuple(values)


def oxigraph_answer(store: ox.Store, question: str) -> list[Row]:
    """The rows in the query's order."""
    solutions = store.query(query_text(question))
    assert isinstance(solutions, ox.QuerySolutions)
    return [_row(question, s.__getitem__) for s in solutions]


def json_answer(results: dict[str, Any], question: str) -> list[Row]:
    """The rows of SPARQL 1.1 JSON results, in their order."""
    return [_row(question, binding.get) for binding in results["results"]["bindings"]]


def rdflib_answer(graph: Graph, question: str) -> set[Row]:
    answer = set()
    for result in graph.query(query_text(question)):
        values = result.asdict()  # type: ignore[union-attr]
        answer.add(_row(question, values.get))
    return answer


def query_text(question: str) -> str:
    return (QUERIES / f"{question}.rq").read_text(encoding="utf-8")


# -- the answers, computed once per dataset --------------------------------------------------


@dataclass
class Answers:
    cypher: dict[str, set[Row]] = field(default_factory=dict)
    oxigraph: dict[str, set[Row]] = field(default_factory=dict)
    rdflib: dict[str, set[Row]] = field(default_factory=dict)
    ordered: dict[str, list[Row]] = field(default_factory=dict)  # pyoxigraph's, in order


def compute_answers(driver: Driver) -> Answers:
    turtle = io.StringIO()
    fmt = rdf.FORMATS["ttl"]
    export.export(
        driver, Selection(), rdf.Exporter(rdf.writer_for(fmt, turtle.write), INFO, fmt=fmt)
    )
    store = ox.Store()
    store.load(turtle.getvalue(), ox.RdfFormat.TURTLE)
    graph = Graph().parse(data=turtle.getvalue(), format="turtle")
    found = Answers()
    for question in QUESTIONS:
        found.cypher[question] = cypher_answer(driver, question)
        found.ordered[question] = oxigraph_answer(store, question)
        found.oxigraph[question] = set(found.ordered[question])
        found.rdflib[question] = rdflib_answer(graph, question)
    return found
