"""PubMed XML: efetch and baseline files (``<PubmedArticleSet>``) and the older MEDLINE
baseline layout (``<MedlineCitationSet>``, up to 2016); one study node per citation.

Parsed with ``iterparse``, clearing each article once read, so a baseline file of 30,000
articles loads in constant memory. Each article becomes a ``PMID:<n>`` study with its title,
year, DOI and a design read from its publication types (or, failing those, MeSH check tags).

MeSH ids are not our chemical or condition ids, so links need the caller's mappings:
``chemical_map`` (MeSH UI -> compound or organism CURIE) gives INVESTIGATES edges;
``condition_map`` (MeSH UI -> condition CURIE) is only reported in the study's ``summary``,
because no predicate of ours joins a study to a condition. MeSH indexing is done by NLM
indexers, hence manual knowledge assertions.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from loaders.base import Reject, build
from loaders.errors import Location, Rejection, SourceError
from loaders.fields import Dating, provenance
from loaders.files import open_source
from loaders.tabular import FILE_FIELD
from ontology.records import Edge, Node, Record
from ontology.vocab import Category, Predicate, StudyDesign

SOURCE = "infores:pubmed"
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")

# Publication types, strongest design first.
PUBLICATION_DESIGNS = (
    ("Meta-Analysis", StudyDesign.META_ANALYSIS),
    ("Systematic Review", StudyDesign.SYSTEMATIC_REVIEW),
    ("Randomized Controlled Trial", StudyDesign.CLINICAL_TRIAL),
    ("Controlled Clinical Trial", StudyDesign.CLINICAL_TRIAL),
    ("Clinical Trial", StudyDesign.CLINICAL_TRIAL),  # also "Clinical Trial, Phase I" ...
    ("Case Reports", StudyDesign.CASE_REPORT),
    ("Review", StudyDesign.NARRATIVE_REVIEW),
)


@dataclass(frozen=True)
class Article:
    pmid: str
    title: str
    year: int | None
    doi: str
    publication_types: tuple[str, ...]
    mesh: tuple[tuple[str, str], ...]  # (UI, name) of descriptors
    chemicals: tuple[tuple[str, str], ...]  # (UI, name) of substances


def iter_records(
    path: Path,
    reject: Reject,
    *,
    chemical_map: Mapping[str, str] | None = None,
    condition_map: Mapping[str, str] | None = None,
    source_version: str | None = None,
    retrieval_date: date | None = None,
) -> Iterator[Record]:
    """Study nodes and their INVESTIGATES edges, article by article."""
    dating = Dating.of(path, source_version, retrieval_date)
    for index, element in enumerate(_articles(path)):
        article = read_article(element)
        location = Location(
            path, record=f"PMID {article.pmid}" if article.pmid else f"{element.tag}[{index}]"
        )
        study = _study(article, location, reject, condition_map or {}, source_version)
        if study is None:
            continue
        yield study
        yield from _investigates(
            article, study.id, location, reject, chemical_map=chemical_map or {}, dating=dating
        )


# The root elements of the files we read, and the element each holds one citation in.
ARTICLE_SETS = {
    "PubmedArticleSet": "PubmedArticle",  # efetch, and baseline files since 2017
    "MedlineCitationSet": "MedlineCitation",
}  # MEDLINE baseline files up to 2016
# Roots of files that are often taken for PubMed files, and what they are.
_OTHER_ROOTS = {
    "article": "a PMC full-text article (JATS NXML), not a PubMed citation file; fetch its "
    "citation with efetch -db pubmed -format xml",
    "pmc-articleset": "a set of PMC full-text articles (JATS), not PubMed citations; fetch "
    "their citations with efetch -db pubmed -format xml",
    "eSearchResult": "an esearch result (a list of PMIDs): fetch the articles with efetch",
    "eSummaryResult": "an esummary result: fetch the articles with efetch -format xml",
}


def _articles(path: Path) -> Iterator[ET.Element]:
    """Each citation element (``PubmedArticle`` or ``MedlineCitation``), cleared once read."""
    root: ET.Element | None = None
    wanted, depth = "", 0
    try:
        with open_source(path) as handle:
            # The stdlib expat parser does not fetch external entities; NLM files are trusted.
            for event, element in ET.iterparse(handle, events=("start", "end")):  # noqa: S314
                if root is None:
                    root, wanted = element, _citation_tag(path, element.tag)
                depth += 1 if event == "start" else -1
                if event == "end" and depth == 1 and element.tag == wanted:
                    yield element  # a child of the root: a citation's own MedlineCitation is not
                    root.clear()
    except ET.ParseError as error:
        line, column = error.position
        raise SourceError(
            Location(path, line),
            FILE_FIELD,
            f"invalid XML at line {line}, column {column}: {error}",
        ) from error


def _citation_tag(path: Path, root: str) -> str:
    """The element that holds one citation under ``root``; any other root is a SourceError."""
    if root in ARTICLE_SETS:
        return ARTICLE_SETS[root]
    what = _OTHER_ROOTS.get(root, "not a PubMed file")
    raise SourceError(
        Location(path, record=f"<{root}>"),
        FILE_FIELD,
        f"root element <{root}>: {what}; expected <PubmedArticleSet> (efetch, "
        "MEDLINE baseline) or <MedlineCitationSet> (MEDLINE baseline up to 2016)",
    )


def read_article(element: ET.Element) -> Article:
    """One citation, from a ``PubmedArticle`` or a bare ``MedlineCitation`` (older baseline)."""
    citation = element if element.tag == "MedlineCitation" else element.find("MedlineCitation")
    article = citation.find("Article") if citation is not None else None
    return Article(
        pmid=_text(citation, "PMID"),  # a direct child: CommentsCorrections hold other PMIDs
        title=_all_text(article, "ArticleTitle").rstrip(".").strip(),
        year=_year(article),
        doi=_doi(element, article),
        publication_types=tuple(_texts(article, "PublicationTypeList/PublicationType")),
        mesh=_coded(citation, "MeshHeadingList/MeshHeading/DescriptorName"),
        chemicals=_coded(citation, "ChemicalList/Chemical/NameOfSubstance"),
    )


def _text(parent: ET.Element | None, path: str) -> str:
    found = parent.find(path) if parent is not None else None
    return (found.text or "").strip() if found is not None else ""


def _all_text(parent: ET.Element | None, path: str) -> str:
    """Text including inline markup (titles may hold <i>, <sub>...)."""
    found = parent.find(path) if parent is not None else None
    return " ".join("".join(found.itertext()).split()) if found is not None else ""


def _texts(parent: ET.Element | None, path: str) -> list[str]:
    if parent is None:
        return []
    return [(e.text or "").strip() for e in parent.iterfind(path) if (e.text or "").strip()]


def _coded(parent: ET.Element | None, path: str) -> tuple[tuple[str, str], ...]:
    if parent is None:
        return ()
    return tuple(
        (e.get("UI", ""), (e.text or "").strip()) for e in parent.iterfind(path) if e.get("UI")
    )


def _year(article: ET.Element | None) -> int | None:
    for path in (
        "Journal/JournalIssue/PubDate/Year",
        "Journal/JournalIssue/PubDate/MedlineDate",
        "ArticleDate/Year",
    ):
        match = _YEAR.search(_text(article, path))
        if match:
            return int(match.group(1))
    return None


def _doi(element: ET.Element, article: ET.Element | None) -> str:
    for found in element.iterfind("PubmedData/ArticleIdList/ArticleId"):
        if found.get("IdType") == "doi" and found.text:
            return found.text.strip()
    for found in article.iterfind("ELocationID") if article is not None else ():
        if found.get("EIdType") == "doi" and found.text:
            return found.text.strip()
    return ""


def design_of(publication_types: Iterable[str], mesh_names: Iterable[str]) -> StudyDesign | None:
    """The design publication types state; else what MeSH check tags imply; else None."""
    types = set(publication_types)
    for publication_type, design in PUBLICATION_DESIGNS:
        if publication_type in types or any(t.startswith(f"{publication_type},") for t in types):
            return design
    names = set(mesh_names)
    if "Animals" in names and "Humans" not in names:
        return StudyDesign.ANIMAL_IN_VIVO
    if "In Vitro Techniques" in names:
        return StudyDesign.IN_VITRO
    return None


def _study(
    article: Article,
    location: Location,
    reject: Reject,
    condition_map: Mapping[str, str],
    source_version: str | None,
) -> Node | None:
    if not article.pmid:
        reject(Rejection(location, "MedlineCitation/PMID", "no PMID"))
        return None
    if not article.title:
        reject(Rejection(location, "ArticleTitle", "no title"))
        return None
    fields: dict[str, Any] = {
        "id": f"PMID:{article.pmid}",
        "category": Category.STUDY,
        "name": article.title,
        "title": article.title,
        "year": article.year,
        "pmid": article.pmid,
        "doi": article.doi or None,
        "xrefs": (f"DOI:{article.doi}",) if article.doi else (),
        "design": design_of(article.publication_types, (name for _, name in article.mesh)),
        "summary": _conditions_summary(article, condition_map),
        "source": SOURCE,
        "source_version": source_version,
    }
    return build(Node, location, reject, **fields)


def _conditions_summary(article: Article, condition_map: Mapping[str, str]) -> str | None:
    found = [
        f"{name} ({ui} = {condition_map[ui]})" for ui, name in article.mesh if ui in condition_map
    ]
    return "MeSH: " + "; ".join(found) if found else None


def _investigates(
    article: Article,
    study_id: str,
    location: Location,
    reject: Reject,
    *,
    chemical_map: Mapping[str, str],
    dating: Dating,
) -> Iterator[Edge]:
    """One edge per mapped substance, whether listed as a chemical or as a MeSH heading."""
    uis = dict.fromkeys(ui for ui, _ in (*article.chemicals, *article.mesh) if ui in chemical_map)
    targets = dict.fromkeys(chemical_map[ui] for ui in uis)
    for curie in targets:
        edge = build(
            Edge,
            location,
            reject,
            subject=study_id,
            predicate=Predicate.INVESTIGATES,
            object=curie,
            provenance=provenance(SOURCE, (study_id,), dating),
        )
        if edge is not None:
            yield edge
