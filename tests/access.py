"""Signing in for the page and browser tests: a temporary accounts file with one administrator and one
viewer, and the steps a person takes in the sign-in form. The gate itself stays on in every suite."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from monitoring import accounts

ADMIN, ADMIN_PASSWORD, ADMIN_DISPLAY = "boss", "admin-password-1", "مدیر آزمون"
VIEWER, VIEWER_PASSWORD = "reader", "viewer-password-1"
# the sign-in form, as a person finds it: by its Persian labels
NAME_LABEL, PASSWORD_LABEL, SUBMIT_LABEL = "نام کاربری", "گذرواژه", "ورود"
FILE_INPUT = "[data-testid=stMain] input[type=file]"
ADMIN_ONLY = "این صفحه فقط برای مدیران است"


@functools.cache
def _accounts() -> tuple[accounts.Account, ...]:
    # hashed once a test session (scrypt takes a moment each time)
    return (
        accounts.Account(ADMIN, "admin", ADMIN_DISPLAY, accounts.hash_password(ADMIN_PASSWORD)),
        accounts.Account(VIEWER, "viewer", VIEWER, accounts.hash_password(VIEWER_PASSWORD)),
    )


def write_accounts_file(path: Path) -> Path:
    """An accounts file at ``path`` holding the test administrator and viewer."""
    accounts.write_accounts({a.key: a for a in _accounts()}, path)
    return path


def accounts_env(folder: Path) -> dict[str, str]:
    """The environment for a served dashboard that knows the test accounts (and is not admin-open)."""
    path = write_accounts_file(Path(folder) / "accounts.json")
    return {accounts.ACCOUNTS_FILE_ENV: str(path), accounts.ADMIN_OPEN_ENV: "0"}


def use_test_accounts(monkeypatch, folder: Path) -> Path:
    """Point this process (AppTest runs the script in it) at a fresh test accounts file."""
    env = accounts_env(folder)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Path(env[accounts.ACCOUNTS_FILE_ENV])


def sign_in_apptest(at, monkeypatch, folder: Path, name: str = ADMIN):
    """Set an AppTest session as signed in as ``name`` (the page still checks the accounts file)."""
    from ui import auth

    if not os.environ.get(accounts.ACCOUNTS_FILE_ENV, "").startswith(str(folder)):
        use_test_accounts(monkeypatch, folder)
    at.session_state[auth.SIGNED_IN_KEY] = accounts.name_key(name)
    at.session_state[auth.BOUND_KEY] = auth.session_binding()  # an AppTest session sends no cookies
    return at


def sign_in_browser(page, name: str = ADMIN, password: str = ADMIN_PASSWORD, within: str = "[data-testid=stMain]"):
    """Fill the sign-in form on the open page (the admin-only notice's, by default) and wait for the page
    to run again as the signed-in user."""
    from tools.browser import settle_after

    form = page.locator(within)
    form.get_by_label(NAME_LABEL, exact=True).fill(name)
    form.get_by_label(PASSWORD_LABEL, exact=True).fill(password)
    settle_after(page, lambda: form.get_by_role("button", name=SUBMIT_LABEL, exact=True).click())


def open_upload_signed_in(page, base_url: str, path: str = "/upload") -> None:
    """Open an administrators' page by its address and sign in there as the test administrator, as an
    administrator would; returns once the page (its file input) is there."""
    from tools.browser import goto_settled, wait_until_settled

    goto_settled(page, base_url + path)
    sign_in_browser(page)
    page.locator(FILE_INPUT).first.wait_for(state="attached", timeout=30_000)
    wait_until_settled(page)


def uploaders(at) -> list:
    """The file uploaders an AppTest run drew."""
    return list(at.get("file_uploader"))


def sign_in(at, name: str, password: str, form: str = "auth_gate"):
    """Fill an AppTest page's sign-in form ``form`` and submit it."""
    at.text_input(key=f"{form}_name").input(name)
    at.text_input(key=f"{form}_password").input(password)
    return at.button(key=f"{form}_submit").click().run()
