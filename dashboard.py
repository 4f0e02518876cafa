"""Entry point: page config, the Persian right-to-left theme, who is signed in, the pages."""

import streamlit as st

from ui import data, identity, plot, theme

st.set_page_config(
    page_title="رصد مناطق ۲۲گانه تهران",
    page_icon=":material/monitoring:",
    layout="wide",
    initial_sidebar_state="expanded",
)
theme.apply_rtl()

navigation = st.navigation(
    [
        st.Page("views/overview.py", title="نمای کلی", icon=":material/dashboard:", default=True),
        st.Page("views/rankings.py", title="رتبه‌بندی مناطق", icon=":material/leaderboard:", url_path="rankings"),
        st.Page("views/upload.py", title="بارگذاری داده", icon=":material/upload_file:", url_path="upload"),
    ]
)

with st.sidebar:
    st.markdown("**مرکز ارتباطات و امور بین‌الملل شهرداری تهران**")
    st.caption(f"کاربر: {identity.current_user()}")
    plot.preload()

try:
    data.engine()
except data.StoreUnavailable as exc:
    st.error(
        "پایگاه داده در دسترس نیست. نشانی DATABASE_URL یا DASHBOARD_DB_PATH را بررسی کنید و دوباره تلاش کنید.\n\n"
        f"The database could not be opened: {exc}. Check DATABASE_URL or DASHBOARD_DB_PATH and try again."
    )
    st.stop()

navigation.run()
