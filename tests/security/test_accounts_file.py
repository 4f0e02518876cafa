"""The accounts file under attack: changes made at once all land (an exclusive lock around each
read-change-replace), a removal beside a password change is never undone, a file others can read is
reported, and cost parameters that would exhaust the server are refused with a clear message."""

from __future__ import annotations

import logging
import multiprocessing
import os

import pytest

from monitoring import accounts, cli

PASSWORD = "a-long-password-1"


def _add(path: str, index: int) -> None:
    accounts.add_account(f"user{index}", PASSWORD, path=accounts.Path(path))


def _passwd(path: str, name: str, rounds: int) -> None:
    for i in range(rounds):
        try:
            accounts.set_password(name, f"new-password-{i}-x", accounts.Path(path))
        except accounts.AccountsError:  # removed by the other process: stays removed
            return


def _run_all(targets: list[tuple]) -> None:
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=f, args=args) for f, *args in targets]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0


def test_ten_accounts_added_at_once_are_all_kept(tmp_path):
    path = tmp_path / "accounts.json"
    _run_all([(_add, str(path), i) for i in range(10)])
    assert sorted(accounts.read_accounts(path)) == sorted(f"user{i}" for i in range(10))
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)


def test_a_removed_administrator_stays_removed_when_a_password_changes_at_the_same_moment(tmp_path):
    path = tmp_path / "accounts.json"
    for trial in range(3):
        name = f"boss{trial}"
        accounts.add_account(name, PASSWORD, role="admin", path=path)
        context = multiprocessing.get_context("fork")
        changer = context.Process(target=_passwd, args=(str(path), name, 20))
        changer.start()
        accounts.remove_account(name, path)
        changer.join(60)
        assert changer.exitcode == 0
        known = accounts.read_accounts(path)
        assert accounts.name_key(name) not in known
        assert accounts.authenticate(known, name, PASSWORD) is None


def test_a_file_others_may_read_is_reported_at_start(tmp_path, monkeypatch, caplog):
    path = tmp_path / "accounts.json"
    accounts.add_account("ali", PASSWORD, path=path)
    assert accounts.permission_warnings(path) == []
    os.chmod(path, 0o666)
    (warning,) = accounts.permission_warnings(path)
    assert "0666" in warning and "chmod 600" in warning
    monkeypatch.setenv(accounts.ACCOUNTS_FILE_ENV, str(path))
    with caplog.at_level(logging.WARNING):
        assert cli.main(["accounts", "list"]) == 0
    assert any("0666" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("n", "r", "p"),
    [(2**20, 8, 1), (2**21, 8, 1), (2**40, 8, 1), (3, 8, 1), (0, 8, 1), (2**14, 0, 1), (2**14, 8, 10**6)],
)
def test_scrypt_cost_parameters_out_of_bounds_are_a_clear_file_error_never_a_crash(tmp_path, n, r, p):
    path = tmp_path / "accounts.json"
    accounts.add_account("ali", PASSWORD, path=path)
    text = path.read_text(encoding="utf-8")
    import json

    body = json.loads(text)
    body["accounts"][0]["password"].update(n=n, r=r, p=p)
    path.write_text(json.dumps(body), encoding="utf-8")
    with pytest.raises(accounts.AccountsError) as caught:
        accounts.read_accounts(path)
    assert "scrypt" in caught.value.en


def test_the_largest_accepted_parameters_stay_within_openssl_limits():
    accounts.check_scrypt_parameters(2**18, 8, 1)  # 256 MiB: the most a hash may ask for
    assert accounts._maxmem(2**20, 32, 16) < 2**31
    with pytest.raises(ValueError):
        accounts.hash_password(PASSWORD, n=2**19)
