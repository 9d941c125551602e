"""ontology/pharmakg.owl.ttl opens in Protégé: checked with Protégé's own OWL API and a reasoner.

Protégé 5.6.4 reads ontologies with OWL API 4.5.29; ``tests/owlapi/OwlCheck.java`` loads the file
with that version, requires every triple to become an axiom, checks the OWL 2 DL profile and asks
HermiT whether the ontology is consistent with no unsatisfiable class. The jars come from Maven
Central into ``.cache/owlapi/lib`` (once, ``tests/jars.py``); Java runs the check as a single
source file.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from api.settings import PROJECT_ROOT
from ontology import rdf
from tests.jars import jars

CHECK = PROJECT_ROOT / "tests" / "owlapi"


def owlapi_report(path: Path) -> dict[str, str]:
    """What OwlCheck.java prints of an ontology file, as a dict (repeated keys joined)."""
    java = shutil.which("java")
    assert java is not None, "Java runs the OWL API check"
    done = subprocess.run(
        [java, "-cp", f"{jars('owlapi')}/*", str(CHECK / "OwlCheck.java"), str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    facts: dict[str, str] = {}
    for line in done.stdout.splitlines():
        key, _, value = line.partition(" ")
        facts[key] = f"{facts[key]}\n{value}" if key in facts else value
    facts["exit"] = str(done.returncode)
    facts["stderr"] = done.stderr[-3000:]
    return facts


@pytest.fixture(scope="module")
def report() -> dict[str, str]:
    return owlapi_report(rdf.OWL_FILE)


def test_protege_reads_every_triple_as_an_axiom(report: dict[str, str]) -> None:
    assert report.get("format") == "Turtle", report
    assert report.get("iri") == rdf.ONTOLOGY_IRI
    assert report.get("unparsed") == "0", report.get("unparsed_triple")
    assert int(report["classes"]) >= 10
    assert int(report["object_properties"]) >= 10
    assert int(report["data_properties"]) >= 10


def test_the_ontology_is_owl2_dl(report: dict[str, str]) -> None:
    assert report.get("owl2_dl") == "true", report.get("violation")


def test_a_reasoner_finds_it_consistent_with_every_class_satisfiable(
    report: dict[str, str],
) -> None:
    assert report.get("consistent") == "true", report
    assert report.get("unsatisfiable") == "0", report
    assert report["exit"] == "0", report["stderr"]


def test_the_check_fails_an_ontology_outside_owl2_dl(tmp_path: Path) -> None:
    """A property that is both an object and a datatype property is not OWL 2 DL."""
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        rdf.OWL_FILE.read_text(encoding="utf-8")
        + """
<https://w3id.org/pharmakg/vocab/value> a <http://www.w3.org/2002/07/owl#ObjectProperty> .
""",
        encoding="utf-8",
    )
    found = owlapi_report(bad)
    assert (found.get("owl2_dl"), found["exit"]) == ("false", "1"), found
    assert "value" in found.get("violation", "")
