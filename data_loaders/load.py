"""Load a file into the store as one atomic batch, or preview what loading it would do.

Policy:

- **Bounded.** A file over the size limit is refused before it is read (``guard.check_size``);
  its bytes are sniffed before they are parsed (``guard.check_content`` in ``readers``).
- **Once.** A file whose bytes an active batch already holds changes nothing: the result names
  that batch (``LoadResult.duplicate_of``) and nothing is written.
- **Strict by default.** A file with any rejected value is refused whole and nothing is stored;
  the result lists the first rejected cells (``DASHBOARD_MAX_ERRORS``) and counts them all.
  Leniently (``skip_bad_rows``) the accepted values are stored as one batch and the rejected ones
  are kept with it. A file with no accepted value stores nothing.
- **Preview first.** ``dry_run`` reads, checks and compares the file with the store (new, changed,
  unchanged values, and the first changes old -> new) and writes nothing; a real load makes the
  comparison once, inside its writing transaction, so what is stored is what its counts say.
- **Undoable.** The store keeps every replaced value, the file's bytes and sha256, and who loaded
  it (``monitoring.store.rollback_batch`` undoes a batch). A "not reported" cell never deletes or
  zeroes a stored value. A targets file («هدف» column) follows the same policy into the targets table,
  and so does a file of notable actions (``data_loaders.actions``) into the actions table.

The messages say what to do without naming an interface's controls: the command line and the
upload page each add their own words for the lenient choice (``LoadResult.refusal``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from data_loaders import actions, guard
from data_loaders.parse import read_observations
from data_loaders.readers import read_table
from data_loaders.results import FileRejected, LoadResult, escape_text, fa_number
from monitoring import calendar, store
from monitoring.message import Message

Progress = Callable[[int, int], None]
PREVIEW_CHANGES = 50
KEPT_REJECTIONS = 500
logger = logging.getLogger(__name__)

# why nothing was stored, for the interfaces to add their own hint
REFUSED_FILE = "file"  # the file as a whole could not be used
REFUSED_ROWS = "rows"  # strict: some values were rejected
NOTHING_TO_STORE = "empty"  # no accepted value (all blank or all rejected)
ALREADY_LOADED = "duplicate"  # an active batch holds the same bytes


def display_name(name: str | os.PathLike) -> str:
    """A file name fit to print and store: bytes that are not UTF-8 (kept by Python as surrogates)
    become «�» instead of stopping the command; control characters are written as \\xNN."""
    text = os.fsdecode(name) if isinstance(name, (bytes, os.PathLike)) else str(name)
    return escape_text(text.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))


def _read(engine: Engine, data: bytes, name: str, period, sheet, today):
    """The file checked as figures (``ParsedFile``) or, when its header is a file of notable actions'
    (``data_loaders.actions``), as actions (``ParsedActions``); the file is read once."""
    catalog = store.metric_catalog(engine)
    districts = store.reference_districts(engine)["district"].astype(int).tolist()
    raw = read_table(data, name, catalog, sheet=sheet)
    if actions.is_actions_file(raw, catalog):
        return actions.read_actions(raw, districts, today)
    kwargs = {"period": period, "today": today, "raw": raw}
    if sheet:
        kwargs["sheet"] = sheet
    return read_observations(data, name, catalog, districts, event_types=store.event_types(engine), **kwargs)


def load_file(
    engine: Engine,
    data: bytes,
    name: str,
    *,
    period: str | None = None,
    skip_bad_rows: bool = False,
    dry_run: bool = False,
    sheet: str | None = None,
    loaded_by: str = "",
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> LoadResult:
    """Read, check and store (or with ``dry_run`` only preview) one file; every outcome, refusals
    included, is in the result.

    The file is checked against the store's metric catalog and districts, the one source of both.
    Database errors are not caught: the transaction rolls back and the error propagates.
    """
    name = display_name(name)
    digest = hashlib.sha256(data).hexdigest()
    result = LoadResult(name, digest, None, 0, 0, 0, 0, [], None, dry_run=dry_run, size=len(data))
    try:
        guard.check_size(len(data), name, guard.limits_from_env())
    except FileRejected as exc:
        return _refused(result, exc.message, REFUSED_FILE)

    holder = store.active_batch_with_sha256(engine, digest)
    if holder is not None:
        result.duplicate_of = _holder(holder)
        when = holder.get("loaded_at")
        when_fa = f" در {calendar.format_datetime(when)}" if isinstance(when, dt.datetime) else ""
        when_en = f" on {when:%Y-%m-%d %H:%M} UTC" if isinstance(when, dt.datetime) else ""
        result.notice = Message(
            f"همین فایل (همین محتوا) پیش‌تر{when_fa} در دستهٔ {fa_number(holder['id'])} بارگذاری شده است؛ "
            "چیزی تغییر نکرد. اگر فایل را اصلاح کرده‌اید، نسخهٔ اصلاح‌شده را بارگذاری کنید",
            f"this file (the same bytes) is already stored as batch {holder['id']}{when_en}; nothing changed. "
            "If you corrected the file, load the corrected version",
        )
        result.refusal = ALREADY_LOADED
        return result

    try:
        parsed = _read(engine, data, name, period, sheet, today)
    except FileRejected as exc:
        return _refused(result, exc.message, REFUSED_FILE)
    if isinstance(parsed, actions.ParsedActions):
        return _load_actions(engine, parsed, result, data, skip_bad_rows, dry_run, loaded_by)

    result.rows_read = parsed.rows_read
    result.rows_rejected = parsed.rows_rejected
    result.rows_blank = parsed.rows_blank
    result.errors = list(parsed.errors)
    result.errors_total = max(getattr(parsed, "errors_total", len(parsed.errors)), len(parsed.errors))
    result.kind = parsed.kind
    result.notes = list(getattr(parsed, "notes", []) or [])
    result.sheets = list(getattr(parsed, "sheets", []) or [])
    result.shape = parsed.shape

    if parsed.rows_rejected and not skip_bad_rows:
        result.file_error = Message(
            f"{fa_number(parsed.rows_rejected)} مقدار پذیرفته نشد و هیچ داده‌ای از این فایل ذخیره نشد؛ "
            "موارد فهرست‌شده را در فایل اصلاح کنید و دوباره بارگذاری کنید",
            f"{parsed.rows_rejected} value(s) rejected, so nothing from this file was stored; correct the "
            "listed cells in the file and load it again",
        )
        result.refusal = REFUSED_ROWS
        if not dry_run:
            return result
    if parsed.rows.empty:
        if parsed.rows_rejected:
            message = Message(
                "هیچ مقدار درستی در فایل نبود و چیزی ذخیره نشد؛ موارد فهرست‌شده را اصلاح کنید",
                "no value in the file could be accepted, so nothing was stored; correct the listed cells",
            )
        else:
            message = Message(
                "همهٔ خانه‌های مقدار خالی (گزارش نشده) است و چیزی برای ذخیره نیست",
                "every value cell is empty (not reported); there is nothing to store",
            )
        return _refused(result, message, NOTHING_TO_STORE)

    kind = "targets" if parsed.kind == "targets" else "observations"
    if dry_run:  # a real load counts new, changed and unchanged inside its own transaction: no second diff
        _take_diff(result, store.diff_batch(engine, parsed.rows, kind=kind, sample=PREVIEW_CHANGES))
        return result

    info = store.BatchInfo(
        source_name=name,
        sha256=digest,
        rows_read=parsed.rows_read,
        rows_rejected=parsed.rows_rejected,
        loaded_by=loaded_by,
        kind=kind,
        lenient=bool(skip_bad_rows and parsed.rows_rejected),
        content=data,
        notes=tuple(result.notes),
        sheet=", ".join(result.sheets) or None,
        rejections=tuple(
            {"sheet": e.sheet, "row": e.row, "column": e.column, "value": e.value, "reason": e.reason}
            for e in result.errors[:KEPT_REJECTIONS]
        ),
    )
    if kind == "targets":
        result.batch_id = store.write_targets(engine, parsed.rows, info)
    else:
        result.batch_id = store.write_batch(engine, parsed.rows, info, progress=progress)
    result.rows_loaded = len(parsed.rows)
    stored = store.batch_list(engine, limit=1)
    if not stored.empty and int(stored["id"].iloc[0]) == result.batch_id:  # the counts made inside the write
        row = stored.iloc[0]
        result.rows_new, result.rows_changed, result.rows_unchanged = (
            int(row["rows_new"]),
            int(row["rows_changed"]),
            int(row["rows_unchanged"]),
        )
    logger.debug(
        "stored %s as batch %s: %s new, %s changed, %s unchanged, %s rejected (by %s)",
        name,
        result.batch_id,
        result.rows_new,
        result.rows_changed,
        result.rows_unchanged,
        result.rows_rejected,
        loaded_by or "-",
    )
    return result


def _load_actions(
    engine: Engine,
    parsed: actions.ParsedActions,
    result: LoadResult,
    data: bytes,
    skip_bad_rows: bool,
    dry_run: bool,
    loaded_by: str,
) -> LoadResult:
    """A file of notable actions: the same policy as figures (strict unless bad rows are skipped, a
    preview writes nothing), stored as one batch of kind 'actions' whose rollback removes them."""
    result.kind = result.shape = actions.SHAPE
    result.rows_read = parsed.rows_read
    result.rows_blank = parsed.rows_blank
    result.rows_rejected = parsed.rows_rejected
    result.errors = parsed.errors[: guard.limits_from_env().max_errors]
    result.errors_total = len(parsed.errors)
    if parsed.rows_rejected and not skip_bad_rows:
        result.file_error = Message(
            f"{fa_number(parsed.rows_rejected)} ردیف از اقدامات پذیرفته نشد و هیچ اقدامی از این فایل ذخیره نشد؛ "
            "موارد فهرست‌شده را در فایل اصلاح کنید و دوباره بارگذاری کنید",
            f"{parsed.rows_rejected} action row(s) rejected, so nothing from this file was stored; correct the "
            "listed cells in the file and load it again",
        )
        result.refusal = REFUSED_ROWS
        if not dry_run:
            return result
    if not parsed.actions:
        message = (
            Message(
                "هیچ ردیف درستی در فایل اقدامات نبود و چیزی ذخیره نشد؛ موارد فهرست‌شده را اصلاح کنید",
                "no row of the file of actions could be accepted, so nothing was stored; correct the listed cells",
            )
            if parsed.rows_rejected
            else Message(
                "فایل اقدامات ردیفی ندارد و چیزی برای ذخیره نیست",
                "the file of actions has no rows; there is nothing to store",
            )
        )
        return _refused(result, message, NOTHING_TO_STORE)
    result.rows_new = len(parsed.actions)
    result.actions = actions.summary(parsed.actions)
    if dry_run:
        return result
    info = store.BatchInfo(
        source_name=result.source_name,
        sha256=result.sha256,
        rows_read=parsed.rows_read,
        rows_rejected=parsed.rows_rejected,
        loaded_by=loaded_by,
        kind="actions",
        lenient=bool(skip_bad_rows and parsed.rows_rejected),
        content=data,
        rejections=tuple(
            {"sheet": e.sheet, "row": e.row, "column": e.column, "value": e.value, "reason": e.reason}
            for e in parsed.errors[:KEPT_REJECTIONS]
        ),
    )
    result.batch_id = store.write_action_batch(engine, parsed.actions, info)
    result.rows_loaded = len(parsed.actions)
    logger.debug(
        "stored %s as batch %s: %s actions (by %s)",
        result.source_name,
        result.batch_id,
        result.rows_loaded,
        loaded_by or "-",
    )
    return result


def _refused(result: LoadResult, message: Message, refusal: str) -> LoadResult:
    result.file_error = message
    result.refusal = refusal
    return result


def _holder(batch: dict) -> dict:
    when = batch.get("loaded_at")
    return {
        "id": int(batch["id"]),
        "source_name": str(batch.get("source_name") or ""),
        "loaded_by": str(batch.get("loaded_by") or ""),
        "loaded_at": when.isoformat() if isinstance(when, dt.datetime) else None,
    }


def _take_diff(result: LoadResult, diff) -> None:
    result.rows_new, result.rows_changed, result.rows_unchanged = int(diff.new), int(diff.changed), int(diff.unchanged)
    changes = diff.changes
    result.changes = [
        {
            "district": int(r.district),
            "metric": str(r.metric),
            "period": r.period.isoformat() if hasattr(r.period, "isoformat") else str(r.period),
            "old_value": None if r.old_value is None else float(r.old_value),
            "new_value": float(r.new_value),
        }
        for r in changes.itertuples(index=False)
    ]


def load_path(
    engine: Engine,
    path: str | Path,
    *,
    as_name: str | None = None,
    period: str | None = None,
    skip_bad_rows: bool = False,
    dry_run: bool = False,
    sheet: str | None = None,
    loaded_by: str = "",
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> LoadResult:
    """``load_file`` for a file on disk; a missing, unreadable or oversized file is a refusal, not an
    exception. ``as_name`` is the name to record (the upload page hands over a temporary copy)."""
    path = Path(path)
    shown = display_name(as_name or path.name)
    shown_path = display_name(path)
    empty = LoadResult(shown, "", None, 0, 0, 0, 0, [], None, dry_run=dry_run)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise IsADirectoryError(path)
        guard.check_size(size, shown, guard.limits_from_env())
        data = path.read_bytes()
    except FileRejected as exc:
        return _refused(empty, exc.message, REFUSED_FILE)
    except FileNotFoundError:
        error = Message(
            f"فایل «{shown_path}» پیدا نشد؛ نام و مسیر را بررسی کنید",
            f"file not found: '{shown_path}'; check the name and folder",
        )
        return _refused(empty, error, REFUSED_FILE)
    except IsADirectoryError:
        error = Message(f"«{shown_path}» پوشه است، نه فایل", f"'{shown_path}' is a folder, not a file")
        return _refused(empty, error, REFUSED_FILE)
    except OSError as exc:
        error = Message(
            f"فایل «{shown_path}» خوانده نشد ({exc.strerror or exc})؛ دسترسی به فایل را بررسی کنید",
            f"cannot read '{shown_path}' ({exc.strerror or exc}); check that the file can be opened",
        )
        return _refused(empty, error, REFUSED_FILE)
    return load_file(
        engine,
        data,
        shown,
        period=period,
        skip_bad_rows=skip_bad_rows,
        dry_run=dry_run,
        sheet=sheet,
        loaded_by=loaded_by,
        progress=progress,
        today=today,
    )
