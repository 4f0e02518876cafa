"""Text from data is shown as plain text: a metric's name holding Markdown (a link, bold, a colour
directive) reaches no heading as Markdown, and bidi controls (U+202A–202E, U+2066–2069, U+200E/F,
U+061C) never reach a page, in names, file names or cells (``monitoring.text.plain``)."""

from __future__ import annotations

import dataclasses
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from monitoring import store
from monitoring.text import BIDI_CONTROLS, escape_html, markdown_literal, plain
from tests.access import use_test_accounts
from tests.views.test_pages_apptest import DASHBOARD, html_bodies
from ui import load_report, tables

CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
# the catalog refuses []<>`*_#|!~$\\{} in a Persian name; a bare address and a bidi override it lets through
HOSTILE_NAME = "اخبار https://evil.example/x \u202eمعکوس"


@pytest.mark.parametrize("control", list(CONTROLS))
def test_every_bidi_control_is_taken_out(control):
    assert plain(f"report{control}cod.exe.csv") == "reportcod.exe.csv"
    assert control not in escape_html(f"a{control}b") and control not in markdown_literal(f"a{control}b")


def test_zwnj_and_persian_text_are_kept():
    assert plain("گزارش‌های ارسالی") == "گزارش‌های ارسالی"  # ZWNJ (U+200C) is part of Persian spelling


def test_markdown_in_a_name_is_escaped_for_headings():
    shown = markdown_literal("[click](https://evil.example) **b** :red[x] <b>")
    for raw in ("[click]", "](", "**", ":red[", "<b>"):
        assert raw not in shown
    assert shown.replace("\\", "") == "[click](https://evil.example) **b** :red[x] <b>"


def test_file_names_and_cells_reach_html_without_controls():
    name = "report\u202ecod.exe.csv"
    assert "\u202e" not in load_report.file_name_html(name)
    assert "reportcod.exe.csv" in load_report.file_name_html(name)
    assert not BIDI_CONTROLS.search(tables.cell_html("منطقه\u202e۷"))
    assert not BIDI_CONTROLS.search(load_report.cell_text_html("x\u2066y"))


@pytest.fixture
def hostile_store(sample_db_path, tmp_path, monkeypatch):
    path = tmp_path / "store.sqlite"
    shutil.copy(sample_db_path, path)
    eng = store.make_engine(f"sqlite:///{path}")
    catalog = store.metric_catalog(eng)
    code = next(iter(catalog))
    store.write_metrics(eng, [dataclasses.replace(catalog[code], name_fa=HOSTILE_NAME)], actor="test")
    eng.dispose()
    monkeypatch.setenv("DASHBOARD_DB_PATH", str(path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    use_test_accounts(monkeypatch, tmp_path)
    return code


@pytest.mark.parametrize("page", ["views/overview.py", "views/district.py", "views/rankings.py"])
def test_a_hostile_metric_name_is_plain_text_on_every_page(hostile_store, page):
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.switch_page(page).run()
    assert not at.exception
    markdown_bodies = [m.value for m in at.markdown] + [s.value for s in at.subheader] + [t.value for t in at.title]
    markdown_bodies += [c.value for c in at.caption]
    everything = markdown_bodies + html_bodies(at)
    assert not any(BIDI_CONTROLS.search(body) for body in everything)
    named = [body for body in markdown_bodies if "evil" in body]
    if page == "views/overview.py":  # its headings name the first metric of the catalog
        assert len(named) >= 2, "the metric's name is in the overview's headings"
    for body in named:  # a Markdown body holds the address only escaped: never a link
        assert "https://evil.example" not in body and "https\\://evil\\.example" in body
    for body in html_bodies(at):
        assert 'href="https://evil.example' not in body
