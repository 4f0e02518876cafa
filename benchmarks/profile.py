"""Where one page view's time goes, on the server and in the browser.

    python -m benchmarks profile [--views 20] [--pages overview,rankings,empty] [--no-browser] [--no-spy]

Server: the dashboard (on a fresh SQLite store with the sample data, the live check slowed to once a
day) and an empty Streamlit page are each opened ``--views`` times by a new websocket session, as a
new browser tab would: the server's CPU time per view is read from /proc around those views. When
py-spy is installed (requirements-dev.txt), the same views are then sampled and every sample is put
in one bucket: the page script's parts (plotly's figure JSON, the figures' building, the store's
queries, st.cache_data, the charts' HTML), the protobuf messages and the websocket, static files, the
session's setup and the rest of the event loop.

Browser: headless Chromium opens each page ``--views // 4`` times in a cold context (nothing cached)
and as many times warm (a context that opened the page once: a returning reader, whose cache holds
what the server allowed it to keep) and reads the Navigation and Resource Timing entries: the
HTML, Streamlit's script bundle, plotly.js, the fonts, the first and the last chart drawn, and the
bytes fetched over the network.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.loadtest.client import Session
from benchmarks.loadtest.memory import listening_pid, tree_cpu_seconds
from benchmarks.loadtest.runner import EMPTY_PAGE, warm_up
from tools.streamlit_server import PROJECT_ROOT, free_port, is_healthy, streamlit_command

PAGES = {"overview": "", "rankings": "rankings", "empty": ""}

# A sample's bucket is the first rule that matches any frame of its stack, in this order: the most
# specific parts of the page script first, the script as a whole last.
BUCKETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("script: plotly figure -> JSON", ("basedatatypes.py:to_json", "plotly/io/_json.py", "to_plotly_json")),
    ("script: building figures (monitoring/charts)", ("monitoring/charts.py",)),
    ("script: store queries (SQL + DataFrame)", ("monitoring/store", "sqlalchemy/")),
    ("script: st.cache_data (hash, copy, pickle)", ("streamlit/runtime/caching",)),
    ("script: chart HTML (ui/plot.py)", ("ui/plot.py",)),
    ("script: elements -> protobuf (st.* calls)", ("streamlit/elements", "streamlit/delta_generator")),
    ("script: the pages' own code (views/, ui/, monitoring/)", ("views/", "/ui/", "monitoring/")),
    ("script: Streamlit's script runner", ("script_runner.py", "exec_code.py", "dashboard.py")),
    (
        "websocket: protobuf -> bytes, compression, send",
        ("SerializeToString", "websocket.py", "websocket_connection", "serialize_forward_msg", "browser_websocket"),
    ),
    ("static files (HTTP)", ("StaticFileHandler", "static_file_handling", "web.py:flush", "httpserver.py")),
    ("session setup (new tab)", ("app_session.py", "session_manager.py", "websocket_session_manager")),
    ("event loop, threads, other", ("",)),
)


@dataclass
class ServerFigures:
    """The server's CPU time per view of one page, and where the sampled time went."""

    page: str
    views: int
    cpu_ms: float  # median over rounds of CPU time / views, the profiler not attached
    script_s: float  # median seconds from the rerun request to script_finished, as the client saw it
    buckets: dict[str, float] = field(default_factory=dict)  # bucket -> share of sampled CPU (0..1)
    top: list[tuple[str, float]] = field(default_factory=list)  # leaf functions -> share
    lines: list[tuple[str, float]] = field(default_factory=list)  # the page's own lines -> share


@contextlib.contextmanager
def _server(script: str, cwd: Path, env: dict[str, str]) -> Iterator[tuple[str, int]]:
    """``streamlit run script`` on a free port; yields (base URL, the server's process id)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tempfile.NamedTemporaryFile(prefix="streamlit-profile-", suffix=".log", delete=False)
    process = subprocess.Popen(
        streamlit_command(script, port),
        cwd=cwd,
        env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    try:
        deadline = time.monotonic() + 120
        while not is_healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "سرور Streamlit برای نمایه‌گیری بالا نیامد / Streamlit did not start for profiling:\n"
                    + Path(log.name).read_text(encoding="utf-8", errors="replace")[-3000:]
                )
            time.sleep(0.1)
        yield url, listening_pid(port) or process.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        Path(log.name).unlink(missing_ok=True)


async def _views(url: str, url_path: str, views: int) -> list[float]:
    """Open the page ``views`` times, each in a new session (a new tab); the script's seconds each.

    A bystander stays connected meanwhile, as on a server with readers: Streamlit forgets the pages'
    compiled scripts whenever its last session closes, and a lone reader would pay that each view."""
    bystander = Session(url, timeout=60)
    await bystander.connect()
    try:
        return await _open_each(url, url_path, views)
    finally:
        await bystander.close()


async def _open_each(url: str, url_path: str, views: int) -> list[float]:
    seconds = []
    for _ in range(views):
        session = Session(url, timeout=60)
        await session.connect()
        try:
            outcome = await session.open(url_path=url_path)
            if not outcome.ok:
                raise RuntimeError(f"the page {url_path or '/'} failed: {outcome.status} {outcome.errors[:1]}")
            seconds.append(outcome.seconds)
        finally:
            await session.close()
    return seconds


def _cpu_per_view(url: str, pid: int, url_path: str, views: int, rounds: int = 3) -> tuple[float, float]:
    """Median over ``rounds`` of the server's CPU ms per view, and the median script seconds."""
    per_view, scripts = [], []
    for _ in range(rounds):
        before = tree_cpu_seconds(pid)
        scripts += asyncio.run(_views(url, url_path, views))
        per_view.append(1000 * (tree_cpu_seconds(pid) - before) / views)
    return statistics.median(per_view), statistics.median(scripts)


def _py_spy() -> str | None:
    found = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    return found if Path(found).is_file() else None


def _spy(url: str, pid: int, url_path: str, views: int, out: Path) -> dict[str, int]:
    """Sample the server with py-spy while ``views`` views run; stacks (root first, ";"-joined) -> samples."""
    spy = subprocess.Popen(
        [_py_spy() or "py-spy", "record", "--pid", str(pid), "--rate", "250", "--format", "raw", "--nonblocking"]
        + ["--output", str(out), "--threads"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    time.sleep(1.0)  # py-spy attaches
    try:
        asyncio.run(_views(url, url_path, views))
    finally:
        spy.send_signal(signal.SIGINT)
        try:
            spy.wait(timeout=30)
        except subprocess.TimeoutExpired:
            spy.kill()
    stacks: dict[str, int] = collections.Counter()
    if not out.is_file():
        return stacks
    for line in out.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            stacks[stack] += int(count)
    return stacks


def _frame_name(frame: str) -> str:
    """py-spy's «function (path/to/file.py:LINE)» as «file.py:function»."""
    name, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    return f"{'/'.join(path.split('/')[-2:])}:{name}"


def bucket_of(stack: str) -> str:
    """The bucket of one sampled stack (frames ";"-joined, root first, as py-spy writes them)."""
    frames = [f.replace("\\", "/") for f in stack.split(";")]
    joined = [f"{_frame_name(f)} {f}" for f in frames]
    for bucket, marks in BUCKETS:
        if any(mark in frame for frame in joined for mark in marks):
            return bucket
    return BUCKETS[-1][0]


def _most_common(shares: dict[str, float], n: int) -> list[tuple[str, float]]:
    """The ``n`` largest shares, largest first (ties in the order first seen, as Counter.most_common)."""
    return sorted(shares.items(), key=lambda item: -item[1])[:n]


def page_lines(stacks: dict[str, int]) -> list[tuple[str, float]]:
    """The page's lines by share of busy samples: the line of the page script (or of dashboard.py)
    that was running, with the function it had called, everything below included."""
    busy = {s: n for s, n in stacks.items() if not _is_idle(s)}
    total = sum(busy.values()) or 1
    lines: dict[str, float] = collections.defaultdict(float)
    for stack, n in busy.items():
        frames = stack.split(";")
        where = None
        for i, frame in enumerate(frames):
            if frame.startswith("<module> (dashboard.py:") or (i and frames[i - 1].startswith("Page.run ")):
                line = frame.partition(" (")[2].rstrip(")")
                callee = frames[i + 1].partition(" (")[0] if i + 1 < len(frames) else "(the line itself)"
                where = f"{line} {callee}"
        if where:
            lines[where] += n / total
    return _most_common(lines, 15)


def breakdown(stacks: dict[str, int], idle: Callable[[str], bool] | None = None) -> tuple[dict[str, float], list]:
    """Shares of the busy samples by bucket, and the 12 leaf functions with the most samples."""
    idle = idle or _is_idle
    busy = {s: n for s, n in stacks.items() if not idle(s)}
    total = sum(busy.values()) or 1
    buckets: dict[str, float] = collections.defaultdict(float)
    leaves: dict[str, float] = collections.defaultdict(float)
    for stack, n in busy.items():
        buckets[bucket_of(stack)] += n / total
        leaves[_frame_name(stack.split(";")[-1])] += n / total
    return dict(buckets), _most_common(leaves, 12)


def _is_idle(stack: str) -> bool:
    """A thread waiting (select, a lock, a condition, sleep) is not spending CPU."""
    leaf = stack.split(";")[-1]
    return any(w in leaf for w in ("select ", "poll ", "wait ", "_wait_for_tstate_lock", "sleep", "acquire "))


def profile_server(
    pages: list[str], views: int, spy: bool, log: Callable[[str], None], keep: Path | None = None
) -> list[ServerFigures]:
    """CPU per view of each page (``empty``: the empty page), with py-spy's breakdown when ``spy``;
    ``keep``: a folder where py-spy's raw stacks are kept."""
    figures = []
    with tempfile.TemporaryDirectory(prefix="dashboard-profile-") as tmp:
        work = Path(tmp)
        empty_dir = work / "empty"
        empty_dir.mkdir()
        (empty_dir / "empty_page.py").write_text(EMPTY_PAGE, encoding="utf-8")
        for shared in (".streamlit", "static"):
            (empty_dir / shared).symlink_to(PROJECT_ROOT / shared, target_is_directory=True)
        env = {
            "DASHBOARD_DB_PATH": str(work / "profile.sqlite"),
            "DATABASE_URL": "",
            "DASHBOARD_SAMPLE": "1",
            "DASHBOARD_LIVE_SECONDS": "86400",
        }
        dashboard_pages = [p for p in pages if p != "empty"]
        servers = []
        if dashboard_pages:
            servers.append(("dashboard.py", PROJECT_ROOT, env, dashboard_pages))
        if "empty" in pages:
            servers.append(("empty_page.py", empty_dir, {}, ["empty"]))
        for script, cwd, extra, names in servers:
            with _server(script, cwd, extra) as (url, pid):
                asyncio.run(warm_up(url))
                for name in names:
                    path = PAGES[name]
                    asyncio.run(_views(url, path, 3))  # the page's caches filled, its modules imported
                    log(f"server: {name}, {views} views × 3 rounds")
                    cpu_ms, script_s = _cpu_per_view(url, pid, path, views)
                    result = ServerFigures(name, views, cpu_ms, script_s)
                    if spy and _py_spy():
                        log(f"server: {name}, {views} views under py-spy")
                        stacks = _spy(url, pid, path, views, work / f"{name}.txt")
                        result.buckets, result.top = breakdown(stacks)
                        result.lines = page_lines(stacks)
                        if keep is not None:
                            keep.mkdir(parents=True, exist_ok=True)
                            shutil.copy(work / f"{name}.txt", keep / f"py-spy-{name}.txt")
                    figures.append(result)
    return figures


# ---------------------------------------------------------------- the browser

_TIMING = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paints = Object.fromEntries(performance.getEntriesByType('paint').map(p => [p.name, p.startTime]));
  const res = performance.getEntriesByType('resource').map(r => ({
    name: r.name, start: r.startTime, end: r.responseEnd, transfer: r.transferSize, body: r.decodedBodySize,
    type: r.initiatorType}));
  return {html: nav ? nav.responseEnd : null, dom: nav ? nav.domContentLoadedEventEnd : null,
          load: nav ? nav.loadEventEnd : null, fcp: paints['first-contentful-paint'] ?? null,
          firstChart: window.__dashFirstChart ?? null, res,
          marks: performance.getEntriesByType('mark').filter(m => m.name.startsWith('dash-'))
            .map(m => [m.name, m.startTime])};
}"""

# the moment the first chart's SVG appears, watched from the page's start
_WATCH_FIRST_CHART = """
(() => {
  const seen = () => document.querySelector('.js-plotly-plot .main-svg');
  const obs = new MutationObserver(() => {
    if (seen() && window.__dashFirstChart === undefined) {
      window.__dashFirstChart = performance.now();
      const box = seen().closest('[data-dash-chart], [data-testid=stPlotlyChart]') || seen();
      const top = box.getBoundingClientRect().top;
      window.__dashFirstChartTop = top;
      obs.disconnect();
    }
  });
  document.addEventListener('DOMContentLoaded', () => obs.observe(document.body, {childList: true, subtree: true}));
})();
"""


def _group(name: str) -> str:
    if "plotly" in name:
        return "plotly.js"
    if name.endswith((".woff2", ".woff", ".ttf")):
        return "fonts"
    if "/static/js/" in name or name.endswith(".js"):
        return "Streamlit's JS"
    if name.endswith(".css"):
        return "CSS"
    return "other"


@dataclass
class BrowserFigures:
    page: str
    cold_s: list[float] = field(default_factory=list)
    warm_s: list[float] = field(default_factory=list)
    cold: dict[str, float] = field(default_factory=dict)  # milestone -> median ms
    warm: dict[str, float] = field(default_factory=dict)
    first_chart_top: float | None = None  # px from the top of the viewport; the first screen is 1000 px


def _visit(context, url: str) -> tuple[float, dict[str, float], float | None]:
    from tools.browser import goto_settled

    page = context.new_page()
    page.add_init_script(_WATCH_FIRST_CHART)
    try:
        _, drawn = goto_settled(page, url)
        timing = page.evaluate(_TIMING)
        top = page.evaluate("() => window.__dashFirstChartTop ?? null")
    finally:
        page.close()
    marks: dict[str, float] = {"HTML": timing["html"], "first paint": timing["fcp"] or 0.0}
    if timing["firstChart"] is not None:
        marks["first chart drawn"] = timing["firstChart"]
    names = {  # ui/plot.py's performance marks; the first of each
        "dash-plotly-asked": "plotly.js asked for",
        "dash-plotly-ready": "plotly.js evaluated",
        "dash-chart-waits": "first chart's script ran",
        "dash-chart-starts": "first chart starts drawing",
    }
    for mark, at in timing["marks"]:
        if mark in names and names[mark] not in marks:
            marks[names[mark]] = at
        if mark == "dash-chart-drawn":
            marks["last chart drawn"] = at
    ends: dict[str, float] = collections.defaultdict(float)
    transfer: dict[str, float] = collections.defaultdict(float)
    for r in timing["res"]:
        group = _group(r["name"])
        ends[group] = max(ends[group], r["end"])
        transfer["KB over the network"] += r["transfer"] / 1024
    for group, end in ends.items():
        marks[f"{group} fetched"] = end
    marks.update(transfer)
    return drawn, marks, top


def profile_browser(pages: list[str], runs: int, log: Callable[[str], None]) -> list[BrowserFigures]:
    """Each page opened ``runs`` times cold and then warm, the pages taking turns (so a busy moment
    of the machine falls on all of them alike); the dashboard and the empty page on servers of their own."""
    from tools.browser import VIEWPORT, launch

    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="dashboard-profile-browser-")))
        empty_dir = tmp / "empty"
        empty_dir.mkdir()
        (empty_dir / "empty_page.py").write_text(EMPTY_PAGE, encoding="utf-8")
        for shared in (".streamlit", "static"):
            (empty_dir / shared).symlink_to(PROJECT_ROOT / shared, target_is_directory=True)
        env = {
            "DASHBOARD_DB_PATH": str(tmp / "profile.sqlite"),
            "DATABASE_URL": "",
            "DASHBOARD_SAMPLE": "1",
            "DASHBOARD_LIVE_SECONDS": "86400",
        }
        servers: dict[str, tuple[str, int]] = {}
        if any(p != "empty" for p in pages):
            servers["dashboard"] = stack.enter_context(_server("dashboard.py", PROJECT_ROOT, env))
        if "empty" in pages:
            servers["empty"] = stack.enter_context(_server("empty_page.py", empty_dir, {}))
        browser = stack.enter_context(launch())

        def context():
            return browser.new_context(viewport=VIEWPORT, locale="fa-IR", timezone_id="Asia/Tehran")

        figures = {name: BrowserFigures(name) for name in pages}
        marks: dict[str, tuple[list, list]] = {name: ([], []) for name in pages}
        cpu: dict[str, tuple[list, list]] = {name: ([], []) for name in pages}
        for name in pages:  # each server's first browser visit is nobody's wait
            first = context()
            _visit(first, f"{servers['empty' if name == 'empty' else 'dashboard'][0]}/{PAGES[name]}")
            first.close()
        log(f"browser: {', '.join(pages)} in turn, {runs} cold and {runs} warm visits each")
        for _ in range(runs):
            for name in pages:
                url, pid = servers["empty" if name == "empty" else "dashboard"]
                address = f"{url}/{PAGES[name]}"
                reader = context()
                try:
                    for warm in (False, True):  # the same reader comes back: its cache is warm
                        before = tree_cpu_seconds(pid)
                        drawn, seen, top = _visit(reader, address)
                        cpu[name][warm].append(1000 * (tree_cpu_seconds(pid) - before))
                        (figures[name].warm_s if warm else figures[name].cold_s).append(drawn)
                        marks[name][warm].append(seen)
                        if not warm:
                            figures[name].first_chart_top = top
                finally:
                    reader.close()
        for name, fig in figures.items():
            fig.cold, fig.warm = _medians(marks[name][0]), _medians(marks[name][1])
            fig.cold["server CPU ms"] = statistics.median(cpu[name][0])
            fig.warm["server CPU ms"] = statistics.median(cpu[name][1])
        return list(figures.values())


def _medians(marks: list[dict[str, float]]) -> dict[str, float]:
    keys = {k for m in marks for k in m}
    return {k: statistics.median(m.get(k, 0.0) for m in marks) for k in sorted(keys)}


# ---------------------------------------------------------------- report


def report(server: list[ServerFigures], browser: list[BrowserFigures]) -> str:
    lines = []
    empty = next((s for s in server if s.page == "empty"), None)
    if server:
        lines.append("server, per page view (a new session opening the page; caches warm)")
        lines.append(f"{'page':<10} {'CPU ms':>8} {'× empty':>8} {'script s':>9}")
        for s in server:
            ratio = f"{s.cpu_ms / empty.cpu_ms:.2f}" if empty and empty.cpu_ms else "—"
            lines.append(f"{s.page:<10} {s.cpu_ms:8.0f} {ratio:>8} {s.script_s:9.3f}")
        for s in server:
            if not s.buckets:
                continue
            lines.append(f"\nwhere {s.page}'s server CPU goes (py-spy samples of busy threads)")
            for bucket, share in sorted(s.buckets.items(), key=lambda kv: -kv[1]):
                lines.append(f"  {share * 100:5.1f}%  {bucket}  (~{share * s.cpu_ms:.0f} ms)")
            lines.append("  top functions (self time):")
            for leaf, share in s.top[:8]:
                lines.append(f"    {share * 100:5.1f}%  {leaf}")
            if s.lines:
                lines.append("  the page's own code (outermost frame in views/ or ui/, with everything it calls):")
                for where, share in s.lines[:10]:
                    lines.append(f"    {share * 100:5.1f}%  {where}")
    if browser:
        base = next((b for b in browser if b.page == "empty"), None)
        lines.append("\nbrowser (headless Chromium, 1440×1000): navigation until every chart is drawn")
        lines.append(f"{'page':<10} {'cold s':>7} {'× empty':>8} {'warm s':>7} {'× empty':>8} {'1st chart top px':>17}")
        for b in browser:
            cold, warm = statistics.median(b.cold_s), statistics.median(b.warm_s)
            rc = f"{cold / statistics.median(base.cold_s):.2f}" if base else "—"
            rw = f"{warm / statistics.median(base.warm_s):.2f}" if base else "—"
            top = "—" if b.first_chart_top is None else f"{b.first_chart_top:.0f}"
            lines.append(f"{b.page:<10} {cold:7.2f} {rc:>8} {warm:7.2f} {rw:>8} {top:>17}")
        for b in browser:
            lines.append(f"\n{b.page}: milestones, ms after navigation (median)   cold     warm")
            for key in sorted(set(b.cold) | set(b.warm), key=lambda k: b.cold.get(k, 0)):
                unit = "" if key.startswith("KB") or key.endswith(" ms") else " ms"
                lines.append(f"  {key:<40} {b.cold.get(key, 0):8.0f} {b.warm.get(key, 0):8.0f}{unit}")
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks profile", description=__doc__.split("\n\n")[0])
    parser.add_argument("--views", type=int, default=20, help="page views a measurement (default 20)")
    parser.add_argument("--pages", default="overview,rankings,empty", help="comma-separated: overview, rankings, empty")
    parser.add_argument("--no-browser", action="store_true", help="the server only")
    parser.add_argument("--no-server", action="store_true", help="the browser only")
    parser.add_argument("--no-spy", action="store_true", help="CPU per view only, without py-spy's breakdown")
    parser.add_argument("--keep", type=Path, default=None, help="a folder to keep py-spy's raw stacks in")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    unknown = [p for p in pages if p not in PAGES]
    if unknown or args.views < 1:
        print(
            f"صفحهٔ ناشناخته یا تعداد نادرست: {unknown or args.views}؛ از overview، rankings و empty بگزینید / "
            f"unknown page or bad count: {unknown or args.views}; choose from overview, rankings, empty",
            file=sys.stderr,
        )
        return 2
    began = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - began:6.1f} s] {message}", file=sys.stderr, flush=True)

    if not args.no_spy and not args.no_server and not _py_spy():
        log("py-spy is not installed (pip install -r requirements-dev.txt): CPU per view only")
    server = [] if args.no_server else profile_server(pages, args.views, not args.no_spy, log, args.keep)
    browser = [] if args.no_browser else profile_browser(pages, max(args.views // 4, 2), log)
    print(report(server, browser))
    return 0


if __name__ == "__main__":
    sys.exit(main())
