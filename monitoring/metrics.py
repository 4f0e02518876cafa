"""The metric catalog, defined once in ``sample_data/metrics.csv`` and used everywhere."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from monitoring.config import SAMPLE_DATA
from monitoring.text import text_key

Aggregation = Literal["sum", "mean"]
Direction = Literal["higher", "lower", "neutral"]
CATALOG_FILE = SAMPLE_DATA / "metrics.csv"


class CatalogError(ValueError):
    """The metric catalog file is not valid."""


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

    @property
    def higher_is_better(self) -> bool | None:
        return {"higher": True, "lower": False}.get(self.direction)


def read_catalog(path: Path = CATALOG_FILE) -> dict[str, Metric]:
    """Read and validate a catalog file; duplicate codes or names are an error."""
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
            if row["aggregation"] not in ("sum", "mean"):
                raise CatalogError(f"{path.name}: row {line}: aggregation must be sum or mean")
            if row["direction"] not in ("higher", "lower", "neutral"):
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
            )
    return metrics


@lru_cache(maxsize=1)
def catalog() -> dict[str, Metric]:
    """The default catalog, in the order it is written."""
    return read_catalog()


def get(code: str) -> Metric:
    return catalog()[code]
