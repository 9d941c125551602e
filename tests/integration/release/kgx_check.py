"""The ``kgx`` package's own validator, run offline on a release's KGX files.

kgx builds bmt's ``Toolkit()`` when it is imported, with bmt's default schema, a URL on
raw.githubusercontent.com (and a predicate map and a JSON-LD context, also URLs). This
machine has no network besides the package registry, so before kgx is imported the defaults
point at the pinned biolink-model package's own files: its ``biolink_model.yaml`` (4.4.6, the
version PharmaKG maps to) and its prefix map (the prefixes of Biolink's JSON-LD context).
Biolink's predicate map (non-canonical predicate names) is not needed to validate and is left
empty.

kgx 2.6's ``log_error`` keeps one entity per message (it sets ``[entity]`` and appends the same
entity again), so a message that does not name its value ("Node property 'id' is expected to
be of type 'CURIE'") names only the last entity it was found on. The validator here also
records every (level, kind, message, entity), so each finding is seen.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import bmt

from ontology.identifiers import biolink_prefix_map

Finding = tuple[str, str, str, str]  # (level, kind, message, entity)


def _offline(declared: Mapping[str, str]) -> None:
    from importlib import resources  # noqa: PLC0415

    schema = resources.files("biolink_model") / "schema" / "biolink_model.yaml"
    defaults = bmt.Toolkit.__init__.__defaults__
    assert defaults is not None
    assert len(defaults) == 2, defaults  # (schema, predicate_map)
    bmt.Toolkit.__init__.__defaults__ = (str(schema), {"predicate mappings": []})
    from kgx import config  # noqa: PLC0415 - after the defaults are set

    config.jsonld_context_map["biolink"] = {**declared, **biolink_prefix_map()}


def validate(
    directory: Path, fmt: str, declared: Mapping[str, str] | None = None
) -> tuple[set[Finding], dict[str, Any]]:
    """kgx's validator over ``nodes.<fmt>`` and ``edges.<fmt>``: every finding, and its errors.

    ``declared``: prefixes the graph declares besides Biolink's (a release's
    ``kgx/prefix-map.json``), added to the context kgx checks prefixes against, as a consumer
    who registers the graph's prefix map does; Biolink's own entries win.
    """
    _offline(declared or {})
    from kgx.error_detection import ErrorType, MessageLevel  # noqa: PLC0415
    from kgx.transformer import Transformer  # noqa: PLC0415
    from kgx.validator import Validator  # noqa: PLC0415

    class EveryFinding(Validator):  # type: ignore[misc]  # kgx has no type information
        def __init__(self) -> None:
            super().__init__()
            self.findings: set[Finding] = set()

        def log_error(
            self,
            entity: str,
            error_type: ErrorType,
            message: str,
            message_level: MessageLevel = MessageLevel.ERROR,
        ) -> None:
            super().log_error(entity, error_type, message, message_level)
            self.findings.add((message_level.name, error_type.name, message, str(entity).strip()))

    validator = EveryFinding()
    transformer = Transformer(stream=True)
    transformer.transform(
        input_args={
            "filename": [str(directory / f"nodes.{fmt}"), str(directory / f"edges.{fmt}")],
            "format": fmt,
        },
        output_args={"format": "null"},
        inspector=validator,
    )
    # (kgx 2.6's write_report writes to stderr whatever stream it is given: the errors are
    # returned instead, as its report would list them.)
    errors: dict[str, Any] = json.loads(json.dumps(validator.get_errors()))
    return validator.findings, errors
