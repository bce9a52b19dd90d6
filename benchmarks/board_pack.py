"""Benchmark: the board pack of a large organization in all three formats (issue 19: under 30 s
on 2 cores for the 500-engineer, 3-year simulation).

Usage:
    python benchmarks/board_pack.py WAREHOUSE [--quarter 2025Q4] [--reps 3] [--out DIR]

WAREHOUSE is a warehouse built from the simulation (for example ``quarterdeck demo --engineers
500 --years 3 --keep DIR --no-serve``: ``DIR/demo.duckdb``); it is only read. Without
``--quarter``, the last whole quarter at the end of its data. Per repetition, in one process
with the warehouse opened once:

- the pack: ``build_board_pack`` (every figure over the quarter, the quarter before and a year
  before, the narrative), then the HTML page, the PDF printed from it by Chromium, and the
  PowerPoint, each timed;
- the reference: every metric query the pack ran (``metrics show``'s own ``run_metric``, the
  same queries and windows), run again alone, one after the other: what the pack's numbers
  cost with nothing of the pack around them.

Prints seconds per step (medians), the total against the 30 s target, and the ratio of the
pack's build to the reference.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_S = 30.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--quarter", default=None)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None, help="Keep the files here (default: a temporary folder).")
    args = parser.parse_args()
    if not args.warehouse.is_file():
        print(f"{args.warehouse}: no such warehouse file", file=sys.stderr)
        return 2
    from benchmarks.machine import cpu_model

    from quarterdeck.config import load_settings
    from quarterdeck.core.clock import today
    from quarterdeck.metrics import get_metric, run_metric
    from quarterdeck.metrics.data_end import data_end
    from quarterdeck.metrics.money import Quarter
    from quarterdeck.metrics.query import MetricQuery
    from quarterdeck.reports.board_build import build_with_context
    from quarterdeck.reports.board_files import write_pack
    from quarterdeck.store import open_warehouse

    settings = load_settings(cli={"db": args.warehouse}, env={})
    steps: dict[str, list[float]] = {k: [] for k in ("reference", "build", "html", "pdf", "pptx", "total")}
    with open_warehouse(args.warehouse, read_only=True) as warehouse, tempfile.TemporaryDirectory() as scratch:
        quarter = args.quarter or str(Quarter.last_full(data_end(warehouse, today(), settings.timezone)))
        out = args.out or Path(scratch)
        for rep in range(args.reps):
            began = time.perf_counter()
            pack, ctx = build_with_context(warehouse, quarter, settings=settings)
            built = time.perf_counter()
            timings = {}
            for kind in ("html", "pdf", "pptx"):
                start = time.perf_counter()
                write_pack(pack, out, ("html", kind) if kind == "pdf" else (kind,))
                timings[kind] = time.perf_counter() - start - (timings["html"] if kind == "pdf" else 0.0)
            total = time.perf_counter() - began
            queries = [(key[0], key[1]) for key in ctx.cache if len(key) == 2 and isinstance(key[1], MetricQuery)]
            start = time.perf_counter()
            for name, query in queries:
                try:
                    run_metric(warehouse, get_metric(name), query)
                except Exception:  # a query the pack found without data counts as run
                    continue
            reference = time.perf_counter() - start
            for key, value in (("reference", reference), ("build", built - began), ("total", total), *timings.items()):
                steps[key].append(value)
            print(f"rep {rep + 1}: build {built - began:.2f} s, html {timings['html']:.2f} s, pdf "
                  f"{timings['pdf']:.2f} s, pptx {timings['pptx']:.2f} s, total {total:.2f} s; reference "
                  f"{reference:.2f} s ({len(queries)} metric queries)", flush=True)  # fmt: skip
    median = {key: statistics.median(values) for key, values in steps.items()}
    figures = len(pack.figures())
    print(f"\n{args.warehouse.name}, {quarter}, {figures} figures, {len(pack.sentences())} sentences; {cpu_model()}")
    for key in ("build", "html", "pdf", "pptx", "total", "reference"):
        print(f"  {key:<10} {median[key]:7.2f} s (median of {args.reps})")
    ratio = median["build"] / median["reference"] if median["reference"] else float("nan")
    print(f"  build / reference: {ratio:.2f}x (the pack's figures against their metric queries run alone)")
    met = median["total"] < TARGET_S
    print(f"  target: all three formats under {TARGET_S:.0f} s: {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
