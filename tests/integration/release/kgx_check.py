"""The ``kgx`` package's own validator, run offline on a release's KGX files.

kgx builds bmt's ``Toolkit()`` when it is imported, with bmt's default schema, a URL on
raw.githubusercontent.com (and a predicate map and a JSON-LD context, also URLs). This
machine has no network besides the package registry, so before kgx is imported the defaults
point at the pinned biolink-model package's own files: its ``biolink_model.yaml`` (4.4.6, the
version PharmaKG maps to) and its prefix map (the prefixes of Biolink's JSON-LD context).
Biolink's predicate map (non-canonical predicate names) is not needed to validate and is left
empty.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import bmt

_SCHEMA = resources.files("biolink_model") / "schema" / "biolink_model.yaml"
_PREFIXES = resources.files("biolink_model") / "prefixmaps" / "biolink-model-prefix-map.json"


def _offline() -> None:
    defaults = bmt.Toolkit.__init__.__defaults__
    assert defaults is not None
    assert len(defaults) == 2, defaults  # (schema, predicate_map)
    bmt.Toolkit.__init__.__defaults__ = (str(_SCHEMA), {"predicate mappings": []})
    from kgx import config  # noqa: PLC0415 - after the defaults are set

    config.jsonld_context_map["biolink"] = json.loads(_PREFIXES.read_text())


def validate(directory: Path, fmt: str) -> tuple[dict[str, Any], str]:
    """kgx's validator over ``nodes.<fmt>`` and ``edges.<fmt>``: its errors and its report."""
    _offline()
    from kgx.transformer import Transformer  # noqa: PLC0415
    from kgx.validator import Validator  # noqa: PLC0415

    validator = Validator()
    transformer = Transformer(stream=True)
    transformer.transform(
        input_args={"filename": [str(directory / f"nodes.{fmt}"),
                                 str(directory / f"edges.{fmt}")], "format": fmt},
        output_args={"format": "null"}, inspector=validator)
    errors = validator.get_errors()
    # (kgx 2.6's write_report writes to stderr whatever stream it is given: dumped here.)
    return errors, json.dumps(errors, indent=2)
