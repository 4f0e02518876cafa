"""Serve a Streamlit script on a free local port for tests and benchmarks.

    with serve("dashboard.py", env={"DASHBOARD_DB_PATH": str(path)}) as url:
        ...  # url is http://127.0.0.1:PORT

The server is a child process started as ``python -m streamlit run``; it is stopped when the block
ends. If it does not come up, or the block raises, its output is written to stderr so the cause is
visible in the test or benchmark log.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# options that keep a served script quiet and cheap on a small machine; the caller may add more
DEFAULT_OPTIONS: tuple[str, ...] = (
    "--server.fileWatcherType",
    "none",
    "--server.runOnSave",
    "false",
    "--client.toolbarMode",
    "minimal",
)


class ServerError(RuntimeError):
    """The Streamlit server did not start or answer in time."""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def streamlit_command(script: str | os.PathLike[str], port: int, options: Sequence[str] = DEFAULT_OPTIONS) -> list[str]:
    """The command line that serves ``script`` headless on 127.0.0.1:``port``."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        *options,
    ]


def is_healthy(url: str, timeout: float = 2.0) -> bool:
    """Whether ``url``/_stcore/health answers «ok»."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def _read_log(path: Path, limit: int = 20_000) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return text if len(text) <= limit else "…\n" + text[-limit:]


def _stop(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """Ask the server's process group to stop; kill it if it will not."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        process.wait(timeout=grace)


@contextmanager
def serve(
    script: str | os.PathLike[str] = "dashboard.py",
    env: Mapping[str, str] | None = None,
    port: int | None = None,
    cwd: str | os.PathLike[str] = PROJECT_ROOT,
    timeout: float = 60.0,
    options: Sequence[str] = DEFAULT_OPTIONS,
) -> Iterator[str]:
    """Run ``streamlit run script`` until the block ends; yields the base URL (no trailing slash).

    ``env`` is added to this process's environment (its values win). ``cwd`` is where the server
    runs, and where a relative ``script`` is looked up. Raises ServerError, with the server's output
    in the message, if the health check does not answer «ok» within ``timeout`` seconds.
    """
    cwd = Path(cwd)
    if not (cwd / script).is_file():
        raise ServerError(
            f"اسکریپت «{script}» در {cwd} پیدا نشد / the Streamlit script '{script}' was not found in {cwd}"
        )
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    child_env = {**os.environ, **(env or {})}
    child_env.setdefault("PYTHONUNBUFFERED", "1")
    log_file = tempfile.NamedTemporaryFile(prefix="streamlit-", suffix=".log", delete=False)
    log_path = Path(log_file.name)
    process = subprocess.Popen(
        streamlit_command(script, port, options),
        cwd=cwd,
        env=child_env,
        stdin=subprocess.DEVNULL,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so stopping it stops its children too
    )
    log_file.close()
    started = failed = False
    try:
        deadline = time.monotonic() + timeout
        while not is_healthy(url, timeout=1.0):
            if process.poll() is not None:
                raise ServerError(
                    f"سرور Streamlit با کد {process.returncode} بسته شد / Streamlit exited with code "
                    f"{process.returncode} before answering:\n{_read_log(log_path)}"
                )
            if time.monotonic() > deadline:
                raise ServerError(
                    f"سرور Streamlit در {timeout:.0f} ثانیه پاسخ نداد / Streamlit did not answer {url}/_stcore/health "
                    f"within {timeout:.0f} s:\n{_read_log(log_path)}"
                )
            time.sleep(0.1)
        started = True
        try:
            yield url
        except BaseException:
            failed = True
            raise
    finally:
        _stop(process)
        if started and failed:
            sys.stderr.write(f"\n----- streamlit output ({script}, {url}) -----\n{_read_log(log_path)}\n-----\n")
        log_path.unlink(missing_ok=True)
