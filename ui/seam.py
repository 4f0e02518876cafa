"""Every place the dashboard reaches below Streamlit's public API, in one module.

Written against **Streamlit 1.67** (``STREAMLIT_VERSION``). Three kinds of reach, each registered
here with what it replaces:

- ``SELECTORS``: the DOM the CSS aims at (``data-testid`` values, one Emotion class of 1.67's bundle,
  one attribute). ``ui/theme.py`` writes them only as ``$name`` placeholders filled from this
  registry, so a selector lives in one line, and a test fails when the theme names one that is not here.
- ``ENGLISH``: Streamlit's own English strings that have no setting and are hidden and said in Persian
  by CSS ``content:`` (the uploader's texts); each belongs to the selector that hides it.
- ``RELABELLED``: Streamlit's English that a script rewrites in the page's language, because a screen
  reader reads it (the hidden «Skip to main content» link): CSS ``content:`` would leave the English
  in what the reader says.
- ``PRIVATE_APIS``: Python attributes of Streamlit's internals the dashboard patches or calls (the
  «page not found» message, the script-run context, the uploaded-file manager), and the one the test
  suite patches (AppTest's scan for components, ``tests_only``).

What a public feature reaches is left to it: the fonts and colours come from ``.streamlit/config.toml``
(``[theme]``), raw HTML and CSS go in with ``st.html``, a widget's ``key`` gives it the documented
``st-key-<key>`` class, the not-found page is a page of st.navigation's. What none reaches stays here:
right to left (no setting), the sidebar's border on its left edge (``theme.showSidebarBorder`` draws
the right one, the outer edge once the sidebar sits on the right), the uploader's English, print.
Removed as dead in 1.67 (no such ``data-testid`` in its frontend bundle): ``stDecoration``,
``stSidebarCollapsedControl``; removed as unused by the dashboard: ``stDialog``, ``stDataFrame``,
``stPlotlyChart``, the widgets' ``.stX`` classes (print hides any element holding a form control).

``tests/browser/test_streamlit_seam_in_chromium.py`` is the canary: it opens a real page for each
selector and fails when the selector matches nothing or a replaced English string shows, and it fails
when the patched «page not found» is not called. ``make check-streamlit-upgrade
STREAMLIT_VERSION=<x>`` runs that canary against another Streamlit in a scratch virtualenv and says
which items broke. When Streamlit is upgraded: run it, fix the items it names here, bump the version.
"""

from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from string import Template
from typing import Any

logger = logging.getLogger(__name__)

STREAMLIT_VERSION = "1.67.0"

# where a canary finds a selector: the page at a desk's width, at a phone's width (the sidebar
# closed), the upload page signed in as an administrator, or there while a file is dragged over it
DESK, PHONE, UPLOAD, DRAG, CHOSEN = "desk", "phone", "upload", "drag", "chosen"


@dataclass(frozen=True)
class Selector:
    """One piece of Streamlit's DOM the CSS aims at. ``css`` is what the theme writes for ``$name``
    and what the canary queries on ``page`` (a URL path) in the state ``when``."""

    name: str
    css: str
    replaces: str
    page: str = ""
    when: str = DESK


SELECTORS: tuple[Selector, ...] = (
    # the frame and its blocks (Streamlit 1.67 data-testid values)
    Selector(
        "frame",
        '[data-testid="stAppViewContainer"]',
        "1.67: the app frame; laid out row-reverse so the sidebar sits on the right (no RTL setting)",
    ),
    Selector("main", '[data-testid="stMain"]', "1.67: the main area; text right to left inside it (no RTL setting)"),
    Selector(
        "main_block",
        '[data-testid="stMainBlockContainer"]',
        "1.67: the main block's padding (theme.paddingTop only sets the top, not on a phone)",
    ),
    Selector("sidebar", '[data-testid="stSidebar"]', "1.67: the sidebar; hidden in print"),
    Selector("sidebar_content", '[data-testid="stSidebarContent"]', "1.67: the sidebar's content; text right to left"),
    Selector(
        "sidebar_nav_link",
        '[data-testid="stSidebarNav"] a',
        "1.67: st.navigation's menu links; icon on the right of the title",
    ),
    Selector(
        "sidebar_closed",
        '[data-testid="stSidebar"][data-collapsed="true"]',
        "1.67: a closed sidebar (attribute data-collapsed); hidden outright, or it stays a column one letter wide over the page",
        when=PHONE,
    ),
    Selector("markdown", '[data-testid="stMarkdownContainer"]', "1.67: markdown text aligned right"),
    Selector("caption", '[data-testid="stCaptionContainer"]', "1.67: captions aligned right, darker in print"),
    Selector(
        "element",
        '[data-testid="stElementContainer"]',
        "1.67: an element's box; in print the ones holding a form control are hidden, a chart's kept whole",
    ),
    Selector(
        "vertical_block",
        '[data-testid="stVerticalBlock"]',
        "1.67: a column of elements (a flexbox); laid out as blocks in print so that break-after: avoid holds",
    ),
    Selector(
        "columns",
        '[data-testid="stHorizontalBlock"]',
        "1.67: a row of st.columns; in print a row of charts is kept whole",
    ),
    Selector("header", '[data-testid="stHeader"]', "1.67: the top bar; hidden in print"),
    Selector(
        "multiselect_chip",
        '[data-testid="stMultiSelectTagsContainer"] [data-tag]',
        "1.67: a multiselect's chosen item (React Aria's data-tag): label and × laid out with no gap, "
        "which right to left glues the × to the label; spaced",
        page="/export",
    ),
    # what ui/navigate.py's script reaches for (not the theme)
    Selector(
        "sidebar_nav",
        '[data-testid="stSidebarNav"]',
        "1.67: st.navigation's menu; its links are followed inside the session and carry the choices (ui/navigate.py)",
    ),
    Selector(
        "sidebar_collapse_button",
        '[data-testid="stSidebarCollapseButton"] button',
        "1.67: the sidebar's own close button, pressed after a choice on a phone (ui/navigate.py; no public API)",
    ),
    # the file uploader's English (Streamlit 1.67 has no setting for these strings)
    Selector(
        "dropzone_instructions",
        '[data-testid="stFileUploaderDropzoneInstructions"] > div',
        "1.67: the uploader's «Drag and drop file here · Limit 64MB per file · CSV, XLSX»; hidden, Persian said by CSS content",
        page="/upload",
        when=UPLOAD,
    ),
    Selector(
        "dropzone_button",
        '[data-testid="stFileUploaderDropzone"] button > div',
        "1.67: the uploader's «Browse files» button label; hidden, «انتخاب فایل» said by CSS content",
        page="/upload",
        when=UPLOAD,
    ),
    Selector(
        "file_chip_size",
        '[data-testid="stFileChipName"] + *',
        "1.67: the chosen file's size in Latin digits («90.0B»); hidden, the page says the size in Persian",
        page="/upload",
        when=CHOSEN,
    ),
    Selector(
        "dropzone_overlay",
        '[data-testid="stFileUploaderDropzone"] .euud7oh1',
        "1.67 Emotion class (generated, changes with any build): the overlay «Drag and drop a file here» "
        "while a file is dragged; hidden, «فایل را اینجا رها کنید» said by CSS content",
        page="/upload",
        when=DRAG,
    ),
    # what ui/skiplink.py's script reaches for (not the theme)
    Selector(
        "skip_link",
        '[data-testid="stSkipToContent"]',
        "1.67: the link «Skip to main content» a keyboard or screen reader meets first (hidden until focused); "
        "its English text has no setting: ui/skiplink.py's script writes the page's language into it "
        "(its text node, lang and dir)",
    ),
)
_BY_NAME = {s.name: s for s in SELECTORS}

# Streamlit 1.67's English that CSS hides and says in Persian: selector name -> the English strings
ENGLISH: dict[str, tuple[str, ...]] = {
    "dropzone_instructions": ("Drag and drop", "per file"),
    "dropzone_button": ("Browse files",),
    "file_chip_size": (),  # a number with a Latin unit; the canary checks the element is hidden
    "dropzone_overlay": ("Drag and drop",),
}


# Streamlit 1.67's English that a script (not CSS) replaces with the page's language: selector name -> the
# English it shows (ui/skiplink.py; the canary checks the Persian is there and the English is not)
RELABELLED: dict[str, tuple[str, ...]] = {
    "skip_link": ("Skip to main content",),
}


def css(template: str) -> str:
    """``template`` with every ``$name`` replaced by the registered selector (KeyError for one not
    registered: a selector cannot reach the page without its line here)."""
    return Template(template).substitute({s.name: s.css for s in SELECTORS})


def selector(name: str) -> str:
    return _BY_NAME[name].css


# ---------------------------------------------------------------- private Python APIs


@dataclass(frozen=True)
class PrivateApi:
    name: str
    module: str
    attribute: str  # dotted, from the module
    replaces: str
    tests_only: bool = False  # reached by the test suite, never by the dashboard


PRIVATE_APIS: tuple[PrivateApi, ...] = (
    PrivateApi(
        "page_not_found",
        "streamlit.commands.navigation",
        "send_page_not_found",
        "1.67: st.navigation's English «Page not found» dialog for an unknown path (no setting); "
        "replaced for the process so the entry script shows ui/notfound.py's Persian page",
    ),
    PrivateApi(
        "script_run_ctx",
        "streamlit.runtime.scriptrunner",
        "get_script_run_ctx",
        "1.67: the running session's id, which the upload guard keys its permission on (no public session id)",
    ),
    PrivateApi(
        "upload_store",
        "streamlit.runtime.memory_uploaded_file_manager",
        "MemoryUploadedFileManager.add_file",
        "1.67: where the upload endpoint stores a file; wrapped to refuse files for sessions with no "
        "administrator's uploader (tests/security/test_upload_endpoint.py)",
    ),
    PrivateApi(
        "quiet_query_params",
        "streamlit.runtime.state.query_params",
        "QueryParams.set_with_no_forward_msg",
        "1.67: sets the run's query parameters without the message that makes the browser push a "
        "history entry; the address a document opened with is normalised in place (ui/state.py, ui/navigate.py)",
    ),
    PrivateApi(
        "quiet_query_params_clear",
        "streamlit.runtime.state.query_params",
        "QueryParams.clear_with_no_forward_msg",
        "1.67: the same, clearing them first",
    ),
    PrivateApi(
        "session_query_params",
        "streamlit.runtime.state.safe_session_state",
        "SafeSessionState.query_params",
        "1.67: the session's query parameters, where the quiet write goes",
    ),
    PrivateApi(
        "apptest_component_scan",
        "streamlit.components.v2.manifest_scanner",
        "scan_component_manifests",
        "1.67: AppTest scans every installed package for custom components on each new AppTest (~70 ms); "
        "tests/conftest.py makes the scan once a test process",
        tests_only=True,
    ),
    PrivateApi(
        "upload_release",
        "streamlit.runtime.memory_uploaded_file_manager",
        "MemoryUploadedFileManager.remove_file",
        "1.67: frees a stored upload from the server's memory once the loader has it (no public call)",
    ),
)


def _resolve(api: PrivateApi) -> Any:
    value: Any = importlib.import_module(api.module)
    for part in api.attribute.split("."):
        value = getattr(value, part)
    return value


def missing_private_apis(dashboard_only: bool = False) -> list[str]:
    """The registered private APIs this Streamlit no longer has, each with what it was for (with
    ``dashboard_only``, those the test suite alone reaches are left out)."""
    missing = []
    for api in PRIVATE_APIS:
        if dashboard_only and api.tests_only:
            continue
        try:
            _resolve(api)
        except (ImportError, AttributeError):
            missing.append(f"{api.module}.{api.attribute} ({api.name}: {api.replaces})")
    return missing


@functools.cache
def check_at_start() -> None:
    """Log an error, once a process, for each private API that is gone (the dashboard still runs:
    the feature falls back to Streamlit's own English behaviour, and the log says so)."""
    for line in missing_private_apis(dashboard_only=True):
        logger.error("Streamlit internal missing (written for Streamlit %s): %s", STREAMLIT_VERSION, line)


def replace_page_not_found(handler: Callable[[Any], None]) -> bool:
    """Make ``handler(ctx)`` what st.navigation calls for an unknown path (idempotent). False, with an
    error in the log, when this Streamlit has no ``send_page_not_found``."""
    from streamlit.commands import navigation

    if not hasattr(navigation, "send_page_not_found"):
        logger.error(
            "streamlit.commands.navigation.send_page_not_found is missing (Streamlit %s had it): an unknown "
            "path now gets Streamlit's English «Page not found»; update ui/seam.py",
            STREAMLIT_VERSION,
        )
        return False
    if getattr(navigation.send_page_not_found, "__name__", "") != handler.__name__:
        navigation.send_page_not_found = handler  # type: ignore[assignment]
    return True


def session_id() -> str | None:
    """The id of the session this script run serves (None outside a run)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def write_query_params_quietly(params: dict[str, str]) -> bool:
    """Make ``params`` this run's query parameters (``st.query_params``, and what the run reports to
    the browser) without the message that pushes a history entry. False, with an error in the log,
    when this Streamlit has no such reach (the caller then uses ``st.query_params.from_dict``)."""
    from urllib.parse import urlencode

    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        return False
    try:
        with ctx.session_state.query_params() as query:
            query.clear_with_no_forward_msg(preserve_embed=True)
            for name, value in params.items():
                query.set_with_no_forward_msg(name, value)
            ctx.query_string = urlencode(query.to_dict())
    except (AttributeError, TypeError):
        logger.exception(
            "Streamlit internal for query parameters missing (written for Streamlit %s)", STREAMLIT_VERSION
        )
        return False
    return True


def server_running() -> bool:
    from streamlit import runtime

    return runtime.exists()


def release_upload(session: str, file_id: str) -> None:
    """Drop a stored upload from the server's memory (raises when there is no server runtime)."""
    from streamlit import runtime

    runtime.get_instance().uploaded_file_mgr.remove_file(session, file_id)  # type: ignore[attr-defined]


def guard_upload_store(wrap: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
    """Replace the server's uploaded-file manager's ``add_file`` by ``wrap(original)``."""
    from streamlit import runtime

    manager = runtime.get_instance().uploaded_file_mgr
    manager.add_file = wrap(manager.add_file)  # type: ignore[attr-defined]
