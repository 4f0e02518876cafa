"""The page for a database that cannot be reached (down, refusing connections, read-only, full).

Persian first with the English beside it in its own ``lang="en"`` element, the reference under which
the log holds the traceback, and no traceback on the page. The page tries the store again every few
seconds on its own and, once it answers, runs the whole page again: nobody has to reload or restart.
"""

from __future__ import annotations

import logging

import streamlit as st

from monitoring import faults, logs, store
from ui import data, messages
from ui.html import macro

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5
TITLE_FA = "پایگاه داده در دسترس نیست"
TITLE_EN = "The database cannot be reached"


def is_outage(exc: BaseException) -> bool:
    """Whether ``exc`` says the database is down or unusable (not a fault of our own code)."""
    return isinstance(exc, data.StoreUnavailable) or faults.is_database_fault(exc) or faults.is_database_busy(exc)


def reference_of(exc: BaseException, where: str) -> str:
    """The reference under which ``exc`` is in the log (logged now, with its traceback, if not yet)."""
    reference = getattr(exc, "reference", "")
    return reference or logs.report_unexpected(exc, where)


def show(exc: BaseException, where: str) -> None:
    """Say the database cannot be reached, with the reference; retry by itself; end the page here."""
    reference = reference_of(exc, where)
    st.html(macro("outage.html", "title")(TITLE_FA, TITLE_EN))
    messages.error(
        "پایگاه داده در دسترس نیست: داشبورد اکنون به آن دسترسی ندارد؛ این صفحه هر چند ثانیه دوباره تلاش می‌کند و با بازگشت پایگاه "
        f"داده خودبه‌خود باز می‌شود. اگر طول کشید، این کد را به راهبر کارگزار بدهید: {reference}",
        "The database could not be opened: the dashboard cannot reach its database now; this page tries again every few seconds and opens by "
        f"itself when the database is back. If it takes long, quote {reference} to the server's administrator.",
    )
    _retry_until_back()
    st.stop()


def retry_until_back() -> None:
    """Try the store again every few seconds and, once it answers, run the whole page again (the public
    site says the outage in its own two languages and retries with this)."""
    _retry_until_back()


def _retry_until_back() -> None:
    @st.fragment(run_every=RETRY_SECONDS)
    def _retry() -> None:
        try:
            store.data_version(data.engine())
        except Exception as exc:  # still down: the next try is in a few seconds
            logger.info("the store is still unavailable: %s", store.short_reason(exc))
            return
        logger.info("the store answers again; the page runs again")
        st.rerun(scope="app")

    _retry()
