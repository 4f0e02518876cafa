"""رتبه‌بندی مناطق: the 22 districts ranked on one metric and period, raw or per resident."""

import pandas as pd
import streamlit as st

from monitoring import charts, rankings
from ui import data, fmt, messages, plot, state, tables

version = data.version()
catalog = data.catalog(version)

st.title("رتبه‌بندی مناطق")
bounds = data.bounds_or_stop(version)
view = state.begin("rankings", catalog, bounds)
names = data.district_names(version)

period = state.pick_period(view, bounds)
district = state.pick_district(view, names)

top = st.columns([3, 2])
metric = state.pick_metric(catalog, top[0])
code = metric.code
measure_choice = state.pick_measure(view, metric, top[1])
state.commit(state.View(code, period, measure_choice, district))

measure = rankings.effective_measure(metric, measure_choice)
ref = data.districts(version)
values = data.district_values(version, metric.code, metric.aggregation, period.start, period.end)
ranked = rankings.rank_districts(values, ref, metric, measure, period.month_count)
value_label = fmt.measure_value_label(metric, measure)
decimals = fmt.measure_decimals(metric, measure, ranked["value"])
neutral = metric.direction == "neutral"
reported = int(ranked["reported"].sum())

st.caption(
    f"{period.label} · {rankings.DIRECTION_LABELS[metric.direction]} · "
    f"{fmt.digits(reported)} از {fmt.digits(len(ref))} منطقه گزارش داده‌اند"
    + ("" if metric.aggregation == "sum" else " · میانگین ماه‌های دوره")
)

if district is not None:
    mine = ranked[ranked["district"] == district].iloc[0]
    shown = fmt.value_text(metric, mine["value"], decimals, measure)
    if not mine["reported"]:
        messages.warning(f"{names[district]} برای {period.label} این شاخص را گزارش نکرده است؛ در رتبه‌بندی نیست.")
    elif neutral:
        messages.info(f"{names[district]}: {shown}. این شاخص خنثی است و رتبه ندارد.")
    else:
        rank = int(mine["rank"])
        tone = rankings.rank_tone(rank, reported)
        text = f"{names[district]}: رتبهٔ {fmt.digits(rank)} از {fmt.digits(reported)}، {shown}"
        {"good": messages.success, "bad": messages.error}.get(tone, messages.info)(text)

plot.plotly_chart(
    charts.ranking_bars(ranked, value_label, decimals, highlight=district, neutral=neutral), "ranking_bars"
)

table = pd.DataFrame(
    {
        "رتبه": [
            rankings.NOT_REPORTED if not rep else ("—" if pd.isna(r) else fmt.digits(int(r)))
            for r, rep in zip(ranked["rank"], ranked["reported"], strict=True)
        ],
        "منطقه": ranked["name_fa"],
        value_label: [fmt.value_text(metric, v, decimals, measure, short=True) for v in ranked["value"]],
        "رقم خام": [fmt.value_text(metric, v, metric.decimals) for v in ranked["raw"]],
        "ماه‌های گزارش‌شده": [f"{fmt.digits(m)} از {fmt.digits(period.month_count)}" for m in ranked["months"]],
    }
)
if measure == "raw":
    table = table.drop(columns="رقم خام")
tables.show(
    table,
    highlight=(ranked["district"] == district).tolist(),
    numeric=[value_label, "رقم خام"],
    phone_hidden=["رقم خام", "ماه‌های گزارش‌شده"],
    stack_on_phone=False,
)
incomplete = ranked[ranked["reported"] & ~ranked["complete"]]
if len(incomplete):
    st.caption("ناقص: " + "، ".join(incomplete["name_fa"]) + " همهٔ ماه‌های دوره را گزارش نکرده‌اند.")

if district is not None:
    st.subheader(f"جایگاه {names[district]} در همهٔ شاخص‌ها، {period.label}")
    profile = rankings.district_profile(
        data.metric_district_values(version, period.start, period.end), ref, catalog, district, measure_choice
    )
    rows = []
    for p in profile.itertuples(index=False):
        m = catalog[p.metric]
        if not p.reported:
            place = rankings.NOT_REPORTED
        elif m.direction == "neutral":
            place = rankings.NOT_RANKED
        else:
            place = f"{fmt.digits(int(p.rank))} از {fmt.digits(p.ranked)}"
        rows.append(
            {
                "شاخص": m.name_fa,
                "مقدار": fmt.value_text(m, p.value, fmt.measure_decimals(m, p.measure, [p.value]), p.measure),
                "رتبه": place,
                "جهت": rankings.DIRECTION_LABELS[m.direction],
            }
        )
    tables.show(
        pd.DataFrame(rows), numeric=["مقدار"], wrap=["شاخص", "مقدار"], phone_hidden=["جهت"], stack_on_phone=False
    )
