from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from loaders import chembl
from loaders.base import Collector
from loaders.errors import SourceError
from ontology.records import Edge, Node
from ontology.vocab import AgentType, Category, KnowledgeLevel, Measure, Predicate, Relation, Unit
from tests.unit.loaders.conftest import fixture

TARGETS = {"CHEMBL233": "UniProtKB:P35372", "CHEMBL340": "UniProtKB:P08684"}
DOCUMENTS = {"CHEMBL_EXAMPLE_DOC_1": "PMID:33384303"}


def edges(name: str, collector: Collector, **options: object) -> list[Edge]:
    records = chembl.iter_records(
        fixture("chembl", name),
        collector,
        target_map=TARGETS,
        document_map=DOCUMENTS,
        source_version="ChEMBL 35",
        **options,  # type: ignore[arg-type]
    )
    found = list(records)
    assert all(isinstance(r, Edge | Node) for r in found)
    return [r for r in found if isinstance(r, Edge)]


def test_api_json_gives_measurement_edges(collector: Collector) -> None:
    ki, ec50 = edges("activities.json", collector)
    assert collector.rejections == []
    assert (ki.subject, ki.predicate, ki.object) == (
        "CHEMBL.COMPOUND:CHEMBL299031",
        Predicate.BINDS,
        "UniProtKB:P35372",
    )
    assert (ki.measure, ki.relation, ki.value, ki.unit) == (Measure.KI, Relation.EQ, 700.0, Unit.NM)
    assert ki.species == "Homo sapiens"
    assert ki.assay is not None
    assert ki.assay.startswith("Displacement of [3H]DAMGO")
    assert ki.note == "ChEMBL assay CHEMBL_EXAMPLE_ASSAY_1, document CHEMBL_EXAMPLE_DOC_1"
    prov = ki.provenance
    assert prov.primary_knowledge_source == "infores:chembl"
    assert prov.publications == ("PMID:33384303",)
    assert prov.knowledge_level is KnowledgeLevel.KNOWLEDGE_ASSERTION
    assert prov.agent_type is AgentType.MANUAL_AGENT
    assert prov.source_version == "ChEMBL 35"
    # action_type comes as an object in the web service
    assert ec50.predicate is Predicate.PARTIAL_AGONIST_OF
    assert (ec50.measure, ec50.relation, ec50.value) == (Measure.EC50, Relation.GT, 10000.0)


def test_tsv_download_quoted_relations_and_actions(collector: Collector) -> None:
    ki, ic50 = edges("activities.tsv", collector)
    assert collector.rejections == []
    assert (ki.measure, ki.relation, ki.value, ki.unit) == (Measure.KI, Relation.EQ, 700.0, Unit.NM)
    assert ic50.predicate is Predicate.INHIBITS
    assert (ic50.object, ic50.relation, ic50.value, ic50.unit) == (
        "UniProtKB:P08684",
        Relation.LT,
        1.5,
        Unit.UM,
    )


def test_tsv_and_json_agree_on_the_same_activity(collector: Collector) -> None:
    from_json = edges("activities.json", collector)[0]
    from_tsv = edges("activities.tsv", collector)[0]
    assert from_json.id == from_tsv.id


def test_tab_separated_file_with_a_doi_column(tmp_path: Path, collector: Collector) -> None:
    path = tmp_path / "activities.tsv"
    path.write_text(
        "Molecule ChEMBL ID\tStandard Type\tStandard Relation\tStandard Value\tStandard Units\t"
        "Target ChEMBL ID\tDocument ChEMBL ID\tDocument DOI\n"
        "CHEMBL299031\tKi\t=\t700\tnM\tCHEMBL233\tCHEMBL_EXAMPLE_DOC_2\t10.1021/jacs.6b00360\n",
        encoding="utf-8",
    )
    _, edge = chembl.iter_tsv(path, collector, target_map=TARGETS, retrieval_date=date(2025, 1, 2))
    assert isinstance(edge, Edge)
    assert edge.provenance.publications == ("DOI:10.1021/jacs.6b00360",)
    assert edge.provenance.retrieval_date == date(2025, 1, 2)


def test_without_a_version_the_file_date_is_the_retrieval_date(collector: Collector) -> None:
    _, edge, _ = chembl.iter_records(
        fixture("chembl", "activities.json"), collector, target_map=TARGETS, document_map=DOCUMENTS
    )
    assert isinstance(edge, Edge)
    assert edge.provenance.source_version is None
    assert edge.provenance.retrieval_date is not None


def test_bad_activities_are_rejected_with_field_and_reason(collector: Collector) -> None:
    assert edges("bad_activities.json", collector) == []
    found = [(r.location.record, r.field) for r in collector.rejections]
    assert found == [
        ("activities[0]", "data_validity_comment"),
        ("activities[1]", "standard_flag"),
        ("activities[2]", "standard_units"),
        ("activities[3]", "standard_type"),
        ("activities[4]", "target_chembl_id"),
        ("activities[5]", "document_chembl_id"),
        ("activities[6]", "subject"),
    ]
    reasons = [r.reason for r in collector.rejections]
    assert "Outside typical range" in reasons[0]
    assert "unknown unit 'ug.mL-1'" in reasons[2]
    assert "unsupported activity type 'Inhibition'" in reasons[3]
    assert "not known to be a single protein; map it to its UniProtKB accession" in reasons[4]
    assert "'CHEMBL_EXAMPLE_DOC_UNCITED' is not a ChEMBL document id" in reasons[5]
    assert "does not match the CHEMBL.COMPOUND pattern" in reasons[6]


def test_wrong_columns_list_missing_and_found() -> None:
    path = fixture("chembl", "wrong_columns.tsv")
    with pytest.raises(SourceError) as caught:
        list(chembl.iter_records(path, Collector(), target_map=TARGETS))
    rejection = caught.value.rejection
    assert (rejection.location.file, rejection.location.line) == (path, 1)
    assert rejection.field == "(header)"
    assert "missing column(s) 'Standard Relation', 'Standard Value', 'Standard Units'" in (
        rejection.reason
    )
    assert "found: 'Molecule ChEMBL ID', 'Standard Type', 'Value'" in rejection.reason


def test_truncated_tsv_names_the_row_left_open() -> None:
    with pytest.raises(SourceError) as caught:
        list(chembl.iter_records(fixture("chembl", "truncated.tsv"), Collector()))
    assert caught.value.rejection.location.line == 2
    assert "malformed row" in caught.value.rejection.reason


def test_bad_encoding_names_line_and_offset() -> None:
    path = fixture("chembl", "bad_encoding.tsv")
    offset = path.read_bytes().index(b"\xe9")
    with pytest.raises(SourceError) as caught:
        list(chembl.iter_records(path, Collector(), target_map=TARGETS))
    assert caught.value.rejection.location.line == 3
    assert caught.value.rejection.reason == f"not UTF-8: byte 0xe9 at offset {offset}"


def test_target_map_file(collector: Collector) -> None:
    assert chembl.read_target_map(fixture("chembl", "target_map.tsv")) == TARGETS


def test_target_map_with_a_bad_curie_is_refused() -> None:
    with pytest.raises(SourceError) as caught:
        chembl.read_target_map(fixture("chembl", "bad_target_map.tsv"))
    assert caught.value.rejection.location.line == 3
    assert "unknown CURIE prefix 'EXAMPLE'" in caught.value.rejection.reason


def test_a_target_mapped_to_an_unknown_prefix_is_rejected(collector: Collector) -> None:
    records = chembl.iter_records(
        fixture("chembl", "activities.json"),
        collector,
        target_map={"CHEMBL233": "EXAMPLE:P35372"},
        document_map=DOCUMENTS,
        source_version="ChEMBL 35",
    )
    assert list(records) == []
    assert {r.field for r in collector.rejections} == {"object"}
    assert all("unknown CURIE prefix 'EXAMPLE'" in r.reason for r in collector.rejections)


@pytest.mark.parametrize("flag", [0, False, "0"])
def test_unstandardised_values_are_rejected(
    tmp_path: Path, collector: Collector, flag: object
) -> None:
    path = tmp_path / "page.json"
    path.write_text(
        json.dumps(
            {
                "activities": [
                    {
                        "molecule_chembl_id": "CHEMBL299031",
                        "target_chembl_id": "CHEMBL233",
                        "document_chembl_id": "CHEMBL_EXAMPLE_DOC_1",
                        "standard_flag": flag,
                        "standard_type": "Ki",
                        "standard_relation": "=",
                        "standard_value": "1.0",
                        "standard_units": "nM",
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    assert (
        list(
            chembl.iter_records(
                path, collector, target_map=TARGETS, document_map=DOCUMENTS, source_version="x"
            )
        )
        == []
    )
    assert [r.field for r in collector.rejections] == ["standard_flag"]


# A real table saved by a chembl_webresource_client user (API field names, commas); see
# tests/fixtures/README.md for its origin.
def test_api_field_csv_loads_without_maps(collector: Collector) -> None:
    records = list(
        chembl.iter_records(
            fixture("chembl", "api_fields.csv"), collector, source_version="ChEMBL 33"
        )
    )
    nodes = [r for r in records if isinstance(r, Node)]
    found = [r for r in records if isinstance(r, Edge)]
    assert len(found) == 22
    faah = next(n for n in nodes if n.id == "CHEMBL.TARGET:CHEMBL2243")
    assert (faah.category, faah.name, faah.taxon) == (
        Category.PROTEIN,
        "Anandamide amidohydrolase",
        "NCBITaxon:9606",
    )
    assert len({n.id for n in nodes}) == len(nodes) == 16  # each node once
    first = found[0]
    assert (
        first.subject,
        first.object,
        first.measure,
        first.relation,
        first.value,
        first.unit,
    ) == (
        "CHEMBL.COMPOUND:CHEMBL414450",
        "CHEMBL.TARGET:CHEMBL2243",
        Measure.IC50,
        Relation.EQ,
        600.0,
        Unit.NM,
    )
    # no PMID/DOI and no documents table: the ChEMBL document is the publication
    assert first.provenance.publications == ("CHEMBL:CHEMBL1131510",)
    assert [(r.location.line, r.field) for r in collector.rejections] == [
        (23, "standard_flag"),
        (25, "target_chembl_id"),
        (26, "data_validity_comment"),
    ]
    assert "its assay format is 'cell-based format'" in collector.rejections[1].reason


def test_api_field_csv_with_a_target_map_links_uniprot(collector: Collector) -> None:
    records = list(
        chembl.iter_records(
            fixture("chembl", "api_fields.csv"),
            collector,
            target_map={"CHEMBL2243": "UniProtKB:O00519"},
            source_version="ChEMBL 33",
        )
    )
    found = [r for r in records if isinstance(r, Edge)]
    assert len(found) == 23  # the cell-based assay on the mapped protein too
    assert {e.object for e in found} == {"UniProtKB:O00519"}
    assert not any(isinstance(r, Node) and r.category is Category.PROTEIN for r in records)


@pytest.mark.parametrize(
    "table",
    [
        "ChEMBL ID;Title;PubMed ID;DOI\nCHEMBL1131510;t;9999999;\nCHEMBL2;t;;10.1000/x\n",
        "document_chembl_id,pubmed_id,doi\nCHEMBL1131510,9999999.0,\nCHEMBL2,,10.1000/x\n",
        "CHEMBL1131510\tPMID:9999999\nCHEMBL2\tDOI:10.1000/x\n",
    ],
)
def test_document_map_reads_chembl_documents_tables(table: str, tmp_path: Path) -> None:
    path = tmp_path / "docs.csv"
    path.write_text(table)
    assert chembl.read_document_map(path) == {
        "CHEMBL1131510": "PMID:9999999",
        "CHEMBL2": "DOI:10.1000/x",
    }
