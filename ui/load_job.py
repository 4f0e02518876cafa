"""Run the file loader for the upload page in a separate process.

Reading and checking a big file is heavy: in the server's own process it would hold memory after
the page is closed and slow every other user's page. So the page hands the file to
``python -m data_loaders load`` (the command line, with the server's own database settings) in a
child process at a lower priority, waits for it without blocking the server, and reads back its
JSON report from its stdout, or, when it could not run, its JSON refusal ``{"error": {"fa", "en"}}``:
the same code, messages and limits as the command line. Its stderr only goes to the log. The
uploaded bytes go to a private temporary folder and are removed as soon as the child is done.

This module is the one door from ``ui/`` and ``views/`` to ``data_loaders`` (``tests/test_architecture.py``
allows no other): besides the child process it gives the first start's sample data
(:func:`load_sample_if_empty`, in the server's process: it is small and the store is empty) and the
loader's reading of a typed number (:func:`read_number`), so a page reads «۱۲٫۵» as a file's cell is read.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from data_loaders import sample
from data_loaders.normalise import parse_number
from monitoring.config import PROJECT_ROOT
from monitoring.message import Message, MessageError

TIMEOUT_SECONDS = 900
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadRequest:
    """What the page asks of the loader."""

    name: str  # the file's name as the user chose it
    dry_run: bool
    period: str | None = None
    sheet: str | None = None
    skip_bad_rows: bool = False
    loaded_by: str = ""


class LoaderFailed(MessageError):
    """The child process gave no report: :attr:`message` says why, ``reference`` is set when the fault
    is ours (logged with its details)."""

    def __init__(self, message: Message, reference: str | None = None) -> None:
        super().__init__(message)
        self.reference = reference


def _command(path: Path, request: LoadRequest) -> list[str]:
    command = [sys.executable, "-m", "data_loaders", "load", str(path), "--json", "--as-name", request.name]
    if request.dry_run:
        command.append("--dry-run")
    if request.period:
        command += ["--period", request.period]
    if request.sheet:
        command += ["--sheet", request.sheet]
    if request.skip_bad_rows:
        command.append("--skip-bad-rows")
    command += ["--loaded-by", request.loaded_by or ""]
    return command


def _lower_priority() -> None:  # pragma: no cover - runs in the child
    try:
        os.nice(5)
    except OSError:
        pass


def run(data: bytes, request: LoadRequest) -> dict:
    """The loader's report for one file (``LoadResult.to_dict``); ``LoaderFailed`` when the child gave
    none (a database it cannot open, a crash, a timeout)."""
    return _run_child(
        data,
        request.name,
        lambda path: _command(path, request),
        lambda report: report["files"][0],
        f"dry run {request.dry_run}",
    )


@dataclass(frozen=True)
class BoundariesRequest:
    """What the page asks of the boundaries loader."""

    name: str  # the file's name as the user chose it
    key: str | None = None  # the property holding the district number (guessed when None)
    loaded_by: str = ""


def run_boundaries(data: bytes, request: BoundariesRequest) -> dict:
    """Load a boundaries file in the same kind of child process as a table (``python -m data_loaders
    boundaries --json``): its parsing and simplification never run in the server's process. The report is
    ``BoundariesResult.to_dict``; ``LoaderFailed`` when the child gave none."""

    def command(path: Path) -> list[str]:
        out = [sys.executable, "-m", "data_loaders", "boundaries", str(path), "--json", "--as-name", request.name]
        if request.key:
            out += ["--key", request.key]
        return out + ["--loaded-by", request.loaded_by or ""]

    return _run_child(data, request.name, command, lambda report: report, "boundaries")


def _run_child(data: bytes, name: str, command, pick, what: str) -> dict:
    from monitoring.logs import report_unexpected

    folder = Path(tempfile.mkdtemp(prefix="dashboard-upload-"))
    os.chmod(folder, 0o700)
    path = folder / ("upload" + Path(name).suffix.lower()[:10])
    try:
        path.write_bytes(data)
        env = dict(
            os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))
        )
        started = time.monotonic()
        with subprocess.Popen(
            command(path),
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=_lower_priority if os.name == "posix" else None,  # noqa: PLW1509 - no threads touched
        ) as child:
            try:
                out, err = child.communicate(timeout=TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                child.kill()
                child.communicate()
                raise LoaderFailed(
                    Message(
                        "بررسی فایل بیش از حد طول کشید و متوقف شد؛ چیزی ذخیره نشد. فایل را کوچک‌تر کنید یا با خط فرمان "
                        "بارگذاری کنید",
                        "checking the file took too long and was stopped; nothing was stored. Split the file or load "
                        "it from the command line",
                    )
                ) from None
        seconds = time.monotonic() - started
        logger.info("loader child for %r (%s) ended with %s in %.1f s", name, what, child.returncode, seconds)
        text = out.decode("utf-8", "replace")
        message = err.decode("utf-8", "replace").strip()
        if child.returncode == 2 and message:
            logger.warning("loader child for %r: %s", name, message)
        try:  # the child's stdout is its JSON: the report, or {"error": {"fa", "en"}} when it could not run
            answer = json.loads(text) if text.strip() else None
            refused = Message.read(answer.get("error")) if isinstance(answer, dict) else None
            report = None if answer is None or refused is not None else pick(answer)
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            reference = report_unexpected(exc, f"reading the loader's report for {name!r}: {text[:500]}")
            raise LoaderFailed(
                Message(
                    f"گزارش بارگذار خوانده نشد؛ چیزی ذخیره نشد. کد پیگیری: {reference}",
                    f"the loader's report could not be read; nothing was stored. Quote {reference} to support",
                ),
                reference,
            ) from exc
        if report is not None:
            return report
        if refused is not None:  # the command refused before reading (a database it cannot open), or stopped
            given = answer.get("reference") if isinstance(answer, dict) else None
            raise LoaderFailed(refused, str(given) if given else None)
        # no JSON at all: the child crashed before it could answer
        reference = report_unexpected(
            RuntimeError(f"loader child exited {child.returncode}: {message[-2000:]}"), f"loading {name!r}"
        )
        raise LoaderFailed(
            Message(
                f"بارگذاری با خطای پیش‌بینی‌نشده‌ای متوقف شد و چیزی ذخیره نشد. کد پیگیری: {reference}",
                f"loading stopped on an unexpected error and nothing was saved; quote {reference} to support",
            ),
            reference,
        )
    finally:
        try:
            path.unlink(missing_ok=True)
            folder.rmdir()
        except OSError as exc:
            logger.warning("cannot remove the temporary upload %s: %s", path, exc)


# ---------------------------------------------------------------- the loader's rules a page uses in its own process


def load_sample_if_empty(engine: Engine) -> int | None:
    """On a first start with an empty store, the sample data (``data_loaders.sample``); replicas
    starting together take turns, and only the first finds the store empty. The number of rows, or None."""
    return sample.load_sample_if_empty(engine)


def read_number(text: str) -> float | None:
    """A number typed on a page read as the loader reads a file's cell (Persian digits, ٫ and ٬, a
    trailing %), or None when it is not one."""
    value, _reason = parse_number(text)
    return value
