"""``python -m monitoring``: the slides page's deck without a browser, and the dashboard's accounts.

    python -m monitoring deck --period 1404-07 --metric news_published --metric citizen_satisfaction \\
        --district 10 --out deck.pptx [--pdf]
    python -m monitoring accounts add NAME [--admin | --role admin|editor|viewer] [--display "نام"] [--password-stdin]
    python -m monitoring accounts list | remove NAME | passwd NAME [--password-stdin]
    python -m monitoring accounts locked | unlock [NAME] [--address ADDRESS]

The database comes from the environment (``DATABASE_URL`` or ``DASHBOARD_DB_PATH``). Exit codes:
0 when the deck (and the PDF asked for) was written; 1 when the deck was written but the PDF could not
be (LibreOffice missing or failing); 2 for a usage or database problem or an unexpected error (shown
with a reference whose traceback is in the log). ``accounts``: 0 when done, 2 for a problem (a taken
or unknown name, a short password, an unreadable accounts file). Messages are Persian with the English
beside them.
"""

from __future__ import annotations

import argparse
import getpass
import hmac
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from monitoring import accounts, calendar, config, slides, store
from monitoring.calendar import Period, PeriodParseError
from monitoring.faults import database_busy_message, is_database_busy, is_database_fault
from monitoring.logs import configure_logging, report_unexpected, unexpected_error_message
from monitoring.message import Message, MessageError

EXIT_OK, EXIT_NO_PDF, EXIT_USAGE = 0, 1, 2
PDF_TIMEOUT_SECONDS = 180
logger = logging.getLogger(__name__)


class UsageError(MessageError):
    """A problem the user can fix: :attr:`message` says what, in Persian and English."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse's own errors: usage, exit 2, no traceback
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"خطای دستور / usage error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m monitoring", description="رصد مناطق از خط فرمان / the dashboard from a terminal")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    deck = commands.add_parser(
        "deck", help="ساخت فایل پاورپوینت گزارش / build a PowerPoint deck (.pptx), optionally a PDF too"
    )
    deck.add_argument("--period", required=True, help="دوره / the Jalali period: 1404-07 (month), 1404-Q2, 1404")
    deck.add_argument(
        "--metric",
        action="append",
        default=[],
        metavar="CODE",
        help="کد شاخص، تکرارپذیر / a metric code, repeatable (default: the catalog's first two)",
    )
    deck.add_argument("--district", type=int, help="منطقهٔ من (۱ تا ۲۲) / the district to highlight (1-22)")
    deck.add_argument(
        "--measure", choices=slides.MEASURES, default="raw", help="raw, per10k (per 10,000 residents) or perkm2"
    )
    deck.add_argument("--title", help="عنوان اسلاید نخست / the title slide's title")
    deck.add_argument("--out", type=Path, help="the .pptx to write (default deck-<period>.pptx)")
    deck.add_argument("--pdf", action="store_true", help="also write a PDF beside it with LibreOffice (soffice)")
    deck.set_defaults(handler=_cmd_deck)
    _add_accounts_parser(commands)
    return parser


def _add_accounts_parser(commands) -> None:
    """``accounts add | list | remove | passwd``: who may sign in to the dashboard."""
    group = commands.add_parser(
        "accounts",
        help="حساب‌های ورود به داشبورد / the dashboard's sign-in accounts (file: DASHBOARD_ACCOUNTS_FILE)",
    )
    actions = group.add_subparsers(dest="action", required=True, parser_class=_Parser)
    add = actions.add_parser("add", help="افزودن حساب / add an account (a viewer unless --admin)")
    add.add_argument("name", help="نام کاربری / the sign-in name (letters, digits, . _ - @)")
    add.add_argument("--admin", action="store_true", help="مدیر: می‌تواند داده بارگذاری کند / may load data")
    add.add_argument(
        "--role",
        choices=accounts.ROLES,
        help="نقش: admin (مدیر)، editor (ویرایشگر: ثبت جلسه، تعهد و اقدام، بدون بارگذاری داده) یا viewer "
        "/ the role: admin, editor (records meetings, commitments and actions; loads no data) or viewer",
    )
    add.add_argument("--display", default="", help="نام نمایشی / the name shown on the dashboard")
    add.add_argument(
        "--password-stdin", action="store_true", help="گذرواژه از ورودی استاندارد / read the password from stdin"
    )
    add.set_defaults(handler=_cmd_accounts_add)
    listing = actions.add_parser("list", help="فهرست حساب‌ها / list the accounts")
    listing.set_defaults(handler=_cmd_accounts_list)
    remove = actions.add_parser("remove", help="حذف حساب / remove an account")
    remove.add_argument("name")
    remove.set_defaults(handler=_cmd_accounts_remove)
    passwd = actions.add_parser("passwd", help="گذرواژهٔ تازه / give an account a new password")
    passwd.add_argument("name")
    passwd.add_argument("--password-stdin", action="store_true", help="read the new password from stdin")
    passwd.set_defaults(handler=_cmd_accounts_passwd)
    unlock = actions.add_parser(
        "unlock", help="باز کردن حساب یا نشانی بسته‌شده / lift a sign-in lock-out (an account or --address)"
    )
    unlock.add_argument("name", nargs="?", help="نام حساب / the account to unlock")
    unlock.add_argument("--address", action="append", default=[], help="نشانی کارخواه / a client address to unlock")
    unlock.set_defaults(handler=_cmd_accounts_unlock)
    locked = actions.add_parser("locked", help="حساب‌ها و نشانی‌های با ورود ناموفق / keys with failed sign-ins")
    locked.set_defaults(handler=_cmd_accounts_locked)


def _period(text: str, bounds) -> Period:
    try:
        period = Period.parse(text)
    except (PeriodParseError, ValueError) as exc:
        why = (
            exc.message
            if isinstance(exc, PeriodParseError)
            else Message(f"دورهٔ «{text}» خوانا نیست", f"cannot read '{text}'")
        )
        hint = " (--period: 1404-07, 1404-Q2, 1404)"
        raise UsageError(Message(why.fa + hint, why.en + hint)) from None
    if bounds is None:
        raise UsageError(
            Message(
                "پایگاه داده هیچ داده‌ای ندارد؛ نخست داده بارگذاری کنید (python -m data_loaders sample)",
                "the store holds no data; load some first (python -m data_loaders sample)",
            )
        )
    first, last = bounds
    if period.end <= first or period.start > last:
        span_fa = f"{calendar.month_label_of(first)} تا {calendar.month_label_of(last)}"
        span_en = f"{calendar.jalali_month_of(first)[0]}-{calendar.jalali_month_of(first)[1]:02d} to "
        span_en += f"{calendar.jalali_month_of(last)[0]}-{calendar.jalali_month_of(last)[1]:02d}"
        raise UsageError(
            Message(
                f"برای {period.label} داده‌ای نیست؛ داده‌ها از {span_fa} است",
                f"no data for {period.code}; the store holds {span_en}",
            )
        )
    return period


def _open_store():
    settings = config.settings()
    if settings.is_sqlite:
        path = Path(settings.database_url.split("sqlite:///", 1)[-1])
        if not path.exists():
            raise UsageError(
                Message(
                    f"پایگاه داده «{path}» پیدا نشد؛ DATABASE_URL یا DASHBOARD_DB_PATH را بررسی کنید",
                    f"database '{path}' not found; check DATABASE_URL or DASHBOARD_DB_PATH",
                )
            )
    engine = store.make_engine(settings.database_url)
    store.ensure_ready(engine)
    return engine, settings


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` beside ``path`` and rename it into place: never a half-written deck."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as tmp:
        tmp.write(data)
    # a temporary file is private (0600); the deck is an ordinary file, readable as the umask allows
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp.name, 0o666 & ~umask)
    os.replace(tmp.name, path)


def soffice_path() -> str | None:
    """LibreOffice's command, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(pptx: Path, soffice: str, timeout: float = PDF_TIMEOUT_SECONDS) -> Path:
    """``soffice --headless --convert-to pdf`` into the deck's folder, with a profile of its own (so a
    LibreOffice already open does not swallow the job); returns the PDF's path."""
    with tempfile.TemporaryDirectory(prefix="deck-lo-") as profile:
        command = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(pptx.parent),
            str(pptx),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    pdf = pptx.with_suffix(".pdf")
    if done.returncode != 0 or not pdf.exists():
        reason = (done.stderr or done.stdout or "").strip().splitlines()
        raise RuntimeError(reason[-1] if reason else f"exit code {done.returncode}")
    return pdf


def _cmd_deck(args: argparse.Namespace, out: TextIO) -> int:
    engine, settings = _open_store()
    try:
        period = _period(args.period, store.period_range(engine))
        if args.district is not None and not 1 <= args.district <= 22:
            raise UsageError(
                Message(
                    f"منطقهٔ {calendar.to_persian_digits(args.district)} وجود ندارد (۱ تا ۲۲)",
                    f"district {args.district} does not exist (1 to 22)",
                )
            )
        catalog = store.metric_catalog(engine)
        codes = args.metric or list(catalog)[:2]
        try:
            views = slides.default_views(catalog, codes, district=args.district, measure=args.measure)
            data = slides.build_deck(
                engine, views, period, district=args.district, title=args.title, due_day=settings.due_day
            )
        except slides.DeckError as exc:
            raise UsageError(exc.message) from None
    finally:
        engine.dispose()
    path = args.out or Path(f"deck-{period.code}.pptx")
    if path.suffix.lower() != ".pptx":
        path = path.with_suffix(path.suffix + ".pptx") if path.suffix else path.with_suffix(".pptx")
    _write_atomically(path, data)
    count = calendar.to_persian_digits(len(views) + 1)
    print(
        Message(f"اسلایدها نوشته شد: {path} ({count} اسلاید)", f"deck written: {path} ({len(views) + 1} slides)"),
        file=out,
    )
    if not args.pdf:
        return EXIT_OK
    soffice = soffice_path()
    if soffice is None:
        print(
            Message(
                "LibreOffice نصب نیست، پس PDF ساخته نشد؛ فایل پاورپوینت آماده است (نصب: apt-get install libreoffice-impress)",
                "LibreOffice (soffice) is not installed, so no PDF was written; the .pptx is ready "
                "(install: apt-get install libreoffice-impress)",
            ),
            file=sys.stderr,
        )
        return EXIT_NO_PDF
    try:
        pdf = convert_to_pdf(path, soffice)
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        print(
            Message(f"ساخت PDF با LibreOffice ناموفق بود ({exc})", f"LibreOffice could not write the PDF ({exc})"),
            file=sys.stderr,
        )
        return EXIT_NO_PDF
    print(Message(f"PDF نوشته شد: {pdf}", f"PDF written: {pdf}"), file=out)
    return EXIT_OK


def _read_password(args: argparse.Namespace, stdin: TextIO | None = None) -> str:
    """The password: the first line of stdin with --password-stdin, else typed twice at a prompt."""
    stdin = sys.stdin if stdin is None else stdin
    if args.password_stdin:
        line = stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    if not stdin.isatty():
        raise UsageError(
            Message(
                "گذرواژه را اینجا نمی‌توان پرسید (ورودی ترمینال نیست)؛ آن را با ‎--password-stdin‎ بدهید",
                "cannot prompt for the password (stdin is not a terminal); pipe it in with --password-stdin",
            )
        )
    first = getpass.getpass("گذرواژه / password: ")
    second = getpass.getpass("تکرار گذرواژه / password again: ")
    if not hmac.compare_digest(first.encode("utf-8"), second.encode("utf-8")):
        raise UsageError(Message("دو گذرواژه یکی نبود؛ دوباره تلاش کنید", "the two passwords differ; try again"))
    return first


def _where(path: Path) -> Message:
    for warning in accounts.permission_warnings(path):
        logger.warning("%s", warning)
        print(Message("هشدار: دیگران می‌توانند فایل حساب‌ها را بخوانند", warning), file=sys.stderr)
    return Message(f"فایل حساب‌ها: {path}", f"accounts file: {path}")


def _cmd_accounts_add(args: argparse.Namespace, out: TextIO) -> int:
    path = accounts.accounts_path()
    name = accounts.check_name(args.name)
    accounts.check_name_is_free(accounts.read_accounts(path), name)  # before asking for a password
    if args.admin and args.role not in (None, "admin"):
        raise accounts.AccountsError(
            f"--admin و --role {args.role} با هم نمی‌آیند؛ یکی را بنویسید",
            f"--admin and --role {args.role} contradict each other; give one",
        )
    role: accounts.Role = "admin" if args.admin else (args.role or "viewer")
    account = accounts.add_account(name, _read_password(args), role=role, display=args.display, path=path)
    logger.info("account added: %r (%s)", account.name, account.role)
    label = accounts.ROLE_LABELS[account.role]
    print(
        Message(f"حساب «{account.name}» ({label}) افزوده شد", f"account '{account.name}' ({account.role}) added"),
        file=out,
    )
    print(_where(path), file=out)
    return EXIT_OK


def _cmd_accounts_list(args: argparse.Namespace, out: TextIO) -> int:
    path = accounts.accounts_path()
    found = accounts.read_accounts(path)
    if not found:
        print(
            Message(
                "هنوز حسابی نیست؛ نخستین مدیر: python -m monitoring accounts add NAME --admin",
                "no accounts yet; create the first administrator: python -m monitoring accounts add NAME --admin",
            ),
            file=out,
        )
        print(_where(path), file=out)
        return EXIT_OK
    print("name\trole\tdisplay\tchanged", file=out)
    for account in sorted(found.values(), key=lambda a: (a.role != "admin", a.key)):
        print(f"{account.name}\t{account.role}\t{account.display}\t{account.changed}", file=out)
    print(_where(path), file=out)
    return EXIT_OK


def _cmd_accounts_remove(args: argparse.Namespace, out: TextIO) -> int:
    path = accounts.accounts_path()
    account = accounts.remove_account(args.name, path)
    logger.info("account removed: %r", account.name)
    print(Message(f"حساب «{account.name}» حذف شد", f"account '{account.name}' removed"), file=out)
    return EXIT_OK


def _cmd_accounts_passwd(args: argparse.Namespace, out: TextIO) -> int:
    path = accounts.accounts_path()
    name = accounts.find_account(accounts.read_accounts(path), args.name).name  # before asking for a password
    account = accounts.set_password(name, _read_password(args), path)
    logger.info("password changed for account %r", account.name)
    print(Message(f"گذرواژهٔ «{account.name}» عوض شد", f"the password of '{account.name}' was changed"), file=out)
    return EXIT_OK


def _cmd_accounts_unlock(args: argparse.Namespace, out: TextIO) -> int:
    if not args.name and not args.address:
        raise UsageError(Message("نام حساب یا ‎--address‎ را بدهید", "give an account name or --address"))
    keys = [store.address_key(a.strip()) for a in args.address if a.strip()]
    if args.name:
        account = accounts.find_account(accounts.read_accounts(accounts.accounts_path()), args.name)
        keys.append(store.account_key(account.key))
    engine, _settings = _open_store()
    try:
        lifted = store.unlock(engine, keys)
    finally:
        engine.dispose()
    logger.info("sign-in lock-out lifted for %s (%d had failures)", ", ".join(keys), lifted)
    print(
        Message(
            f"ورود دوباره باز شد ({calendar.to_persian_digits(lifted)} مورد تلاش ناموفق داشت)",
            f"sign-in unlocked ({lifted} of {len(keys)} had failed tries)",
        ),
        file=out,
    )
    return EXIT_OK


def _cmd_accounts_locked(args: argparse.Namespace, out: TextIO) -> int:
    engine, _settings = _open_store()
    try:
        rows = store.throttled(engine)
    finally:
        engine.dispose()
    print("key\tfailures\tlast_failure_at\tlocked_until", file=out)
    for row in rows.itertuples():
        until = row.locked_until.isoformat() if row.locked else "-"
        print(f"{row.key}\t{row.failures}\t{row.last_failure_at}\t{until}", file=out)
    return EXIT_OK


def _use_utf8(stream: TextIO) -> None:
    encoding = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
    if encoding != "utf8" and hasattr(stream, "reconfigure"):
        stream.reconfigure(encoding="utf-8", errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code and never shows the user a traceback."""
    for stream in (sys.stdout, sys.stderr):
        _use_utf8(stream)
    configure_logging(tracebacks_on_stream=False)
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args, sys.stdout)
    except (UsageError, accounts.AccountsError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("\nمتوقف شد / interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last net: a message and a reference, the traceback in the log
        if is_database_busy(exc):
            print(str(database_busy_message(exc)), file=sys.stderr)
        elif is_database_fault(exc):
            reason = store.short_reason(exc)
            print(
                Message(
                    f"خطای پایگاه داده ({reason})؛ DATABASE_URL یا DASHBOARD_DB_PATH را بررسی کنید",
                    f"database error ({reason}); check DATABASE_URL or DASHBOARD_DB_PATH",
                ),
                file=sys.stderr,
            )
        else:
            reference = report_unexpected(exc, f"python -m monitoring {args.command}")
            print(str(unexpected_error_message(reference)), file=sys.stderr)
        return EXIT_USAGE
