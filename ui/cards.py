"""The overview's city cards as one condensed HTML grid: every title whole, every value with its
unit, each change with an arrow that follows its sign and a colour that follows its meaning."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from monitoring import calendar, charts, figures, rankings
from monitoring.overview import Card
from monitoring.text import escape_html
from ui import fmt


def card_html(card: Card, before: str, year_ago: str, chosen: bool = False, mine: str = "") -> str:
    m = card.metric
    if card.value is None:
        value = '<div class="v missing">گزارش نشده</div>'
    else:
        number = fmt.num(card.value, m.decimals)
        unit = fmt.unit_text(m)
        value = f'<div class="v">{number}<span class="u">{escape_html(unit)}</span></div>'
    reported = f"{fmt.digits(card.districts_reported)} از {fmt.digits(card.districts_total)} منطقه"
    running = f'<div class="d running">تا امروز {escape_html(card.coverage_label)}</div>' if card.running else ""
    cls = "dash-card chosen" if chosen else "dash-card"
    return (
        f'<div class="{cls}" data-metric="{escape_html(m.code)}">'
        f'<div class="t">{escape_html(m.name_fa)}</div>{value}{running}'
        f'<div class="d">{fmt.change_chip(m, card.change_previous, before)}</div>'
        + (f'<div class="d">{fmt.change_chip(m, card.change_last_year, year_ago)}</div>' if year_ago != before else "")
        + f'<div class="d">گزارش: {reported}</div>{mine}</div>'
    )


def mine_html(name: str, row, metric) -> str:
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
    if place:
        chip = {"good": "good", "bad": "bad"}.get(tone, "flat")
        meaning = {"good": "در یک‌سوم بالا", "bad": "در یک‌سوم پایین", "middle": "در یک‌سوم میانی"}[tone]
        text_html = f'{escape_html(text)}، <span class="chg {chip}" title="{meaning}">{escape_html(place)}</span>'
    else:
        text_html = escape_html(text)
    return f'<div class="d mine" data-tone="{tone}">{escape_html(name)}: {text_html}</div>'


def show_cards(
    cards: list[Card], before: str, year_ago: str, chosen: str | None = None, mine: dict[str, str] | None = None
) -> None:
    """The grid of city cards; ``mine`` adds «منطقهٔ من»'s line to each (metric code -> HTML)."""
    mine = mine or {}
    body = "".join(card_html(c, before, year_ago, c.metric.code == chosen, mine.get(c.metric.code, "")) for c in cards)
    st.html(f'<div class="dash-cards">{body}</div>')


def attention_html(status: pd.DataFrame, period_label: str, expected: int) -> str:
    """The strip at the top of the overview: who sent nothing for the period and who sent only part,
    by the one rule of :func:`monitoring.overview.reporting_status`."""
    missing = status[status["state"] == "missing"]
    partial = status[status["state"] == "partial"]
    if missing.empty and partial.empty:
        return (
            f'<div class="dash-attention ok" role="status">همهٔ {fmt.digits(len(status))} منطقه '
            f"گزارش {escape_html(period_label)} را کامل فرستاده‌اند.</div>"
        )
    parts = []
    if len(missing):
        listed = "، ".join(fmt.digits(d) for d in missing["district"])
        parts.append(f"<span><b>گزارش نشده ({fmt.digits(len(missing))} منطقه):</b> منطقهٔ {listed}</span>")
    if len(partial):
        listed = "، ".join(
            f"{fmt.digits(d)} ({fmt.digits(n)} از {fmt.digits(expected)} شاخص)"
            for d, n in zip(partial["district"], partial["reported"], strict=True)
        )
        parts.append(f"<span><b>ناقص ({fmt.digits(len(partial))} منطقه):</b> منطقهٔ {listed}</span>")
    return (
        f'<div class="dash-attention" role="status"><span><b>نیازمند پیگیری، {escape_html(period_label)}:</b></span>'
        + "".join(parts)
        + "</div>"
    )


def map_legend_html(district: int | None, names: dict[int, str], partial: bool = False) -> str:
    """The key under the page's map: grey «؟» not reported, the pale dotted tile of a district that
    reported only some of the months due (when the map has one), the «منطقهٔ من» outline."""
    incomplete = (
        f' · <span class="dash-swatch" style="background:{charts.PARTIAL_TILE_COLOUR};'
        f'border:2px dotted {charts.PARTIAL_TILE_LINE}"></span>{charts.PARTIAL_TILE_KEY} (رقمش با لمس کاشی)'
        if partial
        else ""
    )
    mine = (
        f' · <span class="dash-swatch" style="border:2px solid #e07a1f"></span>{escape_html(names[district])}'
        if district
        else ""
    )
    return (
        '<div class="dash-legend"><span class="dash-swatch" style="background:#d9d9d9"></span>'
        f"خاکستری با «؟»: این شاخص را گزارش نکرده{incomplete}{mine}</div>"
    )


def reporting_strip_html(states: pd.DataFrame, expected: int, reporting_href: str) -> str:
    """The district's last twelve months as a strip of cells (``compliance.month_states`` for one
    district): on time, late (days late), partial (how many metrics), missing (days past due) or not
    yet due, by the reporting page's rules."""
    from monitoring.compliance import LATE, MISSING, PARTIAL, STATE_LABELS

    cells = []
    for r in states.itertuples(index=False):
        label = calendar.month_label(r.year, r.month)
        detail = STATE_LABELS[r.state]
        if r.state == LATE:
            detail += f" ({fmt.digits(int(r.days_late))} روز)"
        elif r.state == PARTIAL:
            detail += f" ({fmt.digits(int(r.metrics))} از {fmt.digits(expected)})"
        elif r.state == MISSING and r.days_overdue:
            detail += f" ({fmt.digits(int(r.days_overdue))} روز)"
        cells.append(
            f'<div class="dash-month {r.state}"><span class="m">{escape_html(label)}</span>'
            f'<span class="s">{escape_html(detail)}</span></div>'
        )
    return (
        '<div class="dash-record"><div class="dash-legend">سابقهٔ گزارش‌دهی در دوازده ماه اخیر '
        f'(<a href="{escape_html(reporting_href)}" target="_self">پایش گزارش‌دهی</a>)</div>'
        f'<div class="dash-months">{"".join(cells)}</div></div>'
    )


def district_alerts_html(found, period_label: str) -> str:
    """The district's own alerts for the period: missed targets, anomalies and big changes."""
    from monitoring.alerts import KIND_LABELS

    kinds = found.items["kind"].to_numpy(dtype=object)
    mover = kinds == "mover"
    movers = found.items[mover]
    left_out = max(len(movers) - 5, 0)
    rows = pd.concat([found.items[~mover & (kinds != "missing_report")], movers.head(5)])
    if rows.empty:
        return f'<div class="dash-att-title">هشدارهای {escape_html(period_label)}: موردی نیست.</div>'
    items = "".join(
        f'<li><span class="{_TONE_MARK.get(r.tone, "dash-dot neutral")}"></span>'
        f"<b>{escape_html(KIND_LABELS[r.kind])}:</b> {escape_html(r.text)}</li>"
        for r in rows.itertuples(index=False)
    )
    if left_out:
        items += f'<li class="more">و {fmt.digits(left_out)} تغییر بزرگ دیگر</li>'
    return (
        f'<section class="dash-att district-alerts"><h4>هشدارهای {escape_html(period_label)} '
        f'<span class="n">{fmt.digits(len(rows) + left_out)}</span></h4><ul>{items}</ul></section>'
    )


def district_links_html(names: dict[int, str], href) -> str:
    """A grid of links, one a district, to its page."""
    items = "".join(
        f'<a class="dash-district-link" href="{escape_html(href(d))}" target="_self">{escape_html(n)}</a>'
        for d, n in names.items()
    )
    return f'<nav class="dash-district-links">{items}</nav>'


def multiples_legend_html(mine: str, other: str | None) -> str:
    """The key to the district page's small charts, in Persian, above them."""
    parts = [
        f'<span><span class="dash-key" style="background:#0f6e6e"></span>{escape_html(mine)}</span>',
        '<span><span class="dash-key dotted"></span>میانهٔ مناطق</span>',
        '<span><span class="dash-swatch" style="background:rgba(122,138,144,0.3)"></span>نیمهٔ میانی مناطق (صدک ۲۵ تا ۷۵)</span>',
    ]
    if other:
        parts.append(f'<span><span class="dash-key" style="background:#8e44ad"></span>{escape_html(other)}</span>')
    parts.append("<span>جای خالی در خط: گزارش نشده</span>")
    return f'<div class="dash-legend dash-keys">{"".join(parts)}</div>'


_TONE_MARK = {"bad": "dash-dot bad", "good": "dash-dot good", "neutral": "dash-dot neutral"}


def _missing_chips(status: pd.DataFrame, expected: int, href) -> str:
    """Every district that sent nothing or only part, as a compact link to its page."""
    chips = []
    for r in status[status["state"].isin(["missing", "partial"])].itertuples(index=False):
        late = f" · {fmt.digits(int(r.days_overdue))} روز گذشته" if getattr(r, "days_overdue", 0) else ""
        what = "هیچ" if r.state == "missing" else f"{fmt.digits(int(r.reported))} از {fmt.digits(expected)}"
        chips.append(
            f'<li class="chip {r.state}"><a href="{escape_html(href(int(r.district)))}" target="_self">'
            f"{escape_html(r.name_fa)}: {what}{late}</a></li>"
        )
    return "".join(chips)


def attention_panel_html(
    found,
    status: pd.DataFrame,
    period_label: str,
    reporting_href: str,
    line_href,
    district_href,
    expected: int,
    top: int = 1,
    extra: str = "",
) -> str:
    """«نیازمند توجه»: one box a kind (missing reports, missed targets, anomalies, big changes), its
    count and its gravest lines, each a link to the page that explains it. Every district that sent
    nothing or only part is listed (the one rule for «گزارش نشده» on the page, from ``status``); of the
    other kinds, the ``top`` gravest. ``line_href(row)`` is a line's link (``ui.links.attention_href``),
    ``district_href(number)`` a district's; ``extra`` holds more boxes built elsewhere (the reviews':
    ``ui.review.attention_boxes_html``)."""
    from monitoring.alerts import KIND_LABELS, KINDS

    kinds = found.items["kind"].to_numpy(dtype=object)  # compared as plain objects: Arrow strings box each value
    boxes = []
    for kind in KINDS:
        total = found.totals.get(kind, 0)
        if kind == "missing_report":
            body = _missing_chips(status, expected, district_href) or '<li class="none">همه فرستاده‌اند</li>'
            body += f'<li class="more"><a href="{escape_html(reporting_href)}" target="_self">پایش گزارش‌دهی</a></li>'
        elif total == 0:
            body = '<li class="none">موردی نیست</li>'
        else:
            rows = found.items.iloc[np.flatnonzero(kinds == kind)[:top]]  # the few shown, not a copy of all
            body = "".join(
                f'<li><span class="{_TONE_MARK.get(r.tone, "dash-dot neutral")}"></span>'
                f'<a href="{escape_html(line_href(r))}" target="_self">{escape_html(r.text)}</a></li>'
                for r in rows.itertuples(index=False)
            )
            if total > len(rows):
                body += f'<li class="more">و {fmt.digits(total - len(rows))} مورد دیگر</li>'
        count = f'<span class="n">{fmt.digits(total)}</span>'
        boxes.append(
            f'<section class="dash-att {kind}{" quiet" if total == 0 else ""}">'
            f"<h4>{escape_html(KIND_LABELS[kind])} {count}</h4><ul>{body}</ul></section>"
        )
    return (
        f'<div class="dash-attention-panel" role="region" aria-label="نیازمند توجه">'
        f'<div class="dash-att-title">نیازمند توجه، {escape_html(period_label)}</div>'
        f'<div class="dash-att-grid">{"".join(boxes)}{extra}</div></div>'
    )
