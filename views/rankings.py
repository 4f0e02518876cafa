"""رتبه‌بندی مناطق: the 22 districts ranked on one metric and period, raw or per resident; each
district's move since the previous period, the ranks over the last 12 periods, and a composite
index over metrics the user picks."""

import pandas as pd
import streamlit as st

from monitoring import calendar, charts, figures, rankings
from monitoring.text import markdown_literal
from ui import composite, data, fmt, links, messages, plot, printing, state, tables

PAGE = "rankings"
TABS = ("رتبه‌بندی", "روند رتبه‌ها", "شاخص ترکیبی")
TAB_KEY = "rankings_tab"
KIND_PLURAL = {"month": "ماه", "season": "فصل", "year": "سال"}
TONE_NOTES: dict[str, messages.Kind] = {"good": "success", "bad": "error"}  # a tier's tone as a notice

version = data.version()
catalog = data.catalog(version)

st.title("رتبه‌بندی مناطق")
bounds = data.bounds_or_stop(version)
view = state.begin(PAGE, catalog, bounds)
names = data.district_names(version)

period = state.pick_period(view, bounds)
district = state.pick_district(view, names)

top = st.columns([3, 2])
metric = state.pick_metric(catalog, top[0])
code = metric.code
measure_choice = state.pick_measure(view, metric, top[1])
weights = composite.choice(PAGE, catalog)
shown_view = state.commit(
    state.View(code, period, measure_choice, district), extra={composite.PARAM: composite.url_value(catalog)}
)
to_district = links.district_href(shown_view, period)

measure = rankings.effective_measure(metric, measure_choice)
printing.header("rankings", "رتبه‌بندی مناطق", period, metric, bounds, measure)
ref = data.districts(version)
ranked = data.ranked_districts(version, metric, measure, period, bounds[0])
periods = rankings.recent_periods(period, 12, first=bounds[0])
monthly = data.district_months(version, metric.code, periods[0].start, period.end)
previous = period.previous()
value_label = fmt.measure_value_label(metric, measure)
decimals = int(ranked["decimals"].iloc[0])
neutral = metric.direction == "neutral"
reported = int(ranked["reported"].sum())
ranked_count = int((ranked["status"] == "ranked").sum())
due = int(ranked["due"].iloc[0]) if len(ranked) else period.month_count
as_of = calendar.month_label_of(bounds[1])

st.caption(
    f"{fmt.period_text(period)} · {rankings.DIRECTION_LABELS[metric.direction]} · "
    f"{fmt.digits(reported)} از {fmt.digits(len(ref))} منطقه گزارش داده‌اند"
    + ("" if metric.aggregation == "sum" else " · میانگین ماه‌های دوره")
)

if district is not None:
    mine = ranked[ranked["district"] == district].iloc[0]
    shown = fmt.value_text(metric, mine["value"], decimals, measure)
    if not mine["reported"]:
        messages.warning(f"{names[district]} برای {period.label} این شاخص را گزارش نکرده است؛ در رتبه‌بندی نیست.")
    elif mine["status"] == "no_denominator":
        messages.warning(f"{names[district]}: {rankings.standing_note(mine)}؛ برای این سنجه رتبه ندارد.")
    elif mine["status"] == "incomplete":
        messages.warning(
            f"{names[district]} از {fmt.digits(due)} ماه سررسیدشدهٔ {period.label} فقط "
            f"{fmt.digits(int(mine['months']))} ماه را گزارش کرده است ({shown})؛ جدا از رتبه‌بندی آمده است."
        )
    elif neutral:
        messages.info(f"{names[district]}: {shown}. این شاخص خنثی است و رتبه ندارد.")
    else:
        rank = int(mine["rank"])
        tone = rankings.rank_tone(rank, ranked_count)
        moved = (
            f"نسبت به {previous.label}: {rankings.change_text(mine['change'])}"
            if not pd.isna(mine["change"])
            else f"در {previous.label} رتبه‌ای نداشت که با آن مقایسه شود"
        )
        text = f"{names[district]}: رتبهٔ {fmt.digits(rank)} از {fmt.digits(ranked_count)}، {shown} · {moved}"
        {"good": messages.success, "bad": messages.error}.get(tone, messages.info)(text)

tab_rank, tab_trend, tab_index = st.tabs(TABS, key=TAB_KEY, on_change="rerun")

if tab_rank.open:
    with tab_rank:
        plot.cached_chart(
            (version, metric, period, measure, district),
            lambda: charts.ranking_bars(ranked, value_label, decimals, highlight=district, neutral=neutral),
            "ranking_bars",
            link=links.district_template(shown_view, period),
            export=plot.ChartExport.of(
                f"رتبه‌بندی مناطق: {value_label}",
                [period.label, f"واحد: {metric.unit_fa}", rankings.DIRECTION_LABELS[metric.direction]],
                as_of,
                f"ranking-{code}-{period.code}" + ("" if measure == "raw" else f"-{measure}"),
            ),
        )
        table = pd.DataFrame(
            {
                "رتبه": [
                    fmt.digits(int(row["rank"])) if row["status"] == "ranked" else (rankings.standing_note(row) or "—")
                    for row in ranked.to_dict("records")
                ],
                "تغییر": [fmt.move_chip(c) for c in ranked["change"]],
                "منطقه": [
                    links.district_cell(n, d, to_district)
                    for n, d in zip(ranked["name_fa"], ranked["district"], strict=True)
                ],
                value_label: [
                    fmt.value_text(metric, v, decimals, measure, short=True, missing=missing)
                    for v, missing in zip(
                        ranked["value"],
                        [
                            figures.no_denominator_text(measure) if st_ == "no_denominator" else rankings.NOT_REPORTED
                            for st_ in ranked["status"]
                        ],
                        strict=True,
                    )
                ],
                "رقم خام": [fmt.value_text(metric, v, metric.decimals) for v in ranked["raw"]],
                "ماه‌های گزارش‌شده": [figures.months_label(m, due) for m in ranked["months"]],
            }
        )
        if measure == "raw":
            table = table.drop(columns="رقم خام")
        if period.kind == "month":  # one month due: «۱ از ۱» on every row says nothing
            table = table.drop(columns="ماه‌های گزارش‌شده")
        if neutral:
            table = table.drop(columns="تغییر")
        plain = pd.DataFrame(
            {
                "رتبه": pd.array([None if pd.isna(r) else int(r) for r in ranked["rank"]], dtype="Int64"),
                "تغییر رتبه (پله)": pd.array([None if pd.isna(c) else int(c) for c in ranked["change"]], dtype="Int64"),
                "منطقه": ranked["name_fa"],
                "شمارهٔ منطقه": ranked["district"],
                value_label: ranked["value"],
                "رقم خام": ranked["raw"],
                "ماه‌های گزارش‌شده": ranked["months"],
                "ماه‌های سررسیدشده": ranked["due"],
                "وضعیت": [
                    "رتبه‌دار" if row["status"] == "ranked" else (rankings.standing_note(row) or "گزارش‌شده")
                    for row in ranked.to_dict("records")
                ],
            }
        ).drop(columns=(["رقم خام"] if measure == "raw" else []) + (["تغییر رتبه (پله)"] if neutral else []))
        tables.show(
            table,
            highlight=(ranked["district"] == district).tolist(),
            numeric=[value_label, "رقم خام"],
            markup=["منطقه", "تغییر"],
            phone_hidden=["رقم خام", "ماه‌های گزارش‌شده"],
            stack_on_phone=False,
            download=f"rankings-{code}-{period.code}" + ("" if measure == "raw" else f"-{measure}"),
            export=plain,
            period=period.label,
            sheet="رتبه‌بندی",
        )
        if not neutral:
            st.caption(
                f"تغییر: جابه‌جایی در رتبه نسبت به {previous.label}؛ «↑۳» یعنی سه پله بالاتر و «↓۲» دو پله پایین‌تر؛ "
                f"«{rankings.NO_CHANGE}» یعنی منطقه در یکی از دو دوره رتبه نداشته است."
            )
        st.caption(rankings.RANKING_RULE)

        if district is not None:
            st.subheader(f"جایگاه {markdown_literal(names[district])} در همهٔ شاخص‌ها، {period.label}")
            profile = data.district_profile(version, period, district, measure_choice)
            rows, plain_rows = [], []
            for p in profile.itertuples(index=False):
                m = catalog[p.metric]
                place = fmt.place_text(p, m)
                rows.append(
                    {
                        "شاخص": m.name_fa,
                        "مقدار": fmt.value_text(m, p.value, int(p.decimals), p.measure),
                        "رتبه": place,
                        "جهت": rankings.DIRECTION_LABELS[m.direction],
                    }
                )
                ranked_here = p.status == "ranked"
                plain_rows.append(
                    {
                        "شاخص": m.name_fa,
                        "کد شاخص": m.code,
                        "مقدار": p.value if p.reported else None,
                        "رتبه": int(p.rank) if ranked_here else None,
                        "تعداد رتبه‌دارها": int(p.ranked) if ranked_here else None,
                        "وضعیت": place if not ranked_here else "رتبه‌دار",
                        "جهت": rankings.DIRECTION_LABELS[m.direction],
                    }
                )
            tables.show(
                pd.DataFrame(rows),
                numeric=["مقدار"],
                wrap=["شاخص", "مقدار"],
                phone_hidden=["جهت"],
                stack_on_phone=False,
                download=f"rankings-district-{district}-{period.code}-{measure_choice}",
                export=pd.DataFrame(plain_rows),
                period=period.label,
                sheet="جایگاه منطقه",
            )

if tab_trend.open:
    with tab_trend:
        if neutral:
            messages.info("این شاخص خنثی است و رتبه ندارد؛ روند رتبه برای آن رسم نمی‌شود.")
        else:
            st.caption(
                f"رتبهٔ هر منطقه در {fmt.digits(len(periods))} {KIND_PLURAL[period.kind]} تا {period.label} "
                f"(از {periods[0].label})، {value_label}؛ رتبهٔ ۱ بالاست. "
                + (
                    f"خط نارنجی {names[district]} است و خطوط کم‌رنگ مناطق دیگر؛ "
                    if district is not None
                    else "برای برجسته کردن یک منطقه، «منطقهٔ من» را در نوار کناری برگزینید؛ "
                )
                + f"سه منطقهٔ نخستِ {period.label} رنگی‌اند و نامشان کنار خطشان آمده است. "
                "دوره‌ای که منطقه‌ای در آن رتبه نداشته، در خط آن خالی مانده است."
            )
            plot.cached_chart(
                (version, metric, period, measure, district, bounds),
                lambda: charts.bump_chart(
                    rankings.rank_history(monthly, ref, metric, periods, measure, calendar.today_in_tehran()),
                    highlight=district,
                    max_ticks=4,
                ),
                "bump_chart",
                export=plot.ChartExport.of(
                    f"روند رتبه‌ها: {value_label}",
                    [
                        f"{periods[0].label} تا {period.label}",
                        "رتبهٔ ۱ بالاست",
                        f"خط نارنجی: {names[district]}" if district is not None else None,
                    ],
                    as_of,
                    f"bump-{code}-{period.code}" + ("" if measure == "raw" else f"-{measure}"),
                ),
            )

if tab_index.open:
    with tab_index:
        weights = composite.picker(catalog, weights)
        st.markdown(f"**روش.** {rankings.INDEX_METHOD}")
        st.caption(
            f"{period.label}؛ شمارش‌ها "
            + ("با رقم خام" if measure_choice == "raw" else rankings.MEASURE_LABELS[measure_choice])
            + " سنجیده می‌شوند (سنجه را با یک شاخص شمارشی در بالای صفحه عوض کنید) و نرخ‌ها و میانگین‌ها همان‌گونه که هستند. "
            f"سطح‌ها: {rankings.tier_cuts_text()}."
        )
        if not weights:
            messages.info("دست‌کم یک شاخص برگزینید تا شاخص ترکیبی ساخته شود.")
        else:
            index = rankings.composite_index(
                data.metric_district_values(version, period.start, period.end),
                ref,
                catalog,
                weights,
                measure_choice,
                due=figures.months_due(period, calendar.today_in_tehran()),
            )
            chosen = len(weights)
            if district is not None:
                me = index[index["district"] == district].iloc[0]
                if me["reported"]:
                    ranked_count = int(index["reported"].sum())
                    messages.note(
                        TONE_NOTES.get(rankings.tier_tone(me["tier"]), "info"),
                        f"{names[district]}: شاخص ترکیبی {fmt.num(me['index'], rankings.INDEX_DECIMALS)} از ۱۰۰، «{me['tier']}»، "
                        f"رتبهٔ {fmt.digits(int(me['rank']))} از {fmt.digits(ranked_count)}",
                    )
                else:
                    messages.warning(
                        f"{names[district]} کمتر از نیمی از وزن شاخص‌های برگزیده را برای {period.label} گزارش کرده است؛ "
                        "شاخص ترکیبی ندارد."
                    )
            tables.show(
                pd.DataFrame(
                    {
                        "رتبه": [
                            fmt.digits(int(r)) if rep else rankings.NOT_REPORTED
                            for r, rep in zip(index["rank"], index["reported"], strict=True)
                        ],
                        "منطقه": [
                            links.district_cell(n, d, to_district)
                            for n, d in zip(index["name_fa"], index["district"], strict=True)
                        ],
                        "شاخص ترکیبی (۰ تا ۱۰۰)": [fmt.num(v, rankings.INDEX_DECIMALS) for v in index["index"]],
                        "سطح": index["tier"],
                        "شاخص‌های رتبه‌دار": [
                            f"{fmt.digits(n)} از {fmt.digits(chosen)}" + (" (ناقص)" if partial else "")
                            for n, partial in zip(index["metrics"], index["partial"], strict=True)
                        ],
                    }
                ),
                highlight=(index["district"] == district).tolist(),
                numeric=["شاخص ترکیبی (۰ تا ۱۰۰)"],
                markup=["منطقه"],
                phone_hidden=["شاخص‌های رتبه‌دار"],
                stack_on_phone=False,
                download=f"rankings-index-{period.code}-{measure_choice}",
                export=pd.DataFrame(
                    {
                        "رتبه": index["rank"],
                        "منطقه": index["name_fa"],
                        "شمارهٔ منطقه": index["district"],
                        "شاخص ترکیبی (۰ تا ۱۰۰)": index["index"],
                        "سطح": index["tier"],
                        "شاخص‌های رتبه‌دار": index["metrics"],
                        "شاخص‌های برگزیده": chosen,
                        "ناقص": ["بله" if p else "خیر" for p in index["partial"]],
                    }
                ),
                period=period.label,
                sheet="شاخص ترکیبی",
            )
