"""The security suite changes stores in ways other tests' stores may share a data version with (a
catalog edit, audit rows): the page caches, keyed on that version, are emptied after each test."""

from __future__ import annotations

import pytest
import streamlit as st


@pytest.fixture(autouse=True)
def _fresh_page_caches():
    st.cache_data.clear()
    yield
    st.cache_data.clear()
