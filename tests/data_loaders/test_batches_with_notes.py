"""The batches list (page, command line) after every kind of load, notes or none, on both stores:
a batch without notes is NULL in the store, which pandas 3 hands back as NaN beside the texts."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from data_loaders import boundaries
from data_loaders.load import load_file
from monitoring import store
from monitoring.message import Message
from monitoring.store.queries import _json_dict
from monitoring.store.schema import MessageList, MessageText
from tests.access import sign_in_apptest
from tests.conftest import ROOT
from tests.data_loaders.helpers import TODAY, csv_bytes


def _two_sheets() -> bytes:
    book = Workbook()
    first = book.active
    first.title = "مهر"
    for row in (["منطقه", "شاخص", "دوره", "مقدار"], [4, "news_published", "1404/07", 3]):
        first.append(row)
    book.create_sheet("یادداشت").append(["فقط یادداشت"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# (name, bytes, options): each kind of load, most of them leaving notes with their batch
LOADS = [
    ("plain.csv", csv_bytes("district,metric,period,value", "1,news_published,1404/07,5"), {}),
    ("gregorian.csv", csv_bytes("district,metric,period,value", "2,news_published,2025-10-05,6"), {}),
    ("events.csv", csv_bytes("تاریخ,منطقه,نوع", "1404/07/03,3,خبر", "1404/07/09,3,خبر"), {}),
    ("wide.csv", csv_bytes("منطقه,news_published", "5,7", "جمع,7"), {"period": "1404/08"}),
    ("targets.csv", csv_bytes("منطقه,شاخص,دوره,هدف", "کل شهر,news_published,1404/09,50"), {}),
    ("book.xlsx", _two_sheets(), {"period": None}),
    ("lenient.csv", csv_bytes("district,metric,period,value", "6,news_published,1404/07,5", "99,x,1404/07,1"), {}),
]


DEMO_BOUNDARIES = ROOT / "sample_data" / "demo_files" / "districts_schematic.geojson"


def _load_every_kind(engine) -> list[int]:
    ids = []
    for name, data, options in LOADS:
        result = load_file(engine, data, name, today=TODAY, skip_bad_rows=True, **options)
        assert result.file_error is None, (name, result.file_error)
        ids.append(result.batch_id)
    shapes = boundaries.load_boundaries(engine, DEMO_BOUNDARIES.read_bytes(), "districts.geojson")
    assert shapes.ok
    return ids


def _check_list(engine) -> None:
    frame = store.batch_list(engine)
    frame = frame[frame["source_name"] != "districts.geojson"]  # a boundaries batch, when the list holds one
    assert len(frame) == len(LOADS)
    for notes in frame["notes"]:
        assert isinstance(notes, list) and all(isinstance(n, Message) for n in notes)
    by_name = dict(zip(frame["source_name"], frame["notes"], strict=True))
    assert by_name["plain.csv"] == []
    assert any("Gregorian" in n.en and "میلادی" in n.fa for n in by_name["gregorian.csv"])
    assert any("event" in n.en for n in by_name["events.csv"])
    assert any("totals" in n.en for n in by_name["wide.csv"])
    assert any("یادداشت" in n.fa for n in by_name["book.xlsx"])


def _run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DASHBOARD_DB_PATH")}
    environ.update({"PYTHONPATH": str(ROOT), **env})
    done = subprocess.run(
        [sys.executable, "-m", "data_loaders", *args], env=environ, capture_output=True, text=True, timeout=120
    )
    assert "Traceback" not in done.stdout + done.stderr
    return done


def _check_cli(env: dict[str, str]) -> None:
    plain = _run_cli(env, "batches")
    assert plain.returncode == 0, plain.stderr
    assert "events.csv" in plain.stdout and "plain.csv" in plain.stdout
    as_json = _run_cli(env, "batches", "--json")
    assert as_json.returncode == 0, as_json.stderr
    listed = json.loads(as_json.stdout)["batches"]
    assert {b["source_name"] for b in listed} - {"districts.geojson"} == {name for name, _, _ in LOADS}
    assert all(isinstance(b["notes"], list) for b in listed)
    notes = [Message.from_dict(n) for b in listed for n in b["notes"]]  # each note with both its languages
    assert notes and any("Gregorian" in n.en for n in notes)


@pytest.mark.slow  # the command line runs in a child process
def test_batches_list_and_command_line_read_notes_of_every_load_on_sqlite(engine, tmp_path):
    _load_every_kind(engine)
    _check_list(engine)
    path = engine.url.database
    _check_cli({"DASHBOARD_DB_PATH": str(path)})


@pytest.mark.postgres
def test_batches_list_and_command_line_read_notes_of_every_load_on_postgresql(pg_engine):
    _load_every_kind(pg_engine)
    _check_list(pg_engine)
    _check_cli({"DATABASE_URL": pg_engine.url.render_as_string(hide_password=False)})


def test_batches_page_shows_a_batch_with_notes_and_one_without(engine, tmp_path, monkeypatch):
    _load_every_kind(engine)
    monkeypatch.setenv("DASHBOARD_DB_PATH", str(engine.url.database))
    monkeypatch.setenv("DASHBOARD_SAMPLE", "0")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    at = sign_in_apptest(AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60), monkeypatch, tmp_path)
    at.switch_page("views/batches.py")
    at.run()
    assert not at.exception
    box = next(s for s in at.selectbox if s.key == "batches_pick")
    for batch_id in box.options:
        box.set_value(int(batch_id) if str(batch_id).isdigit() else batch_id)
        at.run()
        assert not at.exception


NOTE = Message("تاریخ میلادی تبدیل شد", "Gregorian dates converted")


@pytest.mark.parametrize(
    "raw, expected",
    [
        (None, []),
        ("", []),
        ("null", []),
        ('[{"fa": "تاریخ میلادی تبدیل شد", "en": "Gregorian dates converted"}]', [NOTE]),
        (json.dumps([NOTE.to_dict()]).encode(), [NOTE]),  # bytes, escaped
        ([{"fa": NOTE.fa, "en": NOTE.en}], [NOTE]),  # PostgreSQL's driver may decode it already
        # a note stored before the store kept the languages apart
        ('["تاریخ میلادی تبدیل شد / Gregorian dates converted"]', [NOTE]),
        ("تاریخ میلادی تبدیل شد / Gregorian dates converted", [NOTE]),
    ],
)
def test_notes_are_read_as_messages_whatever_the_store_returns(raw, expected):
    assert MessageList().process_result_value(raw, None) == expected


def test_a_message_column_keeps_both_languages_through_the_store():
    stored = MessageText().process_bind_param(NOTE, None)
    assert MessageText().process_result_value(stored, None) == NOTE
    assert MessageList().process_result_value(MessageList().process_bind_param([NOTE, NOTE], None), None) == [
        NOTE,
        NOTE,
    ]
    assert MessageList().process_bind_param([], None) is None  # no notes: NULL, as before


@pytest.mark.parametrize("raw", [None, float("nan"), "", "[1]", b"{}", "{bad"])
def test_audit_detail_is_a_dict_whatever_the_store_returns(raw):
    assert isinstance(_json_dict(raw), dict)
