"""Files that would store a wrong value in silence if the loader guessed, built in code: Excel's traps
(a period typed as a number, hidden sheets, formulas never computed, merged values), ambiguous numbers,
columns read past, and parts that a damaged or hostile workbook holds. Each builder returns bytes; the
raw workbooks are written part by part so they hold exactly the trap and nothing Excel would add."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import zipfile
from pathlib import Path

from openpyxl import Workbook

from tests.data_loaders.helpers import csv_bytes

LONG = ["منطقه", "شاخص", "دوره", "مقدار"]
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"


def book_bytes(
    sheets: list[tuple[str, list[list[object]]]],
    *,
    formats: dict[tuple[int, str], str] | None = None,
    hidden: dict[str, str] | None = None,
    merges: dict[int, list[str]] | None = None,
) -> bytes:
    """A workbook written by openpyxl: (title, rows) per sheet; ``formats`` maps (sheet index, cell) to a
    number format, ``hidden`` a title to 'hidden' or 'veryHidden', ``merges`` a sheet index to ranges."""
    book = Workbook()
    book.remove(book.active)
    for index, (title, rows) in enumerate(sheets):
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for (at, cell), number_format in (formats or {}).items():
            if at == index:
                sheet[cell].number_format = number_format
        for ref in (merges or {}).get(index, []):
            sheet.merge_cells(ref)
        if title in (hidden or {}):
            sheet.sheet_state = hidden[title]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def one_sheet(rows: list[list[object]], **kw) -> bytes:
    return book_bytes([("گزارش", rows)], **kw)


# ---------------------------------------------------------------- raw workbooks


def _cell_xml(ref: str, value: object) -> str:
    if isinstance(value, str) and value.startswith("<c"):
        return value.replace("REF", ref)  # a cell written by hand
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def sheet_xml(rows: list[list[object]], *, extra_cells: str = "", tail: str = "", main: str = _MAIN) -> str:
    from openpyxl.utils import get_column_letter

    body = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(_cell_xml(f"{get_column_letter(c)}{r}", v) for c, v in enumerate(row, start=1) if v is not None)
        if r == len(rows) and extra_cells:
            cells += extra_cells
        body.append(f'<row r="{r}">{cells}</row>')
    return f'<worksheet xmlns="{main}"><sheetData>{"".join(body)}</sheetData>{tail}</worksheet>'


def raw_book(
    sheets: list[tuple[str, str, str]],
    *,
    strings: list[str] | None = None,
    strings_xml: str | None = None,
    styles_xml: str | None = None,
    main: str = _MAIN,
) -> bytes:
    """A workbook part by part: (title, state, sheet XML) per sheet; shared strings and styles when given."""
    overrides = [
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    ]
    rels, entries, parts = [], [], {}
    for i, (title, state, xml) in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = xml
        overrides.append(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        )
        rels.append(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>')
        state_attr = f' state="{state}"' if state != "visible" else ""
        entries.append(f'<sheet name="{title}" sheetId="{i}"{state_attr} r:id="rId{i}"/>')
    if strings is not None or strings_xml is not None:
        if strings_xml is None:
            items = "".join(f"<si><t>{s}</t></si>" for s in strings)
            strings_xml = f'<sst xmlns="{main}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
        parts["xl/sharedStrings.xml"] = strings_xml
        overrides.append(
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
        rels.append(f'<Relationship Id="rIdS" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>')
    if styles_xml is not None:
        parts["xl/styles.xml"] = styles_xml
        overrides.append(
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        )
        rels.append(f'<Relationship Id="rIdT" Type="{_REL}/styles" Target="styles.xml"/>')
    content_types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>' + "".join(overrides) + "</Types>"
    )
    root_rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = f'<workbook xmlns="{main}" xmlns:r="{_REL}"><sheets>{"".join(entries)}</sheets></workbook>'
    book_rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(rels)
        + "</Relationships>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", root_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", book_rels)
        for name, xml in parts.items():
            archive.writestr(name, xml)
    return buffer.getvalue()


def raw_one(rows: list[list[object]], **kw) -> bytes:
    tail = kw.pop("tail", "")
    extra = kw.pop("extra_cells", "")
    return raw_book([("گزارش", "visible", sheet_xml(rows, extra_cells=extra, tail=tail))], **kw)


GOOD_ROWS = [LONG, [1, "news_published", "1404/07", 5], [2, "news_published", "1404/07", 6]]


def formulas_never_computed() -> bytes:
    """Written by a script, never opened in Excel: formulas without a saved result."""
    return one_sheet([LONG, [1, "news_published", "1404/07", "=2+3"], [2, "news_published", "1404/07", "=SUM(1,2)"]])


def stray_cell_far_right(rows: int = 5280, text: str = " ") -> bytes:
    """A real sheet with one stray cell in column XFD: the sheet's dimension claims 16,384 columns."""
    metrics = ("news_published", "public_meetings", "social_posts")
    body = [LONG] + [
        [1 + i % 22, metrics[(i // 27_456) % 3], f"{1300 + (i // 264) % 104}/{1 + (i // 22) % 12:02d}", i % 50]
        for i in range(rows)
    ]
    extra = f'<c r="XFD{len(body)}" t="inlineStr"><is><t>{text}</t></is></c>'
    xml = sheet_xml(body, extra_cells=extra).replace("<sheetData>", f'<dimension ref="A1:XFD{len(body)}"/><sheetData>')
    return raw_book([("گزارش", "visible", xml)])


def many_sheets(count: int = 20_000) -> bytes:
    """A workbook listing ``count`` sheets (all pointing at one small part)."""
    sheet = sheet_xml(GOOD_ROWS)
    entries = "".join(f'<sheet name="s{i}" sheetId="{i + 1}" r:id="rId1"/>' for i in range(count))
    buffer = io.BytesIO(raw_book([("s", "visible", sheet)]))
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{entries}</sheets></workbook>'.encode()
            dst.writestr(info.filename, data)
    return out.getvalue()


def many_shared_strings(count: int = 2_000_000) -> bytes:
    """A shared-strings part of ``count`` tiny strings (a few MB packed)."""
    items = "<si><t>x</t></si>" * count
    xml = f'<sst xmlns="{_MAIN}" count="{count}" uniqueCount="{count}">{items}</sst>'
    return raw_one(GOOD_ROWS, strings_xml=xml)


def many_columns(width: int = 1_500) -> bytes:
    header = LONG + [f"c{i}" for i in range(width)]
    return raw_one([header, [1, "news_published", "1404/07", 5] + list(range(width))])


def strict_book() -> bytes:
    """Saved as 'Strict Open XML Spreadsheet': its namespace is not the transitional one."""
    return raw_book([("گزارش", "visible", sheet_xml(GOOD_ROWS, main=_STRICT_MAIN))], main=_STRICT_MAIN)


# ---------------------------------------------------------------- boundaries


def zigzag_boundary(points: int = 30_000) -> bytes:
    """A 670 KB-class boundary whose every vertex is a corner: the worst case of Douglas–Peucker."""
    ring = [[round(51.3 + 0.3 * i / points, 6), round(35.6 + (0.002 if i % 2 else 0.0), 6)] for i in range(points)]
    ring += [[51.6, 35.8], [51.3, 35.8], ring[0]]
    feature = {"type": "Feature", "properties": {"district": 7}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()


def deep_geojson(depth: int = 100_000) -> bytes:
    return b'{"type": "FeatureCollection", "features": ' + b"[" * depth + b"]" * depth + b"}"


def square_feature(district: int, lon: float = 51.4, lat: float = 35.7, size: float = 0.01) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {
        "type": "Feature",
        "properties": {"district": district},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def many_faults_boundaries(count: int = 5_000) -> bytes:
    features = [{"type": "Feature", "properties": {"district": 99}, "geometry": None} for _ in range(count)]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


__all__ = ["csv_bytes", "dt", "math"]


def write_many_shared_strings(path: Path, count: int) -> Path:
    """A workbook whose shared-strings part holds ``count`` distinct strings, streamed to disk."""
    base = io.BytesIO(raw_one(GOOD_ROWS, strings=["a"]))
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "xl/sharedStrings.xml":
                dst.writestr(info.filename, src.read(info.filename))
                continue
            with dst.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
                out.write(f'<sst xmlns="{_MAIN}" count="{count}" uniqueCount="{count}">'.encode())
                step = 100_000
                for start in range(0, count, step):
                    out.write("".join(f"<si><t>{i}</t></si>" for i in range(start, min(count, start + step))).encode())
                out.write(b"</sst>")
    return path
