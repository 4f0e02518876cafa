"""python -m benchmarks [--quick] [--skip-browser] [--strict]
python -m benchmarks load [--sessions N] [--duration S] [--think S] [--url URL]  (see benchmarks/loadtest)
python -m benchmarks bigstore [--quick] [--engine sqlite|postgresql]  (see benchmarks/bigstore.py)"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks import cases, data
from benchmarks.report import Result, table, write_json


@dataclass(frozen=True)
class Sizes:
    years: int  # of monthly figures in the big store, 22 districts × 60 metrics
    csv_rows: int  # in the long CSV the loader reads
    query_repeat: int
    page_runs: int
    browser_runs: int


FULL = Sizes(years=10, csv_rows=1_000_000, query_repeat=50, page_runs=5, browser_runs=3)
QUICK = Sizes(years=2, csv_rows=100_000, query_repeat=15, page_runs=3, browser_runs=3)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Speed of loading, querying and drawing the dashboard, each beside its floor.",
    )
    parser.add_argument("--quick", action="store_true", help="smaller sizes for a smoke run (about a minute)")
    parser.add_argument("--skip-browser", action="store_true", help="do not time the page in headless Chromium")
    parser.add_argument("--strict", action="store_true", help="exit 1 when an aim is missed")
    parser.add_argument("--out", type=Path, default=None, help="where to write results.json")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["load"]:  # many sessions on Streamlit's websocket: a separate run with options of its own
        from benchmarks import loadtest

        return loadtest.main(argv[1:])
    if argv[:1] == ["profile"]:  # where one page view's time goes, server and browser
        from benchmarks import profile

        return profile.main(argv[1:])
    if argv[:1] == ["bigstore"]:  # the decade and neighbourhood-scale stores on both engines: a run of its own
        from benchmarks import bigstore

        return bigstore.main(argv[1:])
    args = _parser().parse_args(argv)
    sizes = QUICK if args.quick else FULL
    began = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - began:6.1f} s] {message}", file=sys.stderr, flush=True)

    results: list[Result] = []

    def section(name: str, run: Callable[[], list[Result]]) -> None:
        try:
            results.extend(run())
        except Exception as exc:  # one broken section must not hide the others' figures
            traceback.print_exc()
            results.append(Result(name, "did not run", None, "", note=f"{type(exc).__name__}: {exc}"[:300]))
        gc.collect()

    extra = data.synthetic_metrics()
    with tempfile.TemporaryDirectory(prefix="dashboard-bench-") as tmp:
        work = Path(tmp)
        big = work / "big.sqlite"
        log(f"building the store: {sizes.years} years × 22 districts × {16 + len(extra)} metrics, monthly")
        engine, store_rows = data.build_store(big, sizes.years, extra)
        section("load", lambda: cases.bench_load(work, sizes.csv_rows, extra, log))
        section("queries", lambda: cases.bench_queries(engine, sizes.query_repeat, log))
        section("page", lambda: cases.bench_page(big, engine, sizes.page_runs, log))
        section("deck", lambda: cases.bench_deck(engine, sizes.page_runs, log))
        if not args.skip_browser:
            section("browser", lambda: cases.bench_browser(work, big, sizes.browser_runs, log))
        engine.dispose()

    meta = {
        "quick": args.quick,
        "store_rows": store_rows,
        "sizes": vars(sizes),
        "seconds": round(time.perf_counter() - began, 1),
        "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }
    print()
    print(f"store: {store_rows:,} monthly figures; CSV: {sizes.csv_rows:,} rows; run took {meta['seconds']} s")
    print(table(results))
    path = write_json(results, meta, args.out)
    print(f"\nresults: {path}")
    missed = [r for r in results if r.verdict in ("MISS", "N/A")]
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
