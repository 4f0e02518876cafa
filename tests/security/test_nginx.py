"""The nginx template in front of one dashboard: the security headers on every answer (CSP with
frame-ancestors 'self', X-Frame-Options, nosniff, Referrer-Policy; HSTS only on TLS), client-sent
identity headers dropped, small request bodies everywhere but the upload path, an access log with no
query strings, session ids or whole replica keys, and a page that still draws under the CSP and
cannot be framed by another origin."""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.access import accounts_env
from tools.browser import goto_settled, launch, new_page
from tools.streamlit_server import PROJECT_ROOT, free_port, serve

NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
TEMPLATE = PROJECT_ROOT / "deploy" / "nginx-dashboard.conf"
LOCAL_USER = "کاربر محلی"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt-get install -y nginx)"),
]


def write_conf(run_dir: Path, listen: str, upstream: str) -> Path:
    """The template written out as deploy/replicas.sh writes it."""
    (run_dir / "logs").mkdir(parents=True, exist_ok=True)
    (run_dir / "tmp").mkdir(exist_ok=True)
    text = TEMPLATE.read_text(encoding="utf-8")
    for key, value in {
        "@@RUN_DIR@@": str(run_dir),
        "@@USER@@": subprocess.run(["id", "-un"], capture_output=True, text=True, check=True).stdout.strip(),
        "@@LISTEN@@": listen,
        "@@UPSTREAM_SERVERS@@": f"server {upstream};",
        "@@MAX_BODY@@": "70m",
    }.items():
        text = text.replace(key, value)
    conf = run_dir / "nginx.conf"
    conf.write_text(text, encoding="utf-8")
    return conf


@pytest.fixture(scope="module")
def sites(sample_db_path, tmp_path_factory) -> Iterator[dict[str, str]]:
    """{"direct": the dashboard itself, "proxy": the same through nginx, "run_dir": nginx's folder}."""
    folder = tmp_path_factory.mktemp("nginx")
    env = {**accounts_env(folder), "DASHBOARD_DB_PATH": str(sample_db_path), "DASHBOARD_TRUSTED_PROXIES": "127.0.0.1"}
    with serve("dashboard.py", env=env, timeout=90) as direct:
        port = free_port()
        run_dir = folder / "run"
        conf = write_conf(run_dir, f"127.0.0.1:{port}", direct.removeprefix("http://"))
        subprocess.run([NGINX, "-p", str(run_dir), "-c", str(conf)], check=True, capture_output=True, timeout=30)
        try:
            proxy = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    if requests.get(proxy + "/_stcore/health", timeout=2).status_code == 200:
                        break
                except requests.RequestException:
                    time.sleep(0.3)
            yield {"direct": direct, "proxy": proxy, "run_dir": str(run_dir)}
        finally:
            subprocess.run([NGINX, "-p", str(run_dir), "-c", str(conf), "-s", "stop"], capture_output=True, timeout=30)


def _get(url: str, **kwargs) -> requests.Response:
    session = requests.Session()
    session.trust_env = False
    return session.get(url, timeout=30, **kwargs)


@pytest.mark.parametrize("path", ["/", "/_stcore/health", "/app/static/fonts/Vazirmatn-Regular.woff2", "/upload"])
def test_every_answer_carries_the_security_headers(sites, path):
    answer = _get(sites["proxy"] + path)
    assert answer.status_code == 200
    headers = answer.headers
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers  # plain HTTP here: HSTS only when on TLS
    if path.startswith("/app/static/"):
        assert headers["Cache-Control"] == "public, max-age=86400"


def test_the_template_sends_hsts_when_it_speaks_tls():
    text = TEMPLATE.read_text(encoding="utf-8")
    assert 'https    "max-age=31536000; includeSubDomains";' in text
    assert "add_header Strict-Transport-Security $dash_hsts always;" in text


def test_a_large_body_is_refused_except_on_the_upload_path(sites):
    session = requests.Session()
    session.trust_env = False
    body = b"x" * (2 * 1024 * 1024)
    assert session.post(sites["proxy"] + "/", data=body, timeout=30).status_code == 413
    upload = session.put(f"{sites['proxy']}/_stcore/upload_file/nosession/nofile", data=body, timeout=30)
    assert upload.status_code != 413  # the upload path takes up to MAX_BODY; the app refuses this one itself


def test_the_access_log_holds_no_query_string_session_id_or_whole_replica_key(sites):
    secret, session_id = "q" + uuid.uuid4().hex, uuid.uuid4().hex
    client = requests.Session()
    client.trust_env = False
    client.get(f"{sites['proxy']}/?token={secret}", timeout=30)
    client.get(f"{sites['proxy']}/_stcore/health?{secret}=1", timeout=30)
    client.put(f"{sites['proxy']}/_stcore/upload_file/{session_id}/{secret}?key={secret}", data=b"x", timeout=30)
    key = client.cookies.get("dash_replica")
    assert key and len(key) == 32
    access_log = Path(sites["run_dir"]) / "logs" / "access.log"
    deadline = time.monotonic() + 30
    while (
        "/_stcore/upload_file/" not in (log := access_log.read_text(encoding="utf-8")) and time.monotonic() < deadline
    ):
        time.sleep(0.05)  # nginx writes a request's line when the request is over
    assert "/_stcore/upload_file/-" in log and "/_stcore/health" in log
    assert secret not in log and session_id not in log and key not in log and f"key={key[:8]} " in log


def test_identity_headers_a_client_sends_are_dropped(sites):
    with launch() as browser:
        names = {}
        for site in ("direct", "proxy"):
            context = browser.new_context(extra_http_headers={"X-Forwarded-User": "mallory"})
            try:
                page = context.new_page()
                goto_settled(page, sites[site] + "/reporting")
                names[site] = page.locator("[data-testid=dash-user]").first.inner_text()
            finally:
                context.close()
    assert "mallory" in names["direct"]  # the header does reach a dashboard without the proxy
    assert names["proxy"] == LOCAL_USER


class _Framer(http.server.BaseHTTPRequestHandler):
    target = ""

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        body = f'<html><body><iframe id="f" src="{self.target}/upload" width="800" height="600"></iframe></body></html>'
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body.encode("utf-8"))

    def log_message(self, *args) -> None:
        pass


def test_the_page_draws_under_the_csp_and_another_origin_cannot_frame_it(sites):
    _Framer.target = sites["proxy"]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Framer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with launch() as browser, new_page(browser) as page:
            violations: list[str] = []
            page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
            goto_settled(page, sites["proxy"] + "/")  # the overview's charts are drawn (wait_until_settled)
            assert page.locator("[data-testid=stMain] .js-plotly-plot").count() > 0
            assert page.locator("[data-testid=stException]").count() == 0
            assert violations == []
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
            page.wait_for_timeout(3000)
            framed = [f for f in page.frames if f != page.main_frame]
            assert framed and all(f.url.startswith("chrome-error://") or f.url == "about:blank" for f in framed)
    finally:
        server.shutdown()
