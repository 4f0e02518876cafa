"""What needs attention for a period, from the cached reads: the overview's panel, a district's alerts."""

from __future__ import annotations

import pandas as pd

from monitoring import alerts
from monitoring.calendar import Period
from monitoring.config import settings_from_env
from monitoring.metrics import Metric
from ui import data


def find(
    version: int,
    period: Period,
    catalog: dict[str, Metric],
    names: dict[int, str],
    status: pd.DataFrame | None = None,
    district: int | None = None,
) -> alerts.Attention:
    """Missing reports (from ``status``), missed targets, anomalies and big changes for ``period``;
    only ``district``'s when one is given. Rules from the environment (``AlertRules.from_settings``)."""
    return alerts.attention(
        period,
        catalog,
        data.district_month_values(version, *alerts.alert_span(period)),
        data.targets(version, period.start, period.end),
        status,
        names=names,
        districts_total=len(names),
        rules=alerts.AlertRules.from_settings(settings_from_env()),
        top=None,
        district=district,
    )
