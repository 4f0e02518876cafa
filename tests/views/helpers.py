"""Reading a page run under AppTest as a person reads it: its HTML blocks, charts, notices, tables and text."""

from __future__ import annotations

from html.parser import HTMLParser

from tests.conftest import DASHBOARD
from ui import plot

__all__ = ["DASHBOARD", "figures", "html_bodies", "notes", "plain", "tables", "text_of"]


def html_bodies(at) -> list[str]:
    """The HTML blocks the page drew (the theme's style sheet left out)."""
    return [el.proto.body for el in at.get("html") if not el.proto.body.lstrip().startswith("<style>")]


def figures(at):
    """The figures the page drew, read back from the charts' HTML."""
    return [plot.figure_from_html(body) for body in html_bodies(at) if plot.CHART_ID_PREFIX in body]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain(body: str) -> str:
    parser = _Text()
    parser.feed(body)
    return " ".join(p.strip() for p in parser.parts if p.strip())


def notes(at, kind: str) -> list[str]:
    """The text of the page's bilingual notices of one kind (info, success, warning, error)."""
    return [plain(b) for b in html_bodies(at) if f"dash-note-{kind}" in b]


class _Table(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.mine: list[bool] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
            self.mine.append(("class", "mine") in attrs)
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data.strip())


def tables(at) -> list[tuple[list[dict[str, str]], list[bool]]]:
    """Each HTML table of the page: its rows as dicts (header -> cell) and which rows are highlighted."""
    out = []
    for body in html_bodies(at):
        if "dash-table" not in body:
            continue
        parser = _Table()
        parser.feed(body)
        header, *rows = parser.rows
        out.append(([dict(zip(header, r, strict=True)) for r in rows], parser.mine[1:]))
    return out


def text_of(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    parts += [s.value for s in at.subheader] + [plain(b) for b in html_bodies(at)]
    return "\n".join(parts)
