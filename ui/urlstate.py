"""Page state in the URL, so a copied link reopens the same view."""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from monitoring import calendar
from monitoring.calendar import Period
from monitoring.metrics import Metric
from monitoring.rankings import MEASURES


@dataclass
class ViewParams:
    metric: str
    period: Period | None
    measure: str
    district: int | None
    problems: list[str] = field(default_factory=list)

    def to_params(self, period: Period) -> dict[str, str]:
        params = {"metric": self.metric, "period": period.code, "measure": self.measure}
        if self.district:
            params["district"] = str(self.district)
        return params


def parse_view_params(params: dict[str, str], catalog: dict[str, Metric]) -> ViewParams:
    """Read metric, period, measure and district from the URL (the overview and the rankings share
    them); a bad value falls back to the default and is reported in Persian with the English beside it."""
    problems = []
    metric = params.get("metric") or next(iter(catalog))
    if metric not in catalog:
        problems.append(f"شاخص «{metric}» شناخته نشد / unknown metric '{metric}'")
        metric = next(iter(catalog))
    period = None
    if params.get("period"):
        try:
            period = Period.parse(params["period"])
        except (ValueError, calendar.PeriodParseError):
            problems.append(
                f"دورهٔ «{params['period']}» خوانا نیست (نمونه: 1404-07، 1404-Q1، 1404) "
                f"/ cannot read period '{params['period']}' (e.g. 1404-07, 1404-Q1, 1404)"
            )
    measure = params.get("measure") or "raw"
    if measure not in MEASURES:
        problems.append(f"سنجهٔ «{measure}» نامعتبر است / unknown measure '{measure}' (raw, per10k, perkm2)")
        measure = "raw"
    district = None
    if params.get("district"):
        text = calendar.to_latin_digits(params["district"]).strip()
        if text.isdigit() and 1 <= int(text) <= 22:
            district = int(text)
        else:
            problems.append(
                f"منطقهٔ «{params['district']}» وجود ندارد (۱ تا ۲۲) / no district '{params['district']}' (1 to 22)"
            )
    return ViewParams(metric, period, measure, district, problems)


def view_from_url(catalog: dict[str, Metric], keys: dict[str, str]) -> ViewParams:
    """The view the page's URL names: each problem shown as a warning, and each widget in ``keys``
    (field -> widget key) seeded with the URL's value the first time the page runs."""
    view = parse_view_params(st.query_params.to_dict(), catalog)
    for problem in view.problems:
        st.warning(f"{problem} — نمای پیش‌فرض نشان داده شد / showing the default instead")
    for field_name, key in keys.items():
        st.session_state.setdefault(key, getattr(view, field_name))
    return view
