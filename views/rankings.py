"""رتبه‌بندی مناطق: the 22 districts ranked on one metric and period, raw or per resident."""

import pandas as pd
import streamlit as st

from monitoring import charts, metrics, rankings
from ui import data, fmt, plot
from ui.period import period_picker
from ui.urlstate import view_from_url

catalog = metrics.catalog()
version = data.version()

st.title("رتبه‌بندی مناطق")
bounds = data.bounds_or_stop(version)
view = view_from_url(catalog, {"metric": "rank_metric", "measure": "rank_measure", "district": "rank_district"})

with st.sidebar:
    st.subheader("دوره")
    period = period_picker(bounds, key="rank", default=view.period)

top = st.columns([3, 2, 2])
code = top[0].selectbox("شاخص", list(catalog), format_func=lambda c: catalog[c].name_fa, key="rank_metric")
metric = catalog[code]
measure_choice = top[1].radio(
    "سنجه", rankings.MEASURES, format_func=rankings.MEASURE_LABELS.get, horizontal=True, key="rank_measure"
)
ref = data.districts(version)
district = top[2].selectbox(
    "منطقهٔ من",
    ref["district"].tolist(),
    format_func=lambda d: f"منطقه {fmt.digits(d)}",
    placeholder="همهٔ مناطق",
    key="rank_district",
)

view.metric, view.measure, view.district = code, measure_choice, district
st.query_params.from_dict(view.to_params(period))

measure = rankings.effective_measure(metric, measure_choice)
if measure != measure_choice:
    st.info("این شاخص نرخ یا میانگین است و به جمعیت یا مساحت تقسیم نمی‌شود؛ رتبه‌بندی بر پایهٔ رقم خام است.")
values = data.district_values(version, metric.code, metric.aggregation, period.start, period.end)
ranked = rankings.rank_districts(values, ref, metric, measure, period.month_count)
value_label = fmt.measure_value_label(metric, measure)
decimals = fmt.measure_decimals(metric, measure)

direction_note = rankings.DIRECTION_LABELS[metric.direction]
reported = int(ranked["reported"].sum())
st.caption(
    f"{period.label} · {direction_note} · {fmt.digits(reported)} از {fmt.digits(len(ref))} منطقه گزارش داده‌اند"
    + ("" if metric.aggregation == "sum" else " · میانگین ماه‌های دوره")
)

if district is not None:
    mine = ranked[ranked["district"] == district].iloc[0]
    if mine["reported"]:
        st.success(
            f"منطقه {fmt.digits(district)}: رتبهٔ {fmt.digits(int(mine['rank']))} از {fmt.digits(reported)} — "
            f"{value_label}: {fmt.num(mine['value'], decimals)}"
        )
    else:
        st.warning(f"منطقه {fmt.digits(district)} برای {period.label} گزارش نکرده است.")

plot.plotly_chart(charts.ranking_bars(ranked, value_label, decimals, highlight=district), "ranking_bars")

table = pd.DataFrame(
    {
        "رتبه": [rankings.NOT_REPORTED if pd.isna(r) else fmt.digits(int(r)) for r in ranked["rank"]],
        "منطقه": ranked["name_fa"],
        value_label: [fmt.num(v, decimals, missing=rankings.NOT_REPORTED) for v in ranked["value"]],
        "رقم خام": [fmt.num(v, metric.decimals, missing=rankings.NOT_REPORTED) for v in ranked["raw"]],
        "ماه‌های گزارش‌شده": [f"{fmt.digits(m)} از {fmt.digits(period.month_count)}" for m in ranked["months"]],
    }
)
if measure == "raw":
    table = table.drop(columns="رقم خام")
mine = (ranked["district"] == district).tolist()
st.table(
    table.style.apply(lambda row: ["background-color: #fdebd6" if mine[row.name] else "" for _ in row], axis=1),
    hide_index=True,
    border="horizontal",
)
incomplete = ranked[ranked["reported"] & ~ranked["complete"]]
if len(incomplete):
    st.caption("ناقص: " + "، ".join(incomplete["name_fa"]) + " همهٔ ماه‌های دوره را گزارش نکرده‌اند.")

if district is not None:
    st.subheader(f"جایگاه منطقه {fmt.digits(district)} در همهٔ شاخص‌ها — {period.label}")
    profile = rankings.district_profile(
        data.metric_district_values(version, period.start, period.end), ref, catalog, district, measure_choice
    )
    st.table(
        pd.DataFrame(
            {
                "شاخص": [catalog[c].name_fa for c in profile["metric"]],
                "مقدار": [
                    fmt.num(v, fmt.measure_decimals(catalog[c], m), missing=rankings.NOT_REPORTED)
                    for c, v, m in zip(profile["metric"], profile["value"], profile["measure"], strict=True)
                ],
                "سنجه": [rankings.MEASURE_LABELS[m] for m in profile["measure"]],
                "رتبه": [
                    rankings.NOT_REPORTED if pd.isna(r) else f"{fmt.digits(int(r))} از {fmt.digits(n)}"
                    for r, n in zip(profile["rank"], profile["ranked"], strict=True)
                ],
                "جهت": [rankings.DIRECTION_LABELS[catalog[c].direction] for c in profile["metric"]],
            }
        ),
        hide_index=True,
        border="horizontal",
    )
