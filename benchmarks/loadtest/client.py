"""One browser session, as Streamlit's own frontend speaks to the server.

The browser opens ``ws://HOST:PORT/_stcore/stream`` with the subprotocol «streamlit», sends
``BackMsg(rerun_script=ClientState(...))`` for each run it wants, and reads ``ForwardMsg``s until
``script_finished``: ``new_session``, ``navigation`` (the pages), ``delta``s (elements, widgets,
exceptions), ``page_info_changed`` (the query string the script chose). A :class:`Session` does the
same, remembers the widgets and pages the last run drew, and can change a widget or switch page the
way a click would. It talks only to the loopback interface: any other host is refused.
"""

from __future__ import annotations

import asyncio
import re
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException
from websockets.typing import Subprotocol

STREAM_PATH = "_stcore/stream"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost"})
# a fault the dashboard caught and showed in a box of its own (ui/messages.unexpected, the store that
# cannot be opened in dashboard.py), beside Streamlit's own exception element; the dashboard's other
# error-coloured boxes are content (reports that are late), not faults
FAULT_BOX = re.compile(r"Something unexpected went wrong|The database could not be opened")
_WIDGET_ID_PREFIX = "$$ID-"
_CHOICE_WIDGETS = ("selectbox", "radio")
_FINISHED = ForwardMsg.ScriptFinishedStatus


class TargetRefused(ValueError):
    """The load test was pointed at something other than this machine's loopback interface."""


def stream_url(base_url: str) -> str:
    """The websocket address of the server at ``base_url`` (``http://127.0.0.1:8501`` or with a
    base path behind a proxy); raises :class:`TargetRefused` for any host but 127.0.0.1/localhost."""
    parts = urlsplit(base_url.strip())
    schemes = {"http": "ws", "ws": "ws", "https": "wss", "wss": "wss"}
    if parts.scheme not in schemes:
        raise TargetRefused(
            f"نشانی «{base_url}» باید با http:// یا https:// آغاز شود؛ مثلاً http://127.0.0.1:8501 / "
            f"the address '{base_url}' must start with http:// or https://, e.g. http://127.0.0.1:8501"
        )
    host = (parts.hostname or "").lower()
    if host not in LOOPBACK_HOSTS:
        raise TargetRefused(
            f"آزمون بار فقط به همین رایانه (127.0.0.1 یا localhost) درخواست می‌فرستد، نه به «{host or base_url}»؛ "
            "کارگزار یا پراکسی را روی 127.0.0.1 اجرا کنید / the load test only sends traffic to this machine "
            f"(127.0.0.1 or localhost), not to '{host or base_url}'; run the server or proxy on 127.0.0.1"
        )
    path = parts.path.rstrip("/")
    return urlunsplit((schemes[parts.scheme], parts.netloc, f"{path}/{STREAM_PATH}", "", ""))


def widget_key(widget_id: str) -> str:
    """The user key inside a Streamlit widget id (``$$ID-<hash>-<key>``); "" for a widget without one."""
    if not widget_id.startswith(_WIDGET_ID_PREFIX):
        return ""
    _hash, _, key = widget_id[len(_WIDGET_ID_PREFIX) :].partition("-")
    return "" if key == "None" else key


@dataclass(frozen=True)
class Widget:
    """A selectbox or radio the last run drew: its id, user key, label, options and shown option."""

    id: str
    kind: str
    key: str
    label: str
    options: tuple[str, ...]
    value: str | None


@dataclass(frozen=True)
class Page:
    script_hash: str
    name: str
    url_path: str  # "" for the default page


@dataclass
class RunOutcome:
    """What one request saw: ``status`` is "ok" or what went wrong; ``seconds`` from sending the
    request to ``script_finished`` (or to the failure)."""

    status: str
    seconds: float
    elements: int = 0
    errors: list[str] = field(default_factory=list)
    page_hash: str = ""
    texts: list[str] = field(default_factory=list)  # the Markdown the run wrote, in order

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def _element_problem(element: Element) -> str | None:
    """A short description when ``element`` shows an error to the reader, else None."""
    kind = element.WhichOneof("type")
    if kind == "exception":
        return f"exception {element.exception.type}: {element.exception.message[:200]}"
    if kind == "html" and FAULT_BOX.search(element.html.body):
        return f"fault box: {element.html.body[:200]}"
    if kind == "alert" and FAULT_BOX.search(element.alert.body):
        return f"fault box: {element.alert.body[:200]}"
    return None


def _widget(element: Element, chosen: dict[str, WidgetState]) -> Widget | None:
    """The selectbox or radio ``element`` draws, showing the option this session chose if it did."""
    kind = element.WhichOneof("type")
    if kind not in _CHOICE_WIDGETS:
        return None
    proto = getattr(element, kind)
    options = tuple(proto.options)
    if proto.HasField("raw_value"):  # a value the script set through session state
        value: str | None = proto.raw_value
    elif proto.HasField("default") and 0 <= proto.default < len(options):
        value = options[proto.default]
    else:
        value = None
    if proto.id in chosen:
        value = chosen[proto.id].string_value
    return Widget(proto.id, kind, widget_key(proto.id), proto.label, options, value)


class Session:
    """One browser tab's conversation with a Streamlit server.

    ``await session.connect()``, then ``open()``, ``choose(key, option)`` and ``switch_page(page)``
    each send one rerun and wait for its script to finish; ``close()`` ends the conversation.
    """

    def __init__(self, base_url: str, timeout: float = 60.0) -> None:
        self.url = stream_url(base_url)
        self.timeout = timeout
        self.pages: list[Page] = []
        self.widgets: dict[str, Widget] = {}  # by user key, or by label for a widget without one
        self.page_hash = ""
        self.query_string = ""
        self._chosen: dict[str, WidgetState] = {}  # by widget id: what this "person" picked
        self._ws: ClientConnection | None = None

    async def connect(self) -> None:
        context = None
        if self.url.startswith("wss://"):  # a local proxy's own certificate: nothing leaves the machine
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        self._ws = await connect(
            self.url,
            subprotocols=[Subprotocol("streamlit")],
            max_size=None,
            proxy=None,  # never through a proxy named in the environment: straight to 127.0.0.1
            open_timeout=self.timeout,
            ssl=context,
        )

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    async def open(self, query_string: str = "", url_path: str = "") -> RunOutcome:
        """Open the app as a typed address would: ``url_path`` ("" for the default page) and query."""
        self._chosen.clear()
        return await self.rerun(query_string=query_string, page_name=url_path)

    async def choose(self, key: str, option: str) -> RunOutcome:
        """Pick ``option`` in the selectbox or radio keyed (or labelled) ``key`` and wait for the rerun."""
        widget = self.widgets[key]
        state = WidgetState(id=widget.id, string_value=option)
        self._chosen[widget.id] = state
        return await self.rerun(query_string=self.query_string, page_script_hash=self.page_hash)

    async def switch_page(self, page: Page) -> RunOutcome:
        """Follow the navigation link to ``page`` and wait for its script to finish."""
        self._chosen.clear()  # the new page draws its own widgets, seeded from the shared view
        return await self.rerun(query_string=self.query_string, page_script_hash=page.script_hash)

    async def rerun(self, query_string: str = "", page_script_hash: str = "", page_name: str = "") -> RunOutcome:
        """Send one ``rerun_script`` and read until ``script_finished``; never raises for the
        server's faults: they come back as the outcome's status."""
        if self._ws is None:
            raise RuntimeError("Session.connect() first")
        message = BackMsg()
        state = message.rerun_script
        state.query_string = query_string
        state.page_script_hash = page_script_hash
        state.page_name = page_name
        present = {w.id for w in self.widgets.values()}
        state.widget_states.widgets.extend(s for wid, s in self._chosen.items() if wid in present or not present)
        started = time.perf_counter()
        try:
            await self._ws.send(message.SerializeToString())
            return await asyncio.wait_for(self._read_run(started), self.timeout)
        except TimeoutError:
            return RunOutcome(
                "timeout", time.perf_counter() - started, errors=[f"no script_finished in {self.timeout:g} s"]
            )
        except (WebSocketException, OSError) as exc:
            return RunOutcome("closed", time.perf_counter() - started, errors=[f"{type(exc).__name__}: {exc}"[:300]])

    async def _read_run(self, started: float) -> RunOutcome:
        assert self._ws is not None
        widgets: dict[str, Widget] = {}
        errors: list[str] = []
        texts: list[str] = []
        elements = 0
        while True:
            raw = await self._ws.recv(decode=False)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = msg.new_session.page_script_hash
            elif kind == "navigation":
                self.pages = [Page(p.page_script_hash, p.page_name, p.url_pathname) for p in msg.navigation.app_pages]
                self.page_hash = msg.navigation.page_script_hash or self.page_hash
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                elements += 1
                element = msg.delta.new_element
                problem = _element_problem(element)
                if problem:
                    errors.append(problem)
                widget = _widget(element, self._chosen)
                if widget is not None:
                    widgets[widget.key or widget.label] = widget
                if element.WhichOneof("type") == "markdown":
                    texts.append(element.markdown.body)
            elif kind == "script_finished":
                status = msg.script_finished
                if status == _FINISHED.FINISHED_EARLY_FOR_RERUN:
                    continue  # a newer run took over; its own script_finished follows
                seconds = time.perf_counter() - started
                self.widgets = widgets
                if status == _FINISHED.FINISHED_WITH_COMPILE_ERROR:
                    errors = errors or ["compile error"]
                    return RunOutcome("compile_error", seconds, elements, errors, self.page_hash, texts)
                return RunOutcome("error" if errors else "ok", seconds, elements, errors, self.page_hash, texts)
