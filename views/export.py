"""ساخت اسلاید: the views a manager picks, for the period and district chosen, as a PowerPoint deck
with native, editable Persian charts (``monitoring.slides``)."""

import streamlit as st

from monitoring import calendar, config, slides
from ui import data, fmt, messages, state

version = data.version()
catalog = data.catalog(version)

st.title("ساخت اسلاید")
bounds = data.bounds_or_stop(version)
view = state.begin("export", catalog, bounds)
names = data.district_names(version)
period = state.pick_period(view, bounds)
district = state.pick_district(view, names)
state.commit(state.View(view.metric, period, view.measure, district))

st.caption(
    f"برای {fmt.period_text(period)}: یک اسلاید عنوان و برای هر نما یک اسلاید ۱۶:۹ با نمودارهای بومی پاورپوینت که "
    "اعداد آن‌ها در پاورپوینت ویرایش‌شدنی است، متن راست‌به‌چپ با ارقام فارسی، منبع و «داده‌ها تا» در پانویس "
    "و اعداد نمودار در یادداشت‌های سخنران."
)

if "export_metrics" not in st.session_state:
    st.session_state["export_metrics"] = [view.metric]
metrics = st.multiselect(
    "شاخص‌ها",
    list(catalog),
    format_func=lambda c: catalog[c].name_fa,
    key="export_metrics",
    placeholder="یک یا چند شاخص انتخاب کنید",
)
kinds_offered = [k for k in slides.KINDS if k != "district" or district is not None]
if "export_kinds" not in st.session_state:
    st.session_state["export_kinds"] = kinds_offered
st.session_state["export_kinds"] = [k for k in st.session_state["export_kinds"] if k in kinds_offered]
kinds = st.multiselect(
    "نماها",
    kinds_offered,
    format_func=lambda k: slides.KIND_LABELS[k],
    key="export_kinds",
    placeholder="نماهای دلخواه را انتخاب کنید",
    help="صفحهٔ منطقه وقتی پیشنهاد می‌شود که «منطقهٔ من» در نوار کناری انتخاب شده باشد.",
)
title = st.text_input("عنوان اسلاید نخست", value=slides.DEFAULT_TITLE, key="export_title")

chosen = [v for v in slides.default_views(catalog, metrics, district, view.measure) if v.kind in kinds]
if not chosen:
    messages.info("دست‌کم یک نما و برای نماهای هر شاخص دست‌کم یک شاخص انتخاب کنید.", "Pick at least one view.")
    st.stop()
st.markdown(
    f"**{fmt.digits(len(chosen) + 1)} اسلاید**: عنوان، "
    + "، ".join(v.label + (f" ({catalog[v.metric].name_fa})" if v.metric else "") for v in chosen)
)

# what the deck is built from: a deck built for other choices is never offered as this one
choice = (version, period.code, district, tuple(chosen), title.strip())

if st.button("ساختن فایل پاورپوینت", type="primary", key="export_go"):
    try:
        with st.spinner("در حال ساختن اسلایدها…"):
            deck = slides.build_deck(
                data.engine(),
                chosen,
                period,
                district,
                title=title.strip() or None,
                today=calendar.today_in_tehran(),
                due_day=config.settings().due_day,
            )
        st.session_state["export_deck"] = (choice, period.code, deck)
    except slides.DeckError as exc:
        messages.error(exc.message)
    except Exception as exc:  # a fault of ours: logged with its traceback, the user gets a reference
        messages.unexpected(exc, where=f"building a deck for {period.code}")

built = st.session_state.get("export_deck")
if built and built[0] != choice:
    messages.info(
        "انتخاب‌ها پس از ساختن فایل تغییر کرده‌اند؛ برای این انتخاب‌ها دوباره «ساختن فایل پاورپوینت» را بزنید.",
        "The choices changed after the deck was built; build it again for these choices.",
    )
elif built:
    _, code, deck = built
    messages.success(f"فایل اسلایدها برای {period.label} آماده است.", f"The deck for {code} is ready.")
    st.download_button(
        "دریافت فایل پاورپوینت",
        deck,
        file_name=f"district-monitoring-{code}.pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        key="export_download",
    )
