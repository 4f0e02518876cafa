"""بارگذاری داده: a CSV or Excel file through the loader, with its rejection list."""

import datetime as dt

import pandas as pd
import streamlit as st

from data_loaders import files
from monitoring import calendar
from ui import data, fmt, identity
from ui.period import period_picker

SHOWN_ERRORS = 100

st.title("بارگذاری داده")
st.caption("فایل CSV (UTF-8) یا Excel (.xlsx) گزارش‌های ماهانهٔ مناطق را بارگذاری کنید.")

with st.expander("قالب‌های پذیرفته‌شده / accepted formats"):
    st.markdown(
        """
- **بلند**: ستون‌های «منطقه، شاخص، دوره، مقدار» (یا district, metric, period, value)؛ هر ردیف یک عدد.
- **عریض**: ستون «منطقه» و برای هر شاخص یک ستون با کد یا نام فارسی آن؛ دوره در ستون «دوره» یا «ماه»، یا در همین صفحه.
- منطقه: ۷ یا 7 یا «منطقه ۷» · شاخص: کد (news_published) یا نام فارسی (اخبار منتشرشده) · دوره: «مهر ۱۴۰۴»، ۱۴۰۴/۰۷ یا ۱۴۰۴-۰۷.
- خانهٔ خالی یعنی «گزارش نشده» و هرگز صفر ذخیره نمی‌شود. مقدار تکراری برای یک منطقه، شاخص و ماه پذیرفته نمی‌شود.
- نمونه‌فایل‌ها در پوشهٔ `sample_data/demo_files` هستند.
"""
    )

uploaded = st.file_uploader("فایل گزارش", type=["csv", "xlsx"], key="upload_file")
if uploaded is not None:
    st.caption(f"فایل انتخاب‌شده: «{uploaded.name}»، {fmt.num(uploaded.size / 1024, 1)} کیلوبایت")
given_period = None
if st.checkbox("فایل ستون دوره ندارد؛ دوره را اینجا تعیین می‌کنم", key="upload_has_period"):
    last = calendar.last_complete_month()
    bounds = (calendar.month_start(1395, 1), calendar.month_start(*last))
    given_period = period_picker(bounds, key="upload_period", container=st, kinds=("month",)).code
skip_bad_rows = st.checkbox(
    "ردیف‌های درست را ذخیره کن و ردیف‌های نادرست را کنار بگذار (پیش‌فرض: فایل دارای خطا کامل رد می‌شود)",
    key="upload_skip",
)

if st.button("بارگذاری", type="primary", disabled=uploaded is None, key="upload_go"):
    bar = st.progress(0.0, text="در حال خواندن فایل… / reading the file…")

    def progress(done: int, total: int) -> None:
        share = done / total if total else 1.0
        bar.progress(
            share, text=f"ذخیرهٔ {fmt.num(done)} از {fmt.num(total)} ردیف… / storing {done:,} of {total:,} rows"
        )

    try:
        result = files.load_file(
            data.engine(),
            uploaded.getvalue(),
            uploaded.name,
            period=given_period,
            skip_bad_rows=skip_bad_rows,
            loaded_by=identity.current_user(),
            progress=progress,
            today=dt.date.today(),
        )
        st.session_state["upload_result"] = result.to_dict()
    except Exception as exc:  # a database failure: say so plainly, never a traceback
        st.session_state["upload_result"] = {
            "source_name": uploaded.name,
            "file_error": "ذخیره در پایگاه داده ناموفق بود؛ هیچ ردیفی ذخیره نشد. دوباره تلاش کنید یا با پشتیبانی تماس بگیرید. "
            f"/ Storing failed and nothing was saved; try again or contact support. ({type(exc).__name__})",
            "errors": [],
            "batch_id": None,
        }
    bar.empty()

result = st.session_state.get("upload_result")
if result:
    name = result["source_name"]
    if result.get("file_error"):
        st.error(f"«{name}»: {result['file_error']}")
    elif result.get("batch_id"):
        st.success(
            f"«{name}» بارگذاری شد: {fmt.num(result['rows_loaded'])} ردیف در دستهٔ {fmt.digits(result['batch_id'])}"
            + (
                f"؛ {fmt.num(result['rows_blank'])} خانهٔ خالی (گزارش نشده) ذخیره نشد"
                if result.get("rows_blank")
                else ""
            )
            + f" / loaded {result['rows_loaded']:,} rows as batch {result['batch_id']}"
        )
        if result["rows_rejected"]:
            st.warning(
                f"{fmt.num(result['rows_rejected'])} ردیف نادرست کنار گذاشته شد / {result['rows_rejected']:,} rows were skipped"
            )
    else:
        st.error(
            f"«{name}» پذیرفته نشد: {fmt.num(result['rows_rejected'])} ردیف نادرست است و هیچ ردیفی ذخیره نشد. "
            "ردیف‌های زیر را اصلاح کنید و دوباره بارگذاری کنید. "
            f"/ Refused: {result['rows_rejected']:,} rows are wrong and nothing was stored; fix the rows below and load again."
        )
    if result["errors"]:
        errors = pd.DataFrame(result["errors"])
        table = pd.DataFrame(
            {
                "ردیف": [fmt.digits(r) for r in errors["row"]],
                "ستون": errors["column"],
                "مقدار": errors["value"],
                "دلیل": errors["reason"],
            }
        )
        shown = table.head(SHOWN_ERRORS)
        st.table(shown, hide_index=True, border="horizontal")
        if len(table) > SHOWN_ERRORS:
            st.caption(
                f"{fmt.num(SHOWN_ERRORS)} خطای نخست از {fmt.num(len(table))} نشان داده شد؛ فهرست کامل را دریافت کنید."
            )
        st.download_button(
            "دریافت فهرست خطاها (CSV)",
            errors.to_csv(index=False).encode("utf-8-sig"),
            file_name=f"rejected-rows-{name}.csv",
            mime="text/csv",
            key="upload_errors_csv",
        )

st.subheader("بارگذاری‌های اخیر")
history = data.batch_history(data.version())
if history.empty:
    st.caption("هنوز چیزی بارگذاری نشده است.")
else:
    table = pd.DataFrame(
        {
            "دسته": [fmt.digits(i) for i in history["id"]],
            "فایل": history["source_name"],
            "ردیف‌های ذخیره‌شده": [fmt.num(n) for n in history["rows_loaded"]],
            "ردیف‌های ردشده": [fmt.num(n) for n in history["rows_rejected"]],
            "کاربر": history["loaded_by"],
            "زمان": [calendar.format_datetime(t.to_pydatetime()) for t in history["loaded_at"]],
        }
    )
    st.table(table, hide_index=True, border="horizontal")
