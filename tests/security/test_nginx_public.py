"""deploy/nginx-public.conf in front of a public-mode site: the page and its websocket pass, with the security
headers; an upload is refused by nginx itself; an internal page's address through the proxy still gets the
site's not-found page."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator

import pytest
import requests

from tests.public_seed import seeded_copy
from tests.security.test_nginx import NGINX
from tests.security.test_public_mode import NOT_FOUND_FA, PUBLIC_PAGE_MARK, run
from tools.streamlit_server import PROJECT_ROOT, free_port, serve

TEMPLATE = PROJECT_ROOT / "deploy" / "nginx-public.conf"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.nginx,
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt-get install -y nginx)"),
]


@pytest.fixture(scope="module")
def proxy(sample_db_path, tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("nginx-public")
    store_path = seeded_copy(sample_db_path, folder)
    env = {"DASHBOARD_DB_PATH": str(store_path), "DATABASE_URL": "", "DASHBOARD_SAMPLE": "0", "DASHBOARD_MODE": ""}
    with serve("public.py", env=env, timeout=120) as direct:
        run_dir = folder / "run"
        (run_dir / "logs").mkdir(parents=True)
        (run_dir / "tmp").mkdir()
        port = free_port()
        text = TEMPLATE.read_text(encoding="utf-8")
        user = subprocess.run(["id", "-un"], capture_output=True, text=True, check=True).stdout.strip()
        for key, value in {
            "@@RUN_DIR@@": str(run_dir),
            "@@USER@@": user,
            "@@LISTEN@@": f"127.0.0.1:{port}",
            "@@UPSTREAM_SERVERS@@": f"server {direct.removeprefix('http://')};",
        }.items():
            text = text.replace(key, value)
        assert "@@" not in text
        conf = run_dir / "nginx.conf"
        conf.write_text(text, encoding="utf-8")
        assert NGINX is not None
        subprocess.run([NGINX, "-p", str(run_dir), "-c", str(conf)], check=True, capture_output=True, timeout=30)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    if _session().get(url + "/_stcore/health", timeout=2).status_code == 200:
                        break
                except requests.RequestException:
                    time.sleep(0.3)
            yield url
        finally:
            subprocess.run([NGINX, "-p", str(run_dir), "-c", str(conf), "-s", "stop"], capture_output=True, timeout=30)


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    return session


@pytest.mark.parametrize("path", ["/", "/public?lang=en", "/upload", "/app/static/icon.png"])
def test_the_public_proxy_passes_the_site_with_its_headers(proxy, path):
    answer = _session().get(proxy + path, timeout=30)
    assert answer.status_code == 200
    assert "frame-ancestors 'self'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_the_public_proxy_refuses_every_upload_and_any_body(proxy):
    session = _session()
    assert session.put(f"{proxy}/_stcore/upload_file/any/file", data=b"x" * 100, timeout=30).status_code == 403
    assert session.post(proxy + "/", data=b"x" * (64 * 1024), timeout=30).status_code == 413


@pytest.mark.parametrize("path", ["/auth/login", "/auth/logout", "/oauth2callback?code=x&state=y"])
def test_the_public_proxy_has_no_sign_in_route(proxy, path):
    assert _session().get(proxy + path, timeout=30, allow_redirects=False).status_code == 404


def test_the_websocket_through_the_proxy_reaches_the_public_page_only(proxy):
    assert any(PUBLIC_PAGE_MARK in b for b in run(proxy).bodies)
    assert NOT_FOUND_FA in "\n".join(run(proxy, page_name="upload").bodies)
