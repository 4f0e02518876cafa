"""Live pages: an open page notices a new batch and redraws its figures without a reload.

A fragment with no elements of its own runs every ``DASHBOARD_LIVE_SECONDS`` (default 30) in each
open session and asks the store for its data version (one cheap query); when a batch has landed
since the page was drawn, it reruns the whole page, whose caches are keyed on that version, so the
figures and «data as of» follow within the interval.
"""

from __future__ import annotations

import logging

import streamlit as st

from monitoring import config
from ui import data

logger = logging.getLogger(__name__)


def interval() -> float:
    return config.settings().live_seconds


def watch(drawn_version: int) -> None:
    """Rerun the page when the store's data version moves past ``drawn_version``."""

    @st.fragment(run_every=interval())
    def _watch() -> None:
        try:
            now = data.version()
        except Exception as exc:  # the database went away: the whole page runs and shows the outage page
            logger.warning("live check: the store cannot be read (%s)", type(exc).__name__)
            st.rerun(scope="app")
        if now != drawn_version:
            st.rerun(scope="app")

    _watch()
