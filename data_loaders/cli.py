"""``python -m data_loaders``: load files, the sample data or the demo files from a terminal.

    python -m data_loaders load FILE... [--dry-run] [--period 1404/07] [--sheet NAME] [--skip-bad-rows]
                                        [--json] [--loaded-by NAME]
    python -m data_loaders batches [--limit N] [--json]
    python -m data_loaders rollback BATCH [--json] [--loaded-by NAME]
    python -m data_loaders watch DIR [--interval SECONDS] [--once] [--skip-bad-rows]
    python -m data_loaders sample [--if-empty]
    python -m data_loaders demo-files [--out DIR]
    python -m data_loaders boundaries FILE.geojson [--key PROPERTY] [--json]

Exit codes: 0 every file loaded cleanly (or was already loaded; with --dry-run: would load cleanly);
1 a file was refused or had rejected rows;
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
from typing import NoReturn, TextIO

from sqlalchemy import Engine
from sqlalchemy.exc import ArgumentError

from data_loaders.load import display_name, load_path
from data_loaders.parse import check_period
from data_loaders.report import describe
from data_loaders.results import FileRejected, LoadResult, fa_number
from monitoring import config, store
from monitoring.calendar import to_persian_digits
from monitoring.faults import database_busy_message, is_database_busy, is_database_fault
from monitoring.logs import configure_logging, log_file_path, report_unexpected, unexpected_error_message
from monitoring.message import Message, MessageError

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
BIG_FILE_ROWS = 100_000
logger = logging.getLogger(__name__)


class UsageError(MessageError):
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


def _use_utf8(stream: TextIO) -> None:
    """UTF-8 out, and a character that cannot be written (a file name that is not UTF-8) shown as «�»
    instead of stopping the command."""
    if hasattr(stream, "reconfigure"):
        stream.reconfigure(encoding="utf-8", errors="replace")


# ---------------------------------------------------------------- commands


def _database_problem(exc: BaseException, fa_doing: str, en_doing: str, *, nothing_stored: bool = False) -> Message:
    """The message for a database fault: "busy, try again" for a lock, else the reason and what to check."""
    reason = store.short_reason(exc)
    logger.warning("database fault (%s): %s: %s", en_doing, type(exc).__name__, reason)
    if is_database_busy(exc):
        busy = database_busy_message(exc)
        if nothing_stored:
            return Message(f"{busy.fa}؛ چیزی از این فایل ذخیره نشد", f"{busy.en}; nothing from this file was stored")
        return busy
    return Message(
        f"{fa_doing} ({reason})؛ DATABASE_URL یا DASHBOARD_DB_PATH را بررسی کنید",
        f"{en_doing} ({reason}); check DATABASE_URL or DASHBOARD_DB_PATH",
    )


def _open_store() -> Engine:
    """The store, migrated; a UsageError (exit 2) when the database is unusable. A fault in our own
    code while preparing it is not the database's: it goes on to the last net in ``main``."""
    from alembic.util.exc import CommandError

    settings = config.settings()
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


def _load_one(engine: Engine, name: str, args: argparse.Namespace) -> tuple[LoadResult, bool]:
    """Load one file; (result, failed) where failed means a database fault or a bug stopped it.
    Nothing of a file that failed is stored: each file is one transaction."""
    shown = display_name(Path(name).name)
    progress = ProgressLine(shown)
    try:
        result = load_path(
            engine,
            name,
            as_name=args.as_name,
            period=args.period,
            skip_bad_rows=args.skip_bad_rows,
            dry_run=args.dry_run,
            sheet=args.sheet,
            loaded_by=args.loaded_by,
            progress=progress,
        )
        return result, False
    except Exception as exc:
        if is_database_fault(exc):
            error = _database_problem(
                exc,
                "خطای پایگاه داده هنگام ذخیره؛ چیزی از این فایل ذخیره نشد",
                "database error while storing; nothing from this file was stored",
                nothing_stored=True,
            )
        else:
            reference = report_unexpected(exc, f"python -m data_loaders load {shown}")
            error = _unexpected_line(reference)
        return LoadResult(shown, "", None, 0, 0, 0, 0, [], error, refusal="file"), True
    finally:
        progress.finish()


def _cmd_load(args: argparse.Namespace, out: TextIO) -> int:
    try:
        check_period(args.period)
    except FileRejected as exc:
        raise UsageError(exc.message) from exc
    if args.as_name and len(args.files) != 1:
        raise UsageError(Message("‎--as-name‎ فقط با یک فایل به کار می‌رود", "--as-name takes exactly one file"))
    engine = _open_store()
    results: list[LoadResult] = []
    failed = False
    try:
        for name in args.files:  # one file that cannot be read or stored does not stop the others
            result, broke = _load_one(engine, name, args)
            failed |= broke
            results.append(result)
            if not args.json:
                print(describe(result), file=out)
                out.flush()
    finally:
        engine.dispose()
    if args.json:
        json.dump({"files": [r.to_dict() for r in results]}, out, ensure_ascii=False, indent=2)
        out.write("\n")
    if failed:
        return EXIT_USAGE
    return EXIT_OK if all(r.ok for r in results) else EXIT_REJECTED


def _batch_line(row) -> str:
    status = "برگشت‌خورده / rolled back" if row["status"] == "rolled_back" else "فعال / active"
    when = row["loaded_at"]
    when_text = when.strftime("%Y-%m-%d %H:%M") if hasattr(when, "strftime") else str(when)
    return (
        f"{row['id']:>6}  {when_text} UTC  {row['kind']:<12} {status:<24} "
        f"+{row['rows_new']} ~{row['rows_changed']} ={row['rows_unchanged']} ✗{row['rows_rejected']}  "
        f"{display_name(row['source_name'])}  ({display_name(row['loaded_by'] or '-')})"
    )


def _cmd_batches(args: argparse.Namespace, out: TextIO) -> int:
    engine = _open_store()
    try:
        frame = store.batch_list(engine, limit=args.limit)
    finally:
        engine.dispose()
    if args.json:
        records = frame.to_dict(orient="records")
        for record in records:
            record["notes"] = [note.to_dict() for note in record["notes"]]
        json.dump({"batches": records}, out, ensure_ascii=False, indent=2, default=str)
        out.write("\n")
        return EXIT_OK
    if frame.empty:
        print("هنوز دسته‌ای بارگذاری نشده است / no batch has been loaded yet", file=out)
        return EXIT_OK
    print("  دسته / batch, زمان / loaded at, نوع / kind, وضعیت / status, +new ~changed =unchanged ✗rejected", file=out)
    for _, row in frame.iterrows():
        print(_batch_line(row), file=out)
    return EXIT_OK


def _cmd_rollback(args: argparse.Namespace, out: TextIO) -> int:
    engine = _open_store()
    try:
        try:
            outcome = store.rollback_batch(engine, args.batch, actor=args.loaded_by)
        except store.RollbackRefused as exc:
            print(exc.message, file=sys.stderr)
            return EXIT_REJECTED
    finally:
        engine.dispose()
    summary = {
        "batch_id": args.batch,
        "restored": outcome.restored,
        "removed": outcome.removed,
        "kept_newer": outcome.kept_newer,
    }
    if args.json:
        json.dump(summary, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        print(
            f"دستهٔ {fa_number(args.batch)} برگشت خورد: {fa_number(outcome.restored)} مقدار به مقدار پیشین برگشت، "
            f"{fa_number(outcome.removed)} مقدار حذف شد (پیش از این دسته نبود)، {fa_number(outcome.kept_newer)} مقدار "
            f"که دسته‌ای تازه‌تر جایگزین کرده بود دست نخورد / batch {args.batch} rolled back: {outcome.restored} "
            f"value(s) restored, {outcome.removed} removed (absent before it), {outcome.kept_newer} kept because "
            "a later batch had replaced them",
            file=out,
        )
    return EXIT_OK


def _cmd_watch(args: argparse.Namespace, out: TextIO) -> int:
    from data_loaders import watch

    folder = Path(args.folder)
    if not folder.is_dir():
        raise UsageError(
            Message(
                f"پوشهٔ «{display_name(folder)}» پیدا نشد؛ مسیر پوشهٔ ورودی را درست بدهید",
                f"the folder '{display_name(folder)}' does not exist; give the drop folder's path",
            )
        )
    engine = _open_store()
    try:
        watcher = watch.Watcher(
            engine,
            folder,
            settle_seconds=args.settle,
            skip_bad_rows=args.skip_bad_rows,
            loaded_by=args.loaded_by,
            report=lambda line: print(line, file=out, flush=True),
        )
        if args.once:
            watcher.poll_until_idle(interval=args.interval)
        else:
            print(
                f"در حال پاییدن «{display_name(folder)}» (هر {to_persian_digits(args.interval)} ثانیه)؛ برای توقف Ctrl+C "
                f"/ watching '{display_name(folder)}' every {args.interval} s; Ctrl+C stops",
                file=out,
                flush=True,
            )
            watcher.run(interval=args.interval)
    finally:
        engine.dispose()
    return EXIT_OK


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
            Message(
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
        result = boundaries.load_boundaries_path(
            engine, args.file, key=args.key, loaded_by=args.loaded_by, as_name=args.as_name
        )
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
    def error(self, message: str) -> NoReturn:  # argparse's own errors: usage, exit 2, no traceback
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
        "--dry-run",
        action="store_true",
        help="فقط پیش‌نمایش: تازه، تغییریافته، بی‌تغییر و ردشده؛ چیزی ذخیره نمی‌شود / preview only: new, changed, "
        "unchanged and rejected values; nothing is written",
    )
    load.add_argument(
        "--period", help="ماه فایل‌های بدون ستون دوره / the month of files without a period column, e.g. 1404/07"
    )
    load.add_argument("--sheet", metavar="NAME", help="فقط این برگهٔ Excel / read only this Excel sheet (default: all)")
    load.add_argument("--json", action="store_true", help="گزارش JSON روی stdout / print one JSON report on stdout")
    load.add_argument(
        "--skip-bad-rows",
        "--lenient",
        dest="skip_bad_rows",
        action="store_true",
        help="ذخیرهٔ موارد درست و نگه‌داشتن موارد ردشده کنار دسته / store the good values and keep the rejected "
        "ones with the batch (default: a file with any rejected value stores nothing)",
    )
    load.add_argument("--as-name", metavar="NAME", help=argparse.SUPPRESS)  # the upload page's temporary copy
    load.add_argument(
        "--loaded-by", metavar="NAME", default=os.environ.get("USER", ""), help="نام بارگذار / who is loading"
    )
    load.set_defaults(handler=_cmd_load)

    listing = commands.add_parser("batches", help="فهرست دسته‌های بارگذاری‌شده / list the loaded batches")
    listing.add_argument("--limit", type=int, default=50, help="how many, newest first (default 50)")
    listing.add_argument("--json", action="store_true", help="JSON on stdout")
    listing.set_defaults(handler=_cmd_batches)

    undo = commands.add_parser(
        "rollback", help="برگرداندن یک دسته و بازگرداندن مقدارهای پیشین / undo a batch, restoring what it replaced"
    )
    undo.add_argument("batch", type=int, metavar="BATCH", help="the batch number (see: batches)")
    undo.add_argument("--json", action="store_true", help="JSON on stdout")
    undo.add_argument(
        "--loaded-by", metavar="NAME", default=os.environ.get("USER", ""), help="نام کاربر / who is rolling back"
    )
    undo.set_defaults(handler=_cmd_rollback)

    drop = commands.add_parser(
        "watch",
        help="پاییدن پوشهٔ ورودی و بارگذاری هر فایل تازه / load each new file dropped into a folder",
    )
    drop.add_argument("folder", metavar="DIR", help="the drop folder; files go on to DIR/done or DIR/failed")
    drop.add_argument("--interval", type=float, default=5.0, help="seconds between looks (default 5)")
    drop.add_argument(
        "--settle", type=float, default=3.0, help="a file must stop growing this many seconds (default 3)"
    )
    drop.add_argument("--once", action="store_true", help="load what is there, then stop")
    drop.add_argument(
        "--skip-bad-rows",
        "--lenient",
        dest="skip_bad_rows",
        action="store_true",
        help="store the good values of a file with rejected ones",
    )
    drop.add_argument(
        "--loaded-by", metavar="NAME", default=os.environ.get("USER", ""), help="نام بارگذار / who is loading"
    )
    drop.set_defaults(handler=_cmd_watch)

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
    shapes.add_argument("--as-name", metavar="NAME", help="نام ثبت‌شده‌ی فایل / the file name to record (upload page)")
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
        configure_logging(log_file=config.settings().log_file or default_log_file(), tracebacks_on_stream=False)
    except OSError:  # no writable home: the traceback on the screen is better than none at all
        configure_logging(force=True)


def _unexpected_line(reference: str) -> Message:
    message = unexpected_error_message(reference)
    path = log_file_path()
    if path is not None and sys.stderr.isatty():
        message = Message(f"{message.fa} (جزئیات: {path})", f"{message.en} (details: {path})")
    return message


def _refused(args: argparse.Namespace, message: Message, reference: str | None = None) -> int:
    """A command that could not run: the message on stderr for a person and, with ``--json``, as JSON on
    stdout for a program (the upload page's child process reads it): ``{"error": {"fa", "en"}}``."""
    print(message, file=sys.stderr)
    if getattr(args, "json", False):
        json.dump({"error": message.to_dict(), "reference": reference}, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    return EXIT_USAGE


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
        return _refused(args, exc.message)
    except KeyboardInterrupt:
        print("\nمتوقف شد؛ تراکنش نیمه‌کاره ذخیره نشد / interrupted; no half-written batch was kept", file=sys.stderr)
        return 130
    except Exception as exc:  # the last net: a message and a reference, the traceback in the log
        if is_database_fault(exc):
            return _refused(args, _database_problem(exc, "خطای پایگاه داده", "database error"))
        reference = report_unexpected(exc, f"python -m data_loaders {args.command}")
        return _refused(args, _unexpected_line(reference), reference)
