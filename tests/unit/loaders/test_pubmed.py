from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from loaders import pubmed
from loaders.base import Collector
from loaders.errors import SourceError
from ontology.records import Edge, Node
from ontology.vocab import AgentType, Category, KnowledgeLevel, Predicate, StudyDesign
from tests.unit.loaders.conftest import fixture

CHEMICALS = {"D010936": "PUBCHEM.COMPOUND:3034396"}
CONDITIONS = {"D013375": "MESH:D013375", "D019966": "MESH:D019966"}


def test_articles_become_studies_with_mapped_links(collector: Collector) -> None:
    records = list(
        pubmed.iter_records(
            fixture("pubmed", "articles.xml"),
            collector,
            chemical_map=CHEMICALS,
            condition_map=CONDITIONS,
            source_version="2025 baseline",
        )
    )
    assert collector.rejections == []
    singh, investigates, tanna = records
    assert singh == Node(
        id="PMID:24698080",
        category=Category.STUDY,
        name="Kratom (Mitragyna speciosa) dependence, withdrawal symptoms and craving in "
        "regular users",
        title="Kratom (Mitragyna speciosa) dependence, withdrawal symptoms and craving in "
        "regular users",
        xrefs=("DOI:10.1016/j.drugalcdep.2014.03.017",),
        year=2014,
        pmid="24698080",
        doi="10.1016/j.drugalcdep.2014.03.017",
        summary="MeSH: Substance Withdrawal Syndrome (D013375 = MESH:D013375); "
        "Substance-Related Disorders (D019966 = MESH:D019966)",
        source="infores:pubmed",
        source_version="2025 baseline",
    )
    assert isinstance(investigates, Edge)
    assert (investigates.subject, investigates.predicate, investigates.object) == (
        "PMID:24698080",
        Predicate.INVESTIGATES,
        "PUBCHEM.COMPOUND:3034396",
    )
    prov = investigates.provenance
    assert prov.publications == ("PMID:24698080",)
    assert prov.primary_knowledge_source == "infores:pubmed"
    assert (prov.knowledge_level, prov.agent_type) == (
        KnowledgeLevel.KNOWLEDGE_ASSERTION,
        AgentType.MANUAL_AGENT,
    )
    assert isinstance(tanna, Node)
    assert (tanna.id, tanna.year, tanna.design, tanna.summary) == (
        "PMID:35335999",
        2022,
        None,
        None,
    )
    assert tanna.doi == "10.3390/pharmaceutics14030620"


def test_without_mappings_only_studies(collector: Collector) -> None:
    records = list(pubmed.iter_records(fixture("pubmed", "articles.xml"), collector))
    assert [type(r) for r in records] == [Node, Node]


@pytest.mark.parametrize(
    ("types", "mesh", "design"),
    [
        (["Journal Article", "Meta-Analysis", "Systematic Review"], [], StudyDesign.META_ANALYSIS),
        (["Systematic Review", "Review"], [], StudyDesign.SYSTEMATIC_REVIEW),
        (["Randomized Controlled Trial"], ["Humans"], StudyDesign.CLINICAL_TRIAL),
        (["Clinical Trial, Phase I"], ["Humans"], StudyDesign.CLINICAL_TRIAL),
        (["Case Reports"], ["Humans"], StudyDesign.CASE_REPORT),
        (["Review"], ["Animals", "Humans"], StudyDesign.NARRATIVE_REVIEW),
        (["Journal Article"], ["Animals", "Rats"], StudyDesign.ANIMAL_IN_VIVO),
        (["Journal Article"], ["Animals", "Humans", "In Vitro Techniques"], StudyDesign.IN_VITRO),
        (["Journal Article"], ["Animals", "Humans"], None),
    ],
)
def test_design_from_publication_types_then_mesh(
    types: list[str], mesh: list[str], design: StudyDesign | None
) -> None:
    assert pubmed.design_of(types, mesh) is design


def test_only_the_citation_pmid_is_the_study_id(tmp_path: Path, collector: Collector) -> None:
    path = tmp_path / "comments.xml"
    path.write_text(
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>100000001</PMID>"
        "<Article><ArticleTitle>Example article.</ArticleTitle><Journal><JournalIssue>"
        "<PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate></JournalIssue>"
        "</Journal></Article><CommentsCorrectionsList><CommentsCorrections RefType='Cites'>"
        "<PMID>100000002</PMID></CommentsCorrections></CommentsCorrectionsList>"
        "</MedlineCitation></PubmedArticle></PubmedArticleSet>",
        encoding="utf-8",
    )
    (study,) = pubmed.iter_records(path, collector, retrieval_date=date(2025, 1, 1))
    assert isinstance(study, Node)
    assert (study.id, study.year) == ("PMID:100000001", 1998)


def test_bad_articles_are_rejected_with_their_record(collector: Collector) -> None:
    assert list(pubmed.iter_records(fixture("pubmed", "bad_records.xml"), collector)) == []
    found = [(r.location.record, r.field) for r in collector.rejections]
    assert found == [
        ("PubmedArticle[0]", "MedlineCitation/PMID"),
        ("PMID 999999999", "ArticleTitle"),
        ("PMID EXAMPLE-PMID", "id"),
    ]


def test_truncated_xml_names_line_and_column() -> None:
    path = fixture("pubmed", "truncated.xml")
    with pytest.raises(SourceError) as caught:
        list(pubmed.iter_records(path, Collector()))
    rejection = caught.value.rejection
    assert rejection.location.file == path
    assert rejection.location.line == path.read_text(encoding="utf-8").count("\n") + 1
    assert rejection.reason.startswith(f"invalid XML at line {rejection.location.line}")


def test_bad_encoding_is_a_located_error() -> None:
    with pytest.raises(SourceError) as caught:
        list(pubmed.iter_records(fixture("pubmed", "bad_encoding.xml"), Collector()))
    assert caught.value.rejection.location.line == 7
    assert "not well-formed (invalid token)" in caught.value.rejection.reason


def _citations_in(path: Path) -> int:
    """Counted with a regular expression over the text, independently of the loader."""
    import gzip  # noqa: PLC0415
    import re  # noqa: PLC0415

    return len(re.findall(rb"<MedlineCitation ", gzip.decompress(path.read_bytes())))


def test_an_older_medline_baseline_file_gzipped(collector: Collector) -> None:
    path = fixture("pubmed", "medline16n0902.xml.gz")  # <MedlineCitationSet>, 2016 baseline
    nodes = list(pubmed.iter_records(path, collector, source_version="medline16n0902"))
    assert collector.rejections == []
    assert len(nodes) == _citations_in(path) == 604
    assert len({n.id for n in nodes}) == 604
    assert nodes[0] == Node(
        id="PMID:17942999",
        category=Category.STUDY,
        name="Neuroplasticity in the processing of pitch dimensions: a multidimensional "
        "scaling analysis of the mismatch negativity",
        title="Neuroplasticity in the processing of pitch dimensions: a multidimensional "
        "scaling analysis of the mismatch negativity",
        year=2007,
        pmid="17942999",
        source="infores:pubmed",
        source_version="medline16n0902",
    )


def test_a_real_efetch_file(collector: Collector) -> None:
    (study,) = pubmed.iter_records(
        fixture("pubmed", "pubmed-29768149.xml"), collector, source_version="2018"
    )
    assert isinstance(study, Node)
    assert (study.id, study.title, study.year, study.doi, study.design) == (
        "PMID:29768149",
        "Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma",
        2018,
        "10.1056/NEJMoa1715274",
        StudyDesign.CLINICAL_TRIAL,
    )


def test_a_pmc_nxml_file_is_named_for_what_it_is() -> None:
    with pytest.raises(SourceError, match=r"root element <article>: a PMC full-text article"):
        list(pubmed.iter_records(fixture("pubmed", "cc11003.nxml"), Collector()))
