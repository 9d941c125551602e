"""ChEMBL activities: the web-service JSON (``/api/data/activity.json``) or the TSV download.

One measurement edge per activity: ``CHEMBL.COMPOUND:<molecule>`` -> the target's UniProtKB
accession. ChEMBL target ids are not proteins (a target can be a complex or a cell line), so
targets are mapped by the caller (``target_map``, e.g. read with ``read_target_map``) and an
unmapped target is rejected. ChEMBL documents are not citations either: a row needs a PMID or
DOI, from its own columns when the file has them or from ``document_map`` (ChEMBL document
id -> ``PMID:``/``DOI:`` CURIE, as the ``/document`` endpoint gives them); else it is rejected.

The download is semicolon-separated (tab-separated when re-saved) with quoted fields and
relations written as ``'='``; its columns are named in ``TSV_COLUMNS``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

from loaders.base import Reject, build
from loaders.errors import Location
from loaders.fields import (
    Dating,
    FieldError,
    parse_float,
    parse_relation,
    parse_unit,
    provenance,
    rejecting,
)
from loaders.jsondoc import load_json, object_list, text, top_object
from loaders.tabular import decoded_lines, iter_table, read_id_map, sniff_delimiter, with_first
from ontology.records import Edge
from ontology.vocab import Measure, Predicate

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
}
TSV_REQUIRED = ("Molecule ChEMBL ID", "Standard Type", "Standard Relation", "Standard Value",
                "Standard Units", "Target ChEMBL ID", "Document ChEMBL ID")

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
}

MEASURES = {"Ki": Measure.KI, "Kd": Measure.KD, "IC50": Measure.IC50, "EC50": Measure.EC50,
            "Emax": Measure.EMAX, "Kb": Measure.KB}
ACTIONS = {"AGONIST": Predicate.AGONIST_OF, "PARTIAL AGONIST": Predicate.PARTIAL_AGONIST_OF,
           "ANTAGONIST": Predicate.ANTAGONIST_OF,
           "INVERSE AGONIST": Predicate.INVERSE_AGONIST_OF, "INHIBITOR": Predicate.INHIBITS}
# "Manually validated" is ChEMBL confirming a value; every other comment flags a doubtful one.
VALID_COMMENTS = frozenset({"", "Manually validated"})


@dataclass(frozen=True)
class _Options:
    target_map: Mapping[str, str]
    document_map: Mapping[str, str]
    dating: Dating


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


def iter_records(path: Path, reject: Reject, *, target_map: Mapping[str, str] | None = None,
                 document_map: Mapping[str, str] | None = None,
                 source_version: str | None = None,
                 retrieval_date: date | None = None) -> Iterator[Edge]:
    """Measurement edges from a ChEMBL activity file, JSON or TSV (told apart by content)."""
    options = _Options(target_map or {}, document_map or {},
                       Dating.of(path, source_version, retrieval_date))
    if _looks_like_json(path):
        yield from _json_edges(path, reject, options)
    else:
        yield from _tsv_edges(path, reject, options)


def iter_tsv(path: Path, reject: Reject, *, target_map: Mapping[str, str] | None = None,
             document_map: Mapping[str, str] | None = None, source_version: str | None = None,
             retrieval_date: date | None = None) -> Iterator[Edge]:
    """Measurement edges from the ChEMBL TSV download (never read as JSON)."""
    options = _Options(target_map or {}, document_map or {},
                       Dating.of(path, source_version, retrieval_date))
    yield from _tsv_edges(path, reject, options)


def _looks_like_json(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def _json_edges(path: Path, reject: Reject, options: _Options) -> Iterator[Edge]:
    document = top_object(path, load_json(path))
    for index, item in enumerate(object_list(path, document, "activities")):
        names = {key: next((s for s in spellings if s in item), spellings[0])
                 for key, spellings in API_FIELDS.items()}
        values = {key: text(item, name) for key, name in names.items()}
        values["action"] = _action_text(item.get(names["action"]))
        location = Location(path, record=f"activities[{index}]")
        edge = _checked(_Activity(values, names), location, reject, options)
        if edge is not None:
            yield edge


def _action_text(value: object) -> str:
    """The web service gives ``action_type`` as an object (or null); a string is accepted too."""
    if isinstance(value, dict):
        return text(value, "action_type")
    return value.strip() if isinstance(value, str) else ""


def _tsv_edges(path: Path, reject: Reject, options: _Options) -> Iterator[Edge]:
    lines = decoded_lines(path)
    header = next(lines, "")
    rows = iter_table(path, with_first(header, lines), reject,
                      delimiter=sniff_delimiter(header, "\t;"), required=TSV_REQUIRED)
    names: dict[str, str] | None = None
    for location, row in rows:
        if names is None:
            names = {key: next((s for s in spellings if s in row), spellings[0])
                     for key, spellings in TSV_COLUMNS.items()}
        activity = _Activity({key: row.get(name, "") for key, name in names.items()}, names)
        edge = _checked(activity, location, reject, options)
        if edge is not None:
            yield edge


def _checked(activity: _Activity, location: Location, reject: Reject,
             options: _Options) -> Edge | None:
    return rejecting(location, reject, partial(_edge, activity, location, reject, options))


def _edge(activity: _Activity, location: Location, reject: Reject,
          options: _Options) -> Edge | None:
    _check_standardised(activity)
    measure = _measure(activity)
    unit = parse_unit(activity.names["units"], activity.get("units"))
    relation = parse_relation(activity.names["relation"], activity.get("relation"))
    value = parse_float(activity.names["value"], activity.get("value"))
    target = _target(activity, options.target_map)
    citation = _citation(activity, options.document_map)
    return build(
        Edge, location, reject,
        subject=f"CHEMBL.COMPOUND:{activity.get('molecule')}",
        predicate=ACTIONS.get(activity.get("action").upper(), Predicate.BINDS),
        object=target,
        measure=measure, relation=relation, value=value, unit=unit,
        assay=activity.get("assay_description") or activity.get("assay") or None,
        species=activity.get("organism") or None,
        note=_note(activity),
        provenance=provenance(SOURCE, (citation,), options.dating),
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
        raise activity.bad("type", f"unsupported activity type {raw!r}; expected one of: "
                           f"{', '.join(MEASURES)}")
    return measure


def _target(activity: _Activity, target_map: Mapping[str, str]) -> str:
    target = activity.get("target")
    mapped = target_map.get(target)
    if mapped is None:
        raise activity.bad("target", f"ChEMBL target {target!r} has no UniProtKB mapping "
                           "(pass it in target_map)")
    return mapped


def _citation(activity: _Activity, document_map: Mapping[str, str]) -> str:
    if activity.get("pmid"):
        return f"PMID:{activity.get('pmid')}"
    if activity.get("doi"):
        return f"DOI:{activity.get('doi')}"
    mapped = document_map.get(activity.get("document"))
    if mapped is None:
        raise activity.bad("document", f"no citation (PMID/DOI) for ChEMBL document "
                           f"{activity.get('document')!r}")
    return mapped


def _note(activity: _Activity) -> str:
    parts = [f"{label} {activity.get(key)}" for key, label in
             (("assay", "assay"), ("document", "document")) if activity.get(key)]
    return "ChEMBL " + ", ".join(parts) if parts else "ChEMBL activity"
