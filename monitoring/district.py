"""One district against the others: where it stands on every metric, how it moved, and its record.

Pure functions over the store's frames; the district page draws what they return.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from monitoring.metrics import Metric
from monitoring.rankings import district_profiles, effective_measure


def metric_values(values: pd.DataFrame, catalog: dict[str, Metric]) -> pd.DataFrame:
    """Per metric and district, the period's figure from ``metric_district_values`` (metric, district,
    total, months): the sum for counts, the mean of the months for rates."""
    if values.empty:
        return pd.DataFrame({"metric": [], "district": [], "value": []})
    mean = values["metric"].map({c: m.aggregation == "mean" for c, m in catalog.items()}).fillna(False)
    out = values[["metric", "district"]].copy()
    out["value"] = np.where(mean, values["total"] / values["months"], values["total"])
    return out


def summaries(
    now: pd.DataFrame,
    before: pd.DataFrame,
    year_ago: pd.DataFrame,
    reference: pd.DataFrame,
    catalog: dict[str, Metric],
    measure: str = "raw",
    districts: Iterable[int] | None = None,
) -> pd.DataFrame:
    """``summary`` for each of ``districts`` (default: every district of ``reference``) at once, one row
    a district and catalog metric with a ``district`` column first: the rankings and medians are
    worked out once for all of them (the district page and «منطقهٔ من» on the overview read one)."""
    out = district_profiles(now, reference, catalog, measure, districts)
    figures = {
        name: metric_values(frame, catalog) for name, frame in (("now", now), ("before", before), ("year", year_ago))
    }
    # plain dicts keyed (metric, district): a lookup in a Series indexed by Arrow strings is slow
    found = {
        name: dict(
            zip(
                zip(f["metric"].tolist(), f["district"].astype(int).tolist(), strict=True),
                f["value"].tolist(),
                strict=True,
            )
        )
        for name, f in figures.items()
    }
    keys = list(zip(out["metric"].tolist(), out["district"].tolist(), strict=True))
    median = figures["now"].groupby("metric")["value"].median() if len(figures["now"]) else pd.Series(dtype=float)
    # None (not NaN) where there is nothing to say, whichever districts are asked for
    out["percentile"] = pd.Series(
        [
            None if pd.isna(r) or n <= 1 else round(100 * (n - int(r)) / (n - 1))
            for r, n in zip(out["rank"], out["ranked"], strict=True)
        ],
        dtype=object,
        index=out.index,
    )
    out["raw_now"] = pd.array([found["now"].get(k, np.nan) for k in keys], dtype="float64")
    for column, then in (("change_previous", "before"), ("change_last_year", "year")):
        changes = [_change(found["now"].get(k), found[then].get(k)) for k in keys]
        out[column] = pd.Series(changes, dtype=object, index=out.index)
    out["city_median"] = out["metric"].map(median)
    out["measure"] = out["metric"].map({c: effective_measure(m, measure) for c, m in catalog.items()})
    return out


def summary(
    now: pd.DataFrame,
    before: pd.DataFrame,
    year_ago: pd.DataFrame,
    reference: pd.DataFrame,
    catalog: dict[str, Metric],
    district: int,
    measure: str = "raw",
) -> pd.DataFrame:
    """Every metric for one district over a period: value (in the measure the metric allows), rank
    among the districts that reported it (none for a neutral metric), ranked, percentile (100 = the
    best place, 0 = the worst; None when unranked), the change against the period before and the same
    period a year earlier (relative, None when the district did not report either), and the city
    median of the metric. The three frames are ``store.metric_district_values`` over the periods."""
    out = summaries(now, before, year_ago, reference, catalog, measure, districts=[district])
    return out.drop(columns="district")


def _change(now: float | None, then: float | None) -> float | None:
    if now is None or then is None or pd.isna(now) or pd.isna(then) or then == 0:
        return None
    return (float(now) - float(then)) / abs(float(then))


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
    ranks = rows.groupby("period")["value"].rank(method="min", ascending=metric.direction == "lower")
    ranked = rows.groupby("period")["district"].transform("size")
    frame = pd.DataFrame({"period": rows["period"], "district": rows["district"], "rank": ranks, "ranked": ranked})
    mine = frame[frame["district"] == district].sort_values("period")
    return mine[["period", "rank", "ranked"]].astype({"rank": int, "ranked": int}).reset_index(drop=True)
