"""What a load tells its user: an entity found under two nodes (naming both ids); its log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from api import cli, pipeline
from graph.writer import Separate, WriteStats
from loaders.base import Collector
from loaders.curated_format import DEFAULT_DIR
from loaders.errors import Location, Rejection


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


def test_a_load_logs_what_it_read_and_rejected(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    report = pipeline.load(None, pipeline.CURATED, [DEFAULT_DIR], dry_run=True)
    read = [r.getMessage() for r in caplog.records if r.name == "api.pipeline"]
    assert f"{DEFAULT_DIR}: {report.records} records read, 0 rejected" in read
    collector = Collector()
    collector(Rejection(Location(Path("x.tsv"), 3), "unit", "unknown unit 'nm'"))
    assert (
        "loaders.base",
        logging.DEBUG,
        "rejected: x.tsv:3: field 'unit': unknown unit 'nm'",
    ) in (caplog.record_tuples)
