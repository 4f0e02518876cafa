"""Streamlit glue shared by the pages: cached accessors, pickers, formatting, theme."""
