"""All Cypher lives in graph/cypher/: a statement written anywhere else fails here.

Every string literal (f-string parts too) of the source folders is scanned for the openings of
a Cypher statement. Tests may keep test-only Cypher; what must live elsewhere is listed below,
each with its reason.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from api.settings import PROJECT_ROOT

FOLDERS = ("ontology", "loaders", "graph", "api", "browser", "benchmarks", "docs")
HOME = Path("graph") / "cypher"
CYPHER = re.compile(
    r"\b(?:OPTIONAL\s+)?MATCH\s*\(|\bMERGE\s*\(|\bUNWIND\s+\$|\bCREATE\s+(?:CONSTRAINT|INDEX|"
    r"FULLTEXT)|\bDETACH\s+DELETE\b|\bCALL\s+(?:db|dbms)\.|\bSHOW\s+(?:CONSTRAINTS|INDEXES)\b"
)
ALLOWED = {
    # The Neo4j Browser guide: queries a reader runs and reads in the Browser, written for people
    # (plain labels, no parameters); tests/integration/browser runs each against the graph.
    "browser/slides.py": "the Browser guide's queries, shown to its reader",
    # Benchmark fixtures, as tests keep theirs: they pick which entities to time (a typical one,
    # the hub) from the synthetic graph and are no part of any product read.
    "benchmarks/api_bench.py": "picks the entities the API benchmark times",
    "benchmarks/peer_bench.py": "picks the entities the peer benchmark times",
    "benchmarks/peer_questions.py": "picks the entities the peer questions ask about",
}


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
    return found


def cypher_outside_home() -> dict[str, list[int]]:
    """Files outside graph/cypher/ with string literals that read as Cypher, and their lines."""
    found: dict[str, list[int]] = {}
    for folder in FOLDERS:
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            relative = path.relative_to(PROJECT_ROOT)
            if relative.is_relative_to(HOME):
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            lines = [line for line, text in _strings(tree) if CYPHER.search(text)]
            if lines:
                found[relative.as_posix()] = lines
    return found


def test_cypher_is_written_only_in_graph_cypher() -> None:
    outside = {f: lines for f, lines in cypher_outside_home().items() if f not in ALLOWED}
    assert outside == {}, f"Cypher outside graph/cypher/ (move it there): {outside}"


def test_the_allowed_files_still_hold_cypher() -> None:
    # An allowance that no longer applies goes, so it cannot hide a statement later.
    assert set(cypher_outside_home()) >= set(ALLOWED)


def test_the_scan_finds_cypher_in_an_f_string() -> None:
    source = 'LABEL = "X"\nQ = f"MATCH (v:{LABEL} {{key: $k}}) RETURN v"\nDOC = "a MATCH of words"'
    assert [line for line, text in _strings(ast.parse(source)) if CYPHER.search(text)] == [2]
