"""Showing what a load did or would do: counts, notes, changes (old -> new) and rejected cells.

Everything shown comes from the loader's JSON report (``LoadResult.to_dict``); every text that
came from the file (cell values, sheet and column names) is escaped by the table renderer and
never read as Markdown or HTML.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import streamlit as st

from monitoring import calendar, exports
from monitoring.message import Message
from monitoring.metrics import Metric
from monitoring.text import plain
from ui import fmt, messages, tables
from ui.html import Markup, macro

SHOWN_ERRORS = 200
SHOWN_CHANGES = 50
_PERSIAN_LETTER = re.compile("[\u0600-\u06ff\ufb50-\ufeff]")


def cell_text_html(text: object) -> Markup:
    """A cell's text exactly as the file held it, escaped: read left to right when it holds no Persian
    letter («-4» stays «-4», «=HYPERLINK(…)» reads as written), isolated otherwise."""
    value = "" if text is None else str(text)
    return macro("load_report.html", "cell_text")(value, bool(_PERSIAN_LETTER.search(value)))


def counts(report: dict, container=None) -> None:
    """The counts of a preview or a load as a row of small cards."""
    items = [
        ("تازه", report.get("rows_new", 0), "new"),
        ("تغییریافته", report.get("rows_changed", 0), "changed"),
        ("بی‌تغییر", report.get("rows_unchanged", 0), "unchanged"),
        ("ردشده", max(report.get("errors_total", 0), report.get("rows_rejected", 0)), "rejected"),
        ("خالی (گزارش نشده)", report.get("rows_blank", 0), "blank"),
    ]
    cards = [(label, fmt.num(value), "", key) for label, value, key in items]
    (container or st).html(macro("load_report.html", "counts")(cards))


def actions_summary(report: dict, container=None) -> None:
    """For a file of notable actions, the cards of ``actions_summary_html`` in place of the figures' counts."""
    (container or st).html(actions_summary_html(report))


def actions_summary_html(report: dict) -> Markup:
    """For a file of notable actions: what will land (or landed) as a row of small cards: how many
    actions, which districts, the Jalali dates they span, and how many are marked for the public page;
    with the rejected rows when there are some."""
    got = report.get("actions") or {}
    count = int(got.get("count", report.get("rows_new", 0)) or 0)
    districts = [int(d) for d in got.get("districts") or []]
    first, last = got.get("first"), got.get("last")
    if first and last:
        a, b = calendar.day_label(dt.date.fromisoformat(first)), calendar.day_label(dt.date.fromisoformat(last))
        span = a if a == b else f"{a} تا {b}"
    else:
        span = "—"
    shown = "، ".join(fmt.digits(d) for d in districts[:12]) + ("، …" if len(districts) > 12 else "")
    items = [
        ("اقدام", fmt.num(count), "", "actions"),
        ("منطقه", fmt.num(len(districts)), shown, "districts"),
        ("بازهٔ تاریخ", span, "", "dates"),
        ("برای صفحهٔ عمومی", fmt.num(int(got.get("public", 0) or 0)), f"از {fmt.num(count)}", "public"),
    ]
    rejected = max(report.get("errors_total", 0), report.get("rows_rejected", 0))
    if rejected:
        items.append(("ردیف ردشده", fmt.num(rejected), "", "rejected"))
    return macro("load_report.html", "counts")(items)


def notes(report: dict, container=None) -> None:
    """What the reader did on the way (converted dates, skipped totals rows, the sheets read)."""
    for note in report.get("notes") or []:
        messages.info(Message.from_dict(note), container=container)


def _period_label(text: str) -> str:
    try:
        return calendar.month_label_of(dt.date.fromisoformat(str(text)[:10]))
    except ValueError:
        return str(text)


def changes(report: dict, catalog: dict[str, Metric], names: dict[int, str], container=None) -> None:
    """The first changed values, old -> new, and how many more there are."""
    rows = report.get("changes") or []
    if not rows:
        return
    frame = pd.DataFrame(rows)
    table = pd.DataFrame(
        {
            "منطقه": [names.get(int(d), fmt.digits(d)) for d in frame["district"]],
            "شاخص": [catalog[m].name_fa if m in catalog else m for m in frame["metric"]],
            "دوره": [_period_label(p) for p in frame["period"]],
            "مقدار پیشین": [
                fmt.num(v, catalog[m].decimals if m in catalog else 2) if v is not None and not pd.isna(v) else "—"
                for v, m in zip(frame["old_value"], frame["metric"], strict=True)
            ],
            "مقدار تازه": [
                fmt.num(v, catalog[m].decimals if m in catalog else 2)
                for v, m in zip(frame["new_value"], frame["metric"], strict=True)
            ],
        }
    )
    tables.show(table.head(SHOWN_CHANGES), container=container, numeric=["مقدار پیشین", "مقدار تازه"], wrap=["شاخص"])
    more = int(report.get("rows_changed", 0)) - min(len(table), SHOWN_CHANGES)
    if more > 0:
        (container or st).caption(f"و {fmt.num(more)} تغییر دیگر.")


def rejections(report: dict, container=None, key: str = "upload") -> None:
    """The rejected cells: sheet, row, column, value as written, and why; with a CSV download."""
    errors = report.get("errors") or []
    if not errors:
        return
    frame = pd.DataFrame(errors)
    reasons = [Message.read(r) for r in frame["reason"]]  # from a JSON report, or the store's Message
    if "sheet" not in frame:
        frame["sheet"] = ""
    has_sheets = frame["sheet"].astype(str).str.strip().ne("").any()
    if "cell" not in frame:
        frame["cell"] = ""
    has_cells = frame["cell"].fillna("").astype(str).str.strip().ne("").any()
    table = pd.DataFrame(
        {
            **({"برگه": frame["sheet"].astype(str)} if has_sheets else {}),
            "ردیف": [fmt.digits(r) for r in frame["row"]],
            "ستون": frame["column"].astype(str),
            **({"خانه": frame["cell"].fillna("").astype(str)} if has_cells else {}),
            "مقدار": [cell_text_html(v) for v in frame["value"]],
            "دلیل": reasons,
        }
    )
    tables.show(
        table.head(SHOWN_ERRORS),
        container=container,
        wrap=["دلیل", "مقدار"],
        bilingual=["دلیل"],
        code=["ستون", *(["برگه"] if has_sheets else []), *(["خانه"] if has_cells else [])],
        markup=["مقدار"],
    )
    total = max(int(report.get("errors_total", 0)), len(table))
    if total > min(len(table), SHOWN_ERRORS):
        (container or st).caption(
            f"{fmt.num(min(len(table), SHOWN_ERRORS))} مورد نخست از {fmt.num(total)} مورد ردشده نشان داده شد؛ "
            "فهرست دریافتی موارد نخست را دارد."
        )
    export = pd.DataFrame(
        {
            "sheet": frame["sheet"].astype(str),
            "row": frame["row"],
            "column": frame["column"].astype(str),
            "cell": frame["cell"].fillna("").astype(str),
            "value": frame["value"].astype(str),
            "reason": [str(r) for r in reasons],
        }
    )
    (container or st).download_button(
        "دریافت فهرست موارد ردشده",
        exports.to_csv_bytes(export),  # a cell such as =HYPERLINK(...) is neutralised, never run
        file_name=f"rejected-rows-{exports.file_stem(str(report.get('source_name') or 'file'))}.csv",
        mime="text/csv",
        key=f"{key}_errors_csv",
        on_click="ignore",
    )


# ---------------------------------------------------------------- the batches page

KIND_FA = {
    "observations": "آمار",
    "targets": "هدف‌ها",
    "boundaries": "مرز مناطق",
    "sample": "دادهٔ نمونه",
    "actions": "اقدامات شاخص",
}
STATUS_FA = {"active": "فعال", "rolled_back": "برگشت‌خورده"}


def file_name_html(name: object) -> Markup:
    """A file's name, whole and wrapping on a phone: a Latin name as left-to-right code, one with
    Persian letters (the sample's, an office's «گزارش آبان.xlsx») as text in the page's font, isolated so
    its extension stays at its end."""
    shown = str(name or "")
    file_name = macro("load_report.html", "file_name")
    if re.search("[\u0600-\u06ff]", shown):
        return file_name(shown, "persian")
    if re.search("[A-Za-z]", shown):
        return file_name(shown, "latin")
    return file_name(tables.cell_html(shown), "other")


def sha256_html(digest: object) -> Markup:
    """A file's sha256 as a phone has room for: its first and last characters (the whole one in the
    element's title), and the whole one, wrapping, under «شناسهٔ کامل» to read or copy."""
    full = str(digest or "")
    if not full:
        return Markup("")
    short = full if len(full) <= 16 else f"{full[:8]}…{full[-6:]}"
    return macro("load_report.html", "sha256")(full, short)


def batch_label(row) -> str:
    """«دستهٔ ۱۲ · آمار · ۳ آبان ۱۴۰۵، ساعت ۱۰:۰۰» for a batch picker (a picker shows plain text: the
    file's own name, often Latin, is shown beside it as code instead)."""
    when = row["loaded_at"]
    when_text = calendar.format_datetime(when.to_pydatetime() if hasattr(when, "to_pydatetime") else when)
    status = " (برگشت‌خورده)" if row["status"] == "rolled_back" else ""
    return f"دستهٔ {fmt.digits(row['id'])} · {KIND_FA.get(row['kind'], '')} · {when_text}{status}"


def batches_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The batch list as shown: newest first, one row a batch."""
    return pd.DataFrame(
        {
            "دسته": [fmt.digits(i) for i in frame["id"]],
            "زمان": [calendar.format_datetime(t.to_pydatetime()) for t in frame["loaded_at"]],
            "فایل": [str(n) for n in frame["source_name"]],
            "تازه": [fmt.num(n) for n in frame["rows_new"]],
            "تغییر": [fmt.num(n) for n in frame["rows_changed"]],
            "ردشده": [fmt.num(n) for n in frame["rows_rejected"]],
            "کاربر": [fmt.user_name(str(u or "")) for u in frame["loaded_by"]],
            "وضعیت": [STATUS_FA.get(s, s) for s in frame["status"]],
        }
    )


def batch_changes_table(frame: pd.DataFrame, catalog: dict[str, Metric], names: dict[int, str]) -> pd.DataFrame:
    """What one batch wrote: each value with the one it replaced («—» where there was none)."""

    def value(v, m) -> str:
        if v is None or pd.isna(v):
            return "—"
        return fmt.num(v, catalog[m].decimals if m in catalog else 2)

    return pd.DataFrame(
        {
            "منطقه": [names.get(int(d), fmt.digits(d)) for d in frame["district"]],
            "شاخص": [catalog[m].name_fa if m in catalog else m for m in frame["metric"]],
            "دوره": [_period_label(p) for p in frame["period"]],
            "مقدار پیشین": [value(v, m) for v, m in zip(frame["old_value"], frame["metric"], strict=True)],
            "مقدار این دسته": [value(v, m) for v, m in zip(frame["new_value"], frame["metric"], strict=True)],
            "وضعیت": ["تازه" if s == "new" else "تغییر" for s in frame["state"]],
        }
    )


ACTION_FA = {
    "load": "بارگذاری",
    "rollback": "برگرداندن",
    "catalog": "تغییر فهرست شاخص‌ها",
    "sample": "دادهٔ نمونه",
    "boundaries": "مرز مناطق",
    "login": "ورود",
    "logout": "خروج",
    "login_failed": "ورود ناموفق",
    "action": "ثبت اقدام شاخص",
    "meeting": "ثبت جلسهٔ بازبینی",
    "commitment": "ثبت تعهد",
}


def audit_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Who did what and when."""
    return pd.DataFrame(
        {
            "زمان": [calendar.format_datetime(t.to_pydatetime()) for t in pd.to_datetime(frame["at"], utc=True)],
            "کاربر": [fmt.user_name(str(u or "")) for u in frame["actor"]],
            "کار": [ACTION_FA.get(a, "کار دیگر") for a in frame["action"]],
            "دسته": ["—" if b is None or pd.isna(b) else fmt.digits(int(b)) for b in frame["batch_id"]],
        }
    )


def failures_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Failed sign-ins: when, which account (or «-» for a name that is none), from where, how many in a row."""
    details = [d if isinstance(d, dict) else {} for d in frame["detail"]]
    return pd.DataFrame(
        {
            "زمان": [calendar.format_datetime(t.to_pydatetime()) for t in pd.to_datetime(frame["at"], utc=True)],
            "کاربر": [plain(u or "-") for u in frame["actor"]],
            "نشانی": [plain(d.get("client") or "-") for d in details],
            "پیاپی": [fmt.digits(int(d.get("failures_in_a_row") or 0)) for d in details],
        }
    )
