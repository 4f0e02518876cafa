"""The public mode has no way to anything internal: over Streamlit's websocket, an internal page asked for by
its address gets the not-found page and by its script hash runs the public page (the internal script is
never registered, so never run); the menu lists only the public page; the upload endpoint refuses files.
Both ways of starting it: ``DASHBOARD_MODE=public`` with dashboard.py, and ``streamlit run public.py``."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.util import calc_hash
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from tests.conftest import ROOT
from tests.public_seed import INTERNAL_MARKERS, seeded_copy
from tools.streamlit_server import serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOT_FOUND_FA = "این صفحه پیدا نشد"
NOT_FOUND_EN = "There is no page at the address you opened"
PUBLIC_PAGE_MARK = 'class="pub-intro"'  # the public page's introduction, on its every run


def internal_pages() -> dict[str, str]:
    """Every internal page of the dashboard, url path -> title, read from dashboard.py (a page added there
    is checked here without a change), and the addresses an internal page had or would have."""
    source = (ROOT / "dashboard.py").read_text(encoding="utf-8")
    pages = {
        path: title
        for title, path in re.findall(r'title="([^"]+)"[^\n]*?url_path="([^"]+)"', source)
        + [(t, p) for p, t in re.findall(r'url_path="([^"]+)"[^\n]*?title="([^"]+)"', source)]
    }
    # the overview is the internal default page: served at "/", its script hash is its file's name's
    pages["overview"] = "نمای کلی"
    for path in ("upload", "batches", "catalog", "review", "export", "rankings", "district", "reporting", "signin"):
        pages.setdefault(path, "")
    return pages


@dataclass
class Run:
    pages: list[tuple[str, str]] = field(default_factory=list)  # (script hash, url path) the menu offers
    ran: str = ""  # the script hash of the page that ran
    bodies: list[str] = field(default_factory=list)  # html, headings, markdown, alerts
    kinds: set[str] = field(default_factory=set)  # element types drawn
    session: str = ""


async def _run(base_url: str, page_name: str = "", page_script_hash: str = "", query: str = "") -> Run:
    """One rerun over the websocket, as the browser's frontend sends it; what the server answered."""
    url = base_url.replace("http://", "ws://") + "/_stcore/stream"
    out = Run()
    async with connect(url, subprotocols=[Subprotocol("streamlit")], proxy=None, max_size=None) as ws:
        message = BackMsg()
        message.rerun_script.page_name = page_name
        message.rerun_script.page_script_hash = page_script_hash
        message.rerun_script.query_string = query
        await ws.send(message.SerializeToString())
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await asyncio.wait_for(ws.recv(decode=False), 90))
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                out.session = msg.new_session.initialize.session_id
            elif kind == "navigation":
                out.pages = [(p.page_script_hash, p.url_pathname) for p in msg.navigation.app_pages]
                out.ran = msg.navigation.page_script_hash
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                which = element.WhichOneof("type")
                out.kinds.add(which)
                body = {"html": "body", "heading": "body", "markdown": "body", "alert": "body"}.get(which)
                if body:
                    out.bodies.append(getattr(getattr(element, which), body))
            elif kind == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return out


def run(base_url: str, **kwargs: str) -> Run:
    return asyncio.run(_run(base_url, **kwargs))


@pytest.fixture(scope="module")
def public_store(sample_db_path, tmp_path_factory) -> Path:
    return seeded_copy(sample_db_path, tmp_path_factory.mktemp("public-mode"))


@pytest.fixture(scope="module", params=["DASHBOARD_MODE=public", "public.py"])
def public_server(request, public_store):
    env = {"DASHBOARD_DB_PATH": str(public_store), "DATABASE_URL": "", "DASHBOARD_SAMPLE": "0"}
    if request.param == "public.py":
        with serve("public.py", env={**env, "DASHBOARD_MODE": ""}, timeout=120) as url:
            yield url
    else:
        with serve("dashboard.py", env={**env, "DASHBOARD_MODE": "public"}, timeout=120) as url:
            yield url


def _public_hashes(answer: Run) -> set[str]:
    assert answer.pages, "no navigation message"
    assert {path for _, path in answer.pages} == {"", "public"}, answer.pages
    return {h for h, _ in answer.pages}


def test_the_public_site_offers_the_public_page_alone(public_server):
    first = run(public_server)
    public_hashes = _public_hashes(first)
    assert first.ran in public_hashes
    assert any(PUBLIC_PAGE_MARK in b for b in first.bodies)
    internal = {calc_hash(path) for path in internal_pages()}
    assert not public_hashes & internal


@pytest.mark.parametrize("path", sorted(internal_pages()))
def test_an_internal_address_gets_not_found(public_server, path):
    answer = run(public_server, page_name=path)
    _public_hashes(answer)
    text = "\n".join(answer.bodies)
    assert NOT_FOUND_FA in text and NOT_FOUND_EN in text
    assert PUBLIC_PAGE_MARK not in text
    title = internal_pages()[path]
    assert not title or title not in text
    assert not answer.kinds & {"file_uploader", "button", "text_input", "download_button"}


@pytest.mark.parametrize("path", sorted(internal_pages()))
def test_an_internal_pages_script_hash_runs_the_public_page_not_the_internal_one(public_server, path):
    asked = calc_hash(path)
    answer = run(public_server, page_script_hash=asked, query="lang=en")
    assert answer.ran != asked and answer.ran in _public_hashes(answer)
    text = "\n".join(answer.bodies)
    assert any(PUBLIC_PAGE_MARK in b for b in answer.bodies)
    title = internal_pages()[path]
    assert not title or title not in text
    for marker in INTERNAL_MARKERS.values():
        assert marker not in text
    assert not answer.kinds & {"file_uploader", "button", "text_input", "download_button"}


def test_the_upload_endpoint_takes_no_file_from_a_public_session(public_server):
    http = requests.Session()
    http.trust_env = False
    http.get(public_server + "/_stcore/health", timeout=30)  # hands out the XSRF cookie
    cookie = http.cookies.get("_streamlit_xsrf")

    async def put_while_open() -> int:
        url = public_server.replace("http://", "ws://") + "/_stcore/stream"
        protocols = [Subprotocol("streamlit")] + ([Subprotocol(cookie)] if cookie else [])
        headers = {"Cookie": f"_streamlit_xsrf={cookie}", "Origin": public_server} if cookie else {}
        async with connect(url, subprotocols=protocols, additional_headers=headers, proxy=None) as ws:
            message = BackMsg()
            message.rerun_script.page_name = "public"
            await ws.send(message.SerializeToString())
            live = ""
            while True:
                msg = ForwardMsg()
                msg.ParseFromString(await asyncio.wait_for(ws.recv(decode=False), 60))
                if msg.WhichOneof("type") == "new_session":
                    live = msg.new_session.initialize.session_id
                if msg.WhichOneof("type") == "script_finished":
                    break
            answer = await asyncio.to_thread(
                http.put,
                f"{public_server}/_stcore/upload_file/{live}/0123456789abcdef",
                files={"file": ("x.csv", b"district,metric\n", "text/csv")},
                headers={"X-Xsrftoken": cookie or "", "Origin": public_server},
                timeout=60,
            )
            return answer.status_code

    assert asyncio.run(put_while_open()) == 403
