"""GtoPdb benchmark: a whole release, generated to the real layout, loaded end to end.

For each size (interactions; default 5k, 20k, 40k) a release is written to a temporary folder
with the headers of the real files (``interactions.csv``, ``ligands.csv``,
``targets_and_families.csv`` as in ``tests/fixtures/gtopdb``): one ligand per five
interactions (with a PubChem CID, ChEMBL id and InChIKey), one target per twenty (human, rat
and mouse accessions), ~13 % of the affinities a High/Low range without a median, as in the
real file. Generated ids have the shape of real ones but name nothing.

It is then loaded through ``api.pipeline.load`` (what ``pharmakg load gtopdb interactions.csv
ligands.csv targets_and_families.csv`` runs: files read together, identity resolution, one
transaction) into an empty database with the schema, and read alone (``--dry-run``: parsing
and validation only). Each measurement runs in a fresh Python process, so its peak resident
memory is the load's own. The benchmark starts its own Neo4j and stops it.

    python -m benchmarks --only gtopdb [--quick] [--gtopdb-sizes 20000]
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from api import pipeline
from api.settings import PROJECT_ROOT
from benchmarks import report
from benchmarks.load_bench import connect, in_fresh_process, measured
from benchmarks.scratch import connect_uri, scratch_server
from benchmarks.synthetic import uniprot_accession
from graph import server
from graph.schema import apply_schema
from graph.stats import delete_all, graph_stats

NAME = "gtopdb"
DEFAULT_SIZES = "5000,20000,40000"
QUICK_SIZES = "5000"
FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "gtopdb"
BANNER = "# GtoPdb Version: 2024.1 - published: 2024-03-26"
RANGE_SHARE = 0.13
UNITS = ("pKi", "pIC50", "pEC50", "pKd", "pKB")
ACTIONS = (
    ("Agonist", "Full agonist"),
    ("Agonist", "Partial agonist"),
    ("Antagonist", "Antagonist"),
    ("Inhibitor", "Inhibition"),
    ("Antagonist", "Inverse agonist"),
    ("Allosteric modulator", "Positive"),
)
TYPES = ("gpcr", "lgic", "vgic", "enzyme", "transporter", "other_protein", "nhr")

Row = dict[str, Any]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("GtoPdb release benchmark (gtopdb_bench)")
    group.add_argument(
        "--gtopdb-sizes",
        default=None,
        help=f"interactions per release, comma separated [{DEFAULT_SIZES}; --quick: {QUICK_SIZES}]",
    )
    group.add_argument("--gtopdb-seed", type=int, default=11)


def _header(name: str) -> list[str]:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        next(rows)  # the release line
        return next(rows)


def write_release(folder: Path, interactions: int, seed: int) -> list[Path]:
    """A release of ``interactions`` rows and its ligands and targets, in the real layout."""
    rng = random.Random(seed)
    ligands, targets = max(1, interactions // 5), max(1, interactions // 20)
    paths = [
        folder / "interactions.csv",
        folder / "ligands.csv",
        folder / "targets_and_families.csv",
    ]
    _write(paths[1], _header("ligands.csv"), (_ligand(i) for i in range(ligands)))
    _write(paths[2], _header("targets_and_families.csv"), (_target(i, rng) for i in range(targets)))
    _write(
        paths[0],
        _header("interactions.csv"),
        (_interaction(rng, ligands, targets) for _ in range(interactions)),
    )
    return paths


def _write(path: Path, header: list[str], rows: Iterator[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        out.writerow([BANNER])
        out.writerow(header)
        for row in rows:
            out.writerow([row.get(name, "") for name in header])


def _ligand(i: int) -> Row:
    key = f"{i:014d}"
    inchikey = f"{_letters(i, 14)}-{_letters(i, 10)}-N"
    return {
        "Ligand ID": str(10_000 + i),
        "Name": f"ligand {key}",
        "Type": "Synthetic organic",
        "PubChem CID": str(50_000_000 + i),
        "ChEMBL ID": f"CHEMBL{9_000_000 + i}",
        "InChIKey": inchikey,
        "Synonyms": f"L-{i}|compound {i}",
    }


def _letters(n: int, width: int) -> str:
    """``n`` in base 26 (A-Z), ``width`` letters: distinct numbers, distinct keys."""
    out = []
    for _ in range(width):
        n, r = divmod(n, 26)
        out.append(chr(65 + r))
    return "".join(reversed(out))


def _target(i: int, rng: random.Random) -> Row:
    row: Row = {
        "Type": rng.choice(TYPES),
        "Family id": str(i // 8),
        "Family name": "family",
        "Target id": str(20_000 + i),
        "Target name": f"target <sub>{i}</sub>",
        "HGNC id": str(10_000 + i),
        "HGNC symbol": f"TGT{i}",
    }
    for n, column in enumerate(("Human SwissProt", "Rat SwissProt", "Mouse SwissProt")):
        row[column] = uniprot_accession(3 * i + n)
    row["RGD symbol"], row["MGI symbol"] = f"Tgt{i}", f"Tgt{i}"
    return row


def _interaction(rng: random.Random, ligands: int, targets: int) -> Row:
    ligand, target = rng.randrange(ligands), rng.randrange(targets)
    species = rng.choice((("Human", 0), ("Rat", 1), ("Mouse", 2)))
    type_, action = rng.choice(ACTIONS)
    median = round(rng.uniform(5.0, 9.5), 2)
    row: Row = {
        "Target": f"target {target}",
        "Target ID": str(20_000 + target),
        "Target UniProt ID": uniprot_accession(3 * target + species[1]),
        "Target Species": species[0],
        "Ligand ID": str(10_000 + ligand),
        "Ligand": f"ligand {ligand}",
        "Type": type_,
        "Action": action,
        "Affinity Units": rng.choice(UNITS),
        "PubMed ID": str(rng.randrange(10_000_000, 39_000_000)),
        "Assay Description": "generated",
    }
    if rng.random() < RANGE_SHARE:
        row["Affinity High"], row["Affinity Low"] = str(median + 0.5), str(median - 0.5)
    else:
        row["Affinity Median"] = str(median)
    return row


# -- measuring -------------------------------------------------------------------------------


def job_load(uri: str | None, interactions: int, seed: int) -> Row:
    """Write a release, then load it (``uri`` None: read and validate only)."""
    with tempfile.TemporaryDirectory(prefix="pharmakg-gtopdb-") as tmp:
        paths = write_release(Path(tmp), interactions, seed)
        size_mib = sum(p.stat().st_size for p in paths) / 2**20

        def work() -> Row:
            if uri is None:
                found = pipeline.load(None, "gtopdb", paths, dry_run=True)
            else:
                with connect_uri(uri) as driver:
                    found = pipeline.load(driver, "gtopdb", paths)
            return {
                "records": found.records,
                "rejected": len(found.rejections),
                "files_mib": round(size_mib, 1),
            }

        return measured(work)


def measure(cfg: server.ServerConfig, interactions: int, seed: int) -> list[Row]:
    with connect(cfg) as driver:
        delete_all(driver)
        apply_schema(driver)
    rows = []
    for path, uri in (("read (--dry-run)", None), ("load (Neo4j)", cfg.bolt_uri)):
        row = in_fresh_process(job_load, uri, interactions, seed)
        rows.append(
            {
                "interactions": interactions,
                "path": path,
                **row,
                "records_per_s": round(row["records"] / row["seconds"]),
            }
        )
    with connect(cfg) as driver:
        stats = graph_stats(driver)
    rows[-1]["in_graph"] = f"{stats.node_total} nodes, {stats.edge_total} edges"
    return rows


def run(args: argparse.Namespace) -> list[Row]:
    text = args.gtopdb_sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES)
    sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    rows: list[Row] = []
    with scratch_server("gtopdb", heap="2g", pagecache="1g") as cfg:
        for size in sizes:
            rows += measure(cfg, size, args.gtopdb_seed)
    report.print_table(
        "GtoPdb release, end to end (pipeline.load)",
        rows,
        [
            "interactions",
            "path",
            "records",
            "rejected",
            "files_mib",
            "seconds",
            "records_per_s",
            "client_peak_mib",
            "in_graph",
        ],
    )
    return rows
