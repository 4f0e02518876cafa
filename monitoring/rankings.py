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
DIRECTION_LABELS = {
    "higher": "بیشتر بهتر است",
    "lower": "کمتر بهتر است",
    "neutral": "خنثی: از بیشتر به کمتر، بدون رتبه",
}
NOT_RANKED = "بدون رتبه"


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
    measure), months, complete, rank, reported. Ranked districts come first, best first; ties
    share the better rank (1, 2, 2, 4). A neutral metric is shown, not ranked: its districts are
    ordered largest first and carry no rank. Districts with no value are listed after them with
    ``reported`` False and no rank, never a zero.
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
    if metric.direction != "neutral":
        df.loc[ranks.index, "rank"] = ranks.astype("int64")
    df["_order"] = np.where(df["reported"], 0, 1)
    df["_key"] = df["value"] if ascending else -df["value"]
    df = df.sort_values(["_order", "_key", "district"], na_position="last").drop(columns=["_order", "_key"])
    return df.reset_index(drop=True)


def rank_tone(rank: int | None, ranked: int) -> str:
    """How a place reads: "good" in the best third, "bad" in the worst third, "middle" between,
    "none" without a rank (not reported, or a neutral metric)."""
    if rank is None or pd.isna(rank) or ranked <= 0:
        return "none"
    share = (int(rank) - 1) / max(ranked - 1, 1)
    if share <= 1 / 3:
        return "good"
    if share >= 2 / 3:
        return "bad"
    return "middle"


def district_profile(
    values: pd.DataFrame,
    reference: pd.DataFrame,
    catalog: dict[str, Metric],
    district: int,
    measure: str = "raw",
) -> pd.DataFrame:
    """Where one district stands on every metric over a period: why it ranks where it does.

    ``values`` is ``store.metric_district_values`` (metric, district, total, months). Returns one
    row a catalog metric: metric, value (in the measure the metric allows), rank, ranked (how many
    districts reported it), reported. Ranks are direction-aware and ties share the better rank.
    """
    meta = pd.DataFrame(
        {
            "metric": list(catalog),
            "mean_metric": [m.aggregation == "mean" for m in catalog.values()],
            "lower": [m.direction == "lower" for m in catalog.values()],
            "measure": [effective_measure(m, measure) for m in catalog.values()],
        }
    )
    df = values.merge(meta, on="metric").merge(reference[["district", "population", "area_km2"]], on="district")
    df["value"] = np.where(df["mean_metric"], df["total"] / df["months"], df["total"])
    df["value"] = np.select(
        [df["measure"] == "per10k", df["measure"] == "perkm2"],
        [df["value"] / df["population"] * 10_000, df["value"] / df["area_km2"]],
        df["value"],
    )
    df["score"] = np.where(df["lower"], -df["value"], df["value"])
    df["rank"] = df.groupby("metric")["score"].rank(method="min", ascending=False)
    df["ranked"] = df.groupby("metric")["district"].transform("size")
    mine = df[df["district"] == district].set_index("metric")
    out = meta[["metric", "measure"]].copy()
    out["value"] = out["metric"].map(mine["value"])
    out["rank"] = out["metric"].map(mine["rank"]).astype("Int64")
    neutral = out["metric"].map({code: m.direction == "neutral" for code, m in catalog.items()}).astype(bool)
    out.loc[neutral, "rank"] = pd.NA
    out["ranked"] = out["metric"].map(df.groupby("metric")["district"].size()).fillna(0).astype(int)
    out["reported"] = out["value"].notna()
    return out
