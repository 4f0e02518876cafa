"""File bytes -> a table of cell texts under a recognised header row.

CSV (UTF-8 with or without BOM, UTF-16 — Excel's "Unicode text" — or Windows-1256; comma,
semicolon, tab or the Arabic comma «،»; a file that is UTF-8 but for a few bad bytes is refused
naming the line and byte at fault) and Excel .xlsx/.xlsm through openpyxl's read-only reader:
every sheet, each with its own header row (a sheet without a table is skipped and noted), or the
one sheet asked for. A cell merged over several rows or columns (a district written once beside
its rows) fills every cell of its range below the header; the merged ranges come from the sheet
XML's ``<mergeCells>``, streamed, so the workbook is never loaded whole. The header row may sit
below a few title rows: it is the first of the first ``HEADER_SEARCH_ROWS`` rows that has a
district column and at least one other recognised column. Every cell comes back as text; Excel
numbers are written back as plain numbers (a cell formatted as a percentage as its percent
figure), Excel dates as ISO dates (the period check converts them to their Jalali month).

Memory stays bounded: cells are kept as pandas ``str`` columns over Arrow's compact strings, never
a Python object a cell for the whole file. A CSV is read by pyarrow from its own bytes (or pandas in
chunks for an irregular one); a sheet's rows stream through openpyxl and become text columns
``EXCEL_BATCH_ROWS`` at a time, the row limit (``guard.check_rows``) checked as they come; a sheet
whose XML or zip stream breaks while it is read refuses the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from xml.etree import ElementTree

import numpy as np
import pandas as pd

from data_loaders import normalise
from data_loaders.results import FileRejected, bilingual, fa_number
from monitoring.metrics import Metric
from monitoring.text import text_key

HEADER_SEARCH_ROWS = 10
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
CSV_DELIMITERS = (",", "\t", ";", "،")  # tried in this order; the first that finds the header row wins
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003, or an encrypted workbook


@dataclass
class RawTable:
    """The cells under the header row of one table (a CSV, or one sheet), all as text ('' when empty)."""

    headers: list[str]  # as written in the file
    cells: pd.DataFrame  # one column per header position (0, 1, 2...), dtype str
    row_numbers: np.ndarray  # the spreadsheet row of each data row
    header_row: int  # the spreadsheet row of the header
    sheet: str = ""  # the sheet's name in a workbook; '' for a CSV

    def slices(self, size: int) -> Iterator[tuple[int, pd.DataFrame]]:
        """(position of the first row, the cells of up to ``size`` rows from there), in order: views,
        not copies, so a big table is checked a slice at a time."""
        for start in range(0, len(self.cells), max(int(size), 1)):
            yield start, self.cells.iloc[start : start + size].reset_index(drop=True)


@dataclass
class RawFile:
    """Every table read from a file: one for a CSV, one per sheet with a table for a workbook."""

    tables: list[RawTable]
    sheets: list[str] = field(default_factory=list)  # the sheets read, in workbook order ([] for a CSV)
    notes: list[str] = field(default_factory=list)  # bilingual lines: sheets skipped...


def column_letter(position: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how a spreadsheet names the column."""
    letters = ""
    n = position + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_table(data: bytes, name: str, catalog: dict[str, Metric], *, sheet: str | None = None) -> RawFile:
    """Read a CSV or Excel file; raises FileRejected for a file that cannot be read at all.

    ``catalog`` names the metrics a header row may hold (a wide file's columns). ``sheet`` reads
    only that sheet of a workbook (a CSV has none and ignores it).
    """
    from data_loaders import guard  # hostile bytes refused before anything is parsed

    guard.check_content(data, name, guard.limits_from_env())
    suffix = PurePath(name).suffix.lower()
    if not data:
        raise FileRejected(f"فایل «{name}» خالی است", f"the file '{name}' is empty")
    if suffix == ".xls" or data.startswith(_OLE_MAGIC):
        raise FileRejected(
            f"«{name}» در قالب قدیمی Excel (‎.xls‎) یا رمزدار است؛ آن را در Excel با «Save As» به‌صورت ‎.xlsx‎ "
            "بدون رمز ذخیره کنید",
            f"'{name}' is an old Excel 97-2003 (.xls) or password-protected workbook; open it in Excel and save it "
            "as .xlsx (File > Save As > Excel Workbook) without a password",
        )
    if suffix not in CSV_SUFFIXES | EXCEL_SUFFIXES:
        raise FileRejected(
            f"نوع فایل «{suffix or name}» پشتیبانی نمی‌شود؛ فایل CSV (UTF-8) یا Excel (‎.xlsx‎) بارگذاری کنید",
            f"the file type '{suffix or name}' is not supported; load a CSV (UTF-8) or Excel (.xlsx) file",
        )
    if data.startswith(_ZIP_MAGIC):  # an Excel file, whatever its name says
        return _read_excel(data, name, catalog, sheet)
    if suffix in EXCEL_SUFFIXES:
        raise FileRejected(
            f"«{name}» فایل Excel سالم نیست (شاید نامش تغییر کرده)؛ آن را دوباره از Excel ذخیره کنید",
            f"'{name}' is not a valid Excel file (perhaps renamed); save it again from Excel as .xlsx",
        )
    return RawFile([_read_csv(data, name, catalog)])


# ---------------------------------------------------------------- header row


def _is_header(cells: list[object], catalog: dict[str, Metric]) -> bool:
    roles = [normalise.header_role(c, catalog)[0] for c in cells if str(c or "").strip()]
    known = [r for r in roles if r not in (None, normalise.IGNORED)]
    return normalise.DISTRICT in known and len(known) >= 2


def _find_header(rows: list[list[object]], name: str, catalog: dict[str, Metric]) -> int:
    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if _is_header(cells, catalog):
            return i
    first = next((r for r in rows if any(str(c or "").strip() for c in r)), [])
    cells = [str(c).strip() for c in first if str(c or "").strip()]
    shown_fa, shown_en = "، ".join(cells)[:200], ", ".join(cells)[:200]
    raise FileRejected(
        f"سطر عنوان ستون‌ها در {fa_number(HEADER_SEARCH_ROWS)} سطر اول «{name}» پیدا نشد؛ سطر عنوان باید ستون منطقه "
        f"و ستون‌های دیگر را داشته باشد: {normalise.ACCEPTED_HEADERS_FA}. سطر اول فایل: «{shown_fa}»",
        f"no header row in the first {HEADER_SEARCH_ROWS} rows of '{name}'; the header needs a district column and "
        f"the other columns: {normalise.ACCEPTED_HEADERS_EN}. The first row reads: '{shown_en}'",
    )


# ---------------------------------------------------------------- CSV


_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _looks_like_text(text: str) -> float:
    """The share of characters a CSV of district figures is made of: ASCII printing characters
    and line ends, Persian/Arabic letters and digits, joiners and common punctuation."""
    if not text:
        return 0.0
    good = 0
    for ch in text:
        code = ord(ch)
        if (
            32 <= code < 127
            or ch in "\t\r\n"
            or 0x0600 <= code <= 0x06FF
            or 0xFB50 <= code <= 0xFEFF
            or 0x2000 <= code <= 0x206F
            or 0x00A0 <= code <= 0x00FF
        ):
            good += 1
    return good / len(text)


def _utf16_without_bom(data: bytes) -> str | None:
    """The UTF-16 byte order that turns ``data`` into text, when one clearly does."""
    if len(data) % 2:
        return None
    head = data[:8192]
    best, best_score = None, 0.0
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            score = _looks_like_text(head.decode(encoding))
        except UnicodeDecodeError:
            continue
        if score > best_score:
            best, best_score = encoding, score
    return best if best_score >= 0.95 else None


def _line_of(data: bytes, offset: int) -> int:
    """The 1-based line of the byte at ``offset`` (a line ends with \\n, \\r\\n or \\r)."""
    before = data[:offset]
    return before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1


def _bad_bytes_refusal(data: bytes, name: str, encoding: str, error: UnicodeDecodeError, start: int) -> FileRejected:
    """The refusal naming the line, the byte offset and the byte value of the first bad byte."""
    offset = start + error.start
    line = _line_of(data, offset)
    value = data[offset]
    line_start = max(data.rfind(b"\n", 0, offset), data.rfind(b"\r", 0, offset)) + 1
    before = data[max(line_start, offset - 60) : offset].decode(encoding, errors="replace").strip()[-20:]
    where_fa = f"سطر {fa_number(line)}، بایت {fa_number(offset)} از آغاز فایل (شمارش از صفر؛ مقدار ‎0x{value:02X}‎)"
    where_en = f"line {line}, byte offset {offset} from the start of the file (counting from 0; value 0x{value:02X})"
    if before:
        where_fa += f"، پس از «{before}»"
        where_en += f", after '{before}'"
    label = "UTF-8" if encoding.startswith("utf-8") else "UTF-16"
    return FileRejected(
        f"«{name}» در {where_fa} بایتی دارد که در {label} معتبر نیست؛ آن نویسه را درست کنید یا فایل را "
        "دوباره به‌صورت UTF-8 ذخیره کنید (در Excel: «Save As» و «CSV UTF-8»)",
        f"'{name}' has a byte that is not valid {label} at {where_en}; fix that character or save the file "
        "again as UTF-8 (in Excel: Save As > CSV UTF-8)",
    )


def _mostly_utf8(data: bytes) -> bool:
    """True when ``data`` reads as UTF-8 with a few bad bytes rather than as another encoding:
    it holds at least as many well-formed multi-byte UTF-8 characters as bytes that are not UTF-8.
    A Windows-1256 file has almost no well-formed sequences (its letters are single bytes)."""
    text = data.decode("utf-8", errors="surrogateescape")
    bad = sum(1 for ch in text if 0xDC80 <= ord(ch) <= 0xDCFF)
    wide = sum(1 for ch in text if ord(ch) > 0x9F and not 0xDC80 <= ord(ch) <= 0xDCFF)
    return wide > 0 and wide >= bad


def decode_csv(data: bytes, name: str) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in.

    UTF-8 (with or without BOM); UTF-16 with a BOM, or without one when the bytes clearly are
    UTF-16; Windows-1256 (Excel's "CSV" on Persian Windows) only when the bytes are clearly not
    UTF-8. A file that is UTF-8 but for some bad bytes is refused with the line and byte at fault,
    never guessed into another encoding and garbled.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise _bad_bytes_refusal(data, name, encoding, exc, len(bom)) from exc
    if b"\x00" in data[:4096]:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise FileRejected(
                f"«{name}» فایل متنی CSV نیست؛ آن را به‌صورت CSV UTF-8 یا ‎.xlsx‎ ذخیره کنید",
                f"'{name}' is not a text CSV file; save it as CSV UTF-8 or .xlsx",
            )
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise _bad_bytes_refusal(data, name, encoding, exc, 0) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if _mostly_utf8(data):
            raise _bad_bytes_refusal(data, name, "utf-8", exc, 0) from exc
    return data.decode("cp1256", errors="replace"), "cp1256"


def _first_lines(text: str, count: int) -> list[str]:
    """The first ``count`` lines, read from a growing prefix of ``text`` (a StringIO of a whole big
    file would hold four bytes a character)."""
    size = 1 << 16
    while True:
        stream = io.StringIO(text[:size], newline=None)
        lines = [line.rstrip("\n") for line, _ in zip(stream, range(count + 1), strict=False)]
        if len(lines) > count or size >= len(text):
            return lines[:count]
        size *= 4


def _read_csv(data: bytes, name: str, catalog: dict[str, Metric]) -> RawTable:
    text, encoding = decode_csv(data, name)
    head_lines = _first_lines(text, HEADER_SEARCH_ROWS)
    # the readers below take UTF-8 bytes: the file's own when it is UTF-8 (no copy), else the text
    # re-encoded; the decoded text is let go before the cells are read
    body = data if encoding == "utf-8" else text.encode("utf-8")
    del text
    found, problem = None, None
    for delimiter in CSV_DELIMITERS:
        rows = [next(csv.reader([line], delimiter=delimiter), []) for line in head_lines]
        try:
            found = (_find_header(rows, name, catalog), delimiter, rows)
            break
        except FileRejected as exc:
            problem = problem or exc  # report the comma reading
    if found is None:
        raise problem
    header_index, delimiter, rows = found
    headers = [h.strip() for h in rows[header_index]]
    frame = None
    if delimiter.isascii():
        frame = _read_csv_fast(body, delimiter, header_index, len(headers))
    if frame is None:
        frame = _read_csv_tolerant(body, name, delimiter, header_index, len(headers))
    first_data_row = header_index + 2
    return RawTable(
        headers=headers,
        cells=frame,
        row_numbers=np.arange(first_data_row, first_data_row + len(frame), dtype="int64"),
        header_row=header_index + 1,
    )


_UTF8_BOM = b"\xef\xbb\xbf"


def _byte_stream(body: bytes) -> io.BytesIO:
    """The UTF-8 bytes as a stream past any BOM, sharing ``body`` (no copy)."""
    stream = io.BytesIO(body)
    if body.startswith(_UTF8_BOM):
        stream.seek(len(_UTF8_BOM))
    return stream


def _text_stream(body: bytes) -> io.TextIOWrapper:
    """The UTF-8 bytes read as text a piece at a time, line ends kept as written."""
    return io.TextIOWrapper(_byte_stream(body), encoding="utf-8", newline="")


def _read_csv_fast(body: bytes, delimiter: str, header_index: int, width: int) -> pd.DataFrame | None:
    """pyarrow's reader for a regular file (every line as wide as the header); None otherwise. The
    cells stay in Arrow's compact strings (pandas' ``str`` columns), not one Python object each."""
    import pyarrow as pa
    from pyarrow import csv as pa_csv

    names = [str(i) for i in range(width)]
    buffer = pa.py_buffer(body)
    if body.startswith(_UTF8_BOM):
        buffer = buffer.slice(len(_UTF8_BOM))
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(buffer),
            read_options=pa_csv.ReadOptions(skip_rows=header_index + 1, column_names=names),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(
                column_types={n: pa.large_string() for n in names},  # pandas' own storage: no cast
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return pd.DataFrame({i: pd.Series(table.column(n), dtype=str) for i, n in enumerate(names)})


def _read_csv_tolerant(body: bytes, name: str, delimiter: str, header_index: int, width: int) -> pd.DataFrame:
    """pandas' reader: short lines are padded with empty cells; blank lines keep their place;
    empty cells past the header's last column are dropped; a filled one refuses the file."""
    try:
        return _pandas_csv(body, delimiter, header_index, width)
    except (pd.errors.ParserError, pd.errors.ParserWarning) as exc:
        line, cells, widest = _widest_line(body, delimiter, header_index, width)
        if line:
            raise FileRejected(
                f"ردیف {fa_number(line)} در «{name}» {fa_number(cells)} خانه دارد، اما سطر عنوان {fa_number(width)} "
                'ستون؛ خانه‌های اضافه را پاک کنید یا متنی را که ویرگول دارد میان گیومه (") بگذارید',
                f"row {line} of '{name}' has {cells} cells but the header has {width} columns; remove the extra cells "
                'or put text that holds a comma in double quotes (")',
            ) from exc
        try:
            return _pandas_csv(body, delimiter, header_index, widest).iloc[:, :width]
        except (pd.errors.ParserError, pd.errors.ParserWarning) as again:
            raise FileRejected(
                f"«{name}» به‌عنوان CSV خوانده نشد؛ آن را دوباره به‌صورت CSV UTF-8 ذخیره کنید",
                f"'{name}' could not be read as CSV ({again}); save it again as CSV UTF-8",
            ) from again


CSV_CHUNK_ROWS = 100_000  # rows pandas reads at once before they become compact text columns


def _pandas_csv(body: bytes, delimiter: str, header_index: int, width: int) -> pd.DataFrame:
    """Every line read into ``width`` text columns; a line with more cells raises (never truncated).
    Read in chunks of rows, each turned into compact text columns before the next is read."""
    names = [str(i) for i in range(width)]
    ascii_delimiter = delimiter.isascii()  # «،» is more than one byte: pandas' Python engine
    frames = []
    try:
        with warnings.catch_warnings():
            # pandas only warns when the first line is the long one, and then drops its extra cells
            warnings.simplefilter("error", pd.errors.ParserWarning)
            reader = pd.read_csv(
                _byte_stream(body) if ascii_delimiter else _text_stream(body),
                sep=delimiter,
                engine="c" if ascii_delimiter else "python",
                encoding="utf-8" if ascii_delimiter else None,
                header=None,
                names=names,
                skiprows=header_index + 1,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                index_col=False,
                on_bad_lines="error",
                chunksize=CSV_CHUNK_ROWS,
            )
            with reader:
                for chunk in reader:
                    chunk.columns = range(width)
                    frames.append(chunk.astype(str))
    except pd.errors.EmptyDataError:
        frames = []
    if not frames:
        return pd.DataFrame({i: pd.Series([], dtype=str) for i in range(width)})
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def _widest_line(body: bytes, delimiter: str, header_index: int, width: int) -> tuple[int, int, int]:
    """(row, cells) of the first line with a filled cell past the header's width, or (0, 0);
    and the most cells any line has."""
    reader = csv.reader(_text_stream(body), delimiter=delimiter)
    widest = width
    for number, record in enumerate(reader, start=1):
        if number <= header_index + 1:
            continue
        widest = max(widest, len(record))
        if len(record) > width and any(c.strip() for c in record[width:]):
            return reader.line_num, len(record), widest
    return 0, 0, widest


# ---------------------------------------------------------------- Excel


def _excel_text(value: object, number_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and "%" in number_format:
            value = round(value * 100, 10)  # 85% is stored as 0.85
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()  # an Excel date cell: the period check converts it
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _read_excel(data: bytes, name: str, catalog: dict[str, Metric], wanted: str | None) -> RawFile:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, SyntaxError, zlib.error, EOFError) as exc:
        raise FileRejected(
            f"فایل Excel «{name}» باز نشد (شاید خراب است)؛ آن را دوباره از Excel به‌صورت ‎.xlsx‎ ذخیره کنید",
            f"cannot open the Excel file '{name}' ({type(exc).__name__}); save it again from Excel as .xlsx",
        ) from exc
    try:
        if not book.worksheets:
            raise FileRejected(f"«{name}» هیچ برگه‌ای ندارد", f"'{name}' has no worksheet")
        sheets = list(book.worksheets)
        if wanted is not None and str(wanted).strip():
            sheets = [_chosen_sheet(book, name, str(wanted))]
        merges = _merged_ranges(data)
        tables: list[RawTable] = []
        skipped: list[tuple[str, FileRejected]] = []
        for sheet in sheets:
            try:
                tables.append(_sheet_table(sheet, name, catalog, merges.get(sheet.title, [])))
            except FileRejected as exc:
                if not isinstance(exc, _NoHeader):
                    raise
                skipped.append((sheet.title, exc))
            except (SyntaxError, zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
                # a sheet's XML cut short or damaged, say by a zip directory that lies about its size
                raise FileRejected(
                    f"برگه‌ی «{sheet.title}» در فایل Excel «{name}» خراب یا ناقص است و خوانده نشد؛ فایل را در Excel باز "
                    "کنید و دوباره به‌صورت ‎.xlsx‎ ذخیره کنید، یا آن را دوباره دریافت کنید",
                    f"the sheet '{sheet.title}' of the Excel file '{name}' is damaged or cut short and cannot be read "
                    f"({type(exc).__name__}); open the file in Excel and save it again as .xlsx, or fetch it again",
                ) from exc
    finally:
        book.close()
    if not tables:
        first = skipped[0][1]
        if len(skipped) == 1:
            if wanted is None and len(book.sheetnames) == 1:
                raise FileRejected(first.fa, first.en) from first
            raise FileRejected(f"برگه‌ی «{skipped[0][0]}»: {first.fa}", f"sheet '{skipped[0][0]}': {first.en}")
        listed_fa, listed_en = "، ".join(f"«{t}»" for t, _ in skipped), ", ".join(f"'{t}'" for t, _ in skipped)
        raise FileRejected(
            f"در هیچ برگه‌ی «{name}» ({listed_fa}) جدول داده‌ای پیدا نشد. برگه‌ی «{skipped[0][0]}»: {first.fa}",
            f"no sheet of '{name}' ({listed_en}) holds a data table. Sheet '{skipped[0][0]}': {first.en}",
        )
    notes = [
        bilingual(
            f"برگه‌ی «{title}» جدول داده‌ای (سطر عنوان با ستون منطقه) نداشت و خوانده نشد",
            f"sheet '{title}' holds no data table (no header row with a district column) and was skipped",
        )
        for title, _ in skipped
    ]
    return RawFile(tables, sheets=[t.sheet for t in tables], notes=notes)


class _NoHeader(FileRejected):
    """A sheet without a header row: skipped (and noted) when another sheet has a table."""


def _chosen_sheet(book, name: str, wanted: str):
    """The sheet named ``wanted`` (spaces, ZWNJ, ي/ك and case aside); FileRejected listing the sheets."""
    for sheet in book.worksheets:
        if sheet.title == wanted:
            return sheet
    for sheet in book.worksheets:
        if text_key(sheet.title) == text_key(wanted):
            return sheet
    listed_fa = "، ".join(f"«{t}»" for t in book.sheetnames)
    listed_en = ", ".join(f"'{t}'" for t in book.sheetnames)
    raise FileRejected(
        f"برگه‌ای به نام «{wanted}» در «{name}» نیست؛ برگه‌های این فایل: {listed_fa}. نام یکی از آن‌ها را بدهید یا "
        "برگه را ندهید تا همه‌ی برگه‌ها خوانده شوند",
        f"'{name}' has no sheet named '{wanted}'; its sheets are: {listed_en}. Give one of those names, or no "
        "sheet to read every sheet",
    )


EXCEL_BATCH_ROWS = 50_000  # rows of a sheet turned into compact text columns at once


def _row_texts(row) -> list[str]:
    return [_excel_text(getattr(c, "value", None), getattr(c, "number_format", "") or "") for c in row]


def _sheet_table(sheet, name: str, catalog: dict[str, Metric], merges: list[Merge]) -> RawTable:
    """The sheet's table, its rows streamed: the header found in the first rows, then the rows below
    it turned into compact text columns ``EXCEL_BATCH_ROWS`` at a time (merged ranges filled on the
    way), the row limit checked as they come. ``_NoHeader`` when the sheet has no header row."""
    from data_loaders import guard

    limits = guard.limits_from_env()
    sheet.reset_dimensions()  # trust the cells, not the size the file claims
    rows = iter(sheet.iter_rows(min_row=1))
    head = [_row_texts(row) for _, row in zip(range(HEADER_SEARCH_ROWS), rows, strict=False)]
    try:
        header_index = _find_header(head, name, catalog)
    except FileRejected as exc:
        refusal = exc
        if not any(c.strip() for r in head for c in r):  # the message shows the first row with something
            later = next((t for t in map(_row_texts, rows) if any(c.strip() for c in t)), None)
            if later is not None:
                try:
                    _find_header([*head, later], name, catalog)
                except FileRejected as again:
                    refusal = again
        raise _NoHeader(refusal.fa, refusal.en) from refusal
    headers = [h.strip() for h in head[header_index]]
    filler = _MergeFiller(merges, header_index)
    batches: list[pd.DataFrame] = []
    buffer = head[header_index + 1 :]  # rows read with the header, sheet row header_index + 2 on
    first = header_index + 1  # the 0-based sheet row of buffer[0]
    count = 0
    while True:
        buffer.extend(_row_texts(row) for _, row in zip(range(EXCEL_BATCH_ROWS - len(buffer)), rows, strict=False))
        if not buffer:
            break
        count += len(buffer)
        guard.check_rows(count, name, limits)
        filler.fill(buffer, first)
        batches.append(_text_columns(buffer))
        first += len(buffer)
        if len(buffer) < EXCEL_BATCH_ROWS:
            break
        buffer = []
    width = max([len(headers)] + [b.shape[1] for b in batches])
    headers += [""] * (width - len(headers))
    cells = _widened(batches, width)
    first_data_row = header_index + 2
    return RawTable(
        headers=headers,
        cells=cells,
        row_numbers=np.arange(first_data_row, first_data_row + len(cells), dtype="int64"),
        header_row=header_index + 1,
        sheet=sheet.title,
    )


def _text_columns(rows: list[list[str]]) -> pd.DataFrame:
    """Rows of texts as compact text columns, short rows padded with ''."""
    width = max((len(r) for r in rows), default=0)
    columns = zip(*(r + [""] * (width - len(r)) for r in rows), strict=True) if width else []
    return pd.DataFrame({i: pd.Series(column, dtype=str) for i, column in enumerate(columns)}, index=range(len(rows)))


def _widened(batches: list[pd.DataFrame], width: int) -> pd.DataFrame:
    """The batches one under the other, each given '' in the columns it lacks."""
    out = []
    for batch in batches:
        for position in range(batch.shape[1], width):
            batch[position] = pd.Series([""] * len(batch), dtype=str, index=batch.index)
        out.append(batch)
    if not out:
        return pd.DataFrame({i: pd.Series([], dtype=str) for i in range(width)})
    return pd.concat(out, ignore_index=True) if len(out) > 1 else out[0]


# ---------------------------------------------------------------- merged cells

Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (1-based, inclusive)
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)\"")
_CHUNK = 1 << 20
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _merged_ranges(data: bytes) -> dict[str, list[Merge]]:
    """Sheet title -> its merged ranges, read from each sheet's XML without loading the workbook:
    the sheet list from ``xl/workbook.xml`` and its relations, then each sheet part streamed in
    chunks for its ``<mergeCell ref="A3:A5"/>`` elements (they follow the cells, at the end)."""
    out: dict[str, list[Merge]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG_REL}Relationship")}
            names = set(archive.namelist())
            for element in book.iter(f"{_NS_MAIN}sheet"):
                target = targets.get(element.get(f"{_NS_REL}id"), "")
                part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                if part in names:
                    out[element.get("name", "")] = _merges_in(archive, part)
    except (zipfile.BadZipFile, KeyError, SyntaxError, OSError, zlib.error, EOFError):
        return {}  # openpyxl read the cells; a workbook whose parts are odd simply fills nothing
    return out


def _merges_in(archive: zipfile.ZipFile, part: str) -> list[Merge]:
    merges: list[Merge] = []
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            window = tail + chunk
            end = 0
            for m in _MERGE.finditer(window):
                c1, r1, c2, r2 = m.groups()
                merges.append((int(r1), _column_number(c1), int(r2), _column_number(c2)))
                end = m.end()
            tail = window[max(end, len(window) - 256) :]  # an element cut at the chunk's end
    return merges


class _MergeFiller:
    """Fills merged ranges below the header as the rows stream past: every cell of a range gets the
    text of the range's first cell (a district merged down beside its rows); ranges on or above the
    header (titles) stay as they are."""

    def __init__(self, merges: list[Merge], header_index: int) -> None:
        self.pending = sorted((m for m in merges if m[0] - 1 > header_index), key=lambda m: m[0])
        self.next = 0
        self.active: list[tuple[Merge, str]] = []

    def fill(self, rows: list[list[str]], first: int) -> None:
        """Fill ``rows``, the sheet's rows from 0-based position ``first`` on."""
        end = first + len(rows)
        while self.next < len(self.pending) and self.pending[self.next][0] - 1 < end:
            merge = self.pending[self.next]
            self.next += 1
            top = rows[merge[0] - 1 - first]
            self.active.append((merge, top[merge[1] - 1] if merge[1] - 1 < len(top) else ""))
        still = []
        for merge, value in self.active:
            r1, c1, r2, c2 = merge
            for r in range(max(r1 - 1, first), min(r2, end)):
                row = rows[r - first]
                if len(row) < c2:
                    row.extend([""] * (c2 - len(row)))
                row[c1 - 1 : c2] = [value] * (c2 - c1 + 1)
            if r2 > end:
                still.append((merge, value))
        self.active = still
