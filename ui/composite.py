"""The composite index's choice on the rankings page: which metrics and with what weights.

The choice lives in the URL (``index=news_published:2,citizen_satisfaction:1``) and in a plain
session entry, so it survives moving to another page and back, and a hidden tab (whose widgets
Streamlit forgets) gets it back. A link someone shared wins when the page is entered; what it
names that cannot be used (an unknown or neutral metric, a weight outside 1–10) is dropped or
brought inside, with a short Persian notice.
"""

from __future__ import annotations

import streamlit as st

from monitoring import calendar, rankings
from monitoring.metrics import Metric
from ui import messages, state
from ui.period import PLACEHOLDER

PARAM = "index"
METRICS_KEY = "rank_index_metrics"
_CHOICE = "_rank_index"  # the choice as the URL writes it; survives pages and hidden tabs
_ENTRY = "_rank_index_entry"
NONE = "none"  # the URL's word for «no metric chosen»


def _weight_key(code: str) -> str:
    return f"rank_index_w_{code}"


def choice(page: str, catalog: dict[str, Metric]) -> dict[str, int]:
    """The composite as chosen now: the widgets' values when they are on screen, else the session's
    choice, else the link's on entering the page, else ``rankings.default_weights``."""
    entry = state.entered_params(page)
    if st.session_state.get(_ENTRY) is not entry:  # the page was just entered: a link's choice wins
        st.session_state[_ENTRY] = entry
        if entry.get(PARAM):
            weights, problems = rankings.parse_weights(entry[PARAM], catalog)
            for problem in problems:
                messages.link_problem(problem.fa, problem.en)
            st.session_state[_CHOICE] = rankings.format_weights(weights) or NONE
            for key in [k for k in st.session_state if str(k).startswith("rank_index_")]:
                del st.session_state[key]
    if METRICS_KEY in st.session_state:  # the widgets hold this run's choice
        codes = [c for c in st.session_state[METRICS_KEY] if c in catalog]
        weights = {c: int(st.session_state.get(_weight_key(c), 1)) for c in codes}
    else:
        text = st.session_state.get(_CHOICE)
        weights = rankings.default_weights(catalog) if text is None else rankings.parse_weights(text, catalog)[0]
    st.session_state[_CHOICE] = rankings.format_weights(weights) or NONE
    return weights


def url_value(catalog: dict[str, Metric]) -> str:
    """The composite as the URL keeps it; empty (no parameter) while it is the default one."""
    text = st.session_state.get(_CHOICE, "")
    return "" if text == rankings.format_weights(rankings.default_weights(catalog)) else text


def picker(catalog: dict[str, Metric], weights: dict[str, int]) -> dict[str, int]:
    """The metrics (a multiselect of Persian names, neutral ones left out) and a weight for each."""
    options = rankings.rankable(catalog)
    if METRICS_KEY not in st.session_state:
        st.session_state[METRICS_KEY] = [c for c in weights if c in options]
    for code, weight in weights.items():
        st.session_state.setdefault(_weight_key(code), weight)
    neutral = [m.name_fa for m in catalog.values() if m.direction == "neutral"]
    codes = st.multiselect(
        "شاخص‌های سازندهٔ شاخص ترکیبی",
        options,
        format_func=lambda c: catalog[c].name_fa,
        key=METRICS_KEY,
        placeholder=PLACEHOLDER,
        help="شاخص‌های خنثی خوب و بد ندارند و انتخاب‌شدنی نیستند.",
    )
    if neutral:
        st.caption("شاخص‌های خنثی (" + "، ".join(neutral) + ") خوب و بد ندارند و در شاخص ترکیبی نمی‌آیند.")
    chosen: dict[str, int] = {}
    for i, code in enumerate(codes):
        if i % 2 == 0:  # a row of two on a desk; on a phone the rows stack in the chosen order
            columns = st.columns(2)
        st.session_state.setdefault(_weight_key(code), 1)
        chosen[code] = int(
            columns[i % 2].selectbox(  # a selectbox shows Persian digits; a number field would not
                f"وزن «{catalog[code].name_fa}»",
                rankings.INDEX_WEIGHTS,
                format_func=calendar.to_persian_digits,
                key=_weight_key(code),
                placeholder=PLACEHOLDER,
                help="از ۱ تا ۱۰؛ وزن ۲ یعنی دو برابر اثر",
            )
        )
    st.session_state[_CHOICE] = rankings.format_weights(chosen) or NONE
    return chosen
