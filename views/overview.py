"""نمای کلی: what needs attention, the district tile map and the city trend, then the city cards."""

import streamlit as st

from monitoring import calendar, charts, config, figures, rankings
from monitoring.text import markdown_literal
from ui import boundaries, cards, data, fmt, html, links, plot, printing, review, state

version = data.version()
catalog = data.catalog(version)

st.title("نمای کلی مناطق ۲۲گانه")
bounds = data.bounds_or_stop(version)
view = state.begin("overview", catalog, bounds)
names = data.district_names(version)

period = state.pick_period(view, bounds)
district = state.pick_district(view, names)

batch = data.latest_batch(version)
loaded = calendar.format_datetime(batch["loaded_at"]) if batch else None
st.html(html.macro("overview.html", "as_of")(calendar.month_label_of(bounds[1]), loaded))

reference = data.districts(version)
due_day, today = config.settings().due_day, calendar.today_in_tehran()
status = data.reporting_status(version, period, due_day, today)
found = data.overview_attention(version, period, due_day, today)
attention = st.empty()

pick_metric, pick_measure = st.columns([3, 2])
metric = state.pick_metric(catalog, pick_metric, "شاخص نقشه و روند")
code = metric.code
measure_choice = state.pick_measure(view, metric, pick_measure)
measure = rankings.effective_measure(metric, measure_choice)
view = state.commit(state.View(code, period, measure_choice, district))
printing.header("overview", "نمای کلی مناطق ۲۲گانه", period, metric, bounds, measure)
attention.html(  # above the pickers, drawn once the links can carry this run's choices
    cards.attention_panel_html(
        found,
        status,
        period.label,
        links.reporting_href(view, period),
        links.attention_href(view, period),
        links.district_href(view, period),
        len(catalog),
        extra=review.attention_boxes_html(
            *review.follow_up_state(names, today),
            names,
            links.review_href(view, review.current_month(today)),
            today,
        ),
    )
)

tiles = data.district_tiles(version, period, metric)
tiles["due"] = figures.months_due(period, calendar.today_in_tehran())  # a partial sum says so on hover
tiles["missing_text"] = [
    figures.no_denominator_text(measure) if reported and not has else rankings.NOT_REPORTED
    for reported, has in zip(
        tiles["value"].notna(),
        figures.has_denominator(tiles["population"], tiles["area_km2"], measure),
        strict=True,
    )
]
tiles["value"] = rankings.apply_measure(tiles["value"], tiles["population"], tiles["area_km2"], measure)
decimals = fmt.measure_decimals(metric, measure, tiles["value"])
value_label = fmt.measure_value_label(metric, measure)
as_of = calendar.month_label_of(bounds[1])
suffix = "" if measure == "raw" else f"-{measure}"
map_export = plot.ChartExport.of(
    f"{value_label}، مناطق ۲۲گانه",
    [period.label, f"واحد: {metric.unit_fa}", charts.colour_meaning(metric)],
    as_of,
    f"map-{code}-{period.code}{suffix}",
)

left, right = st.columns([5, 6], gap="medium")
with left:
    st.markdown(f"**{markdown_literal(value_label)}، {period.label}**")
    if boundaries.map_choice(st) == boundaries.REAL:  # only offered once a boundaries file is loaded
        shapes = data.boundaries(version)
        plot.cached_chart(
            (version, metric, period, measure, district),
            lambda: charts.boundary_map(shapes, tiles, metric, value_label, decimals, highlight=district),
            "boundary_map",
            link=links.district_template(view, period),
            export=map_export,
        )
        boundaries.missing_note(shapes, names)
    else:
        plot.cached_chart(
            (version, metric, period, measure, district),
            lambda: charts.tile_map(tiles, metric, value_label, decimals, highlight=district),
            "tile_map",
            link=links.district_template(view, period),
            export=map_export,
        )
    st.html(
        cards.map_legend_html(
            district, names, partial=bool((figures.is_partial(tiles["months"], int(tiles["due"].iloc[0]))).any())
        )
    )
with right:
    st.markdown(f"**روند ماهانهٔ شهر: {markdown_literal(metric.name_fa)}**")
    series = data.city_series(version, metric.code, metric.aggregation, bounds[0], calendar.next_month_start(bounds[1]))
    plot.cached_chart(
        (version, metric, period, bounds, len(reference)),
        lambda: charts.city_trend(
            series, metric, [period.start, period.end], metric.decimals, districts_total=len(reference)
        ),
        "city_trend",
        export=plot.ChartExport.of(
            f"روند ماهانهٔ شهر: {metric.name_fa}",
            [
                f"{calendar.month_label_of(bounds[0])} تا {as_of}",
                f"دورهٔ برگزیده: {period.label}",
                f"واحد: {metric.unit_fa}",
            ],
            as_of,
            f"trend-{code}-{period.code}",
        ),
    )

before, year_ago = period.previous(), period.year_before()
city_cards = data.city_cards(version, period)
mine = {}
if district is not None:  # «منطقهٔ من» on every card: its value and place
    own = data.district_summary(version, period, district)
    mine = {r.metric: cards.mine_html(names[district], r, catalog[r.metric]) for r in own.itertuples(index=False)}
st.subheader(f"شاخص‌های شهر، {fmt.period_text(period)}")
st.caption(
    "تغییرها همسان با همسان سنجیده شده‌اند: فقط ماه‌هایی از هر منطقه که در هر دو دوره گزارش شده‌اند؛ "
    "سبز یعنی بهتر و قرمز یعنی بدتر."
)
cards.show_cards(city_cards, before.label, year_ago.label, chosen=metric.code, mine=mine)
