"""Standard ``logging``, configured once, and the short reference a user can quote.

Every screen and command calls :func:`configure_logging` once at start; it is safe to call again
(Streamlit reruns the script on every interaction). An exception nobody expected goes through
:func:`report_unexpected`, which logs it with its traceback under a reference such as
``E-3F9A0C1D`` and returns that reference; the user is shown :func:`unexpected_error_message`,
never the traceback. Support finds the traceback in the log by searching for the reference.

Environment:

- ``DASHBOARD_LOG_LEVEL``: ``DEBUG``, ``INFO`` (default), ``WARNING``, ``ERROR``; for the
  dashboard's own loggers. Other libraries log at ``WARNING`` and above.
- ``DASHBOARD_LOG_FILE``: a file that gets every record as well (UTF-8, appended).
"""

from __future__ import annotations

import logging
import sys
import uuid
from pathlib import Path
from typing import TextIO

from monitoring import config
from monitoring.config import settings_from_env
from monitoring.message import Message

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
DEFAULT_LEVEL = logging.INFO
# the dashboard's own packages; everything else is left at WARNING so a library's chatter
# (Alembic's "Context impl SQLiteImpl", say) does not fill the log
OWN_LOGGERS = ("dashboard", "monitoring", "data_loaders", "ui", "views")
ERRORS_LOGGER = "monitoring.errors"
_MARK = "_dashboard_handler"

logger = logging.getLogger(__name__)


def log_level(environ: dict[str, str] | None = None) -> int:
    """The level named by ``DASHBOARD_LOG_LEVEL`` (a name or a number); INFO when unset or unknown."""
    raw = settings_from_env(environ).log_level.upper()
    if not raw:
        return DEFAULT_LEVEL
    if raw.isdigit():
        return int(raw)
    level = logging.getLevelName(raw)
    return level if isinstance(level, int) else DEFAULT_LEVEL


class _Formatter(logging.Formatter):
    """The house format; ``tracebacks=False`` writes an exception as one line (for a terminal whose
    full record goes to a log file instead)."""

    def __init__(self, tracebacks: bool = True) -> None:
        super().__init__(LOG_FORMAT, DATE_FORMAT)
        self.tracebacks = tracebacks

    def format(self, record: logging.LogRecord) -> str:
        if self.tracebacks or not record.exc_info:
            return super().format(record)
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info = record.exc_text = record.stack_info = None
        try:
            return super().format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved


def _own_handlers(root: logging.Logger) -> list[logging.Handler]:
    return [h for h in root.handlers if getattr(h, _MARK, False)]


class _StderrHandler(logging.StreamHandler):
    """A stream handler that writes to whatever ``sys.stderr`` is when a record comes, not the stream
    it was when the handler was made (a redirected or replaced stderr never gets a closed stream)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:  # the base class sets it once; stderr is always read afresh
        pass


def configure_logging(
    *,
    stream: TextIO | None = None,
    log_file: str | Path | None = None,
    tracebacks_on_stream: bool = True,
    force: bool = False,
) -> None:
    """Send log records to ``stream`` (default stderr) in the house format, and also to ``log_file``
    (default ``DASHBOARD_LOG_FILE``) when one is named.

    Idempotent: a second call does nothing unless ``force`` (which replaces the handlers this
    function added earlier; handlers added by others, such as pytest's, are left alone).
    ``tracebacks_on_stream=False`` keeps tracebacks off the stream (a terminal), for when the
    log file holds them.
    """
    root = logging.getLogger()
    existing = _own_handlers(root)
    if existing and not force:
        return
    for handler in existing:
        root.removeHandler(handler)
        handler.close()
    level = log_level()
    stream_handler = logging.StreamHandler(stream) if stream is not None else _StderrHandler()
    stream_handler.setFormatter(_Formatter(tracebacks=tracebacks_on_stream))
    handlers: list[logging.Handler] = [stream_handler]
    log_file = log_file if log_file is not None else (config.settings().log_file or None)
    if log_file:
        path = Path(log_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        file_handler = logging.FileHandler(path, encoding="utf-8")
        file_handler.setFormatter(_Formatter())
        handlers.append(file_handler)
    for handler in handlers:
        setattr(handler, _MARK, True)
        root.addHandler(handler)
    root.setLevel(max(level, logging.WARNING))
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(level)


def log_file_path() -> Path | None:
    """The file :func:`configure_logging` writes to, if any."""
    for handler in _own_handlers(logging.getLogger()):
        if isinstance(handler, logging.FileHandler):
            return Path(handler.baseFilename)
    return None


def new_reference() -> str:
    """A short code a user can read out: ``E-`` and 8 upper-case hex digits."""
    return f"E-{uuid.uuid4().hex[:8].upper()}"


def report_unexpected(exc: BaseException, where: str) -> str:
    """Log ``exc`` with its traceback under a new reference and return the reference.

    ``where`` says what was being done ("data_loaders sample", "views.upload: storing a file");
    it goes into the record, so the log line reads "E-3F9A0C1D unexpected error in ...".
    """
    reference = new_reference()
    logging.getLogger(ERRORS_LOGGER).error(
        "%s unexpected error in %s: %s: %s",
        reference,
        where,
        type(exc).__name__,
        exc,
        exc_info=(type(exc), exc, exc.__traceback__),
        extra={"reference": reference, "where": where},
    )
    return reference


def unexpected_error_message(reference: str) -> Message:
    """The message shown for an exception logged by :func:`report_unexpected`."""
    return Message(
        fa=f"خطای پیش‌بینی‌نشده‌ای رخ داد؛ این کد را به پشتیبانی بدهید: {reference}",
        en=f"Something unexpected went wrong; quote this reference to support: {reference}",
    )
