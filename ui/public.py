"""The public page's glue: its language, look, pickers, notices and HTML, in Persian or English.

Every string comes from ``ui/public_text.py``. Each language's text sits in an element marked with its
own ``lang`` (and ``dir``): the page's blocks carry the page's language, and a piece in the other one (a
notable action's Persian title on the English page, the English beside a Persian notice) is wrapped in
an element of its own, so that neither reorders the other and a screen reader reads each in its voice.
Numbers are the dashboard's own (``monitoring.calendar.format_figure``, ``format_percent_change``): in
Persian digits with «٬» on the Persian page, and the same figure in Latin digits on the English one
(``calendar.english_figures``); dates are Jalali in both ("Mehr 1404").

The HTML is written in ``ui/templates/public.html``, one macro a block (``ui.html``): the functions here
hand it plain text, which it escapes, and the markup of other macros; a sentence is cut into :class:`Run`
pieces, each piece in the other language isolated in an element of its own.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

from monitoring import calendar, logs, metrics, store
from monitoring import public as public_figures
from monitoring.calendar import Period
from monitoring.metrics import Metric
from monitoring.overview import change_tone
from monitoring.public import PublicFigure
from monitoring.reviews import Action
from monitoring.text import plain
from ui import html, seam, skiplink
from ui import period as ui_period
from ui.html import Markup
from ui.messages import Run, embedded_runs
from ui.public_text import DIRECTION, UNITS_EN, Lang, lang_of, text

LANG_PARAM = "lang"
DISTRICT_PARAM = "district"
PERIOD_PARAM = "period"

# a run of Arabic-script text (Persian letters and digits, «٬٫٪»), spaces and ZWNJ inside it included
_PERSIAN_RUN = re.compile(
    r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff\u200c]+(?:[\s\u200c«»()]+[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff\u200c]+)*"
)
# a code written in Persian digits («۱۴۰۴-۰۷»), which a right-to-left line would turn around
_PERSIAN_CODE = re.compile(r"[۰-۹]+(?:[-/][۰-۹]+)+")

TEMPLATE = "public.html"  # ui/templates/public.html: the page's HTML, one macro a block


def current_lang() -> Lang:
    """The page's language, from the address (``?lang=en``); Persian otherwise."""
    return lang_of(st.query_params.get(LANG_PARAM)) or "fa"


def other(lang: Lang) -> Lang:
    return "en" if lang == "fa" else "fa"


def _macro(name: str) -> Callable[..., Markup]:
    """The macro ``name`` of ``ui/templates/public.html``, as a function returning markup."""
    return html.macro(TEMPLATE, name)


def in_lang(lang: Lang, value: object) -> Markup:
    """``value`` (text, or markup) in an inline element marked with ``lang`` and its direction."""
    return _macro("in_lang")(lang, value)


def _codes(value: str) -> list[Run]:
    """Persian text with each code in Persian digits («۱۴۰۴-۰۷») isolated left to right, kept in its order."""
    found, at = [], 0
    for m in _PERSIAN_CODE.finditer(value):
        found += [Run(value[at : m.start()]), Run(m.group(0), dir="ltr")]
        at = m.end()
    return [*found, Run(value[at:])]


def runs(value: str, lang: Lang) -> list[Run]:
    """Text of the page's ``lang`` (:func:`plain`) cut where a piece is in the other language: Latin runs
    and codes on the Persian page (``messages.embedded_runs``), Persian runs on the
    English page."""
    value = plain(value)
    found: list[Run] = []
    at = 0
    if lang == "fa":
        for piece in embedded_runs(value):
            found += [piece] if piece.dir else _codes(piece.text)
    else:
        for m in _PERSIAN_RUN.finditer(value):
            found += [Run(value[at : m.start()]), Run(m.group(0), "fa", "rtl")]
            at = m.end()
        found.append(Run(value[at:]))
    return [r for r in found if r.text]


def mark_foreign(value: str, lang: Lang) -> Markup:
    """Text of the page's ``lang`` as markup, each piece in the other language in its own element (:func:`runs`)."""
    return html.macro("messages.html", "runs")(runs(value, lang))


def as_is(value: str) -> Markup:
    """Text as markup, nothing in it marked."""
    return html.macro("messages.html", "runs")([Run(value)])


def say(key: str, lang: Lang, **values: object) -> Markup:
    """The string ``key`` in ``lang`` as markup, with any value in the other language marked as such."""
    return mark_foreign(text(key, lang, **values), lang)


# ---------------------------------------------------------------- numbers, units, dates


def figure_text(value: float | None, decimals: int, lang: Lang) -> str:
    shown = calendar.format_figure(value, decimals, missing="")
    return calendar.english_figures(shown) if lang == "en" else shown


def unit_text(metric: Metric, lang: Lang) -> tuple[str, bool]:
    """The unit written after a value (``metrics.unit_text``), in English on the English page, and whether
    it stays Persian there (a unit the table of English units lacks)."""
    unit = metrics.unit_text(metric)
    if lang == "fa":
        return unit, False
    if unit in UNITS_EN:
        return UNITS_EN[unit], False
    score = re.fullmatch(r"از (.+)", unit)
    if score:  # a score out of its maximum: «از ۲۰»
        return text("out_of", "en", n=calendar.english_figures(score.group(1))), False
    return unit, True


def unit_html(metric: Metric, lang: Lang) -> Markup:
    """The unit (:func:`unit_text`) as markup; one left Persian on the English page is marked so."""
    unit, persian = unit_text(metric, lang)
    return in_lang("fa", unit) if persian else as_is(unit)


def value_html(metric: Metric, value: float | None, decimals: int, lang: Lang) -> Markup:
    number = figure_text(value, decimals, lang)
    unit, persian = unit_text(metric, lang)
    joint = "" if not persian and plain(unit) in ("٪", "%") else " "
    return _macro("value")(number, unit_html(metric, lang), joint)


def period_label(period: Period, lang: Lang) -> str:
    return period.label_en if lang == "en" else period.label


def day_label(day: dt.date, lang: Lang) -> str:
    return calendar.day_label(day, english=lang == "en")


def metric_name_text(metric: Metric, lang: Lang) -> tuple[str, bool]:
    """The metric's name in ``lang`` as :func:`plain` text, and whether it is the Persian one on the English
    page (a metric without an English name)."""
    if lang == "en":
        english = plain(metric.name_en).strip()
        return (english, False) if english else (plain(metric.name_fa), True)
    return plain(metric.name_fa), False


def metric_name(metric: Metric, lang: Lang) -> Markup:
    """The metric's name in ``lang`` as markup; a metric without an English name keeps its Persian one,
    marked so."""
    name, persian = metric_name_text(metric, lang)
    if persian:
        return in_lang("fa", name)
    return mark_foreign(name, "fa") if lang == "fa" else as_is(name)


def district_name(names: dict[str, dict[int, str]], district: int, lang: Lang) -> str:
    """A district's name as text in ``lang`` (the store's name_fa or name_en)."""
    return names[lang].get(district) or names["fa"][district]


# ---------------------------------------------------------------- look


# the page's style sheet (``seam.css`` fills in each ``$name``: Streamlit's elements, through the registry)
_CSS = """
$header { display: none; }  /* no menu, no sign-in, nothing but the page */
$main, $sidebar_content { direction: %(dir)s; text-align: %(align)s; }
$markdown, $caption, label, p, li, h1, h2, h3, h4 { text-align: %(align)s; }
$main_block { padding-top: 1.6rem; padding-bottom: 3rem; max-width: 72rem; }
/* each language's text in its own direction and alignment (the document's own lang is left alone) */
:not(html)[lang="en"] { direction: ltr; unicode-bidi: isolate; }
:not(html)[lang="fa"] { direction: rtl; unicode-bidi: isolate; }
p[lang="en"], div[lang="en"], h1[lang="en"], h2[lang="en"], h3[lang="en"] { text-align: left; }
p[lang="fa"], div[lang="fa"], h1[lang="fa"], h2[lang="fa"], h3[lang="fa"] { text-align: right; }
h1 { font-size: 1.7rem !important; padding-bottom: 0.2rem !important; }
h2 { font-size: 1.3rem !important; padding: 0.5rem 0 0.2rem !important; margin: 0 !important; }
h3 { font-size: 1.1rem !important; padding: 0.4rem 0 0.1rem !important; margin: 0 !important; }
.pub-top { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: baseline; gap: 0.3rem 1rem;
  color: #4b575b; font-size: 0.9rem; margin-bottom: 0.2rem; }
.pub-switch a { display: inline-block; border: 1px solid #0f6e6e; border-radius: 1rem; padding: 0.05rem 0.8rem;
  color: #0f6e6e; text-decoration: none; font-weight: 700; }
.pub-switch a:hover { background: #e8f3f3; }
.pub-intro { color: #374449; line-height: 1.8; margin: 0.2rem 0 0.4rem; }
.pub-facts { color: #5b6b70; font-size: 0.9rem; margin: -0.3rem 0 0.6rem; }
.pub-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 0.6rem;
  margin: 0.3rem 0 0.8rem; }
.pub-card { border: 1px solid #e1e7e9; border-radius: 0.6rem; padding: 0.6rem 0.8rem; background: #fff; min-width: 0; }
.pub-card .t { font-size: 0.88rem; color: #374449; line-height: 1.5; overflow-wrap: anywhere; }
.pub-card .v { font-size: 1.45rem; font-weight: 700; line-height: 1.6; }
.pub-card .v .u { font-size: 0.85rem; font-weight: 400; color: #5b6b70; }
.pub-card .v.missing { font-size: 1.05rem; color: #8a5a00; }
.pub-card .d { font-size: 0.8rem; color: #5b6b70; line-height: 1.7; overflow-wrap: anywhere; }
.pub-chg { display: inline-block; border-radius: 0.7rem; padding: 0 0.45rem; font-size: 0.8rem; white-space: nowrap; }
.pub-chg.good { background: #e3f3e8; color: #1b6b34; }
.pub-chg.bad { background: #fde6e4; color: #a1261b; }
.pub-chg.flat, .pub-chg.neutral { background: #eef0f2; color: #46535a; }
.pub-actions { list-style: none; padding: 0 !important; margin: 0.3rem 0 0.8rem !important; display: grid; gap: 0.6rem; }
.pub-actions > li { margin: 0 !important; }
.pub-action { border: 1px solid #e1e7e9; border-radius: 0.6rem; padding: 0.6rem 0.9rem; background: #fbfcfc; }
.pub-action h3 { font-size: 1.05rem !important; margin: 0 0 0.2rem !important; padding: 0 !important; }
.pub-action .meta { color: #5b6b70; font-size: 0.85rem; }
.pub-action .desc { margin: 0.3rem 0; line-height: 1.8; }
.pub-action .cov { font-size: 0.85rem; color: #374449; }
.pub-muted { color: #5b6b70; font-size: 0.88rem; }
.pub-foot { color: #5b6b70; font-size: 0.82rem; border-top: 1px solid #e4e8ea; margin-top: 1rem; padding-top: 0.5rem;
  line-height: 1.7; }
.pub-note { border-radius: 0.5rem; padding: 0.6rem 0.9rem; margin: 0.2rem 0 0.6rem; line-height: 1.7; border: 1px solid; }
.pub-note p { margin: 0; }
.pub-note .second { font-size: 0.85rem; margin-top: 0.15rem; opacity: 0.9; }
.pub-note.info { background: #eef4fb; border-color: #cfe0f3; color: #1d3f63; }
.pub-note.warning { background: #fff6e5; border-color: #f2d9a6; color: #6b4500; }
.pub-note.error { background: #fdecec; border-color: #f3c4c4; color: #7a1d1d; }
.pub-table-wrap { overflow-x: auto; max-width: 100%%; }
.pub-table { border-collapse: collapse; width: 100%%; font-size: 0.88rem; }
.pub-table th, .pub-table td { padding: 0.3rem 0.6rem; border-bottom: 1px solid #e9eef0; text-align: start; white-space: nowrap; }
.pub-table th { color: #4b575b; background: #f7f9fa; white-space: normal; min-width: 6rem; }
.pub-table td.missing { color: #8a5a00; }
.pub-table a { color: #0f6e6e; font-weight: 700; text-decoration: none; border-bottom: 1px dotted currentColor; }
@media (max-width: 640px) {
  $main_block { padding-left: 0.8rem; padding-right: 0.8rem; padding-top: 1rem; }
  h1 { font-size: 1.35rem !important; }
  .pub-cards { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 0.45rem; }
  .pub-card { padding: 0.5rem 0.6rem; }
  .pub-card .v { font-size: 1.15rem; }
  .pub-table thead { display: none; }
  .pub-table, .pub-table tbody, .pub-table tr, .pub-table td { display: block; width: 100%%; }
  .pub-table tr { border: 1px solid #e4e8ea; border-radius: 0.5rem; margin-bottom: 0.4rem; }
  .pub-table td { display: flex; justify-content: space-between; gap: 0.8rem; border-bottom: none; white-space: normal;
    padding: 0.15rem 0.6rem; }
  .pub-table td::before { content: attr(data-label); color: #5b6b70; font-weight: 700; }
}
"""


def apply_look(lang: Lang) -> None:
    """The page's direction and look for ``lang``, and the document's ``lang``."""
    align = "right" if lang == "fa" else "left"
    # the style sheet is ours (no data in it): markup, which escaping would break («>», «"»)
    st.html(_macro("style")(Markup(seam.css(_CSS % {"dir": DIRECTION[lang], "align": align}))))
    # the document's own language: Streamlit's page says lang="en" on the document, so the labels of its
    # widgets would be English on the Persian page for a screen reader; the script marks the document itself
    st.html(_macro("document_lang")(lang), unsafe_allow_javascript=True)
    skiplink.install(lang)  # Streamlit's hidden «Skip to main content», in the page's language


# ---------------------------------------------------------------- blocks


def heading(key: str, **values: object) -> None:
    st.html(section_heading(key, current_lang(), level=1, **values))


def _in(value: object, lang: Lang) -> object:
    """A value for a sentence in ``lang``: a Jalali month (year, month) or a period by its name there."""
    if isinstance(value, Period):
        return period_label(value, lang)
    if isinstance(value, tuple) and len(value) == 2:
        return _month_text(value, lang)
    return value


def note_html(kind: str, key: str, lang: Lang, **values: object) -> Markup:
    """A notice in the page's language with the other language under it, each marked with its own."""
    second = other(lang)
    first_values = {k: _in(v, lang) for k, v in values.items()}
    second_values = {k: _in(v, second) for k, v in values.items()}
    role = "alert" if kind != "info" else "status"
    return _macro("note")(kind, role, lang, say(key, lang, **first_values), second, say(key, second, **second_values))


def page_link_html(lang: Lang, href: str, label: str) -> Markup:
    """A paragraph holding one link (``href``, on this site) named ``label``: the not-found page's way back."""
    return _macro("page_link")(lang, href, label)


def notice(kind: str, key: str, **values: object) -> None:
    st.html(note_html(kind, key, current_lang(), **values))


def fault(exc: BaseException, where: str) -> None:
    """A fault of ours: logged with its traceback, the reader gets a reference in both languages."""
    reference = logs.report_unexpected(exc, where)
    notice("error", "fault", reference=reference)


def switch_html(lang: Lang, params: dict[str, str]) -> Markup:
    """The link to the same view in the other language (a new page load: the address is the state)."""
    target = other(lang)
    query = {k: v for k, v in params.items() if k != LANG_PARAM}
    if target == "en":
        query[LANG_PARAM] = "en"
    href = "?" + urlencode(query) if query else "./"
    # the hint is in the page's language, on an element of the page's language; the link names the other
    return _macro("switch")(lang, text("switch_hint", lang), href, target, text("switch_to", lang))


def top_html(lang: Lang, params: dict[str, str]) -> Markup:
    return _macro("top")(lang, say("publisher", lang), switch_html(lang, params))


_SLOT = "\ue000"  # where a period's label goes into a sentence already cut into runs (a private-use character)


def change_html(metric: Metric, change: float | None, against: Period, lang: Lang) -> Markup:
    """A like-for-like change as a chip (the arrow follows the sign, the colour the metric's direction:
    ``overview.change_tone``) and the period it is against."""
    when = period_label(against, lang)
    if change is None:
        return _macro("change")(None, say("no_comparison", lang, period=when))
    tone, arrow = change_tone(metric, change)
    shown = calendar.format_percent_change(change)
    if lang == "en":
        shown = calendar.english_figures(shown).replace("\u2212", "-")
    mark = {"up": "↑", "down": "↓"}.get(arrow, "")
    meaning = {"good": "better", "bad": "worse", "flat": "unchanged", "neutral": "changed"}[tone]
    chip = {"tone": tone, "meaning": text(meaning, lang), "mark": mark, "shown": shown}
    # the period's label goes in as it is, after the sentence around it is cut into runs
    sentence = [
        Run(r.text.replace(_SLOT, when), r.lang, r.dir) for r in runs(text("against", lang, period=_SLOT), lang)
    ]
    return _macro("change")(chip, html.macro("messages.html", "runs")(sentence))


def figures_html(figures: list[PublicFigure], period: Period, lang: Lang) -> Markup:
    """The cards of a district's public figures: value and unit («گزارش نشده» when it did not report,
    never zero), the change against the month before and the same month a year earlier."""
    cards = []
    for f in figures:
        card = {"code": f.metric.code, "name": metric_name(f.metric, lang), "value": None, "changes": Markup()}
        if f.reported:
            card["value"] = value_html(f.metric, f.value, f.decimals, lang)
            card["changes"] = html.join(
                [
                    change_html(f.metric, f.change_previous, period.previous(), lang),
                    change_html(f.metric, f.change_last_year, period.year_before(), lang),
                ]
            )
        else:
            card["missing_hint"] = text("not_reported_hint", lang)
            card["missing"] = say("not_reported", lang)
        cards.append(card)
    return _macro("figures")(lang, cards)


def paragraph(key: str, lang: Lang, cls: str = "pub-muted", **values: object) -> Markup:
    return _macro("paragraph")(lang, cls, say(key, lang, **values))


def section_heading(key: str, lang: Lang, level: int = 2, **values: object) -> Markup:
    return _macro("heading")(lang, say(key, lang, **values), level)


# ---------------------------------------------------------------- the reader's choices, kept in the address

DISTRICT_KEY = "public_district"
MONTH_KEY = "public_month"
_COMMITTED = "_public_committed"  # the parameters this session last wrote into the address

Problem = tuple[str, dict[str, object]]  # a string's key and its values


@dataclass(frozen=True)
class Choice:
    district: int | None  # None: every district, in number order
    month: tuple[int, int]  # Jalali (year, month)

    def to_params(self, lang: Lang) -> dict[str, str]:
        params = {PERIOD_PARAM: Period.month(*self.month).code}
        if self.district is not None:
            params = {DISTRICT_PARAM: str(self.district), **params}
        if lang == "en":
            params[LANG_PARAM] = "en"
        return params


def read_address(
    params: dict[str, str], districts: set[int], first: tuple[int, int], last: tuple[int, int]
) -> tuple[Choice, list[Problem]]:
    """The district and month an address names, between the first and last month holding data; what
    was malformed or out of range comes back as problems (a string's key and its values: text, or a
    month or period that :func:`note_html` names in each language) and is replaced: a district by none
    (the list of every district), a month by the latest or the nearest one."""
    problems: list[Problem] = []
    district: int | None = None
    asked_lang = params.get(LANG_PARAM)
    if asked_lang is not None and lang_of(asked_lang) is None:
        problems.append(("bad_lang", {"asked": asked_lang}))
    asked_district = params.get(DISTRICT_PARAM)
    if asked_district:
        number = calendar.to_latin_digits(asked_district).strip()
        if number.isdigit() and int(number) in districts:
            district = int(number)
        else:
            problems.append(("bad_district", {"asked": asked_district}))
    month = last
    asked_period = params.get(PERIOD_PARAM)
    if asked_period:
        try:
            period = Period.parse(asked_period)
        except (ValueError, calendar.PeriodParseError):
            problems.append(("bad_period", {"asked": asked_period, "shown": last}))
        else:
            months = period.months
            inside = [m for m in months if first <= m <= last]
            if inside:
                month = inside[-1]
            else:
                month = last if months[0] > last else first
                problems.append(("period_outside", {"asked": period, "first": first, "last": last, "shown": month}))
    return Choice(district, month), problems


def _month_text(month: tuple[int, int], lang: Lang) -> str:
    return calendar.month_label_en(*month) if lang == "en" else calendar.month_label(*month)


def pick(names: dict[str, dict[int, str]], bounds: tuple[dt.date, dt.date], lang: Lang) -> Choice:
    """The district and month pickers, seeded from the address whenever it is not what this session
    last wrote into it (a shared link, Back); problems with the address are said in both languages."""
    first, last = ui_period.month_bounds(bounds)
    asked = st.query_params.to_dict()
    if asked != st.session_state.get(_COMMITTED):
        choice, problems = read_address(asked, set(names["fa"]), first, last)
        for key, values in problems:
            notice("warning", key, **values)
        st.session_state[DISTRICT_KEY] = choice.district
        st.session_state[MONTH_KEY] = choice.month
    months = list(reversed(calendar.months_between(first, last)))
    left, right = st.columns(2)
    district = left.selectbox(
        text("district", lang),
        list(names["fa"]),
        format_func=lambda d: district_name(names, d, lang),
        key=DISTRICT_KEY,
        placeholder=text("choose", lang),
    )
    month = right.selectbox(
        text("month", lang),
        months,
        format_func=lambda m: _month_text(m, lang),
        key=MONTH_KEY,
        placeholder=text("choose", lang),
    )
    choice = Choice(district, month or last)
    params = choice.to_params(lang)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    st.session_state[_COMMITTED] = params
    return choice


# ---------------------------------------------------------------- every district, the foot of the page


def district_href(district: int, choice: Choice, lang: Lang) -> str:
    return "?" + urlencode(Choice(district, choice.month).to_params(lang))


def districts_table_html(
    every: dict[int, list[PublicFigure]], names: dict[str, dict[int, str]], choice: Choice, lang: Lang
) -> Markup:
    """Every district's public figures for the month, one row a district in number order (never ranked),
    each name a link to the district's own view; «گزارش نشده» where a district did not report."""
    first = next(iter(every.values()), [])
    if not first:
        return paragraph("no_public_figures", lang)
    headers = [text("district", lang)] + [_header(f.metric, lang) for f in first]
    # a cell's label (shown before it on a narrow screen) is the metric's name as text: it sits in an attribute
    labels = [metric_name_text(f.metric, lang)[0] for f in first]
    rows = []
    for district, shown in every.items():
        cells = [
            (label, figure_text(f.value, f.decimals, lang) if f.reported else None)
            for label, f in zip(labels, shown, strict=True)
        ]
        rows.append(
            {
                "name": district_name(names, district, lang),
                "href": district_href(district, choice, lang),
                "cells": cells,
            }
        )
    return _macro("districts_table")(lang, headers, text("district", lang), rows, say("not_reported", lang))


def _header(metric: Metric, lang: Lang) -> Markup:
    """A column's head: the metric's name and, unless the name already says it, its unit."""
    name, _ = metric_name_text(metric, lang)
    unit, _ = unit_text(metric, lang)
    if plain(unit).lower() in name.lower():
        return metric_name(metric, lang)
    return _macro("header")(metric_name(metric, lang), unit_html(metric, lang))


def foot_html(batch: dict | None, lang: Lang) -> Markup:
    """The source and «data as of» (the day the last batch landed, Tehran's date; nothing about who loaded it)."""
    lines = [say("source", lang)]
    if batch is not None and batch.get("loaded_at") is not None:
        day = calendar.tehran_date(batch["loaded_at"])
        lines.insert(0, say("data_as_of", lang, when=day_label(day, lang)))
    return _macro("foot")(lang, lines)


# ---------------------------------------------------------------- notable actions

ACTIONS_SECONDS = 60  # an action entered on a form moves no data version: the public page sees it within a minute


@st.cache_data(ttl=ACTIONS_SECONDS, max_entries=512, show_spinner=False)
def public_actions(data_version: int, district: int, start: dt.date, end: dt.date) -> list[Action]:
    """The district's notable actions marked public that took place from ``start`` to ``end`` (excluded),
    newest first (``store.actions(public_only=True)``, and checked again here)."""
    from ui import data

    found = store.actions(data.engine(), district=district, start=start, end=end, public_only=True)
    return public_figures.public_only(found)


def _persian_or(value: str, lang: Lang) -> Markup:
    """Text typed by a district (a title, a category, a description): in its own language's element on the
    English page when it is written in Persian, with «(in Persian)» once where it matters."""
    if lang == "en" and _PERSIAN_RUN.search(value):
        return in_lang("fa", value)
    return mark_foreign(value, lang)


def coverage_html(action: Action, lang: Lang) -> Markup:
    """«۳ خبر · ۱۲ محتوای فضای مجازی · ۱ نشست مردمی»: the coverage counts that are known."""
    parts = [
        say(key, lang, n=figure_text(n, 0, lang))
        for key, n in (
            ("news_items", action.news_items),
            ("social_posts", action.social_posts),
            ("public_meetings", action.public_meetings),
        )
        if n is not None
    ]
    return html.join(parts, " · ") if parts else say("no_coverage", lang)


def actions_html(found: list[Action], lang: Lang) -> Markup:
    """The notable actions, newest first: title, Jalali date, category, description and coverage. Nothing
    else of an action reaches the page (who entered it, its batch, citizens' feedback, its links)."""
    if not found:
        return paragraph("no_actions", lang)
    items = []
    persian = False
    for action in found:
        persian = persian or (lang == "en" and bool(_PERSIAN_RUN.search(action.title + action.description)))
        items.append(
            {
                "id": int(action.id),
                "title": _persian_or(action.title, lang),
                "day": day_label(action.occurred_on, lang),
                "category": _persian_or(action.category, lang),
                "description": _persian_or(action.description, lang) if action.description.strip() else None,
                "coverage": coverage_html(action, lang),
            }
        )
    note = paragraph("in_persian", lang) if persian else Markup()
    return _macro("actions")(lang, note, items, say("coverage", lang))
