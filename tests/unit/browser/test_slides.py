"""Every guide query speaks the vocabulary: known labels, types and properties, no parameters."""

from __future__ import annotations

import pytest

from browser.slides import SLIDES, Slide
from ontology.records import Edge, Node, Provenance
from ontology.vocab import CATEGORIES, PREDICATES
from tests.unit.browser.cypher_terms import terms

LABELS = {info.label for info in CATEGORIES.values()} | {"Entity"}
REL_TYPES = {info.rel_type for info in PREDICATES.values()}
PROPERTIES = (
    (set(Node.model_fields) - {"category"})
    | (set(Edge.model_fields) - {"subject", "object", "provenance"})
    | set(Provenance.model_fields)
    | {"id"}
)


def _id(slide: Slide) -> str:
    return slide.key


@pytest.mark.parametrize("slide", SLIDES, ids=_id)
def test_labels_are_in_the_vocabulary(slide: Slide) -> None:
    found = terms(slide.cypher)
    assert found.labels, "the reader found no label at all: the query or the reader is wrong"
    assert found.labels <= LABELS, f"unknown labels: {sorted(found.labels - LABELS)}"


@pytest.mark.parametrize("slide", SLIDES, ids=_id)
def test_relationship_types_are_in_the_vocabulary(slide: Slide) -> None:
    found = terms(slide.cypher)
    assert found.rel_types, "every question is answered by following relationships"
    assert found.rel_types <= REL_TYPES, f"unknown types: {sorted(found.rel_types - REL_TYPES)}"


@pytest.mark.parametrize("slide", SLIDES, ids=_id)
def test_properties_are_record_fields(slide: Slide) -> None:
    found = terms(slide.cypher)
    assert found.properties <= PROPERTIES, (
        f"unknown properties: {sorted(found.properties - PROPERTIES)}"
    )


@pytest.mark.parametrize("slide", SLIDES, ids=_id)
def test_queries_run_as_they_stand(slide: Slide) -> None:
    # Browser runs a guide's query exactly as written: a $parameter would be unset.
    assert terms(slide.cypher).parameters == frozenset()
    assert slide.cypher == slide.cypher.strip()
    assert "RETURN" in slide.cypher


@pytest.mark.parametrize("slide", SLIDES, ids=_id)
def test_each_slide_says_how_to_read_its_picture(slide: Slide) -> None:
    assert slide.question.endswith("?")
    assert len(slide.reading.split(". ")) >= 2
    assert slide.expect
    assert 0 < len(slide.expect) <= slide.max_nodes


def test_the_canonical_questions_each_have_a_slide() -> None:
    assert [s.key for s in SLIDES] == [
        "mitragynine-opioid-anxiety",
        "metabolism-chain",
        "interaction-risks",
        "conflicting-affinities",
        "condition-hierarchy",
    ]


def test_the_reader_sees_what_a_query_names() -> None:
    # The reader itself can fail: a wrong label, type or property is reported.
    found = terms(
        "MATCH (a:Alkaloid)-[r:BINDS|Oops_OF*1..2]->(t:Target {symbol: 'X'}) "
        "WHERE t.nonsense > $cutoff AND a:Drug RETURN a"
    )
    assert found.labels == {"Alkaloid", "Target", "Drug"}
    assert found.rel_types == {"BINDS", "Oops_OF"}
    assert found.properties == {"symbol", "nonsense"}
    assert found.parameters == {"$cutoff"}
