"""بارگذاری داده: a CSV or Excel file through the loader, with its rejection list."""

import datetime as dt
import logging

import pandas as pd
import streamlit as st

from data_loaders import boundaries, files
from monitoring import calendar, exports, logs, store
from ui import data, fmt, identity, messages, state, tables
from ui.period import period_picker

SHOWN_ERRORS = 100
logger = logging.getLogger(__name__)

state.leave("upload")
st.title("بارگذاری داده")
st.caption("فایل اکسل یا سی‌اس‌وی گزارش‌های ماهانهٔ مناطق را بارگذاری کنید؛ فایلی که ردیف نادرست دارد کامل رد می‌شود.")

with st.expander("قالب‌های پذیرفته‌شده"):
    st.markdown(
        """
- **بلند**: ستون‌های «منطقه، شاخص، دوره، مقدار» (یا `district, metric, period, value`)؛ هر ردیف یک عدد.
- **عریض**: ستون «منطقه» و برای هر شاخص یک ستون با کد یا نام فارسی آن؛ دوره در ستون «دوره» یا «ماه»، یا در همین صفحه.
- منطقه: ۷ یا «منطقه ۷» · شاخص: کد (`news_published`) یا نام فارسی (اخبار منتشرشده) · دوره: «مهر ۱۴۰۴»، ۱۴۰۴/۰۷ یا ۱۴۰۴-۰۷.
- **هدف‌ها**: همان قالب بلند با ستون «هدف» به‌جای «مقدار» (`target`)؛ منطقه می‌تواند «کل شهر» باشد و دوره می‌تواند ماه آینده باشد.
- خانهٔ خالی یعنی «گزارش نشده» و هرگز صفر ذخیره نمی‌شود. مقدار تکراری برای یک منطقه، شاخص و ماه پذیرفته نمی‌شود.
- نمونه‌فایل‌ها در پوشهٔ `sample_data/demo_files` هستند.
"""
    )

uploaded = st.file_uploader("فایل گزارش", type=["csv", "xlsx"], key="upload_file")
if uploaded is not None:
    st.html(
        f'<div class="dash-muted" data-testid="upload-chosen">فایل انتخاب‌شده: <code lang="en" dir="ltr">'
        f"{tables.cell_html(uploaded.name)}</code>، {fmt.num(uploaded.size / 1024, 1)} کیلوبایت</div>"
    )
given_period = None
if st.checkbox("فایل ستون دوره ندارد؛ دوره را اینجا تعیین می‌کنم", key="upload_has_period"):
    last = calendar.last_complete_month()
    bounds = (calendar.month_start(1395, 1), calendar.month_start(*last))
    given_period = period_picker(bounds, key="upload_period", container=st, kinds=("month",)).code
skip_bad_rows = st.checkbox(
    "ردیف‌های درست را ذخیره کن و ردیف‌های نادرست را کنار بگذار (پیش‌فرض: فایل دارای خطا کامل رد می‌شود)",
    key="upload_skip",
)


def _failed(name: str, fa: str, en: str, reference: str | None = None) -> dict:
    return {"source_name": name, "file_error": fa, "file_error_en": en, "reference": reference, "errors": []}


if st.button("بارگذاری", type="primary", disabled=uploaded is None, key="upload_go"):
    bar = st.progress(0.0, text="در حال خواندن فایل…")

    def progress(done: int, total: int) -> None:
        share = done / total if total else 1.0
        bar.progress(share, text=f"ذخیرهٔ {fmt.num(done)} از {fmt.num(total)} ردیف…")

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
    except store.StoreError as exc:  # the database refused: nothing was stored (one transaction)
        reference = logs.report_unexpected(exc, f"storing {uploaded.name!r}")
        st.session_state["upload_result"] = _failed(
            uploaded.name,
            f"ذخیره در پایگاه داده ناموفق بود و هیچ ردیفی ذخیره نشد. دوباره تلاش کنید؛ اگر تکرار شد، کد {reference} را به پشتیبانی بدهید.",
            f"Storing failed and nothing was saved ({store.short_reason(exc)}); try again, or quote {reference} to support.",
            reference,
        )
    except Exception as exc:  # a fault of ours: logged with its traceback, the user gets a reference
        reference = logs.report_unexpected(exc, f"loading {uploaded.name!r}")
        st.session_state["upload_result"] = _failed(
            uploaded.name,
            f"بارگذاری با خطای پیش‌بینی‌نشده‌ای متوقف شد و هیچ ردیفی ذخیره نشد. کد پیگیری: {reference}",
            f"Loading stopped on an unexpected error and nothing was saved; quote {reference} to support.",
            reference,
        )
    bar.empty()

result = st.session_state.get("upload_result")
if result:
    name = result["source_name"]
    if result.get("batch_id"):
        blank = result.get("rows_blank")
        what = "هدف" if result.get("kind") == "targets" else "ردیف"
        messages.success(
            f"«{name}» بارگذاری شد: {fmt.num(result['rows_loaded'])} {what} در دستهٔ {fmt.digits(result['batch_id'])}"
            + (f"؛ {fmt.num(blank)} خانهٔ خالی (گزارش نشده) ذخیره نشد" if blank else ""),
            f"Loaded {result['rows_loaded']:,} {'targets' if what == 'هدف' else 'rows'} as batch {result['batch_id']}.",
        )
        if result["rows_rejected"]:
            messages.warning(
                f"{fmt.num(result['rows_rejected'])} ردیف نادرست کنار گذاشته شد؛ فهرست آن‌ها در زیر است.",
                f"{result['rows_rejected']:,} wrong rows were left out; they are listed below.",
            )
    elif result["errors"]:
        messages.error(
            f"«{name}» پذیرفته نشد: {fmt.num(result['rows_rejected'])} مورد نادرست است و هیچ ردیفی ذخیره نشد. "
            "موارد زیر را در فایل اصلاح کنید و دوباره بارگذاری کنید، یا گزینهٔ «ردیف‌های درست را ذخیره کن» را بزنید.",
            f"Refused: {result['rows_rejected']:,} values are wrong and nothing was stored; fix them in the file and "
            "load it again, or tick the option to store only the good rows.",
        )
    else:
        fa, en = messages.split_bilingual(result.get("file_error") or "")
        messages.error(f"«{name}»: {fa}", result.get("file_error_en") or en)
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
        tables.show(table.head(SHOWN_ERRORS), wrap=["دلیل"], bilingual=["دلیل"], code=["ستون", "مقدار"])
        if len(table) > SHOWN_ERRORS:
            st.caption(
                f"{fmt.num(SHOWN_ERRORS)} خطای نخست از {fmt.num(len(table))} نشان داده شد؛ فهرست کامل را دریافت کنید."
            )
        st.download_button(
            "دریافت فهرست خطاها",
            exports.to_csv_bytes(errors),  # a cell such as =HYPERLINK(...) is neutralised, never run
            file_name=f"rejected-rows-{exports.file_stem(name)}.csv",
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
            "زمان": [calendar.format_datetime(t.to_pydatetime()) for t in history["loaded_at"]],
            "فایل": [messages.split_bilingual(n)[0] for n in history["source_name"]],
            "ردیف‌های ذخیره‌شده": [fmt.num(n) for n in history["rows_loaded"]],
            "ردیف‌های ردشده": [fmt.num(n) for n in history["rows_rejected"]],
            "کاربر": [fmt.user_name(u) for u in history["loaded_by"]],
        }
    )
    tables.show(
        table,
        code=["فایل", "کاربر"],
        numeric=["ردیف‌های ذخیره‌شده", "ردیف‌های ردشده"],
        download="upload-history",
        export=table.assign(
            **{
                "دسته": history["id"].tolist(),
                "ردیف‌های ذخیره‌شده": history["rows_loaded"].tolist(),
                "ردیف‌های ردشده": history["rows_rejected"].tolist(),
            }
        ),
        sheet="بارگذاری‌های اخیر",
    )

# ---------------------------------------------------------------- district boundaries (optional)
st.subheader("مرزهای مناطق (اختیاری)")
st.caption(
    "با بارگذاری مرز مناطق، نمای کلی کنار نقشهٔ کاشی نقشهٔ مرزهای واقعی را هم پیشنهاد می‌دهد. "
    "هر فایل تازه همهٔ مرزهای پیشین را جایگزین می‌کند؛ فایلی که ایرادی داشته باشد هیچ مرزی ذخیره نمی‌کند."
)
with st.expander("فایل مرزها چه باید داشته باشد"):
    st.markdown(
        """
- یک فایل `GeoJSON` از نوع `FeatureCollection`، برای هر منطقه یک عارضه با شکل `Polygon` یا `MultiPolygon`.
- مختصات به درجهٔ جغرافیایی (`WGS 84`)، اول طول و بعد عرض: تهران میان طول ۵۱٫۰ تا ۵۱٫۷ و عرض ۳۵٫۵ تا ۳۵٫۹ است.
- شمارهٔ منطقه در یکی از ویژگی‌های عارضه (`district`، `region`، `mantaghe` یا «منطقه»)، به شکل ۷ یا «منطقه ۷».
- منطقه‌ای که در فایل نباشد پذیرفته می‌شود و فقط در نقشهٔ کاشی دیده می‌شود. بیشینهٔ اندازهٔ فایل ۲۰ مگابایت است.
- نمونه: `sample_data/demo_files/districts_schematic.geojson` (مرزهای نمادین، نه رسمی).
"""
    )
stored_shapes = data.boundaries_batch(data.version())
if stored_shapes:
    st.html(
        f'<div class="dash-muted" data-testid="boundaries-stored">اکنون مرز {fmt.num(stored_shapes["districts"])} '
        f'منطقه از فایل <code lang="en" dir="ltr">{tables.cell_html(stored_shapes["source_name"])}</code> ذخیره است '
        f"({calendar.format_datetime(stored_shapes['loaded_at'])}).</div>"
    )
shapes_file, shapes_key, shapes_go = None, "", False
# behind a tick box: until asked, the page's own uploader is its only one
if st.checkbox("فایل مرزهای مناطق را بارگذاری می‌کنم", key="boundaries_open"):
    shapes_file = st.file_uploader("فایل مرزها", type=["geojson", "json"], key="boundaries_file")
    shapes_key = st.text_input("نام ویژگی شمارهٔ منطقه (اختیاری؛ خالی بماند تا خودکار پیدا شود)", key="boundaries_key")
    shapes_go = st.button("بارگذاری مرزها", disabled=shapes_file is None, key="boundaries_go")
if shapes_go and shapes_file is not None:
    try:
        outcome = boundaries.load_boundaries(
            data.engine(),
            shapes_file.getvalue(),
            shapes_file.name,
            key=shapes_key.strip() or None,
            loaded_by=identity.current_user(),
        ).to_dict()
    except store.StoreError as exc:  # the database refused: nothing was stored (one transaction)
        reference = logs.report_unexpected(exc, f"storing the boundaries {shapes_file.name!r}")
        outcome = {
            "source_name": shapes_file.name,
            "ok": False,
            "errors": [],
            "file_error": f"ذخیره در پایگاه داده ناموفق بود و هیچ مرزی ذخیره نشد؛ کد پیگیری: {reference} / "
            f"Storing failed and nothing was saved ({store.short_reason(exc)}); quote {reference} to support.",
        }
    except Exception as exc:  # a fault of ours: logged with its traceback, the user gets a reference
        reference = logs.report_unexpected(exc, f"loading the boundaries {shapes_file.name!r}")
        outcome = {
            "source_name": shapes_file.name,
            "ok": False,
            "errors": [],
            "file_error": f"بارگذاری مرزها با خطای پیش‌بینی‌نشده‌ای متوقف شد و چیزی ذخیره نشد؛ کد پیگیری: {reference} / "
            f"Loading the boundaries stopped on an unexpected error and nothing was saved; quote {reference} to support.",
        }
    st.session_state["boundaries_result"] = outcome

shapes_result = st.session_state.get("boundaries_result")
if shapes_result:
    shapes_name = shapes_result["source_name"]
    if shapes_result["ok"]:
        messages.success(
            f"مرز {fmt.num(len(shapes_result['districts']))} منطقه از «{shapes_name}» ذخیره شد "
            f"(دستهٔ {fmt.digits(shapes_result['batch_id'])})؛ نقشهٔ مرزها در نمای کلی آماده است.",
            f"Boundaries of {len(shapes_result['districts'])} districts stored as batch {shapes_result['batch_id']}; "
            "the overview now offers the map of real boundaries.",
        )
        if shapes_result["missing"]:
            messages.info(
                f"مرز این مناطق در فایل نبود و فقط در نقشهٔ کاشی دیده می‌شوند: "
                f"{boundaries.fa_list(shapes_result['missing'])}.",
                "No boundary for districts " + ", ".join(str(n) for n in shapes_result["missing"]) + "; they stay on "
                "the tile map only.",
            )
    else:
        fa, en = messages.split_bilingual(shapes_result.get("file_error") or "")
        messages.error(f"«{shapes_name}»: {fa}", en)
    if shapes_result["errors"]:
        faults = pd.DataFrame(shapes_result["errors"])
        tables.show(
            pd.DataFrame(
                {
                    "عارضه": [fmt.digits(i + 1) if i >= 0 else "—" for i in faults["feature"]],
                    "بخش": faults["member"],
                    "دلیل": faults["reason"],
                }
            ).head(SHOWN_ERRORS),
            wrap=["دلیل"],
            bilingual=["دلیل"],
            code=["بخش"],
            download=f"rejected-shapes-{exports.file_stem(shapes_name)}",
            export=pd.DataFrame(
                {
                    "عارضه": [i + 1 if i >= 0 else None for i in faults["feature"]],
                    "بخش": faults["member"],
                    "دلیل": faults["reason"],
                }
            ),
        )
