"""The load test's machinery: its websocket session against real small Streamlit servers, its
arithmetic, its memory readings, and a short run of five readers against the dashboard.

Timings are the benchmark's business (``python -m benchmarks load``); these tests check that the
machinery sees what the server did, and that the dashboard serves several sessions without error.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.loadtest import runner
from benchmarks.loadtest.client import Session, TargetRefused, stream_url, widget_key
from benchmarks.loadtest.memory import listening_pid, process_tree, tree_cpu_seconds, tree_rss_bytes
from benchmarks.loadtest.runner import Scenario, aims, dashboard_server, run_sessions, table
from benchmarks.loadtest.stats import Request, percentile, summarise
from tools.streamlit_server import PROJECT_ROOT, serve

# a tiny app: a keyed selectbox whose choice the script writes back, and a fault on demand
CHOICE_APP = """\
import streamlit as st

colour = st.selectbox("رنگ", ["سرخ", "سبز", "آبی"], key="colour")
st.markdown(f"chosen: {colour}")
if st.query_params.get("fail"):
    raise ValueError("a fault the load test must count")
"""

# two pages under st.navigation, each saying which it is
PAGES_APP = """\
import streamlit as st


def first():
    st.markdown("page: first")


def second():
    st.markdown("page: second")


st.navigation([st.Page(first, title="یکم", default=True), st.Page(second, title="دوم", url_path="second")]).run()
"""

ALWAYS_FAILS_APP = 'import streamlit as st\n\nst.markdown("before")\nraise RuntimeError("always")\n'


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("load-apps")
    (folder / "choice_app.py").write_text(CHOICE_APP, encoding="utf-8")
    (folder / "pages_app.py").write_text(PAGES_APP, encoding="utf-8")
    (folder / "fails_app.py").write_text(ALWAYS_FAILS_APP, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def choice_url(apps: Path) -> Iterator[str]:
    with serve("choice_app.py", cwd=apps, timeout=60) as url:
        yield url


def _run(coro):
    return asyncio.run(coro)


# ---------------------------------------------------------------- a session against a real server


@pytest.mark.slow
def test_a_session_connects_reruns_and_sees_the_script_finish(choice_url: str) -> None:
    async def scenario():
        session = Session(choice_url, timeout=60)
        await session.connect()
        try:
            return await session.open(), dict(session.widgets)
        finally:
            await session.close()

    outcome, widgets = _run(scenario())
    assert outcome.status == "ok", outcome.errors
    assert outcome.ok and outcome.errors == []
    assert "chosen: سرخ" in outcome.texts
    assert widgets["colour"].options == ("سرخ", "سبز", "آبی")
    assert widgets["colour"].value == "سرخ"


@pytest.mark.slow
def test_choosing_an_option_reruns_the_script_with_the_new_value(choice_url: str) -> None:
    async def scenario():
        session = Session(choice_url, timeout=60)
        await session.connect()
        try:
            await session.open()
            first = await session.choose("colour", "آبی")
            shown = session.widgets["colour"].value
            second = await session.rerun()  # the choice stays with the session, as in a browser
            return first, shown, second
        finally:
            await session.close()

    first, shown, second = _run(scenario())
    assert first.ok and "chosen: آبی" in first.texts
    assert shown == "آبی"
    assert second.ok and "chosen: آبی" in second.texts


@pytest.mark.slow
def test_a_script_that_raises_is_reported_as_an_error_with_the_exception(choice_url: str) -> None:
    async def scenario():
        session = Session(choice_url, timeout=60)
        await session.connect()
        try:
            return await session.open(query_string="fail=1")
        finally:
            await session.close()

    outcome = _run(scenario())
    assert outcome.status == "error"
    assert any("ValueError" in e and "must count" in e for e in outcome.errors)


@pytest.mark.slow
def test_switching_page_runs_the_other_page_of_the_navigation(apps: Path) -> None:
    async def scenario(url: str):
        session = Session(url, timeout=60)
        await session.connect()
        try:
            opened = await session.open()
            second = next(p for p in session.pages if p.url_path == "second")
            switched = await session.switch_page(second)
            typed = await session.open(url_path="second")
            return opened, switched, typed, session.page_hash == second.script_hash
        finally:
            await session.close()

    with serve("pages_app.py", cwd=apps, timeout=60) as url:
        opened, switched, typed, on_second = _run(scenario(url))
    assert opened.texts == ["page: first"]
    assert switched.texts == ["page: second"]
    assert typed.texts == ["page: second"]
    assert on_second


@pytest.mark.slow
def test_a_run_against_a_failing_app_counts_every_request_as_an_error(apps: Path) -> None:
    scenario = Scenario(sessions=2, duration=2.0, think=0.5, timeout=60)
    with serve("fails_app.py", cwd=apps, timeout=60) as url:
        requests, seconds = _run(run_sessions(url, scenario))
    summary = summarise("fails", scenario.sessions, requests, seconds)
    assert summary.requests >= 2
    assert summary.errors == summary.requests
    assert summary.error_kinds == {"error": summary.requests}
    assert all("RuntimeError" in r.detail for r in requests)
    assert aims(summary)[0][1] is False


def test_a_server_that_does_not_answer_is_a_connection_error_not_a_crash() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    scenario = Scenario(sessions=2, duration=1.0, think=0.5, timeout=5)
    requests, _ = _run(run_sessions(f"http://127.0.0.1:{port}", scenario))
    summary = summarise("nothing", scenario.sessions, requests, 1.0)
    assert summary.errors == 2
    assert summary.error_kinds == {"connect_failed": 2}
    assert summary.median_s is None


# ---------------------------------------------------------------- only this machine


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:8501", "ws://127.0.0.1:8501/_stcore/stream"),
        ("http://localhost:8501/", "ws://localhost:8501/_stcore/stream"),
        ("https://127.0.0.1:8443/dashboard/", "wss://127.0.0.1:8443/dashboard/_stcore/stream"),
    ],
)
def test_the_websocket_address_follows_the_server_and_its_base_path(url: str, expected: str) -> None:
    assert stream_url(url) == expected


@pytest.mark.parametrize(
    "url",
    ["http://10.0.0.5:8501", "http://example.org", "http://192.168.1.2:80", "http://127.0.0.2:8501", "ftp://127.0.0.1"],
)
def test_any_address_but_this_machines_is_refused_in_persian_and_english(url: str) -> None:
    with pytest.raises(TargetRefused) as caught:
        stream_url(url)
    assert " / " in str(caught.value)


@given(st.from_regex(r"[a-z0-9][a-z0-9.-]{0,30}", fullmatch=True))
def test_no_host_name_but_127_0_0_1_or_localhost_is_accepted(host: str) -> None:
    url = f"http://{host}:8501"
    if host in ("127.0.0.1", "localhost"):
        assert stream_url(url).startswith(f"ws://{host}:8501/")
    else:
        with pytest.raises(TargetRefused):
            stream_url(url)


def test_the_command_refuses_a_remote_url_before_sending_anything(capsys: pytest.CaptureFixture[str]) -> None:
    assert runner.main(["--url", "http://example.org:8501", "--sessions", "1"]) == 2
    err = capsys.readouterr().err
    assert "127.0.0.1" in err and "only sends traffic to this machine" in err


def test_the_command_says_in_persian_and_english_when_nothing_answers(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    argv = ["--url", f"http://127.0.0.1:{port}", "--sessions", "1", "--duration", "1", "--no-baseline"]
    assert runner.main(argv) == 1
    err = capsys.readouterr().err
    assert "وصل نشد" in err and "could not connect" in err and "Traceback" not in err


def test_the_widget_key_is_read_from_a_streamlit_widget_id() -> None:
    assert widget_key("$$ID-98a91b5f2336979c40b6e6f94cfc0697-view_period_year") == "view_period_year"
    assert widget_key("$$ID-98a91b5f2336979c40b6e6f94cfc0697-None") == ""
    assert widget_key("some-other-id") == ""


# ---------------------------------------------------------------- the arithmetic


def test_percentiles_interpolate_between_neighbouring_ranks() -> None:
    assert percentile([3.0], 95) == 3.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile(list(map(float, range(1, 101))), 95) == pytest.approx(95.05)
    assert percentile([5.0, 1.0, 3.0], 0) == 1.0
    assert percentile([5.0, 1.0, 3.0], 100) == 5.0


def test_a_percentile_of_nothing_or_outside_0_to_100_is_refused() -> None:
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 101)


_samples = st.lists(st.floats(min_value=0, max_value=1e4, allow_nan=False), min_size=1, max_size=200)


@given(_samples, st.floats(min_value=0, max_value=100))
def test_a_percentile_agrees_with_numpy_and_lies_within_the_samples(values: list[float], q: float) -> None:
    got = percentile(values, q)
    assert got == pytest.approx(float(np.percentile(values, q)), rel=1e-9, abs=1e-9)
    assert min(values) - 1e-9 <= got <= max(values) + 1e-9


@given(_samples, st.floats(min_value=0, max_value=100), st.floats(min_value=0, max_value=100))
def test_a_higher_percentile_is_never_smaller(values: list[float], q1: float, q2: float) -> None:
    low, high = sorted((q1, q2))
    assert percentile(values, low) <= percentile(values, high) + 1e-9


def test_the_summary_counts_errors_by_kind_and_times_only_finished_scripts() -> None:
    requests = [
        Request(0, "open", 0.2, "ok"),
        Request(0, "period", 0.4, "ok"),
        Request(1, "open", 0.6, "error", "exception ValueError: x"),
        Request(1, "metric", 60.0, "timeout"),
        Request(2, "connect", 0.0, "connect_failed"),
    ]
    summary = summarise("dashboard", 3, requests, seconds=10.0, peak_rss_mb=300.0, server_cpu_s=2.0)
    assert summary.requests == 5
    assert summary.requests_per_s == pytest.approx(0.5)
    assert summary.cpu_ms_per_request == pytest.approx(400.0)
    assert summary.errors == 3
    assert summary.error_kinds == {"error": 1, "timeout": 1, "connect_failed": 1}
    assert summary.median_s == pytest.approx(0.4)  # of 0.2, 0.4, 0.6: the timeout has no finish
    assert summary.median_by_action == {"open": pytest.approx(0.4), "period": pytest.approx(0.4)}
    assert summary.finished_per_session == {0: 2, 1: 1, 2: 0}
    assert summary.first_errors[0].startswith("session 1, open: error exception ValueError")


def test_the_table_marks_each_aim_met_or_missed() -> None:
    slow = summarise("dashboard", 1, [Request(0, "open", 1.5, "ok")], seconds=2.0, peak_rss_mb=600.0)
    fast = summarise("empty page", 1, [Request(0, "open", 0.05, "ok")], seconds=2.0, peak_rss_mb=90.0)
    text = table([slow, fast])
    assert "errors = 0: met" in text
    assert "p95 <= 1 s: MISSED" in text
    assert "server RSS <= 500 MB: MISSED" in text
    assert "empty page" in text.splitlines()[3]


# ---------------------------------------------------------------- the server's memory


@pytest.mark.slow
def test_memory_is_summed_over_a_process_and_its_children() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert child.pid in process_tree(os.getpid())
        assert tree_rss_bytes(os.getpid()) > tree_rss_bytes(child.pid) > 0
    finally:
        child.kill()
        child.wait()


def test_cpu_time_is_read_for_a_process_that_has_worked() -> None:
    before = tree_cpu_seconds(os.getpid())
    sum(i * i for i in range(2_000_000))
    assert tree_cpu_seconds(os.getpid()) > before >= 0


def test_a_process_ending_while_the_table_is_read_is_skipped_not_fatal(tmp_path: Path) -> None:
    """/proc/PID/stat of a process that is exiting can read empty: the tree is built without it."""
    for pid, stat in {"1": "1 (init) S 0 1", "7": "7 (a (b) c) S 1 7", "9": "", "12": "12 (x) S"}.items():
        (tmp_path / pid).mkdir()
        (tmp_path / pid / "stat").write_text(stat)
    assert sorted(process_tree(1, tmp_path)) == [1, 7]
    assert tree_cpu_seconds(1, tmp_path) == 0.0  # stat lines too short to hold times count as none


def test_the_process_listening_on_a_port_is_found() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        assert listening_pid(sock.getsockname()[1]) == os.getpid()


# ---------------------------------------------------------------- five readers on the dashboard


@pytest.mark.slow
def test_five_readers_on_the_dashboard_see_no_error_and_each_finishes_several_scripts(tmp_path: Path) -> None:
    scenario = Scenario(sessions=5, duration=12.0, think=1.5, timeout=120)
    with dashboard_server(PROJECT_ROOT, tmp_path) as url:
        first = _run(runner.warm_up(url))
        assert first.ok, first.errors
        requests, seconds = _run(run_sessions(url, scenario))
    summary = summarise("dashboard", scenario.sessions, requests, seconds)
    assert summary.errors == 0, summary.first_errors
    assert all(count >= 2 for count in summary.finished_per_session.values()), summary.finished_per_session
    assert {r.action for r in requests} >= {"open", "page"}


@pytest.mark.slow
def test_a_sampler_over_replicas_keeps_the_largest_ones_memory_and_their_cpu_together() -> None:
    """Behind a proxy the load test samples each replica: the aim is on one server's memory."""
    from benchmarks.loadtest.memory import PeakSampler

    big = "b = b'x' * (80 * 2**20); import time; time.sleep(30)"  # written, so resident
    busy = "import time; end = time.process_time() + 0.6\nwhile time.process_time() < end: pass\ntime.sleep(30)"
    children = [subprocess.Popen([sys.executable, "-c", code]) for code in (big, busy)]
    try:
        sampler = PeakSampler([c.pid for c in children], interval=0.1).start()
        # polled, not slept: until the sampler has seen the big one's memory and the busy one has done its work
        deadline = time.monotonic() + 60
        while not ((sampler.peak_mb or 0) >= 80 and tree_cpu_seconds(children[1].pid) >= 0.6):
            assert time.monotonic() < deadline, "the children never reached their memory and CPU time"
            time.sleep(0.05)
        sampler.stop()
        alone = [tree_rss_bytes(c.pid) / 2**20 for c in children]
        assert sampler.peak_mb is not None and sampler.peak_mb >= 80
        assert sampler.peak_mb < sum(alone)  # the largest replica's, not the sum
        assert sampler.cpu_s is not None and sampler.cpu_s >= 0.3  # the busy one's work is counted
    finally:
        for c in children:
            c.kill()
            c.wait()
