"""Which column is which: the long shape (district, metric, period, value), the wide shape
(a district column and one column per metric) or an event log (district, date and type columns
and no value: one row per event, counted)."""

from __future__ import annotations

from dataclasses import dataclass, field

from data_loaders import normalise
from data_loaders.readers import RawTable, column_letter
from data_loaders.results import FileRejected
from monitoring import metrics

LONG, WIDE, EVENTS = "long", "wide", "events"
OBSERVATIONS, TARGETS = "observations", "targets"
_ROLE_FA = {
    "district": "منطقه",
    "metric": "شاخص",
    "period": "دوره",
    "value": "مقدار",
    "target": "هدف",
    "event_type": "نوع رویداد",
    "count": "تعداد",
}


@dataclass
class Layout:
    shape: str  # LONG, WIDE or EVENTS
    district: int
    period: int | None = None
    metric: int | None = None  # long only
    value: int | None = None  # long only
    metric_columns: dict[int, str] = field(default_factory=dict)  # wide only: position -> metric code
    kind: str = OBSERVATIONS  # TARGETS: a long file whose value column is headed «هدف» / target
    event_type: int | None = None  # events only: the column naming each event's type
    count: int | None = None  # events only: how many events each row stands for («تعداد»)
    ignored: list[tuple[int, str]] = field(default_factory=list)  # columns read past: (position, IGNORED or "unknown")


def _where(table: RawTable, position: int) -> str:
    return f"«{table.headers[position]}» ({column_letter(position)})"


def _where_en(table: RawTable, position: int) -> str:
    return f"'{table.headers[position]}' (column {column_letter(position)})"


def find_layout(table: RawTable, catalog: dict[str, metrics.Metric]) -> Layout:
    """Recognise every column against ``catalog``, or refuse the file naming the column that cannot be placed."""
    roles: dict[str, list[int]] = {}
    metric_columns: dict[int, str] = {}
    unknown: list[int] = []
    unnamed_with_data: list[int] = []
    noted: list[tuple[int, str]] = []
    for position, header in enumerate(table.headers):
        if not normalise.clean_text(header):
            if position in table.cells.columns and (table.cells[position].str.strip() != "").any():
                unnamed_with_data.append(position)
            continue
        role, code = normalise.header_role(header, catalog)
        if role is None:
            unknown.append(position)
        elif code is not None:
            twin = next((p for p, c in metric_columns.items() if c == code), None)
            if twin is not None:
                raise FileRejected(
                    f"ستون‌های {_where(table, twin)} و {_where(table, position)} هر دو شاخص «{catalog[code].name_fa}» "
                    "هستند؛ یکی را حذف کنید",
                    f"columns {_where_en(table, twin)} and {_where_en(table, position)} are both the metric "
                    f"'{code}'; remove one",
                )
            metric_columns[position] = code
        elif role != normalise.IGNORED:
            roles.setdefault(role, []).append(position)
        else:
            noted.append((position, normalise.IGNORED))

    for role, positions in roles.items():
        if len(positions) > 1:
            a, b = positions[:2]
            raise FileRejected(
                f"ستون‌های {_where(table, a)} و {_where(table, b)} هر دو ستون {_ROLE_FA[role]} هستند؛ یکی را حذف کنید",
                f"columns {_where_en(table, a)} and {_where_en(table, b)} are both the {role} column; remove one",
            )
    one = {role: positions[0] for role, positions in roles.items()}
    district = one[normalise.DISTRICT]  # the header row was chosen for having one
    if normalise.TARGET in one:
        if normalise.COUNT in one:
            _misplaced_count(table, one[normalise.COUNT])
        return _with_ignored(_targets_layout(table, one, metric_columns, unnamed_with_data), noted, unknown)
    if normalise.COUNT in one and normalise.METRIC in one and normalise.VALUE not in one:
        one[normalise.VALUE] = one.pop(normalise.COUNT)  # a long file's count is its value

    if normalise.METRIC in one or normalise.VALUE in one:
        if normalise.METRIC not in one or normalise.VALUE not in one:
            missing, missing_fa = ("value", "مقدار") if normalise.METRIC in one else ("metric", "شاخص")
            raise FileRejected(
                f"ستون «{missing_fa}» پیدا نشد؛ فایل ستونی باید ستون‌های منطقه، شاخص، دوره و مقدار را داشته باشد",
                f"no '{missing}' column; a long file needs district, metric, period and value columns",
            )
        if metric_columns:
            position = next(iter(metric_columns))
            raise FileRejected(
                f"ستون {_where(table, position)} نام یک شاخص است، اما فایل ستون «شاخص» و «مقدار» هم دارد؛ "
                "یا شکل ستونی (منطقه، شاخص، دوره، مقدار) یا شکل جدولی (یک ستون برای هر شاخص) را به کار ببرید",
                f"column {_where_en(table, position)} is a metric, but the file also has 'metric' and 'value' "
                "columns; use either the long shape (district, metric, period, value) or the wide shape "
                "(one column per metric), not both",
            )
        if unnamed_with_data:
            position = unnamed_with_data[0]
            raise FileRejected(
                f"ستون بی‌عنوان {column_letter(position)} مقدار دارد؛ برای آن عنوان بگذارید یا پاکش کنید (اگر عددی "
                "با ویرگول هزارگان نوشته شده، ویرگول را بردارید یا عدد را میان گیومه بگذارید)",
                f"the untitled column {column_letter(position)} holds values; give it a header or remove it (if a "
                "number was written with a thousands comma, drop the comma or put the number in double quotes)",
            )
        if normalise.COUNT in one:
            _misplaced_count(table, one[normalise.COUNT])
        # the long shape reads past titled columns it does not know (a district name, notes...): noted
        found = Layout(LONG, district, one.get(normalise.PERIOD), one[normalise.METRIC], one[normalise.VALUE])
        return _with_ignored(found, noted, unknown)

    if normalise.EVENT_TYPE in one and not metric_columns:
        # an event log reads past titled columns it does not know (a title, a place, notes...): noted
        found = Layout(
            EVENTS,
            district,
            one.get(normalise.PERIOD),
            event_type=one[normalise.EVENT_TYPE],
            count=one.get(normalise.COUNT),
        )
        return _with_ignored(found, noted + [(p, "untitled") for p in unnamed_with_data], unknown)
    if normalise.COUNT in one:
        _misplaced_count(table, one[normalise.COUNT])

    if unknown or unnamed_with_data:
        position = (unknown or unnamed_with_data)[0]
        header = table.headers[position]
        choices = {k: catalog[c].name_fa for k, c in normalise.metric_keys(catalog).items()}
        guess = normalise.suggest(header, choices) if header else None
        hint_fa = f" شاید منظور «{guess}» است." if guess else ""
        hint_en = f" Did you mean '{guess}'?" if guess else ""
        what_fa = f"ستون {_where(table, position)}" if header else f"ستون بی‌عنوان {column_letter(position)}"
        what_en = f"column {_where_en(table, position)}" if header else f"the untitled column {column_letter(position)}"
        raise FileRejected(
            f"{what_fa} نه شاخص شناخته‌شده‌ای است و نه منطقه یا دوره؛ عنوان آن را به کد یا نام فارسی یک شاخص "
            f"تغییر دهید یا ستون را حذف کنید.{hint_fa} عنوان‌های پذیرفته: منطقه، دوره یا ماه، و کد یا نام فارسی "
            "شاخص‌ها (مانند reports_submitted یا «گزارش‌های ارسالی به مرکز»)",
            f"{what_en} is neither a known metric nor the district or period; rename it to a metric's code or "
            f"Persian name, or remove the column.{hint_en} Accepted headers: district, period (or month), and "
            "metric codes or Persian names (such as reports_submitted)",
        )
    if not metric_columns:
        raise FileRejected(
            "فایل ستون شاخصی ندارد؛ یا ستون‌های «شاخص» و «مقدار» بگذارید یا برای هر شاخص یک ستون",
            "the file has no metric columns; add 'metric' and 'value' columns, or one column per metric",
        )
    return _with_ignored(Layout(WIDE, district, one.get(normalise.PERIOD), metric_columns=metric_columns), noted, [])


def _with_ignored(layout: Layout, noted: list[tuple[int, str]], unknown: list[int]) -> Layout:
    layout.ignored = sorted(noted + [(p, "unknown") for p in unknown])
    return layout


def _misplaced_count(table: RawTable, position: int) -> None:
    raise FileRejected(
        f"ستون {_where(table, position)} تعداد است، اما در این فایل جایی ندارد: ستون تعداد در فهرست رویدادها (تاریخ، "
        "منطقه، نوع، تعداد) یا در فایل ستونی به‌جای «مقدار» (منطقه، شاخص، دوره، تعداد) می‌آید؛ عنوان ستون را درست کنید "
        "یا آن را حذف کنید",
        f"column {_where_en(table, position)} is a count, but it has no place in this file: a count column belongs "
        "to an event log (date, district, type, count) or stands for the value of a long file (district, metric, "
        "period, count); correct its header or remove it",
    )


def _targets_layout(
    table: RawTable, one: dict[str, int], metric_columns: dict[int, str], unnamed_with_data: list[int]
) -> Layout:
    """A targets file: long, with district (or «کل شهر»), metric, period and target columns."""
    target = one[normalise.TARGET]
    if normalise.VALUE in one:
        value = one[normalise.VALUE]
        raise FileRejected(
            f"فایل هم ستون هدف {_where(table, target)} دارد و هم ستون آمار (عملکرد) {_where(table, value)}؛ هدف‌ها و "
            "آمار در دو جای جدا ذخیره می‌شوند و یکی بی دیگری بارگذاری نمی‌شود. دو نسخه از فایل بسازید: یکی بی ستون "
            f"{column_letter(target)} (آمار) و یکی بی ستون {column_letter(value)} (هدف‌ها)، و هر دو را بارگذاری کنید",
            f"the file has both a target column {_where_en(table, target)} and a figures (actual) column "
            f"{_where_en(table, value)}; targets and figures are stored apart and one is not loaded without the "
            f"other. Make two copies of the file: one without column {column_letter(target)} (the figures) and one "
            f"without column {column_letter(value)} (the targets), and load both",
        )
    if normalise.METRIC not in one:
        raise FileRejected(
            "فایل هدف‌ها ستون «شاخص» ندارد؛ فایل هدف‌ها باید ستون‌های منطقه (یا «کل شهر»)، شاخص، دوره و هدف را داشته باشد",
            "the targets file has no 'metric' column; a targets file needs district (or 'city'), metric, period "
            "and target columns",
        )
    if metric_columns:
        position = next(iter(metric_columns))
        raise FileRejected(
            f"ستون {_where(table, position)} نام یک شاخص است، اما فایل هدف‌ها ستون «شاخص» و «هدف» دارد؛ "
            "هدف هر شاخص را در یک ردیف بنویسید (منطقه، شاخص، دوره، هدف)",
            f"column {_where_en(table, position)} is a metric, but a targets file has 'metric' and 'target' "
            "columns; write one target a row (district, metric, period, target)",
        )
    if unnamed_with_data:
        position = unnamed_with_data[0]
        raise FileRejected(
            f"ستون بی‌عنوان {column_letter(position)} مقدار دارد؛ برای آن عنوان بگذارید یا پاکش کنید",
            f"the untitled column {column_letter(position)} holds values; give it a header or remove it",
        )
    return Layout(
        LONG,
        one[normalise.DISTRICT],
        one.get(normalise.PERIOD),
        one[normalise.METRIC],
        target,
        kind=TARGETS,
    )
