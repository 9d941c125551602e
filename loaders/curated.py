"""The curated kratom dataset (``data/curated``): entities by key, studies, findings.

Files refer to each other by ``key``; this loader resolves keys to CURIEs, so every identifier
is written (and checked) once. Nodes are yielded before edges. A bad record is reported with
its file, line and field and skipped; unknown fields are errors too, so a typo never vanishes.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loaders.base import Reject, build, locate
from loaders.curated_format import (
    ACTION_PREDICATES,
    BOOLEANS,
    CONSULTED,
    DATASET_VERSION,
    ENTITY_FIELDS,
    ENTITY_NODE_FIELDS,
    ENZYMES_OR_FAMILIES,
    EVIDENCE_LEVEL,
    FINDING_FIELDS,
    MEASUREMENT_FIELDS,
    MEASUREMENT_TEXT_FIELDS,
    ONTOLOGY_INFORES,
    PHARMACOLOGY_COLUMNS,
    PHARMACOLOGY_FIELDS,
    SPECIES_TAXA,
    STUDY_FIELDS,
    STUDY_NODE_FIELDS,
    STUDY_TEXT_FIELDS,
    design_problem,
    inactivation_problem,
    proposal_problem,
)
from loaders.errors import Location, Rejection, SourceError
from loaders.yamlfile import LINE, read_yaml
from ontology.identifiers import CurieError, validate_curie
from ontology.records import Edge, Node, Provenance, Record
from ontology.vocab import (
    INFORES_PHARMAKG,
    PREDICATES,
    TARGETS,
    AgentType,
    Category,
    EvidenceKind,
    KnowledgeLevel,
    Predicate,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Entity:
    curie: str
    category: Category
    where: Location


@dataclass
class KeyIndex:
    """key -> entity, filled as entity files are read; the second definition of a key loses."""

    entities: dict[str, Entity] = field(default_factory=dict)
    ids: dict[str, Location] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    taxa: dict[str, str] = field(default_factory=dict)  # target CURIE -> its protein's taxon

    def add(
        self, key: str, curie: str, category: Category, where: Location, reject: Reject
    ) -> bool:
        if key in self.entities:
            reject(
                Rejection(
                    where,
                    "key",
                    f"duplicate key {key!r}, first defined at {self.entities[key].where}",
                )
            )
            return False
        if curie in self.ids:
            reject(
                Rejection(
                    where,
                    "id",
                    f"{curie} is already defined at {self.ids[curie]} "
                    "under another key (one entity, one record)",
                )
            )
            return False
        self.entities[key] = Entity(curie, category, where)
        self.ids[curie] = where
        self.categories[curie] = category
        return True

    def resolve(
        self,
        key: Any,
        where: Location,
        field_name: str,
        reject: Reject,
        allowed: frozenset[Category] | None = None,
    ) -> str | None:
        entity = self.entities.get(str(key)) if key is not None else None
        if entity is None:
            reject(Rejection(where, field_name, f"unknown key {key!r}"))
            return None
        if allowed is not None and entity.category not in allowed:
            names = ", ".join(sorted(c.value for c in allowed))
            reject(
                Rejection(
                    where, field_name, f"{key!r} is a {entity.category.value}; expected {names}"
                )
            )
            return None
        return entity.curie


def iter_records(path: Path, reject: Reject) -> Iterator[Record]:
    """All records of a curated dataset directory: every node first, then every edge."""
    directory = path if path.is_dir() else path.parent
    reader = _CuratedReader(directory, reject)
    yield from reader.nodes()
    yield from reader.edges()


class _CuratedReader:
    def __init__(self, directory: Path, reject: Reject) -> None:
        self.dir = directory
        self.reject = reject
        self.keys = KeyIndex()
        self.pending: list[tuple[str, dict[str, Any], Location]] = []
        self.study_citations: dict[str, tuple[str, ...]] = {}
        self.study_species: dict[str, str | None] = {}

    # -- files ------------------------------------------------------------------------------

    def _files(self, pattern: str) -> list[Path]:
        files = sorted(self.dir.glob(pattern))
        logger.debug("%s: %s matches %d file(s)", self.dir, pattern, len(files))
        return files

    def _items(
        self, path: Path, section: str | None = None
    ) -> Iterator[tuple[dict[str, Any], Location]]:
        data = read_yaml(path)
        if section is not None:
            data = (data or {}).get(section, []) if isinstance(data, dict) else None
        if data is None:
            return
        if not isinstance(data, list):
            raise SourceError(
                Location(path),
                section or "(file)",
                f"expected a list of records, got {type(data).__name__}",
            )
        for index, item in enumerate(data):
            where = Location(
                path, item.get(LINE) if isinstance(item, dict) else None, f"#{index + 1}"
            )
            if not isinstance(item, dict):
                self.reject(Rejection(where, "(record)", "expected a mapping"))
                continue
            yield item, where

    def _unknown_fields(self, item: dict[str, Any], allowed: set[str], where: Location) -> bool:
        stray = sorted(set(item) - allowed - {LINE})
        if stray:
            self.reject(
                Rejection(
                    where,
                    stray[0],
                    f"unknown field(s) {', '.join(stray)}; allowed: {', '.join(sorted(allowed))}",
                )
            )
        return bool(stray)

    # -- nodes ------------------------------------------------------------------------------

    def nodes(self) -> Iterator[Node]:
        for path in self._files("organisms.yaml"):
            yield from self._entities(path, None, Category.ORGANISM)
        for path in self._files("alkaloids.yaml"):
            yield from self._entities(path, None, Category.ALKALOID)
        for path in self._files("drugs*.yaml"):
            yield from self._entities(path, None, Category.DRUG)
        for path in self._files("targets*.yaml"):
            yield from self._entities(path, "families", Category.TARGET_FAMILY)
            yield from self._entities(path, "targets", None)
        for path in self._files("conditions*.yaml"):
            yield from self._entities(path, None, Category.CONDITION)
        for path in self._files("outcomes*.yaml"):
            yield from self._entities(path, None, Category.OUTCOME_MEASURE)
        for path in self._files("studies*.yaml"):
            yield from self._studies(path)

    def _entities(
        self, path: Path, section: str | None, category: Category | None
    ) -> Iterator[Node]:
        for item, where in self._items(path, section):
            if self._unknown_fields(item, ENTITY_FIELDS, where):
                continue
            node_category = category or _target_category(item.get("kind"), where, self.reject)
            if node_category is None:
                continue
            if node_category in TARGETS and not item.get("taxon"):
                self.reject(
                    Rejection(
                        where,
                        "taxon",
                        "a target needs the taxon of its protein (NCBITaxon:9606 for human)",
                    )
                )
                continue
            node = build(Node, where, self.reject, **_node_fields(item, node_category))
            if node is None or not self.keys.add(
                str(item.get("key")), node.id, node_category, where, self.reject
            ):
                continue
            if node.taxon is not None:
                self.keys.taxa[node.id] = node.taxon
            self.pending.append((str(item["key"]), item, where))
            locate(self.reject, node, where)
            yield node

    def _studies(self, path: Path) -> Iterator[Node]:
        for item, where in self._items(path):
            if self._unknown_fields(item, STUDY_FIELDS, where):
                continue
            citations = _citations(item)
            if not citations:
                self.reject(Rejection(where, "pmid", "a study needs a pmid, doi or nct"))
                continue
            if problem := design_problem(item):
                self.reject(Rejection(where, "design", problem))
                continue
            node = build(Node, where, self.reject, **_study_fields(item, citations[0]))
            if node is None or not self.keys.add(
                str(item.get("key")), node.id, Category.STUDY, where, self.reject
            ):
                continue
            self.study_citations[str(item["key"])] = citations
            self.study_species[str(item["key"])] = _text(item.get("species"))
            self.pending.append((str(item["key"]), item, where))
            locate(self.reject, node, where)
            yield node

    # -- edges ------------------------------------------------------------------------------

    def edges(self) -> Iterator[Edge]:
        measured_by: dict[str, set[str]] = {}
        for key, item, _where in self.pending:
            for measure in item.get("outcomes") or []:
                if isinstance(measure, dict):
                    measured_by.setdefault(str(measure.get("measure")), set()).update(
                        self.study_citations.get(key, ())
                    )
        for key, item, where in self.pending:
            entity = self.keys.entities[key]
            yield from self._entity_edges(entity, item, where, measured_by.get(key, set()))
        for path in self._files("pharmacology*.tsv"):
            yield from self._pharmacology(path)
        for path in self._files("metabolism*.yaml"):
            yield from self._findings(path, self._metabolism)
        for path in self._files("interactions*.yaml"):
            yield from self._findings(path, self._interaction)
        for path in self._files("safety*.yaml"):
            yield from self._findings(path, self._safety)

    def _edge(
        self,
        where: Location,
        subject: str | None,
        predicate: Predicate,
        obj: str | None,
        provenance: Provenance | None,
        **fields: Any,
    ) -> Iterator[Edge]:
        if subject is None or obj is None or provenance is None:
            return
        problem = self._endpoint_problem(subject, predicate, obj)
        if problem is not None:
            self.reject(Rejection(where, predicate.value, problem))
            return
        edge = build(
            Edge,
            where,
            self.reject,
            subject=subject,
            predicate=predicate,
            object=obj,
            provenance=provenance,
            **fields,
        )
        if edge is not None:
            locate(self.reject, edge, where)
            yield edge

    def _endpoint_problem(self, subject: str, predicate: Predicate, obj: str) -> str | None:
        info = PREDICATES[predicate]
        for role, curie, allowed in (
            ("subject", subject, info.domain),
            ("object", obj, info.range),
        ):
            category = self.keys.categories[curie]
            if category not in allowed:
                names = ", ".join(sorted(c.value for c in allowed))
                return f"{role} {curie} is a {category.value}; {predicate.value} takes {names}"
        return None

    def _provenance(
        self,
        where: Location,
        publications: tuple[str, ...] | list[str],
        *,
        source: str = INFORES_PHARMAKG,
        level: KnowledgeLevel = KnowledgeLevel.KNOWLEDGE_ASSERTION,
    ) -> Provenance | None:
        if not publications:
            self.reject(Rejection(where, "pmid", "no citation (pmid, doi or nct)"))
            return None
        aggregators = () if source == INFORES_PHARMAKG else (INFORES_PHARMAKG,)
        return build(
            Provenance,
            where,
            self.reject,
            primary_knowledge_source=source,
            aggregator_knowledge_sources=aggregators,
            publications=tuple(publications),
            knowledge_level=level,
            agent_type=AgentType.MANUAL_AGENT,
            source_version=DATASET_VERSION if source == INFORES_PHARMAKG else None,
            retrieval_date=None if source == INFORES_PHARMAKG else CONSULTED,
        )

    def _entity_edges(
        self, entity: Entity, item: dict[str, Any], where: Location, measured_by: set[str]
    ) -> Iterator[Edge]:
        if entity.category is Category.ALKALOID and item.get("found_in"):
            organism = self.keys.resolve(
                item["found_in"], where, "found_in", self.reject, frozenset({Category.ORGANISM})
            )
            citation = item.get("contains_citation") or {}
            prov = self._provenance(
                where, _citations(citation if isinstance(citation, dict) else {})
            )
            yield from self._edge(where, organism, Predicate.CONTAINS, entity.curie, prov)
        if entity.category in (Category.RECEPTOR, Category.ENZYME) and item.get("family"):
            yield from self._membership(entity, item, where)
        for parent in item.get("parents") or []:
            yield from self._subclass(entity, item, parent, where)
        for condition in item.get("outcome_of") or []:
            target = self.keys.resolve(
                condition, where, "outcome_of", self.reject, frozenset({Category.CONDITION})
            )
            prov = self._provenance(where, sorted(measured_by) or [target or entity.curie])
            yield from self._edge(where, entity.curie, Predicate.OUTCOME_OF, target, prov)
        if entity.category is Category.STUDY:
            yield from self._study_edges(entity, item, where)

    def _membership(self, entity: Entity, item: dict[str, Any], where: Location) -> Iterator[Edge]:
        family = self.keys.resolve(
            item["family"], where, "family", self.reject, frozenset({Category.TARGET_FAMILY})
        )
        gtopdb = [x for x in item.get("xrefs") or [] if str(x).startswith("IUPHAR.RECEPTOR:")]
        cited = gtopdb or ([family] if family and family.startswith("IUPHAR.FAMILY:") else [])
        prov = self._provenance(where, cited, source="infores:gtopdb")
        yield from self._edge(where, entity.curie, Predicate.MEMBER_OF, family, prov)

    def _subclass(
        self, entity: Entity, item: dict[str, Any], parent: Any, where: Location
    ) -> Iterator[Edge]:
        parent_curie = self.keys.resolve(
            parent, where, "parents", self.reject, frozenset({Category.CONDITION})
        )
        stated_by = str(item.get("parents_source") or entity.curie.split(":")[0])
        prefix = stated_by.split(":", 1)[0].strip().upper()
        source = ONTOLOGY_INFORES.get(prefix, INFORES_PHARMAKG)
        # The record that states the is-a: the child's term in that ontology.
        records = [
            x
            for x in [entity.curie, *(item.get("xrefs") or [])]
            if str(x).upper().startswith(prefix + ":")
        ]
        prov = self._provenance(where, records or [entity.curie], source=source)
        yield from self._edge(where, entity.curie, Predicate.SUBCLASS_OF, parent_curie, prov)

    def _study_edges(self, study: Entity, item: dict[str, Any], where: Location) -> Iterator[Edge]:
        prov = self._provenance(where, self.study_citations[_key(item)])
        for given in item.get("interventions") or []:
            compound = self.keys.resolve(
                given.get("compound"), where, "interventions.compound", self.reject, None
            )
            yield from self._edge(
                where,
                study.curie,
                Predicate.INVESTIGATES,
                compound,
                prov,
                dose=_text(given.get("doses")),
                route=_text(given.get("route")),
                role=_text(given.get("role")),
            )
        for outcome in item.get("outcomes") or []:
            measure = self.keys.resolve(
                outcome.get("measure"),
                where,
                "outcomes.measure",
                self.reject,
                frozenset({Category.OUTCOME_MEASURE}),
            )
            yield from self._edge(
                where,
                study.curie,
                Predicate.MEASURES,
                measure,
                prov,
                direction=outcome.get("direction"),
                effect=_text(outcome.get("effect")),
                effect_size=_text(outcome.get("effect_size")),
            )
        for test in item.get("mechanisms") or []:
            yield from self._mechanism(study, test, where, prov, self.study_species.get(_key(item)))

    def _mechanism(
        self,
        study: Entity,
        test: dict[str, Any],
        where: Location,
        prov: Provenance | None,
        species: str | None,
    ) -> Iterator[Edge]:
        target = self.keys.resolve(test.get("target"), where, "mechanisms.target", self.reject)
        if target and (problem := self.species_problem(target, species)):
            self.reject(Rejection(where, "mechanisms.target", problem))
            return
        tool = self.keys.resolve(
            test.get("tool"),
            where,
            "mechanisms.tool",
            self.reject,
            frozenset({Category.DRUG, Category.ALKALOID}),
        )
        yield from self._edge(
            where,
            study.curie,
            Predicate.TESTS_MECHANISM,
            target,
            prov,
            tool=tool,
            result=test.get("result"),
            dose=_text(test.get("tool_dose")),
            note=_text(test.get("note")),
        )

    def _pharmacology(self, path: Path) -> Iterator[Edge]:
        for row, where in _tsv_rows(path, PHARMACOLOGY_COLUMNS):
            predicate = ACTION_PREDICATES.get(row["action"])
            if predicate is None:
                self.reject(
                    Rejection(
                        where,
                        "action",
                        f"unknown action {row['action']!r}; "
                        f"expected {', '.join(ACTION_PREDICATES)}",
                    )
                )
                continue
            compound = self.keys.resolve(row["compound"], where, "compound", self.reject)
            target = self.keys.resolve(row["target"], where, "target", self.reject)
            prov = self._provenance(where, _citations(row))
            negated = BOOLEANS.get(row["negated"].lower())
            if negated is None:
                self.reject(
                    Rejection(
                        where, "negated", f"expected true, false or empty; found {row['negated']!r}"
                    )
                )
                continue
            if problem := inactivation_problem(row["measure"], row["assay"]):
                self.reject(Rejection(where, "measure", problem))
                continue
            if target and (problem := self.species_problem(target, row["species"] or None)):
                self.reject(Rejection(where, "species", problem))
                continue
            yield from self._edge(
                where,
                compound,
                predicate,
                target,
                prov,
                negated=negated,
                evidence_kind=EvidenceKind.IN_VITRO,
                **{name: row[name] or None for name in PHARMACOLOGY_FIELDS},
            )

    def _findings(self, path: Path, handler: Any) -> Iterator[Edge]:
        for item, where in self._items(path):
            if self._unknown_fields(item, FINDING_FIELDS, where):
                continue
            citations = _citations(item)
            study = item.get("study")
            if study is not None and str(study) not in self.study_citations:
                self.reject(Rejection(where, "study", f"unknown study key {study!r}"))
                continue
            kind = _evidence_kind(item.get("evidence_kind"))
            if problem := proposal_problem(item, kind):
                self.reject(Rejection(where, "evidence_kind", problem))
                continue
            level = (
                EVIDENCE_LEVEL.get(kind, KnowledgeLevel.KNOWLEDGE_ASSERTION)
                if kind
                else KnowledgeLevel.KNOWLEDGE_ASSERTION
            )
            prov = self._provenance(where, citations, level=level)
            yield from handler(item, where, prov)

    def finding_species(self, item: dict[str, Any]) -> str | None:
        """The species a finding is about: its own, its study's, or none said."""
        study = item.get("study")
        return _text(item.get("species")) or (
            self.study_species.get(str(study)) if study is not None else None
        )

    def species_problem(
        self, target: str, species: str | None, kind: EvidenceKind | None = None
    ) -> str | None:
        """Why a finding about ``species`` may not attach to ``target`` (None when it may).

        An animal result is about that animal's own protein or about an enzyme family, never
        the human protein; a target family carries no taxon and takes any species.
        """
        taxon = self.keys.taxa.get(target)
        if taxon is None:
            return None
        if species is None and kind is EvidenceKind.ANIMAL:
            return (
                f"an animal finding cannot attach to {target} ({taxon}): name its species "
                "and attach it to that species' protein or to the enzyme family"
            )
        wanted = SPECIES_TAXA.get(species.strip().lower()) if species else None
        if species and wanted is None:
            return f"unknown species {species!r}; expected one of {', '.join(sorted(SPECIES_TAXA))}"
        if wanted is not None and wanted != taxon:
            return (
                f"a {species} finding cannot attach to {target}, a {taxon} protein: attach "
                "it to that species' own protein or to the enzyme family"
            )
        return None

    def _metabolism(
        self, item: dict[str, Any], where: Location, prov: Provenance | None
    ) -> Iterator[Edge]:
        substrate = self.keys.resolve(item.get("substrate"), where, "substrate", self.reject)
        species = self.finding_species(item)
        common = {
            "evidence_kind": item.get("evidence_kind"),
            "note": _text(item.get("note")),
            "species": species,
        }
        if item.get("enzyme"):
            enzyme = self.keys.resolve(
                item["enzyme"], where, "enzyme", self.reject, ENZYMES_OR_FAMILIES
            )
            if enzyme and (
                problem := self.species_problem(
                    enzyme, species, _evidence_kind(item.get("evidence_kind"))
                )
            ):
                self.reject(Rejection(where, "enzyme", problem))
                return
            # Which product the enzyme forms tells two findings about one enzyme apart.
            mechanism = f"to {item['product']}" if item.get("product") else None
            yield from self._edge(
                where,
                substrate,
                Predicate.METABOLIZED_BY,
                enzyme,
                prov,
                mechanism=mechanism,
                **common,
            )
        if item.get("product"):
            product = self.keys.resolve(item["product"], where, "product", self.reject)
            mechanism = f"via {item['enzyme']}" if item.get("enzyme") else None
            yield from self._edge(
                where,
                substrate,
                Predicate.METABOLIZED_TO,
                product,
                prov,
                mechanism=mechanism,
                **common,
            )

    def _interaction(
        self, item: dict[str, Any], where: Location, prov: Provenance | None
    ) -> Iterator[Edge]:
        compound = self.keys.resolve(item.get("compound"), where, "compound", self.reject)
        negated = BOOLEANS.get(str(item.get("negated") or "").lower())
        if negated is None:
            self.reject(
                Rejection(
                    where, "negated", f"expected true or false; found {item.get('negated')!r}"
                )
            )
            return
        species = self.finding_species(item)
        common = {
            "evidence_kind": item.get("evidence_kind"),
            "negated": negated,
            "mechanism": _text(item.get("mechanism")),
            "note": _text(item.get("finding")),
            "species": species,
        }
        if item.get("drug"):
            drug = self.keys.resolve(item["drug"], where, "drug", self.reject)
            for measured in self._measurements(item, where):
                yield from self._edge(
                    where, compound, Predicate.INTERACTS_WITH, drug, prov, **common, **measured
                )
        elif item.get("enzyme"):
            # Enzyme inhibition without a named victim drug: the mechanism itself is the finding.
            enzyme = self.keys.resolve(
                item["enzyme"], where, "enzyme", self.reject, ENZYMES_OR_FAMILIES
            )
            if enzyme and (
                problem := self.species_problem(
                    enzyme, species, _evidence_kind(item.get("evidence_kind"))
                )
            ):
                self.reject(Rejection(where, "enzyme", problem))
                return
            yield from self._edge(where, compound, Predicate.INHIBITS, enzyme, prov, **common)
        else:
            self.reject(Rejection(where, "drug", "an interaction needs a drug or an enzyme"))

    def _measurements(self, item: dict[str, Any], where: Location) -> list[dict[str, Any]]:
        """One edge's worth of fields per measurement (AUC GMR, Cmax GMR...); one empty set
        when the record has none, so an unmeasured finding is still one edge."""
        given = item.get("measurements") or []
        if not isinstance(given, list) or not all(isinstance(m, dict) for m in given):
            self.reject(Rejection(where, "measurements", "expected a list of mappings"))
            return []
        found = []
        for index, raw in enumerate(given, start=1):
            measured = {k: v for k, v in raw.items() if k != LINE}
            stray = sorted(set(measured) - MEASUREMENT_FIELDS)
            if stray:
                self.reject(
                    Rejection(
                        where,
                        f"measurements.{index}.{stray[0]}",
                        f"unknown field(s) {', '.join(stray)}; allowed: "
                        f"{', '.join(sorted(MEASUREMENT_FIELDS))}",
                    )
                )
                return []
            found.append(
                {k: (str(v) if k in MEASUREMENT_TEXT_FIELDS else v) for k, v in measured.items()}
            )
        return found or [{}]

    def _safety(
        self, item: dict[str, Any], where: Location, prov: Provenance | None
    ) -> Iterator[Edge]:
        compound = self.keys.resolve(item.get("compound"), where, "compound", self.reject)
        effect = self.keys.resolve(
            item.get("effect"), where, "effect", self.reject, frozenset({Category.CONDITION})
        )
        yield from self._edge(
            where,
            compound,
            Predicate.ADVERSE_EFFECT,
            effect,
            prov,
            evidence_kind=item.get("evidence_kind"),
            note=_text(item.get("finding")),
            role=_text(item.get("design")),
        )


# -- pure helpers ----------------------------------------------------------------------------


def _key(item: dict[str, Any]) -> str:
    return str(item.get("key"))


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _evidence_kind(value: Any) -> EvidenceKind | None:
    try:
        return EvidenceKind(value)
    except ValueError:
        return None  # the Edge model reports the bad value with the valid ones


def _citations(item: dict[str, Any]) -> tuple[str, ...]:
    """PMID, DOI and NCT CURIEs of a record, in that order."""
    found = []
    for field_name, prefix in (("pmid", "PMID"), ("doi", "DOI"), ("nct", "NCT")):
        value = item.get(field_name)
        if value not in (None, ""):
            found.append(f"{prefix}:{str(value).strip()}")
    return tuple(found)


def _target_category(kind: Any, where: Location, reject: Reject) -> Category | None:
    categories = {"receptor": Category.RECEPTOR, "enzyme": Category.ENZYME}
    if kind not in categories:
        reject(Rejection(where, "kind", f"expected receptor or enzyme, got {kind!r}"))
        return None
    return categories[kind]


def _node_fields(item: dict[str, Any], category: Category) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": item.get("id"),
        "category": category,
        "name": item.get("name"),
        "synonyms": tuple(item.get("synonyms") or ()),
        "xrefs": tuple(item.get("xrefs") or ()),
        "description": item.get("description"),
        "source": INFORES_PHARMAKG,
        "source_version": DATASET_VERSION,
    }
    for name in ENTITY_NODE_FIELDS:
        if item.get(name) is not None:
            fields[name] = item[name]
    inchikeys = [x for x in fields["xrefs"] if str(x).startswith("INCHIKEY:")]
    if inchikeys and category in (Category.ALKALOID, Category.DRUG):
        fields["inchikey"] = str(inchikeys[0]).removeprefix("INCHIKEY:")
    return fields


def _study_fields(item: dict[str, Any], study_id: str) -> dict[str, Any]:
    given = {
        name: _text(item.get(name)) if name in STUDY_TEXT_FIELDS else item.get(name)
        for name in STUDY_NODE_FIELDS
    }
    return {
        "id": study_id,
        "category": Category.STUDY,
        "name": item.get("title") or _key(item),
        "synonyms": (_key(item),),
        "population": item.get("strain_or_population"),
        "source": INFORES_PHARMAKG,
        "source_version": DATASET_VERSION,
        **given,
    }


def _tsv_rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[dict[str, str], Location]]:
    """Rows of a tab-separated file with exactly ``columns`` as its header."""
    try:
        handle = path.open(encoding="utf-8", newline="")
        with handle:
            reader = csv.reader(handle, delimiter="\t")
            header = next(reader, None)
            if header is None or tuple(h.strip() for h in header) != columns:
                raise SourceError(
                    Location(path, 1),
                    "(header)",
                    f"expected columns {', '.join(columns)}; found {', '.join(header or [])}",
                )
            for row in reader:
                where = Location(path, reader.line_num)
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(columns):
                    raise SourceError(
                        where, "(row)", f"expected {len(columns)} columns, found {len(row)}"
                    )
                yield dict(zip(columns, (c.strip() for c in row), strict=True)), where
    except UnicodeDecodeError as error:
        raise SourceError(Location(path), "(file)", f"not UTF-8 at byte {error.start}") from error


def validate_key_curie(value: str) -> bool:
    """True when ``value`` is a CURIE of a known prefix (used by the dataset's README check)."""
    try:
        validate_curie(value)
    except CurieError:
        return False
    return True
