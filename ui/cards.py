"""The overview's city cards as one condensed HTML grid: every title whole, every value with its
unit, each change with an arrow that follows its sign and a colour that follows its meaning."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from monitoring import calendar, charts, figures, rankings
from monitoring.overview import Card
from ui import fmt, html


def _macro(name: str):
    return html.macro("cards.html", name)


def card_html(
    card: Card, before: str, year_ago: str, chosen: bool = False, mine: html.Markup | None = None
) -> html.Markup:
    """One city card: the metric's name, its value with its unit (or «گزارش نشده»), how far the running
    period has come, the changes against ``before`` and ``year_ago`` (once when they are the same), how
    many districts reported, and ``mine`` (markup: «منطقهٔ من»'s line, :func:`mine_html`) last."""
    m = card.metric
    return _macro("card")(
        cls="dash-card chosen" if chosen else "dash-card",
        code=m.code,
        name=m.name_fa,
        value=None if card.value is None else fmt.num(card.value, m.decimals),
        unit=fmt.unit_text(m),
        running=card.coverage_label if card.running else None,
        previous=fmt.change_chip(m, card.change_previous, before),
        last_year=fmt.change_chip(m, card.change_last_year, year_ago) if year_ago != before else None,
        reported=f"{fmt.digits(card.districts_reported)} از {fmt.digits(card.districts_total)} منطقه",
        mine=mine,
    )


def mine_html(name: str, row, metric) -> html.Markup:
    """One line of a card for «منطقهٔ من»: its value and place on the card's metric, the place coloured
    by its standing on that card (``rankings.rank_tone``: green in the best third, red in the worst,
    grey between); a district without a place (not reported, incomplete, a neutral metric) is left plain."""
    place, tone = "", "none"
    if not row.reported:
        text = "گزارش نشده"
    else:
        text = fmt.value_text(metric, row.value, metric.decimals)
        if row.status == "incomplete":
            text += f"، بدون رتبه (ناقص: {figures.months_label(row.months, row.due)})"
        elif not pd.isna(row.rank) and metric.direction != "neutral":
            tone = rankings.rank_tone(int(row.rank), int(row.ranked))
            place = f"رتبهٔ {fmt.digits(int(row.rank))} از {fmt.digits(row.ranked)}"
    chip = meaning = None
    if place:
        chip = {"good": "good", "bad": "bad"}.get(tone, "flat")
        meaning = {"good": "در یک‌سوم بالا", "bad": "در یک‌سوم پایین", "middle": "در یک‌سوم میانی"}[tone]
    return _macro("mine")(name=name, text=text, tone=tone, place=place, chip=chip, meaning=meaning)


def show_cards(
    cards: list[Card],
    before: str,
    year_ago: str,
    chosen: str | None = None,
    mine: dict[str, html.Markup] | None = None,
) -> None:
    """The grid of city cards; ``mine`` adds «منطقهٔ من»'s line to each (metric code -> markup, :func:`mine_html`)."""
    mine = mine or {}
    shown = [card_html(c, before, year_ago, c.metric.code == chosen, mine.get(c.metric.code)) for c in cards]
    st.html(_macro("grid")(shown))


def map_legend_html(district: int | None, names: dict[int, str], partial: bool = False) -> html.Markup:
    """The key under the page's map: grey «؟» not reported, the pale dotted tile of a district that
    reported only some of the months due (when the map has one), the «منطقهٔ من» outline."""
    incomplete = (
        {"colour": charts.PARTIAL_TILE_COLOUR, "line": charts.PARTIAL_TILE_LINE, "key": charts.PARTIAL_TILE_KEY}
        if partial
        else None
    )
    return _macro("map_legend")(incomplete, names[district] if district else None)


def reporting_strip_html(states: pd.DataFrame, expected: int, reporting_href: str) -> html.Markup:
    """The district's last twelve months as a strip of cells (``compliance.month_states`` for one
    district): on time, late (days late), partial (how many metrics), missing (days past due) or not
    yet due, by the reporting page's rules."""
    from monitoring.compliance import LATE, MISSING, PARTIAL, STATE_LABELS

    cells = []
    for r in states.itertuples(index=False):
        detail = STATE_LABELS[r.state]
        if r.state == LATE:
            detail += f" ({fmt.digits(int(r.days_late))} روز)"
        elif r.state == PARTIAL:
            detail += f" ({fmt.digits(int(r.metrics))} از {fmt.digits(expected)})"
        elif r.state == MISSING and r.days_overdue:
            detail += f" ({fmt.digits(int(r.days_overdue))} روز)"
        cells.append({"state": r.state, "label": calendar.month_label(r.year, r.month), "detail": detail})
    return _macro("reporting_strip")(cells, reporting_href)


def district_alerts_html(found, period_label: str) -> html.Markup:
    """The district's own alerts for the period: missed targets, anomalies and big changes (the five
    largest, with how many more)."""
    from monitoring.alerts import KIND_LABELS

    kinds = found.items["kind"].to_numpy(dtype=object)
    mover = kinds == "mover"
    movers = found.items[mover]
    left_out = max(len(movers) - 5, 0)
    rows = pd.concat([found.items[~mover & (kinds != "missing_report")], movers.head(5)])
    shown = [
        {"mark": _TONE_MARK.get(r.tone, "dash-dot neutral"), "kind": KIND_LABELS[r.kind], "text": r.text}
        for r in rows.itertuples(index=False)
    ]
    return _macro("district_alerts")(
        period_label, shown, fmt.digits(left_out) if left_out else None, fmt.digits(len(rows) + left_out)
    )


def district_links_html(names: dict[int, str], href) -> html.Markup:
    """A grid of links, one a district, to its page."""
    return _macro("district_links")([(href(d), n) for d, n in names.items()])


def multiples_legend_html(mine: str, other: str | None) -> html.Markup:
    """The key to the district page's small charts, in Persian, above them."""
    return _macro("multiples_legend")(mine, other or None)


_TONE_MARK = {"bad": "dash-dot bad", "good": "dash-dot good", "neutral": "dash-dot neutral"}


def _missing_chips(status: pd.DataFrame, expected: int, href) -> list[dict[str, str]]:
    """Every district that sent nothing or only part, as a compact link to its page (state, href, text)."""
    chips = []
    for r in status[status["state"].isin(["missing", "partial"])].itertuples(index=False):
        late = f" · {fmt.digits(int(r.days_overdue))} روز گذشته" if getattr(r, "days_overdue", 0) else ""
        what = "هیچ" if r.state == "missing" else f"{fmt.digits(int(r.reported))} از {fmt.digits(expected)}"
        chips.append({"state": r.state, "href": href(int(r.district)), "text": f"{r.name_fa}: {what}{late}"})
    return chips


def attention_panel_html(
    found,
    status: pd.DataFrame,
    period_label: str,
    reporting_href: str,
    line_href,
    district_href,
    expected: int,
    top: int = 1,
    extra: html.Markup | None = None,
) -> html.Markup:
    """«نیازمند توجه»: one box a kind (missing reports, missed targets, anomalies, big changes), its
    count and its gravest lines, each a link to the page that explains it. Every district that sent
    nothing or only part is listed (the one rule for «گزارش نشده» on the page, from ``status``); of the
    other kinds, the ``top`` gravest. ``line_href(row)`` is a line's link (``ui.links.attention_href``),
    ``district_href(number)`` a district's; ``extra`` holds more boxes built elsewhere, as markup (the
    reviews': ``ui.review.attention_boxes_html``)."""
    from monitoring.alerts import KIND_LABELS, KINDS

    kinds = found.items["kind"].to_numpy(dtype=object)  # compared as plain objects: Arrow strings box each value
    boxes = []
    for kind in KINDS:
        total = found.totals.get(kind, 0)
        box = {"kind": kind, "label": KIND_LABELS[kind], "total": total, "reporting_href": None}
        if kind == "missing_report":
            box.update(chips=_missing_chips(status, expected, district_href), reporting_href=reporting_href)
        elif total:
            rows = found.items.iloc[np.flatnonzero(kinds == kind)[:top]]  # the few shown, not a copy of all
            box["lines"] = [
                {"mark": _TONE_MARK.get(r.tone, "dash-dot neutral"), "href": line_href(r), "text": r.text}
                for r in rows.itertuples(index=False)
            ]
            box["more"] = total - len(rows)
        boxes.append(box)
    return _macro("attention_panel")(period_label, boxes, extra)
