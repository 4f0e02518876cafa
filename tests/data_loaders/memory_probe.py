"""Load one file into a fresh SQLite store and report the peak memory of the loading process.

    python tests/data_loaders/memory_probe.py FILE --via cli        # python -m data_loaders load FILE --json
    python tests/data_loaders/memory_probe.py FILE --via load_file  # data_loaders.load_file in this process
    python tests/data_loaders/memory_probe.py FILE --via boundaries # data_loaders.boundaries.load_boundaries

Prints one JSON object: ``peak_rss_mb`` (the loader process's resident set high-water mark, from
``getrusage``: RUSAGE_CHILDREN for the command line, which runs as this probe's only child, and
RUSAGE_SELF for ``load_file``), ``batch_id``, ``file_error``, ``errors_listed``, ``errors_total``,
``output_bytes`` (the size of the JSON the loader wrote, or of ``LoadResult.to_dict`` as JSON) and
``exit_code`` (the command line's) and ``seconds`` (wall time of the load). Run by tests/data_loaders/test_loader_memory.py in a subprocess,
so the test process's own memory never counts.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _kilobytes_to_mb(kb: int) -> float:
    return round(kb / 1024, 1)  # Linux reports ru_maxrss in kilobytes


def _summary(report: dict) -> dict:
    errors = report.get("errors") or []
    return {
        "batch_id": report.get("batch_id"),
        "file_error": report.get("file_error"),
        "errors_listed": len(errors),
        "errors_total": max(int(report.get("errors_total") or 0), len(errors)),
    }


def probe_cli(path: Path, store_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DASHBOARD_DB_PATH"] = str(store_dir / "store.sqlite")
    env["DASHBOARD_LOG_FILE"] = str(store_dir / "loader.log")
    done = subprocess.run(
        [sys.executable, "-m", "data_loaders", "load", str(path), "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=False,
    )
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    try:
        report = json.loads(done.stdout)["files"][0]
    except (ValueError, KeyError, IndexError):
        report = {"file_error": f"no JSON on stdout; stderr: {done.stderr.decode(errors='replace')[-2000:]}"}
    return {
        "peak_rss_mb": _kilobytes_to_mb(peak),
        "exit_code": done.returncode,
        "output_bytes": len(done.stdout),
        **_summary(report),
    }


def probe_load_file(path: Path, store_dir: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    from data_loaders.files import load_file
    from monitoring import store

    engine = store.make_engine(f"sqlite:///{store_dir / 'store.sqlite'}")
    store.ensure_ready(engine)
    result = load_file(engine, path.read_bytes(), path.name)
    engine.dispose()
    output = json.dumps(result.to_dict(), ensure_ascii=False, default=str).encode()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "peak_rss_mb": _kilobytes_to_mb(peak),
        "exit_code": None,
        "output_bytes": len(output),
        **_summary(result.to_dict()),
    }


def probe_boundaries(path: Path, store_dir: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    from data_loaders.boundaries import load_boundaries
    from monitoring import store

    engine = store.make_engine(f"sqlite:///{store_dir / 'store.sqlite'}")
    store.ensure_ready(engine)
    result = load_boundaries(engine, path.read_bytes(), path.name)
    engine.dispose()
    output = json.dumps(result.to_dict(), ensure_ascii=False, default=str).encode()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = result.to_dict()
    return {
        "peak_rss_mb": _kilobytes_to_mb(peak),
        "exit_code": None,
        "output_bytes": len(output),
        "batch_id": report.get("batch_id"),
        "file_error": report.get("file_error"),
        "errors_listed": len(report.get("errors") or []),
        "errors_total": int(report.get("errors_total") or 0),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--via", choices=("cli", "load_file", "boundaries"), default="cli")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="memory-probe-") as folder:
        probe = {"cli": probe_cli, "load_file": probe_load_file, "boundaries": probe_boundaries}[args.via]
        started = time.monotonic()
        report = probe(args.file, Path(folder))
        report["seconds"] = round(time.monotonic() - started, 2)
        print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
