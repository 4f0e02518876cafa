"""Numbers typed into the pages: shown with Persian digits, read back by the loader's parser."""

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from data_loaders.normalise import parse_number
from ui import fmt

ROOT = Path(__file__).resolve().parents[2]


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda v: round(v, 4)))
def test_a_number_shown_for_editing_reads_back_as_itself(value):
    text = fmt.input_number(value)
    assert not any(c.isascii() and c.isdigit() for c in text)  # Persian digits only
    assert "e" not in text and "٬" not in text
    assert parse_number(text)[0] == value


def test_examples():
    assert fmt.input_number(None) == ""
    assert fmt.input_number(1_000_000) == "۱۰۰۰۰۰۰"  # not «1e+06»
    assert fmt.input_number(0.25) == "۰٫۲۵"
    assert fmt.input_number(-3.0) == "-۳"


def test_no_page_uses_streamlits_number_input():
    """st.number_input draws its digits in Latin whatever the font: a page asks with a choice of
    Persian numbers or a text input read by ``parse_number``."""
    found = [
        str(path.relative_to(ROOT))
        for folder in ("views", "ui")
        for path in (ROOT / folder).glob("*.py")
        if ".number_input(" in path.read_text(encoding="utf-8")
    ]
    assert found == []
