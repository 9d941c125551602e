"""The RDF benchmark's table: speed-ups side by side, and a bound where naive cannot run."""

from __future__ import annotations

from benchmarks.rdf_bench import Measurement, markdown, table


def m(edges: int, path: str, seconds: float, fmt: str = "nt") -> Measurement:
    return Measurement(edges, fmt, path, seconds, triples=edges * 20, peak_rss_mb=100, megabytes=1)


def test_speed_up_against_the_naive_twin_and_a_bound_where_naive_did_not_run() -> None:
    rows = table(
        [
            m(10, "streamed", 1),
            m(10, "naive", 8),
            m(100, "streamed", 10),
            m(100, "naive", 100),
            m(1000, "streamed", 100),
            m(1000, "streamed", 50, fmt="ttl"),
        ]
    )
    by = {(r["edges"], r["format"], r["path"]): r for r in rows}
    assert by[10, "nt", "streamed"]["speedup"] == 8.0
    assert by[100, "nt", "streamed"]["speedup"] == 10.0
    assert by[100, "nt", "naive"]["speedup"] is None
    # at 1000 edges naive did not run: compared with its best rate (10 edges: 25 triples/s)
    assert by[1000, "nt", "streamed"]["speedup"] is None
    assert by[1000, "nt", "streamed"]["speedup_at_least"] == 8.0
    assert by[1000, "ttl", "streamed"]["speedup_at_least"] is None  # no naive Turtle at all
    assert "≥ 8.0x (naive too large)" in markdown([m(10, "naive", 8), m(1000, "streamed", 100)])
