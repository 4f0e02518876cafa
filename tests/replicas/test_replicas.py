"""Two dashboard replicas behind nginx on one PostgreSQL database, started with deploy/replicas.sh.

The proxy keeps each browser on one replica (a key in the cookie dash_replica, hashed to a replica);
a batch loaded on the command line shows on pages served by either replica within the live-refresh
interval, without a reload. Everything listens on 127.0.0.1, on free ports, in a database of its own
that is dropped afterwards.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from monitoring import calendar
from tests.conftest import POSTGRES_ADMIN_URL
from tools.browser import VIEWPORT, launch, read_page, wait_until_settled
from tools.streamlit_server import PROJECT_ROOT, free_port

SCRIPT = PROJECT_ROOT / "deploy" / "replicas.sh"
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
LIVE_SECONDS = 3  # the replicas check the store this often; the dashboard's default is 30 s
COOKIE = "dash_replica"
DISTRICT = 7
METRIC = "news_published"
VALUE = 98765  # far above any district's month in the sample data, so it is unmistakable on the page

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.browser,
    pytest.mark.skipif(
        NGINX is None,
        reason="nginx is not installed (apt-get install -y nginx; .ci/run installs it): the replica test needs it",
    ),
]


@dataclass(frozen=True)
class Replicas:
    proxy: str  # http://127.0.0.1:PORT
    replicas: tuple[str, ...]  # 127.0.0.1:PORT of each replica, as nginx names its upstreams
    run_dir: Path
    database_url: str


def _script(command: str, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT), command], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _logs(run_dir: Path) -> str:
    out = []
    for path in sorted((run_dir / "logs").glob("*.log")):
        body = path.read_text(encoding="utf-8", errors="replace")
        out.append(f"----- {path.name} -----\n{body[-4000:]}")
    return "\n".join(out)


def _drop_database(name: str) -> None:
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="module")
def replicas(tmp_path_factory) -> Iterator[Replicas]:
    name = f"dash_replicas_{uuid.uuid4().hex[:10]}"
    database_url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    run_dir = tmp_path_factory.mktemp("replicas")
    proxy_port, *ports = (free_port() for _ in range(3))
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PROXY_PORT": str(proxy_port),
        "REPLICA_PORTS": " ".join(map(str, ports)),
        "RUN_DIR": str(run_dir),
        "PYTHON": sys.executable,
        "NGINX_BIN": str(NGINX),
        "DASHBOARD_LIVE_SECONDS": str(LIVE_SECONDS),
        "DASHBOARD_SAMPLE": "1",
        "PYTHONUNBUFFERED": "1",
    }
    try:
        started = _script("start", env, timeout=150)
        assert started.returncode == 0, (
            f"deploy/replicas.sh start failed ({started.returncode}):\n{started.stdout}\n{started.stderr}\n{_logs(run_dir)}"
        )
        yield Replicas(f"http://127.0.0.1:{proxy_port}", tuple(f"127.0.0.1:{p}" for p in ports), run_dir, database_url)
    finally:
        stopped = _script("stop", env, timeout=60)
        _drop_database(name)
        if stopped.returncode != 0:
            sys.stderr.write(f"deploy/replicas.sh stop failed:\n{stopped.stdout}\n{stopped.stderr}\n")


def _get(url: str, key: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Cookie": f"{COOKIE}={key}"} if key else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()


def _keys_for_each_replica(replicas: Replicas) -> dict[str, str]:
    """A cookie key that the proxy sends to each replica: {replica address: key}."""
    found: dict[str, str] = {}
    for n in range(200):
        key = f"pin{n}"
        _, headers, _ = _get(f"{replicas.proxy}/_stcore/health", key)
        found.setdefault(headers["x-dashboard-replica"], key)
        if len(found) == len(replicas.replicas):
            return found
    raise AssertionError(f"200 keys reached only {sorted(found)} of {replicas.replicas}")


def test_the_proxy_serves_health_the_page_shell_and_static_files(replicas):
    status, _, body = _get(f"{replicas.proxy}/_stcore/health")
    assert (status, body.strip()) == (200, b"ok")
    status, headers, body = _get(f"{replicas.proxy}/")
    assert status == 200 and b'id="root"' in body
    assert headers["x-dashboard-replica"] in replicas.replicas
    assert re.match(rf"{COOKIE}=[0-9a-f]{{32}}; Path=/", headers["set-cookie"]), "a new browser gets its replica key"
    assert _get(f"{replicas.proxy}/_stcore/host-config")[0] == 200
    status, _, font = _get(f"{replicas.proxy}/app/static/fonts/Vazirmatn-Regular.woff2")
    assert status == 200 and len(font) > 10_000


def test_a_browser_with_a_replica_key_always_reaches_the_same_replica(replicas):
    keys = _keys_for_each_replica(replicas)
    assert sorted(keys) == sorted(replicas.replicas), "both replicas take browsers"
    for replica, key in keys.items():
        status, headers, _ = _get(f"{replicas.proxy}/", key)
        assert "set-cookie" not in headers, "a browser that has a key keeps it"
        seen = {_get(f"{replicas.proxy}/_stcore/health", key)[1]["x-dashboard-replica"] for _ in range(6)}
        assert seen == {replica}


def _stream_lines(run_dir: Path, keys: set[str], timeout: float = 15.0) -> list[tuple[str, str]]:
    """(key, upstream) of each websocket the proxy logged for ``keys``; nginx writes a websocket's line
    when it closes, so wait until every key has one."""
    deadline = time.monotonic() + timeout
    while True:
        log = (run_dir / "logs" / "access.log").read_text(encoding="utf-8")
        lines = re.findall(r'"GET /_stcore/stream HTTP/1\.1" 101 \d+ upstream=(\S+) key=(\S+)', log)
        # the log keeps only the first 8 characters of a key (the sign-in is bound to the whole cookie)
        found = [(key, upstream) for upstream, tag in lines for key in keys if key.startswith(tag)]
        if {key for key, _ in found} == keys or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def _main_text(page) -> str:
    return page.inner_text("[data-testid=stMain]")


def test_a_batch_loaded_on_the_command_line_shows_on_both_replicas_without_a_reload(replicas, tmp_path):
    keys = _keys_for_each_replica(replicas)  # {replica: key}
    value_shown = calendar.format_number(VALUE)
    district_url = f"{replicas.proxy}/district?district={DISTRICT}"
    with launch() as browser:
        contexts, pages = [], {}
        try:
            # both replicas meet the empty database at once: their first pages open together, the
            # overview from the first replica and a district's page from the second
            first = next(iter(keys))
            for replica, key in keys.items():
                context = browser.new_context(viewport=VIEWPORT, locale="fa-IR", timezone_id="Asia/Tehran")
                context.add_cookies([{"name": COOKIE, "value": key, "url": replicas.proxy}])
                contexts.append(context)
                pages[replica] = context.new_page()
                pages[replica].goto(f"{replicas.proxy}/" if replica == first else district_url, wait_until="commit")
            for replica, page in pages.items():
                wait_until_settled(page, timeout=120)
                facts = read_page(page)
                assert facts.errors == [], f"{page.url} from {replica} shows an error"
                assert facts.charts > 0 and facts.charts_drawn == facts.charts, f"{page.url} from {replica}"
            assert "داده‌ها تا" in pages[first].inner_text(".dash-asof"), "the overview says how recent its data is"

            engine = create_engine(replicas.database_url)
            try:
                with engine.connect() as conn:
                    twice = conn.execute(
                        text(
                            "SELECT count(*) - count(DISTINCT (source_name, loaded_at)) FROM batches "
                            "WHERE kind IN ('sample', 'targets')"
                        )
                    ).scalar_one()
                    loaded = conn.execute(text("SELECT count(*) FROM batches")).scalar_one()
            finally:
                engine.dispose()
            assert loaded > 0, "the first start loaded the sample data"
            assert twice == 0, "two replicas starting together loaded the sample data twice"

            pages[first].goto(district_url)
            wait_until_settled(pages[first])
            assert read_page(pages[first]).errors == []
            for page in pages.values():
                assert value_shown not in _main_text(page)
                page.evaluate("() => { window.__sameDocument = true; }")

            year, month = calendar.last_complete_month()
            batch = tmp_path / "late-correction.csv"
            batch.write_text(f"district,metric,period,value\n{DISTRICT},{METRIC},{year}/{month:02d},{VALUE}\n")
            loaded_run = subprocess.run(
                [sys.executable, "-m", "data_loaders", "load", str(batch)],
                cwd=PROJECT_ROOT,
                env={**os.environ, "DATABASE_URL": replicas.database_url},
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert loaded_run.returncode == 0, f"{loaded_run.stdout}\n{loaded_run.stderr}"

            for replica, page in pages.items():
                page.wait_for_function(
                    "(v) => { const m = document.querySelector('[data-testid=stMain]'); return m && m.innerText.includes(v); }",
                    arg=value_shown,
                    timeout=60_000,
                )
                assert page.evaluate("() => window.__sameDocument === true"), f"the page from {replica} was reloaded"
        finally:
            for context in contexts:
                context.close()

    by_key = {key: replica for replica, key in keys.items()}
    streams = _stream_lines(replicas.run_dir, set(by_key))
    assert {key for key, _ in streams} == set(by_key), f"every browser's websocket went through the proxy: {streams}"
    assert all(upstream == by_key[key] for key, upstream in streams), f"a websocket left its replica: {streams}"
