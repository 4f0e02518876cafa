"""Alerts: anomalies, movers and targets, and the overview's «needs attention» list.

Pure functions over the store's frames (no SQL, no screen); the period and every rule are
parameters. One read feeds them all: ``store.district_month_values(engine, *alert_span(period))``
(every observation from the same period a year earlier to the period's end), beside
``store.targets(engine, period.start, period.end)`` and ``overview.reporting_status``.

The rules, in one place:

- **anomaly**: a district's value for a month against the same district's previous 12 months,
  by the robust z-score ``0.6745·(x − median)/MAD`` (MAD: the median absolute deviation from
  the median); beyond ``anomaly_z`` (3.5) it is an anomaly. A history of fewer than
  ``min_history`` (6) reported months is left alone. When the MAD is zero (more than half the
  months share one value) the mean absolute deviation takes its place,
  ``(x − median)/(1.2533·MeanAD)``, as Iglewicz and Hoaglin suggest; when that is zero too
  (every month the same value) the value is an anomaly only if it differs from that value by
  more than ``flat_tolerance`` (5%) of it, or at all when the value was always zero.
- **mover**: a district's figure against the period before and the same period a year earlier,
  like for like: only months reported in both are compared, month by month in order (the first
  month of a season with the first month of the other), so a district that did not report
  either period is no mover and a missing month is never a zero. Counts compared against fewer
  than ``min_base`` (10) are left out: a percentage of a handful means nothing.
- **target**: attainment is value / target (target / value for a lower-is-better metric);
  green at ``green`` (100%) or more, amber at ``amber`` (90%) or more, red below. A district
  target whose district did not report is «گزارش نشده», not red; a city-wide target is compared
  with the city figure (sum of districts for counts, mean for rates), a count only over months
  every district reported, so a late district cannot make the city miss. A target for a neutral
  metric shows its attainment with no light. A target over several months (a season, a year)
  is compared over the months that have both a target and a figure.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from monitoring import figures
from monitoring.calendar import (
    Period,
    add_months,
    format_number,
    format_percent_change,
    jalali_month_of,
    month_start,
    to_persian_digits,
)
from monitoring.config import Settings
from monitoring.metrics import Metric

CITY = 0  # the district number of the whole city in ``targets``
CITY_NAME = "کل شهر"
NOT_REPORTED = "گزارش نشده"

MOVER_MIN_BASE = 20.0  # DASHBOARD_MOVER_MIN_BASE: a count's base must be at least this
MOVER_MIN_CHANGE = 0.25  # DASHBOARD_MOVER_MIN_CHANGE (in percent, 25): the smallest change listed
MAD_SCALE = 0.6745  # Φ⁻¹(0.75): makes the MAD comparable with a standard deviation
MEAN_AD_SCALE = 1.253314  # √(π/2): the same for the mean absolute deviation
HISTORY_MONTHS = 12

KINDS: tuple[str, ...] = ("missing_report", "missed_target", "anomaly", "mover")
KIND_LABELS: dict[str, str] = {
    "missing_report": "گزارش نرسیده",
    "missed_target": "هدف محقق نشده",
    "anomaly": "مقدار غیرعادی",
    "mover": "تغییر بزرگ",
}


@dataclass(frozen=True)
class AlertRules:
    """The thresholds of every alert; ``from_settings`` reads them from the environment's settings."""

    anomaly_z: float = 3.5
    min_history: int = 6
    flat_tolerance: float = 0.05
    min_base: float = 20.0  # a count's base below this is too small for a percentage (movers)
    min_change: float = 0.25  # a relative change below this is not a mover
    green: float = 1.0
    amber: float = 0.9

    @classmethod
    def from_settings(cls, settings: Settings) -> AlertRules:
        return cls(
            anomaly_z=settings.anomaly_z,
            min_history=settings.anomaly_min_months,
            min_base=settings.mover_min_base,
            min_change=settings.mover_min_change,
            green=settings.target_green,
            amber=settings.target_amber,
        )


def alert_span(period: Period) -> tuple[dt.date, dt.date]:
    """The months every alert of ``period`` needs, as (start, end) for ``store.district_month_values``:
    from the same period a year earlier (which holds the period before and, for each month, its
    previous 12 months) to the period's end."""
    return period.year_before().start, period.end


def district_name(district: int, names: dict[int, str] | None = None) -> str:
    if district == CITY:
        return CITY_NAME
    if names and district in names:
        return names[district]
    return f"منطقه {to_persian_digits(district)}"


def _as_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its period column as ``datetime.date`` (the store's), whatever it came as."""
    if frame.empty or all(type(p) is dt.date for p in frame["period"].head(1)):
        return frame
    mapping = {p: pd.Timestamp(p).date() for p in pd.unique(frame["period"])}
    return frame.assign(period=frame["period"].map(mapping))


def _month_code(day: dt.date) -> str:
    return Period.month(*jalali_month_of(day)).code


def _tone(metric: Metric, change: float) -> str:
    """ "good" or "bad" news by the metric's direction; "neutral" for a neutral metric or no change."""
    if metric.higher_is_better is None or change == 0 or np.isnan(change):  # ±inf: a broken flat history
        return "neutral"
    return "good" if (change > 0) == metric.higher_is_better else "bad"


# ---------------------------------------------------------------- anomalies

ANOMALY_COLUMNS = [
    "metric",
    "district",
    "period",
    "month",
    "value",
    "median",
    "mad",
    "history",
    "z",
    "method",
    "direction",
    "tone",
    "score",
]


def anomalies(
    values: pd.DataFrame,
    catalog: dict[str, Metric],
    period: Period,
    *,
    anomaly_z: float = 3.5,
    min_history: int = 6,
    flat_tolerance: float = 0.05,
) -> pd.DataFrame:
    """Every anomalous district-month of ``period`` (each of its months against its own previous
    12), most unusual first.

    ``values``: metric, district, period (Gregorian first day of the month), value, holding at least
    the 12 months before the period (see ``alert_span``). Returns one row an anomaly: metric,
    district, period (the month's code), month (its first day), value, median and mad of the
    history, history (months reported), z (the robust z-score; ±inf for a flat history), method
    ("mad", "mean_ad" or "flat"), direction ("up", "down"), tone ("good", "bad", "neutral" by the
    metric's direction) and score (|z|, for ordering).
    """
    rows = _as_dates(values[values["metric"].isin(catalog)])
    if rows.empty:
        return pd.DataFrame({c: [] for c in ANOMALY_COLUMNS})
    first = add_months(*period.months[0], -HISTORY_MONTHS)
    months = [month_start(*add_months(*first, i)) for i in range(HISTORY_MONTHS + period.month_count)]
    table = rows.pivot_table(index=["metric", "district"], columns="period", values="value", aggfunc="last")
    grid = table.reindex(columns=months).to_numpy(dtype="float64")
    keys = table.index.to_frame(index=False)
    found = []
    for j in range(HISTORY_MONTHS, len(months)):
        x = grid[:, j]
        history = grid[:, j - HISTORY_MONTHS : j]
        count = np.sum(~np.isnan(history), axis=1)
        judged = ~np.isnan(x) & (count >= min_history)
        if not judged.any():
            continue
        x, history, count = x[judged], history[judged], count[judged]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            median = np.nanmedian(history, axis=1)
            spread = np.abs(history - median[:, None])
            mad = np.nanmedian(spread, axis=1)
            mean_ad = np.nanmean(spread, axis=1)
        gap = x - median
        z = np.full(len(x), np.nan)
        method = np.where(mad > 0, "mad", np.where(mean_ad > 0, "mean_ad", "flat"))
        use_mad, use_mean = mad > 0, (mad == 0) & (mean_ad > 0)
        z[use_mad] = MAD_SCALE * gap[use_mad] / mad[use_mad]
        z[use_mean] = gap[use_mean] / (MEAN_AD_SCALE * mean_ad[use_mean])
        flat = method == "flat"
        flat_out = np.abs(gap) > flat_tolerance * np.abs(median) + 1e-9
        z[flat] = np.where(flat_out[flat], np.sign(gap[flat]) * np.inf, 0.0)
        hit = np.abs(z) > anomaly_z
        if not hit.any():
            continue
        part = keys[judged].reset_index(drop=True)[hit]
        part = part.assign(
            period=_month_code(months[j]),
            month=months[j],
            value=x[hit],
            median=median[hit],
            mad=mad[hit],
            history=count[hit].astype(int),
            z=z[hit],
            method=method[hit],
        )
        found.append(part)
    if not found:
        return pd.DataFrame({c: [] for c in ANOMALY_COLUMNS})
    out = pd.concat(found, ignore_index=True)
    out["direction"] = np.where(out["z"] > 0, "up", "down")
    out["tone"] = [_tone(catalog[m], z) for m, z in zip(out["metric"], out["z"], strict=True)]
    # a broken flat history scores infinity; among those, the biggest relative gap first
    out["score"] = out["z"].abs()
    relative = (out["value"] - out["median"]).abs() / out["median"].abs().replace(0, np.nan)
    out = out.assign(_rel=relative.fillna(np.inf)).sort_values(
        ["score", "_rel", "metric", "district"], ascending=[False, False, True, True], kind="stable"
    )
    return out.drop(columns="_rel")[ANOMALY_COLUMNS].reset_index(drop=True)


# ---------------------------------------------------------------- movers

MOVER_COLUMNS = [
    "metric",
    "district",
    "against",
    "period",
    "compared",
    "value",
    "base",
    "change",
    "delta",
    "months",
    "direction",
    "tone",
    "score",
]


def _compared(period: Period, against: str) -> Period:
    if against == "previous":
        return period.previous()
    if against == "year":
        return period.year_before()
    raise ValueError(f"against must be 'previous' or 'year', not {against!r}")


def movers(
    values: pd.DataFrame,
    catalog: dict[str, Metric],
    period: Period,
    *,
    against: tuple[str, ...] = ("previous", "year"),
    min_base: float = MOVER_MIN_BASE,
    min_change: float = MOVER_MIN_CHANGE,
) -> pd.DataFrame:
    """Every district's big change on every metric against the period before and the same period a
    year earlier, biggest relative change first, rises and falls alike.

    ``values``: metric, district, period (Gregorian first day of the month), value, covering
    ``alert_span(period)``. The change is ``figures.district_changes``: only months reported in both
    periods count (like for like), the sum of those months for a count, their mean for a rate. A
    change is listed only when it is big enough to matter: at least ``min_change`` (relative, 25% by
    default) from a base that is not zero and, for a count, at least ``min_base`` (20). Returns
    metric, district, against ("previous" or "year"), period and compared (codes), value, base, change
    (relative), delta, months compared, direction ("up", "down"), tone ("good", "bad", "neutral") and
    score (|change|).
    """
    values = _as_dates(values[values["metric"].isin(catalog)])
    frames = []
    seen: set[Period] = set()
    for which in against:
        other = _compared(period, which)
        if other in seen:  # a year's period before is the year before: one comparison, not two
            continue
        seen.add(other)
        out = figures.district_changes(values, catalog, period, other)
        if out.empty:
            continue
        mean = out["metric"].map(lambda code: catalog[code].aggregation == "mean").to_numpy(dtype=bool)
        keep = (
            out["change"].notna()
            & (out["change"].abs() >= min_change - 1e-12)
            & (mean | (out["base"].abs() >= min_base))
        )
        out = out[keep].copy()
        out["against"], out["period"], out["compared"] = which, period.code, other.code
        frames.append(out)
    if not frames:
        return pd.DataFrame({c: [] for c in MOVER_COLUMNS})
    out = pd.concat(frames, ignore_index=True)
    out["delta"] = out["value"] - out["base"]
    out["direction"] = np.select([out["delta"] > 0, out["delta"] < 0], ["up", "down"], "flat")
    out["tone"] = [_tone(catalog[m], c) for m, c in zip(out["metric"], out["change"], strict=True)]
    out["score"] = out["change"].abs()
    out["months"] = out["months"].astype(int)
    out = out.sort_values(["score", "metric", "district", "against"], ascending=[False, True, True, True])
    return out[MOVER_COLUMNS].reset_index(drop=True)


# ---------------------------------------------------------------- targets

TARGET_COLUMNS = [
    "metric",
    "district",
    "target",
    "value",
    "attainment",
    "light",
    "months",
    "months_compared",
    "score",
]


def city_month_figures(values: pd.DataFrame, catalog: dict[str, Metric], districts_total: int = 22) -> pd.DataFrame:
    """The city figure month by month, per metric: metric, period, value, districts reported.

    A count is the sum over districts, kept only for months every district reported (a late
    district would make the city look short); a rate is the mean over the districts that reported.
    """
    rows = values[values["metric"].isin(catalog)]
    if rows.empty:
        return pd.DataFrame({"metric": [], "period": [], "value": [], "districts": []})
    grouped = rows.groupby(["metric", "period"], sort=True)["value"].agg(["sum", "count"]).reset_index()
    mean = grouped["metric"].map(lambda code: catalog[code].aggregation == "mean").to_numpy(dtype=bool)
    grouped["value"] = figures.values_of(grouped.rename(columns={"sum": "total", "count": "months"}), catalog)
    grouped = grouped[mean | (grouped["count"] >= districts_total)]
    return grouped.rename(columns={"count": "districts"})[["metric", "period", "value", "districts"]]


def light_of(metric: Metric, value: float, target: float, green: float = 1.0, amber: float = 0.9) -> tuple[float, str]:
    """(attainment, light) of one figure against its target, direction-aware.

    Attainment is value / target, or target / value for a lower-is-better metric (NaN where that
    would divide by zero or a negative: then the light is green when the target is met, red when
    not). A neutral metric's light is "neutral".
    """
    lower = metric.direction == "lower"
    numerator, denominator = (target, value) if lower else (value, target)
    attainment = numerator / denominator if denominator > 0 and numerator >= 0 else float("nan")
    if metric.direction == "neutral":
        return attainment, "neutral"
    if np.isnan(attainment):
        met = value <= target if lower else value >= target
        return attainment, "green" if met else "red"
    if attainment >= green:
        return attainment, "green"
    return attainment, "amber" if attainment >= amber else "red"


def target_attainment(
    targets: pd.DataFrame,
    values: pd.DataFrame,
    catalog: dict[str, Metric],
    *,
    districts_total: int = 22,
    green: float = 1.0,
    amber: float = 0.9,
) -> pd.DataFrame:
    """Each target of a period with the figure it is held against, its attainment and its light.

    ``targets``: metric, district (0 = the whole city), period, value, for the months of the chosen
    period (``store.targets``); ``values``: the observations of those months (more months do no harm).
    Returns one row a (metric, district): target and value (sum or mean over the months compared),
    attainment, light ("green", "amber", "red", "not_reported", "neutral"), months targeted,
    months_compared, and score (how far short: 1 − attainment, for ordering). A district, or the
    city, with no figure for any targeted month is "not_reported" with no value, never red.
    """
    wanted = _as_dates(targets[targets["metric"].isin(catalog)])
    if wanted.empty:
        return pd.DataFrame({c: [] for c in TARGET_COLUMNS})
    rows = _as_dates(values[values["metric"].isin(catalog)][["metric", "district", "period", "value"]])
    city = city_month_figures(rows, catalog, districts_total).assign(district=CITY)
    figures = pd.concat([rows, city[["metric", "district", "period", "value"]]], ignore_index=True)
    both = wanted.rename(columns={"value": "target"}).merge(figures, on=["metric", "district", "period"], how="left")
    out = []
    for (code, district), group in both.groupby(["metric", "district"], sort=True):
        metric = catalog[code]
        compared = group[group["value"].notna()]
        item = {"metric": code, "district": int(district), "months": len(group), "months_compared": len(compared)}
        if compared.empty:
            item.update(target=_combine(group["target"], metric), value=np.nan, attainment=np.nan)
            item["light"] = "not_reported"
        else:
            target, value = _combine(compared["target"], metric), _combine(compared["value"], metric)
            attainment, light = light_of(metric, value, target, green, amber)
            item.update(target=target, value=value, attainment=attainment, light=light)
        out.append(item)
    frame = pd.DataFrame(out)
    frame["score"] = np.where(frame["light"].isin(["red", "amber"]), 1 - frame["attainment"].fillna(0.0), 0.0)
    return frame[TARGET_COLUMNS]


def _combine(series: pd.Series, metric: Metric) -> float:
    return float(figures.value_of(series.sum(), series.count(), metric.aggregation))


# ---------------------------------------------------------------- the attention list

ATTENTION_COLUMNS = ["kind", "district", "metric", "period", "text", "severity", "tone", "score"]


@dataclass(frozen=True)
class Attention:
    """The lines of the «needs attention» panel and how many of each kind there were in all.

    ``items``: kind (one of KINDS), district (0 for the city), metric (None for a missing
    report), period (code), text (one Persian sentence), severity (3 high, 2 medium, 1 low),
    tone ("bad", "good", "neutral") and score (orders a kind); the screen
    makes the link from the district, metric and period (``ui.links.attention_href``).
    ``totals``: kind -> how many lines there were before keeping the top ones.
    """

    items: pd.DataFrame
    totals: dict[str, int]

    def more(self, kind: str) -> int:
        """How many lines of ``kind`` were left out."""
        return self.totals.get(kind, 0) - int((self.items["kind"] == kind).sum())


def _fig(value: float, metric: Metric) -> str:
    return format_number(value, metric.decimals)


def missing_report_items(
    status: pd.DataFrame, period: Period, expected: int, names: dict[int, str] | None = None
) -> list[dict]:
    """Lines for districts that sent nothing (severity 3) or only part (severity 2) for the period.

    ``status``: ``overview.reporting_status`` (district, reported, state); a ``days_overdue``
    column, when present, is told in the sentence and orders the lines.
    """
    items = []
    for row in status[status["state"].isin(["missing", "partial"])].itertuples(index=False):
        district = int(row.district)
        name = district_name(district, names)
        days = getattr(row, "days_overdue", None)
        days = int(days) if days is not None and pd.notna(days) else 0
        late = f"؛ {to_persian_digits(days)} روز از موعد گذشته" if days > 0 else ""
        if row.state == "missing":
            text = f"{name} گزارش {period.label} را نفرستاده است{late}"
            severity, score = 3, 1000.0 + days
        else:
            text = (
                f"{name} گزارش {period.label} را ناقص فرستاده است: "
                f"{to_persian_digits(int(row.reported))} از {to_persian_digits(expected)} شاخص{late}"
            )
            severity, score = 2, float(days) + (expected - int(row.reported)) / max(expected, 1)
        items.append(
            {
                "kind": "missing_report",
                "district": district,
                "metric": None,
                "period": period.code,
                "text": text,
                "severity": severity,
                "tone": "bad",
                "score": score,
            }
        )
    return items


def target_items(
    attained: pd.DataFrame, catalog: dict[str, Metric], period: Period, names: dict[int, str] | None = None
) -> list[dict]:
    """Lines for targets missed (red: severity 3, amber: 2), from ``target_attainment``."""
    items = []
    for row in attained[attained["light"].isin(["red", "amber"])].itertuples(index=False):
        metric = catalog[row.metric]
        share = "—" if pd.isna(row.attainment) else format_number(row.attainment * 100, 0) + "٪"
        text = (
            f"«{metric.name_fa}» در {district_name(row.district, names)}، {period.label}: {_fig(row.value, metric)} "
            f"در برابر هدف {_fig(row.target, metric)} ({share} تحقق)"
        )
        if row.months_compared < row.months:
            text += f"، در {to_persian_digits(row.months_compared)} ماه گزارش‌شده"
        items.append(
            {
                "kind": "missed_target",
                "district": int(row.district),
                "metric": row.metric,
                "period": period.code,
                "text": text,
                "severity": 3 if row.light == "red" else 2,
                "tone": "bad",
                "score": float(row.score),
            }
        )
    return items


_JUDGEMENT = {"good": "؛ بهتر از معمول", "bad": "؛ بدتر از معمول", "neutral": ""}


def anomaly_items(found: pd.DataFrame, catalog: dict[str, Metric], names: dict[int, str] | None = None) -> list[dict]:
    """Lines for anomalies (bad news: severity 3, neutral 2, good 1), from ``anomalies``."""
    items = []
    for row in found.itertuples(index=False):
        metric = catalog[row.metric]
        month = Period.parse(row.period)
        side = "بیشتر" if row.direction == "up" else "کمتر"
        if row.method == "flat":
            usual = f"که در {to_persian_digits(row.history)} ماه پیش از آن همواره {_fig(row.median, metric)} بود"
        else:
            usual = f"بسیار {side} از معمول {to_persian_digits(row.history)} ماه پیش از آن (میانه {_fig(row.median, metric)})"
        text = (
            f"«{metric.name_fa}» در {district_name(row.district, names)}، {month.label}: "
            f"{_fig(row.value, metric)}، {usual}{_JUDGEMENT[row.tone]}"
        )
        items.append(
            {
                "kind": "anomaly",
                "district": int(row.district),
                "metric": row.metric,
                "period": row.period,
                "text": text,
                "severity": {"bad": 3, "neutral": 2, "good": 1}[row.tone],
                "tone": row.tone,
                "score": float(row.score),
            }
        )
    return items


_VERDICT = {"good": "؛ بهتر شد", "bad": "؛ بدتر شد", "neutral": ""}


def mover_items(moved: pd.DataFrame, catalog: dict[str, Metric], names: dict[int, str] | None = None) -> list[dict]:
    """Lines for movers (bad news: severity 2, else 1), from ``movers``; one line a metric and
    district, the bigger of its two changes."""
    items = []
    seen: set[tuple[str, int]] = set()
    for row in moved[moved["direction"] != "flat"].itertuples(index=False):
        if (row.metric, row.district) in seen:
            continue
        seen.add((row.metric, row.district))
        metric = catalog[row.metric]
        period, compared = Period.parse(row.period), Period.parse(row.compared)
        text = (
            f"«{metric.name_fa}» در {district_name(row.district, names)} از {_fig(row.base, metric)} در "
            f"{compared.label} به {_fig(row.value, metric)} در {period.label} رسید "
            f"({format_percent_change(row.change)}){_VERDICT[row.tone]}"
        )
        items.append(
            {
                "kind": "mover",
                "district": int(row.district),
                "metric": row.metric,
                "period": row.period,
                "text": text,
                "severity": 2 if row.tone == "bad" else 1,
                "tone": row.tone,
                "score": float(row.score),
            }
        )
    return items


def attention(
    period: Period,
    catalog: dict[str, Metric],
    values: pd.DataFrame,
    targets: pd.DataFrame | None = None,
    status: pd.DataFrame | None = None,
    *,
    names: dict[int, str] | None = None,
    districts_total: int = 22,
    rules: AlertRules | None = None,
    top: int | None = 5,
    district: int | None = None,
) -> Attention:
    """The «needs attention» list of ``period``: missing reports, missed targets, anomalies and
    movers, each kind ordered by how much it matters (``score``), the ``top`` of each kept
    (None keeps all).

    ``values``: ``store.district_month_values(engine, *alert_span(period))``; ``targets``:
    ``store.targets(engine, period.start, period.end)``; ``status``: ``overview.reporting_status``
    for the period (with ``days_overdue`` when known); ``names``: district -> Persian name.
    ``district`` keeps only that district's lines (the district page's own alerts).
    """
    rules = rules or AlertRules()
    items: list[dict] = []
    if status is not None:
        items += missing_report_items(status, period, len(catalog), names)
    values = _as_dates(values)
    in_period = values[(values["period"] >= period.start) & (values["period"] < period.end)]
    if targets is not None and len(targets):
        attained = target_attainment(
            targets, in_period, catalog, districts_total=districts_total, green=rules.green, amber=rules.amber
        )
        items += target_items(attained, catalog, period, names)
    found = anomalies(
        values,
        catalog,
        period,
        anomaly_z=rules.anomaly_z,
        min_history=rules.min_history,
        flat_tolerance=rules.flat_tolerance,
    )
    items += anomaly_items(found, catalog, names)
    moved = movers(values, catalog, period, min_base=rules.min_base, min_change=rules.min_change)
    items += mover_items(moved, catalog, names)
    frame = pd.DataFrame(items, columns=ATTENTION_COLUMNS)
    if district is not None:
        frame = frame[frame["district"] == district]
    return _attention_of(frame, top)


def for_district(found: Attention, district: int, top: int | None = None) -> Attention:
    """Only ``district``'s lines of ``found``, an ``attention`` of the whole city kept whole
    (``top=None``): what ``attention(..., district=district)`` gives, without working the city's
    anomalies and movers out again for each district."""
    items = found.items
    return _attention_of(items[items["district"].to_numpy() == district], top)


def with_missing_reports(
    found: Attention,
    status: pd.DataFrame,
    period: Period,
    expected: int,
    names: dict[int, str] | None = None,
    top: int | None = None,
) -> Attention:
    """``found`` (an ``attention`` worked out without ``status`` and kept whole, ``top=None``) with the
    missing-report lines of ``status`` added: what ``attention(..., status=status)`` gives."""
    missing = missing_report_items(status, period, expected, names)
    frame = found.items
    if missing:  # built as attention builds its lines, so the columns come out as its do
        frame = pd.DataFrame([*missing, *frame.to_dict("records")], columns=ATTENTION_COLUMNS)
    return _attention_of(frame, top)


def _attention_of(frame: pd.DataFrame, top: int | None) -> Attention:
    """The lines in their order, the ``top`` of each kind kept, with how many of each there were."""
    frame = frame.astype({"district": "int64", "severity": "int64", "score": "float64"})
    kinds = frame["kind"].to_numpy(dtype=object)
    totals = {kind: int((kinds == kind).sum()) for kind in KINDS}
    return Attention(items=_order(frame, top), totals=totals)


def _order(frame: pd.DataFrame, top: int | None) -> pd.DataFrame:
    """Kinds in KINDS order; within a kind the gravest first (severity, then score). Movers are
    ordered by size alone (the biggest relative change first, rise or fall)."""
    order = {kind: i for i, kind in enumerate(KINDS)}
    mover = (frame["kind"] == "mover").to_numpy()
    frame = frame.assign(_kind=frame["kind"].map(order), _severity=np.where(mover, 0, frame["severity"]))
    frame = frame.sort_values(
        ["_kind", "_severity", "score", "district", "metric"], ascending=[True, False, False, True, True], kind="stable"
    )
    if top is not None:
        frame = frame.groupby("_kind", sort=True).head(top)
    return frame.drop(columns=["_kind", "_severity"]).reset_index(drop=True)
