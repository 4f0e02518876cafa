"""The public page's glue: its language, look, pickers, notices and HTML, in Persian or English.

Every string comes from ``ui/public_text.py``. Each language's text sits in an element marked with its
own ``lang`` (and ``dir``): the page's blocks carry the page's language, and a piece in the other one (a
notable action's Persian title on the English page, the English beside a Persian notice) is wrapped in
an element of its own, so that neither reorders the other and a screen reader reads each in its voice.
Numbers are the dashboard's own (``monitoring.calendar.format_figure``, ``format_percent_change``): in
Persian digits with «٬» on the Persian page, and the same figure in Latin digits on the English one
(``calendar.english_figures``); dates are Jalali in both ("Mehr 1404").
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
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
from monitoring.text import escape_html, plain
from ui import messages, seam, skiplink
from ui import period as ui_period
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


def current_lang() -> Lang:
    """The page's language, from the address (``?lang=en``); Persian otherwise."""
    return lang_of(st.query_params.get(LANG_PARAM)) or "fa"


def other(lang: Lang) -> Lang:
    return "en" if lang == "fa" else "fa"


def lang_attrs(lang: Lang) -> str:
    return f'lang="{lang}" dir="{DIRECTION[lang]}"'


def in_lang(lang: Lang, escaped: str, tag: str = "span", cls: str = "") -> str:
    """``escaped`` HTML in an element marked with ``lang`` and its direction."""
    klass = f' class="{cls}"' if cls else ""
    return f"<{tag}{klass} {lang_attrs(lang)}>{escaped}</{tag}>"


def mark_foreign(escaped: str, lang: Lang) -> str:
    """Escaped text of the page's ``lang`` with each piece in the other language in its own element:
    Latin runs on the Persian page (``messages.isolate_embedded``), Persian runs on the English page."""
    if lang == "fa":  # and a code in Persian digits («۱۴۰۴-۰۷») kept in its order
        return _PERSIAN_CODE.sub(r'<bdi dir="ltr">\g<0></bdi>', messages.isolate_embedded(escaped))
    return _PERSIAN_RUN.sub(lambda m: f'<bdi lang="fa" dir="rtl">{m.group(0)}</bdi>', escaped)


def say(key: str, lang: Lang, **values: object) -> str:
    """The string ``key`` in ``lang``, escaped, with any value in the other language marked as such."""
    return mark_foreign(escape_html(text(key, lang, **values)), lang)


# ---------------------------------------------------------------- numbers, units, dates


def figure_text(value: float | None, decimals: int, lang: Lang) -> str:
    shown = calendar.format_figure(value, decimals, missing="")
    return calendar.english_figures(shown) if lang == "en" else shown


def unit_html(metric: Metric, lang: Lang) -> str:
    """The unit written after a value (``metrics.unit_text``), in English on the English page; a unit the
    table of English units lacks stays Persian, marked so."""
    unit = metrics.unit_text(metric)
    if lang == "fa":
        return escape_html(unit)
    if unit in UNITS_EN:
        return escape_html(UNITS_EN[unit])
    score = re.fullmatch(r"از (.+)", unit)
    if score:  # a score out of its maximum: «از ۲۰»
        return escape_html(text("out_of", "en", n=calendar.english_figures(score.group(1))))
    return in_lang("fa", escape_html(unit))


def value_html(metric: Metric, value: float | None, decimals: int, lang: Lang) -> str:
    number = figure_text(value, decimals, lang)
    unit = unit_html(metric, lang)
    joint = "" if unit in ("٪", "%") else " "
    return f'{escape_html(number)}{joint}<span class="u">{unit}</span>'


def period_label(period: Period, lang: Lang) -> str:
    return period.label_en if lang == "en" else period.label


def day_label(day: dt.date, lang: Lang) -> str:
    return calendar.day_label(day, english=lang == "en")


def metric_name(metric: Metric, lang: Lang) -> str:
    """The metric's name in ``lang``, escaped; a metric without an English name keeps its Persian one,
    marked so."""
    if lang == "en":
        english = plain(metric.name_en).strip()
        return escape_html(english) if english else in_lang("fa", escape_html(metric.name_fa))
    return mark_foreign(escape_html(metric.name_fa), "fa")


def district_name(names: dict[str, dict[int, str]], district: int, lang: Lang) -> str:
    """A district's name as text in ``lang`` (the store's name_fa or name_en)."""
    return names[lang].get(district) or names["fa"][district]


# ---------------------------------------------------------------- look


_CSS = """<style>
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
</style>"""

# the document's own language: Streamlit's page says <html lang="en">, so the labels of its widgets
# would be English on the Persian page for a screen reader; the script marks the document itself
_DOCUMENT_LANG = """<script>document.documentElement.lang = %(lang)s;</script>"""


def apply_look(lang: Lang) -> None:
    """The page's direction and look for ``lang``, and the document's ``lang``."""
    align = "right" if lang == "fa" else "left"
    st.html(seam.css(_CSS % {"dir": DIRECTION[lang], "align": align}))
    st.html(_DOCUMENT_LANG % {"lang": json.dumps(lang)}, unsafe_allow_javascript=True)
    skiplink.install(lang)  # Streamlit's hidden «Skip to main content», in the page's language


# ---------------------------------------------------------------- blocks


def heading(key: str, **values: object) -> None:
    lang = current_lang()
    st.html(f"<h1 {lang_attrs(lang)}>{say(key, lang, **values)}</h1>")


def _in(value: object, lang: Lang) -> object:
    """A value for a sentence in ``lang``: a Jalali month (year, month) or a period by its name there."""
    if isinstance(value, Period):
        return period_label(value, lang)
    if isinstance(value, tuple) and len(value) == 2:
        return _month_text(value, lang)
    return value


def note_html(kind: str, key: str, lang: Lang, **values: object) -> str:
    """A notice in the page's language with the other language under it, each marked with its own."""
    second = other(lang)
    first_values = {k: _in(v, lang) for k, v in values.items()}
    second_values = {k: _in(v, second) for k, v in values.items()}
    return (
        f'<div class="pub-note {kind}" role="{"alert" if kind != "info" else "status"}" data-kind="{kind}">'
        f"<p {lang_attrs(lang)}>{say(key, lang, **first_values)}</p>"
        f'<p class="second" {lang_attrs(second)}>{say(key, second, **second_values)}</p></div>'
    )


def notice(kind: str, key: str, **values: object) -> None:
    st.html(note_html(kind, key, current_lang(), **values))


def fault(exc: BaseException, where: str) -> None:
    """A fault of ours: logged with its traceback, the reader gets a reference in both languages."""
    reference = logs.report_unexpected(exc, where)
    notice("error", "fault", reference=reference)


def switch_html(lang: Lang, params: dict[str, str]) -> str:
    """The link to the same view in the other language (a new page load: the address is the state)."""
    target = other(lang)
    query = {k: v for k, v in params.items() if k != LANG_PARAM}
    if target == "en":
        query[LANG_PARAM] = "en"
    href = "?" + urlencode(query) if query else "./"
    # the hint is in the page's language, on an element of the page's language; the link names the other
    return (
        f'<span class="pub-switch" {lang_attrs(lang)} title="{escape_html(text("switch_hint", lang))}">'
        f'<a href="{escape_html(href)}" target="_self" hreflang="{target}" {lang_attrs(target)}>'
        f"{escape_html(text('switch_to', lang))}</a></span>"
    )


def top_html(lang: Lang, params: dict[str, str]) -> str:
    return f'<div class="pub-top"><span {lang_attrs(lang)}>{say("publisher", lang)}</span>{switch_html(lang, params)}</div>'


_SLOT = "\ue000"  # where a period's label goes into a sentence already escaped (a private-use character)


def change_html(metric: Metric, change: float | None, against: Period, lang: Lang) -> str:
    """A like-for-like change as a chip (the arrow follows the sign, the colour the metric's direction:
    ``overview.change_tone``) and the period it is against."""
    when = escape_html(period_label(against, lang))
    if change is None:
        return f'<div class="d">{say("no_comparison", lang, period=period_label(against, lang))}</div>'
    tone, arrow = change_tone(metric, change)
    shown = calendar.format_percent_change(change)
    if lang == "en":
        shown = calendar.english_figures(shown).replace("\u2212", "-")
    mark = {"up": "↑", "down": "↓"}.get(arrow, "")
    meaning = {"good": "better", "bad": "worse", "flat": "unchanged", "neutral": "changed"}[tone]
    chip = f'<span class="pub-chg {tone}" title="{escape_html(text(meaning, lang))}">{mark} {escape_html(shown)}</span>'
    against_text = mark_foreign(escape_html(text("against", lang, period=_SLOT)), lang).replace(_SLOT, when)
    return f'<div class="d">{chip} {against_text}</div>'


def figures_html(figures: list[PublicFigure], period: Period, lang: Lang) -> str:
    """The cards of a district's public figures: value and unit («گزارش نشده» when it did not report,
    never zero), the change against the month before and the same month a year earlier."""
    cards = []
    for f in figures:
        if f.reported:
            value = f'<div class="v">{value_html(f.metric, f.value, f.decimals, lang)}</div>'
        else:
            value = (
                f'<div class="v missing" title="{escape_html(text("not_reported_hint", lang))}">'
                f"{say('not_reported', lang)}</div>"
            )
        changes = ""
        if f.reported:
            changes = change_html(f.metric, f.change_previous, period.previous(), lang) + change_html(
                f.metric, f.change_last_year, period.year_before(), lang
            )
        cards.append(
            f'<div class="pub-card" data-metric="{escape_html(f.metric.code)}">'
            f'<div class="t">{metric_name(f.metric, lang)}</div>{value}{changes}</div>'
        )
    return f'<div class="pub-cards" {lang_attrs(lang)}>{"".join(cards)}</div>'


def paragraph(key: str, lang: Lang, cls: str = "pub-muted", **values: object) -> str:
    return f'<p class="{cls}" {lang_attrs(lang)}>{say(key, lang, **values)}</p>'


def section_heading(key: str, lang: Lang, level: int = 2, **values: object) -> str:
    return f"<h{level} {lang_attrs(lang)}>{say(key, lang, **values)}</h{level}>"


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
) -> str:
    """Every district's public figures for the month, one row a district in number order (never ranked),
    each name a link to the district's own view; «گزارش نشده» where a district did not report."""
    first = next(iter(every.values()), [])
    if not first:
        return paragraph("no_public_figures", lang)
    headers = [text("district", lang)] + [_header(f.metric, lang) for f in first]
    labels = [escape_html(text("district", lang))] + [metric_name(f.metric, lang) for f in first]
    head = "".join(f"<th>{h}</th>" for h in [escape_html(headers[0]), *headers[1:]])
    rows = []
    for district, shown in every.items():
        name = escape_html(district_name(names, district, lang))
        cells = [
            f'<td data-label="{labels[0]}"><a href="{escape_html(district_href(district, choice, lang))}" target="_self">{name}</a></td>'
        ]
        for label, f in zip(labels[1:], shown, strict=True):
            if f.reported:
                cells.append(
                    f'<td data-label="{escape_html(plain_label(label))}">{escape_html(figure_text(f.value, f.decimals, lang))}</td>'
                )
            else:
                cells.append(
                    f'<td class="missing" data-label="{escape_html(plain_label(label))}">{say("not_reported", lang)}</td>'
                )
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<div class="pub-table-wrap" {lang_attrs(lang)}><table class="pub-table">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _header(metric: Metric, lang: Lang) -> str:
    """A column's head: the metric's name and, unless the name already says it, its unit."""
    name, unit = metric_name(metric, lang), unit_html(metric, lang)
    return name if plain_label(unit).lower() in plain_label(name).lower() else f"{name} ({unit})"


_TAGS = re.compile(r"<[^>]+>")


def plain_label(html_text: str) -> str:
    """The text of a small piece of HTML written here (a metric's name in its element), for an attribute."""
    return html.unescape(_TAGS.sub("", html_text))


def foot_html(batch: dict | None, lang: Lang) -> str:
    """The source and «data as of» (the day the last batch landed, Tehran's date; nothing about who loaded it)."""
    parts = [say("source", lang)]
    if batch is not None and batch.get("loaded_at") is not None:
        day = calendar.tehran_date(batch["loaded_at"])
        parts.insert(0, say("data_as_of", lang, when=day_label(day, lang)))
    return f'<div class="pub-foot" {lang_attrs(lang)}>{"<br>".join(parts)}</div>'


# ---------------------------------------------------------------- notable actions

ACTIONS_SECONDS = 60  # an action entered on a form moves no data version: the public page sees it within a minute


@st.cache_data(ttl=ACTIONS_SECONDS, max_entries=512, show_spinner=False)
def public_actions(data_version: int, district: int, start: dt.date, end: dt.date) -> list[Action]:
    """The district's notable actions marked public that took place from ``start`` to ``end`` (excluded),
    newest first (``store.actions(public_only=True)``, and checked again here)."""
    from ui import data

    found = store.actions(data.engine(), district=district, start=start, end=end, public_only=True)
    return public_figures.public_only(found)


def _persian_or(value: str, lang: Lang) -> str:
    """Text typed by a district (a title, a category, a description): in its own language's element on the
    English page when it is written in Persian, with «(in Persian)» once where it matters."""
    escaped = escape_html(value)
    if lang == "en" and _PERSIAN_RUN.search(value):
        return in_lang("fa", escaped)
    return mark_foreign(escaped, lang)


def coverage_html(action: Action, lang: Lang) -> str:
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
    return " · ".join(parts) if parts else say("no_coverage", lang)


def actions_html(found: list[Action], lang: Lang) -> str:
    """The notable actions, newest first: title, Jalali date, category, description and coverage. Nothing
    else of an action reaches the page (who entered it, its batch, citizens' feedback, its links)."""
    if not found:
        return paragraph("no_actions", lang)
    items = []
    persian = False
    for action in found:
        persian = persian or (lang == "en" and bool(_PERSIAN_RUN.search(action.title + action.description)))
        description = (
            f'<p class="desc">{_persian_or(action.description, lang)}</p>' if action.description.strip() else ""
        )
        items.append(
            f'<li class="pub-action" data-action="{int(action.id)}">'
            f"<h3>{_persian_or(action.title, lang)}</h3>"
            f'<div class="meta">{escape_html(day_label(action.occurred_on, lang))} · '
            f"{_persian_or(action.category, lang)}</div>"
            f"{description}"
            f'<div class="cov"><span {lang_attrs(lang)}>{say("coverage", lang)}:</span> {coverage_html(action, lang)}</div>'
            "</li>"
        )
    note = paragraph("in_persian", lang) if persian else ""
    return f'{note}<ul class="pub-actions" {lang_attrs(lang)}>{"".join(items)}</ul>'
