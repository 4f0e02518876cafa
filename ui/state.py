"""Choices that follow the user: period, metric, measure and district, shared by every page and
kept in the URL, so a copied link reopens the same view.

Streamlit forgets a widget's value when a page that does not draw it runs, so the choices live
in one plain session entry (``_view``) and the widgets are seeded from it whenever a page is
entered. On entering a page the URL is read first: a link someone shared wins over what this
session chose before, and a value that is malformed or outside the data is replaced by the
nearest valid one, with a short notice saying what was changed. The URL is read again whenever it
is not what this session last wrote into it (Back, Forward, a link to the same page), so Back shows
the view the address names.

«منطقهٔ من» (``district``) changes only in the sidebar. The district page looks at ``show`` when a
link names one (a tile, a bar, a table's name, an alert line) and at «منطقهٔ من» otherwise, with a
picker of its own (:func:`pick_shown`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import streamlit as st

from monitoring import calendar
from monitoring.calendar import Period
from monitoring.message import Message
from monitoring.metrics import Metric
from monitoring.rankings import MEASURE_LABELS, MEASURES
from ui import messages, navigate, seam
from ui.period import PLACEHOLDER, forget, month_bounds, nearest, period_picker

_SHARED = "_view"
_PAGE = "_view_page"
_COMMITTED = "_view_committed"  # the parameters this session last wrote into the URL
_ENTERED = "_view_entered"
_LANDED = "_view_landed"  # set once this session (one browser document) has written its URL
# the parameters the document was opened with, while the browser may still report them after the address
# was normalised in place (Streamlit's frontend keeps them until the next URL message)
_OPENED_WITH = "_view_opened_with"
PERIOD_KEY = "view_period"
METRIC_KEY = "view_metric"
MEASURE_KEY = "view_measure"
DISTRICT_KEY = "view_district"
SHOW_PARAM = "show"  # the district page's district being looked at, when it is not «منطقهٔ من»
SHOW_KEY = "district_show"
_LOOKED = "_district_looked"
NO_DISTRICT = 0


@dataclass(frozen=True)
class View:
    metric: str
    period: Period
    measure: str
    district: int | None

    def to_params(self) -> dict[str, str]:
        params = {"metric": self.metric, "period": self.period.code, "measure": self.measure}
        if self.district:
            params["district"] = str(self.district)
        return params


@dataclass(frozen=True)
class Notice:
    """A value of the address that was ignored or replaced: the message, and the short line it is in a
    notice listing several (what was asked, what is shown)."""

    message: Message
    short_fa: str = ""

    @property
    def fa(self) -> str:
        return self.message.fa

    @property
    def en(self) -> str:
        return self.message.en


def _asked(text: str) -> str:
    """A value from the address, as a notice quotes it (cut short: it is the user's, of any length)."""
    text = text.strip()
    return text if len(text) <= 24 else text[:23] + "…"


def default_view(catalog: dict[str, Metric], bounds: tuple[dt.date, dt.date]) -> View:
    return View(next(iter(catalog)), Period.month(*month_bounds(bounds)[1]), "raw", None)


def read_params(
    params: dict[str, str],
    catalog: dict[str, Metric],
    bounds: tuple[dt.date, dt.date],
    base: View,
    districts: tuple[int, ...] = tuple(range(1, 23)),
) -> tuple[View, list[Notice]]:
    """The view a URL names, starting from ``base``: each value that is missing keeps ``base``'s,
    each that is malformed or out of range is replaced and explained in a Message."""
    view, notices = base, []
    metric = params.get("metric")
    if metric:
        if metric in catalog:
            view = replace(view, metric=metric)
        else:
            notices.append(
                Notice(
                    Message(
                        f"شاخصِ نام‌برده در پیوند در فهرست شاخص‌ها نیست؛ «{catalog[view.metric].name_fa}» نشان داده شد.",
                        f"Unknown metric '{metric}'; showing '{view.metric}' instead.",
                    ),
                    f"شاخص «{_asked(metric)}» نیست؛ «{catalog[view.metric].name_fa}» نشان داده شد",
                )
            )
    text = params.get("period")
    if text:
        first, last = month_bounds(bounds)
        try:
            asked = Period.parse(text)
        except (ValueError, calendar.PeriodParseError):
            notices.append(
                Notice(
                    Message(
                        "دورهٔ نام‌برده در پیوند خوانا نیست (نمونه: ۱۴۰۴-۰۷ برای مهر ۱۴۰۴ یا ۱۴۰۴ برای کل سال)؛ "
                        f"{view.period.label} نشان داده شد.",
                        f"Cannot read the period '{text}' (e.g. 1404-07, 1404-Q1, 1404); showing {view.period.code}.",
                    ),
                    f"دورهٔ «{_asked(text)}» خوانا نیست؛ {view.period.label} نشان داده شد",
                )
            )
        else:
            shown = nearest(asked, first, last)
            if shown != asked:
                span = f"{calendar.month_label(*first)} تا {calendar.month_label(*last)}"
                notices.append(
                    Notice(
                        Message(
                            f"برای {asked.label} داده‌ای نیست (داده‌ها از {span})؛ نزدیک‌ترین دوره، {shown.label}، نشان داده شد.",
                            f"There is no data for {asked.code}; showing the nearest period, {shown.code}.",
                        ),
                        f"برای {asked.label} داده‌ای نیست؛ {shown.label} نشان داده شد",
                    )
                )
            view = replace(view, period=shown)
    measure = params.get("measure")
    if measure:
        if measure in MEASURES:
            view = replace(view, measure=measure)
        else:
            notices.append(
                Notice(
                    Message(
                        "سنجهٔ نام‌برده در پیوند شناخته نشد؛ رقم خام نشان داده شد.",
                        f"Unknown measure '{measure}' (raw, per10k, perkm2); showing raw figures.",
                    ),
                    f"سنجهٔ «{_asked(measure)}» نیست؛ رقم خام نشان داده شد",
                )
            )
    district = params.get("district")
    if district:
        number = calendar.to_latin_digits(district).strip()
        if number.isdigit() and int(number) in districts:
            view = replace(view, district=int(number))
        else:
            notices.append(
                Notice(
                    Message(
                        "منطقهٔ نام‌برده در پیوند وجود ندارد (مناطق ۱ تا ۲۲ هستند)؛ هیچ منطقه‌ای برجسته نشد.",
                        f"There is no district '{district}' (1 to 22); no district is highlighted.",
                    ),
                    f"منطقهٔ «{_asked(district)}» نیست (۱ تا ۲۲)؛ منطقه‌ای برجسته نشد",
                )
            )
    return view, notices


def begin(page: str, catalog: dict[str, Metric], bounds: tuple[dt.date, dt.date]) -> View:
    """The view this page opens with; on entering the page, the URL is read and the widgets are
    seeded from the shared choices. Notices about the URL are shown where this is called."""
    shared: View | None = st.session_state.get(_SHARED)
    base = shared or default_view(catalog, bounds)
    first, last = month_bounds(bounds)
    if base.metric not in catalog or not any(first <= m <= last for m in base.period.months):
        base = replace(base, metric=base.metric if base.metric in catalog else next(iter(catalog)))
        base = replace(base, period=nearest(base.period, first, last))
    asked = st.query_params.to_dict()
    if asked == st.session_state.get(_OPENED_WITH):  # the address this session normalised in place
        asked = st.session_state.get(_COMMITTED, asked)
    # entering the page, or the address changed under it (Back, Forward, a link to this same page):
    # the URL is read again, so Back shows the view it names rather than the last one chosen
    entering = st.session_state.get(_PAGE) != page or asked != st.session_state.get(_COMMITTED, asked)
    st.session_state[_ENTERED] = entering
    if entering:
        st.session_state[_PAGE] = page
        st.session_state[f"_entered_{page}"] = asked
        base, notices = read_params(asked, catalog, bounds, base)
        messages.begin_link_problems()  # the link's problems, this page's own too, in one notice here
        for n in notices:
            messages.link_problem(n.fa, n.en, n.short_fa)
        forget(PERIOD_KEY)
        st.session_state[METRIC_KEY] = base.metric
        st.session_state[MEASURE_KEY] = base.measure
        st.session_state[DISTRICT_KEY] = base.district or NO_DISTRICT
    else:
        messages.forget_link_problems()
    st.session_state[_SHARED] = base
    return base


def just_entered() -> bool:
    """Whether this run entered the page (or its address changed under it): its own choices are
    read from the URL again (see :func:`entered_params`)."""
    return bool(st.session_state.get(_ENTERED))


def entered_params(page: str) -> dict[str, str]:
    """The URL's parameters as they were when this page was entered (for a page's own choices)."""
    return st.session_state.get(f"_entered_{page}", {})


def leave(page: str) -> None:
    """For a page without the shared choices: entering another page re-reads them."""
    st.session_state[_PAGE] = page
    st.session_state.pop(_COMMITTED, None)
    _write_address({})


def pick_period(view: View, bounds: tuple[dt.date, dt.date]) -> Period:
    """The sidebar's period picker, seeded from the shared choice."""
    return period_picker(bounds, key=PERIOD_KEY, current=view.period)


def pick_district(view: View, names: dict[int, str]) -> int | None:
    """The sidebar's «منطقهٔ من»: one district highlighted on every page, or none."""
    options = [NO_DISTRICT, *names]
    if st.session_state.get(DISTRICT_KEY) not in options:
        st.session_state[DISTRICT_KEY] = NO_DISTRICT
    chosen = st.sidebar.selectbox(
        "منطقهٔ من",
        options,
        format_func=lambda d: "هیچ‌کدام (همهٔ مناطق)" if d == NO_DISTRICT else names[d],
        key=DISTRICT_KEY,
        placeholder=PLACEHOLDER,
        help="منطقه‌ای که در همهٔ نمودارها و جدول‌ها برجسته می‌شود",
    )
    return chosen or None


def _read_show(text: str | None, names: dict[int, str]) -> int | None:
    number = calendar.to_latin_digits(text or "").strip()
    if number and not (number.isdigit() and int(number) in names):
        messages.link_problem(
            "منطقهٔ نام‌برده در پیوند وجود ندارد (مناطق ۱ تا ۲۲ هستند)؛ «منطقهٔ من» نشان داده شد.",
            f"There is no district '{text}' (1 to 22); showing your own district.",
            f"منطقهٔ «{_asked(text or '')}» نیست؛ «منطقهٔ من» نشان داده شد",
        )
        return None
    return int(number) if number else None


def _looked_at(mine: int | None) -> None:
    chosen = st.session_state.get(SHOW_KEY)
    st.session_state[_LOOKED] = None if chosen == mine else chosen


def pick_shown(page: str, mine: int | None, names: dict[int, str], container) -> int | None:
    """The district page's own picker: the district looked at (``show`` in the URL), else «منطقهٔ من».
    Looking at another district never changes «منطقهٔ من»; while the user looks at their own, the page
    follows «منطقهٔ من» when it changes in the sidebar."""
    if just_entered():
        st.session_state[_LOOKED] = _read_show(entered_params(page).get(SHOW_PARAM), names)
    looked = st.session_state.get(_LOOKED)
    if looked == mine:  # looking at my own district: follow «منطقهٔ من» from now on
        looked = st.session_state[_LOOKED] = None
    st.session_state[SHOW_KEY] = looked if looked in names else mine
    chosen = container.selectbox(
        "منطقهٔ این صفحه",
        list(names),
        index=None,
        format_func=lambda d: names[d] + ("، منطقهٔ من" if d == mine else ""),
        key=SHOW_KEY,
        placeholder="منطقه‌ای برگزینید",
        on_change=_looked_at,
        args=(mine,),
        help="منطقه‌ای که این صفحه نشان می‌دهد؛ «منطقهٔ من» در نوار کناری عوض نمی‌شود",
    )
    return chosen


def show_param(shown: int | None, mine: int | None) -> dict[str, str]:
    """The ``show`` parameter of the district page's URL: only when it is not «منطقهٔ من»."""
    return {SHOW_PARAM: str(shown)} if shown is not None and shown != mine else {}


def pick_metric(catalog: dict[str, Metric], container, label: str = "شاخص") -> Metric:
    """The metric choice, shared by the pages."""
    code = container.selectbox(
        label, list(catalog), format_func=lambda c: catalog[c].name_fa, key=METRIC_KEY, placeholder=PLACEHOLDER
    )
    return catalog[code]


def pick_measure(view: View, metric: Metric, container) -> str:
    """Raw, per 10,000 residents or per km². A rate or an average cannot be divided by residents:
    for one, the choice shows «رقم خام», disabled, and the user's preference is kept for the next
    count they look at."""
    if MEASURE_KEY not in st.session_state:
        st.session_state[MEASURE_KEY] = view.measure
    if metric.per_capita:
        return container.radio("سنجه", MEASURES, format_func=MEASURE_LABELS.get, horizontal=True, key=MEASURE_KEY)
    container.radio(
        "سنجه",
        ["raw"],
        format_func=MEASURE_LABELS.get,
        horizontal=True,
        disabled=True,
        key=f"{MEASURE_KEY}_fixed",
        help="این شاخص نرخ یا میانگین است و به جمعیت یا مساحت تقسیم نمی‌شود؛ رقم خام نشان داده می‌شود.",
    )
    return st.session_state.get(MEASURE_KEY, view.measure)


def commit(view: View, extra: dict[str, str] | None = None) -> View:
    """Remember the choices for the next page and write them into the URL, with ``extra`` parameters
    of this page's own (e.g. the district page's ``compare``)."""
    before: View | None = st.session_state.get(_SHARED)
    st.session_state[_SHARED] = view
    params = view.to_params()
    params.update({k: v for k, v in (extra or {}).items() if v})
    _write_address(params)
    st.session_state[_COMMITTED] = params
    if before is not None and not just_entered() and _chose_in_sidebar(before, view):
        navigate.close_sidebar_on_phone()
    return view


def _write_address(params: dict[str, str]) -> None:
    """Put ``params`` in the URL. The session's first run serves the address the browser opened (typed,
    a bookmark, a bare ``/rankings``): its normalised form replaces that history entry, so Back leaves
    the page in one press (Streamlit would push it as a second entry). Later a new choice is a new
    view: one call, one entry (a followed link's run replaces it, see ui/navigate.py)."""
    landing = not st.session_state.get(_LANDED)
    st.session_state[_LANDED] = True
    asked = st.query_params.to_dict()
    if asked == params:
        return
    if landing and seam.write_query_params_quietly(params):
        st.session_state[_OPENED_WITH] = asked
        navigate.replace_address(params)
    else:
        st.session_state.pop(_OPENED_WITH, None)  # the browser is told the URL again: nothing stale
        st.query_params.from_dict(params)


def _chose_in_sidebar(before: View, after: View) -> bool:
    """A period (not only its kind: a month, season or year is still to be picked) or «منطقهٔ من»
    chosen in the sidebar: on a phone the sidebar gives the page back."""
    period = before.period != after.period and before.period.kind == after.period.kind
    return period or before.district != after.district
