"""Logging configured once, and an unexpected error logged with its traceback under a reference."""

from __future__ import annotations

import io
import logging
import re

import pytest

from monitoring import logs

REFERENCE = re.compile(r"E-[0-9A-F]{8}")


@pytest.fixture
def clean_root(monkeypatch):
    """The root logger and the dashboard's loggers as they were, after the test."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level, {n: logging.getLogger(n).level for n in logs.OWN_LOGGERS}
    root.handlers[:] = [h for h in root.handlers if not getattr(h, "_dashboard_handler", False)]
    monkeypatch.delenv("DASHBOARD_LOG_LEVEL", raising=False)
    monkeypatch.delenv("DASHBOARD_LOG_FILE", raising=False)
    yield root
    for handler in root.handlers:
        if getattr(handler, "_dashboard_handler", False) and handler not in saved[0]:
            handler.close()
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    for name, level in saved[2].items():
        logging.getLogger(name).setLevel(level)


def _broken_helper() -> None:
    {}["missing key"]


def _raised() -> KeyError:
    try:
        _broken_helper()
    except KeyError as exc:
        return exc
    raise AssertionError("the helper did not raise")


def test_report_unexpected_logs_the_traceback_under_the_reference_it_returns(caplog):
    exc = _raised()
    reference = logs.report_unexpected(exc, "tests: a broken helper")
    assert REFERENCE.fullmatch(reference)
    [record] = [r for r in caplog.records if r.name == logs.ERRORS_LOGGER]
    assert record.levelno == logging.ERROR
    assert record.exc_info[1] is exc
    assert reference in record.getMessage() and "tests: a broken helper" in record.getMessage()
    assert record.reference == reference
    assert "Traceback" in caplog.text and "_broken_helper" in caplog.text


def test_each_report_gets_its_own_reference(caplog):
    first = logs.report_unexpected(_raised(), "here")
    second = logs.report_unexpected(_raised(), "here")
    assert first != second


def test_unexpected_error_message_has_persian_and_english_parts_with_the_reference():
    message = logs.unexpected_error_message("E-3F9A0C1D")
    assert message.fa == "خطای پیش‌بینی‌نشده‌ای رخ داد؛ این کد را به پشتیبانی بدهید: E-3F9A0C1D"
    assert message.en == "Something unexpected went wrong; quote this reference to support: E-3F9A0C1D"
    assert str(message) == f"{message.fa} / {message.en}"


def test_configured_stream_gets_time_level_logger_name_and_the_traceback(clean_root):
    stream = io.StringIO()
    logs.configure_logging(stream=stream)
    reference = logs.report_unexpected(_raised(), "tests")
    text = stream.getvalue()
    assert re.match(rf"\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d ERROR monitoring\.errors: {reference} unexpected", text)
    assert "Traceback (most recent call last)" in text and "_broken_helper" in text


def test_configure_logging_twice_adds_one_handler(clean_root):
    logs.configure_logging(stream=io.StringIO())
    logs.configure_logging(stream=io.StringIO())
    ours = [h for h in clean_root.handlers if getattr(h, "_dashboard_handler", False)]
    assert len(ours) == 1


@pytest.mark.parametrize(("value", "expected"), [("DEBUG", logging.DEBUG), ("warning", logging.WARNING), ("", 20)])
def test_log_level_comes_from_the_environment(clean_root, monkeypatch, value, expected):
    monkeypatch.setenv("DASHBOARD_LOG_LEVEL", value)
    logs.configure_logging(stream=io.StringIO())
    assert logging.getLogger("data_loaders").level == expected
    assert logging.getLogger("monitoring").level == expected


def test_unknown_log_level_falls_back_to_info():
    assert logs.log_level({"DASHBOARD_LOG_LEVEL": "LOUD"}) == logging.INFO


def test_libraries_info_lines_stay_out_while_ours_get_in(clean_root):
    stream = io.StringIO()
    logs.configure_logging(stream=stream)
    logging.getLogger("alembic.runtime.migration").info("Context impl SQLiteImpl.")
    logging.getLogger("data_loaders.cli").info("loaded batch 7")
    assert "loaded batch 7" in stream.getvalue()
    assert "Context impl" not in stream.getvalue()


def test_without_tracebacks_on_the_stream_the_log_file_still_has_it(clean_root, tmp_path):
    stream, path = io.StringIO(), tmp_path / "logs" / "dashboard.log"
    logs.configure_logging(stream=stream, log_file=path, tracebacks_on_stream=False)
    reference = logs.report_unexpected(_raised(), "tests")
    assert reference in stream.getvalue() and "Traceback" not in stream.getvalue()
    written = path.read_text(encoding="utf-8")
    assert reference in written and "Traceback" in written and "_broken_helper" in written
    assert logs.log_file_path() == path
