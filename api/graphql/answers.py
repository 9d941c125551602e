"""The answers built from records, without I/O: pharmacology summaries and conflicts, and
interaction risks. Kept apart from the resolvers so that every rule here is unit-tested."""

from __future__ import annotations

import statistics
from collections import defaultdict

from api.graphql import types as t
from graph import reads
from ontology.records import Edge, Node
from ontology.vocab import (
    MEASURE_UNITS,
    NANOMOLAR_FACTOR,
    EvidenceKind,
    Measure,
    Predicate,
    Relation,
    Unit,
)

CONFLICT_FOLD = 10.0  # values of one measure at one target further apart than this disagree
EXACT = frozenset({Relation.EQ, Relation.APPROX})
AGONISTS = frozenset({Predicate.AGONIST_OF, Predicate.PARTIAL_AGONIST_OF})
ANTAGONISTS = frozenset({Predicate.ANTAGONIST_OF, Predicate.INVERSE_AGONIST_OF})
KIND_STRENGTH = (
    EvidenceKind.CLINICAL,
    EvidenceKind.ANIMAL,
    EvidenceKind.IN_VITRO,
    EvidenceKind.PREDICTED,
)

# -- pharmacology ----------------------------------------------------------------------------


def _measure_unit(measure: Measure) -> Unit:
    allowed = MEASURE_UNITS[measure]
    return Unit.NM if Unit.NM in allowed else next(iter(allowed))


def normalised(edge: Edge) -> float | None:
    if edge.value is None or edge.unit is None:
        return None
    factor = NANOMOLAR_FACTOR.get(edge.unit)
    return edge.value * factor if factor is not None else edge.value


def _is_exact(edge: Edge) -> bool:
    return edge.relation is None or edge.relation in EXACT


def pharmacology(
    subject: Node, target_ids: tuple[str, ...] | None, edges: list[Edge]
) -> t.Pharmacology:
    measured = [e for e in edges if e.measure is not None]
    groups: dict[tuple[str, Measure], list[Edge]] = defaultdict(list)
    for edge in measured:
        assert edge.measure is not None  # filtered above
        groups[(edge.object, edge.measure)].append(edge)
    summaries: list[t.MeasureSummary] = []
    conflicts: list[t.Conflict] = []
    in_conflict: set[str] = set()
    for (target_id, measure), group in groups.items():
        one, reasons = summary(target_id, measure, group)
        summaries.append(one)
        if reasons:
            in_conflict.update(e.id for e in group)
            conflicts.append(
                t.Conflict(
                    target_id=target_id,
                    measure=measure,
                    reason="; ".join(reasons),
                    measurements=[m for m in (measurement(e, True) for e in group) if m],
                    relations=[t.relation_view(e, subject.id) for e in group],
                )
            )
    conflicts += action_conflicts(subject.id, edges)
    targets = target_ids or tuple(dict.fromkeys(e.object for e in edges))
    return t.Pharmacology(
        compound=t.entity_view(subject),
        target_ids=targets,
        measurements=[m for m in (measurement(e, e.id in in_conflict) for e in measured) if m],
        qualitative=[t.relation_view(e, subject.id) for e in edges if e.measure is None],
        summaries=summaries,
        conflicts=conflicts,
    )


def summary(
    target_id: str, measure: Measure, group: list[Edge]
) -> tuple[t.MeasureSummary, list[str]]:
    exact = sorted(v for e in group if _is_exact(e) and (v := normalised(e)) is not None)
    fold = exact[-1] / exact[0] if exact and exact[0] > 0 else None
    reasons = []
    if fold is not None and fold > CONFLICT_FOLD:
        reasons.append(f"values span {fold:.1f}-fold (more than {CONFLICT_FOLD:g}-fold)")
    reasons += bound_conflicts(group, exact)
    summary = t.MeasureSummary(
        target_id=target_id,
        measure=measure,
        unit=_measure_unit(measure),
        count=len(group),
        exact_count=len(exact),
        min=exact[0] if exact else None,
        median=statistics.median(exact) if exact else None,
        max=exact[-1] if exact else None,
        fold_range=round(fold, 3) if fold else None,
        conflict=bool(reasons),
    )
    return summary, reasons


def bound_conflicts(group: list[Edge], exact: list[float]) -> list[str]:
    reasons = []
    for edge in group:
        bound = normalised(edge)
        if bound is None or _is_exact(edge) or edge.relation is None:
            continue
        below = edge.relation in (Relation.GT, Relation.GE) and any(v < bound for v in exact)
        above = edge.relation in (Relation.LT, Relation.LE) and any(v > bound for v in exact)
        if below or above:
            reasons.append(
                f"a reported bound ({edge.relation.value} {edge.value:g} "
                f"{edge.unit.value if edge.unit else ''}) contradicts a value"
            )
    return reasons


def action_conflicts(subject_id: str, edges: list[Edge]) -> list[t.Conflict]:
    by_target: dict[str, list[Edge]] = defaultdict(list)
    for edge in edges:
        by_target[edge.object].append(edge)
    conflicts = []
    for target_id, group in by_target.items():
        actions = {e.predicate for e in group}
        opposed = (actions & AGONISTS and actions & ANTAGONISTS) or {
            Predicate.INHIBITS,
            Predicate.INDUCES,
        } <= actions
        if opposed:
            names = ", ".join(sorted(a.value for a in actions))
            conflicts.append(
                t.Conflict(
                    target_id=target_id,
                    measure=None,
                    reason=f"opposite actions reported at this target: {names}",
                    measurements=[],
                    relations=[t.relation_view(e, subject_id) for e in group],
                )
            )
    return conflicts


def measurement(edge: Edge, in_conflict: bool | None) -> t.Measurement | None:
    amount = t.quantity(edge)
    if amount is None:
        return None
    return t.Measurement(
        relation=t.relation_view(edge, edge.subject),
        target_id=edge.object,
        compound_id=edge.subject,
        action=edge.predicate,
        quantity=amount,
        in_conflict=in_conflict,
    )


# -- interactions ----------------------------------------------------------------------------


RiskKey = tuple[str, str, str, str | None, bool]


def risks(rows: list[reads.InteractionRow]) -> list[t.InteractionRisk]:
    """One risk per perpetrator, basis, partner, enzyme and observedness: predictions and
    inferences are never grouped with observations, so they never borrow their standing.

    A negated finding (tested, no interaction found) is never a risk, and no inference is
    drawn through one: those are ``null_findings``."""
    return _grouped([row for row in rows if not any(e.negated for e in row.hops)])


def null_findings(rows: list[reads.InteractionRow]) -> list[t.InteractionRisk]:
    """What was tested and not found (an interaction, an enzyme inhibition), with its
    measurements: evidence against an interaction, listed apart from the risks."""
    tested = [
        reads.InteractionRow(
            row.perpetrator,
            row.basis,
            row.partner,
            row.enzyme,
            tuple(e for e in row.hops if e.negated),
        )
        for row in rows
        if row.basis != "inferred" and any(e.negated for e in row.hops)
    ]
    return _grouped(tested)


def _grouped(rows: list[reads.InteractionRow]) -> list[t.InteractionRisk]:
    grouped: dict[RiskKey, dict[str, Edge]] = defaultdict(dict)
    for row in rows:
        for edge in row.hops:
            observed = row.basis != "inferred" and t.is_observed(edge)
            key = (row.perpetrator, row.basis, row.partner, row.enzyme, observed)
            grouped[key].update(
                {edge.id: edge} if row.basis != "inferred" else {e.id: e for e in row.hops}
            )
    reported = {(k[0], k[2]) for k in grouped if k[1] == "reported"}
    risks = [
        risk(key, list(edges.values()))
        for key, edges in grouped.items()
        if key[1] != "inferred" or (key[0], key[2]) not in reported
    ]
    basis_order = list(t.InteractionBasis)
    return sorted(
        risks,
        key=lambda r: (
            not r.observed,
            basis_order.index(r.basis),
            KIND_STRENGTH.index(r.evidence_kind),
            r.perpetrator_id,
            r.partner_id,
        ),
    )


def risk(key: RiskKey, edges: list[Edge]) -> t.InteractionRisk:
    perpetrator, basis, partner, enzyme, observed = key
    inferred = basis == "inferred"
    kinds = sorted({e.evidence_kind or _kind_of(e) for e in edges}, key=KIND_STRENGTH.index)
    strongest = kinds[0] if observed else EvidenceKind.PREDICTED
    return t.InteractionRisk(
        perpetrator_id=perpetrator,
        partner_id=partner,
        enzyme_id=enzyme,
        basis=t.InteractionBasis(basis),
        observed=observed,
        inferred=inferred,
        evidence_kind=strongest,
        evidence_kinds=kinds if observed else [EvidenceKind.PREDICTED],
        mechanism=mechanism(basis, edges),
        evidence=[
            t.relation_view(e, perpetrator if e.subject == perpetrator else None) for e in edges
        ],
    )


def _kind_of(edge: Edge) -> EvidenceKind:
    return EvidenceKind.PREDICTED if not t.is_observed(edge) else EvidenceKind.IN_VITRO


def mechanism(basis: str, edges: list[Edge]) -> str | None:
    stated = sorted({e.mechanism for e in edges if e.mechanism})
    verbs = sorted(
        {
            "inhibition" if e.predicate is Predicate.INHIBITS else "induction"
            for e in edges
            if e.predicate in (Predicate.INHIBITS, Predicate.INDUCES)
        }
    )
    if basis == "inferred":
        return (
            f"inferred by PharmaKG, not observed: {' / '.join(verbs)} of an enzyme that "
            "metabolises the partner"
        )
    if stated:
        return "; ".join(stated)
    return f"{' / '.join(verbs)} of the enzyme" if verbs else None
