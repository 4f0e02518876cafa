"""How a page prints: A4 landscape, a header on every sheet, headings kept with what follows them,
no chart or legend cut in two.

A view calls :func:`header` once, with one line, after its choices are made. It writes the page's
print stylesheet: the header (title · metric · period · «داده‌ها تا») in the sheet's top margin, where
Chromium repeats it on every printed page (CSS page-margin boxes, ``@page { @top-right {...} }``, so
it never covers the page's content), and the page's own rules over the shared ones in
``ui/theme.py``'s ``@media print``. On screen none of it shows.
"""

from __future__ import annotations

import datetime as dt
import re

import streamlit as st

from monitoring import calendar
from monitoring.calendar import Period
from monitoring.metrics import Metric
from monitoring.rankings import MEASURE_LABELS
from monitoring.text import plain
from ui import html

SEPARATOR = " · "

# each page's own print rules, over the shared ones (ui/theme.py)
PAGE_CSS: dict[str, str] = {
    # the attention boxes in one row (however many kinds there are), then the map beside the trend on the
    # first sheet; the city cards five a row
    "overview": """
  .dash-att-grid { grid-template-columns: none; grid-auto-flow: column; grid-auto-columns: minmax(0, 1fr); }
  .dash-att li { font-size: 0.72rem; line-height: 1.4; }
  .dash-cards { grid-template-columns: repeat(5, minmax(0, 1fr)); gap: 0.35rem; }
  .dash-card { padding: 0.3rem 0.5rem; }
""",
    # the ranking's bars whole on a sheet; the table's header repeated on each sheet it runs over
    "rankings": """
  .dash-table tr { break-inside: avoid; }
""",
    # the reporting record and the charts whole; the district links (a screen's way on) left out
    "district": """
  .dash-months { grid-template-columns: repeat(12, minmax(0, 1fr)); }
  .dash-district-links { display: none; }
""",
    # the review pack: each commitment and action whole on a sheet (the forms, like every input, are
    # left out by the shared rules)
    "review": """
  .dash-review li { break-inside: avoid; }
  .dash-months { grid-template-columns: repeat(12, minmax(0, 1fr)); }
  .dash-district-links { display: none; }
""",
    # the grid and its legend on one sheet
    "reporting": """
  .dash-legend, .dash-keys { break-before: avoid; }
""",
}


def header_text(title: str, period: Period | str, metric: Metric | None, as_of: dt.date, measure: str = "raw") -> str:
    """The line every printed sheet carries: the title, the metric (and its measure), the period and
    «داده‌ها تا» the last month the store holds."""
    parts = [title]
    if metric is not None:
        shown = metric.name_fa
        if measure != "raw" and metric.per_capita and measure in MEASURE_LABELS:
            shown += f" ({MEASURE_LABELS[measure]})"
        parts.append(shown)
    parts.append(period if isinstance(period, str) else period.label)
    parts.append(f"داده‌ها تا {calendar.month_label_of(as_of)}")
    return SEPARATOR.join(parts)


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string that cannot end the string, the rule or the ``<style>``."""
    text = re.sub(r"[\r\n\t\f]+", " ", text)
    escaped = "".join(f"\\{ord(c):x} " if c in '\\"<>' else c for c in text)
    return f'"{escaped}"'


def stylesheet(page: str, text: str) -> html.Markup:
    """The print style sheet (ui/templates/printing.html): ``text`` in every sheet's top margin and
    ``page``'s own rules of ``PAGE_CSS``."""
    # Markup: css_string quotes the text so that it cannot end the string, the rule or the <style>;
    # the rules are this module's constant CSS
    return html.render(
        "printing.html",
        content=html.Markup(css_string(plain(text))),
        rules=html.Markup(PAGE_CSS.get(page, "")),
    )


def header(
    page: str,
    title: str,
    period: Period | str,
    metric: Metric | None,
    bounds: tuple[dt.date, dt.date],
    measure: str = "raw",
) -> None:
    """The page's print header and print stylesheet (``page``: a key of ``PAGE_CSS``)."""
    st.html(stylesheet(page, header_text(title, period, metric, bounds[1], measure)))
