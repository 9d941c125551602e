"""Compacting IRIs to ``prefix:local`` for Turtle, TriG and JSON-LD."""

from __future__ import annotations

import re

from ontology.rdf.terms import EDGE_NS, all_prefixes

TURTLE_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_SEPARATORS = ("#", "/", "_", "=", ":")


class Compactor:
    """``prefix:local`` for IRIs in our namespaces, with a bounded memo (constant memory)."""

    def __init__(self, local: re.Pattern[str] | None, limit: int = 4096) -> None:
        self._by_base = {base: prefix for prefix, base in all_prefixes().items()}
        self._local = local
        self._memo: dict[str, str | None] = {}
        self._limit = limit

    def __call__(self, value: str) -> str | None:
        if value.startswith(EDGE_NS):  # one per edge: never worth remembering
            local = value[len(EDGE_NS) :]
            return f"edge:{local}" if self._ok(local) else None
        try:
            return self._memo[value]
        except KeyError:
            pass
        found = self._find(value)
        if len(self._memo) >= self._limit:
            self._memo.clear()
        self._memo[value] = found
        return found

    def _find(self, value: str) -> str | None:
        for sep in _SEPARATORS:
            cut = value.rfind(sep) + 1
            if cut and (prefix := self._by_base.get(value[:cut])) is not None:
                local = value[cut:]
                if self._ok(local):
                    return f"{prefix}:{local}"
        if self._local is not None:
            return None
        best = max((b for b in self._by_base if value.startswith(b)), key=len, default=None)
        if best is not None and self._ok(value[len(best) :]):
            return f"{self._by_base[best]}:{value[len(best) :]}"
        return None

    def _ok(self, local: str) -> bool:
        if self._local is None:  # JSON-LD: any suffix that does not read as an authority
            return bool(local) and not local.startswith("//")
        return bool(self._local.match(local))
