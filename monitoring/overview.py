"""The overview's city figures: one card a metric, with like-for-like changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from monitoring import figures
from monitoring.calendar import Period
from monitoring.metrics import Metric


@dataclass(frozen=True)
class Card:
    metric: Metric
    value: float | None  # city figure: sum over districts for counts, mean for rates
    change_previous: float | None  # against the period before, over district-months in both
    change_last_year: float | None  # against the same period a year earlier, likewise
    districts_reported: int
    districts_total: int
    months_due: int = 1  # months of the period that have ended
    months_total: int = 1  # months the period has
    districts_complete: int = 0  # districts that reported every month due

    @property
    def complete(self) -> bool:
        return self.districts_complete >= self.districts_total and not self.running

    @property
    def running(self) -> bool:
        return self.months_due < self.months_total

    @property
    def coverage_label(self) -> str:
        """«۲ از ۳ ماه» for a running period, else empty."""
        return figures.months_label(self.months_due, self.months_total) if self.running else ""


def city_figure(rows: pd.DataFrame, metric: Metric) -> float | None:
    """The city figure from per-district rows (total, months) of one metric.

    Counts add up over districts and months; rates and averages are the mean of every
    reported monthly figure. No rows means not reported: None, never zero.
    """
    if rows.empty:
        return None
    return float(figures.value_of(rows["total"].sum(), rows["months"].sum(), metric.aggregation))


def build_cards(
    catalog: dict[str, Metric],
    current: pd.DataFrame,
    monthly: pd.DataFrame,
    period: Period,
    districts_total: int = 22,
    today: dt.date | None = None,
) -> list[Card]:
    """One card a catalog metric: ``current`` is ``store.metric_district_values`` over ``period``,
    ``monthly`` is ``store.district_month_values`` over ``figures.comparison_span(period)``; the
    changes are the city's like for like (``figures.city_changes``)."""
    due = figures.months_due(period, today)
    changes = {
        name: dict(zip(c["metric"], c["change"], strict=True))
        for name, c in (
            ("previous", figures.city_changes(monthly, catalog, period, period.previous())),
            ("year", figures.city_changes(monthly, catalog, period, period.year_before())),
        )
    }
    cards = []
    for code, metric in catalog.items():
        now = current[current["metric"] == code]
        cards.append(
            Card(
                metric=metric,
                value=city_figure(now, metric),
                change_previous=_number(changes["previous"].get(code)),
                change_last_year=_number(changes["year"].get(code)),
                districts_reported=int(now["district"].nunique()),
                districts_total=districts_total,
                months_due=due,
                months_total=period.month_count,
                districts_complete=int(figures.is_complete(now["months"], due).sum()) if len(now) else 0,
            )
        )
    return cards


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def is_good_change(metric: Metric, change: float | None) -> bool | None:
    """Whether a change is good news for this metric (None when neutral or unknown)."""
    if change is None or metric.higher_is_better is None or change == 0:
        return None
    return (change > 0) == metric.higher_is_better


def change_tone(metric: Metric, change: float, decimals: int = 1) -> tuple[str, str]:
    """(tone, arrow) for a relative change as it is shown, in percent with ``decimals``.

    The arrow follows the sign ("up", "down", or "" for a change that rounds to zero); the tone
    follows its meaning: "good" or "bad" by the metric's direction, "neutral" for a neutral
    metric, "flat" for no change. A 0.0% change is never shown as a rise.
    """
    if round(abs(change) * 100, decimals) == 0:
        return "flat", ""
    arrow = "up" if change > 0 else "down"
    good = is_good_change(metric, change)
    if good is None:
        return "neutral", arrow
    return ("good" if good else "bad"), arrow


def district_tiles(reference: pd.DataFrame, values: pd.DataFrame, metric: Metric) -> pd.DataFrame:
    """Every district with its tile position and its figure for ``metric`` over the period
    (sum of months for counts, mean for rates); NaN where the district did not report."""
    rows = values[values["metric"] == metric.code].copy()
    rows["value"] = figures.value_of(rows["total"], rows["months"], metric.aggregation)
    tiles = reference[["district", "name_fa", "tile_row", "tile_col", "population", "area_km2"]].merge(
        rows[["district", "value", "months"]], on="district", how="left"
    )
    return tiles


def reporting_status(reference: pd.DataFrame, values: pd.DataFrame, expected: int) -> pd.DataFrame:
    """The one rule for «گزارش نشده» on a page: per district, how many of the ``expected`` metrics it
    reported for the period (``values`` from ``metric_district_values``).

    Returns district, name_fa, reported (metrics with a value), state: "complete", "partial"
    (some metrics missing) or "missing" (nothing at all), ordered by district.
    """
    counts = values.groupby("district")["metric"].nunique() if len(values) else pd.Series(dtype=int)
    out = reference[["district", "name_fa"]].copy()
    out["reported"] = out["district"].map(counts).fillna(0).astype(int)
    out["state"] = "partial"
    out.loc[out["reported"] >= expected, "state"] = "complete"
    out.loc[out["reported"] == 0, "state"] = "missing"
    return out.sort_values("district").reset_index(drop=True)
