"""IUPHAR/BPS Guide to PHARMACOLOGY downloads: ``interactions.csv``, ``ligands.csv`` and
``targets_and_families.csv`` of one release, read together.

Each file's first line names the release (``"# GtoPdb Version: 2024.3 - published: ..."``),
which becomes the records' ``source_version``; the header follows. The column names changed
over the years (``Ligand id`` / ``Ligand ID``, ``Target UniProt ID`` / ``Target UniProtKB
ID``, ``target_uniprot``...): every header is read through ``COLUMN_ALIASES`` into today's
names, and a file is recognised by its columns, not its name.

- ``ligands.csv``: one compound node per ligand with a PubChem CID, under that CID (each
  stereoisomer is its own GtoPdb ligand with its own CID: they are never merged), with the
  GtoPdb ligand id, ChEMBL id and InChIKey as xrefs. Ligands without a CID (peptides,
  antibodies...) get no node.
- ``targets_and_families.csv``: one protein node per UniProtKB accession (human, rat, mouse),
  its category from GtoPdb's target type (``TARGET_TYPES``).
- ``interactions.csv``: one edge per interaction from the ligand's compound to the target's
  accession, its predicate from the ``Action`` (or ``Type``), its affinity converted from
  GtoPdb's negative logarithm (pKi, pEC50...) to nanomolar with the original kept in ``note``.
  An affinity given as a range (High and Low, Median empty) stays a range (``low``, ``high``,
  ``interval`` "range"), the median as ``value`` when there is one; a range is never averaged.
  The p-value range flips when converted: the highest pKi is the lowest Ki.

A ligand's compound comes from a ``Ligand PubChem CID`` column when a file has one, else from
the release's ``ligands.csv`` (read first, whatever the order of the files given) or from
``ligand_map`` (GtoPdb ligand id -> CURIE, ``read_ligand_map``).
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import partial
from pathlib import Path

from loaders.base import Reject, build
from loaders.errors import Location, SourceError
from loaders.fields import Dating, FieldError, parse_float, provenance, rejecting
from loaders.tabular import FILE_FIELD, HEADER_FIELD, Row, decoded_lines, iter_table, with_first
from ontology.records import Edge, Node, Record
from ontology.vocab import Category, Measure, Predicate, Relation, Unit

SOURCE = "infores:gtopdb"
REQUIRED = (
    "Target UniProt ID",
    "Target Species",
    "Ligand",
    "Ligand ID",
    "Type",
    "Action",
    "Affinity Units",
    "Affinity High",
    "Affinity Median",
    "Affinity Low",
    "PubMed ID",
)
LIGAND_REQUIRED = ("Ligand ID", "Name", "PubChem CID")
TARGET_REQUIRED = ("Type", "Target id", "Target name", "Human SwissProt")
LIGAND_CID_COLUMN = "Ligand PubChem CID"  # not in the published file; used when present
_VERSION = re.compile(r"GtoPdb Version:\s*(\S+)")

# Earlier spellings of today's column names, compared case-blind with "_" read as a space
# (2019-2020 releases: "Ligand id", "UniProt id"; older dumps: "target_uniprot", "pubmed_id").
COLUMN_ALIASES = {
    "target uniprotkb id": "Target UniProt ID",
    "target uniprot": "Target UniProt ID",
    "uniprot id": "UniProt ID",
    "uniprotkb id": "UniProt ID",
    "ligand pubchem cid": LIGAND_CID_COLUMN,
    "pubmed": "PubMed ID",
    "approved drug": "Approved",
    "target species": "Target Species",
    "ligand species": "Ligand Species",
    "original affinity low nm": "Original Affinity Low nm",
    "original affinity median nm": "Original Affinity Median nm",
    "original affinity high nm": "Original Affinity High nm",
}
# Every name the loader reads, so that any spelling of it finds today's.
_KNOWN = (
    "Target",
    *REQUIRED,
    *LIGAND_REQUIRED,
    *TARGET_REQUIRED,
    LIGAND_CID_COLUMN,
    "Assay Description",
    "Original Affinity Units",
    "Original Affinity Relation",
    "Synonyms",
    "InChIKey",
    "ChEMBL ID",
    "Family id",
    "Subunit id",
    "Subunit name",
    "HGNC id",
    "HGNC symbol",
    "Rat SwissProt",
    "Mouse SwissProt",
    "RGD symbol",
    "MGI symbol",
    "Species",
)

ACTIONS = {
    "agonist": Predicate.AGONIST_OF,
    "full agonist": Predicate.AGONIST_OF,
    "biased agonist": Predicate.AGONIST_OF,
    "irreversible agonist": Predicate.AGONIST_OF,
    "partial agonist": Predicate.PARTIAL_AGONIST_OF,
    "antagonist": Predicate.ANTAGONIST_OF,
    "inverse agonist": Predicate.INVERSE_AGONIST_OF,
    "inhibition": Predicate.INHIBITS,
    "irreversible inhibition": Predicate.INHIBITS,
    "binding": Predicate.BINDS,
}
# When the Action says only how (competitive, non-competitive...), the Type says what.
TYPES = {
    "agonist": Predicate.AGONIST_OF,
    "antagonist": Predicate.ANTAGONIST_OF,
    "inhibitor": Predicate.INHIBITS,
}
AFFINITIES = {
    "pKi": Measure.KI,
    "pKd": Measure.KD,
    "pIC50": Measure.IC50,
    "pEC50": Measure.EC50,
    "pKB": Measure.KB,
}
# A bound on an affinity given as p-value flips when it becomes a concentration.
FLIPPED = {
    Relation.LT: Relation.GT,
    Relation.GT: Relation.LT,
    Relation.LE: Relation.GE,
    Relation.GE: Relation.LE,
}
# GtoPdb's target classes (targets_and_families.csv "Type") -> our categories.
TARGET_TYPES = {
    "gpcr": Category.RECEPTOR,
    "lgic": Category.RECEPTOR,
    "nhr": Category.RECEPTOR,
    "catalytic_receptor": Category.RECEPTOR,
    "vgic": Category.ION_CHANNEL,
    "other_ic": Category.ION_CHANNEL,
    "enzyme": Category.ENZYME,
    "transporter": Category.TRANSPORTER,
    "other_protein": Category.PROTEIN,
}
# Species columns of targets_and_families.csv: accession, symbol, taxon.
SPECIES = (
    ("Human SwissProt", "HGNC symbol", "9606"),
    ("Rat SwissProt", "RGD symbol", "10116"),
    ("Mouse SwissProt", "MGI symbol", "10090"),
)


class FileKind(Enum):
    INTERACTIONS = "interactions.csv"
    LIGANDS = "ligands.csv"
    TARGETS = "targets_and_families.csv"


@dataclass(frozen=True)
class _Table:
    """One GtoPdb file opened: what it is, its release, and its rows from the header on."""

    path: Path
    kind: FileKind
    release: str | None
    lines: Iterator[str]  # the header (renamed to today's columns), then the rows
    header_line: int


@dataclass
class _Options:
    ligand_map: dict[str, str]
    source_version: str | None


def iter_records(
    path: Path,
    reject: Reject,
    *,
    ligand_map: Mapping[str, str] | None = None,
    source_version: str | None = None,
) -> Iterator[Record]:
    """One file of a release (interactions, ligands or targets, told apart by columns)."""
    return iter_release([path], reject, ligand_map=ligand_map, source_version=source_version)


def iter_release(
    paths: Sequence[Path],
    reject: Reject,
    *,
    ligand_map: Mapping[str, str] | None = None,
    source_version: str | None = None,
) -> Iterator[Record]:
    """Ligand and target nodes, then interaction edges, from the files of one release."""
    tables = sorted((_open(path) for path in paths), key=lambda t: _ORDER.index(t.kind))
    options = _Options(dict(ligand_map or {}), source_version)
    for table in tables:
        yield from _READERS[table.kind](table, reject, options)


def read_ligand_map(path: Path) -> dict[str, str]:
    """GtoPdb ligand id -> ``PUBCHEM.COMPOUND:<cid>`` from the release's ``ligands.csv``.

    Ligands without a CID (peptides, antibodies...) are left out.
    """
    table = _open(path)
    if table.kind is not FileKind.LIGANDS:
        raise SourceError(
            Location(path, table.header_line),
            HEADER_FIELD,
            f"expected GtoPdb's ligands.csv (--map), found {table.kind.value}",
        )

    def fatal(rejection: object) -> None:  # a bad row in a lookup table is a broken download
        raise SourceError(Location(path), FILE_FIELD, str(rejection))

    return {
        row["Ligand ID"]: f"PUBCHEM.COMPOUND:{row['PubChem CID']}"
        for _, row in _rows(table, fatal, LIGAND_REQUIRED)
        if row["PubChem CID"].isdigit()
    }


# -- opening a file: release line, header names, kind -----------------------------------------


def _open(path: Path) -> _Table:
    lines = decoded_lines(path)
    first = next(lines, "")
    cells = next(csv.reader([first]), [""]) or [""]
    release: str | None = None
    header_line = 1
    if cells[0].lstrip().startswith("#"):
        release = _release(path, cells[0])
        first, header_line = next(lines, ""), 2
    header = [_today(name) for name in next(csv.reader([first]), [])]
    return _Table(
        path,
        _kind(path, header, header_line),
        release,
        with_first(_csv_line(header), lines),
        header_line,
    )


def _release(path: Path, comment: str) -> str:
    match = _VERSION.search(comment)
    if match is None:
        raise SourceError(
            Location(path, 1), FILE_FIELD, f"cannot read the release from {comment!r}"
        )
    return match.group(1)


def _key(name: str) -> str:
    return " ".join(name.replace("_", " ").lower().split())


_TODAY = {**{_key(name): name for name in _KNOWN}, **COLUMN_ALIASES}


def _today(name: str) -> str:
    """A column name as today's files spell it (unknown names are kept as they are)."""
    return _TODAY.get(_key(name), name.strip())


def _csv_line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerow(cells)
    return out.getvalue()


def _kind(path: Path, header: list[str], line: int) -> FileKind:
    names = set(header)
    if {"Target UniProt ID", "Ligand ID"} <= names or {"Target", "Ligand"} <= names:
        return FileKind.INTERACTIONS
    if {"Target id", "Family id"} <= names:
        return FileKind.TARGETS
    if "Ligand ID" in names and "PubChem CID" in names:
        return FileKind.LIGANDS
    raise SourceError(
        Location(path, line),
        HEADER_FIELD,
        "not a GtoPdb download: expected the columns of "
        f"{', '.join(k.value for k in FileKind)}; found: "
        f"{', '.join(map(repr, header))}",
    )


def _rows(
    table: _Table, reject: Reject, required: tuple[str, ...]
) -> Iterator[tuple[Location, Row]]:
    return iter_table(
        table.path,
        table.lines,
        reject,
        delimiter=",",
        required=required,
        first_line=table.header_line,
    )


def _dating(table: _Table, options: _Options) -> Dating:
    """The release on the file's first line wins over ``--source-version``."""
    version = table.release or options.source_version
    if version is None:
        raise SourceError(
            Location(table.path, 1),
            FILE_FIELD,
            "the first line should name the release ('# GtoPdb Version: ...'); "
            "give --source-version for a file without it",
        )
    return Dating(version, None)


def _plain(text: str) -> str:
    """GtoPdb names carry HTML: ``5-HT<sub>1A</sub> receptor``, ``&mu; receptor``."""
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


# -- ligands.csv --------------------------------------------------------------------------------


def _ligand_nodes(table: _Table, reject: Reject, options: _Options) -> Iterator[Node]:
    dating = _dating(table, options)
    for location, row in _rows(table, reject, LIGAND_REQUIRED):
        cid = row["PubChem CID"]
        if not cid:
            continue  # no compound to stand for (a peptide, an antibody...): no node
        node = build(Node, location, reject, **_ligand_fields(row, cid, dating))
        if node is not None:
            options.ligand_map.setdefault(row["Ligand ID"], node.id)
            yield node


def _ligand_fields(row: Row, cid: str, dating: Dating) -> dict[str, object]:
    xrefs = [f"GTOPDB:{row['Ligand ID']}"]
    if row.get("ChEMBL ID"):
        xrefs.append(f"CHEMBL.COMPOUND:{row['ChEMBL ID']}")
    if row.get("InChIKey"):
        xrefs.append(f"INCHIKEY:{row['InChIKey']}")
    name = _plain(row["Name"]) or f"GtoPdb ligand {row['Ligand ID']}"
    synonyms = [_plain(s) for s in row.get("Synonyms", "").split("|")]
    return {
        "id": f"PUBCHEM.COMPOUND:{cid}",
        "category": Category.DRUG,
        "name": name,
        "synonyms": tuple(dict.fromkeys(s for s in synonyms if s and s != name)),
        "xrefs": tuple(xrefs),
        "inchikey": row.get("InChIKey") or None,
        "source": SOURCE,
        "source_version": dating.source_version,
    }


# -- targets_and_families.csv -------------------------------------------------------------------


def _target_nodes(table: _Table, reject: Reject, options: _Options) -> Iterator[Node]:
    dating = _dating(table, options)
    seen: set[str] = set()
    for location, row in _rows(table, reject, TARGET_REQUIRED):
        nodes = rejecting(location, reject, partial(_proteins, row, location, reject, dating))
        for node in nodes or ():
            if node.id not in seen:  # a subunit listed under two targets is one protein
                seen.add(node.id)
                yield node


def _proteins(row: Row, location: Location, reject: Reject, dating: Dating) -> list[Node]:
    category = TARGET_TYPES.get(row["Type"])
    if category is None:
        raise FieldError(
            "Type",
            f"unknown GtoPdb target type {row['Type']!r}; expected one "
            f"of: {', '.join(TARGET_TYPES)}",
        )
    nodes = []
    for species in SPECIES:
        if row.get(species[0]):
            node = build(Node, location, reject, **_protein_fields(row, category, species, dating))
            if node is not None:
                nodes.append(node)
    return nodes


def _protein_fields(
    row: Row, category: Category, species: tuple[str, str, str], dating: Dating
) -> dict[str, object]:
    accession_column, symbol_column, taxon = species
    accession, symbol = row[accession_column], row.get(symbol_column, "")
    name = _plain(row.get("Subunit name") or row["Target name"])
    xrefs: list[str] = []
    if taxon == "9606":  # GtoPdb's target id and HGNC name the human gene product only
        if not row.get("Subunit id"):
            xrefs.append(f"IUPHAR.RECEPTOR:{row['Target id']}")
        if row.get("HGNC id"):
            xrefs.append(f"HGNC:{row['HGNC id'].removeprefix('HGNC:')}")
    return {
        "id": f"UniProtKB:{accession}",
        "category": category,
        "name": name or accession,
        "xrefs": tuple(xrefs),
        "symbol": symbol or None,
        "taxon": f"NCBITaxon:{taxon}",
        "source": SOURCE,
        "source_version": dating.source_version,
    }


# -- interactions.csv ---------------------------------------------------------------------------


def _interaction_edges(table: _Table, reject: Reject, options: _Options) -> Iterator[Edge]:
    dating = _dating(table, options)
    for location, row in _rows(table, reject, REQUIRED):
        edge = rejecting(
            location, reject, partial(_edge, row, location, reject, options.ligand_map, dating)
        )
        if edge is not None:
            yield edge


def _edge(
    row: Row, location: Location, reject: Reject, ligand_map: Mapping[str, str], dating: Dating
) -> Edge | None:
    measurement = _affinity(row)
    return build(
        Edge,
        location,
        reject,
        subject=_ligand(row, ligand_map),
        predicate=_predicate(row),
        object=_target(row),
        species=row["Target Species"] or None,
        assay=row.get("Assay Description") or None,
        note=_note(row),
        provenance=provenance(SOURCE, _citations(row), dating),
        **measurement,
    )


def _ligand(row: Row, ligand_map: Mapping[str, str]) -> str:
    cid = row.get(LIGAND_CID_COLUMN, "")
    if cid:
        return f"PUBCHEM.COMPOUND:{cid}"
    mapped = ligand_map.get(row["Ligand ID"])
    if mapped is None:
        raise FieldError(
            "Ligand ID",
            f"ligand {row['Ligand ID']} ({row['Ligand']}) has no "
            "PubChem CID in the release's ligands.csv: GtoPdb ligand ids are not "
            "compound ids here (load ligands.csv with interactions.csv, or give "
            "--map ligands.csv)",
        )
    return mapped


def _target(row: Row) -> str:
    accessions = [a.strip() for a in row["Target UniProt ID"].split("|") if a.strip()]
    if not accessions:
        raise FieldError("Target UniProt ID", "no UniProt accession (not a protein target)")
    if len(accessions) > 1:
        raise FieldError(
            "Target UniProt ID",
            f"a complex of {len(accessions)} proteins "
            f"({', '.join(accessions)}); no single protein to link",
        )
    return f"UniProtKB:{accessions[0]}"


def _predicate(row: Row) -> Predicate:
    action = ACTIONS.get(row["Action"].lower())
    return action or TYPES.get(row["Type"].lower(), Predicate.BINDS)


def _affinity(row: Row) -> dict[str, object]:
    """measure/relation/value/low/high/unit in nM, or nothing when the row has no affinity."""
    units = row["Affinity Units"]
    if units in ("", "-"):
        return {}
    measure = AFFINITIES.get(units)
    if measure is None:
        raise FieldError(
            "Affinity Units",
            f"unsupported affinity units {units!r}; expected one of: {', '.join(AFFINITIES)}",
        )
    found: dict[str, object] = {"measure": measure, "relation": _relation(row), "unit": Unit.NM}
    if row["Affinity Median"] or not (row["Affinity High"] or row["Affinity Low"]):
        found["value"] = _nanomolar(parse_float("Affinity Median", row["Affinity Median"]))
    if row["Affinity High"] or row["Affinity Low"]:
        # The highest p-value is the lowest concentration.
        found["low"] = _nanomolar(_p_value(row, "Affinity High"))
        found["high"] = _nanomolar(_p_value(row, "Affinity Low"))
        found["interval"] = "range"
    return found


def _p_value(row: Row, column: str) -> float:
    if not row[column]:
        other = "Affinity Low" if column == "Affinity High" else "Affinity High"
        raise FieldError(column, f"a range needs both ends; only {other} is given")
    return parse_float(column, row[column])


def _nanomolar(p_value: float) -> float:
    return float(f"{10 ** (9 - p_value):.4g}")


def _relation(row: Row) -> Relation:
    raw = row.get("Original Affinity Relation", "") or "="
    relation = {r.value: r for r in Relation}.get(raw)
    if relation is None:
        raise FieldError("Original Affinity Relation", f"unknown relation {raw!r}")
    # The original was a p-value when its units were: then a bound flips in nM.
    if row.get("Original Affinity Units", "").startswith("p"):
        return FLIPPED.get(relation, relation)
    return relation


def _citations(row: Row) -> tuple[str, ...]:
    pmids = [p.strip() for p in row["PubMed ID"].split("|") if p.strip()]
    if not pmids:
        raise FieldError("PubMed ID", "no PubMed citation")
    return tuple(f"PMID:{pmid}" for pmid in dict.fromkeys(pmids))


def _note(row: Row) -> str:
    parts = [
        f"GtoPdb ligand {row['Ligand ID']} ({row['Ligand']})",
        f"type {row['Type']}, action {row['Action']}",
    ]
    if row["Affinity Units"] not in ("", "-"):
        median = f" {row['Affinity Median']}" if row["Affinity Median"] else ""
        spread = "".join(
            f", {label} {row[column]}"
            for label, column in (("high", "Affinity High"), ("low", "Affinity Low"))
            if row[column]
        )
        parts.append(f"{row['Affinity Units']}{median}{spread}")
    return "; ".join(parts)


_ORDER = (FileKind.LIGANDS, FileKind.TARGETS, FileKind.INTERACTIONS)
_READERS: dict[FileKind, Callable[[_Table, Reject, _Options], Iterator[Record]]] = {
    FileKind.LIGANDS: _ligand_nodes,
    FileKind.TARGETS: _target_nodes,
    FileKind.INTERACTIONS: _interaction_edges,
}
