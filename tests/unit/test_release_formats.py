"""The flat (CSV), KGX and diff forms of records, without Neo4j."""

from __future__ import annotations

from datetime import date

import pytest

from api import diff
from graph import export
from ontology import identifiers, kgx, table
from ontology.records import Edge, Node, Provenance
from ontology.vocab import Category, Predicate

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
    synonyms=("MG", "9-methoxy-corynantheidine"),
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
)
KI = Edge(
    subject=MITRAGYNINE.id,
    predicate=Predicate.AGONIST_OF,
    object=MOR.id,
    provenance=PROV,
    measure="EC50",
    value=339.0,
    unit="nM",
)


def test_columns_are_the_record_fields() -> None:
    node_fields = set(Node.model_fields)
    edge_fields = (set(Edge.model_fields) - {"provenance"}) | set(Provenance.model_fields)
    assert set(table.node_columns()) == node_fields | {"sources"}
    assert set(table.edge_columns()) == edge_fields | {"id"}
    assert table.edge_columns()[:4] == ["id", "subject", "predicate", "object"]
    assert len(table.node_columns()) == len(set(table.node_columns()))


def test_rows_and_cells() -> None:
    row = table.node_row(MITRAGYNINE, ["infores:pharmakg", "infores:pubchem"])
    assert row["category"] == "alkaloid"
    assert table.cells(row, ["synonyms", "sources", "symbol", "formula"]) == [
        "MG|9-methoxy-corynantheidine",
        "infores:pharmakg|infores:pubchem",
        "",
        "C23H30N2O4",
    ]
    edge = table.edge_row(KI)
    assert (edge["id"], edge["predicate"], edge["value"]) == (KI.id, "agonist_of", 339.0)
    assert table.cells(edge, ["negated", "value", "retrieval_date", "publications"]) == [
        "false",
        "339.0",
        "2024-05-01",
        "PMID:24464759",
    ]
    with pytest.raises(table.UnwritableValueError, match=r"X: synonyms element 'a\|b'"):
        table.cell(["a|b"], record="X", column="synonyms")


def test_kgx_records_carry_biolink_terms_and_provenance_slots() -> None:
    node = kgx.node_record(MOR)
    assert node["category"] == ["biolink:Protein"]
    assert (node["pharmakg_category"], node["provided_by"]) == ("receptor", ["infores:pharmakg"])
    edge = kgx.edge_record(KI)
    assert edge["predicate"] == "biolink:directly_physically_interacts_with"
    assert edge["pharmakg_predicate"] == "agonist_of"
    assert edge["primary_knowledge_source"] == "infores:chembl"
    assert edge["aggregator_knowledge_source"] == ["infores:pharmakg"]
    assert (edge["knowledge_level"], edge["agent_type"]) == ("knowledge_assertion", "manual_agent")
    assert edge["publications"] == ["PMID:24464759"]
    assert list(node) == kgx.node_columns()
    assert list(edge) == kgx.edge_columns()
    assert '"symbol"' in kgx.json_line(node)
    assert '"description"' not in kgx.json_line(node)


def test_diff_names_what_was_added_removed_and_changed() -> None:
    old = diff.Snapshot(
        "v1",
        {
            "A": {"id": "A", "name": "a", "source": "infores:x"},
            "B": {"id": "B", "name": "b", "source": "infores:y"},
        },
        {
            "E": {
                "id": "E",
                "subject": "A",
                "object": "B",
                "pharmakg_predicate": "binds",
                "primary_knowledge_source": "infores:x",
            }
        },
    )
    new = diff.Snapshot(
        "v2",
        {
            "A": {"id": "A", "name": "a2", "source": "infores:x", "formula": "C"},
            "C": {"id": "C", "name": "c", "source": "infores:y"},
        },
        dict(old.edges),
    )
    result = diff.compare(old, new)
    assert [e.id for e in result.nodes.added] == ["C"]
    assert [e.id for e in result.nodes.removed] == ["B"]
    assert [(c.entry.id, c.properties) for c in result.nodes.changed] == [
        ("A", {"formula": (None, "C"), "name": ("a", "a2")})
    ]
    assert result.edges.empty
    assert result.to_json()["by_source"] == {
        "infores:x": {"nodes": {"changed": 1}, "edges": {}},
        "infores:y": {"nodes": {"added": 1, "removed": 1}, "edges": {}},
    }
    text = diff.render(result)
    assert '`A` a2 (infores:x): formula: (absent) → "C"; name: "a" → "a2"' in text
    assert diff.render(diff.compare(old, old)).endswith(
        "No node or edge was added, removed or changed.\n"
    )


def test_a_release_reads_the_whole_graph_in_a_stable_order() -> None:
    nodes, edges = export.plan(export.Selection(ordered=True))
    assert nodes.query.rstrip().endswith("ORDER BY n.id")
    assert "ORDER BY type(r), b.id, r.id" in edges.query
    assert edges.query.rstrip().endswith("ORDER BY subject, i")
    assert edges.parameters == {"chunk": export.EDGES_PER_ROW}
    with pytest.raises(ValueError, match="only the whole graph"):
        export.Selection(categories=(Category.ALKALOID,), ordered=True)


def test_kgx_spells_curies_as_biolink_does_and_names_the_same_iris() -> None:
    assert kgx.curie("DOI:10.1055/a-1795-5876") == "doi:10.1055/a-1795-5876"
    assert kgx.curie("NCT:NCT04392011") == "CLINICALTRIALS:NCT04392011"
    assert kgx.curie("PHARMAKG:outcome/epm-open-arm") == "PHARMAKG.OUTCOME:epm-open-arm"
    assert (
        kgx.curie("PHARMAKG:condition/opioid-withdrawal") == "PHARMAKG.CONDITION:opioid-withdrawal"
    )
    assert kgx.curie("PMID:24464759") == "PMID:24464759"
    assert kgx.curie("GBIF:7461054") == "GBIF:7461054"
    study = Node(
        id="DOI:10.1055/a-1795-5876",
        category=Category.STUDY,
        name="a study",
        source="infores:pharmakg",
    )
    outcome = "PHARMAKG:outcome/epm-open-arm"
    cited = PROV.model_copy(update={"publications": (study.id, "NCT:NCT04392011")})
    finding = Edge(subject=study.id, predicate=Predicate.MEASURES, object=outcome, provenance=cited)
    node, edge = kgx.node_record(study), kgx.edge_record(finding)
    assert node["id"] == "doi:10.1055/a-1795-5876"
    assert (edge["subject"], edge["object"]) == (
        "doi:10.1055/a-1795-5876",
        "PHARMAKG.OUTCOME:epm-open-arm",
    )
    assert edge["publications"] == ["doi:10.1055/a-1795-5876", "CLINICALTRIALS:NCT04392011"]
    used = kgx.prefixes_of(node) | kgx.prefixes_of(edge)
    assert used == {"doi", "PHARMAKG.OUTCOME", "CLINICALTRIALS", "biolink", "infores"}
    prefix_map = kgx.prefix_map(used)
    assert prefix_map["doi"] + "10.1055/a-1795-5876" == identifiers.iri(study.id)
    assert prefix_map["PHARMAKG.OUTCOME"] + "epm-open-arm" == identifiers.iri(outcome)
    assert prefix_map["CLINICALTRIALS"] == identifiers.biolink_prefix_map()["CLINICALTRIALS"]


def test_every_prefix_kgx_writes_is_biolinks_or_declared_by_the_release() -> None:
    """What Biolink's context lacks is listed here on purpose (a new prefix must be decided)."""
    kgx_prefixes = {kgx.curie(f"{prefix}:x").split(":")[0] for prefix in identifiers.prefixes()}
    assert kgx_prefixes - set(identifiers.biolink_prefix_map()) == {
        "CHEMBL",
        "IUPHAR.RECEPTOR",
        "GBIF",
        "infores",
        "PHARMAKG",
    }
