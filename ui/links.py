"""Links between the pages that keep the user's choices: a district clicked anywhere opens its page."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from monitoring.calendar import Period
from monitoring.text import escape_html
from ui.state import View

DISTRICT_PAGE = "district"


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
    """``href(7)``: the district page of district 7, with the same metric, period and measure."""
    return lambda number: page_href(DISTRICT_PAGE, view, period, district=number)


def district_template(view: View, period: Period) -> str:
    """The district page's link with ``{district}`` where the number goes (for a chart's click)."""
    return page_href(DISTRICT_PAGE, view, period, district="DISTRICT").replace("DISTRICT", "{district}")


def relative(path: str) -> str:
    """A link the domain wrote from the site's root (``/district?…``) made relative to the page, so
    it works under any base path the dashboard is served from."""
    return "./" + path.lstrip("/")


def district_cell(name: str, number: int, href: Callable[[int], str]) -> str:
    """A district's name in a table as a link to its page (a ``markup`` column of ``ui.tables``)."""
    return f'<a class="dash-cell-link" href="{escape_html(href(int(number)))}" target="_self">{escape_html(name)}</a>'
