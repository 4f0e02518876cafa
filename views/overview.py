"""نمای کلی: city cards for the chosen period, the district tile map and the city trend."""

import streamlit as st

from monitoring import calendar, charts, metrics, overview, rankings
from ui import data, fmt, plot
from ui.period import period_picker
from ui.urlstate import view_from_url

catalog = metrics.catalog()
version = data.version()

st.title("نمای کلی مناطق ۲۲گانه")
st.caption("رصد دقیق و مستمر گزارش‌ها و آمار مناطق")
bounds = data.bounds_or_stop(version)
view = view_from_url(catalog, {"metric": "overview_metric", "measure": "overview_measure"})

with st.sidebar:
    st.subheader("دوره")
    period = period_picker(bounds, key="overview", default=view.period)

batch = data.latest_batch(version)
st.markdown(
    f'<div class="dash-asof">داده‌ها تا {calendar.month_label_of(bounds[1])} — '
    f"آخرین بارگذاری: {calendar.format_datetime(batch['loaded_at'])}</div>",
    unsafe_allow_html=True,
)

now = data.metric_district_values(version, period.start, period.end)
reference = data.districts(version)
silent = overview.missing_districts(reference, now)
if len(silent):
    st.markdown(
        f'<div class="dash-missing">هیچ گزارشی برای {period.label} نرسیده از: {"، ".join(silent["name_fa"])}</div>',
        unsafe_allow_html=True,
    )
before = period.previous()
year_ago = period.year_before()
cards = overview.build_cards(
    catalog,
    now,
    data.metric_district_values(version, before.start, before.end),
    data.metric_district_values(version, year_ago.start, year_ago.end),
    districts_total=len(reference),
)

st.subheader(f"شاخص‌های شهر — {period.label}")
for start in range(0, len(cards), 4):
    for column, card in zip(st.columns(4), cards[start : start + 4], strict=False):
        with column.container(border=True):
            m = card.metric
            st.metric(
                m.name_fa,
                fmt.num(card.value, m.decimals, missing="گزارش نشده"),
                delta=fmt.metric_delta(card.change_previous, before.label),
                delta_color={"higher": "normal", "lower": "inverse"}.get(m.direction, "off"),
            )
            reported = f"{fmt.digits(card.districts_reported)} از {fmt.digits(card.districts_total)} منطقه"
            st.caption(
                f"{reported} · نسبت به {year_ago.label}: {calendar.format_percent_change(card.change_last_year)}"
            )

st.divider()
pick_metric, pick_measure = st.columns([3, 2])
codes = list(catalog)
metric = catalog[
    pick_metric.selectbox("شاخص نقشه و روند", codes, format_func=lambda c: catalog[c].name_fa, key="overview_metric")
]
measure = rankings.effective_measure(
    metric,
    pick_measure.radio(
        "سنجهٔ نقشه", rankings.MEASURES, format_func=rankings.MEASURE_LABELS.get, horizontal=True, key="overview_measure"
    ),
)

view.metric, view.measure, view.district = metric.code, st.session_state["overview_measure"], None
st.query_params.from_dict(view.to_params(period))

left, right = st.columns([5, 6])
with left:
    value_label = fmt.measure_value_label(metric, measure)
    st.markdown(f"**{value_label} به تفکیک منطقه — {period.label}**")
    tiles = overview.district_tiles(reference, now, metric)
    tiles["value"] = rankings.apply_measure(tiles["value"], tiles["population"], tiles["area_km2"], measure)
    plot.plotly_chart(charts.tile_map(tiles, metric, value_label, fmt.measure_decimals(metric, measure)), "tile_map")
    missing = tiles.loc[tiles["value"].isna(), "name_fa"].tolist()
    if missing:
        st.markdown(
            f'<span class="dash-missing">گزارش نشده: {"، ".join(missing)}</span>',
            unsafe_allow_html=True,
        )
with right:
    st.markdown(f"**روند شهر: {metric.name_fa}**")
    series = data.city_series(version, metric.code, metric.aggregation, bounds[0], calendar.next_month_start(bounds[1]))
    plot.plotly_chart(
        charts.city_trend(series, metric, [period.start, period.end], metric.decimals, districts_total=len(reference)),
        "city_trend",
    )
    st.caption(f"نقطهٔ توخالی: ماهی که همهٔ {fmt.digits(len(reference))} منطقه گزارش نداده‌اند.")
