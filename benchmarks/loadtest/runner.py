"""Many people at once: sessions that open the overview and then, every few seconds, change the
period, the metric, their district or the page, against the dashboard and against an empty Streamlit page.

    python -m benchmarks load --sessions 50 --duration 60 --think 3
    python -m benchmarks load --url http://127.0.0.1:8080   # a server or proxy already running

Each session is a :class:`~benchmarks.loadtest.client.Session` on Streamlit's websocket. Every
request is timed from sending the rerun to ``script_finished``; exceptions, the dashboard's boxes for a
fault it caught, timeouts and dropped connections are errors. The server's resident memory (with its children) is sampled
during the run. The run stops by itself: no request starts after ``duration`` seconds, and each
waits at most ``timeout`` seconds for its script.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from websockets.exceptions import WebSocketException

from benchmarks.loadtest.client import RunOutcome, Session, TargetRefused, stream_url
from benchmarks.loadtest.memory import PeakSampler, listening_pid, tree_rss_bytes
from benchmarks.loadtest.stats import Request, Summary, summarise
from benchmarks.report import OUT_DIR, Result, write_json
from tools.streamlit_server import PROJECT_ROOT, ServerError, serve

logger = logging.getLogger("benchmarks.loadtest")

# the pages a reader moves between ("" is the overview); the upload and admin pages are not browsed
READING_PAGES = ("", "rankings", "district", "reporting")
# the widgets a reader changes, by their keys in ui/state.py and ui/period.py
PERIOD_WIDGET = "view_period_month"
METRIC_WIDGET = "view_metric"
DISTRICT_WIDGET = "view_district"  # the sidebar's «منطقهٔ من»: a district head picks theirs
EMPTY_PAGE = 'import streamlit as st\n\nst.write("صفحهٔ خالی / an empty page")\n'

AIM_ERRORS = 0
AIM_P95_S = 1.0
AIM_RSS_MB = 500.0


@dataclass(frozen=True)
class Scenario:
    """How many people, for how long, pausing how long between clicks (on average)."""

    sessions: int = 50
    duration: float = 60.0
    think: float = 3.0
    ramp: float | None = None  # seconds over which the sessions arrive; None: one think time
    timeout: float = 60.0  # longest wait for one script to finish
    seed: int = 1405

    @property
    def arrival(self) -> float:
        return self.think if self.ramp is None else self.ramp


def next_action(session: Session, rng: random.Random) -> tuple[str, Coroutine[Any, Any, RunOutcome]]:
    """What the person does next, drawn evenly from what the page offers: another month, another
    metric, another district of their own, another reading page; on a page with none of these, a
    plain rerun."""
    choices: list[tuple[str, Callable[[], Coroutine[Any, Any, RunOutcome]]]] = []
    for label, key in (("period", PERIOD_WIDGET), ("metric", METRIC_WIDGET), ("district", DISTRICT_WIDGET)):
        widget = session.widgets.get(key)
        others = [o for o in widget.options if o != widget.value] if widget else []
        if others:

            def choose(key: str = key, others: list = others) -> Coroutine[Any, Any, RunOutcome]:
                return session.choose(key, rng.choice(others))

            choices.append((label, choose))
    pages = [p for p in session.pages if p.url_path in READING_PAGES and p.script_hash != session.page_hash]
    if pages:
        choices.append(("page", lambda: session.switch_page(rng.choice(pages))))
    if not choices:
        return "rerun", session.rerun(query_string=session.query_string, page_script_hash=session.page_hash)
    label, make = rng.choice(choices)
    return label, make()


def _request(number: int, action: str, outcome: RunOutcome) -> Request:
    return Request(number, action, outcome.seconds, outcome.status, "; ".join(outcome.errors)[:300])


async def person(
    number: int, base_url: str, scenario: Scenario, deadline: float, record: Callable[[Request], None]
) -> None:
    """One reader: connect, open the overview, then act every 0.5–1.5 think times until ``deadline``
    (loop time); leaves when the connection drops or a script does not finish in time."""
    rng = random.Random(scenario.seed * 1000 + number)
    loop = asyncio.get_running_loop()
    session = Session(base_url, timeout=scenario.timeout)
    try:
        await session.connect()
    except Exception as exc:  # refused, reset, timed out: this person never got in
        record(Request(number, "connect", 0.0, "connect_failed", f"{type(exc).__name__}: {exc}"[:300]))
        return
    try:
        outcome = await session.open()
        record(_request(number, "open", outcome))
        while outcome.status not in ("timeout", "closed"):
            pause = rng.uniform(0.5, 1.5) * scenario.think
            if loop.time() + pause >= deadline:
                break
            await asyncio.sleep(pause)
            action, request = next_action(session, rng)
            outcome = await request
            record(_request(number, action, outcome))
    finally:
        with contextlib.suppress(Exception):
            await session.close()


async def _arrive(delay: float, work: Coroutine[Any, Any, None]) -> None:
    await asyncio.sleep(delay)
    await work


async def run_sessions(base_url: str, scenario: Scenario) -> tuple[list[Request], float]:
    """Run the scenario against ``base_url``; returns every request and the run's wall-clock seconds."""
    stream_url(base_url)  # refuses any host but this machine's before a connection is made
    requests: list[Request] = []
    loop = asyncio.get_running_loop()
    began = time.perf_counter()
    deadline = loop.time() + scenario.duration
    spacing = scenario.arrival / scenario.sessions if scenario.sessions else 0.0
    tasks = [
        asyncio.create_task(_arrive(i * spacing, person(i, base_url, scenario, deadline, requests.append)))
        for i in range(scenario.sessions)
    ]
    # every person stops by itself; this bound only guards against a hang in the client itself
    limit = scenario.arrival + scenario.duration + 2 * scenario.timeout + 30
    done, pending = await asyncio.wait(tasks, timeout=limit)
    for task in pending:
        task.cancel()
    for task in done:
        if task.exception() is not None:
            logger.error("a session failed in the load test itself", exc_info=task.exception())
            requests.append(Request(-1, "client", 0.0, "client_fault", repr(task.exception())[:300]))
    if pending:
        requests.append(Request(-1, "client", limit, "client_fault", f"{len(pending)} sessions still running"))
    return requests, time.perf_counter() - began


async def warm_up(base_url: str, timeout: float = 180.0) -> RunOutcome:
    """One session opens the app once: a fresh server imports its libraries, migrates its store and
    loads the sample data on the first run, which is no reader's wait under load."""
    session = Session(base_url, timeout=timeout)
    await session.connect()
    try:
        return await session.open()
    finally:
        await session.close()


def measure(
    app: str, base_url: str, scenario: Scenario, pid: int | list[int] | None, log: Callable[[str], None]
) -> Summary:
    """Warm the server up, then run the scenario against it while sampling its memory."""
    first = asyncio.run(warm_up(base_url))
    log(f"{app}: first open {first.seconds:.2f} s ({first.status}{': ' + first.errors[0] if first.errors else ''})")
    if pid is not None:
        pids = [pid] if isinstance(pid, int) else pid
        before = ", ".join(f"{tree_rss_bytes(p) / 2**20:.0f}" for p in pids)
        log(f"{app}: server processes {pids}, {before} MB before the load")
    sampler = PeakSampler(pid).start() if pid is not None else None
    log(f"{app}: {scenario.sessions} sessions for {scenario.duration:g} s, a click every ~{scenario.think:g} s")
    try:
        requests, seconds = asyncio.run(run_sessions(base_url, scenario))
    finally:
        peak = sampler.stop() if sampler is not None else None
    cpu = sampler.cpu_s if sampler is not None else None
    summary = summarise(app, scenario.sessions, requests, seconds, peak, cpu)
    log(f"{app}: {summary.requests} requests, {summary.errors} errors")
    return summary


@contextlib.contextmanager
def dashboard_server(root: Path, work: Path) -> Iterator[str]:
    """dashboard.py from ``root`` on a free port, on a fresh SQLite store it fills with the sample
    data on its first run; the live-page check is slowed to once a day so it is not part of the load."""
    env = {
        "DASHBOARD_DB_PATH": str(work / "load.sqlite"),
        "DATABASE_URL": "",
        "DASHBOARD_SAMPLE": "1",
        "DASHBOARD_LIVE_SECONDS": "86400",
    }
    with serve("dashboard.py", env=env, cwd=root, timeout=120) as url:
        yield url


@contextlib.contextmanager
def empty_server(root: Path, work: Path) -> Iterator[str]:
    """A one-line Streamlit page with the dashboard's config, the floor any Streamlit app stands on."""
    folder = work / "empty-page"
    folder.mkdir(exist_ok=True)
    (folder / "empty_page.py").write_text(EMPTY_PAGE, encoding="utf-8")
    config = root / ".streamlit"
    if config.is_dir() and not (folder / ".streamlit").exists():
        (folder / ".streamlit").symlink_to(config, target_is_directory=True)
    with serve("empty_page.py", cwd=folder, timeout=60) as url:
        yield url


def _port(url: str) -> int:
    parts = urlsplit(url)
    return parts.port or (443 if parts.scheme in ("https", "wss") else 80)


def aims(summary: Summary) -> list[tuple[str, bool | None]]:
    """Each aim with whether ``summary`` met it (None: not measured)."""
    return [
        (f"errors = {AIM_ERRORS}", summary.errors <= AIM_ERRORS),
        (f"p95 <= {AIM_P95_S:g} s", None if summary.p95_s is None else summary.p95_s <= AIM_P95_S),
        (
            f"server RSS <= {AIM_RSS_MB:g} MB",
            None if summary.peak_rss_mb is None else summary.peak_rss_mb <= AIM_RSS_MB,
        ),
    ]


def _cell(value: float | None, fmt: str) -> str:
    return "—" if value is None else format(value, fmt)


def table(summaries: list[Summary]) -> str:
    """The run as a plain-text table, one row an app, then the dashboard's aims met or missed."""
    header = (
        "app",
        "sessions",
        "duration s",
        "requests",
        "requests/s",
        "median s",
        "p95 s",
        "errors",
        "peak RSS MB",
        "server CPU ms/request",
    )
    rows = [header]
    for s in summaries:
        rows.append(
            (
                s.app,
                str(s.sessions),
                f"{s.seconds:.1f}",
                str(s.requests),
                _cell(s.requests_per_s, ".1f"),
                _cell(s.median_s, ".3f"),
                _cell(s.p95_s, ".3f"),
                str(s.errors),
                _cell(s.peak_rss_mb, ".0f"),
                _cell(s.cpu_ms_per_request, ".0f"),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for k, row in enumerate(rows):
        lines.append(
            "  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row))
        )
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    if summaries:
        first = summaries[0]
        verdicts = ", ".join(
            f"{name}: {'—' if met is None else 'met' if met else 'MISSED'}" for name, met in aims(first)
        )
        lines += ["", f"aims ({first.app}): {verdicts}"]
    for s in summaries:
        if s.median_by_action:
            medians = ", ".join(f"{action} {seconds:.3f}" for action, seconds in s.median_by_action.items())
            lines.append(f"  * {s.app} median s by action: {medians}")
        if s.error_kinds:
            lines.append(f"  * {s.app} errors by kind: {s.error_kinds}")
        lines += [f"  * {s.app}: {text}" for text in s.first_errors]
    return "\n".join(lines)


def results(summaries: list[Summary]) -> list[Result]:
    """The run as benchmark results, for results JSON beside the other benchmarks'."""
    out = []
    for s in summaries:
        is_aimed = s is summaries[0]
        section = f"load/{s.app}"
        out += [
            Result(section, "requests per second", s.requests_per_s, "req/s", note=f"{s.requests} requests"),
            Result(section, "median request → script finished", s.median_s, "s"),
            Result(section, "p95 request → script finished", s.p95_s, "s", aim=("<=", AIM_P95_S) if is_aimed else None),
            Result(section, "errors", float(s.errors), "", aim=("<=", AIM_ERRORS) if is_aimed else None),
            Result(section, "server peak RSS", s.peak_rss_mb, "MB", aim=("<=", AIM_RSS_MB) if is_aimed else None),
            Result(section, "server CPU per request", s.cpu_ms_per_request, "ms"),
        ]
    return out


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks load",
        description=(
            "Many sessions on Streamlit's websocket: each opens the overview, then changes period, metric "
            "or page every few seconds; the dashboard beside an empty page. Talks only to 127.0.0.1."
        ),
    )
    parser.add_argument("--sessions", type=int, default=50, help="people at once (default 50)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds in which requests start (default 60)")
    parser.add_argument("--think", type=float, default=3.0, help="mean seconds between a person's clicks (default 3)")
    parser.add_argument(
        "--ramp", type=float, default=None, help="seconds over which sessions arrive (default: --think)"
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="longest wait for one script (default 60)")
    parser.add_argument("--seed", type=int, default=1405, help="seed of the people's choices")
    parser.add_argument(
        "--url", default=None, help="a running server or proxy on 127.0.0.1 to load instead of starting one"
    )
    parser.add_argument(
        "--server-pid",
        type=int,
        action="append",
        default=None,
        help="with --url: a server process whose memory and CPU to sample (once a replica behind a proxy: "
        "the largest one's memory, their CPU together); default: the process listening on the port",
    )
    parser.add_argument(
        "--root", type=Path, default=PROJECT_ROOT, help="the project folder whose dashboard.py to serve"
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the run against an empty page")
    parser.add_argument("--strict", action="store_true", help="exit 1 when an aim is missed")
    parser.add_argument(
        "--out", type=Path, default=None, help="where to write the JSON (default benchmarks/out/load.json)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.url:
        try:
            stream_url(args.url)
        except TargetRefused as exc:
            print(exc, file=sys.stderr)
            return 2
    if args.sessions < 1 or args.duration <= 0 or args.think <= 0 or args.timeout <= 0:
        print(
            "تعداد نشست‌ها، مدت، فاصلهٔ کلیک‌ها و مهلت باید بزرگ‌تر از صفر باشند / "
            "--sessions, --duration, --think and --timeout must be greater than zero",
            file=sys.stderr,
        )
        return 2
    scenario = Scenario(args.sessions, args.duration, args.think, args.ramp, args.timeout, args.seed)
    began = time.perf_counter()
    load_before = os.getloadavg()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - began:6.1f} s] {message}", file=sys.stderr, flush=True)

    summaries: list[Summary] = []
    try:
        with tempfile.TemporaryDirectory(prefix="dashboard-load-") as tmp:
            work = Path(tmp)
            if args.url:
                found = listening_pid(_port(args.url))
                pid = args.server_pid or ([found] if found else None)
                log(f"dashboard at {args.url}" + (f", memory of processes {pid}" if pid else ", memory not sampled"))
                summaries.append(measure("dashboard", args.url, scenario, pid, log))
            else:
                log(f"starting dashboard.py from {args.root}")
                with dashboard_server(args.root, work) as url:
                    summaries.append(measure("dashboard", url, scenario, listening_pid(_port(url)), log))
            if not args.no_baseline:
                log("starting the empty page")
                with empty_server(args.root, work) as url:
                    summaries.append(measure("empty page", url, scenario, listening_pid(_port(url)), log))
    except ServerError as exc:  # its message already says what and where, with the server's output
        print(exc, file=sys.stderr)
        return 1
    except (OSError, WebSocketException) as exc:
        logger.debug("the load test could not reach the server", exc_info=exc)
        target = args.url or "the server it started"
        print(
            f"آزمون بار به کارگزار «{target}» وصل نشد؛ روشن بودن کارگزار و درگاه را بررسی کنید / "
            f"the load test could not connect to {target} ({type(exc).__name__}: {exc}); check that it is running "
            "and the port is right",
            file=sys.stderr,
        )
        return 1

    load_after = os.getloadavg()
    print()
    print(
        f"{scenario.sessions} sessions, requests started for {scenario.duration:g} s, a click every "
        f"{0.5 * scenario.think:g}–{1.5 * scenario.think:g} s; run took {time.perf_counter() - began:.0f} s; "
        f"{os.cpu_count()} cores, load average {load_before[0]:.1f} before and {load_after[0]:.1f} after (1 min)"
    )
    print(table(summaries))
    meta = {
        "load_average": {"before": load_before, "after": load_after},
        "load": vars(args) | {"root": str(args.root), "out": str(args.out)},
        "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }
    path = write_json(results(summaries), meta, args.out or OUT_DIR / "load.json")
    print(f"\nresults: {path}")
    missed = [name for name, met in aims(summaries[0]) if met is False]
    return 1 if args.strict and missed else 0
