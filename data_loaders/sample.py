"""Deterministic demo observations for all 22 districts and every default metric.

The districts and metrics come from the store when one is at hand (``load_sample``), else from
the seed files in ``sample_data/`` (the demo files are written without a store).

From Farvardin 1401 through the last complete Jalali month before today: counts that grow
with population, a Nowruz dip in Farvardin and a year-end push in Esfand, slow trends, noise,
and realistic gaps (a few districts late for the latest month, the odd metric missing).
Each month draws from its own seed, so a month's figures never change as months are added.

``history`` says when each report reached the centre: one batch a Jalali month for the districts
that sent on time (a few days before the due day), and one for each district that sent late (some
days after it); the districts late for the latest month have sent nothing yet, and one of them has
not sent the month before either. ``load_sample`` stores that history, so the reporting page has
a realistic record. Deterministic for a given ``today``.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from data_loaders import sample_reviews
from monitoring import calendar, compliance, districts, metrics, store

FIRST_MONTH = (1401, 1)

# per 10,000 residents per month, for counts; (low, high) of the district level for means
_COUNT_RATES = {
    "reports_submitted": 0.8,
    "news_published": 1.6,
    "media_coverage": 0.6,
    "social_posts": 3.2,
    "public_meetings": 0.5,
    "meeting_requests": 0.9,
    "street_naming_cases": 0.05,
    "training_hours": 1.2,
    "events_held": 0.12,
    "creative_actions": 0.06,
    "citizen_polls": 0.035,
    "requests_137": 38.0,
}
_MEAN_LEVELS = {
    "meeting_requests_resolved_pct": (68.0, 93.0),
    "citizen_satisfaction": (12.0, 17.0),
    "requests_137_resolved_pct": (74.0, 96.0),
    "response_time_137_hours": (18.0, 70.0),
}
_LIMITS = {
    "meeting_requests_resolved_pct": (0.0, 100.0),
    "requests_137_resolved_pct": (0.0, 100.0),
    "citizen_satisfaction": (0.0, 20.0),
    "response_time_137_hours": (1.0, 240.0),
}
# month of the Jalali year -> activity factor (Nowruz in Farvardin, year-end push in Esfand)
_SEASONALITY = np.array([0.55, 0.95, 1.0, 1.0, 0.95, 0.9, 1.05, 1.08, 1.05, 1.0, 1.05, 1.15])
_LATE_DISTRICTS_LATEST = 3


def _district_effects(codes: list[str], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Fixed per-district character: an activity multiplier and a trend per year, per metric."""
    rng = np.random.default_rng(1401)
    effect = rng.lognormal(mean=0.0, sigma=0.25, size=(len(codes), n))
    trend = rng.normal(loc=0.06, scale=0.05, size=(len(codes), n))
    return effect, trend


def generate(
    today: dt.date | None = None,
    *,
    catalog: dict[str, metrics.Metric] | None = None,
    reference: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Rows (district, metric, period, value) from Farvardin 1401 to the last complete month.

    ``catalog`` and ``reference`` (district, population...) default to the seed files; a metric
    the generator has no figures for (one added to the store) gets no sample data.
    """
    ref = districts.reference() if reference is None else reference
    numbers = ref["district"].to_numpy()
    population = ref["population"].to_numpy(dtype=float)
    known = metrics.catalog() if catalog is None else catalog
    codes = [code for code in known if code in _COUNT_RATES or code in _MEAN_LEVELS]
    effect, trend = _district_effects(codes, len(numbers))
    last = calendar.last_complete_month(today)
    months = calendar.months_between(FIRST_MONTH, last)
    frames = []
    for t, (year, month) in enumerate(months):
        rng = np.random.default_rng([year, month])
        years_in = t / 12.0
        season = _SEASONALITY[month - 1]
        start = calendar.month_start(year, month)
        for k, code in enumerate(codes):
            growth = 1.0 + trend[k] * years_in
            if code in _COUNT_RATES:
                expected = population / 10_000 * _COUNT_RATES[code] * effect[k] * season * growth
                values = rng.poisson(np.maximum(expected, 0.05)).astype(float)
            else:
                low, high = _MEAN_LEVELS[code]
                level = low + (high - low) * np.clip((effect[k] - 0.6) / 0.9, 0.0, 1.0)
                drift = (1.0 + 0.02 * years_in) if code != "response_time_137_hours" else (1.0 - 0.04 * years_in)
                wobble = 1.0 + (0.06 if code == "response_time_137_hours" else 0.02) * (season - 1.0)
                values = level * drift * wobble * rng.normal(1.0, 0.03, size=len(numbers))
                lo, hi = _LIMITS[code]
                values = np.round(np.clip(values, lo, hi), 1 if code != "citizen_satisfaction" else 2)
            keep = rng.random(len(numbers)) > 0.004  # the odd missing figure
            frames.append(
                pd.DataFrame({"district": numbers[keep], "metric": code, "period": start, "value": values[keep]})
            )
    df = pd.concat(frames, ignore_index=True)
    # a few districts have not sent the latest month yet
    late = _late_for_latest(numbers, last)
    latest = calendar.month_start(*last)
    df = df[~((df["period"] == latest) & df["district"].isin(late))]
    return df.reset_index(drop=True)


def _late_for_latest(numbers: np.ndarray, last: tuple[int, int]) -> np.ndarray:
    """The districts that have not sent the latest month yet (the first of them is chronically late)."""
    return np.random.default_rng(list(last)).choice(numbers, size=_LATE_DISTRICTS_LATEST, replace=False)


def _moment(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=calendar.TEHRAN)


def history(rows: pd.DataFrame, today: dt.date | None = None) -> list[tuple[pd.DataFrame, dt.datetime, str]]:
    """When each of ``rows`` (from ``generate(today)``) reached the centre: (rows, load time, batch name),
    in load order. A month's on-time districts come in one batch 0–3 days before the due day, each
    late district (one to three a month) in a batch of its own 1–15 days after it. The chronically
    late district has not sent the month before the latest either: its rows for it are left out.
    No load time lies after now (noon in Tehran on ``today``, when given); one that would is now."""
    now = _moment(today, 12, 0) if today else dt.datetime.now(dt.UTC)
    numbers = np.sort(rows["district"].unique())
    last = calendar.jalali_month_of(max(rows["period"]))
    chronic = _late_for_latest(numbers, last)[0]
    held_back = calendar.month_start(*calendar.add_months(*last, -1))
    rows = rows[~((rows["period"] == held_back) & (rows["district"] == chronic))]
    planned = []
    for start, month_rows in rows.groupby("period", sort=True):
        year, month = calendar.jalali_month_of(start)
        due = compliance.due_date(year, month)
        label = calendar.month_label(year, month)
        rng = np.random.default_rng([year, month, 7])  # its own seed: the figures' draws are untouched
        late = rng.choice(numbers, size=int(rng.integers(1, 4)), replace=False)
        days_late = rng.integers(1, 16, size=len(late))
        on_time_at = _moment(due - dt.timedelta(days=int(rng.integers(0, 4))), int(rng.integers(9, 16)), 0)
        on_time = month_rows[~month_rows["district"].isin(late)]
        planned.append((on_time, on_time_at, f"داده‌های نمونه، {label}"))
        for district, days in zip(late, days_late, strict=True):
            part = month_rows[month_rows["district"] == district]
            if len(part):
                at = _moment(due + dt.timedelta(days=int(days)), int(rng.integers(9, 18)), 30)
                name = f"داده‌های نمونه، {label}، منطقه {calendar.to_persian_digits(district)}"
                planned.append((part, at, name))
    planned = [(part, min(at, now), name) for part, at, name in planned if len(part)]
    return sorted(planned, key=lambda p: p[1])


TARGETS_SOURCE_NAME = "اهداف نمونه"
# metric -> the yearly change a target asks for, against the same month a year earlier
_TARGET_CHANGE = {
    "reports_submitted": 0.1,
    "requests_137_resolved_pct": 0.04,
    "citizen_satisfaction": 0.04,
    "response_time_137_hours": -0.08,
}
_TARGET_DISTRICTS = (3, 7, 12, 18)  # beside the whole city (0)


def generate_targets(rows: pd.DataFrame, catalog: dict[str, metrics.Metric] | None = None) -> pd.DataFrame:
    """Targets (district, metric, period, value; district 0 = the whole city) for the last 12 months
    of ``rows`` (from ``generate``): for a few metrics, the whole city and a few districts, the same
    month a year earlier moved by a yearly aim (more reports, a shorter response time), a little
    stiffer for some districts than others, so the demo has targets met, nearly met and missed.
    """
    known = metrics.catalog() if catalog is None else catalog
    codes = [code for code in _TARGET_CHANGE if code in known]
    last = calendar.jalali_month_of(max(rows["period"]))
    out = []
    for back in range(12):
        year, month = calendar.add_months(*last, -back)
        start, before = calendar.month_start(year, month), calendar.month_start(year - 1, month)
        earlier = rows[(rows["period"] == before) & rows["metric"].isin(codes)]
        for code in codes:
            m = known[code]
            part = earlier[earlier["metric"] == code].set_index("district")["value"]
            if part.empty:
                continue
            city = part.mean() if m.aggregation == "mean" else part.sum()
            for district, base in ((0, city), *((d, part.get(d)) for d in _TARGET_DISTRICTS)):
                if base is None or pd.isna(base):
                    continue
                stiffer = 0.25 + 0.5 * ((district * 7 + month) % 5)  # a quarter to twice and a quarter the aim
                value = round(float(base) * (1.0 + _TARGET_CHANGE[code] * stiffer), m.decimals)
                if m.max_value is not None:
                    value = min(value, m.max_value)
                out.append((district, code, start, value))
    return pd.DataFrame(out, columns=["district", "metric", "period", "value"])


def load_sample(
    engine: Engine, today: dt.date | None = None, loaded_by: str = "system", *, reviews: bool = True
) -> int:
    """Generate the demo data for the store's districts and metrics and store its history (``history``),
    one batch a load, in one transaction; returns the last batch's id. The demo's targets
    (``generate_targets``) go first, as a batch of their own set before the months they are for. With
    ``reviews``, the demo's notable actions, meetings and commitments follow (``sample_reviews.seed``),
    so the review pack, the calendar, the attention panel and the public page show the loop."""
    rows = generate(today, catalog=store.metric_catalog(engine), reference=store.reference_districts(engine))
    targets = generate_targets(rows, store.metric_catalog(engine))
    if len(targets):
        set_on = calendar.month_start(*calendar.jalali_month_of(min(targets["period"]))) - dt.timedelta(days=10)
        at = dt.datetime.combine(set_on, dt.time(10, 0), tzinfo=calendar.TEHRAN)
        digest = hashlib.sha256(targets.to_csv(index=False).encode()).hexdigest()
        info = store.BatchInfo(TARGETS_SOURCE_NAME, digest, len(targets), 0, loaded_by, loaded_at=at, kind="sample")
        store.write_targets(engine, targets, info)
    items = []
    for part, at, name in history(rows, today):
        digest = hashlib.sha256(part.to_csv(index=False).encode()).hexdigest()
        items.append((part, store.BatchInfo(name, digest, len(part), 0, loaded_by, loaded_at=at)))
    last = store.write_batches(engine, items)[-1]
    if reviews:
        sample_reviews.seed(engine, today)
    return last


def load_sample_if_empty(engine: Engine) -> int | None:
    """On a first start with an empty store, load the demo data so the dashboard is live at once.

    Replicas starting together take turns: only the first finds the store empty."""
    with store.startup_lock(engine):
        if store.is_empty(engine):
            return load_sample(engine)
    return None
