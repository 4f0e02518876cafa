"""The overview's choice between the tile map and the map of real district boundaries.

The choice is offered only when a boundaries file has been loaded (``data_loaders.boundaries``);
without one the tile map stays and nothing is shown. The choice is kept in the session, so it
survives a visit to another page.
"""

from __future__ import annotations

import streamlit as st

from ui import data, fmt

TILES, REAL = "tiles", "real"
LABELS = {TILES: "نقشهٔ کاشی", REAL: "نقشهٔ مرزهای واقعی"}
WIDGET_KEY = "map_kind"
_KEPT = "_map_kind"  # the widget's own key is dropped while another page runs; this one is not


def _keep() -> None:
    st.session_state[_KEPT] = st.session_state[WIDGET_KEY]


def map_choice(container) -> str:
    """TILES or REAL: a radio in ``container`` when boundaries are stored, TILES (and nothing shown)
    otherwise."""
    if not data.boundaries(data.version()):
        return TILES
    if st.session_state.get(WIDGET_KEY) not in LABELS:
        st.session_state[WIDGET_KEY] = st.session_state.get(_KEPT, TILES)
    choice = container.radio(
        "نوع نقشه",
        list(LABELS),
        format_func=LABELS.get,
        horizontal=True,
        key=WIDGET_KEY,
        on_change=_keep,
        label_visibility="collapsed",
    )
    st.session_state[_KEPT] = choice
    return choice


def missing_note(shapes: dict[int, dict], names: dict[int, str], container=None) -> None:
    """Under the real map: which districts the boundaries file left out (they are not drawn)."""
    left_out = [d for d in names if d not in shapes]
    if left_out:
        listed = "، ".join(fmt.digits(d) for d in left_out)
        (container or st).caption(
            f"مرز {'منطقهٔ' if len(left_out) == 1 else 'مناطق'} {listed} در فایل مرزها نبود و روی این نقشه نیست؛ "
            "این مناطق را در نقشهٔ کاشی ببینید."
        )
