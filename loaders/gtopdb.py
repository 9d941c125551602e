"""IUPHAR/BPS Guide to PHARMACOLOGY ``interactions.csv``.

The file's first line names the release (``"# GtoPdb Version: 2024.3 - published: ..."``),
which becomes the edges' ``source_version``; the header follows. Each interaction becomes one
edge from the ligand to the target's UniProtKB accession, its predicate from the ``Action``
(or ``Type``), its affinity converted from GtoPdb's negative logarithm (pKi, pEC50, ...) to
nanomolar with the original kept in ``note``.

Ligands: GtoPdb ligand ids are not valid ids for our compound nodes, and ``interactions.csv``
carries only PubChem *substance* ids. A ligand's compound is its PubChem CID from a
``Ligand PubChem CID`` column when a file has one, else from ``ligand_map`` (GtoPdb ligand id
-> CURIE, which ``read_ligand_map`` builds from the release's ``ligands.csv``); a ligand with
neither is rejected.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from loaders.base import Reject, build
from loaders.errors import Location, SourceError
from loaders.fields import Dating, FieldError, parse_float, provenance, rejecting
from loaders.tabular import FILE_FIELD, Row, decoded_lines, iter_table, with_first
from ontology.records import Edge
from ontology.vocab import Measure, Predicate, Relation, Unit

SOURCE = "infores:gtopdb"
REQUIRED = ("Target UniProt ID", "Target Species", "Ligand", "Ligand ID", "Type", "Action",
            "Affinity Units", "Affinity High", "Affinity Median", "Affinity Low", "PubMed ID")
LIGAND_CID_COLUMN = "Ligand PubChem CID"  # not in the published file; used when present
_VERSION = re.compile(r"GtoPdb Version:\s*(\S+)")

ACTIONS = {
    "agonist": Predicate.AGONIST_OF, "full agonist": Predicate.AGONIST_OF,
    "biased agonist": Predicate.AGONIST_OF, "irreversible agonist": Predicate.AGONIST_OF,
    "partial agonist": Predicate.PARTIAL_AGONIST_OF,
    "antagonist": Predicate.ANTAGONIST_OF,
    "inverse agonist": Predicate.INVERSE_AGONIST_OF,
    "inhibition": Predicate.INHIBITS, "irreversible inhibition": Predicate.INHIBITS,
    "binding": Predicate.BINDS,
}
# When the Action says only how (competitive, non-competitive...), the Type says what.
TYPES = {"agonist": Predicate.AGONIST_OF, "antagonist": Predicate.ANTAGONIST_OF,
         "inhibitor": Predicate.INHIBITS}
AFFINITIES = {"pKi": Measure.KI, "pKd": Measure.KD, "pIC50": Measure.IC50,
              "pEC50": Measure.EC50, "pKB": Measure.KB}
# A bound on an affinity given as p-value flips when it becomes a concentration.
FLIPPED = {Relation.LT: Relation.GT, Relation.GT: Relation.LT, Relation.LE: Relation.GE,
           Relation.GE: Relation.LE}


@dataclass(frozen=True)
class _Options:
    ligand_map: Mapping[str, str]
    dating: Dating


def iter_records(path: Path, reject: Reject, *, ligand_map: Mapping[str, str] | None = None,
                 source_version: str | None = None) -> Iterator[Edge]:
    """Interaction edges; the release on the first line wins over ``source_version``."""
    lines, release, header_line = _after_release_line(path)
    version = release or source_version
    if version is None:
        raise SourceError(Location(path, 1), FILE_FIELD,
                          "the first line should name the release ('# GtoPdb Version: ...'); "
                          "pass source_version for a file without it")
    options = _Options(ligand_map or {}, Dating(version, None))
    for location, row in iter_table(path, lines, reject, delimiter=",", required=REQUIRED,
                                    first_line=header_line):
        edge = rejecting(location, reject, partial(_edge, row, location, reject, options))
        if edge is not None:
            yield edge


def _after_release_line(path: Path) -> tuple[Iterator[str], str | None, int]:
    """The lines from the header on, the release named above it, and the header's line."""
    lines = decoded_lines(path)
    first = next(lines, "")
    cells = next(csv.reader([first]), [""]) or [""]
    if not cells[0].lstrip().startswith("#"):
        return with_first(first, lines), None, 1
    return lines, _release(path, cells[0]), 2


def _release(path: Path, comment: str) -> str:
    match = _VERSION.search(comment)
    if match is None:
        raise SourceError(Location(path, 1), FILE_FIELD,
                          f"cannot read the release from {comment!r}")
    return match.group(1)


def read_ligand_map(path: Path) -> dict[str, str]:
    """GtoPdb ligand id -> ``PUBCHEM.COMPOUND:<cid>`` from the release's ``ligands.csv``.

    Ligands without a CID (peptides, antibodies...) are left out.
    """
    lines, _, header_line = _after_release_line(path)

    def fatal(rejection: object) -> None:  # a bad row in a lookup table is a broken download
        raise SourceError(Location(path), FILE_FIELD, str(rejection))

    mapping: dict[str, str] = {}
    for _, row in iter_table(path, lines, fatal, delimiter=",",
                             required=("Ligand ID", "PubChem CID"),
                             first_line=header_line):
        cid = row["PubChem CID"]
        if cid.isdigit():
            mapping[row["Ligand ID"]] = f"PUBCHEM.COMPOUND:{cid}"
    return mapping


def _edge(row: Row, location: Location, reject: Reject, options: _Options) -> Edge | None:
    measurement = _affinity(row)
    return build(
        Edge, location, reject,
        subject=_ligand(row, options.ligand_map),
        predicate=_predicate(row),
        object=_target(row),
        species=row["Target Species"] or None,
        assay=row.get("Assay Description") or None,
        note=_note(row),
        provenance=provenance(SOURCE, _citations(row), options.dating),
        **measurement,
    )


def _ligand(row: Row, ligand_map: Mapping[str, str]) -> str:
    cid = row.get(LIGAND_CID_COLUMN, "")
    if cid:
        return f"PUBCHEM.COMPOUND:{cid}"
    mapped = ligand_map.get(row["Ligand ID"])
    if mapped is None:
        raise FieldError("Ligand ID", f"ligand {row['Ligand ID']} ({row['Ligand']}) has no "
                         "PubChem CID: GtoPdb ligand ids are not compound ids here; pass "
                         "ligand_map (read_ligand_map on ligands.csv)")
    return mapped


def _target(row: Row) -> str:
    accessions = [a.strip() for a in row["Target UniProt ID"].split("|") if a.strip()]
    if not accessions:
        raise FieldError("Target UniProt ID", "no UniProt accession (not a protein target)")
    if len(accessions) > 1:
        raise FieldError("Target UniProt ID", f"a complex of {len(accessions)} proteins "
                         f"({', '.join(accessions)}); no single protein to link")
    return f"UniProtKB:{accessions[0]}"


def _predicate(row: Row) -> Predicate:
    action = ACTIONS.get(row["Action"].lower())
    return action or TYPES.get(row["Type"].lower(), Predicate.BINDS)


def _affinity(row: Row) -> dict[str, object]:
    """measure/relation/value/unit in nM, or nothing when the row has no affinity."""
    units = row["Affinity Units"]
    if units in ("", "-"):
        return {}
    measure = AFFINITIES.get(units)
    if measure is None:
        raise FieldError("Affinity Units", f"unsupported affinity units {units!r}; expected "
                         f"one of: {', '.join(AFFINITIES)}")
    p_value = parse_float("Affinity Median", row["Affinity Median"])
    return {"measure": measure, "relation": _relation(row),
            "value": float(f"{10 ** (9 - p_value):.4g}"), "unit": Unit.NM}


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
    parts = [f"GtoPdb ligand {row['Ligand ID']} ({row['Ligand']})",
             f"type {row['Type']}, action {row['Action']}"]
    if row["Affinity Units"] not in ("", "-"):
        spread = "".join(f", {label} {row[column]}" for label, column in
                         (("high", "Affinity High"), ("low", "Affinity Low")) if row[column])
        parts.append(f"{row['Affinity Units']} {row['Affinity Median']}{spread}")
    return "; ".join(parts)
