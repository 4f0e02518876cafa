"""Messy-but-valid district files, generated as bytes, each with the observations it must give.

Every case is a file as districts really send them (Excel's "Unicode text", Windows-1256, the
Arabic comma, merged cells, totals rows, several sheets, number words, Gregorian dates, event
logs...) and what reading it must store: the exact (district, metric, period) -> value, and a
Persian fragment of each note the reader must write. ``CASES`` is what the tests run.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from openpyxl import Workbook

from monitoring import calendar

Key = tuple[int, str, dt.date]
MEHR, ABAN, AZAR = (calendar.month_start(1404, m) for m in (7, 8, 9))


@dataclass(frozen=True)
class Case:
    id: str
    name: str  # the file name
    data: bytes
    expected: dict[Key, float]  # every observation the file must store
    notes: tuple[str, ...] = ()  # a fragment of each note, in order
    sheets: tuple[str, ...] = ()  # the sheets read
    shape: str = "long"
    blank: int = 0  # cells that mean "not reported"
    options: dict = field(default_factory=dict)  # period=, sheet=


def text_file(lines: list[str], encoding: str = "utf-8", bom: bool = False, newline: str = "\n") -> bytes:
    body = newline.join(lines) + newline
    if encoding == "utf-16":  # Excel's "Unicode text": UTF-16 LE with its BOM
        return b"\xff\xfe" + body.encode("utf-16-le")
    return (b"\xef\xbb\xbf" if bom else b"") + body.encode(encoding)


def workbook(sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None) -> bytes:
    """A workbook with a sheet per entry (rows from A1) and the given merged ranges."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for ref in (merges or {}).get(title, []):
            sheet.merge_cells(ref)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cases() -> list[Case]:
    cases = [
        Case(
            "utf8-bom-persian-headers",
            "mehr.csv",
            text_file(["منطقه,شاخص,ماه,مقدار", "۷,اخبار منتشرشده,مهر ۱۴۰۴,۱۲", "8,news_published,1404/07,3"], bom=True),
            {(7, "news_published", MEHR): 12.0, (8, "news_published", MEHR): 3.0},
        ),
        Case(
            "excel-unicode-text-utf16-tab",
            "report.txt",
            text_file(
                [
                    "منطقه\tشاخص\tدوره\tمقدار",
                    "۳\tگزارش‌های ارسالی به مرکز\t۱۴۰۴/۰۷\t۵",
                    "۴\treports_submitted\t۱۴۰۴/۰۸\t6",
                ],
                encoding="utf-16",
                newline="\r\n",
            ),
            {(3, "reports_submitted", MEHR): 5.0, (4, "reports_submitted", ABAN): 6.0},
        ),
        Case(
            "windows-1256-with-arabic-letters",
            "old.csv",
            text_file(
                ["منطقه,شاخص,ماه,مقدار", "1,اخبار منتشرشده,1404/07,5", "2,گزارشهاي ارسالي به مرکز,1404/07,9"],
                encoding="cp1256",
                newline="\r\n",
            ),
            {(1, "news_published", MEHR): 5.0, (2, "reports_submitted", MEHR): 9.0},
        ),
        Case(
            "arabic-comma-separated",
            "arabic_comma.csv",
            text_file(["منطقه،شاخص،دوره،مقدار", "۵،news_published،۱۴۰۴/۰۷،۱۱", '۶،news_published،۱۴۰۴/۰۷،"۱۲"']),
            {(5, "news_published", MEHR): 11.0, (6, "news_published", MEHR): 12.0},
        ),
        Case(
            "semicolon-wide-with-metric-names",
            "wide.csv",
            text_file(["منطقه;دوره;اخبار منتشرشده;ملاقات‌های مردمی", "1;1404/08;4;7", "2;1404/08;5;"]),
            {(1, "news_published", ABAN): 4.0, (1, "public_meetings", ABAN): 7.0, (2, "news_published", ABAN): 5.0},
            shape="wide",
            blank=1,
        ),
        Case(
            "stray-spaces-zwnj-and-arabic-letters-everywhere",
            "spaces.csv",
            text_file(
                [
                    "  منطقه\u200c ,  شاخص , ماه\u200c , مقدار  ",
                    " منطقه\u200c ۹ , اخبار  منتشر\u200cشده ,  مهر\u200c۱۴۰۴  ,  ۱۲ ",
                    "\u200c۱۰\u200c,  گزارش‌هاي ارسالي به مرکز ,۱۴۰۴ / ۰۷, 3 ",
                ]
            ),
            {(9, "news_published", MEHR): 12.0, (10, "reports_submitted", MEHR): 3.0},
        ),
        Case(
            "numbers-in-every-script",
            "numbers.csv",
            text_file(
                [
                    "district,metric,period,value",
                    '1,response_time_137_hours,1404/07,"۱٬۲۳۴٫۵"',
                    "2,training_hours,1404/07,٣٤٥",
                    "3,meeting_requests_resolved_pct,1404/07,۸۵٪",
                    "4,meeting_requests_resolved_pct,1404/07,92.5%",
                    "5,training_hours,1404/07,-",
                    "6,training_hours,1404/07,",
                ]
            ),
            {
                (1, "response_time_137_hours", MEHR): 1234.5,
                (2, "training_hours", MEHR): 345.0,
                (3, "meeting_requests_resolved_pct", MEHR): 85.0,
                (4, "meeting_requests_resolved_pct", MEHR): 92.5,
            },
            blank=2,
        ),
        Case(
            "district-written-every-way",
            "districts.csv",
            text_file(
                ["منطقه,شاخص,ماه,مقدار"]
                + [
                    f"{written},news_published,1404/07,{n}"
                    for n, written in enumerate(
                        [
                            "7",
                            "منطقه ۸",
                            "٩",
                            "منطقه هفده",
                            "منطقه بیست و دو",
                            "منطقه‌ی ۲۰",
                            "District 3",
                            "District four",
                            "منطقه‌ي بيست‌ويک",
                            "منطقهٔ یازده",
                        ],
                        start=1,
                    )
                ]
            ),
            {
                (7, "news_published", MEHR): 1.0,
                (8, "news_published", MEHR): 2.0,
                (9, "news_published", MEHR): 3.0,
                (17, "news_published", MEHR): 4.0,
                (22, "news_published", MEHR): 5.0,
                (20, "news_published", MEHR): 6.0,
                (3, "news_published", MEHR): 7.0,
                (4, "news_published", MEHR): 8.0,
                (21, "news_published", MEHR): 9.0,
                (11, "news_published", MEHR): 10.0,
            },
        ),
        Case(
            "period-written-every-way",
            "periods.csv",
            text_file(
                ["district,metric,period,value"]
                + [
                    f"{n},news_published,{written},{n}"
                    for n, written in enumerate(
                        ["1404/07", "۱۴۰۴-۰۷", "1404/7", "مهر ۱۴۰۴", "۱۴۰۴/۰۷/۱۲", "۱۲ مهر ۱۴۰۴", "آبان‌ماه ۱۴۰۴"],
                        start=1,
                    )
                ]
            ),
            {(n, "news_published", MEHR): float(n) for n in range(1, 7)} | {(7, "news_published", ABAN): 7.0},
        ),
        Case(
            "gregorian-dates-converted",
            "gregorian.csv",
            text_file(
                [
                    "district,metric,date,value",
                    "1,news_published,2025-10-05,4",  # 13 Mehr 1404
                    "2,news_published,2025-10-23,5",  # 1 Aban 1404
                    "3,news_published,۲۰۲۵/۱۰/۰۶,6",
                    "4,news_published,1404/07,7",
                ]
            ),
            {
                (1, "news_published", MEHR): 4.0,
                (2, "news_published", ABAN): 5.0,
                (3, "news_published", MEHR): 6.0,
                (4, "news_published", MEHR): 7.0,
            },
            notes=("۳ تاریخ میلادی به ماه شمسی برگردانده شد",),
        ),
        Case(
            "totals-rows-in-a-csv",
            "totals.csv",
            text_file(
                [
                    "ردیف,منطقه,دوره,news_published,public_meetings",
                    "1,1,1404/07,3,4",
                    "2,2,1404/07,5,6",
                    ",جمع,1404/07,8,10",
                    "جمع کل,,1404/07,8,10",
                    "3,Total,1404/07,8,10",
                ]
            ),
            {
                (1, "news_published", MEHR): 3.0,
                (1, "public_meetings", MEHR): 4.0,
                (2, "news_published", MEHR): 5.0,
                (2, "public_meetings", MEHR): 6.0,
            },
            notes=("«ردیف» (A)", "۳ ردیف جمع"),
            shape="wide",
        ),
    ]
    cases += _workbook_cases()
    cases += _event_cases()
    return cases


def _workbook_cases() -> list[Case]:
    merged = workbook(
        {
            "مهر": [
                ["گزارش ماهانهٔ مناطق — مهر ۱۴۰۴", None, None, None],
                ["منطقه", "شاخص", "ماه", "مقدار"],
                ["منطقه ۳", "news_published", "1404/07", 4],
                [None, "public_meetings", "1404/07", 5],
                [None, "citizen_polls", "1404/07", 1],
                [12, "news_published", "1404/07", 9],
                ["جمع کل", None, None, 19],
            ]
        },
        merges={"مهر": ["A1:D1", "A3:A5"]},
    )
    months = workbook(
        {
            "راهنما": [["این فایل را پیش از فرستادن بازبینی کنید"], ["ستون‌ها: منطقه، دوره، شاخص‌ها"]],
            "مهر ۱۴۰۴": [
                ["آمار مهر"],
                [],
                ["منطقه", "دوره", "news_published", "reports_submitted"],
                [1, "1404/07", 3, 2],
                [2, "1404/07", 4, None],
            ],
            "آبان ۱۴۰۴": [
                ["منطقه", "دوره", "اخبار منتشرشده"],
                [1, "1404/08", 6],
                ["منطقه ۲", "1404/08", 7],
                ["جمع", None, 13],
            ],
        }
    )
    excel_dates = workbook(
        {
            "Sheet1": [
                ["district", "metric", "period", "value"],
                [5, "news_published", dt.datetime(2025, 10, 5), 8],
                [6, "news_published", dt.date(2025, 11, 1), 9],
                [7, "news_published", "1404/07", 10],
            ]
        }
    )
    wide_merged_district = workbook(
        {
            "data": [
                ["منطقه", "دوره", "اخبار منتشرشده"],
                [4, "1404/07", 1],
                [None, "1404/08", 2],
                [None, "1404/09", None],
            ]
        },
        merges={"data": ["A2:A4"]},
    )
    return [
        Case(
            "xlsx-merged-title-and-district-and-totals",
            "merged.xlsx",
            merged,
            {
                (3, "news_published", MEHR): 4.0,
                (3, "public_meetings", MEHR): 5.0,
                (3, "citizen_polls", MEHR): 1.0,
                (12, "news_published", MEHR): 9.0,
            },
            notes=("۱ ردیف جمع",),
            sheets=("مهر",),
        ),
        Case(
            "xlsx-every-sheet-its-own-header-one-skipped",
            "months.xlsx",
            months,
            {
                (1, "news_published", MEHR): 3.0,
                (1, "reports_submitted", MEHR): 2.0,
                (2, "news_published", MEHR): 4.0,
                (1, "news_published", ABAN): 6.0,
                (2, "news_published", ABAN): 7.0,
            },
            notes=("راهنما", "۱ ردیف جمع"),
            sheets=("مهر ۱۴۰۴", "آبان ۱۴۰۴"),
            shape="wide",
            blank=1,
        ),
        Case(
            "xlsx-one-sheet-chosen-by-name",
            "months.xlsx",
            months,
            {(1, "news_published", ABAN): 6.0, (2, "news_published", ABAN): 7.0},
            notes=("۱ ردیف جمع",),
            sheets=("آبان ۱۴۰۴",),
            shape="wide",
            options={"sheet": "آبان  ۱۴۰۴"},
        ),
        Case(
            "xlsx-excel-date-cells-as-periods",
            "dates.xlsx",
            excel_dates,
            {(5, "news_published", MEHR): 8.0, (6, "news_published", ABAN): 9.0, (7, "news_published", MEHR): 10.0},
            notes=("۲ تاریخ میلادی به ماه شمسی برگردانده شد",),
            sheets=("Sheet1",),
        ),
        Case(
            "xlsx-wide-district-merged-down",
            "wide_merged.xlsx",
            wide_merged_district,
            {(4, "news_published", MEHR): 1.0, (4, "news_published", ABAN): 2.0},
            sheets=("data",),
            shape="wide",
            blank=1,
        ),
    ]


def _event_cases() -> list[Case]:
    utf16_log = text_file(
        [
            "تاریخ\tمنطقه\tنوع رویداد\tعنوان",
            "۱۴۰۴/۰۷/۰۳\t۷\tملاقات مردمی\tدیدار با ساکنان محله",
            "۱۴۰۴/۰۷/۱۰\tمنطقه ۷\tملاقات‌مردمی\tدیدار دوم",
            "۱۴۰۴/۰۷/۱۵\t۷\tخبر\tافتتاح بوستان",
            "۱۴۰۴/۰۸/۰۱\t۷\tخبر\tجشنواره",
            "۱۴۰۴/۰۸/۰۲\t۸\tهمایش\tهمایش سالانه",
            "۱۴۰۴/۰۸/۰۳\t۸\tرویداد\tنمایشگاه",
            "۱۴۰۴/۰۸/۰۴\t۸\tنظرسنجي\tنظرسنجی پسماند",
        ],
        encoding="utf-16",
        newline="\r\n",
    )
    direct_types = workbook(
        {
            "رویدادها": [
                ["فهرست رویدادهای منطقه"],
                ["date", "district", "type"],
                [dt.datetime(2025, 10, 5), 3, "news_published"],
                [dt.datetime(2025, 10, 6), 3, "اخبار منتشرشده"],
                [dt.datetime(2025, 10, 6), 3, "گزارش"],
                ["1404/08/10", 4, "report"],
            ]
        },
        merges={"رویدادها": ["A1:C1"]},
    )
    cp1256_log = text_file(
        ["منطقه,نوع,تاريخ", "1,ملاقات,1404/07/01", "1,ملاقات,1404/07/02", "1,ملاقات,1404/07/03", "جمع,,3"],
        encoding="cp1256",
        newline="\r\n",
    )
    return [
        Case(
            "event-log-excel-unicode-text-persian-digits",
            "events.txt",
            utf16_log,
            {
                (7, "public_meetings", MEHR): 2.0,
                (7, "news_published", MEHR): 1.0,
                (7, "news_published", ABAN): 1.0,
                (8, "events_held", ABAN): 2.0,
                (8, "citizen_polls", ABAN): 1.0,
            },
            notes=("«عنوان»", "۷ رویداد در ۵ مقدار شمرده شد"),
            shape="events",
        ),
        Case(
            "event-log-xlsx-metric-codes-and-excel-dates",
            "events.xlsx",
            direct_types,
            {
                (3, "news_published", MEHR): 2.0,
                (3, "reports_submitted", MEHR): 1.0,
                (4, "reports_submitted", ABAN): 1.0,
            },
            notes=("۳ تاریخ میلادی", "۴ رویداد در ۳ مقدار"),
            sheets=("رویدادها",),
            shape="events",
        ),
        Case(
            "event-log-windows-1256-with-a-totals-row",
            "meetings.csv",
            cp1256_log,
            {(1, "public_meetings", MEHR): 3.0},
            notes=("۱ ردیف جمع", "۳ رویداد در ۱ مقدار"),
            shape="events",
        ),
    ]


CASES: list[Case] = _cases()
