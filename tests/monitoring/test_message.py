"""One bilingual message type from where a message is made to where it is shown: the Persian and
the English travel apart, through exceptions, JSON reports and the store, and are never split."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from data_loaders.results import FileRejected, LoadResult, RowError
from monitoring.accounts import AccountsError
from monitoring.calendar import PeriodParseError, parse_month
from monitoring.message import Message, MessageError
from monitoring.slides import DeckError
from monitoring.store import RollbackRefused
from tests.bilingual import assert_bilingual
from ui.load_job import LoaderFailed

ROOT = Path(__file__).resolve().parents[2]
WHY = Message("منطقهٔ ۲۳ وجود ندارد", "district 23 does not exist")


@pytest.mark.parametrize("fa, en", [("", "x"), ("الف", ""), ("  ", "x"), ("الف", "  ")])
def test_a_message_without_its_persian_or_its_english_cannot_be_made(fa, en):
    with pytest.raises(ValueError):
        Message(fa, en)


def test_a_message_survives_a_json_report_with_both_parts():
    assert Message.from_dict(json.loads(json.dumps(WHY.to_dict(), ensure_ascii=False))) == WHY
    assert Message.read(None) is None and Message.read(WHY) is WHY
    with pytest.raises(ValueError):
        Message.from_dict({"fa": WHY.fa})  # a report that lost its English is refused, not shown half
    with pytest.raises(ValueError):
        Message.read("منطقه / district")  # joined text is not a message


def test_a_prefix_goes_to_each_language():
    where = WHY.prefixed("برگهٔ «الف»: ", "sheet 'الف': ")
    assert where == Message("برگهٔ «الف»: " + WHY.fa, "sheet 'الف': " + WHY.en)


@pytest.mark.parametrize("error", [FileRejected, AccountsError, RollbackRefused, DeckError, PeriodParseError])
def test_every_domain_error_carries_one_message(error):
    exc = error(WHY.fa, WHY.en)
    assert isinstance(exc, MessageError) and exc.message == WHY
    assert (exc.fa, exc.en) == (WHY.fa, WHY.en)


def test_the_child_process_failure_carries_a_message_and_its_reference():
    exc = LoaderFailed(WHY, "E-1")
    assert exc.message == WHY and exc.reference == "E-1"


def test_a_calendar_refusal_has_a_persian_and_an_english_part():
    with pytest.raises(PeriodParseError) as caught:
        parse_month("1404/13")
    read = assert_bilingual(caught.value.message)
    assert "13" in read.en and "۱۳" in read.fa and " / " not in read.fa


def test_a_load_report_keeps_each_message_as_persian_and_english():
    result = LoadResult("a.csv", "0" * 64, None, 1, 0, 1, 0, [RowError(2, "منطقه", "23", WHY)], WHY, notes=[WHY])
    doc = result.to_dict()
    for message in (doc["file_error"], doc["errors"][0]["reason"], doc["notes"][0]):
        assert message == {"fa": WHY.fa, "en": WHY.en}


def _joins_or_splits(path: Path) -> list[str]:
    """Where a module joins two texts with « / » into one string literal or splits one at « / »."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("partition", "split", "rsplit") and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and arg.value == " / ":
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: .{node.func.attr}(' / ')")
        if isinstance(node, ast.JoinedStr) and len(node.values) == 3:  # f"{fa} / {en}", the whole string
            first, middle, last = node.values
            if (
                isinstance(middle, ast.Constant)
                and middle.value == " / "
                and isinstance(first, ast.FormattedValue)
                and isinstance(last, ast.FormattedValue)
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: f'{{..}} / {{..}}'")
    return found


def test_no_module_joins_a_persian_and_an_english_text_or_splits_them_back():
    allowed = {ROOT / "monitoring" / "message.py", ROOT / "monitoring" / "store" / "schema.py"}
    modules = [p for d in ("monitoring", "data_loaders", "ui", "views") for p in (ROOT / d).rglob("*.py")]
    found = [hit for p in modules + [ROOT / "dashboard.py"] if p not in allowed for hit in _joins_or_splits(p)]
    assert found == []
