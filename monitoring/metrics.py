"""The metric catalog: what a metric is, and the seed file it starts from.

At run time the catalog is the store's ``metrics`` table (``store.metric_catalog(engine)``).
``sample_data/metrics.csv`` is only its seed: ``store.ensure_ready`` writes it into the store,
and the sample and demo generators, which have no store at hand, read it here.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from monitoring.config import SAMPLE_DATA
from monitoring.text import text_key

Aggregation = Literal["sum", "mean"]
Direction = Literal["higher", "lower", "neutral"]
AGGREGATIONS: tuple[str, ...] = ("sum", "mean")
DIRECTIONS: tuple[str, ...] = ("higher", "lower", "neutral")
CATALOG_FILE = SAMPLE_DATA / "metrics.csv"


class CatalogError(ValueError):
    """The metric catalog is not valid."""


@dataclass(frozen=True)
class Metric:
    code: str
    name_fa: str
    name_en: str
    unit_fa: str
    aggregation: Aggregation
    direction: Direction
    decimals: int
    per_capita: bool  # counts can be divided by population or area; rates and means cannot
    min_value: float | None = None  # a value below is refused by the loader
    max_value: float | None = None  # a value above is refused by the loader
    public: bool = False  # shown on the public page (the catalog marks it)

    @property
    def higher_is_better(self) -> bool | None:
        return {"higher": True, "lower": False}.get(self.direction)


def check_catalog(items: Iterable[Metric]) -> None:
    """Raise CatalogError for a metric without a code, with an unknown aggregation or direction,
    or sharing its code or Persian name with another (compared after folding, ``text_key``)."""
    seen: dict[str, str] = {}
    for m in items:
        problem = _problem(m)
        if problem:
            raise CatalogError(f"metric '{m.code}': {problem}")
        for key in {text_key(m.code), text_key(m.name_fa)}:
            if key in seen:
                raise CatalogError(f"metric '{m.code}' / '{m.name_fa}' repeats the metric '{seen[key]}'")
            seen[key] = m.code


# characters a page would read as Markdown, HTML or a formula in a name shown as a heading
MARKUP_CHARACTERS = frozenset("[]<>`*_#|!~$\\{}")


def markup_in(text: str) -> str:
    """The characters of ``text`` that are not allowed in a metric's Persian name or unit, in order."""
    return "".join(dict.fromkeys(ch for ch in text if ch in MARKUP_CHARACTERS))


def _problem(m: Metric) -> str | None:
    if not m.code.strip():
        return "no code"
    for label, text in (("Persian name", m.name_fa), ("unit", m.unit_fa)):
        if markup_in(text):
            return f"the {label} holds characters a page would read as markup: {markup_in(text)}"
    if m.aggregation not in AGGREGATIONS:
        return "aggregation must be sum or mean"
    if m.direction not in DIRECTIONS:
        return "direction must be higher, lower or neutral"
    return None


def read_catalog(path: Path = CATALOG_FILE) -> dict[str, Metric]:
    """Read and validate a catalog seed file, in its order; duplicate codes or names are an error."""
    metrics: dict[str, Metric] = {}
    names: set[str] = set()
    with open(path, encoding="utf-8-sig", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            code = (row.get("code") or "").strip()
            if not code:
                raise CatalogError(f"{path.name}: row {line} has no code")
            keys = {text_key(code), text_key(row["name_fa"])}
            if code in metrics or keys & names:
                raise CatalogError(f"{path.name}: row {line} repeats the metric '{code}' / '{row['name_fa']}'")
            if row["aggregation"] not in AGGREGATIONS:
                raise CatalogError(f"{path.name}: row {line}: aggregation must be sum or mean")
            if row["direction"] not in DIRECTIONS:
                raise CatalogError(f"{path.name}: row {line}: direction must be higher, lower or neutral")
            names |= keys
            metrics[code] = Metric(
                code=code,
                name_fa=row["name_fa"].strip(),
                name_en=row["name_en"].strip(),
                unit_fa=row["unit_fa"].strip(),
                aggregation=row["aggregation"],  # type: ignore[arg-type]
                direction=row["direction"],  # type: ignore[arg-type]
                decimals=int(row["decimals"]),
                per_capita=row["per_capita"].strip().lower() == "yes",
                min_value=float(row["min"]) if (row.get("min") or "").strip() else None,
                max_value=float(row["max"]) if (row.get("max") or "").strip() else None,
                public=(row.get("public") or "").strip().lower() == "yes",
            )
    return metrics


@lru_cache(maxsize=1)
def catalog() -> dict[str, Metric]:
    """The seed catalog (``sample_data/metrics.csv``), in the order it is written.

    Only for writing the seed into the store and for generators without a store; everything
    else reads ``store.metric_catalog(engine)``.
    """
    return read_catalog()


def get(code: str) -> Metric:
    """A metric of the seed catalog."""
    return catalog()[code]


def unit_text(metric: Metric, measure: str = "raw") -> str:
    """The unit written after a value: «٪», «از ۲۰», «ساعت», «گزارش در هر ۱۰٬۰۰۰ نفر» (the pages and
    the slides write units alike)."""
    from monitoring.calendar import format_number

    if metric.unit_fa == "درصد":
        return "٪"
    if metric.unit_fa == "امتیاز" and metric.max_value:
        return f"از {format_number(metric.max_value)}"
    if measure == "per10k":
        return f"{metric.unit_fa} در هر ۱۰٬۰۰۰ نفر"
    if measure == "perkm2":
        return f"{metric.unit_fa} در هر کیلومتر مربع"
    return metric.unit_fa
