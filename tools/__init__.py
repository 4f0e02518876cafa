"""Shared helpers for tests and benchmarks: serve a Streamlit script, drive it in headless Chromium."""
