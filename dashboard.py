"""Entry point: page config, the Persian right-to-left theme, who is signed in, the pages."""

import logging
from typing import TypedDict

import streamlit as st

from monitoring import config, logs
from monitoring.config import PROJECT_ROOT
from ui import auth, data, live, messages, navigate, notfound, outage, plot, public_site, seam, skiplink, theme, uploads

logs.configure_logging()
logger = logging.getLogger("dashboard")

if config.settings().public:  # DASHBOARD_MODE=public: the citizens' page and nothing else (ui/public_site.py)
    public_site.run()
    st.stop()

st.set_page_config(
    page_title="رصد مناطق ۲۲گانه تهران",
    page_icon=str(PROJECT_ROOT / "static" / "icon.png"),  # served by the dashboard itself, never fetched elsewhere
    layout="wide",
    initial_sidebar_state="auto",  # open on a desk, closed on a phone
)
seam.check_at_start()  # once a process: an error in the log for each Streamlit internal that is gone
theme.apply_rtl()
skiplink.install("fa")  # Streamlit's hidden «Skip to main content», said in Persian (ui/seam.py)
notfound.install()
uploads.install_guard()  # files only for a session showing an administrator's uploader


class PageSpec(TypedDict):
    """A page of a role's menu, as ``st.Page`` takes it (its visibility is added for each user)."""

    page: str
    title: str
    icon: str
    url_path: str


PAGES = [
    st.Page("views/overview.py", title="نمای کلی", icon=":material/dashboard:", default=True),
    st.Page("views/rankings.py", title="رتبه‌بندی مناطق", icon=":material/leaderboard:", url_path="rankings"),
    st.Page("views/district.py", title="صفحهٔ منطقه", icon=":material/location_city:", url_path="district"),
    st.Page("views/reporting.py", title="پایش گزارش‌دهی", icon=":material/fact_check:", url_path="reporting"),
    st.Page("views/export.py", title="ساخت اسلاید", icon=":material/slideshow:", url_path="export"),
    st.Page("views/review.py", title="بستهٔ بازبینی", icon=":material/assignment:", url_path="review"),
]
# The pages that record reviews, for editors and administrators: in their menu only; a viewer who opens
# one by its address gets «این صفحه برای ویرایشگران و مدیران است» and the sign-in form (ui/auth.py).
EDITOR_PAGES: list[PageSpec] = [
    dict(page="views/meetings.py", title="تقویم جلسه‌ها", icon=":material/event:", url_path="meetings"),
]
EDITOR_PATHS = frozenset(spec["url_path"] for spec in EDITOR_PAGES)
# The administrators' pages, one line each: in the menu for administrators only; anyone else who opens
# one by its address gets «این صفحه فقط برای مدیران است» and the sign-in form (ui/auth.py), never the page.
ADMIN_PAGES: list[PageSpec] = [
    dict(page="views/upload.py", title="بارگذاری داده", icon=":material/upload_file:", url_path="upload"),
    dict(page="views/batches.py", title="دسته‌های بارگذاری", icon=":material/history:", url_path="batches"),
    dict(page="views/catalog.py", title="فهرست شاخص‌ها", icon=":material/tune:", url_path="catalog"),
]
ADMIN_PATHS = frozenset(spec["url_path"] for spec in ADMIN_PAGES)


def main() -> None:
    """Who this is, the menu, the live check and the page; a database fault anywhere in it gets the
    outage page (``ui/outage.py``), any other fault a reference: never a traceback on the page."""
    user = auth.current_user()
    pages = PAGES + [st.Page(**spec, visibility="visible" if user.may_record else "hidden") for spec in EDITOR_PAGES]
    pages += [st.Page(**spec, visibility="visible" if user.is_admin else "hidden") for spec in ADMIN_PAGES]
    navigation = st.navigation(pages)
    unknown = notfound.asked_for_unknown_path()
    where = f"page {navigation.url_path or 'overview'}"
    try:
        data.engine()
        drawn = data.version()
    except Exception as exc:  # the database is down, read-only or refusing: the outage page, which retries
        outage.show(exc, where)
        return

    with st.sidebar:
        st.markdown("**مرکز ارتباطات و امور بین‌الملل شهرداری تهران**")
        auth.sidebar(user)
        plot.preload()
        navigate.install([p.url_path for p in pages])  # links followed in this session, signed in

    data.show_sample_failure()
    live.watch(drawn)

    if unknown is not None:
        notfound.show(unknown, [(p.title, p.url_path) for p in pages if p.visibility == "visible"])
    elif navigation.url_path in ADMIN_PATHS and not user.is_admin:
        auth.admin_only_page(user)
    elif navigation.url_path in EDITOR_PATHS and not user.may_record:
        auth.recorders_only_page(user)
    else:
        navigation.run()


uploads.begin_run()
try:
    main()
except Exception as exc:  # a fault of ours (logged with its traceback, the user gets a reference) or the database's
    if outage.is_outage(exc):
        outage.show(exc, "a page run")
    else:
        messages.unexpected(exc, where="a page run")
finally:
    uploads.end_run()
data.settle_heap()  # once a process, after its first page: Streamlit's collection after each run stays small
