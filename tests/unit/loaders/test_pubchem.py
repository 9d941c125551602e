from __future__ import annotations

import pytest

from loaders import pubchem
from loaders.base import Collector
from loaders.errors import SourceError
from loaders.jsondoc import load_json
from ontology.records import Node
from ontology.vocab import Category
from tests.unit.loaders.conftest import fixture

MITRAGYNINE_IUPAC = (
    "methyl (E)-2-[(2S,3S,12bS)-3-ethyl-8-methoxy-1,2,3,4,6,7,12,12b-"
    "octahydroindolo[2,3-a]quinolizin-2-yl]-3-methoxyprop-2-enoate"
)


def test_property_table_gives_named_compounds(collector: Collector) -> None:
    nodes = list(
        pubchem.iter_records(
            fixture("pubchem", "properties.json"), collector, source_version="2025-01"
        )
    )
    assert collector.rejections == []
    assert nodes == [
        Node(
            id="PUBCHEM.COMPOUND:3034396",
            category=Category.ALKALOID,
            name="Mitragynine",
            synonyms=(MITRAGYNINE_IUPAC,),
            xrefs=("INCHIKEY:LELBFTMXCIIKKX-QVRQZEMUSA-N",),
            formula="C23H30N2O4",
            inchikey="LELBFTMXCIIKKX-QVRQZEMUSA-N",
            source="infores:pubchem",
            source_version="2025-01",
        ),
        Node(
            id="PUBCHEM.COMPOUND:5288826",
            category=Category.ALKALOID,
            name="Morphine",
            xrefs=("INCHIKEY:BQJCRHHNABKAKU-KBQPJGBKSA-N",),
            formula="C17H19NO3",
            inchikey="BQJCRHHNABKAKU-KBQPJGBKSA-N",
            source="infores:pubchem",
            source_version="2025-01",
        ),
    ]


def test_full_record_is_named_by_its_iupac_name(collector: Collector) -> None:
    (node,) = pubchem.iter_records(
        fixture("pubchem", "compound.json"), collector, category=Category.DRUG
    )
    assert isinstance(node, Node)
    assert node.id == "PUBCHEM.COMPOUND:3034396"
    assert node.category is Category.DRUG
    assert node.name == MITRAGYNINE_IUPAC
    assert node.synonyms == ()
    assert node.inchikey == "LELBFTMXCIIKKX-QVRQZEMUSA-N"
    assert node.formula == "C23H30N2O4"


def test_non_compound_category_is_refused() -> None:
    with pytest.raises(ValueError, match="alkaloid, drug"):
        list(
            pubchem.iter_records(
                fixture("pubchem", "properties.json"), Collector(), category=Category.RECEPTOR
            )
        )


def test_bad_records_are_rejected_with_their_field(collector: Collector) -> None:
    nodes = list(pubchem.iter_records(fixture("pubchem", "bad_records.json"), collector))
    assert nodes == []
    found = [(r.location.record, r.field) for r in collector.rejections]
    assert found == [
        ("PropertyTable.Properties[0]", "CID"),
        ("PropertyTable.Properties[1]", "xrefs.0"),
        ("PropertyTable.Properties[2]", "id"),
        ("PropertyTable.Properties[3]", "Title"),
    ]
    assert "INCHIKEY" in collector.rejections[1].reason


def test_truncated_json_names_line_and_column() -> None:
    path = fixture("pubchem", "truncated.json")
    with pytest.raises(SourceError) as caught:
        list(pubchem.iter_records(path, Collector()))
    rejection = caught.value.rejection
    assert rejection.location.file == path
    assert rejection.location.line == 8
    assert "invalid JSON at line 8" in rejection.reason


def test_bad_encoding_names_line_and_byte_offset() -> None:
    path = fixture("pubchem", "bad_encoding.json")
    offset = path.read_bytes().index(b"\xff")
    with pytest.raises(SourceError) as caught:
        list(pubchem.iter_records(path, Collector()))
    assert caught.value.rejection.location.line == 2
    assert f"not UTF-8: byte 0xff at offset {offset}" in caught.value.rejection.reason


def test_other_documents_are_refused_naming_their_keys() -> None:
    with pytest.raises(SourceError, match="found keys: Fault"):
        list(pubchem.iter_records(fixture("pubchem", "not_pubchem.json"), Collector()))


def test_oversized_json_is_refused_before_reading() -> None:
    with pytest.raises(SourceError, match="over the 10-byte limit"):
        load_json(fixture("pubchem", "properties.json"), max_bytes=10)
