"""The upload endpoint: a client holding the XSRF cookie and a live session of its own (a visitor on the
overview, no uploader on screen) cannot put files into the server's memory; Streamlit's own per-file
limit is the loader's limit."""

from __future__ import annotations

import asyncio
import tomllib
import uuid

import pytest
import requests
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from data_loaders.guard import MB, Limits
from tests.access import accounts_env
from tools.streamlit_server import PROJECT_ROOT, serve


def test_streamlit_takes_files_no_bigger_than_the_loader_accepts():
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == Limits().max_file_bytes // MB == 64


async def _put_while_open(base_url: str, http: requests.Session, cookie: str, page: str = "") -> int:
    """Open ``page`` over the websocket as a browser would, then, while the session is live, PUT a 5 MB
    file for it as a hostile client would; returns the HTTP status."""
    url = base_url.replace("http://", "ws://") + "/_stcore/stream"
    async with connect(
        url,
        subprotocols=[Subprotocol("streamlit"), Subprotocol(cookie)],
        additional_headers={"Cookie": f"_streamlit_xsrf={cookie}", "Origin": base_url},
        proxy=None,
    ) as ws:
        message = BackMsg()
        message.rerun_script.page_name = page
        await ws.send(message.SerializeToString())
        session = ""
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await asyncio.wait_for(ws.recv(decode=False), 60))
            if msg.WhichOneof("type") == "new_session":
                session = msg.new_session.initialize.session_id
            if msg.WhichOneof("type") == "script_finished":
                break
        assert session
        answer = await asyncio.to_thread(
            http.put,
            f"{base_url}/_stcore/upload_file/{session}/{uuid.uuid4().hex}",
            files={"file": ("big.csv", b"x" * (5 * MB), "text/csv")},
            headers={"X-Xsrftoken": cookie, "Origin": base_url},
            timeout=60,
        )
        return answer.status_code


@pytest.mark.browser
def test_a_put_for_a_session_without_an_uploader_is_refused(tmp_path):
    env = {**accounts_env(tmp_path), "DASHBOARD_DB_PATH": str(tmp_path / "store.sqlite"), "DASHBOARD_SAMPLE": "0"}
    with serve("dashboard.py", env=env, timeout=90) as base_url:
        http = requests.Session()
        http.trust_env = False
        http.get(base_url + "/_stcore/health", timeout=30)  # hands out the XSRF cookie
        cookie = http.cookies.get("_streamlit_xsrf")
        assert cookie
        # the overview, and the upload page's «administrators only» notice: no uploader on either
        assert [asyncio.run(_put_while_open(base_url, http, cookie, page)) for page in ("", "upload")] == [403, 403]
