"""Reporting shared by the benchmarks: a Markdown table, the machine, results saved as JSON.

A benchmark returns its measurements as rows (``list[dict]``, one dict per table row); the
same rows are printed (``markdown_table``) and saved (``save_results``) to
``benchmarks/results/<name>-<UTC timestamp>.json`` and ``<name>-latest.json``, with the
machine they were measured on.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import platform
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

RESULTS_DIR = Path(__file__).resolve().parent / "results"
Row = dict[str, Any]


def fmt(value: Any) -> str:
    """A cell: thousands separators for large numbers, 3 significant figures for small ones."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return str(value)


def markdown_table(rows: Sequence[Row], columns: Sequence[str] | None = None) -> str:
    """Rows as a Markdown table; columns default to the keys of the rows, in first-seen order."""
    if not rows:
        return "(no rows)\n"
    names = list(columns) if columns else list(dict.fromkeys(k for row in rows for k in row))
    cells = [[fmt(row.get(name)) for name in names] for row in rows]
    widths = [max(len(name), *(len(line[i]) for line in cells)) for i, name in enumerate(names)]
    header = "| " + " | ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = [
        "| " + " | ".join(c.rjust(w) for c, w in zip(line, widths, strict=True)) + " |"
        for line in cells
    ]
    return "\n".join([header, rule, *body]) + "\n"


def print_table(title: str, rows: Sequence[Row], columns: Sequence[str] | None = None) -> None:
    print(f"\n### {title}\n")
    print(markdown_table(rows, columns))


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def machine() -> dict[str, Any]:
    """What the figures were measured on, including how busy the machine was."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "cpus": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_gib": _memory_gib(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "load_average_1_5_15": [round(x, 2) for x in load] if load else None,
    }


def process_memory(pid: int | str = "self") -> dict[str, float]:
    """Resident memory of a process in MiB (now and its peak), from /proc/<pid>/status."""
    wanted = {"VmRSS": "rss_mib", "VmHWM": "peak_rss_mib"}
    found: dict[str, float] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in wanted:
                found[wanted[key]] = round(int(value.split()[0]) / 1024, 1)
    except (OSError, ValueError):
        return {}
    return found


def process_cpu_seconds(pid: int | str = "self") -> float | None:
    """User plus system CPU time a process has used, from /proc/<pid>/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def save_results(
    name: str,
    rows: Sequence[Row],
    meta: dict[str, Any] | None = None,
    directory: Path = RESULTS_DIR,
    *,
    timestamped: bool = True,
) -> Path:
    """Write the rows, the machine and ``meta`` as JSON; return the file written.

    ``timestamped=False`` writes ``<name>-latest.json`` only (progress saved during a run).
    """
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    document = {
        "benchmark": name,
        "measured_at": now.isoformat(timespec="seconds"),
        "machine": machine(),
        "meta": meta or {},
        "rows": list(rows),
    }
    text = json.dumps(document, indent=2, default=str)
    latest = directory / f"{name}-latest.json"
    latest.write_text(text)
    if not timestamped:
        return latest
    path = directory / f"{name}-{now.strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(text)
    return path


@contextmanager
def server_process(
    command: Sequence[str], env: Mapping[str, str], cwd: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """A server a benchmark starts with the environment ``env``, stopped on the way out."""
    child = subprocess.Popen(list(command), env=dict(env), cwd=cwd)
    try:
        yield child
    finally:
        child.terminate()
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


async def wait_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    """Wait until an API process started by a benchmark answers /health with 200."""
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient(base_url=url, timeout=5) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError("the API process exited while starting")
            try:
                if (await client.get("/health")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError("the API did not become healthy within 60 s")
