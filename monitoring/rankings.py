"""Rank the 22 districts on one metric: direction-aware, raw or per resident, ties shared."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from monitoring.metrics import Metric

Measure = Literal["raw", "per10k", "perkm2"]
MEASURES: tuple[Measure, ...] = ("raw", "per10k", "perkm2")
MEASURE_LABELS = {
    "raw": "رقم خام",
    "per10k": "به ازای هر ۱۰٬۰۰۰ نفر",
    "perkm2": "به ازای هر کیلومتر مربع",
}
NOT_REPORTED = "گزارش نشده"


def effective_measure(metric: Metric, measure: str) -> Measure:
    """Rates and averages cannot be divided by residents or area: they are always ranked raw."""
    if measure not in MEASURES:
        return "raw"
    return measure if metric.per_capita else "raw"  # type: ignore[return-value]


def apply_measure(raw: pd.Series, population: pd.Series, area_km2: pd.Series, measure: Measure) -> pd.Series:
    if measure == "per10k":
        return raw / population * 10_000
    if measure == "perkm2":
        return raw / area_km2
    return raw.astype(float)


def rank_districts(
    values: pd.DataFrame,
    reference: pd.DataFrame,
    metric: Metric,
    measure: str = "raw",
    months_in_period: int = 1,
) -> pd.DataFrame:
    """Every district of ``reference``, ranked on ``values`` (district, value, months).

    Returns one row a district: district, name_fa, population, area_km2, raw, value (in the
    measure), months, complete, rank, reported. Ranked districts come first, best first
    (for a neutral metric, largest first); ties share the better rank (1, 2, 2, 4). Districts
    with no value are listed after them with ``reported`` False and no rank, never a zero.
    """
    chosen = effective_measure(metric, measure)
    ref = reference[["district", "name_fa", "population", "area_km2"]].copy()
    df = ref.merge(values[["district", "value", "months"]], on="district", how="left")
    df = df.rename(columns={"value": "raw"})
    df["raw"] = df["raw"].astype(float)
    df["months"] = df["months"].fillna(0).astype(int)
    df["reported"] = df["raw"].notna()
    df["complete"] = df["months"] >= months_in_period
    df["value"] = apply_measure(df["raw"], df["population"], df["area_km2"], chosen)
    ascending = metric.direction == "lower"
    ranks = df.loc[df["reported"], "value"].rank(method="min", ascending=ascending)
    df["rank"] = pd.array([pd.NA] * len(df), dtype="Int64")
    df.loc[ranks.index, "rank"] = ranks.astype("int64")
    df["_order"] = np.where(df["reported"], 0, 1)
    df = df.sort_values(["_order", "rank", "district"], na_position="last").drop(columns="_order")
    return df.reset_index(drop=True)
