"""The strawberry schema: the Query type, the limits and the error policy."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from api.graphql import resolvers
from api.graphql import types as t
from api.graphql.limits import extensions, log_errors


@strawberry.type(
    description="PharmaKG: kratom alkaloids, their targets, the studies behind "
    "them, with the evidence on every relation."
)
class Query:
    entity: t.EntityResult = strawberry.field(
        resolver=resolvers.entity,
        description="An entity by CURIE or cross-reference; NotFound or Ambiguous otherwise.",
    )
    entities: list[t.Entity] = strawberry.field(
        resolver=resolvers.entities,
        description="Entities by exact name, synonym or symbol (case-insensitive).",
    )
    search: t.Connection[t.SearchHit] = strawberry.field(
        resolver=resolvers.search, description="Ranked full-text search across categories."
    )
    studies: t.Connection[t.Study] = strawberry.field(
        resolver=resolvers.studies,
        description="Studies by design, species, year, sample size; sorted and paged.",
    )
    measurements: t.Connection[t.Measurement] = strawberry.field(
        resolver=resolvers.measurements,
        description="Measurements by compound, target, measure, value range, assay, species.",
    )
    studies_connecting: t.StudiesConnectingResult = strawberry.field(
        resolver=resolvers.studies_connecting,
        description="The studies that connect ALL the given entities (CURIEs, names or "
        "classes; classes expand to members, subclasses and outcome measures), "
        "with the explaining paths, ranked by an evidence grade with its inputs.",
    )
    paths: t.PathsResult = strawberry.field(
        resolver=resolvers.paths, description="Explained paths between two entities."
    )
    interactions: t.InteractionsResult = strawberry.field(
        resolver=resolvers.interactions,
        description="Interaction risks with mechanism and evidence kind; inferred risks are "
        "never marked observed.",
    )
    pharmacology: t.PharmacologyResult = strawberry.field(
        resolver=resolvers.pharmacology,
        description="Measurements of a compound at a target side by side, per-measure "
        "summaries (count, min, median, max) and conflicts.",
    )
    metabolism: t.MetabolismResult = strawberry.field(
        resolver=resolvers.metabolism,
        description="The chain of enzymes and metabolites of a compound, with evidence.",
    )


class PharmaKGSchema(strawberry.Schema):
    """The schema; unexpected errors are logged with their traceback before being masked."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        del execution_context  # the errors carry their paths
        log_errors(errors)


def build_schema(*, production: bool = False) -> strawberry.Schema:
    return PharmaKGSchema(
        query=Query, types=list(t.VIEWS.values()), extensions=extensions(production=production)
    )
