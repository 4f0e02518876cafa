"""دسته‌های بارگذاری: every batch, what it changed, its rejected cells and file, and rolling it back."""

import logging
from pathlib import PurePath

import streamlit as st

from monitoring import exports, logs, store
from ui import auth, data, fmt, identity, load_report, messages, state, tables
from ui.html import macro

logger = logging.getLogger(__name__)

state.leave("batches")
auth.require_admin()  # dashboard.py shows this page to administrators only; the page checks again
st.title("دسته‌های بارگذاری")
st.caption(
    "هر فایل بارگذاری‌شده یک دسته است. تغییرات هر دسته، موارد ردشده و فایل اصلی آن اینجا دیده می‌شود و هر دسته "
    "را می‌توان برگرداند: مقدارهایی که جایگزین کرده بود بازمی‌گردد."
)

engine = data.engine()
version = data.version()
batches = store.batch_list(engine, limit=200)
if batches.empty:
    st.caption("هنوز چیزی بارگذاری نشده است.")
    st.stop()

shown = tables.rows_shown("batches", len(batches), first=5)
tables.show(
    load_report.batches_table(batches.head(shown)),
    code=["فایل", "کاربر"],
    wrap=["فایل", "زمان"],
    numeric=["تازه", "تغییر", "ردشده"],
    phone_hidden=["کاربر", "تازه", "تغییر", "ردشده"],  # a phone: which batch, when, what file, its state
    stack_on_phone=False,
)
tables.more_button("batches", shown, len(batches), step=15, noun="دسته")

st.subheader("جزئیات یک دسته")
rows = {int(r["id"]): r for _, r in batches.iterrows()}
chosen = st.selectbox(
    "دسته",
    list(rows),
    format_func=lambda i: load_report.batch_label(rows[i]),
    key="batches_pick",
)
batch = rows[chosen]
done = st.session_state.pop("batches_done", None)
if done:
    messages.success(done["fa"], done["en"])

for note in batch["notes"]:
    messages.info(note)
load_report.counts(
    {
        "rows_new": batch["rows_new"],
        "rows_changed": batch["rows_changed"],
        "rows_unchanged": batch["rows_unchanged"],
        "rows_rejected": batch["rows_rejected"],
    }
)
st.html(
    macro("batches.html", "batch")(
        load_report.KIND_FA.get(batch["kind"], ""),
        load_report.file_name_html(batch["source_name"]),
        tables.cell_html(fmt.user_name(str(batch["loaded_by"] or ""))),
        load_report.sha256_html(batch["sha256"]),
    )
)

changes = store.batch_changes(engine, chosen, limit=500)
if changes.empty:
    st.caption("این دسته مقداری را تغییر نداده است.")
else:
    st.markdown("**مقدارهایی که این دسته نوشت**")
    shown = tables.rows_shown(f"batch_changes_{chosen}", len(changes), first=10)
    tables.show(
        load_report.batch_changes_table(changes.head(shown), data.catalog(version), data.district_names(version)),
        numeric=["مقدار پیشین", "مقدار این دسته"],
        wrap=["شاخص"],
        phone_hidden=["دوره", "وضعیت"],
        stack_on_phone=False,
    )
    tables.more_button(f"batch_changes_{chosen}", shown, len(changes), step=40, noun="مقدار")
    if len(changes) >= 500 and shown >= 500:
        st.caption("۵۰۰ مقدار نخست نشان داده شد.")

rejected = store.batch_rejections(engine, chosen)
if not rejected.empty:
    st.markdown("**موارد ردشده‌ای که همراه این دسته نگه داشته شد**")
    load_report.rejections(
        {"errors": rejected.to_dict(orient="records"), "source_name": batch["source_name"]}, key="batches_rejected"
    )

original = store.source_file(engine, batch["sha256"]) if batch["sha256"] else None
if original is not None:
    st.download_button(
        "دریافت فایل اصلی",
        original,
        file_name=exports.file_stem(str(batch["source_name"])) + PurePath(str(batch["source_name"])).suffix.lower()[:8],
        key="batches_original",
        on_click="ignore",
    )

if batch["status"] == "rolled_back":
    when = batch["rolled_back_at"]
    messages.info(
        f"این دسته برگردانده شده است ({fmt.user_name(str(batch['rolled_back_by'] or ''))}).",
        f"This batch was rolled back{f' on {when:%Y-%m-%d %H:%M} UTC' if hasattr(when, 'strftime') else ''}.",
    )
elif batch["kind"] == "boundaries":
    st.caption("دستهٔ مرزها برگرداندنی نیست؛ برای بازگشت، فایل مرزهای پیشین را دوباره بارگذاری کنید.")
else:
    sure = st.checkbox(
        f"می‌خواهم دستهٔ {fmt.digits(chosen)} را برگردانم و مقدارهای پیش از آن بازگردد", key=f"batches_sure_{chosen}"
    )
    if st.button("برگرداندن دسته", disabled=not sure, key="batches_rollback"):
        try:
            outcome = store.rollback_batch(engine, chosen, actor=identity.current_user())
        except store.RollbackRefused as exc:
            messages.error(exc.message)
        except store.StoreError as exc:
            reference = logs.report_unexpected(exc, f"rolling back batch {chosen}")
            messages.error(
                f"برگرداندن دسته انجام نشد و چیزی تغییر نکرد. دوباره تلاش کنید؛ اگر تکرار شد، کد {reference} را به پشتیبانی بدهید.",
                f"Rolling back failed and nothing changed ({store.short_reason(exc)}); try again, or quote {reference}.",
            )
        else:
            st.session_state["batches_done"] = {
                "fa": f"دستهٔ {fmt.digits(chosen)} برگردانده شد: {fmt.num(outcome.restored)} مقدار به مقدار پیشین "
                f"برگشت، {fmt.num(outcome.removed)} مقدار حذف شد و {fmt.num(outcome.kept_newer)} مقدار که دسته‌ای "
                "تازه‌تر نوشته بود دست نخورد.",
                "en": f"Batch {chosen} rolled back: {outcome.restored} restored, {outcome.removed} removed, "
                f"{outcome.kept_newer} kept because a later batch wrote them.",
            }
            logger.info("batch %s rolled back by %s", chosen, identity.current_user())
            st.rerun()

st.subheader("گزارش کارها")
AUDIT_FIRST, AUDIT_MORE = 10, 25
ALL = "همه"


def audit_section(key: str, actions=None, exclude=None, failures: bool = False) -> None:
    """One part of the audit log: filters (who, what), the latest entries, and a button for more."""
    left, right = st.columns(2)
    actors = store.audit_actors(engine, actions, exclude)
    who = left.selectbox(
        "کاربر", [ALL, *actors], key=f"audit_{key}_actor", format_func=lambda a: a if a == ALL else fmt.user_name(a)
    )
    chosen = actions
    if not failures:
        kinds = [a for a in load_report.ACTION_FA if a not in store.SIGN_IN_FAILURES]
        what = right.selectbox(
            "کار", [ALL, *kinds], key=f"audit_{key}_action", format_func=lambda a: load_report.ACTION_FA.get(a, a)
        )
        chosen = None if what == ALL else [what]
    actor = None if who == ALL else who
    total = store.audit_count(engine, chosen, exclude, actor)
    if total == 0:
        st.caption("موردی نیست.")
        return
    more_key = f"audit_{key}_{actor or ''}_{'-'.join(chosen or [])}"  # a new filter starts from the latest again
    shown = tables.rows_shown(more_key, total, first=AUDIT_FIRST)
    rows = store.audit_entries(engine, shown, 0, chosen, exclude, actor)
    if failures:
        tables.show(load_report.failures_table(rows), code=["کاربر", "نشانی"], numeric=["پیاپی"], stack_on_phone=False)
    else:
        tables.show(load_report.audit_table(rows), code=["کاربر"], wrap=["زمان"], stack_on_phone=False)
    tables.more_button(more_key, shown, total, step=AUDIT_MORE)


actions_tab, failures_tab = st.tabs(["کارهای مدیران", "ورودهای ناموفق"])
with actions_tab:
    audit_section("actions", exclude=store.SIGN_IN_FAILURES)
with failures_tab:
    st.caption(
        "هر ورود ناموفق با نشانی واقعی کارخواه در گزارش کارگزار ثبت می‌شود؛ اینجا پنج تلاش نخست هر حساب یا نشانی "
        "و سپس تلاش‌های هشتم، شانزدهم، سی‌ودوم و … نگه داشته می‌شود. نامی که حساب نیست هرگز نگه داشته نمی‌شود (-)."
    )
    audit_section("failures", actions=store.SIGN_IN_FAILURES, failures=True)
