"""Rank the 22 districts on one metric: direction-aware, raw or per resident, ties shared; rank
changes against the previous period, rank histories, and a composite index over chosen metrics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Literal

import numpy as np
import pandas as pd

from monitoring import calendar, figures
from monitoring.calendar import Period
from monitoring.message import Message
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
    return measure if metric.per_capita else "raw"


def apply_measure(raw: pd.Series, population: pd.Series, area_km2: pd.Series, measure: Measure) -> pd.Series:
    """``figures.per_measure`` as a Series: NaN where the population (area) is missing or not positive."""
    return pd.Series(figures.per_measure(raw, population, area_km2, measure), index=raw.index, dtype="float64")


RANK_COLUMNS = [
    "district",
    "name_fa",
    "population",
    "area_km2",
    "raw",
    "value",
    "months",
    "due",
    "complete",
    "denominator",
    "rank",
    "percentile",
    "reported",
    "status",
    "decimals",
]
# why a district has no rank: the order the table lists them in, after the ranked ones
STATUS_ORDER = {"ranked": 0, "shown": 0, "incomplete": 1, "no_denominator": 2, "not_reported": 3}


def rank_districts(
    values: pd.DataFrame,
    reference: pd.DataFrame,
    metric: Metric,
    measure: str = "raw",
    due: int = 1,
) -> pd.DataFrame:
    """Every district of ``reference``, ranked on ``values`` (district, value, months) by the rules of
    ``monitoring.figures``.

    ``due`` is how many of the period's months have ended (``figures.months_due``). Returns one row a
    district (``RANK_COLUMNS``): raw, value (in the measure), months reported, due, complete (every
    month due reported), denominator (a positive population or area for the measure), rank, percentile,
    reported and status: "ranked"; "shown" (a neutral metric: in order, never ranked); "incomplete"
    (months missing: listed apart with its completeness, not ranked); "no_denominator" (no population
    or area for a per-resident measure); "not_reported". Figures are compared as shown
    (``figures.display_decimals``), so equal figures share the better rank (1, 2, 2, 4). Ranked
    districts come first, best first, then the others in the order above.
    """
    chosen = effective_measure(metric, measure)
    ref = reference[["district", "name_fa", "population", "area_km2"]].copy()
    df = ref.merge(values[["district", "value", "months"]], on="district", how="left")
    df = df.rename(columns={"value": "raw"})
    df["raw"] = df["raw"].astype(float)
    df["months"] = df["months"].fillna(0).astype(int)
    df["due"] = int(due)
    df["reported"] = df["raw"].notna()
    df["complete"] = df["reported"] & figures.is_complete(df["months"], int(due))
    df["denominator"] = figures.has_denominator(df["population"], df["area_km2"], chosen)
    df["value"] = figures.per_measure(df["raw"], df["population"], df["area_km2"], chosen)
    neutral = metric.direction == "neutral"
    status = np.select(
        [~df["reported"], ~df["denominator"], ~df["complete"]],
        ["not_reported", "no_denominator", "incomplete"],
        "shown" if neutral else "ranked",
    )
    df["status"] = status
    decimals = figures.display_decimals(metric, chosen, df["value"])
    key = figures.as_shown(df["value"], decimals)
    eligible = (df["status"] == "ranked").to_numpy()
    keys = np.where(eligible, key, np.nan)
    higher = metric.direction != "lower"
    ranks = figures.competition_ranks(keys, higher)
    df["rank"] = pd.array([int(r) if np.isfinite(r) else pd.NA for r in ranks], dtype="Int64")
    df["percentile"] = figures.percentile_ranks(keys, higher)
    df["decimals"] = decimals  # what the figures are shown and compared with
    df["_order"] = df["status"].map(STATUS_ORDER)
    df["_key"] = -key if higher else key
    df = df.sort_values(["_order", "_key", "district"], na_position="last").drop(columns=["_order", "_key"])
    return df.reset_index(drop=True)[RANK_COLUMNS]


def standing_note(row) -> str:
    """Why a district of ``rank_districts`` has no rank, in a few Persian words («۱ از ۳ ماه»); empty
    for a ranked district."""
    if row["status"] == "incomplete":
        return "ناقص: " + figures.months_label(row["months"], row["due"])
    if row["status"] == "no_denominator":
        return NOT_REPORTED_DENOMINATOR
    if row["status"] == "not_reported":
        return NOT_REPORTED
    return ""


NOT_REPORTED_DENOMINATOR = figures.NO_DENOMINATOR
RANKING_RULE = (
    "رتبه فقط میان مناطقی است که همهٔ ماه‌های سررسیدشدهٔ دوره را گزارش کرده‌اند؛ "
    "منطقه‌ای که ماهی را نفرستاده جداگانه و با تعداد ماه‌های گزارش‌شده آمده است. "
    "رقم‌ها همان‌گونه که نمایش داده می‌شوند مقایسه می‌شوند و رقم‌های برابر رتبهٔ برابر دارند."
)


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


def rank_every_metric(
    values: pd.DataFrame,
    reference: pd.DataFrame,
    catalog: dict[str, Metric],
    measure: str = "raw",
    due: int = 1,
) -> pd.DataFrame:
    """``rank_districts`` for every catalog metric from ``store.metric_district_values`` (metric,
    district, total, months): one row a metric and district, with metric, measure (what the metric
    allows) and ranked (how many districts hold a rank on it) beside ``RANK_COLUMNS``."""
    frames = []
    by_metric = dict(tuple(values.groupby("metric", sort=False))) if len(values) else {}
    empty = pd.DataFrame({"district": [], "value": [], "months": []})
    for code, metric in catalog.items():
        rows = by_metric.get(code)
        if rows is None:
            part = empty
        else:
            part = pd.DataFrame(
                {
                    "district": rows["district"].to_numpy(),
                    "value": figures.value_of(rows["total"], rows["months"], metric.aggregation),
                    "months": rows["months"].to_numpy(),
                }
            )
        ranked = rank_districts(part, reference, metric, measure, due)
        ranked.insert(0, "metric", code)
        ranked.insert(1, "measure", effective_measure(metric, measure))
        ranked["ranked"] = int((ranked["status"] == "ranked").sum())
        frames.append(ranked)
    columns = ["metric", "measure", *RANK_COLUMNS, "ranked"]
    if not frames:
        return pd.DataFrame({c: [] for c in columns})
    return pd.concat(frames, ignore_index=True)[columns]


def district_profiles(
    values: pd.DataFrame,
    reference: pd.DataFrame,
    catalog: dict[str, Metric],
    measure: str = "raw",
    districts: Iterable[int] | None = None,
    due: int = 1,
) -> pd.DataFrame:
    """``district_profile`` for each of ``districts`` (default: every district of ``reference``) at
    once: one row a district and catalog metric, districts in that order and metrics in the catalog's,
    with a ``district`` column first. The ranking is worked out once for all of them."""
    every = rank_every_metric(values, reference, catalog, measure, due)
    return profiles_of(every, reference, catalog, districts)


def profiles_of(
    every: pd.DataFrame, reference: pd.DataFrame, catalog: dict[str, Metric], districts: Iterable[int] | None = None
) -> pd.DataFrame:
    """``district_profiles`` from a ``rank_every_metric`` already worked out."""
    chosen = [int(d) for d in (reference["district"] if districts is None else districts)]
    order = pd.DataFrame(
        {
            "district": np.repeat(np.array(chosen, dtype="int64"), len(catalog)),
            "metric": np.tile(np.array(list(catalog), dtype=object), len(chosen)),
        }
    )
    keep = ["metric", "district", "measure", "value", "rank", "percentile", "ranked", "reported", "months", "due"]
    keep += ["complete", "status", "decimals"]
    out = order.merge(every[keep], on=["metric", "district"], how="left")
    out["value"] = out["value"].astype(float)
    out["rank"] = out["rank"].astype("Int64")
    out["reported"] = out["reported"].fillna(False).astype(bool)
    out["decimals"] = out["decimals"].astype(int)
    return out[["district", "metric", *[c for c in keep if c not in ("metric", "district")]]]


def district_profile(
    values: pd.DataFrame,
    reference: pd.DataFrame,
    catalog: dict[str, Metric],
    district: int,
    measure: str = "raw",
    due: int = 1,
) -> pd.DataFrame:
    """Where one district stands on every metric over a period: why it ranks where it does.

    ``values`` is ``store.metric_district_values`` (metric, district, total, months). Returns one
    row a catalog metric: metric, value (in the measure the metric allows), rank, percentile, ranked
    (how many districts hold a rank), reported, months, due, complete, status (``rank_districts``).
    """
    profiles = district_profiles(values, reference, catalog, measure, districts=[district], due=due)
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
    out = pd.DataFrame({"total": grouped.sum(), "months": grouped.size()})
    out["value"] = figures.value_of(out["total"], out["months"], aggregation)
    return out.reset_index()[columns]


def rank_history(
    monthly: pd.DataFrame,
    reference: pd.DataFrame,
    metric: Metric,
    periods: list[Period],
    measure: str = "raw",
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Each district's rank in each of ``periods`` (``rank_districts`` period by period, each with
    its months due by ``today``).

    One row a district and period: period (code), label (Persian), position (0 for the oldest),
    district, name_fa, rank (float, NaN when the district did not report then, never 0) and
    ranked (how many districts reported that period). A neutral metric has no ranks: all NaN.
    """
    grouped = period_values(monthly, periods, metric.aggregation)
    frames = []
    for position, p in enumerate(periods):
        due = figures.months_due(p, today)
        ranked = rank_districts(grouped[grouped["period"] == p.code], reference, metric, measure, due)
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
    monthly: pd.DataFrame,
    reference: pd.DataFrame,
    metric: Metric,
    previous: Period,
    measure: str = "raw",
    today: dt.date | None = None,
) -> pd.DataFrame:
    """``rank_districts`` for ``previous`` from ``store.district_months`` rows (every district
    unranked when ``monthly`` holds none of its months)."""
    values = period_values(monthly, [previous], metric.aggregation)
    return rank_districts(values, reference, metric, measure, figures.months_due(previous, today))


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
    "برای هر شاخص انتخاب‌شده، صدک هر منطقه در میان مناطقی که همهٔ ماه‌های سررسیدشدهٔ دوره را گزارش کرده‌اند "
    "حساب می‌شود (۱۰۰ برای بهترین و ۰ برای بدترین، رقم‌های برابر با میانگین جایگاهشان، و در شاخص‌های "
    "«کمتر بهتر است» وارونه) و شاخص ترکیبی، میانگین وزنی این صدک‌ها روی شاخص‌هایی است که منطقه در آن‌ها رتبه دارد؛ "
    "منطقه‌ای که کمتر از نیمی از وزن‌ها را دارد «گزارش نشده» می‌ماند و منطقه‌ای که بخشی از وزن‌ها را ندارد "
    "با «ناقص» نشان داده می‌شود؛ رتبه روی شاخص با دو رقم اعشار، همان‌گونه که نمایش داده می‌شود، است."
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


def parse_weights(text: str | None, catalog: dict[str, Metric]) -> tuple[dict[str, int], list[Message]]:
    """Read ``news_published:2,citizen_satisfaction:1`` (a metric without a weight weighs 1).

    Returns the weights and, for what had to be dropped or changed, short notes (messages): an unknown
    or neutral metric is dropped, a weight outside 1–10 is brought inside. An empty text is no metric.
    """
    weights: dict[str, int] = {}
    problems: list[Message] = []
    if (text or "").strip().lower() == "none":  # the URL's word for «no metric chosen»
        return weights, problems
    for part in (text or "").split(","):
        code, _, weight = part.strip().partition(":")
        code = code.strip()
        if not code:
            continue
        if code not in catalog:
            problems.append(
                Message(
                    "یکی از شاخص‌های نام‌برده در پیوند برای شاخص ترکیبی در فهرست شاخص‌ها نیست و کنار گذاشته شد.",
                    f"Unknown metric '{code}' in index=; left out of the composite index.",
                )
            )
            continue
        if catalog[code].direction == "neutral":
            problems.append(
                Message(
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
                Message(
                    f"وزن «{catalog[code].name_fa}» خوانا نبود؛ ۱ گذاشته شد.",
                    f"Cannot read the weight of '{code}'; using 1.",
                )
            )
        if not INDEX_WEIGHTS[0] <= value <= INDEX_WEIGHTS[-1]:
            value = min(max(value, INDEX_WEIGHTS[0]), INDEX_WEIGHTS[-1])
            problems.append(
                Message(
                    f"وزن «{catalog[code].name_fa}» باید از ۱ تا ۱۰ باشد؛ {calendar.to_persian_digits(value)} گذاشته شد.",
                    f"The weight of '{code}' must be 1 to 10; using {value}.",
                )
            )
        weights[code] = value
    return weights, problems


def format_weights(weights: Mapping[str, float]) -> str:
    """``news_published:2,citizen_satisfaction:1``: the composite as the URL keeps it."""
    return ",".join(f"{code}:{int(w) if float(w).is_integer() else w}" for code, w in weights.items())


def percentiles(
    values: pd.DataFrame,
    reference: pd.DataFrame,
    catalog: dict[str, Metric],
    measure: str = "raw",
    due: int = 1,
) -> pd.DataFrame:
    """Each ranked district's percentile on each metric (``figures.percentile_ranks``: 100 for the
    best, 0 for the worst, ties sharing the mean of their places, 50 for a district alone). Only
    districts that hold a rank (complete, with a denominator) have one. Columns metric, district,
    value, percentile; neutral metrics left out."""
    chosen = {c: m for c, m in catalog.items() if c in set(rankable(catalog))}
    every = rank_every_metric(values[values["metric"].isin(chosen)], reference, chosen, measure, due)
    every = every[every["status"] == "ranked"]
    out = every[["metric", "district", "value", "percentile"]].reset_index(drop=True)
    return out.astype({"value": "float64", "percentile": "float64"})


INDEX_DECIMALS = 2  # the composite is shown, compared and tiered at this precision


def composite_index(
    values: pd.DataFrame,
    reference: pd.DataFrame,
    catalog: dict[str, Metric],
    weights: Mapping[str, float],
    measure: str = "raw",
    min_share: float = INDEX_MIN_SHARE,
    due: int = 1,
) -> pd.DataFrame:
    """A composite index of the 22 districts over the metrics in ``weights`` (code -> weight).

    ``values`` is ``store.metric_district_values`` for one period. Each metric's percentile
    (``percentiles``: complete districts only) is averaged with the weights over the metrics a
    district holds a rank on; a district holding less than ``min_share`` of the total weight gets no
    index («گزارش نشده»), one holding less than all of it is marked (``share`` < 1). The index is
    kept unrounded; it is ranked and tiered as shown (``INDEX_DECIMALS``), so two districts that read
    the same share a rank. Neutral metrics and weights ≤ 0 are left out. Returns one row a district:
    district, name_fa, index, tier, rank (ties share the better rank), share (of the weight ranked),
    metrics (how many chosen metrics it holds a rank on), reported, partial (indexed on less than the
    whole weight); ranked districts first, best first, then the others in number order.
    """
    chosen = {c: float(w) for c, w in weights.items() if c in catalog and catalog[c].direction != "neutral" and w > 0}
    total = sum(chosen.values())
    out = reference[["district", "name_fa"]].copy().reset_index(drop=True)
    pct = percentiles(values[values["metric"].isin(chosen)], reference, catalog, measure, due) if chosen else None
    if pct is not None and len(pct):
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
    out["partial"] = out["reported"] & (out["share"] < 1 - 1e-9)
    index = out["weighted"] / out["weight"]
    out["index"] = index.where(out["reported"])
    shown = figures.as_shown(out["index"], INDEX_DECIMALS)
    out["tier"] = [tier_of(v) for v in shown]
    out["rank"] = pd.array(
        [int(r) if np.isfinite(r) else pd.NA for r in figures.competition_ranks(shown, True)], dtype="Int64"
    )
    out["_order"] = np.where(out["reported"], 0, 1)
    out["_key"] = -shown
    out = out.sort_values(["_order", "_key", "district"], na_position="last")
    columns = ["district", "name_fa", "index", "tier", "rank", "share", "metrics", "reported", "partial"]
    return out[columns].reset_index(drop=True)
