"""گزارش به شهروندان (/public): what a district did in a month, in plain Persian or in English.

Only what the catalog marks public and the notable actions marked public; nothing the centre keeps
internal (ranks, alerts, targets, reporting records, commitments, notes, accounts). Registered only by
the public site (``ui/public_site.py``).
"""

import streamlit as st

from monitoring import calendar, figures
from monitoring import public as public_figures
from monitoring.calendar import Period
from ui import data, public
from ui.public import paragraph, section_heading

lang = public.current_lang()
version = data.version()
catalog = data.catalog(version)
reference = data.districts(version)
names = {
    "fa": dict(zip(reference["district"].astype(int), reference["name_fa"], strict=True)),
    "en": dict(zip(reference["district"].astype(int), reference["name_en"], strict=True)),
}

top = st.empty()
st.html(section_heading("title", lang, level=1) + paragraph("intro", lang, cls="pub-intro"))
bounds = data.period_range(version)
if bounds is None:
    top.html(public.top_html(lang, {}))
    public.notice("info", "no_data")
    st.stop()

choice = public.pick(names, bounds, lang)
top.html(public.top_html(lang, choice.to_params(lang)))
period = Period.month(*choice.month)
month = public.period_label(period, lang)
summaries = data.district_summaries(version, period)

if figures.months_due(period, calendar.today_in_tehran()) == 0:
    public.notice("info", "month_running")

if choice.district is None:
    every = {d: public_figures.district_figures(summaries, catalog, d) for d in names["fa"]}
    st.html(
        section_heading("all_districts", lang, month=month)
        + paragraph("all_districts_hint", lang)
        + public.districts_table_html(every, names, choice, lang)
    )
else:
    district = choice.district
    facts = reference[reference["district"] == district].iloc[0]
    st.html(
        section_heading("heading", lang, district=public.district_name(names, district, lang), month=month)
        + paragraph(
            "facts",
            lang,
            cls="pub-facts",
            population=public.figure_text(facts["population"], 0, lang),
            area=public.figure_text(facts["area_km2"], 1, lang),
        )
    )
    shown = public_figures.district_figures(summaries, catalog, district)
    if shown:
        body = public.figures_html(shown, period, lang) + paragraph("how_compared", lang)
    else:
        body = paragraph("no_public_figures", lang)
    st.html(section_heading("figures", lang, level=3) + body)
    found = public.public_actions(version, district, period.start, period.end)
    st.html(section_heading("actions", lang, level=3) + public.actions_html(found, lang))

st.html(public.foot_html(data.latest_batch(version), lang))
