"""The built-in accounts: salted scrypt hashes, a private file replaced whole, clear errors, the command line."""

from __future__ import annotations

import io
import json
import os
import stat

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitoring import accounts, cli
from monitoring.accounts import AccountsError

# property tests hash many passwords: cheap parameters there (the stored parameters are what verify uses)
CHEAP = {"n": 2**4, "r": 1, "p": 1}


@pytest.fixture
def path(tmp_path, monkeypatch):
    target = tmp_path / "config" / "accounts.json"
    monkeypatch.setenv(accounts.ACCOUNTS_FILE_ENV, str(target))
    return target


# ---------------------------------------------------------------- passwords


def test_a_hash_verifies_its_own_password_and_refuses_another():
    stored = accounts.hash_password("correct horse")
    assert (stored.n, stored.r, stored.p) == (2**14, 8, 1)
    assert len(stored.salt) == 16
    assert accounts.verify_password("correct horse", stored)
    assert not accounts.verify_password("correct horsE", stored)
    assert not accounts.verify_password("", stored)


def test_the_same_password_gets_a_different_salt_and_hash_each_time(path):
    accounts.add_account("ali", "same-password", path=path)
    accounts.add_account("sara", "same-password", path=path)
    found = accounts.read_accounts(path)
    assert found["ali"].password.salt != found["sara"].password.salt
    assert found["ali"].password.digest != found["sara"].password.digest


def test_a_hash_made_with_other_parameters_still_verifies_after_a_round_trip(path):
    weak = accounts.hash_password("old-password", n=2**10, r=4, p=1)
    account = accounts.Account("old", "viewer", "old", weak)
    accounts.write_accounts({account.key: account}, path)
    back = accounts.read_accounts(path)["old"].password
    assert (back.n, back.r) == (2**10, 4) and accounts.verify_password("old-password", back)
    assert accounts.needs_rehash(back)
    assert not accounts.needs_rehash(accounts.hash_password("x" * 8))


def test_a_weak_hash_is_made_again_with_todays_parameters_after_a_right_sign_in(path):
    weak = accounts.hash_password("old-password", n=2**10, r=4, p=1)
    account = accounts.Account("old", "viewer", "old", weak)
    accounts.write_accounts({account.key: account}, path)
    signed_in = accounts.authenticate(accounts.read_accounts(path), "old", "old-password")
    assert signed_in is not None and accounts.rehash_if_weaker(signed_in, "old-password", path)
    again = accounts.read_accounts(path)["old"].password
    assert not accounts.needs_rehash(again) and again.salt != weak.salt
    assert accounts.authenticate(accounts.read_accounts(path), "old", "old-password") is not None
    assert not accounts.rehash_if_weaker(accounts.read_accounts(path)["old"], "old-password", path)  # once


def test_a_weak_hash_changed_meanwhile_is_left_as_the_administrator_set_it(path):
    weak = accounts.hash_password("old-password", n=2**10, r=4, p=1)
    account = accounts.Account("old", "viewer", "old", weak)
    accounts.write_accounts({account.key: account}, path)
    accounts.set_password("old", "a-new-password-9", path=path)  # between the check and the rehash
    assert not accounts.rehash_if_weaker(account, "old-password", path)
    assert accounts.authenticate(accounts.read_accounts(path), "old", "a-new-password-9") is not None


@given(password=st.text(max_size=40))
def test_any_password_verifies_and_no_other_does(password):
    stored = accounts.hash_password(password, **CHEAP)
    assert accounts.verify_password(password, stored)
    assert not accounts.verify_password(password + "x", stored)


def test_the_persian_password_typed_in_another_unicode_form_still_verifies():
    composed = "رمز\u0622سمان"  # آ as one code point
    decomposed = "رمز\u0627\u0653سمان"  # ا followed by the madda above
    assert accounts.verify_password(decomposed, accounts.hash_password(composed, **CHEAP))


# ---------------------------------------------------------------- names


@pytest.mark.parametrize("name", ["ali", "a.rezaei", "admin@tehran.ir", "سارا", "user_7", "x"])
def test_a_plain_name_is_accepted(name):
    assert accounts.check_name(f"  {name} ") == name


@pytest.mark.parametrize("name", ["", " ", "two words", "-ali", "ali.", "a/b", "a" * 65, "a\nb"])
def test_a_name_with_spaces_or_odd_marks_is_refused_in_both_languages(name):
    with pytest.raises(AccountsError) as caught:
        accounts.check_name(name)
    assert "نام کاربری" in caught.value.fa and "account name" in caught.value.en


@given(name=st.text(max_size=70))
def test_a_name_that_is_accepted_is_stored_as_it_comes_back(name):
    try:
        checked = accounts.check_name(name)
    except AccountsError:
        return
    assert accounts.check_name(checked) == checked  # idempotent
    assert accounts.name_key(checked) == accounts.name_key(name)
    assert 1 <= len(checked) <= accounts.MAX_NAME_LENGTH and checked == checked.strip()


def test_arabic_yeh_and_kaf_and_letter_case_name_the_same_account(path):
    accounts.add_account("Kamyar.ALI", "password-1", path=path)
    accounts.add_account("كريم", "password-2", path=path)  # Arabic ي and ك
    found = accounts.read_accounts(path)
    assert accounts.authenticate(found, "kamyar.ali", "password-1") is not None
    assert accounts.authenticate(found, "کریم", "password-2").name == "کریم"  # Persian ی and ک
    with pytest.raises(AccountsError, match="already exists"):
        accounts.add_account("KAMYAR.ali", "password-3", path=path)


def test_a_short_password_or_the_name_itself_is_refused(path):
    with pytest.raises(AccountsError, match="at least 8"):
        accounts.add_account("ali", "short", path=path)
    with pytest.raises(AccountsError, match="same as the account"):
        accounts.add_account("alireza1", "ALIREZA1", path=path)
    assert not path.exists()


# ---------------------------------------------------------------- signing in


def test_authenticate_answers_none_for_a_wrong_name_or_password_and_the_account_otherwise(path):
    accounts.add_account("ali", "right-password", role="admin", display="علی", path=path)
    found = accounts.read_accounts(path)
    assert accounts.authenticate(found, "ali", "wrong-password") is None
    assert accounts.authenticate(found, "nobody", "right-password") is None
    assert accounts.authenticate(found, "ali", "") is None
    account = accounts.authenticate(found, "ali", "right-password")
    assert account is not None and account.is_admin and account.display == "علی"


def test_an_organisation_email_is_an_admin_when_listed_in_the_environment_or_the_file(path):
    accounts.add_account("boss@tehran.ir", "password-1", role="admin", path=path)
    accounts.add_account("clerk@tehran.ir", "password-2", role="viewer", path=path)
    found = accounts.read_accounts(path)
    env = {accounts.ADMIN_EMAILS_ENV: " Chief@Tehran.ir , other@tehran.ir"}
    assert accounts.email_is_admin("chief@tehran.ir", found, env)
    assert accounts.email_is_admin("BOSS@tehran.ir", found, {})
    assert not accounts.email_is_admin("clerk@tehran.ir", found, env)
    assert not accounts.email_is_admin("", found, env)


@pytest.mark.parametrize(("value", "open_"), [("1", True), ("true", True), ("0", False), ("", False)])
def test_admin_open_is_off_unless_asked_for(value, open_):
    assert accounts.admin_open({accounts.ADMIN_OPEN_ENV: value}) is open_
    assert accounts.admin_open({}) is False


# ---------------------------------------------------------------- the file


def test_the_file_is_private_and_holds_no_password(path):
    accounts.add_account("ali", "a-secret-password", role="admin", path=path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    text = path.read_text(encoding="utf-8")
    assert "a-secret-password" not in text
    entry = json.loads(text)["accounts"][0]
    assert entry["password"]["scheme"] == "scrypt" and entry["password"]["n"] == 2**14


def test_the_default_file_is_outside_the_repository(monkeypatch):
    from tests.conftest import ROOT

    monkeypatch.delenv(accounts.ACCOUNTS_FILE_ENV, raising=False)
    default = accounts.accounts_path()
    assert default.name == "accounts.json" and default.parent.name == "tehran-dashboard"
    assert ROOT not in default.parents


def test_a_write_that_fails_midway_leaves_the_old_file_whole_and_no_stray_file(path, monkeypatch):
    accounts.add_account("ali", "first-password", path=path)
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(accounts.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        accounts.add_account("sara", "second-password", path=path)
    assert path.read_bytes() == before
    # the lock file stays beside it (empty; changes take turns on it), no half-written file does
    assert sorted(p.name for p in path.parent.iterdir() if p != accounts.lock_path(path)) == ["accounts.json"]


def test_the_file_is_replaced_by_rename_not_rewritten_in_place(path):
    accounts.add_account("ali", "first-password", path=path)
    inode = os.stat(path).st_ino
    accounts.add_account("sara", "second-password", path=path)
    assert os.stat(path).st_ino != inode  # a new file renamed over the old one


def test_a_missing_file_means_no_accounts(path):
    assert accounts.read_accounts(path) == {}


@pytest.mark.parametrize(
    ("body", "en"),
    [
        ("{not json", "bad JSON at line 1, column 2"),
        ('{"version": 1}', "no 'accounts' list"),
        ('{"accounts": [{"name": "ali", "role": "king", "password": {}}]}', "account 1: unknown role"),
        ('{"accounts": [{"name": "ali", "role": "admin"}]}', "account 1: the key 'password' is missing"),
        (
            '{"accounts": [{"name": "ali", "role": "admin", "password": {"scheme": "scrypt", "n": 16, "r": 1,'
            ' "p": 1, "salt": "***", "hash": "AA=="}}]}',
            "account 1",
        ),
        ('{"version": 9, "accounts": []}', "version 9 is newer"),
    ],
)
def test_a_corrupt_file_is_named_with_what_is_wrong_and_what_to_do(path, body, en):
    path.parent.mkdir(parents=True)
    path.write_text(body, encoding="utf-8")
    with pytest.raises(AccountsError) as caught:
        accounts.read_accounts(path)
    assert str(path) in caught.value.fa and str(path) in caught.value.en
    assert en in caught.value.en and "restore it from a backup" in caught.value.en
    assert "خوانا نیست" in caught.value.fa


def test_a_file_naming_one_account_twice_is_refused(path):
    accounts.add_account("ali", "first-password", path=path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["accounts"].append({**data["accounts"][0], "name": "ALI"})
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(AccountsError, match="appears twice"):
        accounts.read_accounts(path)


def test_remove_and_passwd_name_an_unknown_account_clearly(path):
    with pytest.raises(AccountsError, match="no account named 'nobody'"):
        accounts.remove_account("nobody", path)
    with pytest.raises(AccountsError, match="no account named 'nobody'"):
        accounts.set_password("nobody", "new-password", path)


def test_a_new_password_replaces_the_old_one(path):
    accounts.add_account("ali", "old-password", path=path)
    accounts.set_password("ALI", "new-password", path)
    found = accounts.read_accounts(path)
    assert accounts.authenticate(found, "ali", "old-password") is None
    assert accounts.authenticate(found, "ali", "new-password") is not None


# ---------------------------------------------------------------- the command line


def run_cli(monkeypatch, capsys, argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line_adds_lists_and_removes_accounts(path, monkeypatch, capsys):
    code, out, err = run_cli(
        monkeypatch,
        capsys,
        ["accounts", "add", "ali", "--admin", "--display", "علی رضایی", "--password-stdin"],
        "first-password\n",
    )
    assert code == 0, err
    assert "حساب «ali» (مدیر) افزوده شد" in out and "account 'ali' (admin) added" in out
    code, out, err = run_cli(monkeypatch, capsys, ["accounts", "add", "sara", "--password-stdin"], "second-pass\n")
    assert code == 0, err
    found = accounts.read_accounts(path)
    assert accounts.authenticate(found, "ali", "first-password").role == "admin"
    assert accounts.authenticate(found, "sara", "second-pass").role == "viewer"
    assert found["ali"].display == "علی رضایی"

    code, out, err = run_cli(monkeypatch, capsys, ["accounts", "list"])
    assert code == 0
    rows = [line.split("\t") for line in out.splitlines() if "\t" in line]
    assert [r[:3] for r in rows[1:]] == [["ali", "admin", "علی رضایی"], ["sara", "viewer", "sara"]]
    assert "password" not in out and "first-password" not in out + err

    code, out, err = run_cli(monkeypatch, capsys, ["accounts", "remove", "sara"])
    assert code == 0 and "account 'sara' removed" in out
    assert list(accounts.read_accounts(path)) == ["ali"]


def test_the_command_line_changes_a_password(path, monkeypatch, capsys):
    run_cli(monkeypatch, capsys, ["accounts", "add", "ali", "--password-stdin"], "first-password\n")
    code, out, err = run_cli(monkeypatch, capsys, ["accounts", "passwd", "ali", "--password-stdin"], "other-password\n")
    assert code == 0 and "was changed" in out
    assert accounts.authenticate(accounts.read_accounts(path), "ali", "other-password") is not None


@pytest.mark.parametrize(
    ("argv", "stdin", "en"),
    [
        (["accounts", "add", "ali", "--password-stdin"], "short\n", "at least 8 characters"),
        (["accounts", "add", "two words", "--password-stdin"], "long-enough\n", "is not allowed"),
        (["accounts", "add", "taken", "--password-stdin"], "long-enough\n", "already exists"),
        (["accounts", "remove", "nobody"], "", "no account named 'nobody'"),
        (["accounts", "passwd", "nobody", "--password-stdin"], "long-enough\n", "no account named 'nobody'"),
        (["accounts", "add", "newone"], "", "--password-stdin"),  # stdin is no terminal: no prompt
    ],
)
def test_the_command_line_explains_a_problem_with_exit_code_2_and_no_traceback(
    path, monkeypatch, capsys, argv, stdin, en
):
    accounts.add_account("taken", "long-enough", path=path)
    code, out, err = run_cli(monkeypatch, capsys, argv, stdin)
    assert code == 2
    assert en in err and " / " in err and "Traceback" not in err + out


def test_the_command_line_explains_a_corrupt_file(path, monkeypatch, capsys):
    path.parent.mkdir(parents=True)
    path.write_text("[]", encoding="utf-8")
    code, out, err = run_cli(monkeypatch, capsys, ["accounts", "list"])
    assert code == 2 and "cannot be read" in err and str(path) in err and "Traceback" not in err


def test_the_command_line_says_how_to_make_the_first_administrator(path, monkeypatch, capsys):
    code, out, err = run_cli(monkeypatch, capsys, ["accounts", "list"])
    assert code == 0 and "accounts add NAME --admin" in out


def test_the_prompt_asks_twice_and_refuses_two_different_passwords(path, monkeypatch, capsys):
    answers = iter(["first-password", "other-password"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt="": next(answers))

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal(""))
    code = cli.main(["accounts", "add", "ali"])
    _, err = capsys.readouterr()
    assert code == 2 and "the two passwords differ" in err
    assert accounts.read_accounts(path) == {}


# ---------------------------------------------------------------- the editor


def test_the_command_line_adds_an_editor_who_may_record_but_is_no_administrator(path, monkeypatch, capsys):
    code, out, err = run_cli(
        monkeypatch, capsys, ["accounts", "add", "reza", "--role", "editor", "--password-stdin"], "editor-password\n"
    )
    assert code == 0, err
    assert "حساب «reza» (ویرایشگر) افزوده شد" in out and "account 'reza' (editor) added" in out
    editor = accounts.authenticate(accounts.read_accounts(path), "reza", "editor-password")
    assert editor is not None and editor.role == "editor"
    assert editor.may_record and not editor.is_admin
    assert [accounts.may_record(r) for r in accounts.ROLES] == [True, True, False]


def test_contradicting_roles_on_the_command_line_are_refused_in_both_languages(path, monkeypatch, capsys):
    code, out, err = run_cli(
        monkeypatch,
        capsys,
        ["accounts", "add", "reza", "--admin", "--role", "viewer", "--password-stdin"],
        "pw-123456\n",
    )
    assert code == 2 and "با هم نمی‌آیند" in err and "contradict" in err
    assert accounts.read_accounts(path) == {}


def test_an_organisation_email_named_by_an_editor_account_is_an_editor(path):
    accounts.add_account("pr@tehran.ir", "password-3", role="editor", path=path)
    accounts.add_account("boss@tehran.ir", "password-4", role="admin", path=path)
    found = accounts.read_accounts(path)
    assert accounts.email_role("PR@tehran.ir", found, {}) == "editor"
    assert accounts.email_role("boss@tehran.ir", found, {}) == "admin"
    assert accounts.email_role("someone@tehran.ir", found, {}) == "viewer"
    assert accounts.email_role("", found, {}) == "viewer"
