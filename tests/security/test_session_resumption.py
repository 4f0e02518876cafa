"""Resuming an administrator's session from its id: the id shows in proxy logs (the upload URL holds
it), but the sign-in is bound to the browser's own cookies (``ui.auth.session_binding``), so a client
that reconnects with the id but not those cookies gets the session signed out, not the uploader;
after sign-out, and after the tab closes, the id gives nothing either."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from tests.access import accounts_env, open_upload_signed_in, sign_in_apptest
from tests.views.test_pages_apptest import DASHBOARD
from tools.browser import launch
from tools.streamlit_server import serve
from ui import auth

ADMIN_ONLY = "این صفحه فقط برای مدیران است"


def _session_ids(page) -> list[str]:
    """Collects the session id of every websocket the page opens (from its ``new_session`` messages)."""
    found: list[str] = []

    def on_socket(ws) -> None:
        def on_frame(payload) -> None:
            if isinstance(payload, (bytes, bytearray)):
                msg = ForwardMsg()
                try:
                    msg.ParseFromString(bytes(payload))
                except Exception:  # a frame that is not a ForwardMsg
                    return
                if msg.WhichOneof("type") == "new_session" and msg.new_session.initialize.session_id:
                    found.append(msg.new_session.initialize.session_id)

        ws.on("framereceived", on_frame)

    page.on("websocket", on_socket)
    return found


async def _resume(base_url: str, session_id: str) -> tuple[set[str], str]:
    """Reconnect to ``session_id`` as an attacker would (no cookies), run /upload; returns the element
    types drawn and the text of the html elements."""
    url = base_url.replace("http://", "ws://") + "/_stcore/stream"
    kinds: set[str] = set()
    bodies: list[str] = []
    async with connect(
        url, subprotocols=[Subprotocol("streamlit"), Subprotocol("none"), Subprotocol(session_id)], proxy=None
    ) as ws:
        message = BackMsg()
        message.rerun_script.page_name = "upload"
        await ws.send(message.SerializeToString())
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await asyncio.wait_for(ws.recv(decode=False), 60))
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                kinds.add(element.WhichOneof("type"))
                if element.WhichOneof("type") == "html":
                    bodies.append(element.html.body)
                if element.WhichOneof("type") == "heading":
                    bodies.append(element.heading.body)
            elif kind == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return kinds, "\n".join(bodies)


@pytest.mark.browser
@pytest.mark.parametrize("how", ["tab still open", "tab closed", "signed out"])
def test_a_session_id_from_a_log_does_not_resume_an_administrators_rights(tmp_path, how):
    env = {**accounts_env(tmp_path), "DASHBOARD_DB_PATH": str(tmp_path / "store.sqlite"), "DASHBOARD_SAMPLE": "0"}
    with serve("dashboard.py", env=env, timeout=90) as base_url, launch() as browser:
        context = browser.new_context()
        page = context.new_page()
        ids = _session_ids(page)
        open_upload_signed_in(page, base_url)  # the administrator has the uploader
        assert ids, "no session id seen"
        if how == "signed out":
            sidebar = page.locator("[data-testid=stSidebar]")
            sidebar.get_by_role("button", name="خروج").click()
            sidebar.get_by_text("ورود کارکنان").first.wait_for(timeout=30_000)  # the run that signed out is over
        if how != "tab still open":
            context.close()
        with ThreadPoolExecutor(1) as pool:  # Playwright's own loop runs in this thread
            kinds, text = pool.submit(asyncio.run, _resume(base_url, ids[-1])).result(90)
        assert "file_uploader" not in kinds
        assert ADMIN_ONLY in text
        if how == "tab still open":
            context.close()


def test_a_run_from_another_browser_signs_the_session_out(app_env, monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    at = sign_in_apptest(AppTest.from_file(DASHBOARD, default_timeout=60), monkeypatch, tmp_path)
    at.switch_page("views/upload.py").run()
    assert len(list(at.get("file_uploader"))) >= 1
    monkeypatch.setattr(auth, "session_binding", lambda: "another browser's cookies")
    at.run()
    assert not at.exception and list(at.get("file_uploader")) == []
    assert auth.SIGNED_IN_KEY not in at.session_state


def test_an_idle_administrator_is_signed_out(app_env, monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    at = sign_in_apptest(AppTest.from_file(DASHBOARD, default_timeout=60), monkeypatch, tmp_path)
    at.session_state[auth.SEEN_KEY] = 0.0  # last seen in 1970
    at.switch_page("views/upload.py").run()
    assert not at.exception and list(at.get("file_uploader")) == []


def test_the_xsrf_cookie_binds_by_its_token_not_its_changing_mask():
    token = bytes(range(16))
    masks = [b"\x01\x02\x03\x04", b"\xaa\xbb\xcc\xdd"]
    cookies = [f"2|{m.hex()}|{bytes(b ^ m[i % 4] for i, b in enumerate(token)).hex()}|1700000000" for m in masks]
    assert auth._xsrf_token(cookies[0]) == auth._xsrf_token(cookies[1]) == token.hex()


@pytest.fixture
def app_env(sample_db_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB_PATH", str(sample_db_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
