"""A file's cells -> checked observations (district, metric, period, value) and rejected cells.

The rules, in one place:

- a district is one of the reference's (1..22), written 7, ۷, 07, «منطقه ۷» or "District 7";
- a metric is a code, a Persian name or an English name from the catalog;
- both the catalog and the district numbers are given by the caller: ``load_file`` reads them
  from the store (``store.metric_catalog``, ``store.reference_districts``), the one source of both;
- a period is a Jalali month (``monitoring.calendar.parse_month``) that has ended; a period
  given for the load fills empty period cells and must agree with the filled ones;
- a value is a number within its metric's limits; an empty value cell (or a dash, or
  «گزارش نشده») means "not reported": it is counted in ``rows_blank``, never stored, never
  a zero, and its row's other cells are not checked;
- the same district, metric and period twice in a file rejects every copy;
- a file whose value column is headed «هدف» / "target" holds targets (``ParsedFile.kind`` is
  "targets"): the same rules, but a district may also be «کل شهر» / "city" (district 0, a
  city-wide target) and a period may lie ahead (targets are set before the month ends).

Counts are of observations: one a row in the long shape, one a metric cell in the wide shape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import numpy as np
import pandas as pd

from data_loaders import layout as layouts
from data_loaders import normalise
from data_loaders.readers import RawTable, read_table
from data_loaders.results import FileRejected, ParsedFile, RowError, bilingual, fa_number
from monitoring import calendar, metrics


def read_observations(
    data: bytes,
    name: str,
    catalog: dict[str, metrics.Metric],
    districts: Collection[int],
    *,
    period: str | None = None,
    today: dt.date | None = None,
) -> ParsedFile:
    """Read and check a CSV or Excel file against ``catalog`` and the district numbers ``districts``;
    nothing is stored.

    ``period`` (for example "1404/07" or «مهر ۱۴۰۴») is the month of a file without a period
    column. Raises FileRejected when the file as a whole cannot be used.
    """
    last = calendar.month_start(*calendar.last_complete_month(today))
    given = check_period(period, today)
    table = read_table(data, name, catalog)
    layout = layouts.find_layout(table, catalog)
    if layout.period is None and given is None:
        raise FileRejected(
            "فایل ستون دوره (ماه) ندارد و دوره‌ای هم برای بارگذاری داده نشده است؛ ستون «دوره» یا «ماه» "
            "(مثلاً ۱۴۰۴/۰۷) به فایل اضافه کنید یا دوره را هنگام بارگذاری بدهید (‎--period 1404/07‎)",
            "the file has no period column and no period was given; add a 'period' column (such as 1404/07) "
            "or give the period when loading (--period 1404/07)",
        )
    return _Checker(table, layout, catalog, frozenset(districts), given, last).run()


def check_period(period: str | None, today: dt.date | None = None) -> dt.date | None:
    """The Gregorian first day of a period given for a load; FileRejected if unreadable or not yet ended."""
    if period is None or not str(period).strip():
        return None
    last = calendar.month_start(*calendar.last_complete_month(today))
    try:
        start = calendar.month_start(*calendar.parse_month(period))
    except calendar.PeriodParseError as exc:
        fa, _, en = str(exc).partition(" / ")
        raise FileRejected(f"دوره‌ی داده‌شده برای بارگذاری: {fa}", f"the period given for the load: {en}") from exc
    reason = _future_reason(start, last, str(period))
    if reason:
        fa, _, en = reason.partition(" / ")
        raise FileRejected(fa, en)
    return start


def _future_reason(start: dt.date, last: dt.date, written: str) -> str | None:
    if start <= last:
        return None
    return bilingual(
        f"دوره «{written}» ({calendar.month_label_of(start)}) هنوز تمام نشده است؛ آخرین ماه کامل "
        f"{calendar.month_label_of(last)} است",
        f"the period '{written}' has not ended yet; the last complete month is {_code(last)}",
    )


def _code(start: dt.date) -> str:
    """1404/07: a month as people type it."""
    year, month = calendar.jalali_month_of(start)
    return f"{year}/{month:02d}"


class _Checker:
    """Checks one table; collects rejected cells as (data row, column, text, reason) arrays."""

    def __init__(
        self,
        table: RawTable,
        layout: layouts.Layout,
        catalog: dict[str, metrics.Metric],
        districts: frozenset[int],
        given: dt.date | None,
        last: dt.date,
    ) -> None:
        self.table, self.layout, self.catalog, self.given, self.last = table, layout, catalog, given, last
        self.districts = districts
        self.cells = table.cells
        self.n_rows = len(table.cells)
        self._errors: list[pd.DataFrame] = []

    # -------------------------------------------------------- the pipeline
    def run(self) -> ParsedFile:
        layout = self.layout
        data_rows = self._data_rows()

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

        values, blank, value_reasons = normalise.parse_values(value_text)
        active = ~blank  # a "not reported" cell is neither checked nor stored

        # districts and periods: per data row, checked where something was reported
        reported = np.zeros(self.n_rows, dtype=bool)
        reported[obs_row[active]] = True
        city = layout.kind == layouts.TARGETS
        district, district_reason = normalise.parse_districts(self.cells[layout.district], self.districts, city=city)
        starts, period_number, period_reason = self._periods()
        row_bad = np.zeros(self.n_rows, dtype=bool)
        for col, reasons in ((layout.district, district_reason), (layout.period, period_reason)):
            if col is not None:
                bad = reported & pd.notna(reasons)
                row_bad |= bad
                idx = np.flatnonzero(bad)
                self._add(idx, col, self.cells[col].iloc[idx], reasons[idx])

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

        # values: numbers, then the metric's limits
        value_bad = active & pd.notna(value_reasons)
        idx = np.flatnonzero(active & ~value_bad & ~metric_bad)
        limit_reasons = np.full(len(values), None, dtype=object)
        limit_reasons[idx] = normalise.range_reasons(values[idx], metric[idx], self.catalog)
        value_bad |= pd.notna(limit_reasons)
        reasons = np.where(pd.notna(value_reasons), value_reasons, limit_reasons)
        idx = np.flatnonzero(value_bad)
        self._add(obs_row[idx], obs_col[idx], value_text.iloc[idx], reasons[idx])

        # the same district, metric and period twice
        keyed = active & ~row_bad[obs_row] & ~metric_bad
        key = (period_number[obs_row] * 65_536 + metric) * 64 + district[obs_row]
        duplicate = self._duplicates(keyed, key, obs_row, obs_col, value_text)

        rejected = active & (row_bad[obs_row] | metric_bad | value_bad | duplicate)
        idx = np.flatnonzero(active & ~rejected)
        codes = np.array(list(self.catalog), dtype=object)
        rows = pd.DataFrame(
            {
                "district": district[obs_row[idx]],
                "metric": pd.Series(codes[metric[idx]], dtype=str),
                "period": starts[obs_row[idx]],
                "value": values[idx],
            }
        )
        return ParsedFile(
            rows=rows,
            errors=self._error_list(),
            rows_read=len(obs_row),
            rows_blank=int(blank.sum()),
            rows_rejected=int(rejected.sum()),
            shape=layout.shape,
            header_row=self.table.header_row,
            kind=layout.kind,
        )

    def _data_rows(self) -> np.ndarray:
        """Positions of the rows with something in a used column (blank lines are read past)."""
        layout = self.layout
        used = [layout.district, layout.period, layout.metric, layout.value, *layout.metric_columns]
        blank_line = np.ones(self.n_rows, dtype=bool)
        for c in used:
            if c is not None:
                blank_line &= (self.cells[c].str.strip() == "").to_numpy(dtype=bool)
        if blank_line.all():
            raise FileRejected(
                f"فایل زیر سطر عنوان (سطر {fa_number(self.table.header_row)}) هیچ ردیف داده‌ای ندارد",
                f"the file has no data rows below its header (row {self.table.header_row})",
            )
        return np.flatnonzero(~blank_line)

    # -------------------------------------------------------- periods
    def _periods(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(Gregorian first day, a number per distinct month, reason) per data row."""
        column = self.layout.period
        if column is None:
            starts = np.empty(self.n_rows, dtype=object)
            starts[:] = self.given
            return starts, np.zeros(self.n_rows, dtype="int64"), np.full(self.n_rows, None, dtype=object)
        texts = self.cells[column].str.strip()
        codes, uniques = pd.factorize(texts, use_na_sentinel=False)
        unique_texts = pd.Series(uniques, dtype=str)
        parsed, errors = calendar.parse_months(unique_texts)
        u_start = np.empty(len(uniques), dtype=object)
        u_reason = np.empty(len(uniques), dtype=object)
        for i, text in enumerate(unique_texts):
            start, error = parsed.iloc[i], errors.iloc[i]
            if text == "":
                start, error = self.given, None
                if start is None:
                    error = bilingual(
                        "دوره خالی است؛ ماه شمسی را بنویسید، مثلاً ۱۴۰۴/۰۷ یا «مهر ۱۴۰۴»",
                        "the period is empty; write the Jalali month, such as 1404/07 or 'مهر ۱۴۰۴'",
                    )
            elif pd.isna(error):
                error = None if self.layout.kind == layouts.TARGETS else _future_reason(start, self.last, text)
                if error is None and self.given is not None and start != self.given:
                    error = bilingual(
                        f"دوره «{text}» با دوره‌ی انتخاب‌شده برای بارگذاری ({calendar.month_label_of(self.given)}) "
                        "یکی نیست؛ دوره را اصلاح کنید یا دوره‌ی دیگری انتخاب کنید",
                        f"the period '{text}' is not the period chosen for this load ({_code(self.given)}); "
                        "correct it or choose another period",
                    )
            u_start[i] = start if pd.isna(error) else None
            u_reason[i] = None if pd.isna(error) else error
        # "1404/07" and «مهر ۱۴۰۴» are one month: number the distinct first days
        u_number = pd.factorize(pd.Series(u_start, dtype=object), use_na_sentinel=True)[0].astype("int64")
        starts, numbers, reasons = u_start[codes], u_number[codes], u_reason[codes]
        for row, moment in self.table.date_cells.get(column, {}).items():  # real Excel dates
            try:
                calendar.parse_month(moment)
            except calendar.PeriodParseError as exc:
                starts[row], reasons[row] = None, str(exc)
        return starts, numbers, reasons

    # -------------------------------------------------------- duplicates
    def _duplicates(
        self, keyed: np.ndarray, key: np.ndarray, obs_row: np.ndarray, obs_col: np.ndarray, value_text: pd.Series
    ) -> np.ndarray:
        """Mark every copy of a (district, metric, period) that appears more than once."""
        duplicate = np.zeros(len(obs_row), dtype=bool)
        idx = np.flatnonzero(keyed)
        if len(idx) < 2:
            return duplicate
        repeated = pd.Series(key[idx]).duplicated(keep=False).to_numpy()
        if not repeated.any():
            return duplicate
        dup_idx = idx[repeated]
        duplicate[dup_idx] = True
        frame = pd.DataFrame({"key": key[dup_idx], "row": self.table.row_numbers[obs_row[dup_idx]], "obs": dup_idx})
        frame = frame.sort_values(["key", "row"], kind="stable")
        group = frame.groupby("key", sort=False)["row"]
        first = group.transform("first").to_numpy()
        copies = group.transform("size").to_numpy()
        second = frame["row"].where(group.cumcount() == 1).groupby(frame["key"]).transform("max").to_numpy()
        other = np.where(frame["row"].to_numpy() == first, second, first).astype("int64")
        reasons = [
            bilingual(
                f"همین منطقه، شاخص و دوره در ردیف {fa_number(o)} هم آمده است"
                + (f" (روی‌هم {fa_number(n)} بار)" if n > 2 else "")
                + "؛ فقط یک ردیف را نگه دارید",
                f"the same district, metric and period are also in row {o}"
                + (f" ({n} times in all)" if n > 2 else "")
                + "; keep only one of them",
            )
            for o, n in zip(other.tolist(), copies.tolist(), strict=True)
        ]
        obs = frame["obs"].to_numpy()
        self._add(obs_row[obs], obs_col[obs], value_text.iloc[obs], np.array(reasons, dtype=object))
        return duplicate

    # -------------------------------------------------------- errors
    def _add(self, rows: np.ndarray, col, texts, reasons) -> None:
        if len(rows) == 0:
            return
        self._errors.append(
            pd.DataFrame(
                {
                    "row": np.asarray(rows, dtype="int64"),
                    "col": np.broadcast_to(np.asarray(col, dtype="int64"), (len(rows),)),
                    "text": np.asarray(texts, dtype=object),
                    "reason": pd.Series(reasons, dtype=object).to_numpy(),
                }
            )
        )

    def _error_list(self) -> list[RowError]:
        if not self._errors:
            return []
        frame = pd.concat(self._errors, ignore_index=True).sort_values(["row", "col"], kind="stable")
        numbers = self.table.row_numbers[frame["row"].to_numpy()].tolist()
        headers = self.table.headers
        return [
            RowError(row=n, column=headers[c], value=normalise.clean_text(t if t is not None else ""), reason=r)
            for n, c, t, r in zip(
                numbers, frame["col"].tolist(), frame["text"].tolist(), frame["reason"].tolist(), strict=True
            )
        ]
