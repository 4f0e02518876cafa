"""بستهٔ بازبینی: a district's monthly review, in the order the meeting runs (last meeting's
commitments, figures, reporting record, alerts, notable actions), its deck, and for editors and
administrators the forms that record the meeting, its commitments and the district's actions."""

import streamlit as st

from monitoring import calendar, compliance, config, review_pack, slides
from monitoring.text import markdown_literal
from ui import auth, cards, data, links, messages, printing, review, state, tables
from ui.period import period_picker

version = data.version()
catalog = data.catalog(version)
today = calendar.today_in_tehran()
loaded = data.bounds_or_stop(version)
bounds = review.review_bounds(loaded, today)
view = state.begin("review", catalog, bounds)
names = data.district_names(version)
period = period_picker(bounds, key=state.PERIOD_KEY, current=view.period, kinds=("month",))
mine = state.pick_district(view, names)
heading = st.container()
district = state.pick_shown("review", mine, names, st)
view = state.commit(state.View(view.metric, period, view.measure, mine), extra=state.show_param(district, mine))

if district is None:
    heading.title("بستهٔ بازبینی منطقه")
    st.caption("منطقه‌ای را در بالا یا از پیوندهای زیر برگزینید (یا «منطقهٔ من» را در نوار کناری).")
    st.html(cards.district_links_html(names, links.review_href(view, period)))
    st.stop()

title = slides.review_title(names[district], period)
heading.title(markdown_literal(title))
printing.header("review", f"بستهٔ بازبینی {names[district]}", period, None, loaded)
st.html(review.STYLE)
review.show_flash()
pack = review.read_pack(district, period)
user = auth.current_user()
st.html(review.meeting_html(pack))
review.public_preview(user, district, names[district], period.months[-1])

st.subheader("۱. پیگیری تعهدهای جلسهٔ پیشین")
st.html(review.follow_up_html(pack.follow_up, catalog, "تعهد بازی از جلسه‌های پیشین نیست."))
if pack.made_here:
    st.markdown("**تعهدهای این جلسه**")
    st.html(review.follow_up_html(pack.made_here, catalog, ""))

shown = review_pack.figures_period(period, loaded[1], today)
st.subheader(f"۲. شاخص‌ها، رتبه‌ها و تغییرها، {shown.label}")
if shown != period:
    st.caption(f"{period.label} هنوز تمام نشده یا داده‌اش نرسیده است؛ آخرین ماهِ رسیده، {shown.label}، آمده است.")
frame = review.figures_frame(data.district_summary(version, shown, district), catalog, shown)
changes = [c for c in frame.columns if c.startswith("نسبت به")]
tables.show(frame, wrap=["شاخص"], numeric=["مقدار"], markup=changes, phone_hidden=changes[1:], stack_on_phone=False)
st.caption("تغییرها همسان با همسان: فقط ماه‌هایی که منطقه در هر دو دوره گزارش داده است.")

st.subheader("۳. سابقهٔ گزارش‌دهی")
due_day = config.settings().due_day
window = compliance.window(compliance.window_end(today, period.months[-1]))
states = data.reporting_states(version, tuple(window), due_day, today, district)
st.html(cards.reporting_strip_html(states, len(catalog), links.reporting_href(view, period)))

st.subheader("۴. هشدارها")
st.html(cards.district_alerts_html(data.district_attention(version, shown, district), shown.label))

st.subheader("۵. اقدامات شاخص")
st.html(review.actions_html(pack.actions, f"برای {period.label} اقدام شاخصی ثبت نشده است."))

st.divider()
deck_key = (version, district, period.code)
if st.button("ساختن اسلایدهای این بسته", key="review_deck_go", icon=":material/slideshow:"):
    try:
        with st.spinner("در حال ساختن اسلایدها…"):
            deck = slides.build_review_deck(data.engine(), district, period, today=today, due_day=due_day)
        st.session_state["review_deck"] = (deck_key, deck)
    except Exception as exc:  # a fault of ours: logged with its traceback, the user gets a reference
        messages.unexpected(exc, where=f"building the review deck of district {district} for {period.code}")
built = st.session_state.get("review_deck")
if built and built[0] == deck_key:
    st.download_button(
        "دریافت فایل پاورپوینت بسته",
        built[1],
        file_name=f"review-{district}-{period.code}.pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        key="review_deck_download",
    )

if user.may_record:
    st.subheader("ثبت جلسه، تعهد و اقدام")
    left, right = st.columns(2, gap="medium")
    with left:
        review.meeting_form(pack, user.name)
        review.status_form(pack, user.name)
    with right:
        review.commitment_form(pack, catalog, user.name)
        review.action_form(district, user.name, today)
        review.remove_action_form(pack.actions, user.name)
else:
    st.caption("ثبت جلسه، تعهد و اقدام با ویرایشگران و مدیران است (ورود از نوار کناری).")
