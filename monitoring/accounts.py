"""Who may sign in to the dashboard, and who of them may load data.

The built-in accounts live in one JSON file outside the repository (``DASHBOARD_ACCOUNTS_FILE``, by
default ``~/.config/tehran-dashboard/accounts.json``), written only by ``python -m monitoring
accounts`` and this module. Each account has a name, a role (``admin`` may load data, ``editor``
may record review meetings, commitments and notable actions but not load data, ``viewer`` may only
read), a display name, and a password hash: scrypt with a 16-byte random salt, stored with
its parameters (n, r, p, length) so they can be raised later without locking anyone out: the next
right sign-in makes a hash of weaker parameters again with today's (:func:`rehash_if_weaker`). A password
is never stored, logged or returned; hashes are compared in constant time.

The file is replaced whole (a temporary file beside it, then ``os.replace``) with mode 0600, so a
reader never sees half a file and no other user of the machine can read the hashes; every change
reads, changes and replaces it under an exclusive ``flock`` on a lock file beside it, so changes made
at once follow one another. ``permission_warnings`` says when the file is readable by others.

No Streamlit here: the dashboard's sign-in form (``ui/auth.py``) and the command line
(``monitoring/cli.py``) both call these functions.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import stat
import tempfile
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from monitoring.calendar import to_persian_digits as _fa
from monitoring.config import settings_from_env
from monitoring.message import MessageError

Role = Literal["admin", "editor", "viewer"]
ROLES: tuple[Role, ...] = ("admin", "editor", "viewer")
ROLE_LABELS: dict[str, str] = {"admin": "مدیر", "editor": "ویرایشگر", "viewer": "بیننده"}
# the roles that may record review meetings, commitments and notable actions (not load figures)
RECORDING_ROLES: frozenset[str] = frozenset({"admin", "editor"})


def may_record(role: str) -> bool:
    """Whether ``role`` may record review meetings, commitments and notable actions."""
    return role in RECORDING_ROLES


ACCOUNTS_FILE_ENV = "DASHBOARD_ACCOUNTS_FILE"
ADMIN_EMAILS_ENV = "DASHBOARD_ADMIN_EMAILS"
ADMIN_OPEN_ENV = "DASHBOARD_ADMIN_OPEN"
DEFAULT_ACCOUNTS_FILE = Path("~/.config/tehran-dashboard/accounts.json")

FILE_VERSION = 1
SCHEME = "scrypt"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
# the most a stored hash may ask for: scrypt needs 128·r·n bytes, and a sign-in must not be a way to
# make the server allocate gigabytes (nor trip OpenSSL's limit, which raised past n = 2^19 at r = 8)
MAX_SCRYPT_N, MAX_SCRYPT_R, MAX_SCRYPT_P = 2**20, 32, 16
MAX_SCRYPT_MEMORY = 2**28  # 256 MiB
SALT_BYTES = 16
KEY_BYTES = 32
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024
MAX_NAME_LENGTH = 64
MAX_DISPLAY_LENGTH = 100
# a name: letters (Persian or Latin), digits, and . _ - @ inside; an e-mail address is a name too
_NAME = re.compile(r"^[^\W_](?:[\w.@-]*[^\W_])?$")


class AccountsError(MessageError):
    """A problem a person can fix (a bad name, a short password, an unreadable file): :attr:`message`
    says what was wrong and what to do."""


@dataclass(frozen=True)
class PasswordHash:
    """A salted scrypt hash with the parameters it was made with."""

    salt: bytes
    digest: bytes
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P
    scheme: str = SCHEME

    def to_json(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme,
            "n": self.n,
            "r": self.r,
            "p": self.p,
            "salt": base64.b64encode(self.salt).decode("ascii"),
            "hash": base64.b64encode(self.digest).decode("ascii"),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PasswordHash:
        if data.get("scheme") != SCHEME:
            raise ValueError(f"unknown password scheme {data.get('scheme')!r}")
        n, r, p = (int(data[k]) for k in ("n", "r", "p"))
        check_scrypt_parameters(n, r, p)
        salt = base64.b64decode(data["salt"], validate=True)
        digest = base64.b64decode(data["hash"], validate=True)
        if not salt or not digest:
            raise ValueError("empty salt or hash")
        return cls(salt=salt, digest=digest, n=n, r=r, p=p)


@dataclass(frozen=True)
class Account:
    """One person who may sign in."""

    name: str
    role: Role
    display: str
    password: PasswordHash = field(repr=False)
    created: str = ""
    changed: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def may_record(self) -> bool:
        return may_record(self.role)

    @property
    def key(self) -> str:
        return name_key(self.name)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "display": self.display,
            "password": self.password.to_json(),
            "created": self.created,
            "changed": self.changed,
        }


# ---------------------------------------------------------------- passwords


def check_scrypt_parameters(n: int, r: int, p: int) -> None:
    """ValueError unless n is a power of two from 2 to 2^20, r 1 to 32, p 1 to 16, and the memory
    scrypt needs (128·r·n bytes) at most ``MAX_SCRYPT_MEMORY``."""
    if not 2 <= n <= MAX_SCRYPT_N or n & (n - 1):
        raise ValueError(f"bad scrypt parameter n={n} (a power of two from 2 to 2^20)")
    if not 1 <= r <= MAX_SCRYPT_R or not 1 <= p <= MAX_SCRYPT_P:
        raise ValueError(f"bad scrypt parameters r={r} p={p} (r from 1 to {MAX_SCRYPT_R}, p from 1 to {MAX_SCRYPT_P})")
    if 128 * r * n > MAX_SCRYPT_MEMORY:
        raise ValueError(f"scrypt parameters n={n} r={r} need {128 * r * n // 2**20} MiB, more than 256 MiB")


def _maxmem(n: int, r: int, p: int) -> int:
    """The memory limit handed to OpenSSL: room above scrypt's 128·r·(n + p) bytes, below its 2 GiB cap."""
    return min(256 * r * (n + p + 2) + 2**20, 2**31 - 1)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    secret = unicodedata.normalize("NFC", password).encode("utf-8")
    return hashlib.scrypt(secret, salt=salt, n=n, r=r, p=p, dklen=length, maxmem=_maxmem(n, r, p))


def hash_password(
    password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P, salt: bytes | None = None
) -> PasswordHash:
    """A new hash of ``password`` with a fresh random salt (or ``salt``, for tests)."""
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    check_scrypt_parameters(n, r, p)
    return PasswordHash(salt=salt, digest=_scrypt(password, salt, n, r, p, KEY_BYTES), n=n, r=r, p=p)


def verify_password(password: str, stored: PasswordHash) -> bool:
    """Whether ``password`` made ``stored``; the comparison takes the same time wherever they differ."""
    candidate = _scrypt(password, stored.salt, stored.n, stored.r, stored.p, len(stored.digest))
    return hmac.compare_digest(candidate, stored.digest)


def needs_rehash(stored: PasswordHash) -> bool:
    """Whether ``stored`` was made with weaker parameters than today's."""
    return (stored.n, stored.r, stored.p) < (SCRYPT_N, SCRYPT_R, SCRYPT_P) or len(stored.digest) < KEY_BYTES


# checked against when the name is unknown, so a wrong name costs as long as a wrong password
_DUMMY = hash_password("not a password", salt=b"\0" * SALT_BYTES)


def check_password_rules(password: str, name: str = "") -> None:
    """Raise AccountsError for a password too short, too long, or equal to the account's name."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountsError(
            f"گذرواژه باید دست‌کم {_fa(MIN_PASSWORD_LENGTH)} نویسه باشد؛ گذرواژهٔ بلندتری برگزینید",
            f"the password must be at least {MIN_PASSWORD_LENGTH} characters long; choose a longer one",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountsError(
            f"گذرواژه بیش از {_fa(MAX_PASSWORD_LENGTH)} نویسه است؛ گذرواژهٔ کوتاه‌تری برگزینید",
            f"the password is longer than {MAX_PASSWORD_LENGTH} characters; choose a shorter one",
        )
    if name and name_key(password) == name_key(name):
        raise AccountsError(
            "گذرواژه نباید همان نام کاربری باشد", "the password must not be the same as the account's name"
        )


# ---------------------------------------------------------------- names


def normalise_name(name: str) -> str:
    """A sign-in name as stored: NFC, without surrounding spaces, Arabic ي/ك written as Persian ی/ک."""
    text = unicodedata.normalize("NFC", name).strip()
    return text.replace("\u064a", "\u06cc").replace("\u0643", "\u06a9")


def name_key(name: str) -> str:
    """What two names must share to be the same account: the normalised name, case folded."""
    return normalise_name(name).casefold()


def check_name(name: str) -> str:
    """The normalised name, or AccountsError saying what a name may hold."""
    text = normalise_name(name)
    if not text or len(text) > MAX_NAME_LENGTH or not _NAME.match(text):
        shown = text[:MAX_NAME_LENGTH] or "(خالی)"
        raise AccountsError(
            f"نام کاربری «{shown}» پذیرفته نیست: ۱ تا {_fa(MAX_NAME_LENGTH)} نویسه از حرف، رقم و . _ - @ "
            "(بی‌فاصله، با حرف یا رقم آغاز و پایان یابد)",
            f"the account name '{shown or '(empty)'}' is not allowed: 1 to {MAX_NAME_LENGTH} letters, digits "
            "and . _ - @ (no spaces; it starts and ends with a letter or digit)",
        )
    return text


def check_display(display: str) -> str:
    text = " ".join(unicodedata.normalize("NFC", display).split())
    if len(text) > MAX_DISPLAY_LENGTH or any(unicodedata.category(c) == "Cc" for c in text):
        raise AccountsError(
            f"نام نمایشی باید حداکثر {_fa(MAX_DISPLAY_LENGTH)} نویسه و بدون نویسهٔ کنترلی باشد",
            f"the display name must be at most {MAX_DISPLAY_LENGTH} characters with no control characters",
        )
    return text


# ---------------------------------------------------------------- the file


def accounts_path(environ: Mapping[str, str] | None = None) -> Path:
    """The accounts file: ``DASHBOARD_ACCOUNTS_FILE``, or ``~/.config/tehran-dashboard/accounts.json``."""
    raw = settings_from_env(environ).accounts_file
    return Path(raw).expanduser() if raw else DEFAULT_ACCOUNTS_FILE.expanduser()


def _corrupt(path: Path, what_fa: str, what_en: str) -> AccountsError:
    return AccountsError(
        f"فایل حساب‌ها «{path}» خوانا نیست ({what_fa})؛ آن را درست کنید یا از نسخهٔ پشتیبان برگردانید "
        f"(یا {ACCOUNTS_FILE_ENV} را به فایل درست بدهید)",
        f"the accounts file '{path}' cannot be read ({what_en}); fix it or restore it from a backup "
        f"(or point {ACCOUNTS_FILE_ENV} at the right file)",
    )


def _account_from_json(item: Any, path: Path, index: int) -> Account:
    where_fa, where_en = f"حساب {_fa(index + 1)}", f"account {index + 1}"
    if not isinstance(item, dict):
        raise _corrupt(path, f"{where_fa} یک شیء JSON نیست", f"{where_en} is not a JSON object")
    try:
        name = check_name(str(item["name"]))
        role = item["role"]
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        password = PasswordHash.from_json(item["password"])
    except AccountsError as exc:
        raise _corrupt(path, f"{where_fa}: {exc.fa}", f"{where_en}: {exc.en}") from None
    except KeyError as exc:
        raise _corrupt(path, f"{where_fa}: کلید {exc} نیست", f"{where_en}: the key {exc} is missing") from None
    except (TypeError, ValueError, binascii.Error) as exc:
        raise _corrupt(path, f"{where_fa}: {exc}", f"{where_en}: {exc}") from None
    return Account(
        name=name,
        role=role,
        display=str(item.get("display") or name),
        password=password,
        created=str(item.get("created") or ""),
        changed=str(item.get("changed") or ""),
    )


def read_accounts(path: Path | None = None) -> dict[str, Account]:
    """Every account in the file, keyed by :func:`name_key`; an empty dict when the file does not exist.

    Raises AccountsError (with the file's name and what is wrong) for a file that is not ours."""
    path = accounts_path() if path is None else path
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise _corrupt(path, f"خواندن ناموفق: {exc}", f"it could not be read: {exc}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise _corrupt(
            path,
            f"JSON نادرست در سطر {_fa(exc.lineno)}، ستون {_fa(exc.colno)}",
            f"bad JSON at line {exc.lineno}, column {exc.colno}",
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("accounts"), list):
        raise _corrupt(path, "فهرست «accounts» در آن نیست", "it has no 'accounts' list")
    if data.get("version", FILE_VERSION) > FILE_VERSION:
        raise _corrupt(
            path,
            f"نسخهٔ {data['version']} را این نسخهٔ داشبورد نمی‌شناسد",
            f"version {data['version']} is newer than this dashboard knows",
        )
    accounts: dict[str, Account] = {}
    for index, item in enumerate(data["accounts"]):
        account = _account_from_json(item, path, index)
        if account.key in accounts:
            raise _corrupt(path, f"نام «{account.name}» دو بار آمده است", f"the name '{account.name}' appears twice")
        accounts[account.key] = account
    return accounts


def lock_path(path: Path) -> Path:
    """The lock file beside the accounts file: ``.accounts.json.lock``."""
    return path.with_name(f".{path.name}.lock")


@contextmanager
def changing(path: Path | None = None) -> Iterator[Path]:
    """Hold the accounts file's exclusive lock (``fcntl.flock`` on its lock file) while it is read,
    changed and replaced, so two changes at once (two ``accounts`` commands, a ``remove`` beside a
    ``passwd``) follow one another and neither undoes the other. Readers need no lock: the file is
    only ever replaced whole."""
    path = accounts_path() if path is None else path
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(lock_path(path), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield path
    finally:
        os.close(fd)  # closing releases the lock


def permission_warnings(path: Path | None = None) -> list[str]:
    """What is wrong with the accounts file's permissions (English, for the log): readable or writable
    by the group or by everyone, or owned by another user. Empty when the file is private or absent."""
    path = accounts_path() if path is None else path
    try:
        info = path.stat()
    except OSError:
        return []
    found = []
    if info.st_mode & 0o077:
        found.append(
            f"the accounts file {path} has mode {stat.S_IMODE(info.st_mode):04o}: the group or everyone may read "
            f"or change the password hashes; run: chmod 600 {path}"
        )
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        found.append(f"the accounts file {path} belongs to another user (uid {info.st_uid})")
    return found


def write_accounts(accounts: Mapping[str, Account], path: Path | None = None) -> None:
    """Replace the file with ``accounts``: written beside it with mode 0600, then renamed into place
    (call it under :func:`changing` when the new content depends on the old)."""
    path = accounts_path() if path is None else path
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    body = {"version": FILE_VERSION, "accounts": [a.to_json() for a in accounts.values()]}
    text = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:  # the rename itself survives a power cut
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    except OSError:
        pass


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def add_account(
    name: str, password: str, *, role: Role = "viewer", display: str = "", path: Path | None = None
) -> Account:
    """Add an account; AccountsError if the name is taken or the name or password is not acceptable."""
    name = check_name(name)
    if role not in ROLES:
        raise AccountsError(
            f"نقش «{role}» شناخته نیست (admin، editor یا viewer)", f"unknown role '{role}' (admin, editor or viewer)"
        )
    check_password_rules(password, name)
    display = check_display(display) or name
    hashed = hash_password(password)  # before the lock: scrypt takes a moment
    with changing(path) as path:
        accounts = read_accounts(path)
        check_name_is_free(accounts, name)
        now = _now()
        account = Account(name, role, display, hashed, now, now)
        write_accounts({**accounts, account.key: account}, path)
    return account


def check_name_is_free(accounts: Mapping[str, Account], name: str) -> None:
    """AccountsError when an account of that name (case and Arabic/Persian letters aside) exists."""
    if name_key(name) in accounts:
        name = normalise_name(name)
        raise AccountsError(
            f"حساب «{name}» از پیش هست؛ برای گذرواژهٔ تازه از «accounts passwd» استفاده کنید",
            f"the account '{name}' already exists; use 'accounts passwd' to give it a new password",
        )


def find_account(accounts: Mapping[str, Account], name: str) -> Account:
    """The account of that name, or AccountsError saying there is none and how to list them."""
    account = accounts.get(name_key(name))
    if account is None:
        raise AccountsError(
            f"حسابی با نام «{normalise_name(name)}» نیست؛ فهرست حساب‌ها: python -m monitoring accounts list",
            f"there is no account named '{normalise_name(name)}'; see python -m monitoring accounts list",
        )
    return account


def set_password(name: str, password: str, path: Path | None = None) -> Account:
    """Give an account a new password (with a new salt and today's parameters)."""
    account = find_account(read_accounts(path), name)
    check_password_rules(password, account.name)
    hashed = hash_password(password)
    with changing(path) as path:
        accounts = read_accounts(path)
        account = find_account(accounts, name)  # removed meanwhile: it stays removed
        account = replace(account, password=hashed, changed=_now())
        write_accounts({**accounts, account.key: account}, path)
    return account


def rehash_if_weaker(account: Account, password: str, path: Path | None = None) -> bool:
    """After a right sign-in: when ``account``'s hash was made with weaker parameters than today's
    (:func:`needs_rehash`), store the same password hashed with today's (a new salt). Whether it did.
    Left alone when the account was changed or removed meanwhile (its hash is no longer the one checked)."""
    if not needs_rehash(account.password):
        return False
    hashed = hash_password(password)
    with changing(path) as path:
        accounts = read_accounts(path)
        now = accounts.get(account.key)
        if now is None or now.password != account.password:
            return False
        write_accounts({**accounts, account.key: replace(now, password=hashed)}, path)
    return True


def remove_account(name: str, path: Path | None = None) -> Account:
    """Remove an account; returns what was removed."""
    with changing(path) as path:
        accounts = read_accounts(path)
        account = find_account(accounts, name)
        write_accounts({k: a for k, a in accounts.items() if k != account.key}, path)
    return account


def authenticate(accounts: Mapping[str, Account], name: str, password: str) -> Account | None:
    """The account when ``name`` and ``password`` match one, else None (saying nothing of which was wrong).

    An unknown name is checked against a stand-in hash, so it takes as long as a wrong password."""
    account = accounts.get(name_key(name))
    if account is None or not password:
        verify_password(password or "-", _DUMMY)
        return None
    return account if verify_password(password, account.password) else None


# ---------------------------------------------------------------- who is an administrator


def admin_emails(environ: Mapping[str, str] | None = None) -> frozenset[str]:
    """The e-mail addresses in ``DASHBOARD_ADMIN_EMAILS`` (comma separated), case folded."""
    listed = settings_from_env(environ).admin_emails
    return frozenset(e.strip().casefold() for e in listed.split(",") if e.strip())


def email_is_admin(email: str, accounts: Mapping[str, Account], environ: Mapping[str, str] | None = None) -> bool:
    """Whether a user signed in with their organisation's account (``email``) is an administrator:
    listed in ``DASHBOARD_ADMIN_EMAILS``, or an admin account in the file bears that address as its name."""
    key = (email or "").strip().casefold()
    if not key:
        return False
    if key in admin_emails(environ):
        return True
    account = accounts.get(name_key(key))
    return account is not None and account.is_admin


def email_role(email: str, accounts: Mapping[str, Account], environ: Mapping[str, str] | None = None) -> Role:
    """The role of a user signed in with their organisation's account: admin as ``email_is_admin`` says,
    editor when an editor account in the file bears that address as its name, viewer otherwise."""
    if email_is_admin(email, accounts, environ):
        return "admin"
    account = accounts.get(name_key((email or "").strip().casefold())) if (email or "").strip() else None
    return "editor" if account is not None and account.role == "editor" else "viewer"


def admin_open(environ: Mapping[str, str] | None = None) -> bool:
    """``DASHBOARD_ADMIN_OPEN=1``: everyone is an administrator (local development only)."""
    return settings_from_env(environ).admin_open
