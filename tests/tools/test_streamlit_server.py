"""serve(): a Streamlit script on a free port, healthy inside the block and stopped after it."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tools.streamlit_server import PROJECT_ROOT, ServerError, free_port, is_healthy, serve


@pytest.mark.slow
def test_serve_answers_health_inside_the_block_and_stops_the_server_after_it(tmp_path: Path) -> None:
    (tmp_path / "hello.py").write_text('import streamlit as st\nst.write("سلام")\n', encoding="utf-8")
    with serve("hello.py", cwd=tmp_path, timeout=60) as url:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as response:
            assert response.read() == b"ok"
    assert not is_healthy(url, timeout=1.0)


def test_a_missing_script_is_reported_in_persian_and_english(tmp_path: Path) -> None:
    with pytest.raises(ServerError, match="پیدا نشد") as caught:
        with serve("nothing_here.py", cwd=tmp_path):
            pass
    assert "was not found" in str(caught.value)


@pytest.mark.slow
def test_a_server_that_cannot_start_is_reported_with_its_output(tmp_path: Path) -> None:
    (tmp_path / "ok.py").write_text("import streamlit as st\n", encoding="utf-8")
    with pytest.raises(ServerError, match="exited with code"):
        with serve("ok.py", cwd=tmp_path, options=("--server.noSuchOption", "1")):
            pass


def test_free_port_is_not_listened_on() -> None:
    port = free_port()
    assert not is_healthy(f"http://127.0.0.1:{port}", timeout=0.5)


@pytest.mark.slow
def test_benchmarks_command_line_answers_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--help"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "--quick" in done.stdout and "--skip-browser" in done.stdout
