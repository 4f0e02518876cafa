"""تقویم جلسه‌ها: which district is reviewed when (a monthly cycle through the districts, generated and
editable), the districts not reviewed in N months and the overdue commitments; for editors and
administrators (``dashboard.EDITOR_PAGES``)."""

import pandas as pd
import streamlit as st

from monitoring import calendar, config, reviews, store
from ui import auth, data, fmt, html, links, messages, printing, review, state, tables
from ui.period import period_picker

user = auth.require_recorder()
version = data.version()
catalog = data.catalog(version)
today = calendar.today_in_tehran()
names = data.district_names(version)
bounds = review.review_bounds(data.bounds_or_stop(version), today)
bounds = (bounds[0], max(bounds[1], calendar.next_month_start(today)))  # the next month can be planned too
view = state.begin("meetings", catalog, bounds)
period = period_picker(bounds, key="meetings_period", current=review.current_month(today), kinds=("month",))
view = state.commit(state.View(view.metric, period, view.measure, view.district))

st.title(f"تقویم جلسه‌های بازبینی، {period.label}")
printing.header("review", "تقویم جلسه‌های بازبینی", period, None, data.bounds_or_stop(version))
st.html(review.STYLE)
review.show_flash()

engine = data.engine()
month = store.meetings_of(engine, start=period.start, end=period.end)
taken = {m.district for m in month if m.status != "cancelled"}
plan = reviews.plan_month(period.year, period.index, list(names), taken)

if month:
    to_pack = {m.id: links.review_href(view, period)(m.district) for m in month}
    frame = pd.DataFrame(
        {
            "روز": [review.day(m.day) for m in month],
            "منطقه": [
                html.macro("meetings.html", "district_link")(
                    to_pack[m.id], html.Markup(tables.cell_html(names.get(m.district, "")))
                )
                for m in month
            ],
            "وضعیت": [reviews.MEETING_LABELS[m.status] for m in month],
            "حاضران": [m.attendees or "—" for m in month],
        }
    )
    tables.show(frame, markup=["منطقه"], wrap=["حاضران"], phone_hidden=["حاضران"], stack_on_phone=False)
else:
    st.caption(f"برای {period.label} جلسه‌ای در تقویم نیست.")

if plan:
    st.markdown(
        f"**{fmt.digits(len(plan))} منطقه** هنوز در تقویم {period.label} نیست. چرخهٔ ماهانه، هر روز کاری (جز جمعه) "
        "یک منطقه را به ترتیب شماره برنامه‌ریزی می‌کند؛ روز هر جلسه را پس از آن می‌توان تغییر داد."
    )
    if st.button(f"برنامه‌ریزی {fmt.digits(len(plan))} جلسهٔ باقی‌مانده", key="meetings_plan", type="primary"):
        store.add_meetings(engine, plan, user.name)
        review.done("جلسه‌های ماه برنامه‌ریزی شد.", "The month's meetings were planned.")

editable = [m for m in month if m.status == "planned"]
if editable:
    with st.form("meetings_edit"):
        st.markdown("**تغییر روز یا لغو یک جلسه**")
        options = {m.id: f"{names.get(m.district, '')}، {review.day(m.day)}" for m in editable}
        chosen = st.selectbox("جلسه", list(options), format_func=lambda i: options[i], key="meetings_edit_id")
        new_day = st.text_input("روز تازه (شمسی)", key="meetings_edit_day", placeholder="۱۴۰۴/۰۸/۱۵")
        cancel = st.checkbox("این جلسه لغو شود", key="meetings_edit_cancel")
        sent = st.form_submit_button("ثبت تغییر")
    if sent and chosen is not None:
        if cancel:
            store.update_meeting(engine, int(chosen), user.name, status="cancelled")
            review.done("جلسه لغو شد.", "The meeting was cancelled.")
        try:
            moved = calendar.parse_day(new_day)
        except calendar.PeriodParseError as exc:
            messages.error(f"روز تازهٔ جلسه: {exc.fa}", f"the meeting's new day: {exc.en}")
        else:
            store.update_meeting(engine, int(chosen), user.name, planned_on=moved)
            review.done("روز جلسه تغییر کرد.", "The meeting's day was changed.")

overdue, gaps = review.follow_up_state(names, today)
months = config.settings().review_gap_months
st.subheader(f"مناطق بی‌بازبینی در {fmt.digits(months)} ماه اخیر")
if gaps:
    tables.show(
        pd.DataFrame(
            {
                "منطقه": [names.get(g.district, "") for g in gaps],
                "آخرین بازبینی": ["هرگز" if g.last is None else review.day(g.last) for g in gaps],
            }
        ),
        stack_on_phone=False,
    )
else:
    st.caption("همهٔ مناطق در این مدت بازبینی شده‌اند.")
st.subheader("تعهدهای عقب‌افتاده")
if overdue:
    tables.show(
        review.commitments_frame(overdue, names, today),
        wrap=["تعهد"],
        phone_hidden=["مسئول"],
        stack_on_phone=False,
    )
else:
    st.caption("تعهد عقب‌افتاده‌ای نیست.")
