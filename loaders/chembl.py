"""ChEMBL activities as users get them: the web-service JSON pages (``/api/data/activity.json``),
the web download (semicolon-separated, or tab-separated when re-saved; columns named in
``TSV_COLUMNS``, relations written ``'='``) and the comma-separated table that
chembl_webresource_client users save (the web service's field names, ``API_FIELDS``).

One measurement edge per activity, from ``CHEMBL.COMPOUND:<molecule>`` to its target, and the
nodes it joins, from the rows' own ids and names: a compound node per molecule and, for a target
not in ``target_map``, a protein node ``CHEMBL.TARGET:<target>``. A ChEMBL target can be a
complex, a cell line or an organism, so it becomes a protein only when the row says it is one
(target type ``SINGLE PROTEIN``, or, where the export has no target type, an assay in
``single protein format``); otherwise the row is rejected until ``target_map`` links the target
to its UniProtKB accession (``read_target_map``), whose node comes from UniProt.

The publication is the row's PMID or DOI when the file has them, else the ChEMBL document's
from ``document_map`` (document id -> ``PMID:``/``DOI:``; ``read_document_map`` reads ChEMBL's
documents table or a two-column map), else the ChEMBL document itself (``CHEMBL:<document>``,
which ChEMBL's id lookup resolves).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

from loaders.base import Reject, build
from loaders.errors import Location, SourceError
from loaders.fields import (
    Dating,
    FieldError,
    parse_float,
    parse_relation,
    parse_unit,
    provenance,
    rejecting,
)
from loaders.files import looks_like_json
from loaders.jsondoc import load_json, object_list, text, top_object
from loaders.tabular import (
    HEADER_FIELD,
    decoded_lines,
    iter_table,
    read_id_map,
    sniff_delimiter,
    with_first,
)
from ontology.records import Edge, Node, Record
from ontology.vocab import Category, Measure, Predicate

SOURCE = "infores:chembl"

# Our name for each field -> its spellings in the TSV download (first present wins).
TSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "molecule": ("Molecule ChEMBL ID",),
    "type": ("Standard Type",),
    "relation": ("Standard Relation",),
    "value": ("Standard Value",),
    "units": ("Standard Units",),
    "target": ("Target ChEMBL ID",),
    "document": ("Document ChEMBL ID",),
    "organism": ("Target Organism",),
    "assay": ("Assay ChEMBL ID",),
    "assay_description": ("Assay Description",),
    "validity": ("Data Validity Comment",),
    "action": ("Action Type",),
    "pmid": ("Document PubMed ID", "PubMed ID"),
    "doi": ("Document DOI", "DOI"),
    "molecule_name": ("Molecule Name",),
    "target_name": ("Target Name",),
    "target_type": ("Target Type",),
    "assay_format": ("BAO Label",),
}
TSV_REQUIRED = (
    "Molecule ChEMBL ID",
    "Standard Type",
    "Standard Relation",
    "Standard Value",
    "Standard Units",
    "Target ChEMBL ID",
    "Document ChEMBL ID",
)

# The same fields in the web service's activity objects.
API_FIELDS: dict[str, tuple[str, ...]] = {
    "molecule": ("molecule_chembl_id",),
    "type": ("standard_type",),
    "relation": ("standard_relation",),
    "value": ("standard_value",),
    "units": ("standard_units",),
    "target": ("target_chembl_id",),
    "document": ("document_chembl_id",),
    "organism": ("target_organism",),
    "assay": ("assay_chembl_id",),
    "assay_description": ("assay_description",),
    "validity": ("data_validity_comment",),
    "flag": ("standard_flag",),
    "action": ("action_type",),
    "pmid": ("document_pubmed_id", "pubmed_id"),
    "doi": ("document_doi", "doi"),
    "molecule_name": ("molecule_pref_name",),
    "target_name": ("target_pref_name",),
    "target_type": ("target_type",),
    "assay_format": ("bao_label",),
    "taxon": ("target_tax_id",),
}
# A table may use either spelling: the download's names or the web service's field names.
TABLE_COLUMNS = {
    key: TSV_COLUMNS.get(key, ()) + API_FIELDS.get(key, ()) for key in {**TSV_COLUMNS, **API_FIELDS}
}
_REQUIRED_KEYS = ("molecule", "type", "relation", "value", "units", "target", "document")
_CHEMBL_ID = re.compile(r"^CHEMBL\d+$")

MEASURES = {
    "Ki": Measure.KI,
    "Kd": Measure.KD,
    "IC50": Measure.IC50,
    "EC50": Measure.EC50,
    "Emax": Measure.EMAX,
    "Kb": Measure.KB,
}
ACTIONS = {
    "AGONIST": Predicate.AGONIST_OF,
    "PARTIAL AGONIST": Predicate.PARTIAL_AGONIST_OF,
    "ANTAGONIST": Predicate.ANTAGONIST_OF,
    "INVERSE AGONIST": Predicate.INVERSE_AGONIST_OF,
    "INHIBITOR": Predicate.INHIBITS,
}
# "Manually validated" is ChEMBL confirming a value; every other comment flags a doubtful one.
VALID_COMMENTS = frozenset({"", "Manually validated"})


@dataclass
class _Options:
    target_map: Mapping[str, str]
    document_map: Mapping[str, str]
    dating: Dating
    seen: set[str] = field(default_factory=set)  # nodes already yielded


@dataclass(frozen=True)
class _Activity:
    """One activity's values under our field names, and what the source calls each field."""

    values: Mapping[str, str]
    names: Mapping[str, str]

    def get(self, key: str) -> str:
        return self.values.get(key, "")

    def bad(self, key: str, reason: str) -> FieldError:
        return FieldError(self.names.get(key, key), reason)


def read_target_map(path: Path) -> dict[str, str]:
    """A ``CHEMBL target id <TAB> UniProtKB:accession`` file as a ``target_map``."""
    return read_id_map(path)


def read_document_map(path: Path) -> dict[str, str]:
    """ChEMBL document id -> ``PMID:``/``DOI:`` CURIE, from ChEMBL's documents table (a
    ``/document.json`` page, or a download or API-field table with the document id and its
    PubMed id or DOI) or from a two-column ``id <TAB> CURIE`` map."""
    if looks_like_json(path):
        items = object_list(path, top_object(path, load_json(path)), "documents")
        return _document_curies(
            (text(i, "document_chembl_id"), text(i, "pubmed_id"), text(i, "doi")) for i in items
        )
    lines = decoded_lines(path)
    header = next(lines, "")
    names = next(csv.reader([header], delimiter=sniff_delimiter(header)), [])
    found = {
        key: next((s for s in spellings if s in names), None)
        for key, spellings in _DOCUMENT_COLUMNS.items()
    }
    if found["document"] is None or (found["pmid"] is None and found["doi"] is None):
        return read_id_map(path)

    def fatal(rejection: object) -> None:  # a bad row in a lookup table is a broken download
        raise SourceError(Location(path), "(file)", str(rejection))

    rows = iter_table(
        path, with_first(header, lines), fatal, delimiter=sniff_delimiter(header), required=()
    )
    return _document_curies(
        (
            row.get(found["document"] or "", ""),
            row.get(found["pmid"] or "", ""),
            row.get(found["doi"] or "", ""),
        )
        for _, row in rows
    )


_DOCUMENT_COLUMNS = {
    "document": ("ChEMBL ID", "document_chembl_id", "Document ChEMBL ID"),
    "pmid": ("PubMed ID", "pubmed_id"),
    "doi": ("DOI", "doi"),
}


def _document_curies(rows: Iterator[tuple[str, str, str]]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for document, raw_pmid, doi in rows:
        pmid = raw_pmid.removesuffix(".0")  # pandas writes a PubMed id column as floats
        if document and (pmid or doi):
            mapping[document] = f"PMID:{pmid}" if pmid else f"DOI:{doi}"
    return mapping


def iter_records(
    path: Path,
    reject: Reject,
    *,
    target_map: Mapping[str, str] | None = None,
    document_map: Mapping[str, str] | None = None,
    source_version: str | None = None,
    retrieval_date: date | None = None,
) -> Iterator[Record]:
    """Activity edges and their compound and target nodes from a ChEMBL activity file: JSON
    or a table (told apart by content)."""
    options = _Options(
        target_map or {}, document_map or {}, Dating.of(path, source_version, retrieval_date)
    )
    if looks_like_json(path):
        yield from _json_records(path, reject, options)
    else:
        yield from _table_records(path, reject, options)


def iter_tsv(
    path: Path,
    reject: Reject,
    *,
    target_map: Mapping[str, str] | None = None,
    document_map: Mapping[str, str] | None = None,
    source_version: str | None = None,
    retrieval_date: date | None = None,
) -> Iterator[Record]:
    """The same from a ChEMBL table (never read as JSON)."""
    options = _Options(
        target_map or {}, document_map or {}, Dating.of(path, source_version, retrieval_date)
    )
    yield from _table_records(path, reject, options)


def _json_records(path: Path, reject: Reject, options: _Options) -> Iterator[Record]:
    document = top_object(path, load_json(path))
    for index, item in enumerate(object_list(path, document, "activities")):
        names = {
            key: next((s for s in spellings if s in item), spellings[0])
            for key, spellings in API_FIELDS.items()
        }
        values = {key: text(item, name) for key, name in names.items()}
        values["action"] = _action_text(item.get(names["action"]))
        location = Location(path, record=f"activities[{index}]")
        yield from _checked(_Activity(values, names), location, reject, options)


def _action_text(value: object) -> str:
    """The web service gives ``action_type`` as an object (or null); a string is accepted too."""
    if isinstance(value, dict):
        return text(value, "action_type")
    return value.strip() if isinstance(value, str) else ""


def _table_records(path: Path, reject: Reject, options: _Options) -> Iterator[Record]:
    """The web download (``;`` or tab) or a saved API-field table (``,``)."""
    lines = decoded_lines(path)
    header = next(lines, "")
    delimiter = sniff_delimiter(header)
    columns = [name.strip() for name in next(csv.reader([header], delimiter=delimiter), [])]
    names = {
        key: next((s for s in spellings if s in columns), spellings[0])
        for key, spellings in TABLE_COLUMNS.items()
    }
    _require(path, columns, names)
    for location, row in iter_table(
        path, with_first(header, lines), reject, delimiter=delimiter, required=()
    ):
        activity = _Activity({key: row.get(name, "") for key, name in names.items()}, names)
        yield from _checked(activity, location, reject, options)


def _require(path: Path, columns: list[str], names: Mapping[str, str]) -> None:
    missing = [names[key] for key in _REQUIRED_KEYS if names[key] not in columns]
    if missing:
        raise SourceError(
            Location(path, 1),
            HEADER_FIELD,
            f"missing column(s) {', '.join(map(repr, missing))} (or their web "
            f"service names); found: {', '.join(map(repr, columns))}",
        )


def _checked(
    activity: _Activity, location: Location, reject: Reject, options: _Options
) -> list[Record]:
    found = rejecting(location, reject, partial(_records, activity, location, reject, options))
    return found or []


def _records(
    activity: _Activity, location: Location, reject: Reject, options: _Options
) -> list[Record] | None:
    """The activity's edge, preceded by the nodes it joins that this file has not yet given."""
    edge = _edge(activity, location, reject, options)
    if edge is None:
        return None
    nodes = [_compound(activity, options)]
    if edge.object.startswith("CHEMBL.TARGET:"):
        nodes.append(_protein(activity, options))
    new = [n for n in nodes if n.id not in options.seen]
    options.seen.update(n.id for n in new)
    return [*new, edge]


def _edge(
    activity: _Activity, location: Location, reject: Reject, options: _Options
) -> Edge | None:
    _check_standardised(activity)
    measure = _measure(activity)
    unit = parse_unit(activity.names["units"], activity.get("units"))
    relation = parse_relation(activity.names["relation"], activity.get("relation"))
    value = parse_float(activity.names["value"], activity.get("value"))
    target = _target(activity, options.target_map)
    citation = _citation(activity, options.document_map)
    return build(
        Edge,
        location,
        reject,
        subject=f"CHEMBL.COMPOUND:{activity.get('molecule')}",
        predicate=ACTIONS.get(activity.get("action").upper(), Predicate.BINDS),
        object=target,
        measure=measure,
        relation=relation,
        value=value,
        unit=unit,
        assay=activity.get("assay_description") or activity.get("assay") or None,
        species=activity.get("organism") or None,
        note=_note(activity),
        provenance=provenance(SOURCE, (citation,), options.dating),
    )


def _compound(activity: _Activity, options: _Options) -> Node:
    molecule = activity.get("molecule")
    return Node(
        id=f"CHEMBL.COMPOUND:{molecule}",
        category=Category.DRUG,
        name=activity.get("molecule_name") or molecule,
        source=SOURCE,
        source_version=options.dating.source_version,
    )


def _protein(activity: _Activity, options: _Options) -> Node:
    target, taxon = activity.get("target"), activity.get("taxon")
    return Node(
        id=f"CHEMBL.TARGET:{target}",
        category=Category.PROTEIN,
        name=activity.get("target_name") or target,
        source=SOURCE,
        taxon=f"NCBITaxon:{taxon}" if taxon.isdigit() else None,
        source_version=options.dating.source_version,
    )


def _check_standardised(activity: _Activity) -> None:
    if activity.get("flag").lower() in ("0", "false"):
        raise activity.bad("flag", "ChEMBL could not standardise this value (standard_flag 0)")
    comment = activity.get("validity")
    if comment not in VALID_COMMENTS:
        raise activity.bad("validity", f"ChEMBL flags this value: {comment!r}")


def _measure(activity: _Activity) -> Measure:
    raw = activity.get("type")
    measure = MEASURES.get(raw)
    if measure is None:
        raise activity.bad(
            "type", f"unsupported activity type {raw!r}; expected one of: {', '.join(MEASURES)}"
        )
    return measure


def _target(activity: _Activity, target_map: Mapping[str, str]) -> str:
    """The mapped UniProtKB protein, else the ChEMBL target when the row shows it is one."""
    target = activity.get("target")
    mapped = target_map.get(target)
    if mapped is not None:
        return mapped
    target_type, assay_format = activity.get("target_type"), activity.get("assay_format")
    if target_type.upper() == "SINGLE PROTEIN" or (
        not target_type and assay_format == "single protein format"
    ):
        return f"CHEMBL.TARGET:{target}"
    said = (
        f"is a {target_type!r} target"
        if target_type
        else f"has no target type here and its assay format is {assay_format or 'not given'!r}"
    )
    raise activity.bad(
        "target",
        f"ChEMBL target {target!r} {said}: not known to be a single "
        f"protein; map it to its UniProtKB accession with --map "
        f"('{target}<TAB>UniProtKB:...')",
    )


def _citation(activity: _Activity, document_map: Mapping[str, str]) -> str:
    """PMID, DOI, the document's PMID/DOI from the documents table, else the ChEMBL document."""
    if activity.get("pmid"):
        return f"PMID:{activity.get('pmid').removesuffix('.0')}"
    if activity.get("doi"):
        return f"DOI:{activity.get('doi')}"
    document = activity.get("document")
    mapped = document_map.get(document)
    if mapped is not None:
        return mapped
    if not _CHEMBL_ID.match(document):
        raise activity.bad(
            "document", f"no citation: no PMID/DOI, and {document!r} is not a ChEMBL document id"
        )
    return f"CHEMBL:{document}"


def _note(activity: _Activity) -> str:
    parts = [
        f"{label} {activity.get(key)}"
        for key, label in (("assay", "assay"), ("document", "document"))
        if activity.get(key)
    ]
    return "ChEMBL " + ", ".join(parts) if parts else "ChEMBL activity"
