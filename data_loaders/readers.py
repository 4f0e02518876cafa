"""File bytes -> a table of cell texts under a recognised header row.

CSV (UTF-8 with or without BOM, UTF-16 — Excel's "Unicode text" — or Windows-1256; comma,
semicolon, tab or the Arabic comma «،»; a file that is UTF-8 but for a few bad bytes is refused
naming the line and byte at fault) and Excel .xlsx/.xlsm: every visible sheet, each with its own
header row (a sheet without a table is skipped and noted; a hidden or very hidden sheet is skipped
and named), or the one sheet asked for. The header row may sit below a few title rows: it is the first
of the first ``HEADER_SEARCH_ROWS`` rows that has a district column and at least one other recognised
column and is not a form row (a label beside its value); group titles above the column names (a
two-level header) name only the columns the row below leaves unnamed. Every cell comes back as text;
Excel numbers are written back as plain numbers (a cell formatted as a percentage as its percent
figure), Excel dates as ISO dates (a date formatted as a month only as its Gregorian month), and a
number that may be a period typed as a number (1404.1) is marked for the period check.

Excel is read sparse and bounded by construction: before openpyxl builds anything the sheets and
shared strings are counted (``guard.Limits``), each sheet's XML is streamed once for its cells (the
cap checked before it is parsed) and its merged ranges; then its rows stream through openpyxl's own
parser without being padded to the sheet's claimed width (a stray cell in column XFD costs one cell),
only the rows with text kept with their sheet row numbers, ``EXCEL_BATCH_ROWS`` at a time as compact
text columns. A formula without a saved result refuses the file naming its cells. Merged ranges below
the header are kept with the table: the parser fills those in label columns and refuses a merged value
(``fill_label_merges``). Any fault of openpyxl, the XML or the zip is a refusal naming the part or cell.

Memory stays bounded: cells are kept as pandas ``str`` columns over Arrow's compact strings, never
a Python object a cell for the whole file. A CSV is read by pyarrow from its own bytes (or pandas in
chunks for an irregular one).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from xml.etree import ElementTree

import numpy as np
import pandas as pd

from data_loaders import normalise
from data_loaders.results import FileRejected, clip, escape_text, fa_number
from monitoring.message import Message
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
    merges: list = field(default_factory=list)  # merged ranges reaching below the header (Excel)

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
    notes: list[Message] = field(default_factory=list)  # bilingual lines: sheets skipped...


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
    if suffix == ".xls" and data.startswith(_ZIP_MAGIC):
        guard.check_archive(data, name, guard.limits_from_env())
        return _read_excel(data, name, catalog, sheet)  # a workbook saved under an .xls name
    if suffix == ".xls" and not data.startswith(_OLE_MAGIC):
        head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if head.startswith((b"<", b"\xff\xfe<", b"\xfe\xff\x00<")):
            raise FileRejected(
                f"«{name}» صفحه‌ی وب (HTML) است که با پسوند ‎.xls‎ ذخیره شده (بسیاری از سامانه‌ها جدول را این‌گونه "
                "خروجی می‌دهند)، نه کتاب کار Excel؛ آن را در Excel باز کنید و با «Save As» به‌صورت ‎.xlsx‎ (Excel "
                "Workbook) ذخیره کنید، سپس همان را بارگذاری کنید",
                f"'{name}' is a web page (HTML) saved with an .xls name (many systems export tables that way), not "
                "an Excel workbook; open it in Excel and save it as .xlsx (File > Save As > Excel Workbook), then "
                "load that file",
            )
        raise FileRejected(
            f"«{name}» فایل متنی است که با پسوند ‎.xls‎ ذخیره شده، نه کتاب کار Excel؛ اگر جدول CSV است نامش را به "
            "‎.csv‎ تغییر دهید، وگرنه آن را در Excel باز کنید و به‌صورت ‎.xlsx‎ ذخیره کنید",
            f"'{name}' is a text file saved with an .xls name, not an Excel workbook; if it is a CSV table rename it "
            "to .csv, otherwise open it in Excel and save it as .xlsx",
        )
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


def _is_header(cells: Sequence[object], catalog: dict[str, Metric]) -> bool:
    roles = [normalise.header_role(c, catalog)[0] for c in cells if str(c or "").strip()]
    known = [r for r in roles if r not in (None, normalise.IGNORED)]
    return normalise.DISTRICT in known and len(known) >= 2


def _form_row(cells: Sequence[object], catalog: dict[str, Metric]) -> bool:
    """A row of a form, not a table header: a label followed by its value («منطقه: ۷ | دوره: ۱۴۰۴/۰۷»)."""
    texts = [str(c or "").strip() for c in cells]
    for i, text in enumerate(texts):
        label = text.rstrip(":：").strip()
        role = normalise.header_role(label, catalog)[0] if label else None
        if role not in (normalise.DISTRICT, normalise.PERIOD):
            continue
        if text != label:
            return True  # «منطقه:»
        after = next((t for t in texts[i + 1 :] if t), "")
        if after and normalise.header_role(after, catalog)[0] is None and any(ch.isdigit() for ch in after):
            return True  # «منطقه | ۷»
    return False


def _header_rows(rows: Sequence[Sequence[object]], index: int, catalog: dict[str, Metric]) -> tuple[list[str], int]:
    """The header at ``rows[index]``, or a two-level header ending on the row below it: group titles
    above («عملکرد» over several columns), the column names below, each column named by its lower cell
    where that is a known name and by its upper one elsewhere. (headers, the index of the last header row)."""
    top = [str(c or "").strip() for c in rows[index]]
    if index + 1 >= len(rows):
        return top, index
    below = [str(c or "").strip() for c in rows[index + 1]]
    named_below = [p for p, c in enumerate(below) if c and normalise.header_role(c, catalog)[1] is not None]
    if not named_below:
        return top, index
    for p, c in enumerate(below):
        above = top[p] if p < len(top) else ""
        role = normalise.header_role(above, catalog)[0] if above else None
        if c and c != above and role not in (None, normalise.IGNORED) and p not in named_below:
            return top, index  # the row below holds data under a known column: it is a data row
        if p in named_below and role not in (None, normalise.IGNORED, normalise.VALUE, normalise.TARGET):
            return top, index  # a metric name under the district or metric column: data of a long file
    width = max(len(top), len(below))
    top += [""] * (width - len(top))
    below += [""] * (width - len(below))
    combined = [below[p] if p in named_below else top[p] for p in range(width)]
    return combined, index + 1


def _find_header(rows: Sequence[Sequence[object]], name: str, catalog: dict[str, Metric]) -> int:
    form = None
    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if _form_row(cells, catalog):
            form = form if form is not None else i
            continue
        if _is_header(cells, catalog):
            return i
    if form is not None:
        shown = "، ".join(str(c).strip() for c in rows[form] if str(c or "").strip())[:200]
        shown_en = ", ".join(str(c).strip() for c in rows[form] if str(c or "").strip())[:200]
        raise FileRejected(
            f"سطر {fa_number(form + 1)} «{name}» فرم است (برچسب و مقدار کنار هم: «{shown}»)، نه سطر عنوان جدول؛ "
            "بارگذار جدول می‌خواند: منطقه و دوره را ستون‌های جدول کنید (یک ستون «منطقه» و یک ستون «دوره» کنار هر "
            "ردیف، یا دوره را هنگام بارگذاری بدهید) و سطرهای فرم بالای جدول را پاک کنید",
            f"row {form + 1} of '{name}' is a form (labels beside their values: '{shown_en}'), not a table's header "
            "row; the loader reads tables: make the district and the period columns of the table (a 'district' and "
            "a 'period' column beside each row, or give the period when loading) and delete the form rows above it",
        )
    first = next((r for r in rows if any(str(c or "").strip() for c in r)), [])
    texts = [str(c).strip() for c in first if str(c or "").strip()]
    shown_fa, shown_en = "، ".join(texts)[:200], ", ".join(texts)[:200]
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
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise FileRejected(
                f"«{name}» فایل متنی CSV نیست؛ آن را به‌صورت CSV UTF-8 یا ‎.xlsx‎ ذخیره کنید",
                f"'{name}' is not a text CSV file; save it as CSV UTF-8 or .xlsx",
            )
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError as exc:
            raise _bad_bytes_refusal(data, name, utf16, exc, 0) from exc
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
        assert problem is not None  # every delimiter was tried, and each reading refused
        raise problem
    header_index, delimiter, rows = found
    headers, header_index = _header_rows(rows, header_index, catalog)
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

# a cell typed as a number that may be a period written 1404.07 (a float): marked, so the period check
# refuses it (general format: Excel dropped the trailing zero) or reads what Excel displays (a fixed
# number of decimals, when that display is exact); the value check reads the number as it is
NUMBER_SHOWN = "\ue01e"  # the text that follows is what Excel displays, and it is exact
NUMBER_TYPED = "\ue01f"  # the text that follows is the number, whose display may differ
_FIXED_FORMAT = re.compile(r"^(?:#,##)?0\.(0+)$")


def _number_text(value: float) -> str:
    """A float as text that reads back to it; three decimals get a fourth zero, so «1.125» is never
    taken for a thousands dot (an Excel number is never ambiguous)."""
    text = repr(value)
    if "e" not in text and "." in text and len(text.split(".")[1]) == 3:
        text += "0"
    return text


def _period_like(value: float) -> bool:
    return not value.is_integer() and 1000 <= abs(value) < 3000


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
        if isinstance(value, float):
            if _period_like(value):
                fixed = _FIXED_FORMAT.match(number_format or "")
                if fixed:
                    shown = f"{value:.{len(fixed.group(1))}f}"
                    if float(shown) == value:
                        return NUMBER_SHOWN + shown
                return NUMBER_TYPED + _number_text(value)
            return _number_text(value)
        return str(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        if _month_only(number_format):
            return value.strftime("%Y-%m")  # Excel shows a month: it spans two Jalali months
        return value.date().isoformat()  # an Excel date cell: the period check converts it
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _month_only(number_format: str) -> bool:
    """True for a date format that shows no day (mmm yyyy, yyyy-mm)."""
    code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", number_format or "").lower()
    return "y" in code and "m" in code and "d" not in code


@dataclass(frozen=True)
class _SheetEntry:
    title: str
    state: str  # visible, hidden, veryHidden
    part: str  # the zip part of its XML ('' when missing)


@dataclass
class _BookParts:
    sheets: list[_SheetEntry]
    strings_parts: list[str]


_STRICT_NS = b"purl.oclc.org/ooxml/spreadsheetml/main"
_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet[\s/>]")
_SI_TAG = re.compile(rb"<(?:\w+:)?si[\s/>]")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s/>]")
# what a sheet holds besides cells that openpyxl builds as objects: capped like merged ranges
_EXTRA_TAG = re.compile(rb"<(?:\w+:)?(?:hyperlink|dataValidation|cfRule|col|brk)[\s/>]")
MAX_EXTRAS = 100_000
MAX_BOOK_PART_BYTES = 64 * 1024 * 1024  # workbook.xml, its relations, styles.xml: small in any real workbook


def _part_refusal(name: str, part: str, exc: BaseException) -> FileRejected:
    what = f"{type(exc).__name__}: {str(exc)[:120]}" if str(exc) else type(exc).__name__
    return FileRejected(
        f"بخش «{part}» در فایل Excel «{name}» خراب است یا چیزی دارد که Excel نمی‌نویسد و خوانده نشد؛ فایل را در "
        "Excel باز کنید و دوباره با «Save As» به‌صورت ‎.xlsx‎ (Excel Workbook) ذخیره کنید",
        f"the part '{part}' of the Excel file '{name}' is damaged or holds something Excel does not write ({what}); "
        "open the file in Excel and save it again (File > Save As > Excel Workbook .xlsx)",
    )


def _count_in_part(archive: zipfile.ZipFile, part: str, pattern: re.Pattern, limit: int, name: str) -> int:
    """How many times ``pattern`` occurs in a part, streamed; stops counting past ``limit``."""
    from data_loaders import guard

    count, tail = 0, b""
    with guard.bounded_open(archive, part, guard.limits_from_env().max_inflated_bytes, name) as stream:
        while chunk := stream.read(_CHUNK):
            window = tail + chunk
            count += len(pattern.findall(window, 0, max(len(window) - 16, 0)))
            tail = window[max(len(window) - 16, 0) :]
            if count > limit:
                return count
        count += len(pattern.findall(tail))
    return count


def _book_parts(data: bytes, name: str, limits) -> _BookParts:
    """The sheets (title, visible or hidden, part) from ``xl/workbook.xml`` and its relations, the
    counts capped before openpyxl builds anything: sheets and shared strings."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            for part in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"):
                if part in names and archive.getinfo(part).file_size > MAX_BOOK_PART_BYTES:
                    raise FileRejected(
                        f"بخش «{part}» در «{name}» بیش از ۶۴ مگابایت است، بسیار بیشتر از هر کتاب کار واقعی (شاید هزاران "
                        "سبک یا نام بی‌مصرف دارد)؛ داده را در کتاب کار تازه‌ای کپی کنید (Paste Values) و ذخیره کنید",
                        f"the part '{part}' of '{name}' is over 64 MB, far more than any real workbook (perhaps "
                        "thousands of unused styles or names); copy the data into a new workbook (Paste Values) and "
                        "save it",
                    )
            raw_book = archive.read("xl/workbook.xml")
            if _STRICT_NS in raw_book[:4096] or _STRICT_NS in raw_book:
                raise FileRejected(
                    f"«{name}» با قالب «Strict Open XML Spreadsheet» ذخیره شده که خواننده‌ی این سامانه آن را نمی‌خواند؛ "
                    "فایل را در Excel باز کنید و با «Save As» نوع «Excel Workbook (*.xlsx)» ذخیره کنید",
                    f"'{name}' is saved as 'Strict Open XML Spreadsheet', which this loader does not read; open it in "
                    "Excel and save it with File > Save As > 'Excel Workbook (*.xlsx)'",
                )
            count = len(_SHEET_TAG.findall(raw_book))
            if count > limits.max_sheets:
                raise FileRejected(
                    f"«{name}» {fa_number(count)} برگه دارد و بیش از {fa_number(limits.max_sheets)} برگه در یک فایل "
                    "پذیرفته نمی‌شود؛ برگه‌های لازم را در کتاب کار تازه‌ای کپی کنید یا فایل را چند تکه کنید (مثلاً یک "
                    "فایل برای هر ماه)",
                    f"'{name}' lists {count:,} sheets, more than the {limits.max_sheets:,} accepted in one file; copy "
                    "the sheets you need into a new workbook or split the file (one a month, say)",
                )
            book = ElementTree.fromstring(raw_book)
            rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG_REL}Relationship")}
            sheets = []
            for element in book.iter(f"{_NS_MAIN}sheet"):
                target = targets.get(element.get(f"{_NS_REL}id"), "")
                part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                sheets.append(_SheetEntry(element.get("name", ""), element.get("state", "visible"), part))
            strings = [n for n in names if n.lower().endswith("sharedstrings.xml")]
            for part in strings:
                n = _count_in_part(archive, part, _SI_TAG, limits.max_shared_strings, name)
                if n > limits.max_shared_strings:
                    raise FileRejected(
                        f"«{name}» بیش از {fa_number(limits.max_shared_strings)} متن جدا (بخش «{part}») دارد؛ یک "
                        "گزارش منطقه چند هزار متن دارد. فایل را چند تکه کنید (مثلاً یک فایل برای هر ماه) یا ستون‌های "
                        "متنی اضافه (توضیحات) را پیش از بارگذاری پاک کنید",
                        f"'{name}' holds more than {limits.max_shared_strings:,} distinct texts (part '{part}'); a "
                        "district report holds a few thousand. Split the file (one a month, say) or delete extra text "
                        "columns (notes) before loading",
                    )
    except FileRejected:
        raise
    except KeyError as exc:
        raise FileRejected(
            f"فایل Excel «{name}» بخش لازمی ({exc}) را ندارد؛ آن را در Excel باز کنید و دوباره به‌صورت ‎.xlsx‎ ذخیره کنید",
            f"the Excel file '{name}' lacks a part it needs ({exc}); open it in Excel and save it again as .xlsx",
        ) from exc
    except (zipfile.BadZipFile, SyntaxError, OSError, zlib.error, EOFError, ValueError) as exc:
        raise _part_refusal(name, "xl/workbook.xml", exc) from exc
    return _BookParts(sheets, strings)


def _read_excel(data: bytes, name: str, catalog: dict[str, Metric], wanted: str | None) -> RawFile:
    from openpyxl import load_workbook

    from data_loaders import guard

    limits = guard.limits_from_env()
    parts = _book_parts(data, name, limits)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except FileRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - any fault of the third-party parser is a refusal, named
        part = _broken_part(data, parts)
        if part:
            raise _part_refusal(name, part, exc) from exc
        raise FileRejected(
            f"فایل Excel «{name}» باز نشد (شاید خراب است یا Excel آن را نساخته)؛ آن را در Excel باز کنید و دوباره "
            "به‌صورت ‎.xlsx‎ ذخیره کنید",
            f"cannot open the Excel file '{name}' ({type(exc).__name__}); open it in Excel and save it again as .xlsx",
        ) from exc
    try:
        return _read_sheets(book, parts, data, name, catalog, wanted, limits)
    except FileRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - a fault of the third-party reader is a refusal, never a traceback
        raise _part_refusal(name, _broken_part(data, parts) or "xl/workbook.xml", exc) from exc
    finally:
        book.close()


def _broken_part(data: bytes, parts: _BookParts) -> str | None:
    """The first part of the workbook whose XML does not parse (streamed), to name it in the refusal."""
    candidates = ["xl/workbook.xml", "xl/styles.xml", *parts.strings_parts, *(s.part for s in parts.sheets)]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            for part in candidates:
                if part not in names:
                    continue
                try:
                    with archive.open(part) as stream:
                        for _, element in ElementTree.iterparse(stream):
                            element.clear()
                except (SyntaxError, zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
                    return part
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return None


def _read_sheets(book, parts: _BookParts, data: bytes, name: str, catalog, wanted, limits) -> RawFile:
    states = {s.title: s.state for s in parts.sheets}
    for sheet in book.worksheets:
        if getattr(sheet, "sheet_state", "visible") != "visible":
            states[sheet.title] = sheet.sheet_state
    if not book.worksheets:
        raise FileRejected(
            f"«{name}» هیچ برگه‌ی کاری (جدول) ندارد (شاید فقط نمودار دارد)؛ داده را در یک برگه بگذارید و دوباره ذخیره کنید",
            f"'{name}' has no worksheet with cells (perhaps only charts); put the data on a worksheet and save again",
        )
    notes: list[Message] = []
    sheets = list(book.worksheets)
    if wanted is not None and str(wanted).strip():
        sheets = [_chosen_sheet(book, name, str(wanted))]
        state = states.get(sheets[0].title, "visible")
        if state != "visible":
            raise FileRejected(
                f"برگه‌ی «{sheets[0].title}» در «{name}» پنهان است؛ آنچه در Excel دیده نمی‌شود بارگذاری نمی‌شود. اگر "
                "باید بارگذاری شود، در Excel آن را آشکار کنید (کلیک راست روی برگه‌ها > Unhide) و فایل را ذخیره کنید",
                f"the sheet '{sheets[0].title}' of '{name}' is hidden; what Excel does not show is not loaded. If it "
                "should load, unhide it in Excel (right-click the sheet tabs > Unhide) and save the file",
            )
    hidden = [s.title for s in sheets if states.get(s.title, "visible") != "visible"]
    if hidden:
        sheets = [s for s in sheets if s.title not in hidden]
        notes.append(
            Message(
                f"برگه‌های پنهان خوانده نشد: {'، '.join(f'«{_shown(t)}»' for t in hidden)} (آنچه در Excel دیده نمی‌شود "
                "بارگذاری نمی‌شود؛ اگر لازم است، برگه را آشکار کنید و دوباره بارگذاری کنید)",
                f"hidden sheets not read: {', '.join(repr(_shown(t)) for t in hidden)} (what Excel does not show is not "
                "loaded; unhide a sheet and load again if it is needed)",
            )
        )
        if not sheets:
            raise FileRejected(
                f"همه‌ی برگه‌های «{name}» پنهان است؛ برگه‌ی داده را در Excel آشکار کنید (Unhide) و فایل را ذخیره کنید",
                f"every sheet of '{name}' is hidden; unhide the data sheet in Excel and save the file",
            )
    part_of = {s.title: s.part for s in parts.sheets}
    formats = _style_formats(book)
    tables: list[RawTable] = []
    skipped: list[tuple[str, FileRejected]] = []
    for sheet in sheets:
        part = getattr(sheet, "_worksheet_path", "") or part_of.get(sheet.title, "")
        try:
            merges = _scan_sheet(data, part, name, _shown(sheet.title), limits)
            tables.append(_sheet_table(book, sheet, part, name, catalog, merges, formats, limits))
        except _NoHeader as exc:
            skipped.append((_shown(sheet.title), exc))
        except FileRejected:
            raise
        except Exception as exc:  # noqa: BLE001 - a fault of the XML or of openpyxl: refused, the part named
            raise FileRejected(
                f"برگه‌ی «{_shown(sheet.title)}» (بخش «{part}») در فایل Excel «{name}» خراب یا ناقص است و خوانده نشد؛ فایل را "
                "در Excel باز کنید و دوباره به‌صورت ‎.xlsx‎ ذخیره کنید، یا آن را دوباره دریافت کنید",
                f"the sheet '{_shown(sheet.title)}' (part '{part}') of the Excel file '{name}' is damaged or cut short and "
                f"cannot be read ({type(exc).__name__}); open the file in Excel and save it again as .xlsx, or fetch "
                "it again",
            ) from exc
    if not tables and hidden:
        first = skipped[0][1]
        listed_fa, listed_en = "، ".join(f"«{t}»" for t in hidden), ", ".join(f"'{t}'" for t in hidden)
        raise FileRejected(
            f"برگه‌ی دیده‌شدنی «{skipped[0][0]}» جدولی ندارد ({first.fa})؛ برگه‌های پنهان ({listed_fa}) خوانده نمی‌شوند. "
            "اگر داده در برگه‌ی پنهان است، آن را در Excel آشکار کنید (Unhide) و فایل را ذخیره کنید",
            f"the visible sheet '{skipped[0][0]}' holds no table ({first.en}); hidden sheets ({listed_en}) are not "
            "read. If the data is on a hidden sheet, unhide it in Excel and save the file",
        )
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
    notes += [
        Message(
            f"برگه‌ی «{title}» جدول داده‌ای (سطر عنوان با ستون منطقه) نداشت و خوانده نشد",
            f"sheet '{title}' holds no data table (no header row with a district column) and was skipped",
        )
        for title, _ in skipped
    ]
    return RawFile(tables, sheets=[t.sheet for t in tables], notes=notes)


def _shown(title: str) -> str:
    """A sheet's name fit for a message: control characters escaped, a long one cut."""
    return clip(title, 100)


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
    listed_fa = "، ".join(f"«{_shown(t)}»" for t in book.sheetnames)
    listed_en = ", ".join(f"'{_shown(t)}'" for t in book.sheetnames)
    raise FileRejected(
        f"برگه‌ای به نام «{wanted}» در «{name}» نیست؛ برگه‌های این فایل: {listed_fa}. نام یکی از آن‌ها را بدهید یا "
        "برگه را ندهید تا همه‌ی برگه‌ها خوانده شوند",
        f"'{name}' has no sheet named '{wanted}'; its sheets are: {listed_en}. Give one of those names, or no "
        "sheet to read every sheet",
    )


def _style_formats(book) -> list[str]:
    """The number format of each cell style (by its index in the workbook's styles)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

    out = []
    custom = list(getattr(book, "_number_formats", []) or [])
    for style in getattr(book, "_cell_styles", []) or []:
        fmt_id = int(getattr(style, "numFmtId", 0) or 0)
        if fmt_id < BUILTIN_FORMATS_MAX_SIZE:
            out.append(BUILTIN_FORMATS.get(fmt_id, "General"))
        elif fmt_id - BUILTIN_FORMATS_MAX_SIZE < len(custom):
            out.append(str(custom[fmt_id - BUILTIN_FORMATS_MAX_SIZE]))
        else:
            out.append("General")
    return out


EXCEL_BATCH_ROWS = 50_000  # rows of a sheet turned into compact text columns at once
MAX_MERGES = 100_000  # merged ranges of one sheet (a district merged beside its rows: a few hundred)


def _scan_sheet(data: bytes, part: str, name: str, title: str, limits) -> list[Merge]:
    """One streamed pass over a sheet's XML before it is parsed: its cells counted against the cap
    (refused before any is read) and its merged ranges collected."""
    from data_loaders import guard

    merges: list[Merge] = []
    cells, extras, tail = 0, 0, b""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if part not in archive.namelist():
            raise _NoHeader(
                f"برگه‌ی «{title}» داده‌ای ندارد (بخش «{part}» در فایل نیست)",
                f"the sheet '{title}' holds nothing (its part '{part}' is missing)",
            )
        with guard.bounded_open(archive, part, limits.max_inflated_bytes, name) as stream:
            while chunk := stream.read(_CHUNK):
                window = tail + chunk
                cut = max(len(window) - 256, 0)
                cells += len(_CELL_TAG.findall(window, 0, cut))
                extras += len(_EXTRA_TAG.findall(window, 0, cut))
                if extras > MAX_EXTRAS:
                    raise FileRejected(
                        f"برگه‌ی «{title}» در «{name}» بیش از {fa_number(MAX_EXTRAS)} پیوند، قاعده‌ی قالب‌بندی، اعتبارسنجی "
                        "یا تنظیم ستون دارد؛ آن‌ها را پاک کنید (Home > Clear > Clear Formats / Hyperlinks) یا داده را "
                        "در کتاب کار تازه‌ای کپی کنید (Paste Values) و ذخیره کنید",
                        f"the sheet '{title}' of '{name}' holds more than {MAX_EXTRAS:,} links, formatting rules, "
                        "validations or column settings; clear them (Home > Clear > Clear Formats / Hyperlinks) or "
                        "copy the data into a new workbook (Paste Values) and save it",
                    )
                end = 0
                for m in _MERGE.finditer(window):
                    c1, r1, c2, r2 = m.groups()
                    merges.append((int(r1), _column_number(c1), int(r2), _column_number(c2)))
                    end = m.end()
                tail = window[max(end, cut) :]
                if len(merges) > MAX_MERGES:
                    raise FileRejected(
                        f"برگه‌ی «{title}» در «{name}» بیش از {fa_number(MAX_MERGES)} محدوده‌ی ادغام‌شده دارد؛ ادغام‌ها را "
                        "بردارید (همه را انتخاب کنید و Unmerge Cells) و فایل را دوباره ذخیره کنید",
                        f"the sheet '{title}' of '{name}' holds more than {MAX_MERGES:,} merged ranges; unmerge them "
                        "(select all, then Unmerge Cells) and save the file again",
                    )
                if cells > limits.max_cells:
                    raise FileRejected(
                        f"برگه‌ی «{title}» در «{name}» بیش از {fa_number(limits.max_cells)} خانه دارد؛ فایل را چند "
                        "تکه کنید (مثلاً یک فایل برای هر ماه یا هر چند منطقه)، یا خانه‌های بی‌مصرف پس از داده را پاک "
                        "کنید (Ctrl+End آخرین خانه‌ی به‌کاررفته را نشان می‌دهد)",
                        f"the sheet '{title}' of '{name}' holds more than {limits.max_cells:,} cells; split the file "
                        "(one a month, or a few districts each) or delete the unused cells after the data (Ctrl+End "
                        "shows the last cell in use)",
                    )
    return sorted(set(merges))


class _Parser:
    """openpyxl's streaming sheet parser, kept sparse (no row padded to the sheet's width), each
    formula without a saved result noted, each bad shared-string or style index a refusal."""

    def __init__(self, book, source, name: str, title: str, formats: list[str]) -> None:
        from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

        outer = self

        class Parser(WorkSheetParser):
            def parse_cell(self, element):  # noqa: ANN001, ANN202
                try:
                    cell = super().parse_cell(element)
                except (IndexError, ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
                    where = escape_text(str(element.get("r") or "?"))[:20]
                    what = (
                        "points at a text the file does not hold"
                        if isinstance(exc, IndexError)
                        else (f"holds what Excel never writes ({type(exc).__name__})")
                    )
                    raise FileRejected(
                        f"خانه‌ی {where} در برگه‌ی «{title}» خراب است (به متنی اشاره می‌کند که در فایل نیست یا چیزی "
                        "دارد که Excel نمی‌نویسد)؛ فایل را در Excel باز کنید و دوباره ذخیره کنید",
                        f"the cell {where} on sheet '{title}' is damaged (it {what}); open the file in Excel and "
                        "save it again",
                    ) from exc
                if element.find(FORMULA_TAG) is not None and element.get("t") != "inlineStr":
                    saved = element.find(VALUE_TAG)
                    # no result saved: no <v>, or an empty one where the result is not a text (t="str")
                    if saved is None or (not saved.text and element.get("t") != "str"):
                        outer.formulas.append(element.get("r") or f"{column_letter(cell['column'] - 1)}{cell['row']}")
                return cell

        self.parser = Parser(
            source,
            book.shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        self.formats = formats
        self.title = title
        self.name = name
        self.formulas: list[str] = []

    def rows(self) -> Iterator[tuple[int, dict[int, str]]]:
        """(sheet row, {0-based column: text}) for each row with some text, in order."""
        formats = self.formats
        last = None
        for number, cells in self.parser.parse():
            if last is not None and number <= last:
                raise self._damaged(
                    f"ردیف {fa_number(number)} پس از ردیف {fa_number(last)} آمده است (ردیف‌ها به‌هم‌ریخته یا تکراری‌اند)",
                    f"row {number} comes after row {last} (rows out of order or repeated)",
                )
            last = number
            out: dict[int, str] = {}
            seen: set[int] = set()
            for cell in cells:
                if cell["column"] in seen:
                    where = f"{column_letter(cell['column'] - 1)}{number}"
                    raise self._damaged(f"خانه‌ی {where} دو بار آمده است", f"the cell {where} is written twice")
                seen.add(cell["column"])
                value = cell["value"]
                if value is None:
                    continue
                style = cell["style_id"] or 0
                if style >= len(formats) and style:
                    raise FileRejected(
                        f"خانه‌ی {column_letter(cell['column'] - 1)}{number} در برگه‌ی «{self.title}» قالبی دارد "
                        "که در فایل نیست (فایل خراب است)؛ فایل را در Excel باز کنید و دوباره ذخیره کنید",
                        f"the cell {column_letter(cell['column'] - 1)}{number} on sheet '{self.title}' has a style "
                        "the file does not hold (the file is damaged); open it in Excel and save it again",
                    )
                text = _excel_text(value, formats[style] if style < len(formats) else "General")
                if text.strip():
                    out[cell["column"] - 1] = text
            if out:
                yield number, out

    def _damaged(self, fa: str, en: str) -> FileRejected:
        return FileRejected(
            f"برگه‌ی «{self.title}» در «{self.name}» خراب است: {fa}؛ Excel چنین فایلی نمی‌نویسد. فایل را در Excel باز کنید "
            "و دوباره ذخیره کنید",
            f"the sheet '{self.title}' of '{self.name}' is damaged: {en}; Excel never writes that. Open the file in "
            "Excel and save it again",
        )


def _formula_refusal(name: str, title: str, cells: list[str]) -> FileRejected:
    shown = ", ".join(cells[:10]) + (f" … (+{len(cells) - 10})" if len(cells) > 10 else "")
    return FileRejected(
        f"{fa_number(len(cells))} خانه در برگه‌ی «{title}» فرمول دارد اما نتیجه‌ی فرمول در فایل ذخیره نشده است "
        f"({shown})؛ این فایل را برنامه‌ای ساخته و هرگز در Excel باز نشده. آن را در Excel باز کنید و ذخیره کنید "
        "(Excel نتیجه‌ها را حساب و ذخیره می‌کند)، سپس دوباره بارگذاری کنید",
        f"{len(cells)} cell(s) on sheet '{title}' hold a formula whose result was never saved ({shown}); the file "
        "was written by a program and never opened in Excel. Open it in Excel and save it (Excel computes and saves "
        "the results), then load it again",
    )


def _fill_header_merges(rows: list[tuple[int, dict[int, str]]], merges: list[Merge]) -> None:
    """Merged ranges among the first rows (titles, a two-level header): each cell of a range takes
    the range's text, so «منطقه» merged down over two header rows heads its column in both."""
    numbers = {n: cells for n, cells in rows}
    for r1, c1, r2, c2 in merges:
        if r1 not in numbers or (c1 - 1) not in numbers[r1]:
            continue
        value = numbers[r1][c1 - 1]
        for r in range(r1, r2 + 1):
            if r in numbers:
                for c in range(c1 - 1, c2):
                    numbers[r].setdefault(c, value)


def _as_list(cells: dict[int, str]) -> list[str]:
    width = max(cells, default=-1) + 1
    return [cells.get(i, "") for i in range(width)]


def _sheet_table(book, sheet, part, name, catalog, merges: list[Merge], formats, limits) -> RawTable:
    """The sheet's table, its rows streamed sparse: the header found in the first rows, then the rows
    below it turned into compact text columns ``EXCEL_BATCH_ROWS`` at a time, the row and column
    limits checked as they come. ``_NoHeader`` when the sheet has no header row."""
    from data_loaders import guard

    with book._archive.open(part) as source:
        parser = _Parser(book, source, name, _shown(sheet.title), formats)
        rows = parser.rows()
        head = [row for _, row in zip(range(HEADER_SEARCH_ROWS), rows, strict=False)]
        head_end = head[-1][0] if head else 0
        _fill_header_merges(head, [m for m in merges if m[0] <= head_end])
        head_texts = [_as_list(cells) for _, cells in head]
        try:
            header_index = _find_header(head_texts, name, catalog)
        except FileRejected as exc:
            raise _NoHeader(exc.fa, exc.en) from exc
        headers, header_index = _header_rows(head_texts, header_index, catalog)
        header_row = head[header_index][0]
        buffer = head[header_index + 1 :]
        columns: dict[int, list[str]] = {}
        numbers: list[int] = []
        batches: list[tuple[np.ndarray, dict[int, pd.Series]]] = []
        count = 0

        def flush() -> None:
            nonlocal columns, numbers
            if not numbers:
                return
            n = len(numbers)
            frame = {c: pd.Series(values + [""] * (n - len(values)), dtype=str) for c, values in columns.items()}
            batches.append((np.asarray(numbers, dtype="int64"), frame))
            columns, numbers = {}, []

        def take(number: int, cells: dict[int, str]) -> None:
            at = len(numbers)
            numbers.append(number)
            for c, text in cells.items():
                column = columns.get(c)
                if column is None:
                    if len(columns) >= limits.max_columns:
                        raise _too_many_columns(name, _shown(sheet.title), limits)
                    column = columns[c] = []
                if len(column) < at:
                    column.extend([""] * (at - len(column)))
                column.append(text)

        for number, cells in buffer:
            take(number, cells)
        for number, cells in rows:
            take(number, cells)
            if len(numbers) >= EXCEL_BATCH_ROWS:
                count += len(numbers)
                guard.check_rows(count, name, limits)
                flush()
        count += len(numbers)
        guard.check_rows(count, name, limits)
        flush()
    if parser.formulas:
        raise _formula_refusal(name, _shown(sheet.title), parser.formulas)
    used = sorted({c for _, frame in batches for c in frame} | {i for i, h in enumerate(headers) if h})
    if len(used) > limits.max_columns:
        raise _too_many_columns(name, _shown(sheet.title), limits)
    width = max([len(headers), *(c + 1 for c in used)])
    headers += [""] * (width - len(headers))
    total = sum(len(n) for n, _ in batches)
    cells = pd.DataFrame(
        {
            c: (
                pd.concat(
                    [frame.get(c, pd.Series([""] * len(n), dtype=str)) for n, frame in batches], ignore_index=True
                )
                if batches
                else pd.Series([], dtype=str)
            )
            for c in used
        },
        index=range(total),
    )
    row_numbers = np.concatenate([n for n, _ in batches]) if batches else np.zeros(0, dtype="int64")
    below = [m for m in merges if m[2] > header_row]
    return RawTable(
        headers=headers,
        cells=cells,
        row_numbers=row_numbers,
        header_row=header_row,
        sheet=_shown(sheet.title),
        merges=below,
    )


def _too_many_columns(name: str, title: str, limits) -> FileRejected:
    return FileRejected(
        f"برگه‌ی «{title}» در «{name}» بیش از {fa_number(limits.max_columns)} ستون پر دارد؛ یک گزارش منطقه چند ده "
        "ستون دارد. ستون‌های اضافه را پاک کنید یا فایل را چند تکه کنید (مثلاً چند شاخص در هر فایل)",
        f"the sheet '{title}' of '{name}' has more than {limits.max_columns:,} filled columns; a district report has "
        "a few dozen. Delete the extra columns or split the file (a few metrics in each)",
    )


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


def merge_ref(merge: Merge) -> str:
    """(3, 1, 5, 1) -> A3:A5, as Excel names the range."""
    r1, c1, r2, c2 = merge
    return f"{column_letter(c1 - 1)}{r1}:{column_letter(c2 - 1)}{r2}"


def fill_label_merges(table: RawTable, label_columns: set[int], name: str) -> None:
    """Fill the merged ranges below the header that lie in label columns (district, metric, period,
    event type: a district written once beside its rows): each cell of the range takes the text of its
    first cell. A merged range over any other column (a value) is refused naming the range: copying one
    value into several rows would store what nobody wrote."""
    fills: dict[int, list[tuple[int, int, int]]] = {}
    for merge in table.merges:
        r1, c1, r2, c2 = merge
        covered = set(range(c1 - 1, c2))
        top = int(np.searchsorted(table.row_numbers, r1))
        has_top = top < len(table.row_numbers) and table.row_numbers[top] == r1
        if not covered <= label_columns:
            first = c1 - 1
            text = table.cells[first].iloc[top] if has_top and first in table.cells.columns else ""
            if not str(text).strip() and r2 == r1:
                continue  # an empty merge inside one row: nothing is copied
            where_fa = f" در برگه‌ی «{table.sheet}»" if table.sheet else ""
            where_en = f" on sheet '{table.sheet}'" if table.sheet else ""
            raise FileRejected(
                f"خانه‌های {merge_ref(merge)}{where_fa} ادغام شده‌اند (Merge) و مقداری را در بر می‌گیرند؛ مقدار ادغام‌شده "
                "معلوم نیست مال کدام ردیف یا ستون است. ادغام را بردارید (Home > Merge & Center > Unmerge Cells) و "
                "مقدار هر خانه را جدا بنویسید، یا خانه‌ای را که گزارش نشده خالی بگذارید",
                f"the cells {merge_ref(merge)}{where_en} are merged over a value; a merged value does not say which "
                "row or column it belongs to. Unmerge them (Home > Merge & Center > Unmerge Cells) and write each "
                "cell's value, or leave a cell that was not reported empty",
            )
        if not has_top:
            continue
        stop = int(np.searchsorted(table.row_numbers, r2, side="right"))
        for c in covered:
            fills.setdefault(c, []).append((top, stop, c1 - 1))
    if not fills:
        return
    arrays: dict[int, np.ndarray] = {}
    for c in {c for c in fills} | {s for spans in fills.values() for _, _, s in spans}:
        if c in table.cells.columns:
            arrays[c] = table.cells[c].to_numpy(dtype=object, copy=True)
        else:
            arrays[c] = np.full(len(table.cells), "", dtype=object)
    original = {c: a.copy() for c, a in arrays.items()}
    for c, spans in fills.items():
        for start, stop, source in spans:
            arrays[c][start:stop] = original[source][start]
    for c in fills:
        table.cells[c] = pd.Series(arrays[c], dtype=str, index=table.cells.index)
