"""The SHACL shapes every export conforms to (``ontology/shapes.ttl``), from the vocabulary.

One closed shape per category (its attributes and the predicates it may be the subject of,
with their ranges), the association shape of edges, and the dataset description's shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node as RdfNode

from ontology.fields import Kind
from ontology.rdf.artifacts import SHAPES_FILE
from ontology.rdf.graphs import bind, rdflib_term
from ontology.rdf.properties import EDGE_PROPS, NODE_PROPS, PROVENANCE_PROPS, Prop
from ontology.rdf.terms import (
    ASSOCIATION,
    BIOLINK_NEGATED,
    DATASET_IRI,
    DCT_CREATED,
    DCT_IDENTIFIER,
    DCT_LICENSE,
    DCT_SOURCE,
    FOAF_PAGE,
    OWL_ONTOLOGY,
    PKG_TAXON,
    RDF_OBJECT,
    RDF_PREDICATE,
    RDF_STATEMENT,
    RDF_SUBJECT,
    RDF_TYPE,
    RDFS_COMMENT,
    RDFS_LABEL,
    SH,
    SH_NS,
    SHAPES_IRI,
    SHAPES_NS,
    XSD_BOOLEAN,
    XSD_DATE,
    XSD_INTEGER,
    XSD_STRING,
    Lit,
)
from ontology.rdf.vocabulary import biolink_class_iri, category_label, class_iri, predicate_iri
from ontology.rdf.void import DATASET, DCAT_VERSION, ENTITIES, TRIPLES
from ontology.records import ATTRIBUTE_FIELDS
from ontology.vocab import CATEGORIES, PREDICATES, Category, Predicate

# The SHACL terms of the shapes (a misspelt one fails here, at import).
NODE_SHAPE, PROPERTY, PATH, MIN_COUNT, MAX_COUNT = (
    str(SH_NS[t]) for t in ("NodeShape", "property", "path", "minCount", "maxCount")
)
DATATYPE, NODE_KIND, IRI, IN, CLASS, OR, PATTERN = (
    str(SH_NS[t]) for t in ("datatype", "nodeKind", "IRI", "in", "class", "or", "pattern")
)
TARGET_CLASS, TARGET_NODE, CLOSED, IGNORED = (
    str(SH_NS[t]) for t in ("targetClass", "targetNode", "closed", "ignoredProperties")
)
SPARQL, MESSAGE, SELECT, XONE = (str(SH_NS[t]) for t in ("sparql", "message", "select", "xone"))


class _Shapes:
    def __init__(self) -> None:
        self.graph = Graph(bind_namespaces="none")
        bind(self.graph)
        self.graph.bind("sh", SH)
        self.graph.bind("shape", SHAPES_NS)

    def add(self, s: RdfNode, p: str, o: RdfNode | str | Lit) -> None:
        if isinstance(o, RdfNode):  # rdflib terms are str too: test them first
            self.graph.add((s, URIRef(p), o))
        else:
            self.graph.add((s, URIRef(p), rdflib_term(o)))

    def items(self, values: Sequence[RdfNode]) -> BNode:
        head = BNode()
        Collection(self.graph, head, list(values))
        return head

    def prop(
        self,
        shape: RdfNode,
        path: str,
        *,
        min_count: int = 0,
        max_count: int | None = None,
        datatype: str | None = None,
        iri_: bool = False,
        values: Sequence[str] = (),
        classes: Iterable[Category] = (),
        pattern: str | None = None,
    ) -> BNode:
        node = BNode()
        self.add(shape, PROPERTY, node)
        self.add(node, PATH, path)
        if min_count:
            self.add(node, MIN_COUNT, Lit(str(min_count), XSD_INTEGER))
        if max_count is not None:
            self.add(node, MAX_COUNT, Lit(str(max_count), XSD_INTEGER))
        if datatype:
            self.add(node, DATATYPE, datatype)
        if iri_:
            self.add(node, NODE_KIND, IRI)
        if values:
            self.add(node, IN, self.items([Literal(v) for v in values]))
        alternatives = [URIRef(class_iri(c)) for c in sorted(classes)]
        if len(alternatives) == 1:
            self.add(node, CLASS, alternatives[0])
        elif alternatives:
            options = []
            for cls in alternatives:
                option = BNode()
                self.add(option, CLASS, cls)
                options.append(option)
            self.add(node, OR, self.items(options))
        if pattern:
            self.add(node, PATTERN, Lit(pattern))
        return node

    def spec(self, shape: RdfNode, prop: Prop, *, min_count: int = 0) -> None:
        self.prop(
            shape,
            prop.iri,
            min_count=min_count,
            max_count=None if prop.many else 1,
            datatype=None if prop.kind is Kind.CURIE else prop.datatype or XSD_STRING,
            iri_=prop.kind is Kind.CURIE,
            values=prop.values,
        )


def _node_shape(shapes: _Shapes, category: Category) -> None:
    info = CATEGORIES[category]
    shape = URIRef(f"{SHAPES_NS}{info.label}Shape")
    shapes.add(shape, RDF_TYPE, NODE_SHAPE)
    shapes.add(shape, RDFS_LABEL, Lit(f"a {category_label(category)}"))
    shapes.add(shape, TARGET_CLASS, class_iri(category))
    shapes.add(shape, CLASS, biolink_class_iri(category))
    prefixes_ = "|".join(re.escape(p) for p in info.prefixes)
    shapes.prop(
        shape,
        DCT_IDENTIFIER,
        min_count=1,
        max_count=1,
        datatype=XSD_STRING,
        pattern=f"^({prefixes_}):",
    )
    shapes.prop(shape, RDFS_LABEL, min_count=1, max_count=1, datatype=XSD_STRING)
    shapes.prop(shape, FOAF_PAGE, min_count=1, max_count=1, iri_=True)
    allowed = [RDF_TYPE, DCT_IDENTIFIER, RDFS_LABEL, FOAF_PAGE]
    for prop in NODE_PROPS:
        if prop.field in ATTRIBUTE_FIELDS and prop.field not in info.attributes:
            continue
        if prop.field == "taxon":
            shapes.prop(shape, PKG_TAXON, max_count=1, datatype=XSD_STRING)
            allowed.append(PKG_TAXON)
        shapes.spec(shape, prop, min_count=1 if prop.field == "source" else 0)
        allowed.append(prop.iri)
    for predicate, pinfo in PREDICATES.items():
        if category in pinfo.domain:
            shapes.prop(shape, predicate_iri(predicate), iri_=True, classes=pinfo.range)
            allowed.append(predicate_iri(predicate))
    shapes.add(shape, CLOSED, Lit("true", XSD_BOOLEAN))
    shapes.add(shape, IGNORED, shapes.items([URIRef(p) for p in dict.fromkeys(allowed)]))


_ASSERTED = f"""SELECT $this WHERE {{
  $this <{RDF_SUBJECT}> ?s ; <{RDF_PREDICATE}> ?p ; <{RDF_OBJECT}> ?o ;
        <{BIOLINK_NEGATED}> false .
  FILTER NOT EXISTS {{ ?s ?p ?o }}
}}"""


def _association_shape(shapes: _Shapes) -> None:
    shape = URIRef(SHAPES_NS + "AssociationShape")
    shapes.add(shape, RDF_TYPE, NODE_SHAPE)
    shapes.add(shape, RDFS_LABEL, Lit("an edge as a Biolink association node"))
    shapes.add(shape, TARGET_CLASS, ASSOCIATION)
    shapes.add(shape, CLASS, RDF_STATEMENT)
    for path in (RDF_SUBJECT, RDF_OBJECT):
        shapes.prop(shape, path, min_count=1, max_count=1, iri_=True)
    predicate = shapes.prop(shape, RDF_PREDICATE, min_count=1, max_count=1, iri_=True)
    shapes.add(predicate, IN, shapes.items([URIRef(predicate_iri(p)) for p in Predicate]))
    shapes.prop(
        shape, DCT_IDENTIFIER, min_count=1, max_count=1, datatype=XSD_STRING, pattern="^[0-9a-f]+$"
    )
    required = {
        "primary_knowledge_source",
        "publications",
        "knowledge_level",
        "agent_type",
        "negated",
    }
    for prop in (*PROVENANCE_PROPS, *EDGE_PROPS):
        shapes.spec(shape, prop, min_count=1 if prop.field in required else 0)
    constraint = BNode()
    shapes.add(shape, SPARQL, constraint)
    shapes.add(
        constraint,
        MESSAGE,
        Lit("the association's statement is not negated, yet not asserted as a triple"),
    )
    shapes.add(constraint, SELECT, Lit(_ASSERTED))
    # A measurement has its measure, value and unit together, or none of them.
    quantity = [p.iri for p in EDGE_PROPS if p.field in ("measure", "value", "unit")]
    options = []
    for count in (0, 1):
        option = BNode()
        for path in quantity:
            node = BNode()
            shapes.add(option, PROPERTY, node)
            shapes.add(node, PATH, path)
            shapes.add(
                node, SH + ("minCount" if count else "maxCount"), Lit(str(count), XSD_INTEGER)
            )
        options.append(option)
    shapes.add(shape, XONE, shapes.items(options))


def _dataset_shape(shapes: _Shapes) -> None:
    shape = URIRef(SHAPES_NS + "DatasetShape")
    shapes.add(shape, RDF_TYPE, NODE_SHAPE)
    shapes.add(shape, RDFS_LABEL, Lit("the VoID/DCAT description of an export"))
    shapes.add(shape, TARGET_NODE, DATASET_IRI)
    shapes.add(shape, CLASS, DATASET)
    for path, datatype in (
        (DCAT_VERSION, XSD_STRING),
        (DCT_CREATED, XSD_DATE),
        (TRIPLES, XSD_INTEGER),
        (ENTITIES, XSD_INTEGER),
    ):
        shapes.prop(shape, path, min_count=1, max_count=1, datatype=datatype)
    shapes.prop(shape, DCT_LICENSE, min_count=1, max_count=1, iri_=True)
    shapes.prop(shape, DCT_SOURCE, min_count=1, iri_=True)


def shapes_graph() -> Graph:
    """The SHACL shapes every export conforms to (``ontology/shapes.ttl``)."""
    shapes = _Shapes()
    head = URIRef(SHAPES_IRI)
    shapes.add(head, RDF_TYPE, OWL_ONTOLOGY)
    shapes.add(head, RDFS_LABEL, Lit("PharmaKG SHACL shapes"))
    shapes.add(
        head,
        RDFS_COMMENT,
        Lit(
            "Shapes of the PharmaKG RDF export, generated from the vocabulary: one closed shape "
            "per category (its attributes and the predicates it may be the subject of, with their "
            "ranges), the association shape of edges, and the dataset description."
        ),
    )
    for category in Category:
        _node_shape(shapes, category)
    _association_shape(shapes)
    _dataset_shape(shapes)
    return shapes.graph


def validate(data: Graph) -> tuple[bool, str]:
    """Validate a graph against ``ontology/shapes.ttl`` with pyshacl: (conforms, report)."""
    import pyshacl  # noqa: PLC0415 - a validation-only dependency, loaded when used

    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    conforms, _report, text = pyshacl.validate(
        data, shacl_graph=shapes, advanced=True, inference="none", allow_warnings=True
    )
    return bool(conforms), str(text)


def render_shapes() -> str:
    return shapes_graph().serialize(format="turtle")
