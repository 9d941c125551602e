"""PubChem PUG-REST compound JSON: full records (``PC_Compounds``) or property tables.

Full records (``/compound/cid/<cid>/JSON``) carry the IUPAC name, InChIKey and formula as
``props`` but no common name; property tables (``/compound/cid/<cid>/property/Title,IUPACName,
MolecularFormula,InChIKey/JSON``) carry the ``Title`` PubChem shows, so they give better node
names. Both are single JSON documents, read whole after a size check (``loaders.jsondoc``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from loaders.base import Reject, build
from loaders.errors import Location, Rejection, SourceError
from loaders.jsondoc import FILE_FIELD, JsonObject, load_json, object_list, text, top_object
from ontology.records import Node
from ontology.vocab import COMPOUNDS, Category

SOURCE = "infores:pubchem"


def iter_records(
    path: Path,
    reject: Reject,
    *,
    category: Category = Category.ALKALOID,
    source_version: str | None = None,
) -> Iterator[Node]:
    """Compound nodes (``PUBCHEM.COMPOUND:<cid>``) of ``category`` (alkaloid or drug)."""
    if category not in COMPOUNDS:
        valid = ", ".join(sorted(c.value for c in COMPOUNDS))
        raise ValueError(f"PubChem compounds cannot be {category.value!r} nodes; use {valid}")
    document = top_object(path, load_json(path))
    if "PC_Compounds" in document:
        rows = (_from_record(entry) for entry in object_list(path, document, "PC_Compounds"))
        key = "PC_Compounds"
    elif "PropertyTable" in document:
        table = document["PropertyTable"]
        rows = (_from_property_row(entry) for entry in object_list(path, table, "Properties"))
        key = "PropertyTable.Properties"
    else:
        raise SourceError(
            Location(path),
            FILE_FIELD,
            "expected a PUG-REST compound document with 'PC_Compounds' or "
            f"'PropertyTable'; found keys: {', '.join(sorted(document))}",
        )
    for index, fields in enumerate(rows):
        location = Location(path, record=f"{key}[{index}]")
        node = _node(location, reject, fields, category, source_version)
        if node is not None:
            yield node


def _from_record(entry: JsonObject) -> dict[str, str]:
    return {
        "cid": text(entry, "id", "id", "cid"),
        "title": "",
        "iupac": _prop(entry, "IUPAC Name", "Preferred"),
        "inchikey": _prop(entry, "InChIKey"),
        "formula": _prop(entry, "Molecular Formula"),
    }


def _prop(entry: JsonObject, label: str, name: str | None = None) -> str:
    """The string value of the first ``props`` item with this urn label (and name)."""
    for prop in entry.get("props") or ():
        urn = prop.get("urn") if isinstance(prop, dict) else None
        if not isinstance(urn, dict) or urn.get("label") != label:
            continue
        if name is None or urn.get("name") == name:
            return text(prop, "value", "sval")
    return ""


def _from_property_row(entry: JsonObject) -> dict[str, str]:
    return {
        "cid": text(entry, "CID"),
        "title": text(entry, "Title"),
        "iupac": text(entry, "IUPACName"),
        "inchikey": text(entry, "InChIKey"),
        "formula": text(entry, "MolecularFormula"),
    }


def _node(
    location: Location,
    reject: Reject,
    fields: dict[str, str],
    category: Category,
    source_version: str | None,
) -> Node | None:
    if not fields["cid"]:
        reject(Rejection(location, "CID", "no PubChem compound id"))
        return None
    name = fields["title"] or fields["iupac"]
    if not name:
        reject(Rejection(location, "Title", "no Title or IUPAC name to name the compound"))
        return None
    attributes: dict[str, Any] = {
        "id": f"PUBCHEM.COMPOUND:{fields['cid']}",
        "category": category,
        "name": name,
        "synonyms": (fields["iupac"],) if fields["iupac"] and fields["iupac"] != name else (),
        "xrefs": (f"INCHIKEY:{fields['inchikey']}",) if fields["inchikey"] else (),
        "formula": fields["formula"] or None,
        "inchikey": fields["inchikey"] or None,
        "source": SOURCE,
        "source_version": source_version,
    }
    return build(Node, location, reject, **attributes)
