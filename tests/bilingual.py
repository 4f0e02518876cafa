"""Checking that what a person is told has both its languages: the Persian and the English, apart."""

from __future__ import annotations

import re

from monitoring.message import Message

_PERSIAN = re.compile("[\u0600-\u06ff]")
_LATIN = re.compile("[A-Za-z]")


def assert_bilingual(message: object) -> Message:
    """``message`` (a Message, or its ``{"fa", "en"}`` from a JSON report) read back, after checking that
    its Persian part holds Persian and its English part English."""
    read = Message.read(message)
    assert read is not None, "no message"
    assert _PERSIAN.search(read.fa), f"the Persian part has no Persian: {read.fa!r}"
    assert _LATIN.search(read.en), f"the English part has no English: {read.en!r}"
    assert "Traceback" not in read.fa + read.en
    return read
