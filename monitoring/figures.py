"""How a period's figures are made and compared: the one place every page, deck, export and alert
asks.

The rules, each written once here (and stated in the README's "How the figures are made"):

- **A period's value** of a district is the sum of the months it reported (a count) or the mean of
  those months (a rate or an average), as the metric's catalog entry says (``aggregation``).
- **Months due**: the months of the period that have ended by today in Tehran. A period with fewer
  months due than it has is *running* («۲ از ۳ ماه»). A district's **completeness** is the months it
  reported of the months due.
- **Ranks** are given only among the districts that reported every month due (complete); the others
  are listed apart with their completeness, never ranked. A measure per resident or per km² needs a
  positive population or area: a district without one is «بدون جمعیت ثبت‌شده» and never ranked.
- **Ties**: figures are compared as they are shown, rounded to the decimals the page prints
  (``display_decimals``), so equal figures on screen share a rank (the better one: 1, 2, 2, 4).
- **Percentile** (one definition): among the n ranked districts, 100 × (n − p) / (n − 1), where p is
  the district's mean place among its tied group (1 = best); 50 for a district alone.
- **Median**: the median of the ranked districts' figures, in the measure shown beside it.
- **Changes are like for like**: a district's change against another period counts only the months
  it reported in both (month i of one period against month i of the other); the city's change counts
  only the district-months present in both. With no such month, or a base of zero, there is no change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from monitoring import calendar
from monitoring.calendar import Period
from monitoring.metrics import Metric

NO_DENOMINATOR = "بدون جمعیت ثبت‌شده"
NO_AREA = "بدون مساحت ثبت‌شده"


# ---------------------------------------------------------------- months due and completeness


def months_due(period: Period, today: dt.date | None = None) -> int:
    """How many of ``period``'s months have ended by ``today`` (Tehran's date; default: now)."""
    today = today or calendar.today_in_tehran()
    return sum(1 for start in period.month_starts() if calendar.month_end(start) <= today)


@dataclass(frozen=True)
class Coverage:
    """How much of a period lies behind us: ``due`` of its ``total`` months have ended."""

    due: int
    total: int

    @classmethod
    def of(cls, period: Period, today: dt.date | None = None) -> Coverage:
        return cls(months_due(period, today), period.month_count)

    @property
    def running(self) -> bool:
        return self.due < self.total

    @property
    def label(self) -> str:
        """«۲ از ۳ ماه» for a running season; empty for a period that has ended."""
        return months_label(self.due, self.total) if self.running else ""


def months_label(months: int, due: int) -> str:
    """«۲ از ۳ ماه»."""
    return f"{calendar.to_persian_digits(int(months))} از {calendar.to_persian_digits(int(due))} ماه"


INCOMPLETE = "ناقص"


def is_partial(months, due: int):
    """A district's figure is partial when it reported some, not all, of the months due: a map does
    not colour it by its sum as if it were the whole period's (the one rule for the page's map, its
    slide picture and the deck's)."""
    numbers = np.asarray(pd.to_numeric(pd.Series(np.atleast_1d(months)), errors="coerce"), dtype="float64")
    with np.errstate(invalid="ignore"):
        return np.isfinite(numbers) & (numbers > 0) & (numbers < due)


def partial_note(months: int, due: int) -> str:
    """«ناقص: ۱ از ۳ ماه»."""
    return f"{INCOMPLETE}: {months_label(months, due)}"


def is_complete(months, due: int):
    """A district's figure is complete when it reported every month due (and at least one is due)."""
    return (np.asarray(months) >= due) & (due > 0)


# ---------------------------------------------------------------- a period's value


def value_of(total, months, aggregation: str):
    """The period's figure from the sum of the reported months and their count: the sum itself for a
    count, the mean of the months for a rate. Works on numbers and on arrays alike."""
    if aggregation == "mean":
        return np.asarray(total, dtype="float64") / np.asarray(months, dtype="float64")
    return np.asarray(total, dtype="float64")


def values_of(frame: pd.DataFrame, catalog: Mapping[str, Metric]) -> np.ndarray:
    """``value_of`` row by row for a frame holding metric, total and months (``store.metric_district_values``
    and the like), each row by its own metric's aggregation."""
    mean = frame["metric"].map({c: m.aggregation == "mean" for c, m in catalog.items()}).fillna(False).astype(bool)
    total = frame["total"].to_numpy(dtype="float64")
    months = frame["months"].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(mean.to_numpy(), total / months, total)


def period_values(monthly: pd.DataFrame, catalog: Mapping[str, Metric], period: Period) -> pd.DataFrame:
    """``monthly`` (metric, district, period = the month's first day, value) grouped over ``period``:
    metric, district, value (``value_of``), total, months reported. Months outside the period and
    empty values are left out; a district with no month has no row (never a zero)."""
    starts = set(period.month_starts())
    rows = monthly[monthly["period"].isin(starts) & monthly["value"].notna()]
    columns = ["metric", "district", "value", "total", "months"]
    if rows.empty:
        return pd.DataFrame({c: [] for c in columns})
    grouped = rows.groupby(["metric", "district"], sort=True)["value"]
    out = pd.DataFrame({"total": grouped.sum(), "months": grouped.size()}).reset_index()
    mean = out["metric"].map({c: m.aggregation == "mean" for c, m in catalog.items()}).fillna(False).astype(bool)
    out["value"] = np.where(mean, out["total"] / out["months"], out["total"]).astype(float)
    return out[columns]


# ---------------------------------------------------------------- like-for-like changes


def _positions(monthly: pd.DataFrame, period: Period) -> pd.DataFrame:
    places = {start: i for i, start in enumerate(period.month_starts())}
    part = monthly[monthly["period"].isin(list(places)) & monthly["value"].notna()]
    return part.assign(position=part["period"].map(places))


def aligned(monthly: pd.DataFrame, period: Period, other: Period) -> pd.DataFrame:
    """The district-months present in both periods, month i of ``period`` beside month i of
    ``other``: metric, district, position, value (in ``period``), base (in ``other``)."""
    now = _positions(monthly, period)[["metric", "district", "position", "value"]]
    then = _positions(monthly, other)[["metric", "district", "position", "value"]]
    return now.merge(then.rename(columns={"value": "base"}), on=["metric", "district", "position"])


def relative_change(value, base):
    """(value − base) / |base|; NaN where the base is zero or missing."""
    value = np.asarray(value, dtype="float64")
    base = np.asarray(base, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (value - base) / np.abs(base)
    return np.where(np.isfinite(out), out, np.nan)


def _changes(pairs: pd.DataFrame, catalog: Mapping[str, Metric], keys: list[str]) -> pd.DataFrame:
    """``aligned`` pairs grouped by ``keys``: value and base (the sum, or the mean for a rate), months
    (pairs counted) and change."""
    columns = [*keys, "value", "base", "months", "change"]
    if pairs.empty:
        return pd.DataFrame({c: [] for c in columns})
    grouped = pairs.groupby(keys, sort=True)
    out = grouped.agg(total=("value", "sum"), total_base=("base", "sum"), months=("position", "size")).reset_index()
    out["value"] = value_rows(out["total"], out["months"], out["metric"], catalog)
    out["base"] = value_rows(out["total_base"], out["months"], out["metric"], catalog)
    out["change"] = relative_change(out["value"], out["base"])
    return out[columns]


def value_rows(total: pd.Series, months: pd.Series, metric: pd.Series, catalog: Mapping[str, Metric]) -> np.ndarray:
    """``value_of`` row by row, each row by its own metric's aggregation."""
    return values_of(pd.DataFrame({"metric": metric, "total": total, "months": months}), catalog)


def district_changes(
    monthly: pd.DataFrame, catalog: Mapping[str, Metric], period: Period, other: Period
) -> pd.DataFrame:
    """Each district's like-for-like change on each metric from ``other`` to ``period``: metric,
    district, value, base (each over the months present in both), months (how many), change
    (relative; NaN on a zero base). Districts without a month in both have no row."""
    return _changes(aligned(monthly, period, other), catalog, ["metric", "district"])


def city_changes(monthly: pd.DataFrame, catalog: Mapping[str, Metric], period: Period, other: Period) -> pd.DataFrame:
    """The city's like-for-like change on each metric from ``other`` to ``period``, over the
    district-months present in both: metric, value, base, months (district-months), change. A count
    is the sum of those district-months, a rate their mean."""
    return _changes(aligned(monthly, period, other), catalog, ["metric"])


def comparison_span(period: Period) -> tuple[dt.date, dt.date]:
    """The months a page reads to compare ``period`` with the period before and a year earlier."""
    return min(period.previous().start, period.year_before().start), period.end


# ---------------------------------------------------------------- measures and denominators


def per_measure(raw, population, area_km2, measure: str):
    """The figure in ``measure``: raw, per 10,000 residents or per km². A missing, zero or negative
    population (area) gives NaN: there is no rate without a denominator."""
    raw = np.asarray(raw, dtype="float64")
    if measure == "per10k":
        denominator = np.asarray(pd.to_numeric(pd.Series(population), errors="coerce"), dtype="float64")
        scale = 10_000.0
    elif measure == "perkm2":
        denominator = np.asarray(pd.to_numeric(pd.Series(area_km2), errors="coerce"), dtype="float64")
        scale = 1.0
    else:
        return raw
    with np.errstate(divide="ignore", invalid="ignore"):
        out = raw / denominator * scale
    return np.where(np.isfinite(denominator) & (denominator > 0), out, np.nan)


def has_denominator(population, area_km2, measure: str):
    """Whether each district can be shown in ``measure`` (always true for raw figures)."""
    if measure == "raw":
        return np.ones(len(np.atleast_1d(population)), dtype=bool)
    values = population if measure == "per10k" else area_km2
    numbers = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype="float64")
    return np.isfinite(numbers) & (numbers > 0)


def no_denominator_text(measure: str) -> str:
    return NO_AREA if measure == "perkm2" else NO_DENOMINATOR


# ---------------------------------------------------------------- display precision, ties, percentiles


def display_decimals(metric: Metric, measure: str, values=None) -> int:
    """The decimals a figure is printed with: the metric's own for raw figures; for figures per
    resident or per km², enough that small counts do not print as ۰٫۰۰ (read from ``values``)."""
    if measure == "raw":
        return int(metric.decimals)
    if values is None:
        return 2
    return calendar.readable_decimals(values, significant=3, max_decimals=4, min_decimals=1)


def as_shown(values, decimals: int) -> np.ndarray:
    """The figures as a page prints them: rounded half away from zero to ``decimals``, so two
    figures that read the same compare equal (no floating-point residue splits a tie)."""
    numbers = np.asarray(values, dtype="float64")
    scale = 10.0**decimals
    with np.errstate(invalid="ignore"):
        scaled = np.round(numbers * scale, 6)  # 16.899999999 and 16.9000000001 both become 1690.0
        return np.sign(scaled) * np.floor(np.abs(scaled) + 0.5) / scale


def competition_ranks(keys, higher_is_better: bool) -> np.ndarray:
    """Ranks 1..n over the finite ``keys``, ties sharing the better rank (1, 2, 2, 4); NaN elsewhere."""
    series = pd.Series(np.asarray(keys, dtype="float64"))
    return series.rank(method="min", ascending=not higher_is_better).to_numpy(dtype="float64")


def percentile_ranks(keys, higher_is_better: bool) -> np.ndarray:
    """The one percentile: among the n finite ``keys``, 100 × (n − p) / (n − 1) with p the mean place
    of a district's tied group (1 = best); 50 for a district alone; NaN where the key is missing."""
    series = pd.Series(np.asarray(keys, dtype="float64"))
    place = series.rank(method="average", ascending=not higher_is_better).to_numpy(dtype="float64")
    n = int(series.notna().sum())
    if n == 1:
        return np.where(np.isnan(place), np.nan, 50.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return 100.0 * (n - place) / (n - 1)
