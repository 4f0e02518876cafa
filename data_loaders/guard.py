"""Hostile or mistaken files, refused before they are parsed, within bounded memory.

Every check is a pure function that returns nothing or raises ``FileRejected(fa, en)`` saying
what is wrong, where, and what to do:

- ``check_size(size, name, limits)``: before a file is read from disk (its ``stat`` size) or an
  upload's bytes are taken;
- ``check_content(data, name, limits)``: the bytes sniffed: empty or only a byte order mark;
  HTML or XML; a PDF, an image, a program, a gzip/7z/rar archive or an old/encrypted Office file;
  a zip that is not a workbook, an encrypted one, one with too many parts, or one whose parts would
  inflate past the limit (decided from the zip's central directory, nothing decompressed); NUL
  bytes in a CSV that is not UTF-16; a line longer than any table row; more rows than allowed;
- ``check_rows(count, name, limits)``: the row limit, for a reader that counts rows as it goes;
- ``bounded_open(zf, info, limit, name)``: a workbook part opened for reading that refuses the
  file once more than ``limit`` bytes come out of it, for a central directory that lies;
- ``ErrorBudget``: keeps the first few hundred rejected cells and counts the rest.

Limits come from the environment (``limits_from_env``), through the settings registry
(``monitoring.config``): ``DASHBOARD_MAX_FILE_MB`` (64), ``DASHBOARD_MAX_ROWS`` (2,000,000),
``DASHBOARD_MAX_XLSX_INFLATED_MB`` (400), ``DASHBOARD_MAX_ZIP_ENTRIES`` (2,000),
``DASHBOARD_MAX_ZIP_RATIO`` (200, for parts above 1 MB), ``DASHBOARD_MAX_ERRORS`` (500), and for a
workbook ``DASHBOARD_MAX_SHEETS`` (200), ``DASHBOARD_MAX_SHARED_STRINGS`` (1,000,000),
``DASHBOARD_MAX_CELLS`` (10,000,000 a sheet) and ``DASHBOARD_MAX_COLUMNS`` (1,000 filled columns a
sheet), for boundaries ``DASHBOARD_MAX_VERTICES`` (1,000,000 points); each is checked before the work
it bounds. A value that cannot be read keeps the default, with a warning in the log.
"""

from __future__ import annotations

import io
import logging
import struct
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import Generic, TypeVar

import numpy as np

from data_loaders.results import FileRejected, fa_number
from monitoring.config import settings_from_env
from monitoring.message import Message

logger = logging.getLogger(__name__)

MB = 1024 * 1024
T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """How big a file the loader takes; every size in bytes."""

    max_file_bytes: int = 64 * MB
    max_rows: int = 2_000_000
    max_inflated_bytes: int = 400 * MB  # every part of a workbook, unpacked, together
    max_zip_entries: int = 2000
    max_ratio: float = 200.0  # unpacked / packed size of one part ...
    ratio_floor_bytes: int = 1 * MB  # ... checked for parts that unpack to more than this
    max_line_bytes: int = 256 * 1024  # one line of a CSV
    max_errors: int = 500  # rejected cells listed; the rest are counted
    max_sheets: int = 200  # sheets a workbook lists (checked before openpyxl builds one object a sheet)
    max_shared_strings: int = 1_000_000  # distinct texts of a workbook (counted before they are read)
    max_cells: int = 10_000_000  # cells of one sheet (counted in its XML before it is parsed)
    max_columns: int = 1_000  # filled columns of one sheet
    max_vertices: int = 1_000_000  # points of a boundaries file (counted before any is checked)


def limits_from_env(environ: Mapping[str, str] | None = None) -> Limits:
    """The limits named by the environment (``monitoring.config``'s ``DASHBOARD_MAX_*``); defaults where unset."""
    settings, base = settings_from_env(environ), Limits()
    return replace(
        base,
        max_file_bytes=int(settings.max_file_mb * MB),
        max_rows=settings.max_rows,
        max_inflated_bytes=int(settings.max_xlsx_inflated_mb * MB),
        max_zip_entries=settings.max_zip_entries,
        max_ratio=settings.max_zip_ratio,
        max_errors=settings.max_errors,
        max_sheets=settings.max_sheets,
        max_shared_strings=settings.max_shared_strings,
        max_cells=settings.max_cells,
        max_columns=settings.max_columns,
        max_vertices=settings.max_vertices,
    )


# ---------------------------------------------------------------- sizes


def _size_text(size: float) -> tuple[str, str]:
    """(Persian, English) for a byte count: «۱٫۵ مگابایت» / "1.5 MB"."""
    if size >= 1024 * MB:
        value = round(size / (1024 * MB), 1)
        return f"{fa_number(value)} گیگابایت", f"{value:,} GB"
    if size >= MB:
        value = round(size / MB, 1)
        return f"{fa_number(value)} مگابایت", f"{value:,} MB"
    if size >= 1024:
        value = round(size / 1024, 1)
        return f"{fa_number(value)} کیلوبایت", f"{value:,} KB"
    return f"{fa_number(int(size))} بایت", f"{int(size):,} bytes"


def check_size(size: int, name: str, limits: Limits | None = None) -> None:
    """Refuse a file bigger than ``limits.max_file_bytes``; call it before the bytes are read."""
    limits = limits or limits_from_env()
    if size <= limits.max_file_bytes:
        return
    size_fa, size_en = _size_text(size)
    limit_fa, limit_en = _size_text(limits.max_file_bytes)
    raise FileRejected(
        f"«{name}» {size_fa} است و از بیشینهٔ اندازهٔ فایل ({limit_fa}) بزرگ‌تر است؛ فایل را چند تکه کنید "
        "(مثلاً یک فایل برای هر ماه یا هر چند منطقه) یا از مدیر سامانه بخواهید DASHBOARD_MAX_FILE_MB را بیشتر کند",
        f"'{name}' is {size_en}, more than the largest file accepted ({limit_en}); split it into smaller files "
        "(one a month, or a few districts each) or ask the administrator to raise DASHBOARD_MAX_FILE_MB",
    )


def check_rows(count: int, name: str, limits: Limits | None = None) -> None:
    """Refuse a file of more than ``limits.max_rows`` data rows."""
    limits = limits or limits_from_env()
    if count <= limits.max_rows:
        return
    raise FileRejected(
        f"«{name}» حدود {fa_number(count)} ردیف داده دارد و بیش از {fa_number(limits.max_rows)} ردیف در یک فایل "
        "پذیرفته نمی‌شود؛ فایل را چند تکه کنید (مثلاً یک فایل برای هر ماه) یا از مدیر سامانه بخواهید "
        "DASHBOARD_MAX_ROWS را بیشتر کند",
        f"'{name}' holds about {count:,} data rows, more than the {limits.max_rows:,} accepted in one file; split "
        "it (one file a month, say) or ask the administrator to raise DASHBOARD_MAX_ROWS",
    )


# ---------------------------------------------------------------- what the bytes are

TABLE_SUFFIXES = frozenset({".csv", ".txt", ".tsv", ".xlsx", ".xlsm"})  # what the readers read
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
SAVE_AS_FA = "داده را از Excel به‌صورت ‎.xlsx‎ یا «CSV UTF-8» ذخیره کنید و همان فایل را بارگذاری کنید"
SAVE_AS_EN = "save the data from Excel as .xlsx or 'CSV UTF-8' and load that file"

# (leading bytes, what it is in Persian, in English)
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "سند PDF", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "تصویر PNG", "a PNG image"),
    (b"\xff\xd8\xff", "تصویر JPEG", "a JPEG image"),
    (b"GIF87a", "تصویر GIF", "a GIF image"),
    (b"GIF89a", "تصویر GIF", "a GIF image"),
    (b"II*\x00", "تصویر TIFF", "a TIFF image"),
    (b"MM\x00*", "تصویر TIFF", "a TIFF image"),
    (b"\x00\x00\x01\x00", "نماد (ICO)", "an icon (ICO) image"),
    (b"\x7fELF", "برنامهٔ اجرایی (ELF)", "an executable program (ELF)"),
    (b"\xcf\xfa\xed\xfe", "برنامهٔ اجرایی (Mach-O)", "an executable program (Mach-O)"),
    (b"\xfe\xed\xfa\xcf", "برنامهٔ اجرایی (Mach-O)", "an executable program (Mach-O)"),
    (b"\x1f\x8b", "فایل فشردهٔ gzip", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "فایل فشردهٔ 7z", "a 7z archive"),
    (b"Rar!\x1a\x07", "فایل فشردهٔ RAR", "a RAR archive"),
    (b"BZh", "فایل فشردهٔ bzip2", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "فایل فشردهٔ xz", "an xz archive"),
    (b"\x28\xb5\x2f\xfd", "فایل فشردهٔ zstd", "a zstd archive"),
    (b"\x00asm", "برنامهٔ WebAssembly", "a WebAssembly program"),
)


def _not_a_table(name: str, what_fa: str, what_en: str) -> FileRejected:
    suffix = PurePath(name).suffix or "—"
    return FileRejected(
        f"«{name}» {what_fa} است، نه جدول CSV یا Excel (نامش به «{suffix}» ختم می‌شود اما بایت‌های آغاز فایل "
        f"چیز دیگری می‌گویند)؛ {SAVE_AS_FA}",
        f"'{name}' is {what_en}, not a CSV or Excel table (its name ends in '{suffix}' but its first bytes say "
        f"otherwise); {SAVE_AS_EN}",
    )


def _sniff_binary(data: bytes, name: str) -> None:
    head = data[:64]
    for magic, what_fa, what_en in _SIGNATURES:
        if head.startswith(magic):
            if magic == b"BZh" and not head[3:10].startswith(tuple(b"%d1AY&SY" % d for d in range(1, 10))):
                continue  # a text that happens to start with "BZh"
            raise _not_a_table(name, what_fa, what_en)
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"AVI ", b"WAVE"):
        raise _not_a_table(name, "فایل تصویر یا صدا (RIFF)", "an image or sound file (RIFF)")
    if head.startswith(b"MZ") and b"\x00" in head:  # a Windows program; "MZ" alone could start a text
        raise _not_a_table(name, "برنامهٔ اجرایی ویندوز (‎.exe‎)", "a Windows program (.exe)")
    if data.startswith(_OLE_MAGIC):
        raise FileRejected(
            f"«{name}» کتاب کار رمزدار Excel یا کتاب کاری در قالب قدیمی ‎.xls‎ است (از آغاز فایل پیداست)؛ آن را "
            "در Excel باز کنید، رمز را بردارید (File > Info > Protect Workbook) و با «Save As» به‌صورت ‎.xlsx‎ "
            "ذخیره کنید",
            f"'{name}' is a password-protected Excel workbook or an old Excel 97-2003 (.xls) file (its first bytes "
            "say so); open it in Excel, remove the password (File > Info > Protect Workbook) and save it as .xlsx "
            "(File > Save As > Excel Workbook)",
        )


def _text_head(data: bytes) -> str:
    """The first characters of ``data`` as text, byte order mark dropped, leading blanks stripped."""
    head = data[:1024]
    for bom, encoding in _UTF16_BOMS.items():
        if head.startswith(bom):
            return head[2:].decode(encoding, errors="ignore").lstrip()
    if head.startswith(_UTF8_BOM):
        head = head[3:]
    return head.decode("utf-8", errors="ignore").lstrip()


def _check_markup(data: bytes, name: str) -> None:
    head = _text_head(data).lower()
    if len(head) < 2 or head[0] != "<" or not (head[1].isalpha() or head[1] in "!?"):
        return
    if head.startswith("<?xml") and "<html" not in head[:1024] and "<svg" not in head[:1024]:
        raise FileRejected(
            f"«{name}» فایل XML است، نه جدول CSV یا Excel (سطر اول با «<?xml» آغاز می‌شود؛ شاید «XML Spreadsheet "
            f"2003» باشد)؛ {SAVE_AS_FA}",
            f"'{name}' is an XML file, not a CSV or Excel table (its first line starts with '<?xml'; perhaps an "
            f"'XML Spreadsheet 2003'); {SAVE_AS_EN}",
        )
    raise FileRejected(
        f"«{name}» صفحهٔ وب (HTML) است، نه جدول CSV یا Excel (سطر اول با «<» آغاز می‌شود)؛ شاید به‌جای فایل، صفحهٔ "
        f"دریافت آن ذخیره شده است. {SAVE_AS_FA}",
        f"'{name}' is a web page (HTML), not a CSV or Excel table (its first line starts with '<'); perhaps the "
        f"download page was saved instead of the file. {SAVE_AS_EN}",
    )


def _utf16_encoding(data: bytes) -> str | None:
    """The UTF-16 byte order of ``data`` when it is UTF-16 text: a byte order mark, or NUL bytes
    falling (almost) all on odd or all on even offsets, as ASCII letters written in UTF-16 do."""
    for bom, encoding in _UTF16_BOMS.items():
        if data.startswith(bom):
            return encoding
    head = data[:65536]
    if len(data) % 2 or not head:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if max(even, odd) < len(head) // 20:  # too few NULs for ASCII characters in UTF-16
        return None
    if odd >= 0.9 * (even + odd):
        return "utf-16-le"
    if even >= 0.9 * (even + odd):
        return "utf-16-be"
    return None


def _line_at(data: bytes, offset: int) -> int:
    """The 1-based line of the byte at ``offset`` (a line ends with \\n, \\r\\n or \\r)."""
    return data.count(b"\n", 0, offset) + data.count(b"\r", 0, offset) - data.count(b"\r\n", 0, offset) + 1


def _check_nul(data: bytes, name: str) -> None:
    offset = data.find(b"\x00")
    if offset < 0:
        return
    line = _line_at(data, offset)
    raise FileRejected(
        f"«{name}» فایل متنی CSV نیست: در سطر {fa_number(line)} (بایت {fa_number(offset)} از آغاز فایل) بایت تهی "
        f"(‎0x00‎) دارد که در فایل متنی نمی‌آید، پس فایل دودویی یا خراب است. {SAVE_AS_FA}",
        f"'{name}' is not a text CSV file: it has a NUL byte (0x00) on line {line} (byte offset {offset} from the "
        f"start of the file), which no text holds, so the file is binary or damaged. {SAVE_AS_EN}",
    )


_CHUNK = 8 * MB


def _scan_lines(data: bytes, max_line: int) -> tuple[int, int | None]:
    """(lines that hold something, offset of the first line longer than ``max_line`` or None),
    reading ``data`` in slices so the scan needs a few megabytes whatever the file's size."""
    view = np.frombuffer(data, dtype=np.uint8)
    filled, previous_end = 0, -1
    for start in range(0, len(view), _CHUNK):
        part = view[start : start + _CHUNK]
        ends = np.flatnonzero((part == 10) | (part == 13)) + start
        if not ends.size:
            if start + len(part) - previous_end - 1 > max_line:
                return filled, previous_end + 1
            continue
        lengths = np.diff(ends, prepend=previous_end) - 1
        long = np.flatnonzero(lengths > max_line)
        if long.size:
            first = int(long[0])
            return filled + int(np.count_nonzero(lengths[:first])), int(ends[first] - lengths[first])
        filled += int(np.count_nonzero(lengths))
        previous_end = int(ends[-1])
    last = len(view) - previous_end - 1
    if last > max_line:
        return filled, previous_end + 1
    return filled + (1 if last > 0 else 0), None


def _check_lines(data: bytes, name: str, limits: Limits, encoding: str | None) -> None:
    if encoding is not None:  # UTF-16: every line ends in a two-byte line feed
        check_rows(max(data.count("\n".encode(encoding)) - 1, 0), name, limits)
        return
    filled, long_at = _scan_lines(data, limits.max_line_bytes)
    if long_at is not None:
        line = _line_at(data, long_at)
        end = min((i for i in (data.find(b"\n", long_at), data.find(b"\r", long_at)) if i >= 0), default=len(data))
        size_fa, size_en = _size_text(end - long_at)
        limit_fa, limit_en = _size_text(limits.max_line_bytes)
        raise FileRejected(
            f"سطر {fa_number(line)} در «{name}» {size_fa} است و از بیشینهٔ طول یک سطر ({limit_fa}) بلندتر؛ یک ردیف "
            "گزارش منطقه چند صد نویسه است. بررسی کنید فایل واقعاً جدول CSV باشد و سطرهایش با Enter از هم جدا شده "
            "باشند، سپس آن را از Excel دوباره به‌صورت «CSV UTF-8» ذخیره کنید",
            f"line {line} of '{name}' is {size_en}, longer than the longest line accepted ({limit_en}); a row of a "
            "district report is a few hundred characters. Check that the file really is a CSV table with one row a "
            "line, then save it again from Excel as 'CSV UTF-8'",
        )
    check_rows(max(filled - 1, 0), name, limits)  # the header line is not a data row


# ---------------------------------------------------------------- zip archives (.xlsx)

_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_CD_BYTES_PER_ENTRY = 512  # a central directory entry: 46 bytes, its name and extra fields


def _directory_claims(data: bytes) -> tuple[int, int] | None:
    """(entries, central directory bytes) as the end record says, read before ``zipfile`` builds an
    object for each entry; None when there is no end record."""
    at = data.rfind(_EOCD, max(0, len(data) - 65_557))
    if at < 0 or len(data) < at + 22:
        return None
    entries, cd_size = struct.unpack_from("<HI", data, at + 10)
    locator = at - 20
    if (entries == 0xFFFF or cd_size == 0xFFFFFFFF) and locator >= 0 and data[locator : locator + 4] == _EOCD64_LOCATOR:
        (record,) = struct.unpack_from("<Q", data, locator + 8)
        if record + 56 <= len(data) and data[record : record + 4] == b"PK\x06\x06":
            entries, cd_size = struct.unpack_from("<QQ", data, record + 32)
    return entries, cd_size


def _too_many_entries(name: str, count: int, limits: Limits) -> FileRejected:
    return FileRejected(
        f"«{name}» {fa_number(count)} بخش فشرده دارد و بیش از {fa_number(limits.max_zip_entries)} بخش پذیرفته "
        "نمی‌شود؛ کتاب کار Excel چند ده بخش دارد. داده را در کتاب کار تازه‌ای از Excel ذخیره کنید",
        f"'{name}' holds {count:,} packed parts, more than the {limits.max_zip_entries:,} accepted (an Excel "
        "workbook has a few dozen); save the data in a new workbook from Excel",
    )


def _inflates_too_much(name: str, part: str, size: int, packed: int | None, limits: Limits) -> FileRejected:
    size_fa, size_en = _size_text(size)
    limit_fa, limit_en = _size_text(limits.max_inflated_bytes)
    if packed is not None:
        packed_fa, packed_en = _size_text(packed)
        grow_fa = f"بخش «{part}» از {packed_fa} به {size_fa} باز می‌شود"
        grow_en = f"the part '{part}' unpacks from {packed_en} to {size_en}"
    else:
        grow_fa = f"بخش‌هایش روی هم به {size_fa} باز می‌شوند (بزرگ‌ترین: «{part}»)"
        grow_en = f"its parts unpack to {size_en} together (the largest: '{part}')"
    return FileRejected(
        f"«{name}» کتاب کاری است که {grow_fa}؛ بیشینه {limit_fa} است و نسبت باز شدن هر بخش بیش از "
        f"{fa_number(limits.max_ratio)} برابر پذیرفته نمی‌شود. اگر فایل را خودتان ساخته‌اید، در Excel ردیف‌ها و "
        "ستون‌های خالی پس از داده را پاک کنید (Ctrl+End آخرین خانهٔ به‌کاررفته را نشان می‌دهد)، یا داده را چند "
        "فایل کنید و دوباره ذخیره کنید",
        f"'{name}' is a workbook where {grow_en}; at most {limit_en} is accepted, and no part may unpack to more "
        f"than {limits.max_ratio:g} times its packed size. If you made the file, delete the empty rows and columns "
        "after the data in Excel (Ctrl+End shows the last cell in use) or split the data into several files, and "
        "save it again",
    )


def _not_a_workbook(name: str, names: list[str]) -> FileRejected:
    lowered = {n.lower() for n in names}
    if "xl/workbook.bin" in lowered:
        what_fa, what_en = "کتاب کار دودویی Excel (‎.xlsb‎)", "a binary Excel workbook (.xlsb)"
    elif "content.xml" in lowered and "mimetype" in lowered:
        what_fa, what_en = "سند OpenDocument (مثلاً ‎.ods‎ از LibreOffice)", "an OpenDocument file (.ods, say)"
    elif "word/document.xml" in lowered:
        what_fa, what_en = "سند Word (‎.docx‎)", "a Word document (.docx)"
    elif "ppt/presentation.xml" in lowered:
        what_fa, what_en = "ارائهٔ PowerPoint (‎.pptx‎)", "a PowerPoint presentation (.pptx)"
    else:
        shown = ", ".join(names[:5]) + (", …" if len(names) > 5 else "")
        inside_fa = f"، درونش: {shown}" if names else "، که خالی است"
        inside_en = f", holding {shown}" if names else ", an empty one"
        return FileRejected(
            f"«{name}» فایل فشردهٔ zip است{inside_fa}، نه کتاب کار Excel (xl/workbook.xml ندارد)؛ اگر درونش "
            "فایل CSV است، آن را از حالت فشرده درآورید و هر CSV را جدا بارگذاری کنید؛ وگرنه داده را از Excel "
            "به‌صورت ‎.xlsx‎ ذخیره کنید",
            f"'{name}' is a zip archive{inside_en}, not an Excel workbook (it has no xl/workbook.xml); if it holds "
            "CSV files, unzip it and load each CSV on its own; otherwise save the data from Excel as .xlsx",
        )
    return _not_a_table(name, what_fa, what_en)


def check_archive(data: bytes, name: str, limits: Limits | None = None) -> None:
    """Refuse a zip that is not a plain .xlsx workbook, or one that would unpack past the limits,
    from its directory alone: nothing is decompressed."""
    limits = limits or limits_from_env()
    claims = _directory_claims(data)
    if claims is not None:
        entries, cd_size = claims
        if entries > limits.max_zip_entries or cd_size > limits.max_zip_entries * _CD_BYTES_PER_ENTRY:
            raise _too_many_entries(name, max(entries, cd_size // _CD_BYTES_PER_ENTRY), limits)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError, EOFError) as exc:
        raise FileRejected(
            f"فایل Excel «{name}» باز نشد: فایل فشرده (zip یا ‎.xlsx‎) خراب یا ناقص است؛ اگر در Excel باز می‌شود، "
            "آن را دوباره به‌صورت ‎.xlsx‎ ذخیره کنید؛ وگرنه فایل را دوباره دریافت کنید",
            f"cannot open the Excel file '{name}': it is a damaged or incomplete zip (.xlsx) file "
            f"({type(exc).__name__}); if Excel opens it, save it again as .xlsx, otherwise fetch the file again",
        ) from exc
    if len(infos) > limits.max_zip_entries:
        raise _too_many_entries(name, len(infos), limits)
    names = [info.filename for info in infos]
    if any(info.flag_bits & 0x41 for info in infos):  # 0x1 encrypted, 0x40 strong encryption
        raise FileRejected(
            f"«{name}» فایل فشردهٔ رمزدار است و بدون رمز خوانده نمی‌شود؛ رمز را بردارید و داده را به‌صورت ‎.xlsx‎ "
            "بدون رمز ذخیره کنید",
            f"'{name}' is a password-protected (encrypted) zip and cannot be read; remove the password and save the "
            "data as an .xlsx without one",
        )
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _not_a_workbook(name, names)
    odd = next((i for i in infos if i.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)), None)
    if odd is not None:
        raise FileRejected(
            f"بخش «{odd.filename}» در «{name}» با روشی فشرده شده که Excel به کار نمی‌برد (روش {odd.compress_type})؛ "
            "فایل را در Excel باز کنید و دوباره به‌صورت ‎.xlsx‎ ذخیره کنید",
            f"the part '{odd.filename}' of '{name}' is packed with a method Excel never uses (method "
            f"{odd.compress_type}); open the file in Excel and save it again as .xlsx",
        )
    for info in infos:
        packed = max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor_bytes and info.file_size / packed > limits.max_ratio:
            raise _inflates_too_much(name, info.filename, info.file_size, info.compress_size, limits)
        if info.file_size > limits.max_inflated_bytes:
            raise _inflates_too_much(name, info.filename, info.file_size, info.compress_size, limits)
    total = sum(info.file_size for info in infos)
    if total > limits.max_inflated_bytes:
        largest = max(infos, key=lambda i: i.file_size)
        raise _inflates_too_much(name, largest.filename, total, None, limits)


class _BoundedPart(io.RawIOBase):
    """A part of a zip read through ``zipfile``, refusing the file once ``limit`` bytes came out
    or when the part turns out damaged (a bad checksum, a broken stream)."""

    def __init__(self, stream, part: str, limit: int, name: str) -> None:
        super().__init__()
        self._stream = stream
        self._part = part
        self._limit = limit
        self._name = name
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        want = len(buffer)
        try:
            chunk = self._stream.read(min(want, self._limit - self.count + 1))
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise FileRejected(
                f"بخش «{self._part}» در «{self._name}» خراب است (با آنچه فهرست فایل فشرده می‌گوید نمی‌خواند)؛ "
                "فایل را در Excel باز کنید و دوباره به‌صورت ‎.xlsx‎ ذخیره کنید، یا آن را دوباره دریافت کنید",
                f"the part '{self._part}' of '{self._name}' is damaged (it does not match what the zip's directory "
                f"says: {type(exc).__name__}); open the file in Excel and save it again as .xlsx, or fetch it again",
            ) from exc
        self.count += len(chunk)
        if self.count > self._limit:
            limit_fa, limit_en = _size_text(self._limit)
            raise FileRejected(
                f"بخش «{self._part}» در «{self._name}» بیش از {limit_fa} باز می‌شود، بیش از آنچه فهرست فایل فشرده "
                "می‌گوید یا بیش از بیشینه؛ فایل را در Excel باز کنید، ردیف‌ها و ستون‌های خالی پس از داده را پاک کنید و "
                "دوباره به‌صورت ‎.xlsx‎ ذخیره کنید",
                f"the part '{self._part}' of '{self._name}' unpacks to more than {limit_en}, more than the zip's "
                "directory says or than is accepted; open the file in Excel, delete the empty rows and columns after "
                "the data and save it again as .xlsx",
            )
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        try:
            self._stream.close()
        finally:
            super().close()


def bounded_open(zf: zipfile.ZipFile, info: zipfile.ZipInfo | str, limit: int, name: str = "") -> io.BufferedReader:
    """``zf.open(info)`` for reading, refusing the file (``FileRejected``) once more than ``limit``
    bytes come out of the part or when the part is damaged: the guard for a zip whose directory
    lies about a part's size. ``name`` is the file's name, for the message."""
    info = zf.getinfo(info) if isinstance(info, str) else info
    raw = _BoundedPart(zf.open(info), info.filename, limit, name or zf.filename or "")
    return io.BufferedReader(raw, buffer_size=64 * 1024)


# ---------------------------------------------------------------- the whole check


def check_content(data: bytes, name: str, limits: Limits | None = None) -> None:
    """Refuse bytes that are not a CSV or .xlsx table the loader can read in bounded memory:
    see the module's docstring for the list. Nothing is decompressed or parsed."""
    limits = limits or limits_from_env()
    check_size(len(data), name, limits)
    if PurePath(name).suffix.lower() not in TABLE_SUFFIXES:
        return  # the readers refuse the type by its name, naming the types they take
    if not data:
        raise FileRejected(
            f"فایل «{name}» خالی است (۰ بایت)؛ فایل درست را دوباره ذخیره و بارگذاری کنید",
            f"the file '{name}' is empty (0 bytes); save the right file again and load it",
        )
    if data.startswith(_ZIP_MAGICS):
        check_archive(data, name, limits)
        return
    _sniff_binary(data, name)
    body = data
    for bom in (_UTF8_BOM, *_UTF16_BOMS):
        if body.startswith(bom):
            body = body[len(bom) :]
            break
    if not body.strip(b" \t\r\n\x00"):
        raise FileRejected(
            f"«{name}» هیچ داده‌ای ندارد (فقط نشانهٔ ترتیب بایت یا فاصلهٔ خالی)؛ فایلی را بارگذاری کنید که سطر عنوان "
            "و ردیف‌های داده دارد",
            f"'{name}' holds no data (only a byte order mark or blank space); load a file with a header row and "
            "data rows",
        )
    _check_markup(data, name)
    encoding = _utf16_encoding(data) if b"\x00" in data[:65536] or data.startswith(tuple(_UTF16_BOMS)) else None
    if encoding is None:
        _check_nul(data, name)
    _check_lines(data, name, limits, encoding)


# ---------------------------------------------------------------- error lists


class ErrorBudget(Generic[T]):
    """The first ``limit`` errors kept, every one counted: a file of a million bad rows makes a
    list of a few hundred and a total, not a million objects."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.kept: list[T] = []
        self.total = 0

    def add(self, error: T) -> bool:
        """Count ``error`` and keep it while there is room; False once the budget is full."""
        self.total += 1
        if len(self.kept) < self.limit:
            self.kept.append(error)
        return len(self.kept) < self.limit

    def extend(self, errors: Iterable[T]) -> None:
        for error in errors:
            self.add(error)

    def count(self, n: int) -> None:
        """Count ``n`` errors that were not built (a vectorised check that knows only how many)."""
        self.total += n

    @property
    def full(self) -> bool:
        return len(self.kept) >= self.limit

    @property
    def dropped(self) -> int:
        return self.total - len(self.kept)

    def note(self) -> Message | None:
        """«the first N of M are listed», or None when every error is listed."""
        if not self.dropped:
            return None
        return Message(
            f"{fa_number(len(self.kept))} مورد نخست از {fa_number(self.total)} مورد نادرست فهرست شده است",
            f"the first {len(self.kept):,} of {self.total:,} wrong values are listed",
        )
