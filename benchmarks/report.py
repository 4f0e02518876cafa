"""Benchmark results: one row a figure, printed as a table and written as JSON."""

from __future__ import annotations

import json
import operator
import platform
import sqlite3
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent / "out"
_COMPARE = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt}


@dataclass
class Result:
    """One measured figure, beside its floor or baseline when it has one.

    ``ratio`` is figure / baseline; ``aim`` is a comparison such as ``("<=", 1.5)`` applied to the
    ratio, or to the figure itself when there is no baseline.
    """

    section: str
    name: str
    value: float | None
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    aim: tuple[str, float] | None = None
    note: str = ""
    samples: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    @property
    def judged(self) -> float | None:
        return self.ratio if self.baseline is not None else self.value

    @property
    def verdict(self) -> str:
        if self.aim is None:
            return ""
        if self.judged is None:
            return "N/A"
        op, limit = self.aim
        return "PASS" if _COMPARE[op](self.judged, limit) else "MISS"

    @property
    def aim_text(self) -> str:
        if self.aim is None:
            return ""
        op, limit = self.aim
        what = "ratio" if self.baseline is not None else self.unit
        return f"{what} {op} {limit:g}"

    def to_dict(self) -> dict:
        out = asdict(self)
        out.update(ratio=self.ratio, verdict=self.verdict, aim=self.aim_text)
        return out


def median_time(fn: Callable[[], object], repeat: int, warmup: int = 1) -> tuple[float, list[float]]:
    """Median wall-clock seconds of ``fn()`` over ``repeat`` calls after ``warmup`` unmeasured ones."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), samples


def _fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    if unit == "s" and value < 0.1:
        return f"{value * 1000:.2f} ms"
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "rows/s":
        return f"{value:,.0f} rows/s"
    return f"{value:.3g} {unit}".strip()


def table(results: list[Result]) -> str:
    """The results as a plain-text table: figure, floor, ratio, aim, verdict."""
    header = ("section", "figure", "measured", "floor / baseline", "ratio", "aim", "verdict")
    rows = [header]
    for r in results:
        floor = f"{_fmt(r.baseline, r.unit)} ({r.baseline_name})" if r.baseline is not None else ""
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else ""
        rows.append((r.section, r.name, _fmt(r.value, r.unit), floor, ratio, r.aim_text, r.verdict))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(header))]
    lines = []
    for k, row in enumerate(rows):
        lines.append("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    notes = [f"  * {r.section}/{r.name}: {r.note}" for r in results if r.note]
    return "\n".join(lines + ([""] + notes if notes else []))


def machine() -> dict:
    import os

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "sqlite": sqlite3.sqlite_version,
    }


def write_json(results: list[Result], meta: dict, path: Path | None = None) -> Path:
    path = path or OUT_DIR / "results.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"meta": {**meta, "machine": machine()}, "results": [r.to_dict() for r in results]}
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return path
