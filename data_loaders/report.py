"""The human report of one load, Persian with the English beside it: what ``python -m data_loaders
load`` prints and what the drop-folder watcher writes beside a file (``NAME.report.txt``)."""

from __future__ import annotations

import datetime as dt

from data_loaders.load import REFUSED_ROWS
from data_loaders.results import LoadResult, fa_number
from monitoring.calendar import jalali_month_of

MAX_ERRORS_SHOWN = 200
MAX_CHANGES_SHOWN = 20


def _period_code(iso: str) -> str:
    try:
        year, month = jalali_month_of(dt.date.fromisoformat(iso))
    except ValueError:
        return iso
    return f"{year}/{month:02d}"


def _value(value: float | None) -> str:
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def describe(result: LoadResult) -> str:
    """The human report of one file, Persian with the English beside it."""
    lines = [f"فایل / file: {result.source_name}"]
    if result.sheets:
        lines.append(f"  برگه‌ها / sheets: {'، '.join(result.sheets)}")
    if result.duplicate_of is not None:
        lines.append(f"  = {result.notice}")
    elif result.batch_id is not None:
        what_fa, what_en = {"targets": ("هدف‌ها", "targets"), "actions": ("اقدامات شاخص", "notable actions")}.get(
            result.kind, ("داده‌ها", "values")
        )
        status = (
            f"✓ {what_fa} ذخیره شد، دستهٔ {fa_number(result.batch_id)} / {what_en} stored as batch {result.batch_id}"
        )
        if result.rows_rejected:
            status += " (بدون موارد ردشده / without the rejected values)"
        lines.append("  " + status)
    elif result.dry_run and result.file_error is None:
        lines.append("  ? پیش‌نمایش؛ چیزی ذخیره نشد / preview only; nothing was stored")
    else:
        lines.append("  ✗ چیزی ذخیره نشد / nothing stored")
    if result.file_error:
        lines.append(f"  {result.file_error}")
        if result.refusal == REFUSED_ROWS:
            lines.append(
                "  برای ذخیرهٔ موارد درست و نگه‌داشتن موارد ردشده کنار دسته، دوباره با ‎--skip-bad-rows‎ اجرا کنید "
                "/ to store the good values and keep the rejected ones with the batch, run again with --skip-bad-rows"
            )
    for note in result.notes:
        lines.append(f"  • {note}")
    if result.rows_read:
        lines.append(
            f"  خوانده‌شده / read: {result.rows_read}، ذخیره‌شده / loaded: {result.rows_loaded}، "
            f"ردشده / rejected: {result.rows_rejected}، خالی (گزارش نشده) / blank (not reported): {result.rows_blank}"
        )
    if result.rows_new or result.rows_changed or result.rows_unchanged:
        lines.append(
            f"  تازه / new: {result.rows_new}، تغییریافته / changed: {result.rows_changed}، "
            f"بی‌تغییر / unchanged: {result.rows_unchanged}"
        )
        for change in result.changes[:MAX_CHANGES_SHOWN]:
            lines.append(
                f"    منطقه / district {change['district']}، {change['metric']}، {_period_code(change['period'])}: "
                f"{_value(change['old_value'])} → {_value(change['new_value'])}"
            )
        hidden = result.rows_changed - min(len(result.changes), MAX_CHANGES_SHOWN)
        if hidden > 0:
            lines.append(f"    … و {fa_number(hidden)} تغییر دیگر / … and {hidden} more changes")
    for error in result.errors[:MAX_ERRORS_SHOWN]:
        where_fa = f"برگهٔ «{error.sheet}»، " if getattr(error, "sheet", "") else ""
        where_en = f"sheet '{error.sheet}', " if getattr(error, "sheet", "") else ""
        cell = getattr(error, "cell", "")
        cell_fa, cell_en = (f" (خانهٔ {cell})", f" (cell {cell})") if cell else ("", "")
        lines.append(
            f"  {where_fa}ردیف {fa_number(error.row)}، ستون «{error.column}»{cell_fa} / {where_en}row {error.row}, "
            f"column '{error.column}'{cell_en}: {error.reason}"
        )
    hidden = result.rejected_count - min(len(result.errors), MAX_ERRORS_SHOWN)
    if hidden > 0:
        lines.append(f"  … و {fa_number(hidden)} خطای دیگر / … and {hidden} more errors")
    return "\n".join(lines)
