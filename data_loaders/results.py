"""What a load reports back: rejected rows, whole-file refusals and the outcome of a load."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

import pandas as pd

from monitoring.calendar import to_persian_digits
from monitoring.message import Message, MessageError

# a file with millions of bad cells lists the first ones (by sheet, row, column) and counts the rest


def fa_number(n: int | float) -> str:
    """A count written with Persian digits and the Persian thousands separator."""
    if isinstance(n, float) and not n.is_integer():
        return to_persian_digits(f"{n:,}".replace(",", "٬").replace(".", "٫"))
    return to_persian_digits(f"{int(n):,}".replace(",", "٬"))


MAX_SHOWN_CHARS = 200  # a cell's text in a report: longer ones are cut, their length said
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escape_text(text: object) -> str:
    """``text`` fit to print: control characters (and the bidi overrides that reorder what follows)
    written as \\xNN / \\uNNNN, so a name or a cell can neither garble a terminal nor a report."""
    s = str(text)
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", s
    )


def clip(text: object, limit: int = MAX_SHOWN_CHARS) -> str:
    """``text`` escaped and cut to ``limit`` characters, its full length said when cut: one 1 MB cell
    makes a line of a report, not a megabyte of it."""
    s = escape_text(text)
    if len(s) <= limit:
        return s
    n = len(str(text))
    return f"{s[:limit]}… ({fa_number(n)} نویسه / {n:,} characters)"


class FileRejected(MessageError):
    """The whole file cannot be read (wrong type, no header row, unknown column...); :attr:`message`
    says why and what to do, in Persian and English."""


@dataclass(frozen=True)
class RowError:
    """One rejected cell: where it is, what it holds and why it was refused."""

    row: int  # as a spreadsheet user sees it: header = row 1 in a plain CSV; the real sheet row in Excel
    column: str  # the column header as written in the file
    value: str  # the offending cell text ('' if empty)
    reason: Message  # why, in Persian and English; says what to do
    sheet: str = ""  # the workbook sheet the cell is on ('' in a CSV)
    cell: str = ""  # the cell as the spreadsheet names it: C12 (column letter, row)

    def to_dict(self) -> dict:
        return {**asdict(self), "reason": self.reason.to_dict()}


@dataclass
class ParsedFile:
    """A file read and checked, before anything is stored.

    ``rows`` holds the accepted observations (district int, metric code, period as the
    Gregorian first day of the Jalali month, value float). Counts are of observations:
    one a row in a long file, one a metric cell in a wide file, one an event row in an event log
    (shape "events", whose ``rows`` are the counts per district, metric and month).
    """

    rows: pd.DataFrame
    errors: list[RowError]
    rows_read: int
    rows_blank: int
    rows_rejected: int = 0
    shape: str = "long"  # "long" or "wide"
    header_row: int = 1
    kind: str = "observations"  # or "targets": a file whose value column is headed «هدف» / target
    notes: list[Message] = field(default_factory=list)  # what the reader did (dates converted...)
    sheets: list[str] = field(default_factory=list)  # the workbook sheets read, in order ([] for a CSV)
    errors_total: int = 0  # every rejected cell; ``errors`` keeps the first DASHBOARD_MAX_ERRORS of them


@dataclass
class LoadResult:
    """The outcome of loading (or previewing) one file; ``to_dict`` is ready for JSON."""

    source_name: str
    sha256: str
    batch_id: int | None
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    rows_blank: int
    errors: list[RowError]  # the first rejected cells (at most a few hundred)
    file_error: Message | None
    kind: str = "observations"  # or "targets", stored in the targets table
    dry_run: bool = False  # a preview: nothing was written
    size: int = 0  # the file's size in bytes
    errors_total: int = 0  # every rejected cell, counted; ``errors`` holds the first ones
    refusal: str | None = None  # why nothing was stored: "file", "rows", "empty" or "duplicate"
    notice: Message | None = None  # a remark that is not a fault (the file was already loaded)
    duplicate_of: dict | None = None  # the active batch already holding these bytes
    rows_new: int = 0  # values the store did not hold
    rows_changed: int = 0  # values that replace a different stored value
    rows_unchanged: int = 0  # values the store already holds
    changes: list[dict] = field(default_factory=list)  # the first changes: district, metric, period, old, new
    notes: list[Message] = field(default_factory=list)  # what the reader did on the way (converted dates, sheets...)
    sheets: list[str] = field(default_factory=list)  # the sheets read, in a workbook
    shape: str = ""  # long, wide or events
    # a file of notable actions: what would land (``actions.summary``): count, districts, first, last, public
    actions: dict | None = None

    @property
    def ok(self) -> bool:
        """True when nothing was wrong: the file was stored whole (or would be, in a preview), or
        it was already stored. False after a refusal or with any rejected value."""
        return self.file_error is None and self.rows_rejected == 0 and not self.errors

    @property
    def rejected_count(self) -> int:
        return max(self.errors_total, len(self.errors))

    def to_dict(self) -> dict:
        return {
            "source_name": self.source_name,
            "sha256": self.sha256,
            "size": self.size,
            "dry_run": self.dry_run,
            "batch_id": self.batch_id,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "rows_blank": self.rows_blank,
            "rows_new": self.rows_new,
            "rows_changed": self.rows_changed,
            "rows_unchanged": self.rows_unchanged,
            "changes": self.changes,
            "errors": [e.to_dict() for e in self.errors],
            "errors_total": self.rejected_count,
            "file_error": self.file_error.to_dict() if self.file_error else None,
            "refusal": self.refusal,
            "notice": self.notice.to_dict() if self.notice else None,
            "duplicate_of": self.duplicate_of,
            "notes": [n.to_dict() for n in self.notes],
            "sheets": self.sheets,
            "shape": self.shape,
            "kind": self.kind,
            "actions": self.actions,
            "ok": self.ok,
        }
