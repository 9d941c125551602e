"""Source benchmark: whole real-shaped downloads loaded end to end, as ``pharmakg load`` loads them.

Two sources, generated to their real layout because the real files (a full DOID or MONDO, a
30,000-article MEDLINE baseline file) are not kept here:

- obo: a disease ontology in DOID's OBO layout (header with ``data-version``, terms sorted by
  id with definitions, EXACT and RELATED synonyms, xrefs, alt_ids and one or two ``is_a`` to
  random other terms, so most children come before their parents), plain text;
- pubmed: a MEDLINE baseline file (``<PubmedArticleSet>``, one ``<PubmedArticle>`` per PMID
  with journal, date, title, publication types, MeSH headings and a DOI), gzipped.

For each size, two measurements, each in a fresh process (its peak resident memory is its own):

- read: the validated stream alone (``pipeline.load`` without a driver, as ``--dry-run``),
  nodes first and edges after them (``loaders.base.nodes_then_edges``): an ontology of more
  than 10,000 edges is read twice; the ``one pass`` row reads the file once in file order (what
  a load did before edges waited for their nodes) for comparison;
- load: ``pipeline.load`` into an empty database with the schema (per-batch transactions of
  5,000, as ``pharmakg load --per-batch``), on a local Neo4j this benchmark starts and stops.

Records/s and peak memory should stay flat as the file grows.

    python -m benchmarks --only sources [--quick] [--sources-obo-sizes 10000,40000]
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from api import pipeline
from benchmarks import report
from benchmarks.load_bench import connect, in_fresh_process, measured
from benchmarks.scratch import connect_uri, scratch_server
from graph import server
from graph.schema import apply_schema
from graph.stats import graph_stats
from loaders.base import Collector
from loaders.registry import reader

NAME = "sources"
DEFAULT_OBO = "10000,20000,40000"
DEFAULT_PUBMED = "7500,15000,30000"
QUICK_OBO = "10000"
QUICK_PUBMED = "30000"
RELEASE = "doid/releases/2026-07-31/doid.obo"

Row = dict[str, Any]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("sources benchmark (sources_bench)")
    group.add_argument(
        "--sources-obo-sizes",
        default=None,
        help=f"ontology terms, comma separated [{DEFAULT_OBO}; --quick: {QUICK_OBO}]",
    )
    group.add_argument(
        "--sources-pubmed-sizes",
        default=None,
        help=f"MEDLINE articles, comma separated [{DEFAULT_PUBMED}; --quick: {QUICK_PUBMED}]",
    )
    group.add_argument("--sources-heap", default="1g", help="Neo4j heap [1g]")
    group.add_argument("--sources-seed", type=int, default=11)


def _sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


# -- the generated files ---------------------------------------------------------------------


def write_obo(path: Path, terms: int, seed: int) -> None:
    """A DOID-layout ontology of ``terms`` terms; each term but the root has 1-2 parents."""
    rng = random.Random(seed)
    ids = [f"DOID:{n}" for n in range(1, terms + 1)]
    with path.open("w", encoding="utf-8") as out:
        out.write(
            f"format-version: 1.2\ndata-version: {RELEASE}\n"
            'subsetdef: DO_rare_slim "DO_rare_slim"\nontology: doid\n\n'
        )
        for index, term in sorted(enumerate(ids), key=lambda pair: pair[1]):  # file order
            _write_term(out, rng, term, index, ids)
        out.write("[Typedef]\nid: has_symptom\nname: has_symptom\n")


def _write_term(out: IO[str], rng: random.Random, term: str, index: int, ids: list[str]) -> None:
    number = term.split(":")[1]
    out.write(
        f"[Term]\nid: {term}\nname: generated disease {number}\n"
        f"namespace: disease_ontology\nalt_id: DOID:{9_000_000 + index}\n"
        f'def: "A disease that results in generated finding {number}." '
        f"[url:https://example.org/{number}]\nsubset: DO_rare_slim\n"
        f'synonym: "disease {number} syndrome" EXACT []\n'
        f'synonym: "related condition {number}" RELATED []\n'
        f"xref: MESH:D{index:06d}\nxref: UMLS_CUI:C{index:07d}\n"
    )
    if index:
        for parent in dict.fromkeys(rng.choice(ids[:index]) for _ in range(rng.randint(1, 2))):
            out.write(f"is_a: {parent} ! generated disease {parent.split(':')[1]}\n")
    out.write("\n")


def write_medline(path: Path, articles: int, seed: int) -> None:
    """A gzipped MEDLINE baseline file of ``articles`` citations in the 2024 layout."""
    rng = random.Random(seed)
    types = ("Journal Article", "Review", "Randomized Controlled Trial", "Case Reports")
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE PubmedArticleSet PUBLIC '
            '"-//NLM//DTD PubMedArticle, 1st January 2024//EN" '
            '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_240101.dtd">\n'
            "<PubmedArticleSet>\n"
        )
        for n in range(articles):
            pmid = 30_000_000 + n
            mesh = "".join(
                f'<MeshHeading><DescriptorName UI="D{rng.randint(1, 99999):06d}" '
                f'MajorTopicYN="N">Heading {k}</DescriptorName></MeshHeading>'
                for k in range(rng.randint(3, 12))
            )
            out.write(
                f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">'
                f'<PMID Version="1">{pmid}</PMID><Article PubModel="Print"><Journal>'
                f"<JournalIssue><PubDate><Year>{rng.randint(1990, 2024)}</Year></PubDate>"
                f"</JournalIssue><Title>Generated Journal</Title></Journal>"
                f"<ArticleTitle>Generated study {pmid} of a <i>generated</i> compound."
                f"</ArticleTitle><Abstract><AbstractText>{'Text. ' * 40}</AbstractText>"
                f'</Abstract><PublicationTypeList><PublicationType UI="D016428">'
                f"{rng.choice(types)}</PublicationType></PublicationTypeList></Article>"
                f"<MeshHeadingList>{mesh}</MeshHeadingList></MedlineCitation><PubmedData>"
                f'<ArticleIdList><ArticleId IdType="pubmed">{pmid}</ArticleId>'
                f'<ArticleId IdType="doi">10.5555/generated.{pmid}</ArticleId>'
                f"</ArticleIdList></PubmedData></PubmedArticle>\n"
            )
        out.write("</PubmedArticleSet>\n")


# -- the measurements ------------------------------------------------------------------------


def job_read(source: str, path: str) -> Row:
    def work() -> Row:
        result = pipeline.load(None, source, [Path(path)], dry_run=True)
        return {"records": result.records, "rejected": len(result.rejections)}

    return measured(work)


def job_one_pass(source: str, path: str) -> Row:
    """The file read once, in file order: the cost before edges waited for their nodes."""

    def work() -> Row:
        collector = Collector()
        count = sum(1 for _ in reader(source)(Path(path), collector))
        return {"records": count, "rejected": len(collector.rejections)}

    return measured(work)


def job_load(uri: str, source: str, path: str) -> Row:
    def work() -> Row:
        with connect_uri(uri) as driver:
            result = pipeline.load(driver, source, [Path(path)], atomic=False)
        return {
            "records": result.records,
            "rejected": len(result.rejections),
            "nodes_written": result.write.nodes.total,
            "edges_written": result.write.edges.total,
        }

    return measured(work)


def empty_database(cfg: server.ServerConfig) -> None:
    server.stop(cfg)
    for folder in ("databases", "transactions"):
        shutil.rmtree(cfg.data_dir / folder / "neo4j", ignore_errors=True)
    server.start(cfg)
    with connect(cfg) as driver:
        apply_schema(driver)


def _row(source: str, size: int, path: Path, mode: str, measured_row: Row) -> Row:
    row = {
        "source": source,
        "size": size,
        "file_mib": round(path.stat().st_size / 2**20, 1),
        "mode": mode,
        **measured_row,
        "load_avg_1m": round(os.getloadavg()[0], 1),
    }
    row["records_per_s"] = round(row["records"] / row["seconds"]) if row["seconds"] else None
    return row


def run(args: argparse.Namespace) -> list[Row]:
    obo_sizes = _sizes(args.sources_obo_sizes or (QUICK_OBO if args.quick else DEFAULT_OBO))
    pubmed_sizes = _sizes(
        args.sources_pubmed_sizes or (QUICK_PUBMED if args.quick else DEFAULT_PUBMED)
    )
    rows: list[Row] = []
    with (
        tempfile.TemporaryDirectory(prefix="pharmakg-sources-files-") as tmp,
        scratch_server("sources", heap=args.sources_heap, pagecache=args.sources_heap) as cfg,
    ):
        plan: list[tuple[str, int, Path, Callable[[Path, int, int], None]]] = [
            ("obo", size, Path(tmp) / f"doid-{size}.obo", write_obo) for size in obo_sizes
        ]
        plan += [
            ("pubmed", size, Path(tmp) / f"medline-{size}.xml.gz", write_medline)
            for size in pubmed_sizes
        ]
        for source, size, path, write in plan:
            write(path, size, args.sources_seed)
            for mode, job, job_args in (
                ("one pass", job_one_pass, (source, str(path))),
                ("read", job_read, (source, str(path))),
                ("load", job_load, (cfg.bolt_uri, source, str(path))),
            ):
                if mode == "load":
                    empty_database(cfg)
                row = _row(source, size, path, mode, in_fresh_process(job, *job_args))
                rows.append(row)
                print(
                    f"{source} {size:>6} {mode:<8} {row['records']:>7} records "
                    f"{row['seconds']:7.1f} s {row['records_per_s']:>7}/s "
                    f"peak {row['client_peak_mib']} MiB",
                    flush=True,
                )
            if source == "obo":
                with connect(cfg) as driver:
                    edges = graph_stats(driver).edges.get("SUBCLASS_OF", 0)
                rows[-1]["subclass_edges_in_graph"] = edges
            path.unlink()
    report.print_table(
        "sources: end to end",
        rows,
        [
            "source",
            "size",
            "file_mib",
            "mode",
            "records",
            "rejected",
            "seconds",
            "records_per_s",
            "client_peak_mib",
            "subclass_edges_in_graph",
            "load_avg_1m",
        ],
    )
    return rows
