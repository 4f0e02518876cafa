"""Right-to-left HTML tables: ``st.dataframe`` draws left to right on a canvas, and ``st.table``
squeezes cells into many lines on a phone. These keep each cell on one line and let a narrow
screen scroll the table sideways; every cell is escaped (file names and reasons come from users)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

import pandas as pd
import streamlit as st

from monitoring.message import Message
from ui.html import Markup, macro
from ui.messages import persian_html

_LATIN = re.compile("[A-Za-z]")


def cell_html(value: object, bilingual: bool = False) -> Markup:
    """A cell escaped; with ``bilingual``, a :class:`Message` (or its ``{"fa", "en"}``) as the Persian with
    the English under it in an element of its own."""
    if bilingual and isinstance(value, (Message, Mapping)):
        message = Message.read(value)
        assert message is not None
        return macro("tables.html", "bilingual_cell")(persian_html(message.fa), message.en)
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return persian_html(text)


def table_html(
    df: pd.DataFrame,
    highlight: Sequence[bool] | None = None,
    numeric: Iterable[str] = (),
    wrap: Iterable[str] = (),
    bilingual: Iterable[str] = (),
    code: Iterable[str] = (),
    caption: str | None = None,
    phone_hidden: Iterable[str] = (),
    stack_on_phone: bool = True,
    markup: Iterable[str] = (),
    notes: Sequence[tuple[str | None, str]] = (),
) -> Markup:
    """An escaped RTL table; ``highlight`` marks rows (my district), ``numeric`` columns align their
    digits, ``wrap`` columns may break lines, ``bilingual`` columns hold messages, shown as two
    elements, ``code`` columns are shown as code (file names, metric codes). On a phone a table is a
    stack of cards, one a row (``stack_on_phone``), or a table without the ``phone_hidden`` columns.
    ``markup`` columns hold HTML the dashboard built itself (links, change chips), shown as it is.
    ``notes`` are the footnote under it, ``(column, sentence)``: a sentence about a column goes where
    the column goes (hidden with it on a phone); ``None`` for one about the whole table."""
    markup = set(markup)
    numeric, wrap, bilingual, code = set(numeric), set(wrap), set(bilingual), set(code)
    hidden = set(phone_hidden)
    columns = [(str(c), c in hidden) for c in df.columns]
    rows = []
    marks = list(highlight) if highlight is not None else [False] * len(df)
    for mark, record in zip(marks, df.itertuples(index=False, name=None), strict=True):
        cells = []
        for column, value in zip(df.columns, record, strict=True):
            flags = (("num", column in numeric), ("wrap", column in wrap), ("phone-hidden", column in hidden))
            classes = " ".join(c for c, on in flags if on)
            # a markup column's cells are HTML the dashboard built (ui.links, ui.fmt's chips): shown whole
            body = Markup(str(value)) if column in markup else cell_html(value, column in bilingual)
            if column in code and _LATIN.search(str(value)):  # a Latin file name or code reads left to right
                body = macro("tables.html", "code_cell")(str(value))
            cells.append((str(column), classes, body))
        rows.append((bool(mark), cells))
    return macro("tables.html", "table")(columns, rows, caption, stack_on_phone, _notes(notes, hidden, set(df.columns)))


def _notes(
    notes: Sequence[tuple[str | None, str]], phone_hidden: set[str], columns: set[str]
) -> list[tuple[bool, str | None, Markup]]:
    """The footnote's sentences as the template takes them: (hidden on a phone, column, sentence)."""
    shown = []
    for column, sentence in notes:
        if column is not None and column not in columns:
            raise ValueError(f"a table note about {column!r}, which is not one of its columns")
        shown.append((column in phone_hidden, column, persian_html(sentence)))
    return shown


PERIOD_COLUMN = "دوره"


def export_frame(
    df: pd.DataFrame, export: pd.DataFrame | None = None, markup: Iterable[str] = (), period: str | None = None
) -> pd.DataFrame:
    """What a table's downloads hold: ``export`` (plain values, numbers as numbers, built by the view
    from its data) or else the shown frame, which then may have no ``markup`` column (a link or a chip
    is no value for a file: the view gives ``export``); ``period`` (a Jalali label such as «مهر ۱۴۰۴»)
    as a «دوره» column first, unless the frame has one."""
    _needs_no_export(df, export, markup)
    out = (export if export is not None else df).copy()
    if period is not None and PERIOD_COLUMN not in out.columns:
        out.insert(0, PERIOD_COLUMN, period)
    return out


def _needs_no_export(df: pd.DataFrame, export: pd.DataFrame | None, markup: Iterable[str]) -> None:
    """A table with ``markup`` columns has its downloads' values from the view (``export``), built from
    its data, never read back out of the cells' HTML."""
    if export is None and set(markup) & set(df.columns):
        raise ValueError("a table with markup columns needs its plain values as export for its downloads")


def download_buttons(
    frame: pd.DataFrame | Callable[[], pd.DataFrame], download: str, container=None, sheet: str | None = None
) -> None:
    """«دریافت سی‌اس‌وی» (CSV) and «دریافت اکسل» (Excel) for ``frame``, small, side by side, under a table; the files
    are named ``download`` (a stable stem such as ``rankings-news_published-1404-07``). The files are written
    when a button is clicked (Streamlit's deferred downloads), not on every run of the page; ``frame``
    may be a function that makes the frame then."""
    from monitoring import exports

    stem = exports.file_stem(download)
    source = frame if callable(frame) else (lambda: frame)
    row = (container or st).container(horizontal=True, gap="small", key=f"dash-dl-{stem}")
    row.download_button(
        "دریافت سی‌اس‌وی",
        lambda: exports.to_csv_bytes(source()),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"dl_csv_{stem}",
        type="tertiary",
        icon=":material/download:",
        on_click="ignore",
    )
    row.download_button(
        "دریافت اکسل",
        lambda: exports.to_xlsx_bytes(source(), sheet or stem),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"dl_xlsx_{stem}",
        type="tertiary",
        icon=":material/download:",
        on_click="ignore",
    )


def show(
    df: pd.DataFrame,
    container=None,
    download: str | None = None,
    export: pd.DataFrame | None = None,
    period: str | None = None,
    sheet: str | None = None,
    **options,
) -> None:
    """The table; with ``download`` (a file stem) also its CSV and Excel downloads under it, holding
    ``export`` or else the shown values, for a table without ``markup`` columns (see ``export_frame``)."""
    (container or st).html(table_html(df, **options))
    if download:
        markup = options.get("markup", ())
        _needs_no_export(df, export, markup)  # said when the page draws, not at a click
        download_buttons(lambda: export_frame(df, export, markup, period), download, container, sheet)


# ---------------------------------------------------------------- long lists: a few rows, then «more»


def _more_key(key: str) -> str:
    return f"_more_{key}"


def rows_shown(key: str, total: int, first: int) -> int:
    """How many of a list's ``total`` rows to show now: ``first``, more each time its «more» button
    (:func:`more_button`, same ``key``) is pressed. A phone's screen is not filled by one list."""
    return min(total, int(st.session_state.get(_more_key(key), first)))


def more_button(key: str, shown: int, total: int, step: int, noun: str = "مورد", container=None) -> None:
    """Under a list: how many rows of how many are shown, and a button for ``step`` more while any are
    left (nothing when the list was short enough to show whole at once)."""
    from ui import fmt

    where = container or st
    if shown >= total:
        if st.session_state.get(_more_key(key)):
            where.caption(f"همهٔ {fmt.num(total)} {noun} نشان داده شد.")
        return
    where.caption(f"{fmt.num(shown)} {noun} از {fmt.num(total)} نشان داده شد.")

    def more() -> None:
        st.session_state[_more_key(key)] = shown + step

    where.button(
        f"نمایش {fmt.num(min(step, total - shown))} {noun} دیگر",
        key=f"more_{key}",
        on_click=more,
        type="secondary",
        icon=":material/expand_more:",
    )
