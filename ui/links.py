"""Links between the pages that keep the user's choices: period, metric, measure and «منطقهٔ من».

Looking at a district is not choosing it: a district clicked anywhere (a map tile, a ranking bar, a
table, an alert line) opens the district page with ``show=N``, and «منطقهٔ من» (``district``) stays
what the user set in the sidebar. Every link here is relative to the page (it works under any base
path) and is followed inside the session (``ui/navigate.py``), so a signed-in user stays signed in.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from monitoring.alerts import CITY
from monitoring.calendar import Period
from ui.html import Markup, macro
from ui.state import SHOW_PARAM, View

DISTRICT_PAGE = "district"
RANKINGS_PAGE = "rankings"
REPORTING_PAGE = "reporting"
REVIEW_PAGE = "review"


def page_href(path: str, view: View, period: Period, **changes: object) -> str:
    """A relative link to ``path`` with the view's choices, some of them changed (None drops one)."""
    params: dict[str, object] = {
        "metric": view.metric,
        "period": period.code,
        "measure": view.measure,
        "district": view.district,
    }
    params.update(changes)
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"./{path}?{query}" if query else f"./{path}"


def district_href(view: View, period: Period) -> Callable[[int], str]:
    """``href(7)``: the district page looking at district 7, with the same choices (my district kept)."""
    return lambda number: page_href(DISTRICT_PAGE, view, period, **{SHOW_PARAM: number})


def district_template(view: View, period: Period) -> str:
    """The district page's link with ``{district}`` where the number goes (for a chart's click)."""
    return page_href(DISTRICT_PAGE, view, period, **{SHOW_PARAM: "DISTRICT"}).replace("DISTRICT", "{district}")


def review_href(view: View, period: Period) -> Callable[[int], str]:
    """``href(7)``: district 7's review pack for ``period``, with the same choices (my district kept)."""
    return lambda number: page_href(REVIEW_PAGE, view, period, **{SHOW_PARAM: number})


def reporting_href(view: View, period: Period) -> str:
    """«پایش گزارش‌دهی» with the same period and «منطقهٔ من»."""
    return page_href(REPORTING_PAGE, view, period)


def public_preview_href(base: str, district: int, month: tuple[int, int]) -> str:
    """The public site's page of ``district`` in the Jalali ``month``, at ``base`` (``DASHBOARD_PUBLIC_URL``,
    checked by ``Settings.public_site_url``): an absolute address, opened in a new tab, never in this session."""
    query = urlencode({"district": int(district), "period": Period.month(*month).code})
    return f"{base}/?{query}"


def attention_href(view: View, period: Period) -> Callable[[object], str]:
    """``href(row)``: where a line of the «needs attention» panel leads (a row of
    ``monitoring.alerts.Attention.items``): a missing report to «پایش گزارش‌دهی», a city-wide line
    to the rankings of its metric, a district's line to that district's page on its metric and
    period; my district and the measure kept."""

    def href(row) -> str:
        if row.kind == "missing_report":
            return reporting_href(view, period)
        shown = Period.parse(str(row.period)) if row.period else period
        metric = row.metric or view.metric
        if int(row.district) == CITY:
            return page_href(RANKINGS_PAGE, view, shown, metric=metric)
        return page_href(DISTRICT_PAGE, view, shown, metric=metric, **{SHOW_PARAM: int(row.district)})

    return href


def district_cell(name: str, number: int, href: Callable[[int], str]) -> Markup:
    """A district's name in a table as a link to its page (a ``markup`` column of ``ui.tables``)."""
    return macro("links.html", "district_cell")(href(int(number)), name)
