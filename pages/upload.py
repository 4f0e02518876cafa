"""بارگذاری داده: placeholder until the loader lands."""

import streamlit as st

st.title("بارگذاری داده")
