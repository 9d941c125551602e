"""A load that finds one entity under two nodes says so, naming both ids."""

from __future__ import annotations

import pytest

from api import cli, pipeline
from graph.writer import Separate, WriteStats


def test_the_load_report_warns_of_an_entity_with_two_nodes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    twice = Separate(
        "PUBCHEM.COMPOUND:3034396", "CHEMBL.COMPOUND:CHEMBL299031", "Drug", ("infores:chembl",)
    )
    cli._print_report(pipeline.LoadReport(write=WriteStats(separate=[twice])))
    out = " ".join(capsys.readouterr().out.split())
    assert (
        "warning: PUBCHEM.COMPOUND:3034396 lists CHEMBL.COMPOUND:CHEMBL299031 among its "
        "cross-references, but CHEMBL.COMPOUND:CHEMBL299031 is a separate node (Drug, from "
        "infores:chembl)"
    ) in out
    assert "Reload the source of CHEMBL.COMPOUND:CHEMBL299031" in out
