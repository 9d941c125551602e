"""UniProtKB proteins from the REST API: ``format=tsv`` downloads or JSON (search results or one
entry).

Each entry becomes a protein target node ``UniProtKB:<accession>``, its category from what
UniProt says of it (``category_of``): a receptor only when UniProt calls it one (keyword
Receptor or G-protein coupled receptor), an ion channel, a transporter (its protein family or the
keywords Symport/Antiport), an enzyme (an EC number, or an enzyme-class keyword), else a protein.
An entry about which the file says nothing of the kind (no keywords, families or EC numbers:
download with the ``keyword``, ``protein_families`` and ``ec`` columns) is rejected; the
caller's ``categories`` (accession -> category) win over all of this. HGNC and Guide to
PHARMACOLOGY cross-references become xrefs; other databases are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loaders.base import Reject, build
from loaders.errors import Location, Rejection, SourceError
from loaders.files import looks_like_json
from loaders.jsondoc import JsonObject, load_json, object_list, objects, text, top_object
from loaders.tabular import FILE_FIELD, decoded_lines, iter_table
from ontology.records import Node
from ontology.vocab import TARGETS, Category

SOURCE = "infores:uniprot"
TSV_REQUIRED = ("Entry", "Protein names", "Organism")
# UniProt database name -> our CURIE prefix (HGNC ids already carry theirs).
XREF_PREFIXES = {"HGNC": "HGNC", "GuidetoPHARMACOLOGY": "IUPHAR.RECEPTOR"}


@dataclass
class Protein:
    """What we keep of one UniProtKB entry, whichever format it came in."""

    accession: str
    names: list[str]  # recommended name first
    genes: list[str] = field(default_factory=list)  # primary gene name first
    organism: str = ""
    taxon_id: str = ""
    ec_numbers: list[str] = field(default_factory=list)
    xrefs: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    families: list[str] = field(default_factory=list)  # "G-protein coupled receptor 1 family"


RECEPTOR_KEYWORDS = frozenset({"receptor", "g-protein coupled receptor"})
ION_CHANNEL_KEYWORDS = frozenset({"ion channel"})
TRANSPORTER_KEYWORDS = frozenset({"symport", "antiport"})
# Transporter families: by name, or by Transporter Classification class 2 or 3 (class 1 is
# channels): "Sodium:neurotransmitter symporter (SNF) (TC 2.A.22) family".
_TRANSPORTER_FAMILY = re.compile(r"transporter|symporter|antiporter|\(tc [23]\.")
ENZYME_KEYWORDS = frozenset(
    {
        "oxidoreductase",
        "transferase",
        "hydrolase",
        "lyase",
        "isomerase",
        "ligase",
        "monooxygenase",
        "kinase",
        "protease",
    }
)


def iter_records(
    path: Path,
    reject: Reject,
    *,
    categories: Mapping[str, Category] | None = None,
    source_version: str | None = None,
) -> Iterator[Node]:
    """Receptor and enzyme nodes from a UniProt TSV or JSON file (told apart by content)."""
    chosen = dict(categories or {})
    stray = sorted(f"{acc}={cat.value}" for acc, cat in chosen.items() if cat not in TARGETS)
    if stray:
        raise ValueError(
            f"UniProt entries can only be protein target nodes "
            f"({', '.join(sorted(c.value for c in TARGETS))}): {stray}"
        )
    for location, protein in _proteins(path, reject):
        node = _node(location, reject, protein, chosen, source_version)
        if node is not None:
            yield node


def _proteins(path: Path, reject: Reject) -> Iterator[tuple[Location, Protein]]:
    if looks_like_json(path):
        yield from _json_proteins(path)
    else:
        for location, row in iter_table(
            path, decoded_lines(path), reject, delimiter="\t", required=TSV_REQUIRED
        ):
            yield location, _tsv_protein(row)


def _json_proteins(path: Path) -> Iterator[tuple[Location, Protein]]:
    document = top_object(path, load_json(path))
    if "results" in document:
        entries = object_list(path, document, "results")
        if entries and "primaryAccession" not in entries[0]:
            raise _not_uniprot(path, entries[0], "results[0]")
        for index, entry in enumerate(entries):
            yield Location(path, record=f"results[{index}]"), _json_protein(entry)
    elif "primaryAccession" in document:  # one entry, as /uniprotkb/<accession>.json gives it
        yield Location(path, record=text(document, "primaryAccession")), (_json_protein(document))
    else:
        raise _not_uniprot(path, document, None)


def _not_uniprot(path: Path, found: JsonObject, record: str | None) -> SourceError:
    """One clear error for a JSON file that is not a UniProtKB REST answer."""
    legacy = "docs" in found or {"accession", "protein"} <= set(found)
    what = (
        "a legacy UniProt JSON (EBI Proteins API / old uniprot.org layout: 'accession', 'protein')"
        if legacy
        else "not UniProtKB JSON"
    )
    keys = ", ".join(map(repr, list(found)[:8]))
    return SourceError(
        Location(path, record=record),
        FILE_FIELD,
        f"{what}: expected a rest.uniprot.org answer ('results' of entries with "
        f"'primaryAccession', or one entry); found keys {keys}",
    )


def _json_protein(entry: JsonObject) -> Protein:
    description = entry.get("proteinDescription") or {}
    recommended = description.get("recommendedName") or next(
        iter(objects(description, "submissionNames")), {}
    )
    names = [text(recommended, "fullName", "value")]
    names += [text(alt, "fullName", "value") for alt in objects(description, "alternativeNames")]
    genes = [text(gene, "geneName", "value") for gene in objects(entry, "genes")]
    genes += [
        text(syn, "value") for gene in objects(entry, "genes") for syn in objects(gene, "synonyms")
    ]
    return Protein(
        accession=text(entry, "primaryAccession"),
        names=[name for name in names if name],
        genes=[gene for gene in genes if gene],
        organism=text(entry, "organism", "scientificName"),
        taxon_id=text(entry, "organism", "taxonId"),
        ec_numbers=[text(ec, "value") for ec in objects(recommended, "ecNumbers")],
        xrefs=[
            _xref(text(ref, "database"), text(ref, "id"))
            for ref in objects(entry, "uniProtKBCrossReferences")
            if text(ref, "database") in XREF_PREFIXES
        ],
        keywords=[text(keyword, "name") for keyword in objects(entry, "keywords")],
        families=[
            text(t, "value").removeprefix("Belongs to the ").rstrip(".")
            for comment in objects(entry, "comments")
            if text(comment, "commentType") == "SIMILARITY"
            for t in objects(comment, "texts")
        ],
    )


def _tsv_protein(row: dict[str, str]) -> Protein:
    names = split_protein_names(row["Protein names"])
    ec_numbers = [name.removeprefix("EC ") for name in names if name.startswith("EC ")]
    ec_numbers += [ec.strip() for ec in row.get("EC number", "").split(";") if ec.strip()]
    genes = row.get("Gene Names (primary)", "").split()
    genes += [g for g in row.get("Gene Names", "").split() if g not in genes]
    return Protein(
        accession=row["Entry"],
        names=[name for name in names if not name.startswith("EC ")],
        genes=genes,
        organism=row["Organism"],
        taxon_id=row.get("Organism (ID)", ""),
        ec_numbers=ec_numbers,
        xrefs=[
            _xref(database, value.strip())
            for database in XREF_PREFIXES
            for value in row.get(database, "").split(";")
            if value.strip()
        ],
        keywords=[k.strip() for k in row.get("Keywords", "").split(";") if k.strip()],
        families=[f.strip() for f in row.get("Protein families", "").split(";") if f.strip()],
    )


def _xref(database: str, value: str) -> str:
    prefix = XREF_PREFIXES[database]
    return value if value.startswith(f"{prefix}:") else f"{prefix}:{value}"


def split_protein_names(names: str) -> list[str]:
    """``"Mu-type opioid receptor (M-OR-1) (MOR-1)"`` -> the name, then each alternative.

    UniProt's TSV writes the recommended name followed by each alternative in parentheses, and
    ``[Includes: ...]``/``[Cleaved into: ...]`` sections after them, which are dropped.
    """
    rest = names.split(" [", 1)[0].strip()
    alternatives: list[str] = []
    while rest.endswith(")"):
        start = _opening_paren(rest)
        if start <= 0 or rest[start - 1] != " ":
            break  # the parentheses belong to the name itself
        alternatives.insert(0, rest[start + 1 : -1].strip())
        rest = rest[:start].rstrip()
    return [name for name in (rest, *alternatives) if name]


def _opening_paren(text_: str) -> int:
    """Index of the ``(`` that matches the final ``)``, or -1."""
    depth = 0
    for index in range(len(text_) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text_[index], 0)
        if depth == 0:
            return index
    return -1


def category_of(protein: Protein) -> Category | None:
    """What UniProt says the protein is; None when the entry says nothing of the kind."""
    keywords = {k.lower() for k in protein.keywords}
    families = " ".join(protein.families).lower()
    if keywords & RECEPTOR_KEYWORDS:
        return Category.RECEPTOR
    if keywords & ION_CHANNEL_KEYWORDS:
        return Category.ION_CHANNEL
    if _TRANSPORTER_FAMILY.search(families) or keywords & TRANSPORTER_KEYWORDS:
        return Category.TRANSPORTER
    if protein.ec_numbers or keywords & ENZYME_KEYWORDS:
        return Category.ENZYME
    if keywords or families:
        return Category.PROTEIN
    return None


def _node(
    location: Location,
    reject: Reject,
    protein: Protein,
    categories: Mapping[str, Category],
    source_version: str | None,
) -> Node | None:
    if not protein.accession:
        reject(Rejection(location, "Entry", "no UniProtKB accession"))
        return None
    if not protein.names:
        reject(Rejection(location, "Protein names", "no protein name"))
        return None
    category = categories.get(protein.accession) or category_of(protein)
    if category is None:
        reject(
            Rejection(
                location,
                "Keywords",
                "UniProt says nothing here of what the protein "
                "is (no keywords, protein families or EC numbers): download with the "
                "columns keyword, protein_families and ec",
            )
        )
        return None
    synonyms = [*protein.names[1:], *protein.genes[1:]]
    fields: dict[str, Any] = {
        "id": f"UniProtKB:{protein.accession}",
        "category": category,
        "name": protein.names[0],
        "synonyms": tuple(dict.fromkeys(synonyms)),
        "xrefs": tuple(dict.fromkeys(protein.xrefs)),
        "description": f"{protein.organism} protein" if protein.organism else None,
        "symbol": protein.genes[0] if protein.genes else None,
        "taxon": f"NCBITaxon:{protein.taxon_id}" if protein.taxon_id else None,
        "source": SOURCE,
        "source_version": source_version,
    }
    return build(Node, location, reject, **fields)
