"""``python -m benchmarks``: run every ``benchmarks/*_bench.py`` found, in name order.

A benchmark module exposes ``run``. Preferred protocol::

    def add_arguments(parser: argparse.ArgumentParser) -> None: ...   # its own options
    def run(args: argparse.Namespace) -> list[dict[str, Any]]: ...     # rows of results

``args.quick`` (``--quick``) asks every benchmark for its smallest configuration. A module
without ``add_arguments`` is called as ``run()`` (or ``run(quick=True)`` under ``--quick``
when its ``run`` takes ``quick``). Rows a module returns are saved by
``benchmarks.report.save_results`` under ``benchmarks/results/``.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
import sys
import time
from collections.abc import Sequence
from types import ModuleType
from typing import Any

import benchmarks
from benchmarks import report

SUFFIX = "_bench"


def discover() -> list[str]:
    """Names (without the suffix) of the benchmark modules in this package."""
    return sorted(
        info.name.removesuffix(SUFFIX)
        for info in pkgutil.iter_modules(benchmarks.__path__)
        if info.name.endswith(SUFFIX)
    )


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"benchmarks.{name}{SUFFIX}")


def parser_for(modules: dict[str, ModuleType]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument(
        "--quick", action="store_true", help="the smallest configuration of every benchmark"
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=sorted(modules),
        default=None,
        help="run only this benchmark (repeatable)",
    )
    for module in modules.values():
        if hasattr(module, "add_arguments"):
            module.add_arguments(parser)
    return parser


def run_module(name: str, module: ModuleType, args: argparse.Namespace) -> list[dict[str, Any]]:
    if hasattr(module, "add_arguments"):
        rows = module.run(args)
    elif args.quick and "quick" in inspect.signature(module.run).parameters:
        rows = module.run(quick=True)
    else:
        rows = module.run()
    rows = list(rows) if isinstance(rows, list | tuple) else []
    if rows and all(isinstance(row, dict) for row in rows):
        path = report.save_results(name, rows, {"argv": sys.argv[1:]})
        print(f"\n{name}: results saved to {path}")
    return rows


def _importable(names: list[str]) -> tuple[dict[str, ModuleType], list[str]]:
    modules, broken = {}, []
    for name in names:
        try:
            modules[name] = _module(name)
        except ImportError as error:
            print(f"benchmark {name} cannot be imported: {error}", file=sys.stderr)
            broken.append(name)
    return modules, broken


def main(argv: Sequence[str] | None = None) -> int:
    modules, broken = _importable(discover())
    args = parser_for(modules).parse_args(argv)
    selected = args.only or sorted(modules)
    print(f"benchmarks: {', '.join(selected)}; machine: {report.machine()}")
    for name in selected:
        started = time.perf_counter()
        print(f"\n== {name} ==")
        run_module(name, modules[name], args)
        print(f"== {name} done in {time.perf_counter() - started:,.0f} s ==")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
