"""Deterministic demo observations for all 22 districts and every default metric.

The districts and metrics come from the store when one is at hand (``load_sample``), else from
the seed files in ``sample_data/`` (the demo files are written without a store).

From Farvardin 1401 through the last complete Jalali month before today: counts that grow
with population, a Nowruz dip in Farvardin and a year-end push in Esfand, slow trends, noise,
and realistic gaps (a few districts late for the latest month, the odd metric missing).
Each month draws from its own seed, so a month's figures never change as months are added.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from monitoring import calendar, districts, metrics, store

FIRST_MONTH = (1401, 1)
SOURCE_NAME = "داده‌های نمونه / sample data"

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
    late = np.random.default_rng(list(last)).choice(numbers, size=_LATE_DISTRICTS_LATEST, replace=False)
    latest = calendar.month_start(*last)
    df = df[~((df["period"] == latest) & df["district"].isin(late))]
    return df.reset_index(drop=True)


def load_sample(engine: Engine, today: dt.date | None = None, loaded_by: str = "system") -> int:
    """Generate the demo data for the store's districts and metrics and store it as one batch;
    returns the batch id."""
    rows = generate(today, catalog=store.metric_catalog(engine), reference=store.reference_districts(engine))
    digest = hashlib.sha256(rows.to_csv(index=False).encode()).hexdigest()
    info = store.BatchInfo(SOURCE_NAME, digest, len(rows), 0, loaded_by)
    return store.write_batch(engine, rows, info)


def load_sample_if_empty(engine: Engine) -> int | None:
    """On a first start with an empty store, load the demo data so the dashboard is live at once.

    Replicas starting together take turns: only the first finds the store empty."""
    with store.startup_lock(engine):
        if store.is_empty(engine):
            return load_sample(engine)
    return None
