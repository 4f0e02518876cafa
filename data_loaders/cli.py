"""``python -m data_loaders``: load files, the sample data or the demo files from a terminal.

    python -m data_loaders load FILE... [--period 1404/07] [--json] [--skip-bad-rows] [--loaded-by NAME]
    python -m data_loaders sample [--if-empty]
    python -m data_loaders demo-files [--out DIR]
    python -m data_loaders boundaries FILE.geojson [--key PROPERTY] [--json]

Exit codes: 0 every file loaded cleanly; 1 a file was refused or had rejected rows;
2 a usage or database problem, or an unexpected error. Messages are Persian with the English
beside them, and never a traceback: an unexpected error is logged with its traceback (see
``monitoring.logs``) and the user is shown a reference such as E-3F9A0C1D to quote. On a
terminal the traceback goes to the log file (``DASHBOARD_LOG_FILE``, by default
``~/.local/state/tehran-dashboard/data_loaders.log``) and only one line to the screen; when
stderr is not a terminal (cron, a service, CI) the whole record goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from sqlalchemy import Engine
from sqlalchemy.exc import ArgumentError

from data_loaders.load import load_path
from data_loaders.parse import check_period
from data_loaders.results import FileRejected, LoadResult, bilingual, fa_number
from monitoring import store
from monitoring.calendar import to_persian_digits
from monitoring.config import settings_from_env
from monitoring.faults import database_busy_message, is_database_busy, is_database_fault
from monitoring.logs import configure_logging, log_file_path, report_unexpected, unexpected_error_message

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
MAX_ERRORS_SHOWN = 200
BIG_FILE_ROWS = 100_000
logger = logging.getLogger(__name__)


class UsageError(Exception):
    """A bad command line or an unusable database: exit code 2."""


# ---------------------------------------------------------------- output


class ProgressLine:
    """A «\\r»-updated progress line on stderr, when stderr is a terminal or the file is big."""

    def __init__(self, name: str, stream: TextIO | None = None) -> None:
        self.name = name
        self.stream = stream or sys.stderr
        self.shown = False
        self._last_percent = -1

    def __call__(self, done: int, total: int) -> None:
        if not (self.stream.isatty() or total >= BIG_FILE_ROWS):
            return
        percent = 100 if total == 0 else done * 100 // total
        if percent == self._last_percent:
            return
        self._last_percent = percent
        self.shown = True
        self.stream.write(
            f"\rدر حال ذخیره / writing {self.name}: {fa_number(done)} / {fa_number(total)} ({to_persian_digits(percent)}٪)"
        )
        self.stream.flush()

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def describe(result: LoadResult) -> str:
    """The human report of one file, Persian with the English beside it."""
    lines = [f"فایل / file: {result.source_name}"]
    if result.batch_id is not None:
        status = f"✓ ذخیره شد، دسته‌ی {fa_number(result.batch_id)} / stored as batch {result.batch_id}"
        if result.kind == "targets":
            status = f"✓ هدف‌ها ذخیره شد، دسته‌ی {fa_number(result.batch_id)} / targets stored as batch {result.batch_id}"
        if result.rows_rejected:
            status += " (بدون موارد ردشده / without the rejected rows)"
        lines.append("  " + status)
    else:
        lines.append("  ✗ چیزی ذخیره نشد / nothing stored")
    if result.file_error:
        lines.append(f"  {result.file_error}")
    if result.rows_read:
        lines.append(
            f"  خوانده‌شده / read: {result.rows_read}، ذخیره‌شده / loaded: {result.rows_loaded}، "
            f"ردشده / rejected: {result.rows_rejected}، خالی (گزارش نشده) / blank (not reported): {result.rows_blank}"
        )
    for error in result.errors[:MAX_ERRORS_SHOWN]:
        lines.append(
            f"  ردیف {fa_number(error.row)}، ستون «{error.column}» / row {error.row}, column '{error.column}': "
            f"{error.reason}"
        )
    hidden = len(result.errors) - MAX_ERRORS_SHOWN
    if hidden > 0:
        lines.append(
            f"  … و {fa_number(hidden)} خطای دیگر (همه با ‎--json‎) / … and {hidden} more errors (all with --json)"
        )
    return "\n".join(lines)


def _use_utf8(stream: TextIO) -> None:
    encoding = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
    if encoding != "utf8" and hasattr(stream, "reconfigure"):
        stream.reconfigure(encoding="utf-8", errors="replace")


# ---------------------------------------------------------------- commands


def _database_problem(exc: BaseException, fa_doing: str, en_doing: str, *, nothing_stored: bool = False) -> str:
    """The message for a database fault: "busy, try again" for a lock, else the reason and what to check."""
    reason = store.short_reason(exc)
    logger.warning("database fault (%s): %s: %s", en_doing, type(exc).__name__, reason)
    if is_database_busy(exc):
        busy = database_busy_message(exc)
        if nothing_stored:
            return bilingual(f"{busy.fa}؛ چیزی از این فایل ذخیره نشد", f"{busy.en}; nothing from this file was stored")
        return str(busy)
    return bilingual(
        f"{fa_doing} ({reason})؛ DATABASE_URL یا DASHBOARD_DB_PATH را بررسی کنید",
        f"{en_doing} ({reason}); check DATABASE_URL or DASHBOARD_DB_PATH",
    )


def _open_store() -> Engine:
    """The store, migrated; a UsageError (exit 2) when the database is unusable. A fault in our own
    code while preparing it is not the database's: it goes on to the last net in ``main``."""
    from alembic.util.exc import CommandError

    settings = settings_from_env()
    opening = ("پایگاه داده باز نشد", "cannot open the database")
    try:
        engine = store.make_engine(settings.database_url)
    except (ArgumentError, ImportError, ValueError, OSError) as exc:  # a wrong URL, a missing driver, a bad folder
        raise UsageError(_database_problem(exc, *opening)) from exc
    try:
        store.ensure_ready(engine)
    except Exception as exc:
        engine.dispose()
        if is_database_fault(exc) or isinstance(exc, CommandError):  # down, locked, read-only, from a newer version
            raise UsageError(_database_problem(exc, *opening)) from exc
        raise
    return engine


def _cmd_load(args: argparse.Namespace, out: TextIO) -> int:
    try:
        check_period(args.period)
    except FileRejected as exc:
        raise UsageError(exc.message) from exc
    engine = _open_store()
    results: list[LoadResult] = []
    failed = False
    try:
        for name in args.files:
            progress = ProgressLine(Path(name).name)
            try:
                result = load_path(
                    engine,
                    name,
                    period=args.period,
                    skip_bad_rows=args.skip_bad_rows,
                    loaded_by=args.loaded_by,
                    progress=progress,
                )
            except Exception as exc:  # nothing of this file was stored: each file is one transaction
                failed = True
                if is_database_fault(exc):
                    error = _database_problem(
                        exc,
                        "خطای پایگاه داده هنگام ذخیره؛ چیزی از این فایل ذخیره نشد",
                        "database error while storing; nothing from this file was stored",
                        nothing_stored=True,
                    )
                else:
                    reference = report_unexpected(exc, f"python -m data_loaders load {Path(name).name}")
                    error = _unexpected_line(reference)
                result = LoadResult(Path(name).name, "", None, 0, 0, 0, 0, [], error)
            finally:
                progress.finish()
            results.append(result)
            if not args.json:
                print(describe(result), file=out)
    finally:
        engine.dispose()
    if args.json:
        json.dump({"files": [r.to_dict() for r in results]}, out, ensure_ascii=False, indent=2)
        out.write("\n")
    if failed:
        return EXIT_USAGE
    return EXIT_OK if all(r.ok for r in results) else EXIT_REJECTED


def _cmd_sample(args: argparse.Namespace, out: TextIO) -> int:
    from data_loaders import sample

    engine = _open_store()
    try:
        if args.if_empty:
            batch = sample.load_sample_if_empty(engine)
        else:
            batch = sample.load_sample(engine)
    finally:
        engine.dispose()
    if batch is None:
        print(
            "پایگاه داده خالی نبود؛ داده‌ی نمونه بارگذاری نشد / the store is not empty; sample data not loaded", file=out
        )
    else:
        print(f"داده‌ی نمونه در دسته‌ی {fa_number(batch)} ذخیره شد / sample data stored as batch {batch}", file=out)
    return EXIT_OK


def _cmd_demo_files(args: argparse.Namespace, out: TextIO) -> int:
    from data_loaders import demo_files

    try:
        paths = demo_files.write_demo_files(Path(args.out) if args.out else None)
    except OSError as exc:  # a folder that cannot be written
        raise UsageError(
            bilingual(
                f"فایل‌های نمونه نوشته نشد ({exc.strerror or exc})؛ پوشه‌ی دیگری با ‎--out‎ بدهید",
                f"cannot write the demo files ({exc.strerror or exc}: {exc.filename}); give another folder with --out",
            )
        ) from exc
    for path in paths:
        print(path, file=out)
    return EXIT_OK


def _cmd_boundaries(args: argparse.Namespace, out: TextIO) -> int:
    from data_loaders import boundaries

    engine = _open_store()
    try:
        result = boundaries.load_boundaries_path(engine, args.file, key=args.key, loaded_by=args.loaded_by)
    finally:
        engine.dispose()
    if args.json:
        json.dump(result.to_dict(), out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        print(boundaries.describe(result), file=out)
    return EXIT_OK if result.ok else EXIT_REJECTED


# ---------------------------------------------------------------- entry


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors: usage, exit 2, no traceback
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"خطای دستور / usage error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m data_loaders",
        description="بارگذاری فایل‌های آمار مناطق در پایگاه داده / load district statistics files into the store",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    load = commands.add_parser("load", help="بارگذاری فایل‌های CSV یا Excel / load CSV or Excel files")
    load.add_argument("files", nargs="+", metavar="FILE", help=".csv or .xlsx; each file is its own batch")
    load.add_argument(
        "--period", help="ماه فایل‌های بدون ستون دوره / the month of files without a period column, e.g. 1404/07"
    )
    load.add_argument("--json", action="store_true", help="گزارش JSON روی stdout / print one JSON report on stdout")
    load.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="ذخیره‌ی موارد درست و کنار گذاشتن موارد رد شده / store the good rows and list the rejected ones",
    )
    load.add_argument(
        "--loaded-by", metavar="NAME", default=os.environ.get("USER", ""), help="نام بارگذار / who is loading"
    )
    load.set_defaults(handler=_cmd_load)

    sample = commands.add_parser("sample", help="بارگذاری داده‌ی نمونه / load the sample data")
    sample.add_argument("--if-empty", action="store_true", help="only when the store holds no observation")
    sample.set_defaults(handler=_cmd_sample)

    demo = commands.add_parser("demo-files", help="ساخت فایل‌های نمونه / write the demo files")
    demo.add_argument("--out", help="folder (default sample_data/demo_files)")
    demo.set_defaults(handler=_cmd_demo_files)

    shapes = commands.add_parser(
        "boundaries", help="بارگذاری مرز مناطق از GeoJSON (اختیاری) / load district boundaries from GeoJSON (optional)"
    )
    shapes.add_argument("file", metavar="FILE", help="a GeoJSON FeatureCollection of (Multi)Polygons, one a district")
    shapes.add_argument(
        "--key", metavar="PROPERTY", help="ویژگی شماره‌ی منطقه / the property holding the district number (guessed)"
    )
    shapes.add_argument("--json", action="store_true", help="گزارش JSON روی stdout / print one JSON report on stdout")
    shapes.add_argument(
        "--loaded-by", metavar="NAME", default=os.environ.get("USER", ""), help="نام بارگذار / who is loading"
    )
    shapes.set_defaults(handler=_cmd_boundaries)
    return parser


def default_log_file() -> Path:
    """Where a terminal run keeps its log: ``$XDG_STATE_HOME/tehran-dashboard/data_loaders.log``."""
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "tehran-dashboard" / "data_loaders.log"


def _configure_logging() -> None:
    """The log on stderr; on a terminal, tracebacks go to a log file and the screen gets one line."""
    if not sys.stderr.isatty():
        configure_logging()
        return
    try:
        configure_logging(
            log_file=os.environ.get("DASHBOARD_LOG_FILE") or default_log_file(), tracebacks_on_stream=False
        )
    except OSError:  # no writable home: the traceback on the screen is better than none at all
        configure_logging(force=True)


def _unexpected_line(reference: str) -> str:
    line = str(unexpected_error_message(reference))
    path = log_file_path()
    if path is not None and sys.stderr.isatty():
        line += f" (جزئیات / details: {path})"
    return line


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code and never shows the user a traceback."""
    for stream in (sys.stdout, sys.stderr):
        _use_utf8(stream)
    _configure_logging()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args, sys.stdout)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("\nمتوقف شد؛ تراکنش نیمه‌کاره ذخیره نشد / interrupted; no half-written batch was kept", file=sys.stderr)
        return 130
    except Exception as exc:  # the last net: a message and a reference, the traceback in the log
        if is_database_fault(exc):
            print(_database_problem(exc, "خطای پایگاه داده", "database error"), file=sys.stderr)
        else:
            reference = report_unexpected(exc, f"python -m data_loaders {args.command}")
            print(_unexpected_line(reference), file=sys.stderr)
        return EXIT_USAGE
