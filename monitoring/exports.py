"""Tables out: a table's plain values as CSV (UTF-8 with BOM, so Excel reads the Persian) or as an
Excel workbook with a right-to-left sheet, Persian headers and numbers kept as numbers.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run as a
formula by a spreadsheet (``=HYPERLINK(...)`` in a rejected upload row, say). Every text cell and
header goes through ``neutralise``, which puts a single quote in front of such a text; numbers are
never touched, so -3 stays the number -3. In the workbook every text cell is also written as a
string cell explicitly, never as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from numbers import Number

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
FONT = "Vazirmatn"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_STEM_UNSAFE = re.compile(r"[^\w\-.]+")
_KNOWN_SUFFIXES = (".csv", ".xlsx", ".xls", ".txt", ".json", ".geojson")


def neutralise(value: object) -> object:
    """``value`` made inert for a spreadsheet: a text that starts like a formula gets a leading
    single quote; anything else (numbers included, negative or not) comes back as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return GUARD + value
    return value


def _plain(value: object) -> object:
    """A cell's value as Python: numpy scalars unwrapped, missing values None, text neutralised."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)  # a rank, a move or a count reads 3, not 3.0
    if isinstance(value, bool | Number | dt.date | dt.datetime):
        return value
    return neutralise(str(value))


def _cells(df: pd.DataFrame) -> tuple[list[object], list[list[object]]]:
    header = [neutralise(str(c)) for c in df.columns]
    rows = [[_plain(v) for v in record] for record in df.itertuples(index=False, name=None)]
    return header, rows


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """The frame as CSV, UTF-8 with a byte order mark; formula-looking text cells neutralised."""
    header, rows = _cells(df)
    safe = pd.DataFrame(rows, columns=pd.Index(header, dtype=object), dtype=object)
    # CRLF line ends (RFC 4180): a field holding a carriage return is then quoted, not split
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def sheet_title(text: str) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    cleaned = _SHEET_FORBIDDEN.sub("-", text).strip("'") or "Sheet"
    return cleaned[:31]


def _width(values: list[object]) -> float:
    longest = max((len(str(v)) for v in values if v is not None), default=0)
    return float(min(max(longest + 2, 8), 60))


def to_xlsx_bytes(df: pd.DataFrame, sheet_title_text: str = "جدول") -> bytes:
    """The frame as an .xlsx workbook: one right-to-left sheet, a bold header row frozen at the top,
    columns as wide as their longest value (within reason), a Persian font; numbers are number
    cells and every text cell a string cell (never a formula), formula-looking text neutralised."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    header, rows = _cells(df)
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(sheet_title_text)
    sheet.sheet_view.rightToLeft = True
    bold, plain = Font(name=FONT, bold=True), Font(name=FONT)
    for col, name in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=col, value=name)
        cell.data_type = "s"
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, record in enumerate(rows, start=2):
        for col, value in enumerate(record, start=1):
            cell = sheet.cell(row=r, column=col)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # a string cell whatever it starts with
            cell.font = plain
    for col, name in enumerate(header, start=1):
        letter = sheet.cell(row=1, column=col).column_letter
        sheet.column_dimensions[letter].width = _width([name, *(row[col - 1] for row in rows)])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def file_stem(name: str) -> str:
    """A stable file stem from a name a user or a view gave: known suffixes dropped (``x.csv.csv``
    -> ``x``), spaces and unsafe characters turned into dashes; Persian letters are kept."""
    stem = name.strip()
    while stem.lower().endswith(_KNOWN_SUFFIXES):
        stem = stem.rsplit(".", 1)[0]
    stem = _STEM_UNSAFE.sub("-", stem).strip("-.")
    return stem or "table"
