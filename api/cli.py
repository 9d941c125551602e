"""The ``pharmakg`` command line: run Neo4j, load data, inspect the graph, serve the API."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from api import diff as graph_diff
from api import pipeline, rdf, release
from api.console import connect, err, fail
from api.settings import Settings
from graph import bulk, server
from graph.errors import GraphError
from graph.schema import apply_schema
from graph.stats import graph_stats
from loaders.base import Collector
from loaders.curated_format import DEFAULT_DIR
from loaders.errors import LoaderError, Location, Rejection
from ontology.vocab import Category

app = typer.Typer(
    help="PharmaKG: an open pharmacology knowledge graph with a query API.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
neo4j_app = typer.Typer(
    help="Run a local Neo4j 5.26 server (no Docker needed).", no_args_is_help=True
)
graph_app = typer.Typer(help="Manage the graph's schema.", no_args_is_help=True)
app.add_typer(neo4j_app, name="neo4j")
app.add_typer(graph_app, name="graph")

console = Console(soft_wrap=True)  # URLs stay on one line, whatever the terminal width

DataDir = Annotated[Path | None, typer.Option(help="Instance directory (conf, data, logs).")]
BoltPort = Annotated[int | None, typer.Option(help="Bolt port [default: from NEO4J_URI]")]
HttpPort = Annotated[int | None, typer.Option(help="HTTP port for Neo4j Browser [7474]")]


# -- neo4j -----------------------------------------------------------------------------------


@neo4j_app.command("start")
def neo4j_start(
    data_dir: DataDir = None, bolt_port: BoltPort = None, http_port: HttpPort = None
) -> None:
    """Start Neo4j (fetching it with Maven the first time) and wait until Bolt answers."""
    cfg = Settings().server_config(data_dir=data_dir, bolt_port=bolt_port, http_port=http_port)
    try:
        with console.status("Starting Neo4j (the first start fetches ~140 MB with Maven)..."):
            status = server.start(cfg)
    except GraphError as error:
        raise fail(str(error)) from error
    _print_status(status)


@neo4j_app.command("stop")
def neo4j_stop(data_dir: DataDir = None) -> None:
    """Stop the local Neo4j; no process is left behind."""
    cfg = Settings().server_config(data_dir=data_dir)
    stopped = server.stop(cfg)
    console.print("Neo4j stopped." if stopped else "Neo4j was not running.")


@neo4j_app.command("status")
def neo4j_status(
    data_dir: DataDir = None, bolt_port: BoltPort = None, http_port: HttpPort = None
) -> None:
    """Say whether the local Neo4j runs, and where."""
    cfg = Settings().server_config(data_dir=data_dir, bolt_port=bolt_port, http_port=http_port)
    status = server.status(cfg)
    _print_status(status)
    if not status.running:
        raise typer.Exit(3)


def _print_status(status: server.ServerStatus) -> None:
    state = f"[green]running[/] (pid {status.pid})" if status.running else "[red]not running[/]"
    console.print(f"Neo4j: {state}")
    console.print(f"  Bolt:    {status.bolt_uri}")
    console.print(f"  HTTP:    {status.http_url}")
    console.print(f"  Browser: {status.browser_url}")
    console.print(f"  Log:     {status.log_file}")


# -- graph and data --------------------------------------------------------------------------


@graph_app.command("init")
def graph_init() -> None:
    """Create the constraints and indexes (idempotent)."""
    settings = Settings()
    with connect(settings) as driver:
        statements = apply_schema(driver, database=settings.neo4j_database)
    console.print(f"Schema applied: {len(statements)} constraints and indexes.")


@app.command("load")
def load(
    source: Annotated[
        str,
        typer.Argument(
            help="'curated' or a source name: pubchem, chembl, "
            "uniprot, gtopdb, pubmed, clinicaltrials, obo; "
            "or a file, whose source is then guessed"
        ),
    ] = pipeline.CURATED,
    files: Annotated[
        list[Path] | None, typer.Argument(help="Files to read (curated: the dataset directory)")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate only; write nothing.")
    ] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Stop at the first bad record.")] = False,
    batch_size: Annotated[int, typer.Option(help="Records per transaction batch.")] = 5000,
    per_batch: Annotated[
        bool,
        typer.Option(
            "--per-batch", help="Commit each batch (large loads); default: one transaction."
        ),
    ] = False,
    start_at: Annotated[int, typer.Option(help="Resume a --per-batch load at this record.")] = 0,
    id_map: Annotated[
        Path | None,
        typer.Option(
            "--map",
            help="Identifier map: chembl target ids, pubmed MeSH chemicals or "
            "clinicaltrials interventions -> CURIE (2-column TSV); gtopdb ligands.csv",
        ),
    ] = None,
    document_map: Annotated[
        Path | None,
        typer.Option(
            help="chembl: ChEMBL's documents table (document id with its PubMed ID / DOI), or a "
            "2-column TSV document id -> PMID:/DOI:; without it an activity cites its ChEMBL "
            "document"
        ),
    ] = None,
    category: Annotated[
        Category | None, typer.Option(help="pubchem: the category of the compounds [alkaloid]")
    ] = None,
    source_version: Annotated[
        str | None, typer.Option(help="The source's release, recorded on every edge [file date]")
    ] = None,
    fetch: Annotated[
        bool,
        typer.Option(
            "--fetch",
            help="Treat FILES as queries (CIDs, ChEMBL/UniProt queries, PMIDs, NCT "
            "ids), download them into the cache and load the cached files.",
        ),
    ] = False,
    bulk: Annotated[
        bool,
        typer.Option(
            "--bulk",
            help="Full import into an EMPTY database of the local server: CSVs for "
            "neo4j-admin import, server stopped, imported, restarted, schema applied",
        ),
    ] = False,
    additive: Annotated[
        bool,
        typer.Option(
            "--additive",
            help="The files are part of the source: add to what is loaded and "
            "retract nothing (default: the files are the whole source)",
        ),
    ] = False,
    dataset: Annotated[
        str | None,
        typer.Option(
            help="Name of the dataset the files are (what a later load of the same source and "
            "dataset replaces) [curated: curated; other sources: the files' names]"
        ),
    ] = None,
) -> None:
    """Load a source into the graph, with a progress bar and a summary.

    Files may be plain or compressed (gzip, bzip2, xz, or a zip holding one file). Without a
    source name (`pharmakg load doid.obo.gz`) the source is guessed from the files.

    The files are the source's whole dataset: what the same source and dataset stated before
    and no longer states is retracted in the same transaction and listed ("retracted N").
    Bad records are skipped and reported (file, line or record, field, reason), every one of
    them in a JSON Lines rejects file; the command then exits with code 2. Reloading the same
    data changes nothing.
    """
    if bulk and (
        clash := _bulk_clashes(
            dry_run=dry_run, per_batch=per_batch, start_at=start_at, additive=additive
        )
    ):
        raise fail(
            f"--bulk cannot be combined with {clash}: it is one full import into an "
            "empty database (validate first with --dry-run, without --bulk)"
        )
    settings = Settings()
    if not fetch:
        try:
            source, files = pipeline.source_and_files(source, files or [])
        except LoaderError as error:
            raise fail(str(error)) from error
    paths = files or ([DEFAULT_DIR] if source == pipeline.CURATED else [])
    if fetch:
        paths = _fetch_all(source, [str(p) for p in paths], settings.cache_dir)
    if not paths:
        raise fail(f"give the file(s) to load: pharmakg load {source} FILE...")
    for path in paths:
        if not path.exists():
            raise fail(f"{path}: no such file or directory")
    options = pipeline.SourceOptions(
        id_map=id_map,
        document_map=document_map,
        category=category,
        source_version=source_version,
        dataset=dataset,
    )
    if bulk:
        _bulk_load(settings, source, paths, options, strict=strict)
        return
    report = _run_load(
        settings,
        source,
        paths,
        dry_run=dry_run,
        strict=strict,
        batch_size=batch_size,
        atomic=not per_batch,
        start_at=start_at,
        options=options,
        additive=additive,
    )
    _print_report(report)
    if report.rejections:
        _print_rejections(
            settings,
            source,
            [str(r) for r in report.rejections],
            [r.as_json() for r in report.rejections],
        )
        raise typer.Exit(2)


def _bulk_clashes(*, dry_run: bool, per_batch: bool, start_at: int, additive: bool) -> str:
    """The options given that mean nothing to a bulk import, as text; empty if none."""
    given = {
        "--dry-run": dry_run,
        "--per-batch": per_batch,
        "--start-at": start_at != 0,
        "--additive": additive,
    }
    return ", ".join(name for name, on in given.items() if on)


SHOWN_REJECTIONS = 50


def _print_rejections(
    settings: Settings, source: str, lines: list[str], rows: list[dict[str, str | int | None]]
) -> None:
    """The first 50 rejections on the terminal; all of them in a JSON Lines file."""
    for line in lines[:SHOWN_REJECTIONS]:
        err.print(f"  [yellow]rejected[/] {escape(line)}", highlight=False)
    if len(lines) > SHOWN_REJECTIONS:
        err.print(f"  ... and {len(lines) - SHOWN_REJECTIONS} more")
    directory = settings.cache_dir.parent / "rejects"
    directory.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    path = directory / f"{source}-{stamp}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    err.print(f"all {len(rows)} rejection(s): {path}", highlight=False, soft_wrap=True)


def _bulk_load(
    settings: Settings,
    source: str,
    paths: list[Path],
    options: pipeline.SourceOptions,
    *,
    strict: bool,
) -> None:
    """The offline path for large first loads; replaces the local server's database."""
    cfg = settings.server_config()
    collector = Collector(strict=strict)
    records = pipeline.validated_records(source, paths, collector, options)
    scope = pipeline.scope_of(source, paths, options.dataset)
    try:
        with console.status("Bulk import: writing CSVs, stopping Neo4j, importing..."):
            report = bulk.bulk_load(
                cfg,
                records,
                work_dir=cfg.import_dir / "bulk",
                database=settings.neo4j_database,
                scope=scope,
            )
        with connect(settings) as driver:
            bulk.finish_bulk_load(driver, report, database=settings.neo4j_database)
    except (LoaderError, GraphError) as error:
        raise fail(str(error)) from error
    console.print(
        f"imported {report.nodes_imported} nodes and {report.edges_imported} edges "
        f"in {report.total_seconds:.1f} s; rejected: "
        f"{len(collector.rejections) + len(report.rejected)}"
    )
    if collector.rejections or report.rejected:
        lines = [str(r) for r in collector.rejections] + [str(b) for b in report.rejected]
        rows = [r.as_json() for r in collector.rejections] + [
            Rejection(bulk_location(b), b.kind, b.reason).as_json() for b in report.rejected
        ]
        _print_rejections(settings, source, lines, rows)
        raise typer.Exit(2)


def bulk_location(rejection: bulk.BulkRejection) -> Location:
    """Where the importer found a bulk rejection: the CSV set and the record's key."""
    return Location(Path("bulk import"), record=rejection.key)


def _fetch_all(source: str, queries: list[str], cache_dir: Path) -> list[Path]:
    """Download (or reuse from the cache) the answer to each query."""
    from loaders.fetch import fetch as download  # noqa: PLC0415 - needs the network

    try:
        return [download(source, query, cache_dir) for query in queries]
    except LoaderError as error:
        raise fail(str(error)) from error


def _run_load(
    settings: Settings, source: str, paths: list[Path], **options: object
) -> pipeline.LoadReport:
    started = time.monotonic()
    with _progress() as progress:
        task = progress.add_task(f"Loading {source}", total=None)

        def advance(count: int) -> None:
            rate = count / max(time.monotonic() - started, 1e-6)
            progress.update(
                task,
                completed=count,
                description=f"Loading {source}: {count} records ({rate:,.0f}/s)",
            )

        try:
            if options.get("dry_run"):
                return pipeline.load(
                    None,
                    source,
                    paths,
                    on_progress=advance,
                    database=settings.neo4j_database,
                    **options,  # type: ignore[arg-type]
                )
            with connect(settings) as driver:
                apply_schema(driver, database=settings.neo4j_database)
                return pipeline.load(
                    driver,
                    source,
                    paths,
                    on_progress=advance,
                    database=settings.neo4j_database,
                    **options,  # type: ignore[arg-type]
                )
        except (LoaderError, GraphError, ValueError, OSError) as error:
            raise fail(str(error)) from error


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


def _print_report(report: pipeline.LoadReport) -> None:
    table = Table(title="dry run: validated, nothing written" if report.dry_run else "Load")
    for column in ("", "created", "updated", "unchanged"):
        table.add_column(column, justify="right")
    for name, counts in (("nodes", report.write.nodes), ("edges", report.write.edges)):
        table.add_row(name, str(counts.created), str(counts.updated), str(counts.unchanged))
    console.print(table)
    retracted = report.write.retracted
    console.print(
        f"records read: {report.records}; rejected: {len(report.rejections)}; "
        f"retracted {len(retracted)}"
        + (f" (no longer stated by {report.scope})" if retracted else "")
    )
    for gone in retracted[:SHOWN_REJECTIONS]:
        console.print(f"  retracted {escape(str(gone))}", highlight=False)
    if len(retracted) > SHOWN_REJECTIONS:
        console.print(f"  ... and {len(retracted) - SHOWN_REJECTIONS} more")
    for twice in report.write.separate:
        console.print(f"[yellow]warning:[/yellow] {escape(str(twice))}", highlight=False)


@app.command("stats")
def stats() -> None:
    """Counts per category and predicate, and the number of edges without a citation."""
    settings = Settings()
    with connect(settings) as driver:
        result = graph_stats(driver, database=settings.neo4j_database)
    table = Table(title="PharmaKG")
    table.add_column("kind")
    table.add_column("name")
    table.add_column("count", justify="right")
    for label, count in result.nodes.items():
        table.add_row("node", label, str(count))
    for rel, count in result.edges.items():
        table.add_row("edge", rel, str(count))
    console.print(table)
    console.print(
        f"nodes: {result.node_total}; edges: {result.edge_total}; "
        f"edges without a citation: {result.uncited_edges}"
    )


app.command(
    "export-rdf",
    help="Export the graph (or a part) as RDF, streamed, with a "
    "progress bar; --validate checks it with SHACL.",
)(rdf.export_rdf_command)


# -- releases --------------------------------------------------------------------------------


@app.command("release")
def release_command(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The directory that receives <version>/.")
    ],
    version: Annotated[
        str | None,
        typer.Option(
            "--version", help="The release's version (default: the build date, YYYY-MM-DD)"
        ),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(help="An earlier release directory: CHANGES.md says what changed since"),
    ] = None,
    dump: Annotated[
        bool,
        typer.Option(
            "--dump/--no-dump", help="Include a Neo4j dump (stops and restarts the local server)"
        ),
    ] = True,
) -> None:
    """Build a versioned release from the running graph: Neo4j dump, RDF, KGX, CSV, manifest.

    Files that come from the graph (RDF, KGX, CSV) are byte-identical when built twice from
    the same data with the same version and date (SOURCE_DATE_EPOCH sets the date).
    """
    settings = Settings()
    built = release.build_date()
    options = release.BuildOptions(
        version=version or built.date().isoformat(),
        built=built,
        previous=previous,
        database=settings.neo4j_database,
    )
    cfg = settings.server_config() if dump else None
    with connect(settings) as driver, _bar() as progress:
        task = progress.add_task("Reading the graph", total=None)

        def advance(what: str, done: int, total: int | None) -> None:
            progress.update(task, description=what, completed=done, total=total)

        try:
            built_release = release.build(
                driver, output, options, server_config=cfg, on_progress=advance
            )
        except (GraphError, graph_diff.DiffError, ValueError, OSError) as error:
            raise fail(str(error)) from error
    counts = built_release.manifest["counts"]
    console.print(
        f"Release {options.version}: {counts['nodes']} nodes, {counts['edges']} "
        f"edges -> {built_release.directory}"
    )
    for name, entry in built_release.files.items():
        console.print(f"  {entry['bytes']:>12,}  {name}")


def _bar() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


@app.command("diff")
def diff_command(
    old: Annotated[Path, typer.Argument(help="A release directory")],
    new: Annotated[
        str, typer.Argument(help="A release directory, or 'graph' for the running graph")
    ] = "graph",
    as_json: Annotated[bool, typer.Option("--json", help="The diff as JSON on stdout")] = False,
) -> None:
    """Nodes and edges added, removed and changed (which properties), per source."""
    settings = Settings()
    try:
        before = graph_diff.read_release(old)
        if new == "graph":
            with connect(settings) as driver, console.status("Reading the running graph..."):
                after = graph_diff.read_graph(driver, database=settings.neo4j_database)
        else:
            after = graph_diff.read_release(Path(new))
    except (graph_diff.DiffError, GraphError, OSError) as error:
        raise fail(str(error)) from error
    result = graph_diff.compare(before, after)
    if as_json:
        console.print_json(data=result.to_json())
    else:
        console.print(graph_diff.render(result), markup=False, highlight=False)


@app.command("restore")
def restore_command(
    directory: Annotated[Path, typer.Argument(help="A release directory (with manifest.json)")],
) -> None:
    """Load a release's Neo4j dump into the local server, replacing its graph.

    Every file's SHA-256 is checked against the manifest first; a release that does not match
    is refused. The server is stopped for the load and started again.
    """
    settings = Settings()
    cfg = settings.server_config()
    try:
        with console.status(f"Verifying and restoring {directory} (the server restarts)..."):
            restored = release.restore(directory, cfg, database=settings.neo4j_database)
    except GraphError as error:
        raise fail(str(error)) from error
    counts = restored.manifest["counts"]
    console.print(
        f"Restored release {restored.manifest['version']} ({counts['nodes']} nodes, "
        f"{counts['edges']} edges); Neo4j is running at {cfg.bolt_uri}."
    )


# -- serving ---------------------------------------------------------------------------------


@app.command("serve")
def serve(
    host: Annotated[str | None, typer.Option(help="[default: API_HOST]")] = None,
    port: Annotated[int | None, typer.Option(help="[default: API_PORT]")] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="API processes (the API is stateless) [default: one per core, half the cores "
            "when Neo4j runs on this machine (PHARMAKG_NEO4J_SHARES_MACHINE)]",
        ),
    ] = None,
    access_log: Annotated[
        bool, typer.Option("--access-log/--no-access-log", help="Log every request.")
    ] = True,
) -> None:
    """Serve the API (GraphQL at /graphql, health at /health) from worker processes: this
    process accepts connections, hands each to the worker holding the fewest and replaces a
    worker that dies or hangs."""
    from api import workers as api_workers  # noqa: PLC0415 - only this command needs the server

    settings = Settings()
    bind_host, bind_port = host or settings.api_host, port or settings.api_port
    processes = workers or settings.api_workers
    plural = "" if processes == 1 else "s"
    console.print(
        f"API: http://{bind_host}:{bind_port}/graphql  health: /health  "
        f"({processes} worker{plural})"
    )
    try:
        api_workers.serve(bind_host, bind_port, processes, access_log=access_log)
    except (OSError, api_workers.WorkerStartupError) as error:
        raise fail(f"cannot serve on {bind_host}:{bind_port}: {error}") from error


@app.command("up")
def up(
    load_data: Annotated[
        bool, typer.Option("--load/--no-load", help="Load the curated dataset.")
    ] = True,
    serve_api: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the API afterwards.")
    ] = True,
) -> None:
    """The main job: start Neo4j, apply the schema, load the curated data, serve the API.

    With PHARMAKG_RELEASE=DIR the graph is restored from that release instead of loaded.
    """
    neo4j_start(data_dir=None, bolt_port=None, http_port=None)
    release_dir = Settings().release
    if release_dir is not None:
        restore_command(release_dir)
    graph_init()
    if load_data and release_dir is None:
        load(
            source=pipeline.CURATED,
            files=None,
            dry_run=False,
            strict=False,
            batch_size=5000,
            per_batch=False,
            start_at=0,
            id_map=None,
            document_map=None,
            category=None,
            source_version=None,
            fetch=False,
            bulk=False,
            additive=False,
            dataset=None,
        )
    stats()
    if serve_api:
        serve(host=None, port=None, workers=None, access_log=True)
