"""پایش گزارش‌دهی: who reported each of the last 12 Jalali months, on time or late, whole or in part."""

import pandas as pd
import streamlit as st

from monitoring import calendar, charts, compliance, config
from ui import data, fmt, links, messages, plot, printing, state, tables

version = data.version()
catalog = data.catalog(version)

st.title("پایش گزارش‌دهی مناطق")
today = calendar.today_in_tehran()
bounds = compliance.months_to_today(data.bounds_or_stop(version), today)
view = state.begin("reporting", catalog, bounds)
names = data.district_names(version)

period = state.pick_period(view, bounds)
district = state.pick_district(view, names)
shown_view = state.commit(state.View(view.metric, period, view.measure, district))
to_district = links.district_href(shown_view, period)

due_day = config.settings().due_day
months = compliance.months_shown(period, today)
first, last = months[0], months[-1]
states = data.reporting_states(version, tuple(months), due_day, today)
summary = data.reporting_summary(version, tuple(months), due_day, today)

st.markdown(
    f"گزارش هر ماه باید تا پایان روز {fmt.digits(due_day)} ماه بعد (به وقت تهران) برسد؛ "
    "زمان نخستین بارگذاری، به‌موقع یا با تأخیر بودن را تعیین می‌کند و اصلاحیه‌های بعدی آن را تغییر نمی‌دهند."
)
st.caption(
    f"{calendar.month_label(*first)} تا {calendar.month_label(*last)} · امروز {compliance.day_label(today)} · "
    f"گزارش کامل یعنی هر {fmt.digits(len(catalog))} شاخص"
)

late = compliance.overdue(states)
window_code = f"{first[0]}-{first[1]:02d}-to-{last[0]}-{last[1]:02d}"
window_label = f"{calendar.month_label(*first)} تا {calendar.month_label(*last)}"
printing.header("reporting", "پایش گزارش‌دهی مناطق", window_label, None, bounds)
if len(late):
    messages.error(
        f"{fmt.digits(len(late))} گزارش سررسیدشده نرسیده است "
        f"({fmt.digits(late['district'].nunique())} منطقه)؛ بیشترین عقب‌افتادگی نخست آمده است."
    )
    tables.show(
        pd.DataFrame(
            {
                "منطقه": [links.district_cell(names[d], d, to_district) for d in late["district"]],
                "ماه": [calendar.month_label(y, m) for y, m in zip(late["year"], late["month"], strict=True)],
                "موعد": [compliance.day_label(d) for d in late["due"]],
                "روز گذشته از موعد": [fmt.digits(n) for n in late["days_overdue"]],
            }
        ),
        highlight=(late["district"] == district).tolist(),
        numeric=["روز گذشته از موعد"],
        markup=["منطقه"],
        stack_on_phone=False,
        download=f"reporting-overdue-{window_code}",
        export=pd.DataFrame(
            {
                "منطقه": [names[d] for d in late["district"]],
                "شمارهٔ منطقه": late["district"],
                "دوره": [calendar.month_label(y, m) for y, m in zip(late["year"], late["month"], strict=True)],
                "موعد": [compliance.day_label(d) for d in late["due"]],
                "روز گذشته از موعد": late["days_overdue"],
            }
        ),
        sheet="گزارش‌های نرسیده",
    )
else:
    messages.success("همهٔ گزارش‌های سررسیدشدهٔ این دوازده ماه رسیده است.")

if district is not None:
    mine = summary[summary["district"] == district].iloc[0]
    since = (
        "در این دوازده ماه گزارشی نفرستاده است"
        if mine["days_since"] is None or pd.isna(mine["days_since"])
        else f"آخرین گزارش {fmt.digits(int(mine['days_since']))} روز پیش"
    )
    messages.info(
        f"{names[district]}: {fmt.digits(mine['on_time'])} از {fmt.digits(mine['due'])} ماه سررسیدشده به‌موقع، "
        f"{fmt.digits(mine['late'])} با تأخیر، {fmt.digits(mine['missing'])} گزارش‌نشده؛ {since}."
    )

st.markdown(f"**وضعیت گزارش‌دهی هر منطقه، {calendar.month_label(*first)} تا {calendar.month_label(*last)}**")
plot.cached_chart(
    (version, tuple(months), due_day, today, district),
    lambda: charts.compliance_grid(states, names, highlight=district),
    "compliance_grid",
    export=plot.ChartExport.of(
        "وضعیت گزارش‌دهی مناطق",
        [
            f"{calendar.month_label(*first)} تا {calendar.month_label(*last)}",
            "عدد در خانه‌های نارنجی: روزهای تأخیر · «؟»: گزارش‌نشده پس از موعد",
        ],
        compliance.day_label(today),
        f"reporting-grid-{window_code}",
    ),
)
st.caption("عدد در خانه‌های نارنجی: روزهای تأخیر · «؟»: گزارش‌نشده پس از موعد · نشانگر را روی هر خانه ببرید.")

st.subheader("کارنامهٔ مناطق")
ordered = summary.sort_values(
    ["completeness", "missing", "district"], ascending=[True, False, True], na_position="first"
)
tables.show(
    pd.DataFrame(
        {
            "منطقه": [links.district_cell(names[d], d, to_district) for d in ordered["district"]],
            "کامل بودن": [
                "—" if c is None or pd.isna(c) else fmt.num(100 * c, 1) + "٪" for c in ordered["completeness"]
            ],
            "به‌موقع": [
                f"{fmt.digits(a)} از {fmt.digits(b)}" for a, b in zip(ordered["on_time"], ordered["due"], strict=True)
            ],
            "با تأخیر": [fmt.digits(n) for n in ordered["late"]],
            "ناقص": [fmt.digits(n) for n in ordered["partial"]],
            "گزارش‌نشده": [fmt.digits(n) for n in ordered["missing"]],
            "روز از آخرین گزارش": [
                "—" if d is None or pd.isna(d) else fmt.digits(int(d)) for d in ordered["days_since"]
            ],
        }
    ),
    highlight=(ordered["district"] == district).tolist(),
    numeric=["کامل بودن", "به‌موقع", "با تأخیر", "ناقص", "گزارش‌نشده", "روز از آخرین گزارش"],
    markup=["منطقه"],
    phone_hidden=["به‌موقع", "ناقص"],
    stack_on_phone=False,
    download=f"reporting-districts-{window_code}",
    export=pd.DataFrame(
        {
            "منطقه": [names[d] for d in ordered["district"]],
            "شمارهٔ منطقه": ordered["district"],
            "کامل بودن (٪)": [None if c is None or pd.isna(c) else round(100 * c, 1) for c in ordered["completeness"]],
            "به‌موقع": ordered["on_time"],
            "ماه‌های سررسیدشده": ordered["due"],
            "با تأخیر": ordered["late"],
            "ناقص": ordered["partial"],
            "گزارش‌نشده": ordered["missing"],
            "روز از آخرین گزارش": [None if d is None or pd.isna(d) else int(d) for d in ordered["days_since"]],
        }
    ),
    period=window_label,
    sheet="کارنامهٔ مناطق",
)
st.caption(
    "کامل بودن: سهم مقادیر رسیده از همهٔ مقادیر ماه‌های سررسیدشده؛ کم‌کامل‌ترین منطقه نخست آمده است. "
    "«روز از آخرین گزارش»: روزهای گذشته از آخرین بارگذاری‌ای که برای منطقه رقمی تازه یا تغییریافته آورده است، "
    "در هر ماهی، نه فقط ماه‌های این جدول؛ بارگذاری دوبارهٔ همان رقم‌ها آن را جابه‌جا نمی‌کند. "
    "«با تأخیر» گزارش‌هایی را می‌شمارد که پس از موعد رسیده‌اند، ناقص یا کامل."
)
