"""Right-to-left HTML tables: ``st.dataframe`` draws left to right on a canvas, and ``st.table``
squeezes cells into many lines on a phone. These keep each cell on one line and let a narrow
screen scroll the table sideways; every cell is escaped (file names and reasons come from users)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

import pandas as pd
import streamlit as st

from ui.messages import persian_html, split_bilingual

_LATIN = re.compile("[A-Za-z]")


def cell_html(value: object, bilingual: bool = False) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    if bilingual:
        fa, en = split_bilingual(text)
        if en:
            return f'{persian_html(fa)}<br><span class="en dash-muted" lang="en" dir="ltr">{html.escape(en)}</span>'
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
) -> str:
    """An escaped RTL table; ``highlight`` marks rows (my district), ``numeric`` columns align their
    digits, ``wrap`` columns may break lines, ``bilingual`` columns split "Persian / English" into two
    elements, ``code`` columns are shown as code (file names, metric codes). On a phone a table is a
    stack of cards, one a row (``stack_on_phone``), or a table without the ``phone_hidden`` columns.
    ``markup`` columns hold HTML the dashboard built itself (links, change chips), shown as it is."""
    markup = set(markup)
    numeric, wrap, bilingual, code = set(numeric), set(wrap), set(bilingual), set(code)
    hidden = set(phone_hidden)
    head = "".join(
        f"<th scope='col' class='phone-hidden'>{html.escape(str(c))}</th>"
        if c in hidden
        else f"<th scope='col'>{html.escape(str(c))}</th>"
        for c in df.columns
    )
    rows = []
    marks = list(highlight) if highlight is not None else [False] * len(df)
    for mark, record in zip(marks, df.itertuples(index=False, name=None), strict=True):
        cells = []
        for column, value in zip(df.columns, record, strict=True):
            flags = (("num", column in numeric), ("wrap", column in wrap), ("phone-hidden", column in hidden))
            classes = " ".join(c for c, on in flags if on)
            body = str(value) if column in markup else cell_html(value, column in bilingual)
            if column in code and _LATIN.search(str(value)):  # a Latin file name or code reads left to right
                body = f'<code dir="ltr">{html.escape(str(value))}</code>'
            label = html.escape(str(column), quote=True)
            cls = f" class='{classes}'" if classes else ""
            cells.append(f'<td data-label="{label}"{cls}>{body}</td>')
        rows.append(f"<tr class='mine'>{''.join(cells)}</tr>" if mark else f"<tr>{''.join(cells)}</tr>")
    cap = f"<caption class='dash-muted'>{html.escape(caption)}</caption>" if caption else ""
    return (
        f"<div class='dash-table-wrap'><table class='dash-table{' stack' if stack_on_phone else ''}'>{cap}<thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def show(df: pd.DataFrame, container=None, **options) -> None:
    (container or st).html(table_html(df, **options))
