"""What needs attention for a period: the overview's panel, a district's alerts. The reads it works on
are handed in by ``ui.data`` (cached there), so this module reads nothing itself."""

from __future__ import annotations

import pandas as pd

from monitoring import alerts, config
from monitoring.calendar import Period
from monitoring.metrics import Metric


def find(
    period: Period,
    catalog: dict[str, Metric],
    names: dict[int, str],
    values: pd.DataFrame,
    targets: pd.DataFrame,
    status: pd.DataFrame | None = None,
    district: int | None = None,
) -> alerts.Attention:
    """Missing reports (from ``status``), missed targets, anomalies and big changes for ``period``;
    only ``district``'s when one is given. ``values`` are every metric's monthly values over
    ``alerts.alert_span(period)``, ``targets`` the period's. Rules from the environment
    (``AlertRules.from_settings``)."""
    return alerts.attention(
        period,
        catalog,
        values,
        targets,
        status,
        names=names,
        districts_total=len(names),
        rules=alerts.AlertRules.from_settings(config.settings()),
        top=None,
        district=district,
    )
