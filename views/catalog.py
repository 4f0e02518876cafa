"""فهرست شاخص‌ها: the metric catalog the loader checks files against, and changing one metric."""

import dataclasses
import logging

import pandas as pd
import streamlit as st

from monitoring import logs, metrics, store
from monitoring.message import Message
from monitoring.text import plain
from ui import auth, data, fmt, identity, load_job, messages, state, tables

logger = logging.getLogger(__name__)
DIRECTIONS: dict[metrics.Direction, str] = {
    "higher": "بیشتر بهتر است",
    "lower": "کمتر بهتر است",
    "neutral": "خنثی (بدون رتبه)",
}
DECIMALS = [0, 1, 2, 3, 4]
AGGREGATIONS = {"sum": "جمع ماه‌ها", "mean": "میانگین ماه‌ها", "last": "آخرین ماه"}

state.leave("catalog")
auth.require_admin()  # dashboard.py shows this page to administrators only; the page checks again
st.title("فهرست شاخص‌ها")
st.caption(
    "بارگذار هر فایل را با همین فهرست می‌سنجد: نام‌ها، واحد، جهت بهتر بودن و حداقل و حداکثر مجاز هر شاخص. "
    "هر تغییر با نام کاربر در گزارش کارها ثبت می‌شود."
)

engine = data.engine()
catalog = store.metric_catalog(engine)


def _limit(value: float | None) -> str:
    return "—" if value is None else fmt.num(value, 2 if not float(value).is_integer() else 0)


tables.show(
    pd.DataFrame(
        {
            "کد": list(catalog),
            "نام": [m.name_fa for m in catalog.values()],
            "واحد": [m.unit_fa for m in catalog.values()],
            "تجمیع": [AGGREGATIONS.get(m.aggregation, m.aggregation) for m in catalog.values()],
            "جهت": [DIRECTIONS.get(m.direction, m.direction) for m in catalog.values()],
            "حداقل": [_limit(m.min_value) for m in catalog.values()],
            "حداکثر": [_limit(m.max_value) for m in catalog.values()],
            "عمومی": ["بله" if m.public else "—" for m in catalog.values()],
        }
    ),
    code=["کد"],
    wrap=["نام"],
    numeric=["حداقل", "حداکثر"],
    phone_hidden=["کد", "تجمیع", "جهت", "عمومی"],
    stack_on_phone=False,
)

done = st.session_state.pop("catalog_done", None)
if done:
    messages.success(done["fa"], done["en"])

st.subheader("ویرایش یک شاخص")
code = st.selectbox("شاخص", list(catalog), format_func=lambda c: plain(catalog[c].name_fa), key="catalog_pick")
metric = catalog[code]
with st.form(f"catalog_form_{code}"):
    name_fa = st.text_input("نام فارسی", metric.name_fa)
    unit_fa = st.text_input("واحد", metric.unit_fa)
    direction = st.selectbox(
        "جهت", list(DIRECTIONS), index=list(DIRECTIONS).index(metric.direction), format_func=lambda d: DIRECTIONS[d]
    )
    # a choice, not st.number_input: Streamlit draws a number input's digits in Latin, whatever the font
    decimals = st.selectbox(
        "رقم‌های اعشار", DECIMALS, index=DECIMALS.index(min(int(metric.decimals), DECIMALS[-1])), format_func=fmt.digits
    )
    low_text = st.text_input("حداقل مجاز (خالی: بدون حد)", fmt.input_number(metric.min_value))
    high_text = st.text_input("حداکثر مجاز (خالی: بدون حد)", fmt.input_number(metric.max_value))
    public = st.checkbox(
        "در صفحهٔ عمومی (برای شهروندان) نشان داده شود",
        value=metric.public,
        key=f"catalog_public_{code}",
        help="گزارش مناطق به مردم فقط شاخص‌های عمومی را نشان می‌دهد",
    )
    saved = st.form_submit_button("ذخیرهٔ تغییرات", type="primary")


def _number(text: str, label_fa: str, label_en: str) -> tuple[float | None, Message | None]:
    if not text.strip():
        return None, None
    value = load_job.read_number(text)  # Persian digits and ٫ as in an uploaded file
    if value is None:
        return (
            None,
            Message(
                f"{label_fa} «{text.strip()}» عدد نیست؛ عدد بنویسید یا خالی بگذارید", f"the {label_en} is not a number"
            ),
        )
    return value, None


if saved:
    low, low_problem = _number(low_text, "حداقل", "minimum")
    high, high_problem = _number(high_text, "حداکثر", "maximum")
    problem = low_problem or high_problem
    if not problem and low is not None and high is not None and low > high:
        problem = Message(
            "حداقل از حداکثر بیشتر است؛ یکی را اصلاح کنید", "the minimum is above the maximum; correct one"
        )
    if not problem and not name_fa.strip():
        problem = Message("نام فارسی خالی است", "the Persian name is empty")
    if not problem and metrics.markup_in(name_fa + unit_fa):
        bad = metrics.markup_in(name_fa + unit_fa)
        problem = Message(
            f"نام و واحد نباید این نویسه‌ها را داشته باشند: {' '.join(bad)}؛ آن‌ها را بردارید",
            f"the name and unit may not hold these characters: {' '.join(bad)}; remove them",
        )
    if problem:
        messages.error(problem)
    else:
        changed = dataclasses.replace(
            metric,
            name_fa=name_fa.strip(),
            unit_fa=unit_fa.strip() or metric.unit_fa,
            direction=direction,
            decimals=int(decimals),
            min_value=low,
            max_value=high,
            public=bool(public),
        )
        try:
            store.write_metrics(engine, [changed], actor=identity.current_user())
        except metrics.CatalogError as exc:
            messages.error(
                "این نام یا کد با شاخص دیگری یکی است یا مقداری نادرست دارد؛ نام دیگری بنویسید.",
                f"The change clashes with another metric or is not valid: {exc}",
            )
        except store.StoreError as exc:
            reference = logs.report_unexpected(exc, f"changing the metric {code}")
            messages.error(
                f"ذخیرهٔ تغییر انجام نشد و چیزی تغییر نکرد؛ کد پیگیری: {reference}",
                f"Saving failed and nothing changed ({store.short_reason(exc)}); quote {reference}.",
            )
        else:
            logger.info("metric %s changed by %s", code, identity.current_user())
            st.session_state["catalog_done"] = {
                "fa": f"شاخص «{changed.name_fa}» به‌روز شد.",
                "en": f"The metric {code} was updated.",
            }
            st.rerun()
