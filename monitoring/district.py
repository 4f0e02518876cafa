"""One district against the others: where it stands on every metric, how it moved, and its record.

Pure functions over the store's frames; the district page draws what they return.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd

from monitoring import figures
from monitoring.calendar import Period
from monitoring.metrics import Metric
from monitoring.rankings import profiles_of, rank_every_metric


def metric_values(values: pd.DataFrame, catalog: dict[str, Metric]) -> pd.DataFrame:
    """Per metric and district, the period's figure from ``metric_district_values`` (metric, district,
    total, months): ``figures.value_of`` (the sum for counts, the mean of the months for rates)."""
    if values.empty:
        return pd.DataFrame({"metric": [], "district": [], "value": []})
    out = values[["metric", "district"]].copy()
    out["value"] = figures.values_of(values, catalog)
    return out


def summaries(
    now: pd.DataFrame,
    monthly: pd.DataFrame,
    period: Period,
    reference: pd.DataFrame,
    catalog: dict[str, Metric],
    measure: str = "raw",
    districts: Iterable[int] | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """``summary`` for each of ``districts`` (default: every district of ``reference``) at once, one row
    a district and catalog metric with a ``district`` column first: the rankings and medians are
    worked out once for all of them (the district page and «منطقهٔ من» on the overview read one).

    ``now`` is ``store.metric_district_values`` over ``period``; ``monthly`` is
    ``store.district_month_values`` over ``figures.comparison_span(period)``, from which the changes
    are made like for like (``figures.district_changes``)."""
    due = figures.months_due(period, today)
    every = rank_every_metric(now, reference, catalog, measure, due)
    out = profiles_of(every, reference, catalog, districts)
    keys = list(zip(out["metric"].tolist(), out["district"].tolist(), strict=True))
    raw = metric_values(now, catalog)
    found = dict(
        zip(zip(raw["metric"].tolist(), raw["district"].astype(int).tolist(), strict=True), raw["value"], strict=True)
    )
    out["raw_now"] = pd.array([found.get(k, np.nan) for k in keys], dtype="float64")
    for column, other in (("change_previous", period.previous()), ("change_last_year", period.year_before())):
        moved = figures.district_changes(monthly, catalog, period, other)
        change = dict(
            zip(
                zip(moved["metric"].tolist(), moved["district"].astype(int).tolist(), strict=True),
                moved["change"],
                strict=True,
            )
        )
        # None (not NaN) where there is nothing to say, whichever districts are asked for
        out[column] = pd.Series(
            [None if pd.isna(c := change.get(k, np.nan)) else float(c) for k in keys], dtype=object, index=out.index
        )
    # the districts' median in the measure shown beside it, over the districts that hold a rank (or,
    # for a neutral metric, that reported every month due)
    middle = every[every["status"].isin(["ranked", "shown"])].groupby("metric")["value"].median()
    out["city_median"] = out["metric"].map(middle)
    out["percentile"] = pd.Series(
        [None if pd.isna(p) else int(figures.as_shown(float(p), 0)) for p in out["percentile"]],
        dtype=object,
        index=out.index,
    )
    return out


def summary(
    now: pd.DataFrame,
    monthly: pd.DataFrame,
    period: Period,
    reference: pd.DataFrame,
    catalog: dict[str, Metric],
    district: int,
    measure: str = "raw",
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Every metric for one district over ``period``: value (in the measure the metric allows), rank
    among the districts that hold one (none for a neutral metric or an incomplete district), ranked,
    percentile (``figures.percentile_ranks``, rounded; None when unranked), months, due, complete,
    status, the like-for-like change against the period before and the same period a year earlier
    (relative, None when no month is present in both), and the districts' median in the same measure."""
    out = summaries(now, monthly, period, reference, catalog, measure, districts=[district], today=today)
    return out.drop(columns="district")


def monthly_bands(month_values: pd.DataFrame) -> pd.DataFrame:
    """Per metric and month, the districts' median and middle half (25th and 75th percentiles) and how
    many districts reported: metric, period, median, low, high, districts. ``month_values`` is
    ``store.district_month_values`` (metric, district, period, value)."""
    if month_values.empty:
        return pd.DataFrame({c: [] for c in ("metric", "period", "median", "low", "high", "districts")})
    grouped = month_values.groupby(["metric", "period"])["value"]
    out = pd.DataFrame(
        {
            "median": grouped.median(),
            "low": grouped.quantile(0.25),
            "high": grouped.quantile(0.75),
            "districts": grouped.size(),
        }
    ).reset_index()
    return out


def rank_history(month_values: pd.DataFrame, metric: Metric, district: int) -> pd.DataFrame:
    """The district's monthly rank on ``metric`` among the districts that reported that month:
    period, rank, ranked. Months it did not report are absent (never rank 0); a neutral metric has
    no ranks at all."""
    if metric.direction == "neutral":
        return pd.DataFrame({"period": [], "rank": [], "ranked": []})
    rows = month_values[month_values["metric"] == metric.code]
    if rows.empty:
        return pd.DataFrame({"period": [], "rank": [], "ranked": []})
    shown = pd.Series(figures.as_shown(rows["value"], metric.decimals), index=rows.index)
    ranks = shown.groupby(rows["period"]).rank(method="min", ascending=metric.direction == "lower")
    ranked = rows.groupby("period")["district"].transform("size")
    frame = pd.DataFrame({"period": rows["period"], "district": rows["district"], "rank": ranks, "ranked": ranked})
    mine = frame[frame["district"] == district].sort_values("period")
    return mine[["period", "rank", "ranked"]].astype({"rank": int, "ranked": int}).reset_index(drop=True)
