"""A file's cells -> checked observations (district, metric, period, value) and rejected cells.

The rules, in one place:

- a district is one of the reference's (1..22), written 7, ۷, ٧, 07, «منطقه ۷», «منطقه هفت»,
  «منطقه‌ی بیست و دو» or "District 7"; «ناحیه ۳» (a sub-district) is refused with a hint;
- a totals row («جمع», «جمع کل», «کل», «مجموع», "Total" in the district column or a column read
  past) is skipped and said in the notes: never a district, never rejected;
- a metric is a code, a Persian name or an English name from the catalog;
- both the catalog and the district numbers are given by the caller: ``load_file`` reads them
  from the store (``store.metric_catalog``, ``store.reference_districts``), the one source of both;
- a period typed as a number in Excel (1404.1) is refused, unless its format shows the decimals;
- a period is a Jalali month that has ended (``monitoring.calendar.parse_period_cell``): 1404/07,
  «مهر ۱۴۰۴», a full Jalali date, or a Gregorian date (2025-10-05, an Excel date cell) converted to
  its Jalali month and counted in the notes; a period given for the load fills empty period cells
  and must agree with the filled ones;
- a value is a number within its metric's limits, read in the file's one decimal and grouping
  convention (``normalise.number_style``: a mark used both ways is refused, never guessed), and a
  whole number for a count (a metric with no decimals); an empty value cell (or a dash, or
  «گزارش نشده») means "not reported": it is counted in ``rows_blank``, never stored, never
  a zero, and its row's other cells are not checked;
- the same district, metric and period twice in a file (on one sheet or on two) rejects every copy;
- a file whose value column is headed «هدف» / "target" holds targets (``ParsedFile.kind`` is
  "targets"): the same rules, but a district may also be «کل شهر» / "city" (district 0, a
  city-wide target) and a period may lie ahead (targets are set before the month ends);
- an event log (district, date and type columns, no value) has one row per event: its rows are
  counted per district, metric and Jalali month, the type naming the metric through the event-type
  table (``event_types``: ``text_key(word)`` -> metric code) or directly by a countable metric's
  code or name.

Every sheet of a workbook with a table is read (or the one ``sheet`` named). Counts are of
observations: one a row in the long shape, one a metric cell in the wide shape, one an event row
in an event log.

Memory stays bounded on big files: each table is checked in slices of ``SLICE_CELLS`` cells
(100,000 rows of a long file), and a slice leaves behind only its accepted observations as compact
arrays (district, metric position, period ordinal, value, row, column) and its rejected cells. Only the first ``DASHBOARD_MAX_ERRORS`` (``guard.Limits.max_errors``)
rejected cells (by sheet, row and column) are kept, the rest are counted in ``errors_total``; once
the kept ones are full, a later slice's rejections (which all lie further down) are only counted.
The duplicate check runs over the compact keys of every slice at the end, so every copy of a
repeated district, metric and period is rejected wherever it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_loaders import guard, normalise
from data_loaders import layout as layouts
from data_loaders.readers import (
    NUMBER_SHOWN,
    NUMBER_TYPED,
    RawFile,
    RawTable,
    column_letter,
    fill_label_merges,
    read_table,
)
from data_loaders.results import (
    FileRejected,
    ParsedFile,
    RowError,
    clip,
    escape_text,
    fa_number,
)
from monitoring import calendar, metrics
from monitoring.message import Message

SLICE_CELLS = 400_000  # cells of a table checked at once: 100,000 rows of four columns


def read_observations(
    data: bytes,
    name: str,
    catalog: dict[str, metrics.Metric],
    districts: Collection[int],
    *,
    period: str | None = None,
    today: dt.date | None = None,
    sheet: str | None = None,
    event_types: Mapping[str, str] | None = None,
    raw: RawFile | None = None,
) -> ParsedFile:
    """Read and check a CSV or Excel file against ``catalog`` and the district numbers ``districts``;
    nothing is stored.

    ``period`` (for example "1404/07" or «مهر ۱۴۰۴») is the month of a file without a period
    column. ``sheet`` reads one sheet of a workbook (by default every sheet with a table).
    ``event_types`` (``text_key(word)`` -> metric code, ``store.event_types(engine)``) names what an
    event log's types count into; without it an event log's types are only the countable metrics' own
    codes and names (the seed's words reach a reader through the store, which ``ensure_ready`` fills).
    ``raw`` is the file already read (``readers.read_table``), when the caller has read it.
    Raises FileRejected when the file as a whole cannot be used.
    """
    last = calendar.month_start(*calendar.last_complete_month(today))
    given = check_period(period, today)
    raw = raw if raw is not None else read_table(data, name, catalog, sheet=sheet)
    types: Mapping[str, str] = {} if event_types is None else event_types
    several = len(raw.tables) > 1
    checkers = []
    for index, table in enumerate(raw.tables):
        try:
            layout = layouts.find_layout(table, catalog)
            if layout.period is None and given is None:
                raise FileRejected(
                    "فایل ستون دوره (ماه) ندارد و دوره‌ای هم برای بارگذاری داده نشده است؛ ستون «دوره» یا «ماه» "
                    "(مثلاً ۱۴۰۴/۰۷) به فایل اضافه کنید یا دوره را هنگام بارگذاری بدهید (‎--period 1404/07‎)",
                    "the file has no period column and no period was given; add a 'period' column (such as 1404/07) "
                    "or give the period when loading (--period 1404/07)",
                )
            columns = (layout.district, layout.period, layout.metric, layout.event_type)
            labels = {c for c in columns if c is not None}
            fill_label_merges(table, labels, name)
            raw.notes.extend(_ignored_notes(table, layout))
        except FileRejected as exc:
            if not several:
                raise
            raise FileRejected(exc.message.prefixed(f"برگه‌ی «{table.sheet}»: ", f"sheet '{table.sheet}': ")) from exc
        checkers.append(_Checker(table, index, layout, catalog, frozenset(districts), given, last, types))
    _same_kind(checkers)
    style = normalise.number_style([c.table.cells[p] for c in checkers for p in c.value_columns()])
    for checker in checkers:
        checker.style = style
    errors = _FirstErrors(raw.tables)
    parts = [part for c in checkers for part in c.run(errors)]
    return _combine(parts, raw, catalog, errors)


def check_period(period: str | None, today: dt.date | None = None) -> dt.date | None:
    """The Gregorian first day of a period given for a load; FileRejected if unreadable or not yet ended."""
    if period is None or not str(period).strip():
        return None
    last = calendar.month_start(*calendar.last_complete_month(today))
    try:
        start = calendar.month_start(*calendar.parse_month(period))
    except calendar.PeriodParseError as exc:
        raise FileRejected(
            exc.message.prefixed("دوره‌ی داده‌شده برای بارگذاری: ", "the period given for the load: ")
        ) from exc
    reason = _future_reason(start, last, str(period))
    if reason:
        raise FileRejected(reason)
    return start


def _ignored_notes(table: RawTable, layout: layouts.Layout) -> list[Message]:
    """One note naming each column the layout reads past, and why: nothing is dropped in silence."""
    where_fa = f"در برگه‌ی «{table.sheet}» " if table.sheet else ""
    where_en = f" on sheet '{table.sheet}'" if table.sheet else ""
    fa, en = [], []
    for position, why in layout.ignored:
        if position in table.cells.columns and not (table.cells[position].str.strip() != "").any():
            continue  # a titled column with nothing in it
        header = clip(table.headers[position], 60)
        letter = column_letter(position)
        if why == "untitled":
            fa.append(f"ستون بی‌عنوان {letter}: عنوان ندارد (اگر باید خوانده شود، عنوانی مانند «تعداد» بگذارید)")
            en.append(
                f"the untitled column {letter}: it has no header (give it one, such as 'count', if it should load)"
            )
        elif why == normalise.IGNORED:
            fa.append(f"«{header}» ({letter}): ستون توضیح، عنوان یا شماره‌ی ردیف است، نه آمار")
            en.append(f"'{header}' ({letter}): a notes, title or row-number column, not figures")
        else:
            fa.append(
                f"«{header}» ({letter}): عنوانش شناخته نیست (اگر آمار دارد، عنوان را به نام شاخص یا «مقدار» تغییر دهید)"
            )
            en.append(
                f"'{header}' ({letter}): its header is not known (if it holds figures, rename it to a metric or 'value')"
            )
    if not fa:
        return []
    return [
        Message(
            f"{where_fa}این ستون‌ها خوانده و ذخیره نشد: " + "؛ ".join(fa),
            f"these columns{where_en} were not read or stored: " + "; ".join(en),
        )
    ]


_DEY_OR_FARVARDIN = re.compile(r"^\s*\d{4}\.1\s*$")  # 1404.1: month 1, or 1404.10 with its zero dropped


def _shown_period(shown: str) -> tuple[dt.date | None, Message | None]:
    """A period typed as a number in a cell whose format shows its decimals (1404.10): read as Excel
    displays it, which is exact."""
    parsed, errors, _ = calendar.parse_period_cells(pd.Series([shown], dtype=str))
    return parsed.iloc[0], errors.iloc[0]


def _future_reason(start: dt.date, last: dt.date, written: str) -> Message | None:
    if start <= last:
        return None
    return Message(
        f"دوره «{written}» ({calendar.month_label_of(start)}) هنوز تمام نشده است؛ آخرین ماه کامل "
        f"{calendar.month_label_of(last)} است",
        f"the period '{written}' has not ended yet; the last complete month is {_code(last)}",
    )


def _code(start: dt.date) -> str:
    """1404/07: a month as people type it."""
    year, month = calendar.jalali_month_of(start)
    return f"{year}/{month:02d}"


def _same_kind(checkers: list[_Checker]) -> None:
    """Figures and targets cannot share a file: they go to different tables."""
    targets = [c.table.sheet for c in checkers if c.layout.kind == layouts.TARGETS]
    figures = [c.table.sheet for c in checkers if c.layout.kind != layouts.TARGETS]
    if targets and figures:
        raise FileRejected(
            f"برگه‌ی «{targets[0]}» هدف‌ها را دارد و برگه‌ی «{figures[0]}» آمار را؛ هدف‌ها و آمار را در دو فایل "
            "جدا بارگذاری کنید یا برگه را انتخاب کنید",
            f"sheet '{targets[0]}' holds targets and sheet '{figures[0]}' figures; load targets and figures as "
            "two separate files, or choose one sheet",
        )


# ---------------------------------------------------------------- one table


@dataclass
class _Part:
    """What one slice of a table brought: candidate observations (before the file-wide duplicate
    check) as compact arrays, and its counts. Its rejected cells went to ``_FirstErrors``."""

    sheet: int
    shape: str
    kind: str
    district: np.ndarray  # int64
    metric: np.ndarray  # int64, position in the catalog
    ordinal: np.ndarray  # int64, the period's first day as a proleptic ordinal
    value: np.ndarray  # float64
    row: np.ndarray  # int64, data row position in the table
    col: np.ndarray  # int64, the column shown for a duplicate (its cell is read again if shown)
    weight: np.ndarray  # int64: observations (1) or events behind each candidate
    read: int = 0
    blank: int = 0
    rejected: int = 0
    totals: int = 0
    total_label: str = ""
    converted: int = 0
    events: int = 0


class _FirstErrors:
    """The first ``limit`` rejected cells of the file by sheet, spreadsheet row and column, as one
    frame (see ``_error_frame``, plus ``line``: the spreadsheet row); every rejected cell counted."""

    def __init__(self, tables: list[RawTable], limit: int | None = None) -> None:
        self.tables = tables
        self.limit = guard.limits_from_env().max_errors if limit is None else limit
        self.kept: pd.DataFrame | None = None
        self.total = 0

    @property
    def full(self) -> bool:
        return self.kept is not None and len(self.kept) >= self.limit

    def count(self, n: int) -> None:
        """Count ``n`` rejected cells that lie after every kept one (nothing is built for them)."""
        self.total += n

    def add(self, frames: list[pd.DataFrame]) -> None:
        frames = [f for f in frames if len(f)]
        if not frames:
            return
        self.total += sum(len(f) for f in frames)
        for frame in frames:
            lines = np.empty(len(frame), dtype="int64")
            sheets, rows = frame["sheet"].to_numpy(), frame["row"].to_numpy()
            for s in np.unique(sheets):
                here = sheets == s
                lines[here] = self.tables[s].row_numbers[rows[here]]
            frame["line"] = lines
        if self.kept is not None:
            frames.insert(0, self.kept)
        frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        order = np.lexsort((frame["col"].to_numpy(), frame["line"].to_numpy(), frame["sheet"].to_numpy()))
        self.kept = frame.iloc[order[: self.limit]].reset_index(drop=True)


class _Checker:
    """Checks one table, a slice of rows at a time; rejected cells go to a ``_FirstErrors`` as
    (data row, column, text, reason) arrays."""

    def __init__(
        self,
        table: RawTable,
        index: int,
        layout: layouts.Layout,
        catalog: dict[str, metrics.Metric],
        districts: frozenset[int],
        given: dt.date | None,
        last: dt.date,
        event_types: Mapping[str, str],
    ) -> None:
        self.table, self.index, self.layout, self.catalog = table, index, layout, catalog
        self.districts, self.given, self.last, self.event_types = districts, given, last, event_types
        self.cells = table.cells
        self.style = normalise.NumberStyle()  # the file's decimal and grouping convention (set by the caller)
        self.n_rows = 0
        self.offset = 0  # the position in the table of the slice's first row
        self._errors: list[pd.DataFrame] = []
        self._first: _FirstErrors | None = None

    def value_columns(self) -> list[int]:
        """The positions of the columns holding numbers (value or target, a wide file's metrics)."""
        layout = self.layout
        out = [layout.value] if layout.value is not None else []
        out += list(layout.metric_columns)
        out += [layout.count] if layout.count is not None else []
        return [p for p in out if p in self.table.cells.columns]

    # -------------------------------------------------------- the pipeline
    def run(self, errors: _FirstErrors) -> list[_Part]:
        """The parts of the table, one a slice with something in it; rejected cells go to ``errors``.
        FileRejected when no row below the header holds anything."""
        self._first = errors
        parts, filled = [], 0
        size = max(1, SLICE_CELLS // max(len(self.table.headers), 1))
        for offset, cells in self.table.slices(size):
            self.cells, self.n_rows, self.offset = cells, len(cells), offset
            data_rows, totals, total_label, lines = self._data_rows()
            if lines:
                filled += lines
                if self.layout.shape == layouts.EVENTS:
                    part = self._events(data_rows)
                else:
                    part = self._values(data_rows)
                part.totals, part.total_label = totals, total_label
                parts.append(part)
            errors.add(self._errors)
            self._errors = []
        self.cells = self.table.cells
        if not filled:
            where_fa = f" در برگه‌ی «{self.table.sheet}»" if self.table.sheet else ""
            where_en = f" on sheet '{self.table.sheet}'" if self.table.sheet else ""
            raise FileRejected(
                f"فایل زیر سطر عنوان (سطر {fa_number(self.table.header_row)}{where_fa}) هیچ ردیف داده‌ای ندارد",
                f"the file has no data rows below its header (row {self.table.header_row}{where_en})",
            )
        return parts

    def _values(self, data_rows: np.ndarray) -> _Part:
        layout = self.layout
        # one entry per observation: its data row, the column of its value cell, its metric
        if layout.shape == layouts.LONG:
            obs_row = data_rows
            obs_col = np.full(len(obs_row), layout.value, dtype="int64")
            value_text = self.cells[layout.value].iloc[obs_row].reset_index(drop=True)
        else:
            positions = np.array(list(layout.metric_columns), dtype="int64")
            obs_row = np.repeat(data_rows, len(positions))
            obs_col = np.tile(positions, len(data_rows))
            stacked = np.column_stack([self.cells[p].to_numpy(dtype=object)[data_rows] for p in positions])
            value_text = pd.Series(stacked.ravel(), dtype=str)

        values, blank, value_reasons = normalise.parse_values(value_text, self.style)
        active = ~blank  # a "not reported" cell is neither checked nor stored

        # districts and periods: per data row, checked where something was reported
        reported = np.zeros(self.n_rows, dtype=bool)
        reported[obs_row[active]] = True
        row_bad, district, ordinal, converted = self._rows(reported)

        # metrics: per observation, as positions in the catalog
        if layout.shape == layouts.LONG:
            metric, metric_reason = normalise.parse_metrics(self.cells[layout.metric].iloc[obs_row], self.catalog)
            metric_bad = active & pd.notna(metric_reason)
            idx = np.flatnonzero(metric_bad)
            self._add(obs_row[idx], layout.metric, self.cells[layout.metric].iloc[obs_row[idx]], metric_reason[idx])
        else:
            position = {code: i for i, code in enumerate(self.catalog)}
            per_column = np.array([position[code] for code in layout.metric_columns.values()], dtype="int64")
            metric = np.tile(per_column, len(data_rows))
            metric_bad = np.zeros(len(obs_row), dtype=bool)

        # values: numbers, then the metric's limits (their reasons are written only for the errors shown)
        value_bad = active & pd.notna(value_reasons)
        idx = np.flatnonzero(value_bad)
        self._add(obs_row[idx], obs_col[idx], value_text.iloc[idx], value_reasons[idx])
        checkable = np.flatnonzero(active & ~value_bad & ~metric_bad)
        sides = normalise.range_sides(values[checkable], metric[checkable], self.catalog)
        out = checkable[sides != 0]
        if len(out):
            self._add_limits(
                obs_row[out], obs_col[out], value_text.iloc[out], sides[sides != 0], metric[out], values[out]
            )
        value_bad[out] = True

        rejected = active & (row_bad[obs_row] | metric_bad | value_bad)
        keep = np.flatnonzero(active & ~rejected)
        rows = obs_row[keep]
        return _Part(
            sheet=self.index,
            shape=layout.shape,
            kind=layout.kind,
            district=district[rows],
            metric=metric[keep],
            ordinal=ordinal[rows],
            value=values[keep],
            row=rows + self.offset,
            col=obs_col[keep],
            weight=np.ones(len(keep), dtype="int64"),
            read=len(obs_row),
            blank=int(blank.sum()),
            rejected=int(rejected.sum()),
            converted=int((converted & reported & ~row_bad).sum()),
        )

    def _events(self, data_rows: np.ndarray) -> _Part:
        """An event log: each data row one event, counted per district, metric and month."""
        column = self.layout.event_type
        reported = np.zeros(self.n_rows, dtype=bool)
        reported[data_rows] = True
        row_bad, district, ordinal, converted = self._rows(reported)
        texts = self.cells[column].iloc[data_rows]
        metric, reasons = normalise.parse_event_types(texts, self.catalog, self.event_types)
        type_bad = pd.notna(reasons)
        idx = np.flatnonzero(type_bad)
        self._add(data_rows[idx], column, texts.iloc[idx], reasons[idx])
        good = ~type_bad & ~row_bad[data_rows]
        many = np.ones(len(data_rows), dtype="float64")
        if self.layout.count is not None:
            many, count_bad = self._event_counts(data_rows, good)
            good &= ~count_bad
        rows = data_rows[good]
        key = (ordinal[rows] * 65_536 + metric[good]) * 64 + district[rows]
        _, first, inverse, row_counts = np.unique(key, return_index=True, return_inverse=True, return_counts=True)
        counts = np.bincount(inverse.reshape(-1), weights=many[good], minlength=len(first)) if len(first) else many[:0]
        first_rows = rows[first]
        return _Part(
            sheet=self.index,
            shape=layouts.EVENTS,
            kind=self.layout.kind,
            district=district[first_rows],
            metric=metric[good][first],
            ordinal=ordinal[first_rows],
            value=counts.astype("float64"),
            row=first_rows + self.offset,
            col=np.full(len(first), column, dtype="int64"),
            weight=row_counts.astype("int64"),
            read=len(data_rows),
            rejected=int((~good).sum()),
            converted=int((converted & reported & ~row_bad).sum()),
            events=int(many[good].sum()),
        )

    def _event_counts(self, data_rows: np.ndarray, good: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """How many events each row of an event log stands for (its «تعداد» cell), and the rows whose
        count is refused: empty, not a number, negative or a fraction."""
        column = self.layout.count
        texts = self.cells[column].iloc[data_rows].reset_index(drop=True)
        values, blank, reasons = normalise.parse_values(texts, self.style)
        reasons = reasons.astype(object)
        empty = Message(
            "تعداد خالی است؛ شمار رویدادهای این ردیف را بنویسید (برای یک رویداد ۱)",
            "the count is empty; write how many events this row stands for (1 for one event)",
        )
        reasons[blank] = empty
        with np.errstate(invalid="ignore"):
            whole = np.isfinite(values) & (values >= 0) & (values == np.round(values))
        wrong = pd.isna(reasons) & ~whole
        reasons[wrong] = Message(
            "تعداد باید عدد درست و نامنفی باشد (شمار رویدادها)؛ عدد درست را بنویسید",
            "the count must be a whole number, not negative (how many events); write the whole number",
        )
        bad = pd.notna(reasons)
        idx = np.flatnonzero(bad & good)
        self._add(data_rows[idx], column, texts.iloc[idx], reasons[idx])
        return np.where(bad, 0.0, values), bad

    def _rows(self, reported: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(row refused, district, period first day's ordinal, converted from Gregorian) per data
        row of the slice; refusals are recorded for the rows where something was reported."""
        layout = self.layout
        city = layout.kind == layouts.TARGETS
        district, district_reason = normalise.parse_districts(self.cells[layout.district], self.districts, city=city)
        ordinal, period_reason, converted = self._periods()
        row_bad = np.zeros(self.n_rows, dtype=bool)
        for col, reasons in ((layout.district, district_reason), (layout.period, period_reason)):
            if col is not None:
                bad = reported & pd.notna(reasons)
                row_bad |= bad
                idx = np.flatnonzero(bad)
                self._add(idx, col, self.cells[col].iloc[idx], reasons[idx])
        return row_bad, district, ordinal, converted

    def _data_rows(self) -> tuple[np.ndarray, int, str, int]:
        """Positions in the slice of the rows with something in a used column (blank lines are read
        past), less the totals rows of a figures file; how many totals rows there were, the first
        one's label, and how many lines were not blank."""
        layout = self.layout
        used = [layout.district, layout.period, layout.metric, layout.value, layout.event_type, layout.count]
        used += list(layout.metric_columns)
        blank_line = np.ones(self.n_rows, dtype=bool)
        for c in used:
            if c is not None:
                blank_line &= (self.cells[c].str.strip() == "").to_numpy(dtype=bool)
        lines = int((~blank_line).sum())
        if not lines:
            return np.zeros(0, dtype="int64"), 0, "", 0
        totals = np.zeros(self.n_rows, dtype=bool)
        label = ""
        if layout.kind != layouts.TARGETS:  # in a targets file «کل» is the whole city
            for c in [layout.district, *self._read_past(used)]:
                marks = normalise.is_total(self.cells[c]) & ~blank_line
                if marks.any() and not label:
                    label = normalise.clean_text(self.cells[c].iloc[int(np.argmax(marks))])
                totals |= marks
        return np.flatnonzero(~blank_line & ~totals), int(totals.sum()), label, lines

    def _read_past(self, used: list[int | None]) -> list[int]:
        """The titled columns the layout reads past (a row number, a district name, notes)."""
        out = []
        for position, header in enumerate(self.table.headers):
            if position in used or not normalise.clean_text(header):
                continue
            role, code = normalise.header_role(header, self.catalog)
            if code is None and role in (None, normalise.IGNORED):
                out.append(position)
        return out

    # -------------------------------------------------------- periods
    def _periods(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(the Gregorian first day's ordinal, reason, converted from a Gregorian date) per data row."""
        column = self.layout.period
        if column is None:
            assert self.given is not None  # parse refuses a table without a period column when none is given
            ordinal = np.full(self.n_rows, self.given.toordinal(), dtype="int64")
            return ordinal, np.full(self.n_rows, None, dtype=object), np.zeros(self.n_rows, dtype=bool)
        texts = self.cells[column].str.strip()
        codes, uniques = pd.factorize(texts, use_na_sentinel=False)
        unique_texts = pd.Series(uniques, dtype=str)
        parsed, errors, was_gregorian = calendar.parse_period_cells(unique_texts)
        u_reason = np.empty(len(uniques), dtype=object)
        u_ordinal = np.full(len(uniques), -1, dtype="int64")
        for i, text in enumerate(unique_texts):
            start, error = parsed.iloc[i], errors.iloc[i]
            if text.startswith(NUMBER_TYPED):
                shown = text[1:]
                start, error = (
                    None,
                    Message(
                        f"دوره «{shown}» در Excel عدد است، نه متن؛ Excel صفر پایانی عدد را نگه نمی‌دارد (۱۴۰۴٫۱۰ همان ۱۴۰۴٫۱ "
                        "است) و ماه معلوم نیست. خانه را متن کنید (قالب Text، یا یک ' پیش از آن: '1404/10) و ماه را با / "
                        "بنویسید، مثلاً 1404/10",
                        f"the period '{shown}' is a number in Excel, not text; Excel does not keep a number's trailing zero "
                        "(1404.10 is 1404.1) so the month is unclear. Make the cell text (format Text, or type ' first: "
                        "'1404/10) and write the month with /, such as 1404/10",
                    ),
                )
            elif text.startswith(NUMBER_SHOWN):
                start, error = _shown_period(text[1:])
            elif _DEY_OR_FARVARDIN.match(calendar.to_latin_digits(text)):
                start, error = (
                    None,
                    Message(
                        f"دوره «{text}» دوپهلوست: ممکن است فروردین باشد یا دی (۱۴۰۴٫۱۰ که صفرش افتاده، چنان‌که Excel با عدد "
                        "می‌کند)؛ ماه را دورقمی و با / بنویسید: 1404/01 یا 1404/10",
                        f"the period '{text}' is ambiguous: it may be month 1 or month 10 (1404.10 with its zero dropped, "
                        "as Excel does to a number); write the month with two digits and /: 1404/01 or 1404/10",
                    ),
                )
            if text == "":
                start, error = self.given, None
                if start is None:
                    error = Message(
                        "دوره خالی است؛ ماه شمسی را بنویسید، مثلاً ۱۴۰۴/۰۷ یا «مهر ۱۴۰۴»",
                        "the period is empty; write the Jalali month, such as 1404/07 or 'مهر ۱۴۰۴'",
                    )
            elif error is None:
                error = None if self.layout.kind == layouts.TARGETS else _future_reason(start, self.last, text)
                if error is None and self.given is not None and start != self.given:
                    error = Message(
                        f"دوره «{text}» با دوره‌ی انتخاب‌شده برای بارگذاری ({calendar.month_label_of(self.given)}) "
                        "یکی نیست؛ دوره را اصلاح کنید یا دوره‌ی دیگری انتخاب کنید",
                        f"the period '{text}' is not the period chosen for this load ({_code(self.given)}); "
                        "correct it or choose another period",
                    )
            u_reason[i] = error
            if error is None:
                u_ordinal[i] = start.toordinal()
        return u_ordinal[codes], u_reason[codes], was_gregorian.to_numpy(dtype=bool)[codes]

    # -------------------------------------------------------- errors
    def _add(self, rows: np.ndarray, col, texts, reasons) -> None:
        if not len(rows):
            return
        assert self._first is not None  # run sets it before any cell is checked
        if self._first.full:  # the kept errors are all above this slice: count only
            self._first.count(len(rows))
            return
        self._errors.append(_error_frame(self.index, rows + self.offset, col, texts, reasons=reasons))

    def _add_limits(self, rows, cols, texts, sides, metric, values) -> None:
        assert self._first is not None  # run sets it before any cell is checked
        if self._first.full:
            self._first.count(len(rows))
            return
        self._errors.append(
            _error_frame(self.index, rows + self.offset, cols, texts, side=sides, metric=metric, number=values)
        )


def _error_frame(sheet: int, rows, col, texts, *, reasons=None, **lazy) -> pd.DataFrame:
    """Rejected cells as columns. A reason is a shared string from a per-distinct-text parser, or
    is written later, for the errors shown only, from ``lazy`` columns: a limit's side, metric and
    number, or a duplicate's other row, sheet and copies."""
    n = len(rows)
    frame = pd.DataFrame(
        {
            "sheet": np.full(n, sheet, dtype="int64"),
            "row": np.asarray(rows, dtype="int64"),
            "col": np.broadcast_to(np.asarray(col, dtype="int64"), (n,)),
            "text": np.asarray(texts, dtype=object),
            "reason": pd.Series(reasons, dtype=object).to_numpy() if reasons is not None else np.full(n, None),
        }
    )
    for name, default, dtype in _LAZY:
        frame[name] = np.asarray(lazy[name], dtype=dtype) if name in lazy else np.full(n, default, dtype=dtype)
    return frame


_LAZY = (
    ("side", 0, "int8"),
    ("metric", -1, "int64"),
    ("number", np.nan, "float64"),
    ("other_row", -1, "int64"),
    ("other_sheet", -1, "int64"),
    ("copies", 0, "int64"),
)


# ---------------------------------------------------------------- the whole file


def _combine(parts: list[_Part], raw: RawFile, catalog: dict[str, metrics.Metric], errors: _FirstErrors) -> ParsedFile:
    """The parts of every slice of every sheet as one ParsedFile: the duplicate check over the
    whole file, the accepted rows, the first errors, the notes."""
    tables = raw.tables
    sheet_of = np.concatenate([np.full(len(p.district), p.sheet, dtype="int64") for p in parts])
    events = np.concatenate([np.full(len(p.district), p.shape == layouts.EVENTS, dtype=bool) for p in parts])
    if len(parts) == 1:  # no copies of a million rows for the usual file
        cat = {name: getattr(parts[0], name) for name in _PART_ARRAYS}
    else:
        cat = {}
        for name in _PART_ARRAYS:  # each slice's arrays let go once joined
            cat[name] = np.concatenate([getattr(p, name) for p in parts])
            for p in parts:
                setattr(p, name, None)

    # the same district, metric and period twice (values), on one sheet or across sheets; an event
    # log's counts of two slices or two sheets add up first
    key = (cat["ordinal"] * 65_536 + cat["metric"]) * 64 + cat["district"]
    if sum(p.shape == layouts.EVENTS for p in parts) > 1:
        cat, sheet_of, events, key = _sum_events(cat, sheet_of, events, key)
    duplicate = pd.Series(key).duplicated(keep=False).to_numpy() if len(key) > 1 else np.zeros(len(key), bool)
    dup_weight = 0
    if duplicate.any():
        _duplicate_errors(tables, key, duplicate, sheet_of, cat, errors)
        dup_weight = int(cat["weight"][duplicate].sum())
        keep = np.flatnonzero(~duplicate)
        cat = {name: cat[name][keep] for name in ("district", "metric", "ordinal", "value")}
        events = events[keep]
    codes = np.array(list(catalog), dtype=object)
    ordinals, at = np.unique(cat["ordinal"], return_inverse=True)
    starts = np.empty(len(ordinals), dtype=object)
    starts[:] = [dt.date.fromordinal(int(o)) for o in ordinals]
    rows = pd.DataFrame(
        {
            "district": cat["district"].astype("int64", copy=False),
            "metric": pd.Series(codes[cat["metric"]], dtype=str),
            "period": starts[at.reshape(-1)],
            "value": cat["value"].astype("float64", copy=False),
        }
    )
    shapes = {p.shape for p in parts}
    return ParsedFile(
        rows=rows,
        errors=_row_errors(errors, tables, catalog),
        rows_read=sum(p.read for p in parts),
        rows_blank=sum(p.blank for p in parts),
        rows_rejected=sum(p.rejected for p in parts) + dup_weight,
        shape=parts[0].shape if len(shapes) == 1 else "mixed",
        header_row=tables[0].header_row,
        kind=parts[0].kind,
        notes=raw.notes + _notes(parts, int(events.sum())),
        sheets=list(raw.sheets),
        errors_total=errors.total,
    )


_PART_ARRAYS = ("district", "metric", "ordinal", "value", "row", "col", "weight")


def _sum_events(cat: dict, sheet_of: np.ndarray, events: np.ndarray, key: np.ndarray):
    """Add up the counts of one district, metric and month found in several slices or on several event sheets."""
    idx = np.flatnonzero(events)
    _, first, inverse = np.unique(key[idx], return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    summed = np.bincount(inverse, weights=cat["value"][idx])
    weights = np.bincount(inverse, weights=cat["weight"][idx]).astype("int64")
    keep = np.concatenate([np.flatnonzero(~events), idx[first]])
    out = {name: values[keep] for name, values in cat.items()}
    n_values = int((~events).sum())
    out["value"] = out["value"].astype("float64")
    out["value"][n_values:] = summed
    out["weight"][n_values:] = weights
    return out, sheet_of[keep], events[keep], key[keep]


def _duplicate_errors(
    tables: list[RawTable],
    key: np.ndarray,
    duplicate: np.ndarray,
    sheet_of: np.ndarray,
    cat: dict,
    errors: _FirstErrors,
) -> None:
    """Every copy of a repeated key is rejected, each pointing at another copy (the first, or for the
    first the second). Only the copies that may be among the errors shown are built (their cells'
    texts left out, None: read again for the errors shown only); the others are counted."""
    idx = np.flatnonzero(duplicate)
    sheets, rows, cols, keys = sheet_of[idx], cat["row"][idx], cat["col"][idx], key[idx]
    lines = np.empty(len(idx), dtype="int64")
    for s in np.unique(sheets):
        here = sheets == s
        lines[here] = tables[s].row_numbers[rows[here]]
    order = np.lexsort((lines, sheets, keys))  # the copies of a key together, in the file's order
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    del sorted_keys
    sizes = np.diff(np.r_[starts, len(order)])
    shown = np.lexsort((cols, lines, sheets))[: errors.limit]
    group = np.searchsorted(keys[order[starts]], keys[shown])  # each shown copy's key among the repeated ones
    first, second = order[starts[group]], order[starts[group] + 1]
    other = np.where(shown == first, second, first)
    errors.count(len(idx) - len(shown))
    frame = _error_frame(
        0,
        rows[shown],
        cols[shown],
        np.full(len(shown), None, dtype=object),
        other_row=lines[other],
        other_sheet=sheets[other],
        copies=sizes[group],
    )
    frame["sheet"] = sheets[shown]
    errors.add([frame])


def _row_errors(errors: _FirstErrors, tables: list[RawTable], catalog: dict[str, metrics.Metric]) -> list[RowError]:
    """The kept rejected cells as RowError, their reasons written now."""
    frame = errors.kept
    if frame is None:
        return []
    items = list(catalog.values())
    several = len(tables) > 1
    out = []
    for e in frame.itertuples(index=False):
        table = tables[int(e.sheet)]
        reason, text = e.reason, e.text
        if int(e.side):
            reason = normalise.range_reason(float(e.number), items[int(e.metric)], int(e.side))
        elif int(e.other_row) >= 0:
            reason = _duplicate_reason(int(e.other_row), tables[int(e.other_sheet)].sheet, int(e.copies), several)
            text = table.cells[int(e.col)].iloc[int(e.row)]
        out.append(
            RowError(
                row=int(e.line),
                column=clip(table.headers[int(e.col)], 80),
                value=clip(normalise.clean_text(text if text is not None else "")),
                reason=reason,
                sheet=escape_text(table.sheet),
                cell=f"{column_letter(int(e.col))}{int(e.line)}",
            )
        )
    return out


def _duplicate_reason(other: int, sheet: str, copies: int, several: bool) -> Message:
    where_fa = f" برگه‌ی «{sheet}»" if several else ""
    where_en = f" of sheet '{sheet}'" if several else ""
    return Message(
        f"همین منطقه، شاخص و دوره در ردیف {fa_number(other)}{where_fa} هم آمده است"
        + (f" (روی‌هم {fa_number(copies)} بار)" if copies > 2 else "")
        + "؛ فقط یک ردیف را نگه دارید",
        f"the same district, metric and period are also in row {other}{where_en}"
        + (f" ({copies} times in all)" if copies > 2 else "")
        + "; keep only one of them",
    )


def _notes(parts: list[_Part], event_values: int) -> list[Message]:
    notes = []
    totals = sum(p.totals for p in parts)
    if totals:
        label = next(p.total_label for p in parts if p.totals)
        notes.append(
            Message(
                f"{fa_number(totals)} ردیف جمع (مانند «{label}») خوانده نشد؛ ردیف جمع منطقه نیست و شمرده نمی‌شود",
                f"{totals} totals row(s) (such as '{label}') skipped; a totals row is not a district and is not counted",
            )
        )
    converted = sum(p.converted for p in parts)
    if converted:
        notes.append(
            Message(
                f"{fa_number(converted)} تاریخ میلادی به ماه شمسی برگردانده شد",
                f"{converted} Gregorian date(s) converted to their Jalali month",
            )
        )
    events = sum(p.events for p in parts)
    if events:
        notes.append(
            Message(
                f"{fa_number(events)} رویداد در {fa_number(event_values)} مقدار شمرده شد",
                f"{events} event(s) counted into {event_values} value(s)",
            )
        )
    return notes
