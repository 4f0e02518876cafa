"""Rank the 22 districts on one metric: direction-aware, raw or per resident, ties shared; rank
changes against the previous period, rank histories, and a composite index over chosen metrics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd

from monitoring import calendar
from monitoring.calendar import Period
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


def _metric_meta(catalog: dict[str, Metric], measure: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "metric": list(catalog),
            "mean_metric": [m.aggregation == "mean" for m in catalog.values()],
            "lower": [m.direction == "lower" for m in catalog.values()],
            "measure": [effective_measure(m, measure) for m in catalog.values()],
        }
    )


def metric_values(
    values: pd.DataFrame, reference: pd.DataFrame, catalog: dict[str, Metric], measure: str = "raw"
) -> pd.DataFrame:
    """``store.metric_district_values`` (metric, district, total, months) as each metric's figure:
    the sum or the monthly mean, in the measure the metric allows. Adds value, measure and score
    (the value, negated for a lower-is-better metric, so a larger score is always better)."""
    meta = _metric_meta(catalog, measure)
    df = values.merge(meta, on="metric").merge(reference[["district", "population", "area_km2"]], on="district")
    df["value"] = np.where(df["mean_metric"], df["total"] / df["months"], df["total"]).astype(float)
    df["value"] = np.select(
        [df["measure"] == "per10k", df["measure"] == "perkm2"],
        [df["value"] / df["population"] * 10_000, df["value"] / df["area_km2"]],
        df["value"],
    )
    df["score"] = np.where(df["lower"], -df["value"], df["value"])
    return df


def district_profiles(
    values: pd.DataFrame,
    reference: pd.DataFrame,
    catalog: dict[str, Metric],
    measure: str = "raw",
    districts: Iterable[int] | None = None,
) -> pd.DataFrame:
    """``district_profile`` for each of ``districts`` (default: every district of ``reference``) at
    once: one row a district and catalog metric, districts in that order and metrics in the catalog's,
    with a ``district`` column first. The ranking is worked out once for all of them."""
    meta = _metric_meta(catalog, measure)
    df = metric_values(values, reference, catalog, measure)
    df["rank"] = df.groupby("metric")["score"].rank(method="min", ascending=False)
    chosen = [int(d) for d in (reference["district"] if districts is None else districts)]
    out = pd.DataFrame(
        {
            "district": np.repeat(np.array(chosen, dtype="int64"), len(meta)),
            "metric": np.tile(meta["metric"].to_numpy(dtype=object), len(chosen)),
            "measure": np.tile(meta["measure"].to_numpy(dtype=object), len(chosen)),
        }
    )
    out = out.merge(df[["metric", "district", "value", "rank"]], on=["metric", "district"], how="left")
    out["value"] = out["value"].astype(float)
    out["rank"] = out["rank"].astype("Int64")
    neutral = out["metric"].map({code: m.direction == "neutral" for code, m in catalog.items()}).astype(bool)
    out.loc[neutral, "rank"] = pd.NA
    out["ranked"] = out["metric"].map(df.groupby("metric")["district"].size()).fillna(0).astype(int)
    out["reported"] = out["value"].notna()
    return out


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
    profiles = district_profiles(values, reference, catalog, measure, districts=[district])
    return profiles.drop(columns="district")


# ---------------------------------------------------------------- rank over time


def recent_periods(period: Period, count: int = 12, first: dt.date | None = None) -> list[Period]:
    """The ``count`` periods of ``period``'s kind ending with it, oldest first; with ``first`` (the
    first month holding data), those that end before it are left out."""
    periods = [period]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    periods.reverse()
    return [p for p in periods if first is None or p.end > first]


def period_values(monthly: pd.DataFrame, periods: list[Period], aggregation: str) -> pd.DataFrame:
    """``store.district_months`` (district, period, value) grouped into ``periods``: one row a
    district and period it reported in, with period (the code), district, value (the sum, or the
    mean of its months for a mean metric) and months (how many of the period's months it reported).
    Months outside ``periods`` are left out; a district with no month in a period has no row."""
    starts = {start: p.code for p in periods for start in p.month_starts()}
    columns = ["period", "district", "value", "months"]
    if monthly.empty or not starts:
        return pd.DataFrame({c: [] for c in columns})
    df = monthly.assign(period=monthly["period"].map(starts)).dropna(subset=["period", "value"])
    grouped = df.groupby(["period", "district"], sort=False)["value"]
    out = grouped.agg("mean" if aggregation == "mean" else "sum").rename("value").to_frame()
    out["months"] = grouped.size()
    return out.reset_index()[columns]


def rank_history(
    monthly: pd.DataFrame,
    reference: pd.DataFrame,
    metric: Metric,
    periods: list[Period],
    measure: str = "raw",
) -> pd.DataFrame:
    """Each district's rank in each of ``periods`` (``rank_districts`` period by period).

    One row a district and period: period (code), label (Persian), position (0 for the oldest),
    district, name_fa, rank (float, NaN when the district did not report then, never 0) and
    ranked (how many districts reported that period). A neutral metric has no ranks: all NaN.
    """
    grouped = period_values(monthly, periods, metric.aggregation)
    frames = []
    for position, p in enumerate(periods):
        ranked = rank_districts(grouped[grouped["period"] == p.code], reference, metric, measure, p.month_count)
        frames.append(
            pd.DataFrame(
                {
                    "period": p.code,
                    "label": p.label,
                    "position": position,
                    "district": ranked["district"].to_numpy(),
                    "name_fa": ranked["name_fa"].to_numpy(),
                    "rank": ranked["rank"].astype("Float64").astype(float).to_numpy(),
                    "ranked": int(ranked["rank"].notna().sum()),
                }
            )
        )
    columns = ["period", "label", "position", "district", "name_fa", "rank", "ranked"]
    if not frames:
        return pd.DataFrame({c: [] for c in columns})
    return pd.concat(frames, ignore_index=True)[columns]


def previous_ranking(
    monthly: pd.DataFrame, reference: pd.DataFrame, metric: Metric, previous: Period, measure: str = "raw"
) -> pd.DataFrame:
    """``rank_districts`` for ``previous`` from ``store.district_months`` rows (every district
    unranked when ``monthly`` holds none of its months)."""
    values = period_values(monthly, [previous], metric.aggregation)
    return rank_districts(values, reference, metric, measure, previous.month_count)


def rank_changes(current: pd.DataFrame, previous: pd.DataFrame) -> pd.Series:
    """How many places each district of ``current`` moved since ``previous`` (both
    ``rank_districts`` results): positive when it moved up (its rank number fell), negative when
    it fell, 0 when it kept its place; NA when it has no rank in either period (did not report,
    or a neutral metric): no change is made up. Indexed like ``current``."""
    before = previous.set_index("district")["rank"]
    was = current["district"].map(before).astype("Int64")
    return (was - current["rank"].astype("Int64")).rename("change")


def change_text(change) -> str:
    """«↑۳» (up three places), «↓۲» (down two), «بی‌تغییر», or «—» when there is nothing to compare."""
    if change is None or pd.isna(change):
        return NO_CHANGE
    change = int(change)
    if change == 0:
        return "بی‌تغییر"
    return ("↑" if change > 0 else "↓") + calendar.to_persian_digits(abs(change))


NO_CHANGE = "—"


# ---------------------------------------------------------------- composite index

INDEX_SCALE = 100.0
INDEX_MIN_SHARE = 0.5  # a district needs at least half the chosen weight reported to get an index
INDEX_WEIGHTS = tuple(range(1, 11))  # weights a user can give: 1 to 10
# five tiers on the 0–100 index: (lowest index, label), best first
INDEX_TIERS: tuple[tuple[float, str], ...] = (
    (80.0, "بسیار مطلوب"),
    (60.0, "مطلوب"),
    (40.0, "متوسط"),
    (20.0, "ضعیف"),
    (0.0, "بسیار ضعیف"),
)
INDEX_METHOD = (
    "برای هر شاخص انتخاب‌شده، صدک هر منطقه در میان مناطقی که آن را گزارش کرده‌اند حساب می‌شود "
    "(۱۰۰ برای بهترین و ۰ برای بدترین، و در شاخص‌های «کمتر بهتر است» وارونه) و شاخص ترکیبی، "
    "میانگین وزنی این صدک‌ها روی شاخص‌هایی است که منطقه گزارش داده است؛ "
    "منطقه‌ای که کمتر از نیمی از وزن‌ها را گزارش کرده باشد «گزارش نشده» می‌ماند."
)
DEFAULT_INDEX = ("reports_submitted", "citizen_satisfaction", "requests_137_resolved_pct", "response_time_137_hours")


def tier_of(index: float | None) -> str:
    """The tier of an index (0–100): ≥80 بسیار مطلوب، ≥60 مطلوب، ≥40 متوسط، ≥20 ضعیف، else بسیار ضعیف;
    «گزارش نشده» without an index."""
    if index is None or pd.isna(index):
        return NOT_REPORTED
    return next(label for low, label in INDEX_TIERS if index >= low)


def tier_tone(tier: str) -> str:
    """How a tier reads: "good" for the two best, "bad" for the two worst, "middle" for متوسط,
    "none" without an index."""
    labels = [label for _, label in INDEX_TIERS]
    if tier not in labels:
        return "none"
    place = labels.index(tier)
    return "good" if place < 2 else "bad" if place > 2 else "middle"


def tier_cuts_text() -> str:
    """«بسیار مطلوب: ۸۰ و بیشتر، مطلوب: ۶۰ تا کمتر از ۸۰، …»."""
    parts = []
    for i, (low, label) in enumerate(INDEX_TIERS):
        low_text = calendar.to_persian_digits(int(low))
        if i == 0:
            parts.append(f"{label}: {low_text} و بیشتر")
        elif i == len(INDEX_TIERS) - 1:
            parts.append(f"{label}: کمتر از {calendar.to_persian_digits(int(INDEX_TIERS[i - 1][0]))}")
        else:
            parts.append(f"{label}: {low_text} تا کمتر از {calendar.to_persian_digits(int(INDEX_TIERS[i - 1][0]))}")
    return "، ".join(parts)


def rankable(catalog: dict[str, Metric]) -> list[str]:
    """The metrics a composite index may use: those with a direction (neutral ones say nothing of
    good or bad)."""
    return [code for code, m in catalog.items() if m.direction != "neutral"]


def default_weights(catalog: dict[str, Metric]) -> dict[str, int]:
    """A first composite: a few key metrics, weight 1 each (the first three rankable ones when the
    catalog has none of them)."""
    chosen = [c for c in DEFAULT_INDEX if c in catalog and catalog[c].direction != "neutral"]
    return dict.fromkeys(chosen or rankable(catalog)[:3], 1)


def parse_weights(text: str | None, catalog: dict[str, Metric]) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Read ``news_published:2,citizen_satisfaction:1`` (a metric without a weight weighs 1).

    Returns the weights and, for what had to be dropped or changed, short notes (Persian, English): an unknown
    or neutral metric is dropped, a weight outside 1–10 is brought inside. An empty text is no metric.
    """
    weights: dict[str, int] = {}
    problems: list[tuple[str, str]] = []
    if (text or "").strip().lower() == "none":  # the URL's word for «no metric chosen»
        return weights, problems
    for part in (text or "").split(","):
        code, _, weight = part.strip().partition(":")
        code = code.strip()
        if not code:
            continue
        if code not in catalog:
            problems.append(
                (
                    "یکی از شاخص‌های نام‌برده در پیوند برای شاخص ترکیبی در فهرست شاخص‌ها نیست و کنار گذاشته شد.",
                    f"Unknown metric '{code}' in index=; left out of the composite index.",
                )
            )
            continue
        if catalog[code].direction == "neutral":
            problems.append(
                (
                    f"«{catalog[code].name_fa}» خنثی است و در شاخص ترکیبی نمی‌آید.",
                    f"'{code}' is neutral and cannot be part of the composite index.",
                )
            )
            continue
        try:
            value = round(float(calendar.to_latin_digits(weight))) if weight.strip() else 1
        except ValueError:
            value = 1
            problems.append(
                (
                    f"وزن «{catalog[code].name_fa}» خوانا نبود؛ ۱ گذاشته شد.",
                    f"Cannot read the weight of '{code}'; using 1.",
                )
            )
        if not INDEX_WEIGHTS[0] <= value <= INDEX_WEIGHTS[-1]:
            value = min(max(value, INDEX_WEIGHTS[0]), INDEX_WEIGHTS[-1])
            problems.append(
                (
                    f"وزن «{catalog[code].name_fa}» باید از ۱ تا ۱۰ باشد؛ {calendar.to_persian_digits(value)} گذاشته شد.",
                    f"The weight of '{code}' must be 1 to 10; using {value}.",
                )
            )
        weights[code] = value
    return weights, problems


def format_weights(weights: dict[str, float]) -> str:
    """``news_published:2,citizen_satisfaction:1``: the composite as the URL keeps it."""
    return ",".join(f"{code}:{int(w) if float(w).is_integer() else w}" for code, w in weights.items())


def percentiles(
    values: pd.DataFrame, reference: pd.DataFrame, catalog: dict[str, Metric], measure: str = "raw"
) -> pd.DataFrame:
    """Each district's percentile on each metric among the districts that reported it: 100 for the
    best, 0 for the worst (lower-is-better metrics reversed), ties sharing the mean of their places,
    50 for a district alone. Columns metric, district, value, percentile; neutral metrics left out."""
    ranked = set(rankable(catalog))
    df = metric_values(values[values["metric"].isin(ranked)], reference, catalog, measure)
    df = df[df["value"].notna()].copy()
    place = df.groupby("metric")["score"].rank(method="average", ascending=True)
    count = df.groupby("metric")["score"].transform("size")
    df["percentile"] = np.where(count > 1, (place - 1) / (count - 1).clip(lower=1) * INDEX_SCALE, INDEX_SCALE / 2)
    return df[["metric", "district", "value", "percentile"]].reset_index(drop=True)


def composite_index(
    values: pd.DataFrame,
    reference: pd.DataFrame,
    catalog: dict[str, Metric],
    weights: dict[str, float],
    measure: str = "raw",
    min_share: float = INDEX_MIN_SHARE,
) -> pd.DataFrame:
    """A composite index of the 22 districts over the metrics in ``weights`` (code -> weight).

    ``values`` is ``store.metric_district_values`` for one period. Each metric's percentile
    (``percentiles``) is averaged with the weights over the metrics a district reported; a district
    that reported less than ``min_share`` of the total weight gets no index («گزارش نشده»). The index
    is rounded to one decimal and its tier read from that figure. Neutral metrics and weights ≤ 0
    are left out. Returns one row a district: district, name_fa, index, tier, rank (ties share the
    better rank), share (of the weight reported), metrics (how many chosen metrics it reported),
    reported; ranked districts first, best first, then the others in number order.
    """
    chosen = {c: float(w) for c, w in weights.items() if c in catalog and catalog[c].direction != "neutral" and w > 0}
    total = sum(chosen.values())
    out = reference[["district", "name_fa"]].copy().reset_index(drop=True)
    if chosen:
        pct = percentiles(values[values["metric"].isin(chosen)], reference, catalog, measure)
        pct["weight"] = pct["metric"].map(chosen)
        pct["weighted"] = pct["weight"] * pct["percentile"]
        by = pct.groupby("district")
        summed = pd.DataFrame({"weighted": by["weighted"].sum(), "weight": by["weight"].sum(), "metrics": by.size()})
    else:
        summed = pd.DataFrame({"weighted": [], "weight": [], "metrics": []})
    out = out.merge(summed, left_on="district", right_index=True, how="left")
    out["metrics"] = out["metrics"].fillna(0).astype(int)
    out["share"] = (out["weight"].fillna(0) / total) if total else 0.0
    out["reported"] = (out["share"] >= min_share - 1e-9) & (out["metrics"] > 0)
    index = (out["weighted"] / out["weight"]).round(1)
    out["index"] = index.where(out["reported"])
    out["tier"] = [tier_of(v) for v in out["index"]]
    out["rank"] = out["index"].rank(method="min", ascending=False).astype("Int64")
    out["_order"] = np.where(out["reported"], 0, 1)
    out = out.sort_values(["_order", "index", "district"], ascending=[True, False, True], na_position="last")
    columns = ["district", "name_fa", "index", "tier", "rank", "share", "metrics", "reported"]
    return out[columns].reset_index(drop=True)
