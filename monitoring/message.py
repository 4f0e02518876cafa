"""What a person is told, in Persian and in English: one type from where a message is made (a domain
error, a loader's refusal, a notice) to where it is shown (a page, a terminal, a JSON report read by
another process). Imports nothing of the project, so every module can use it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    """What a person is told: the Persian sentence and its English, kept apart from where they are made
    to where they are shown, so a page can put each in its own element (the English marked
    ``lang="en"``), a JSON report can carry both (:meth:`to_dict`) and nothing ever has to split a
    joined text back into its languages. Neither part may be empty.

    ``str()`` is the one line a terminal shows (the Persian, « / », the English); it is for reading,
    never for parsing.
    """

    fa: str
    en: str

    def __post_init__(self) -> None:
        if not isinstance(self.fa, str) or not isinstance(self.en, str) or not self.fa.strip() or not self.en.strip():
            raise ValueError(f"a message needs its Persian and its English: fa={self.fa!r}, en={self.en!r}")

    def __str__(self) -> str:
        return f"{self.fa} / {self.en}"

    def prefixed(self, fa: str, en: str) -> Message:
        """This message with ``fa`` before its Persian and ``en`` before its English (where it happened)."""
        return Message(fa + self.fa, en + self.en)

    def to_dict(self) -> dict[str, str]:
        return {"fa": self.fa, "en": self.en}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Message:
        """The message :meth:`to_dict` wrote (a JSON report read back); ValueError when a part is missing."""
        return cls(str(data.get("fa") or ""), str(data.get("en") or ""))

    @classmethod
    def read(cls, data: object) -> Message | None:
        """A message from a JSON report's field: None for null, the message for ``{"fa", "en"}``."""
        if data is None:
            return None
        if isinstance(data, Message):
            return data
        if isinstance(data, Mapping):
            return cls.from_dict(data)
        raise ValueError(f"not a message: {data!r}")


class MessageError(Exception):
    """An error a person can act on; :attr:`message` says what was wrong, where and what to do.

    ``MessageError(Message(...))`` or ``MessageError(fa, en)``; ``str()`` is the message's terminal line.
    """

    def __init__(self, fa: str | Message, en: str = "") -> None:
        message = fa if isinstance(fa, Message) else Message(fa, en)
        super().__init__(str(message))
        self.message = message

    @property
    def fa(self) -> str:
        return self.message.fa

    @property
    def en(self) -> str:
        return self.message.en
