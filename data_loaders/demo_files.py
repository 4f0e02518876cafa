"""Small demo files a user can try with the loader, written to ``sample_data/demo_files/``.

    python -m data_loaders demo-files

The figures come from the deterministic sample data (``data_loaders.sample``), so the files
are the same on every run (the Excel file byte for byte too). Every period is in 1404.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from data_loaders import sample
from monitoring import calendar, metrics
from monitoring.config import SAMPLE_DATA

DEMO_DIR = SAMPLE_DATA / "demo_files"
# the sample data as if generated at the start of 1405: every month of 1404 is complete
_SAMPLE_TODAY = dt.date(2026, 3, 21)
_FIXED_TIME = (2025, 3, 21, 0, 0, 0)

LONG_PERSIAN = "long_persian_headers.csv"
WIDE_EXCEL = "wide_persian_names.xlsx"
WIDE_NO_PERIOD = "wide_codes_no_period.csv"
MESSY = "messy.csv"
TARGETS = "targets_persian_headers.csv"

_LONG_METRICS = ("reports_submitted", "news_published", "public_meetings", "requests_137_resolved_pct")
_MESSY_METRICS = ("reports_submitted", "news_published", "meeting_requests_resolved_pct")


def _month(df: pd.DataFrame, year: int, month: int) -> pd.DataFrame:
    return df[df["period"] == calendar.month_start(year, month)]


def _number(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}" if decimals else str(int(round(value)))


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:  # plain UTF-8, no BOM
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _long_persian(data: pd.DataFrame, path: Path) -> None:
    """Persian headers, Persian metric names, «منطقه ۷», «مهر ۱۴۰۴», values in Persian digits."""
    catalog = metrics.catalog()
    rows = []
    for month in (7, 8):
        part = _month(data, 1404, month).set_index(["district", "metric"])["value"]
        for district in range(1, 23):
            for code in _LONG_METRICS:
                value = part.get((district, code))
                text = "" if value is None else calendar.to_persian_digits(_number(value, catalog[code].decimals))
                rows.append(
                    [
                        f"منطقه {calendar.to_persian_digits(district)}",
                        catalog[code].name_fa,
                        calendar.month_label(1404, month),
                        text,
                    ]
                )
    _write_csv(path, ["منطقه", "شاخص", "ماه", "مقدار"], rows)


def _wide_excel(data: pd.DataFrame, path: Path) -> None:
    """A title row, a blank row, then ردیف | منطقه | دوره | one column per metric (Persian names)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    catalog = metrics.catalog()
    book = Workbook()
    sheet = book.active
    sheet.title = "آذر ۱۴۰۴"
    sheet.sheet_view.rightToLeft = True
    sheet.append([f"گزارش ماهانه‌ی مناطق ۲۲گانه — {calendar.month_label(1404, 9)}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(["ردیف", "منطقه", "دوره"] + [m.name_fa for m in catalog.values()])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    part = _month(data, 1404, 9).set_index(["district", "metric"])["value"]
    for district in range(1, 23):
        values = [part.get((district, code)) for code in catalog]
        sheet.append([district, district, "1404/09"] + [None if v is None else float(v) for v in values])
    book.properties.creator = "data_loaders.demo_files"
    book.properties.created = dt.datetime(*_FIXED_TIME)
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(_stable_zip(buffer.getvalue()))


def _stable_zip(data: bytes) -> bytes:
    """The same workbook with fixed timestamps, so writing it twice gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-03-21T00:00:00Z", content)
            info = zipfile.ZipInfo(item.filename, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content)
    return out.getvalue()


def _wide_no_period(data: pd.DataFrame, path: Path) -> None:
    """district + metric codes, no period column: load with --period 1404/10; a few cells not reported."""
    catalog = metrics.catalog()
    part = _month(data, 1404, 10).set_index(["district", "metric"])["value"]
    rows = []
    for district in range(1, 23):
        row = [str(district)]
        for code, m in catalog.items():
            value = part.get((district, code))
            not_reported = district in (4, 17) and code in ("social_posts", "citizen_polls")
            row.append("" if value is None or not_reported else _number(value, m.decimals))
        rows.append(row)
    _write_csv(path, ["district", *catalog], rows)


def _messy(data: pd.DataFrame, path: Path) -> None:
    """Long shape, English headers, good rows mixed with every kind of bad row."""
    catalog = metrics.catalog()
    part = _month(data, 1404, 11).set_index(["district", "metric"])["value"]
    rows = []
    for district in range(1, 9):
        for code in _MESSY_METRICS:
            value = part.get((district, code))
            rows.append(
                [str(district), code, "1404/11", "" if value is None else _number(value, catalog[code].decimals)]
            )
    rows[1][0] = "منطقه ۱"  # good: a district written in Persian
    rows[4][2] = "بهمن ۱۴۰۴"  # good: a period written in Persian
    rows[7][3] = calendar.to_persian_digits(rows[7][3])  # good: Persian digits
    rows[10][3] = ""  # not reported: neither stored nor an error
    rows += [
        ["23", "reports_submitted", "1404/11", "12"],  # no district 23
        ["5", "گزارش‌های ارسالی", "1404/11", "7"],  # unknown metric (close to a real one)
        ["6", "news_published", "1404/13", "40"],  # no month 13
        ["7", "news_published", "2025-12", "38"],  # a Gregorian month: it spans two Jalali months
        ["9", "reports_submitted", "1404/11", "زیاد"],  # not a number
        ["9", "news_published", "1404/11", "-4"],  # a negative count
        ["9", "meeting_requests_resolved_pct", "1404/11", "130"],  # a percentage above 100
        ["3", "news_published", "1404/11", "55"],  # the same as an earlier row
    ]
    _write_csv(path, ["district", "metric", "period", "value"], rows)


def _targets(data: pd.DataFrame, path: Path) -> None:
    """A targets file: Persian headers (منطقه، شاخص، ماه، هدف), «کل شهر» for city-wide targets,
    Persian metric names and months, Dey to Esfand 1404."""
    catalog = metrics.catalog()
    targets = sample.generate_targets(data, catalog)
    targets = targets[targets["period"] >= calendar.month_start(1404, 10)]
    rows = []
    for row in targets.sort_values(["period", "district", "metric"], kind="stable").itertuples(index=False):
        year, month = calendar.jalali_month_of(row.period)
        where = "کل شهر" if row.district == 0 else f"منطقه {calendar.to_persian_digits(row.district)}"
        value = calendar.to_persian_digits(_number(row.value, catalog[row.metric].decimals))
        rows.append([where, catalog[row.metric].name_fa, calendar.month_label(year, month), value])
    _write_csv(path, ["منطقه", "شاخص", "ماه", "هدف"], rows)


def write_demo_files(folder: Path | None = None) -> list[Path]:
    """Write the five demo files (and nothing else) into ``folder``; returns their paths."""
    folder = DEMO_DIR if folder is None else Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    data = sample.generate(today=_SAMPLE_TODAY)
    writers = {
        LONG_PERSIAN: _long_persian,
        WIDE_EXCEL: _wide_excel,
        WIDE_NO_PERIOD: _wide_no_period,
        MESSY: _messy,
        TARGETS: _targets,
    }
    paths = []
    for name, write in writers.items():
        write(data, folder / name)
        paths.append(folder / name)
    return paths
