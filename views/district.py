"""صفحهٔ منطقه: one district against the others, metric by metric, over time, and its record."""

import pandas as pd
import streamlit as st

from monitoring import calendar, charts, compliance, config, district, rankings
from monitoring.text import markdown_literal
from ui import auth, cards, data, fmt, links, plot, printing, review, state, tables

MONTHS_SHOWN = 24

version = data.version()
catalog = data.catalog(version)
bounds = data.bounds_or_stop(version)
view = state.begin("district", catalog, bounds)
names = data.district_names(version)

period = state.pick_period(view, bounds)
mine = state.pick_district(view, names)
heading = st.container()
shown = state.pick_shown("district", mine, names, st)
if shown is None:
    heading.title("صفحهٔ منطقه")
    st.caption("منطقه‌ای را در بالا یا روی یکی از خانه‌های زیر انتخاب کنید، یا «منطقهٔ من» را در نوار کناری.")
    state.commit(state.View(view.metric, period, view.measure, mine))
    st.html(cards.district_links_html(names, links.district_href(view, period)))
    st.stop()
chosen: int = shown  # declared, so the charts' callbacks below see a district, not None

reference = data.districts(version)
facts = reference[reference["district"] == chosen].iloc[0]
heading.title(markdown_literal(names[chosen]))
heading.caption(
    f"{fmt.num(facts['population'])} نفر جمعیت · {fmt.num(facts['area_km2'], 1)} کیلومتر مربع · "
    f"{period.label} در برابر {fmt.digits(len(reference) - 1)} منطقهٔ دیگر"
)
review.public_preview(auth.current_user(), chosen, names[chosen], period.months[-1], heading)

pick_metric, pick_compare = st.columns([3, 2])
metric = state.pick_metric(catalog, pick_metric, "شاخص روند رتبه")
compare_options = ["median", *[str(d) for d in names if d != chosen]]
entered = state.entered_params("district").get("compare")
if state.just_entered() or st.session_state.get("district_compare") not in compare_options:
    st.session_state["district_compare"] = entered if entered in compare_options else "median"
compare = pick_compare.selectbox(
    "مقایسه با",
    compare_options,
    format_func=lambda c: "میانهٔ مناطق" if c == "median" else names[int(c)],
    key="district_compare",
    placeholder="انتخاب کنید",
)
view = state.commit(
    state.View(metric.code, period, view.measure, mine), extra={"compare": compare, **state.show_param(chosen, mine)}
)
printing.header("district", names[chosen], period, metric, bounds)

before, year_ago = period.previous(), period.year_before()
summary = data.district_summary(version, period, chosen, view.measure)

last = calendar.jalali_month_of(bounds[1])
months = [
    calendar.month_start(*m) for m in calendar.months_between(calendar.add_months(*last, -(MONTHS_SHOWN - 1)), last)
]
history = data.district_month_values(version, months[0], calendar.next_month_start(bounds[1]))

settings = config.settings()
today = calendar.today_in_tehran()
window = compliance.window(compliance.window_end(today, period.months[-1]))
states = data.reporting_states(version, tuple(window), settings.due_day, today, chosen)
st.html(cards.reporting_strip_html(states, len(catalog), links.reporting_href(view, period)))


st.subheader(f"همهٔ شاخص‌ها، {fmt.period_text(period)}")
rows = []
for s in summary.itertuples(index=False):
    m = catalog[s.metric]
    decimals = int(s.decimals)
    if not s.reported:
        place, percentile = rankings.NOT_REPORTED, "—"
    elif s.status in ("incomplete", "no_denominator"):
        place, percentile = rankings.standing_note(s._asdict()), "—"
    elif m.direction == "neutral":
        place, percentile = rankings.NOT_RANKED, "—"
    else:
        place = f"{fmt.digits(int(s.rank))} از {fmt.digits(s.ranked)}"
        percentile = "—" if s.percentile is None else fmt.digits(int(s.percentile))
    rows.append(
        {
            "شاخص": m.name_fa,
            "مقدار": fmt.value_text(m, s.value, decimals, s.measure),
            "رتبه": place,
            "صدک": percentile,
            f"نسبت به {before.label}": fmt.change_chip(m, s.change_previous, before.label, short=True),
            f"نسبت به {year_ago.label}": fmt.change_chip(m, s.change_last_year, year_ago.label, short=True),
            "میانهٔ مناطق": fmt.value_text(m, s.city_median, decimals, s.measure, missing="—"),
        }
    )
tables.show(
    pd.DataFrame(rows),
    wrap=["شاخص"],
    numeric=["مقدار", "میانهٔ مناطق"],
    markup=[f"نسبت به {before.label}", f"نسبت به {year_ago.label}"],
    phone_hidden=["صدک", "میانهٔ مناطق", f"نسبت به {year_ago.label}"],
    stack_on_phone=False,
    download=f"district-{chosen}-{period.code}-{view.measure}",
    export=pd.DataFrame(
        {
            "شاخص": [catalog[c].name_fa for c in summary["metric"]],
            "کد شاخص": summary["metric"],
            "مقدار": [v if r else None for v, r in zip(summary["value"], summary["reported"], strict=True)],
            "رتبه": pd.array([None if pd.isna(r) else int(r) for r in summary["rank"]], dtype="Int64"),
            "صدک": summary["percentile"],
            f"تغییر نسبت به {before.label} (٪)": [
                None if c is None else round(100 * c, 1) for c in summary["change_previous"]
            ],
            f"تغییر نسبت به {year_ago.label} (٪)": [
                None if c is None else round(100 * c, 1) for c in summary["change_last_year"]
            ],
            "میانهٔ مناطق": summary["city_median"],
        }
    ),
    period=period.label,
    sheet=names[chosen],
    notes=[
        (
            "صدک",
            "صدک ۱۰۰ یعنی بهترین جایگاه و صفر بدترین، میان مناطقی که همهٔ ماه‌های سررسیدشده را گزارش داده‌اند "
            "(رقم‌های برابر، میانگین جایگاهشان).",
        ),
        ("میانهٔ مناطق", "میانه هم در همان سنجهٔ مقدار است."),
        (None, "شاخص‌های خنثی رتبه ندارند."),
        (None, "تغییرها همسان با همسان، فقط روی ماه‌هایی که منطقه در هر دو دوره گزارش داده، سنجیده شده‌اند."),
    ],
)

found = data.district_attention(version, period, chosen)
st.html(cards.district_alerts_html(found, period.label))
st.html(review.district_follow_up_html(chosen, catalog, today))

st.subheader(f"روند رتبه: {markdown_literal(metric.name_fa)}")
rank_history = district.rank_history(history, metric, chosen)
if metric.direction == "neutral":
    st.caption("این شاخص خنثی است و رتبه ندارد؛ روند آن را در نمودارهای زیر ببینید.")
elif rank_history.empty:
    st.caption(f"{markdown_literal(names[chosen])} در این {fmt.digits(MONTHS_SHOWN)} ماه این شاخص را گزارش نکرده است.")
else:
    plot.cached_chart(
        (version, metric, chosen, bounds, len(reference)),
        lambda: charts.rank_history_chart(rank_history, names[chosen], len(reference)),
        "rank_history",
        export=plot.ChartExport.of(
            f"روند رتبهٔ {names[chosen]}: {metric.name_fa}",
            [f"{fmt.digits(MONTHS_SHOWN)} ماه تا {period.label}", f"واحد: {metric.unit_fa}", "رتبهٔ ۱ بالاست"],
            calendar.month_label_of(bounds[1]),
            f"district-{chosen}-rank-{metric.code}-{period.code}",
        ),
    )

st.subheader(f"{fmt.digits(MONTHS_SHOWN)} ماه اخیر در برابر مناطق دیگر")
mine = history[history["district"] == chosen]
other = None if compare == "median" else history[history["district"] == int(compare)]
st.html(cards.multiples_legend_html(names[chosen], None if other is None else names[int(compare)]))
plot.cached_chart(
    (version, bounds, chosen, compare),
    lambda: charts.district_small_multiples(
        mine,
        district.monthly_bands(history),
        catalog,
        months,
        names[chosen],
        compare=other,
        compare_label=None if other is None else names[int(compare)],
    ),
    "small_multiples",
    export=plot.ChartExport.of(
        f"{names[chosen]} در برابر "
        + ("میانهٔ مناطق" if other is None else names[int(compare)])
        + f"، {fmt.digits(MONTHS_SHOWN)} ماه اخیر",
        [f"{fmt.digits(MONTHS_SHOWN)} ماه تا {period.label}", "هر شاخص با واحد خودش"],
        calendar.month_label_of(bounds[1]),
        f"district-{chosen}-months-{period.code}",
    ),
)
