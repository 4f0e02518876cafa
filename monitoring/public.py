"""What the public page tells a citizen about one district and one month, and nothing more.

Only the metrics the catalog marks public (``Metric.public``) and the notable actions marked public
reach it. The figures are the district page's own (``monitoring.district.summaries``: the period's
value by ``figures.value_of``, like-for-like changes by ``figures.district_changes``); this module
only picks from them, and leaves out everything the centre keeps internal: ranks, percentiles, the
districts' median, alerts, targets, reporting records.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from monitoring.metrics import Metric


@dataclass(frozen=True)
class PublicFigure:
    """One public metric of one district over one period. ``value`` is None when the district did not
    report it (shown «گزارش نشده», never zero); a change is None when no month is present in both
    periods (or its base is zero)."""

    metric: Metric
    value: float | None
    decimals: int
    change_previous: float | None
    change_last_year: float | None

    @property
    def reported(self) -> bool:
        return self.value is not None


def public_catalog(catalog: Mapping[str, Metric]) -> dict[str, Metric]:
    """The metrics the catalog marks public, in the catalog's order."""
    return {code: metric for code, metric in catalog.items() if metric.public}


def _number(value: object) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def district_figures(summaries: pd.DataFrame, catalog: Mapping[str, Metric], district: int) -> list[PublicFigure]:
    """The public metrics of ``district``, in the catalog's order, from ``summaries`` (the rows of
    ``monitoring.district.summaries`` in raw figures: district, metric, raw_now, decimals,
    change_previous, change_last_year). A public metric with no row is not reported."""
    rows = summaries[summaries["district"].astype(int) == int(district)]
    by_metric = {str(r["metric"]): r for _, r in rows.iterrows()}
    out = []
    for code, metric in public_catalog(catalog).items():
        row = by_metric.get(code)
        if row is None:
            out.append(PublicFigure(metric, None, int(metric.decimals), None, None))
            continue
        out.append(
            PublicFigure(
                metric,
                _number(row["raw_now"]),
                int(metric.decimals),
                _number(row["change_previous"]),
                _number(row["change_last_year"]),
            )
        )
    return out


def public_only(items: Iterable, flag: str = "public") -> list:
    """The items whose ``public`` flag is set (a second guard behind the store's own filter)."""
    return [item for item in items if bool(getattr(item, flag, False))]
