"""ClinicalTrials.gov API v2 JSON: a page of ``studies`` or one study (``/studies/<NCT id>``).

Each registered study becomes an ``NCT:<id>`` study node, its summary the design in the
registry's words; each primary, secondary and other outcome an outcome-measure node
``PHARMAKG:outcome/<nct>-<slug of measure and time frame>`` with a MEASURES edge. Interventions
are free text, so INVESTIGATES edges are made only for names (or other names) found in the
caller's ``intervention_map`` (name -> compound or organism CURIE, case-insensitive).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from loaders.base import Reject, build
from loaders.errors import Location, Rejection, SourceError
from loaders.fields import Dating, provenance
from loaders.jsondoc import (
    FILE_FIELD,
    JsonObject,
    load_json,
    object_list,
    objects,
    text,
    top_object,
)
from ontology.records import Edge, Node, Record
from ontology.vocab import Category, Predicate, StudyDesign

SOURCE = "infores:clinicaltrials"
DESIGNS = {
    "INTERVENTIONAL": StudyDesign.CLINICAL_TRIAL,
    "OBSERVATIONAL": StudyDesign.OBSERVATIONAL_COHORT,
}
SLUG_LENGTH = 48
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def iter_records(
    path: Path,
    reject: Reject,
    *,
    intervention_map: Mapping[str, str] | None = None,
    source_version: str | None = None,
    retrieval_date: date | None = None,
) -> Iterator[Record]:
    """Study and outcome nodes with their MEASURES and INVESTIGATES edges, study by study."""
    dating = Dating.of(path, source_version, retrieval_date)
    names = {name.casefold(): curie for name, curie in (intervention_map or {}).items()}
    for location, study in _studies(path):
        yield from _study_records(study, location, reject, names, dating)


def _studies(path: Path) -> Iterator[tuple[Location, JsonObject]]:
    document = top_object(path, load_json(path))
    if "studies" in document:
        for index, study in enumerate(object_list(path, document, "studies")):
            nct = text(study, "protocolSection", "identificationModule", "nctId")
            yield Location(path, record=nct or f"studies[{index}]"), study
    elif "protocolSection" in document:
        yield (
            Location(
                path,
                record=text(document, "protocolSection", "identificationModule", "nctId")
                or "study",
            ),
            document,
        )
    else:
        raise SourceError(
            Location(path),
            FILE_FIELD,
            "expected an API v2 document with 'studies' or 'protocolSection'; "
            f"found keys: {', '.join(sorted(document))}",
        )


def _study_records(
    study: JsonObject, location: Location, reject: Reject, names: Mapping[str, str], dating: Dating
) -> Iterator[Record]:
    protocol = study.get("protocolSection") or {}
    node = _study_node(protocol, location, reject, dating)
    if node is None:
        return
    yield node
    seen: set[str] = set()
    for kind, outcome in _outcomes(protocol):
        outcome_node = _outcome_node(
            node.id, kind, outcome, location=location, reject=reject, dating=dating
        )
        if outcome_node is None or outcome_node.id in seen:
            continue
        seen.add(outcome_node.id)
        yield outcome_node
        yield from _edge(
            node.id,
            Predicate.MEASURES,
            outcome_node.id,
            location=location,
            reject=reject,
            dating=dating,
        )
    for curie in _mapped_interventions(protocol, names):
        yield from _edge(
            node.id, Predicate.INVESTIGATES, curie, location=location, reject=reject, dating=dating
        )


def _study_node(
    protocol: JsonObject, location: Location, reject: Reject, dating: Dating
) -> Node | None:
    ident = protocol.get("identificationModule") or {}
    nct, title = text(ident, "nctId"), text(ident, "briefTitle") or text(ident, "officialTitle")
    if not nct:
        reject(Rejection(location, "identificationModule.nctId", "no NCT id"))
        return None
    if not title:
        reject(Rejection(location, "identificationModule.briefTitle", "no title"))
        return None
    start = re.match(r"\d{4}", text(protocol, "statusModule", "startDateStruct", "date"))
    enrollment = text(protocol, "designModule", "enrollmentInfo", "count")
    fields: dict[str, Any] = {
        "id": f"NCT:{nct}",
        "category": Category.STUDY,
        "name": title,
        "title": text(ident, "officialTitle") or title,
        "nct": nct,
        "design": DESIGNS.get(text(protocol, "designModule", "studyType")),
        "year": int(start.group()) if start else None,
        "sample_size": int(enrollment) if enrollment.isdigit() else None,
        "summary": _summary(protocol),
        "source": SOURCE,
        "source_version": dating.source_version,
    }
    return build(Node, location, reject, **fields)


def _summary(protocol: JsonObject) -> str | None:
    """The design as the registry words it, then the conditions studied."""
    design = protocol.get("designModule") or {}
    info = design.get("designInfo") or {}
    phases = "/".join(registry_label(p) for p in design.get("phases") or () if isinstance(p, str))
    kind = registry_label(text(design, "studyType"))
    parts = [f"{kind} ({phases})" if kind and phases else kind or phases]
    for label, value in (
        ("allocation", text(info, "allocation")),
        ("intervention model", text(info, "interventionModel")),
        ("observational model", text(info, "observationalModel")),
        ("time perspective", text(info, "timePerspective")),
        ("masking", text(info, "maskingInfo", "masking")),
        ("primary purpose", text(info, "primaryPurpose")),
    ):
        if value:
            parts.append(f"{label}: {registry_label(value)}")
    conditions = [
        c
        for c in (protocol.get("conditionsModule") or {}).get("conditions") or ()
        if isinstance(c, str)
    ]
    if conditions:
        parts.append("conditions: " + "; ".join(conditions))
    summary = "; ".join(part for part in parts if part)
    return f"ClinicalTrials.gov record: {summary}" if summary else None


# The registry's own wording for the API's enum values (as its study pages show them).
REGISTRY_LABELS = {
    "NA": "Not Applicable",
    "EARLY_PHASE1": "Early Phase 1",
    "PHASE1": "Phase 1",
    "PHASE2": "Phase 2",
    "PHASE3": "Phase 3",
    "PHASE4": "Phase 4",
    "NON_RANDOMIZED": "Non-Randomized",
    "SINGLE_GROUP": "Single Group Assignment",
    "PARALLEL": "Parallel Assignment",
    "CROSSOVER": "Crossover Assignment",
    "FACTORIAL": "Factorial Assignment",
    "SEQUENTIAL": "Sequential Assignment",
    "NONE": "None (Open Label)",
    "CASE_ONLY": "Case-Only",
    "CASE_CONTROL": "Case-Control",
    "CASE_CROSSOVER": "Case-Crossover",
    "ECOLOGIC_OR_COMMUNITY": "Ecologic or Community",
    "FAMILY_BASED": "Family-Based",
    "HEALTH_SERVICES_RESEARCH": "Health Services Research",
    "BASIC_SCIENCE": "Basic Science",
    "DEVICE_FEASIBILITY": "Device Feasibility",
}


def registry_label(value: str) -> str:
    """``PHASE2`` -> ``Phase 2``, ``RANDOMIZED`` -> ``Randomized``: the registry's words."""
    return REGISTRY_LABELS.get(value) or value.replace("_", " ").capitalize()


def _outcomes(protocol: JsonObject) -> list[tuple[str, JsonObject]]:
    module = protocol.get("outcomesModule") or {}
    return [
        (kind, outcome)
        for kind in ("primary", "secondary", "other")
        for outcome in objects(module, f"{kind}Outcomes")
    ]


def outcome_id(nct: str, measure: str, time_frame: str = "") -> str:
    """``PHARMAKG:outcome/<nct>-<slug>`` of the measure and its time frame (one measure taken at
    6 and at 12 weeks is two outcomes); a long text keeps a hash of all of it, so two texts that
    share their first words stay apart."""
    whole = f"{measure} {time_frame}".strip()
    slug = _NOT_SLUG.sub("-", whole.casefold()).strip("-")
    if len(slug) > SLUG_LENGTH:
        digest = hashlib.sha256(whole.encode()).hexdigest()[:8]
        slug = f"{slug[:SLUG_LENGTH].rstrip('-')}-{digest}"
    return f"PHARMAKG:outcome/{nct.lower()}-{slug or 'outcome'}"


def _outcome_node(
    study_id: str,
    kind: str,
    outcome: JsonObject,
    *,
    location: Location,
    reject: Reject,
    dating: Dating,
) -> Node | None:
    measure = text(outcome, "measure")
    if not measure:
        reject(Rejection(location, "outcomesModule.measure", "an outcome without a measure"))
        return None
    time_frame = text(outcome, "timeFrame")
    details = (
        f"{kind} outcome",
        time_frame and f"time frame: {time_frame}",
        text(outcome, "description"),
    )
    fields: dict[str, Any] = {
        "id": outcome_id(study_id.removeprefix("NCT:"), measure, time_frame),
        "category": Category.OUTCOME_MEASURE,
        "name": measure,
        "description": "; ".join(filter(None, details)),
        "source": SOURCE,
        "source_version": dating.source_version,
    }
    return build(Node, location, reject, **fields)


def _mapped_interventions(protocol: JsonObject, names: Mapping[str, str]) -> list[str]:
    found: dict[str, None] = {}
    for intervention in objects(protocol, "armsInterventionsModule", "interventions"):
        spellings = [
            text(intervention, "name"),
            *(n for n in intervention.get("otherNames") or () if isinstance(n, str)),
        ]
        for spelling in spellings:
            curie = names.get(spelling.strip().casefold())
            if curie is not None:
                found[curie] = None
    return list(found)


def _edge(
    subject: str,
    predicate: Predicate,
    object_: str,
    *,
    location: Location,
    reject: Reject,
    dating: Dating,
) -> Iterator[Edge]:
    edge = build(
        Edge,
        location,
        reject,
        subject=subject,
        predicate=predicate,
        object=object_,
        provenance=provenance(SOURCE, (subject,), dating),
    )
    if edge is not None:
        yield edge
