"""بارگذاری داده: check a CSV or Excel file, preview what it would change, then store it.

Views stay thin: the loading runs in a child process (``ui.load_job``), the report is drawn by
``ui.load_report``; the page only holds the choices and the two steps (preview, confirm).
"""

import logging

import pandas as pd
import streamlit as st

from monitoring import calendar, exports, logs
from monitoring.message import Message
from monitoring.text import persian_list, plain
from ui import auth, data, fmt, identity, load_job, load_report, messages, state, tables, uploads
from ui.html import macro
from ui.period import period_picker

SHOWN_ERRORS = 100
ALL_SHEETS = "همهٔ برگه‌ها"
logger = logging.getLogger(__name__)

state.leave("upload")
auth.require_admin()  # dashboard.py shows this page to administrators only; the page checks again
st.title("بارگذاری داده")
st.caption(
    "فایل اکسل یا سی‌اس‌وی گزارش‌های مناطق را انتخاب کنید، پیش‌نمایش تغییرات را ببینید و سپس ذخیره را تأیید کنید. "
    "فایلی که موردی نادرست دارد کامل رد می‌شود، مگر آنکه ذخیرهٔ موارد درست را انتخاب کنید."
)

with st.expander("قالب‌های پذیرفته‌شده"):
    st.markdown(
        """
- **بلند**: ستون‌های «منطقه، شاخص، دوره، مقدار»؛ هر ردیف یک عدد.
- **عریض**: ستون «منطقه» و برای هر شاخص یک ستون با نام فارسی یا کد آن؛ دوره در ستون «دوره» یا «ماه»، یا در همین صفحه.
- **فهرست رویدادها**: ستون‌های «تاریخ، منطقه، نوع»؛ هر ردیف یک رویداد (مثلاً یک ملاقات مردمی) و شمارش ماهانهٔ هر منطقه ذخیره می‌شود.
- **هدف‌ها**: قالب بلند با ستون «هدف» به‌جای «مقدار»؛ منطقه می‌تواند «کل شهر» باشد و دوره می‌تواند ماه آینده باشد.
- اکسل با سطرهای عنوان، خانه‌های ادغام‌شده و ردیف «جمع» خوانده می‌شود و همهٔ برگه‌ها بارگذاری می‌شوند (یا یک برگهٔ انتخابی).
- سی‌اس‌وی با کدگذاری یونیکد یا ویندوز و جداکنندهٔ ویرگول، نقطه‌ویرگول، تب یا «،».
- منطقه: ۷، «منطقه ۷» یا «منطقه هفت» · دوره: «مهر ۱۴۰۴»، ۱۴۰۴/۰۷، تاریخ کامل شمسی، یا تاریخ میلادی که به ماه شمسی برگردانده می‌شود.
- خانهٔ خالی یا «-» یعنی «گزارش نشده» و هرگز صفر ذخیره نمی‌شود. مقدار تکراری برای یک منطقه، شاخص و ماه پذیرفته نمی‌شود.
- فایلی که یک بار بارگذاری شده دوباره ذخیره نمی‌شود؛ هر بارگذاری در صفحهٔ «دسته‌های بارگذاری» دیده و برگردانده می‌شود.
"""
    )

uploads.allow_this_session()  # the server takes files for this session while its uploader is shown
uploaded = st.file_uploader("فایل گزارش", type=["csv", "xlsx", "xlsm", "txt", "tsv"], key="upload_file")
if uploaded is not None:
    st.html(macro("upload.html", "chosen")(load_report.file_name_html(uploaded.name), fmt.num(uploaded.size / 1024, 1)))
given_period = None
if st.checkbox("فایل ستون دوره ندارد؛ دوره را اینجا تعیین می‌کنم", key="upload_has_period"):
    last = calendar.last_complete_month()
    bounds = (calendar.month_start(1395, 1), calendar.month_start(*last))
    given_period = period_picker(bounds, key="upload_period", container=st, kinds=("month",)).code
known_sheets = st.session_state.get("upload_sheets", {}).get(uploaded.file_id if uploaded else None, [])
sheet = None
if len(known_sheets) > 1:
    chosen = st.selectbox("برگه", [ALL_SHEETS, *known_sheets], key="upload_sheet", format_func=plain)
    sheet = None if chosen == ALL_SHEETS else chosen
lenient = st.checkbox(
    "موارد درست را ذخیره کن و موارد نادرست را همراه دسته نگه دار (پیش‌فرض: فایلی که موردی نادرست دارد کامل رد می‌شود)",
    key="upload_skip",
)
signature = (uploaded.file_id if uploaded else None, given_period, sheet, lenient)


def _run(dry_run: bool) -> dict:
    """The loader's report, or a refusal shaped like one when the loader could not report."""
    assert uploaded is not None  # the buttons that run the loader are disabled without a file
    request = load_job.LoadRequest(
        name=uploaded.name,
        dry_run=dry_run,
        period=given_period,
        sheet=sheet,
        skip_bad_rows=lenient,
        loaded_by=identity.current_user(),
    )
    try:
        return load_job.run(uploaded.getvalue(), request)
    except load_job.LoaderFailed as exc:
        return {"source_name": uploaded.name, "file_error": exc.message.to_dict(), "errors": [], "refusal": "file"}
    except Exception as exc:  # a fault of ours: logged with its traceback, the user gets a reference
        reference = logs.report_unexpected(exc, f"loading {uploaded.name!r}")
        return {
            "source_name": uploaded.name,
            "file_error": Message(
                f"بارگذاری با خطای پیش‌بینی‌نشده‌ای متوقف شد و چیزی ذخیره نشد. کد پیگیری: {reference}",
                f"Loading stopped on an unexpected error and nothing was saved; quote {reference} to support.",
            ).to_dict(),
            "errors": [],
            "refusal": "file",
        }


if st.button("بررسی و پیش‌نمایش", type="primary", disabled=uploaded is None, key="upload_preview_go"):
    with st.spinner("در حال بررسی فایل…"):
        report = _run(dry_run=True)
    st.session_state["upload_preview"] = {"signature": signature, "report": report}
    st.session_state.pop("upload_result", None)
    if report.get("sheets") and sheet is None:
        assert uploaded is not None  # the button is disabled without a file
        st.session_state.setdefault("upload_sheets", {})[uploaded.file_id] = list(report["sheets"])
        if len(report["sheets"]) > 1:
            st.rerun()  # offer the sheet choice

catalog = data.catalog(data.version())
names = data.district_names(data.version())


def _refusal(report: dict) -> None:
    name = report.get("source_name") or ""
    refusal = Message.read(report.get("file_error")) or Message("چیزی ذخیره نشد", "nothing was stored")
    fa, en = refusal.fa, refusal.en
    if report.get("refusal") == "rows":
        fa += "؛ یا گزینهٔ «موارد درست را ذخیره کن» را بزنید تا موارد درست ذخیره و موارد نادرست همراه دسته نگه داشته شود"
        en += "; or tick the option to store the good values and keep the rejected ones with the batch"
    messages.error(f"«{name}»: {fa}", en)


preview = st.session_state.get("upload_preview")
if preview and uploaded is not None and preview["signature"] == signature:
    report = preview["report"]
    st.subheader("پیش‌نمایش")
    if report.get("duplicate_of"):
        messages.info(Message.from_dict(report["notice"]))
    elif report.get("file_error"):
        _refusal(report)
    elif not report.get("rows_new") and not report.get("rows_changed"):
        messages.info(
            "همهٔ مقدارهای این فایل همان است که در پایگاه داده هست و ذخیرهٔ آن چیزی را تغییر نمی‌دهد؛ "
            "با تأیید، فقط رسیدن گزارش مناطق آن ثبت می‌شود.",
            "Every value in this file is already stored, so storing it changes no figure; confirming records "
            "only that its districts reported.",
        )
    else:
        messages.info(
            "هنوز چیزی ذخیره نشده است. اگر شمارش‌ها و تغییرات درست است، ذخیره را تأیید کنید.",
            "Nothing has been stored yet. If the counts and changes look right, confirm to store them.",
        )
    load_report.notes(report)
    if not report.get("duplicate_of") and report.get("refusal") not in ("file", "empty"):
        if report.get("kind") == "actions":
            load_report.actions_summary(report)
        else:
            load_report.counts(report)
            load_report.changes(report, catalog, names)
    load_report.rejections(report, key="upload_preview")
    can_store = report.get("refusal") is None and not report.get("duplicate_of")
    if can_store and st.button("تأیید و ذخیره", type="primary", key="upload_commit_go"):
        with st.spinner("در حال ذخیره…"):
            stored = _run(dry_run=False)
        st.session_state["upload_result"] = stored
        st.session_state.pop("upload_preview", None)
        if stored.get("batch_id"):
            uploads.consumed(uploaded)  # stored: the server's copy of the file is let go
        st.rerun()
elif preview and uploaded is not None:
    st.caption("انتخاب‌ها پس از پیش‌نمایش تغییر کرد؛ برای دیدن اثر آن‌ها دوباره «بررسی و پیش‌نمایش» را بزنید.")

result = st.session_state.get("upload_result")
if result:
    st.subheader("نتیجهٔ بارگذاری")
    name = result.get("source_name") or ""
    if result.get("batch_id"):
        what = {"targets": "هدف", "actions": "اقدام شاخص"}.get(result.get("kind", ""), "مقدار")
        if result.get("kind") == "actions":
            messages.success(
                f"«{name}» در دستهٔ {fmt.digits(result['batch_id'])} ذخیره شد: {fmt.num(result.get('rows_loaded', 0))} "
                "اقدام شاخص. از صفحهٔ «دسته‌های بارگذاری» می‌توان آن را برگرداند.",
                f"Stored as batch {result['batch_id']}: {result.get('rows_loaded', 0):,} notable actions; "
                "it can be rolled back from the batches page.",
            )
        else:
            messages.success(
                f"«{name}» در دستهٔ {fmt.digits(result['batch_id'])} ذخیره شد: {fmt.num(result.get('rows_loaded', 0))} {what} "
                f"({fmt.num(result.get('rows_new', 0))} تازه، {fmt.num(result.get('rows_changed', 0))} تغییر، "
                f"{fmt.num(result.get('rows_unchanged', 0))} بی‌تغییر). از صفحهٔ «دسته‌های بارگذاری» می‌توان آن را برگرداند.",
                f"Stored as batch {result['batch_id']}: {result.get('rows_loaded', 0):,} values "
                f"({result.get('rows_new', 0):,} new, {result.get('rows_changed', 0):,} changed, "
                f"{result.get('rows_unchanged', 0):,} unchanged); it can be rolled back from the batches page.",
            )
        if result.get("rows_rejected"):
            messages.warning(
                f"{fmt.num(result['rows_rejected'])} مورد نادرست ذخیره نشد و همراه دسته نگه داشته شد؛ فهرست آن در زیر است.",
                f"{result['rows_rejected']:,} wrong values were not stored; they are kept with the batch and listed below.",
            )
        if result.get("kind") == "actions":
            load_report.actions_summary(result)
        else:
            load_report.counts(result)
    elif result.get("duplicate_of"):
        messages.info(Message.from_dict(result["notice"]))
    else:
        _refusal(result)
    load_report.notes(result)
    load_report.rejections(result, key="upload_result")

st.subheader("بارگذاری‌های اخیر")
history = data.batch_history(data.version(), limit=5)
if history.empty:
    st.caption("هنوز چیزی بارگذاری نشده است.")
else:
    table = pd.DataFrame(
        {
            "دسته": [fmt.digits(i) for i in history["id"]],
            "زمان": [calendar.format_datetime(t.to_pydatetime()) for t in history["loaded_at"]],
            "فایل": list(history["source_name"]),
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
    st.caption("همهٔ دسته‌ها، تغییرات هر یک و برگرداندن آن‌ها:")
    st.page_link("views/batches.py", label="دسته‌های بارگذاری", icon=":material/history:")

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
        macro("upload.html", "boundaries_stored")(
            fmt.num(stored_shapes["districts"]),
            tables.cell_html(stored_shapes["source_name"]),
            calendar.format_datetime(stored_shapes["loaded_at"]),
        )
    )
shapes_file, shapes_key, shapes_go = None, "", False
# behind a tick box: until asked, the page's own uploader is its only one
if st.checkbox("فایل مرزهای مناطق را بارگذاری می‌کنم", key="boundaries_open"):
    shapes_file = st.file_uploader("فایل مرزها", type=["geojson", "json"], key="boundaries_file")
    shapes_key = st.text_input("نام ویژگی شمارهٔ منطقه (اختیاری؛ خالی بماند تا خودکار پیدا شود)", key="boundaries_key")
    shapes_go = st.button("بارگذاری مرزها", disabled=shapes_file is None, key="boundaries_go")
if shapes_go and shapes_file is not None:
    try:  # parsed, checked and stored in a child process, as tables are: never in the server's memory
        outcome = load_job.run_boundaries(
            shapes_file.getvalue(),
            load_job.BoundariesRequest(
                name=shapes_file.name, key=shapes_key.strip() or None, loaded_by=identity.current_user()
            ),
        )
    except load_job.LoaderFailed as exc:  # the child gave no report: nothing was stored
        outcome = {
            "source_name": shapes_file.name,
            "ok": False,
            "errors": [],
            "file_error": exc.message.to_dict(),
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
                f"مرز این مناطق در فایل نبود و فقط در نقشهٔ کاشی دیده می‌شوند: {persian_list(shapes_result['missing'])}.",
                "No boundary for districts " + ", ".join(str(n) for n in shapes_result["missing"]) + "; they stay on "
                "the tile map only.",
            )
    else:
        refusal = Message.from_dict(shapes_result["file_error"])
        messages.error(f"«{shapes_name}»: {refusal.fa}", refusal.en)
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
                    "دلیل": [str(Message.from_dict(r)) for r in faults["reason"]],
                }
            ),
        )
