"""The drop folder: ``python -m data_loaders watch DIR`` loads each file put into DIR.

A file is taken once it has stopped growing (the same size and modification time for
``settle_seconds``), so a copy still in progress is never read half-way. It is loaded like
``load`` does (strict by default; one batch per file), then moved to ``DIR/done`` (stored, or
already stored) or ``DIR/failed`` (refused) with its report beside it: ``NAME.report.txt``
(Persian with the English beside it) and ``NAME.report.json``. A name already taken there gets
the time appended. Hidden files, Office's lock files (``~$…``) and partial downloads (``.part``,
``.tmp``, ``.crdownload``) are left alone. A fault in one file (even a database fault) moves only
that file to ``failed`` with the reason; the watcher goes on with the next one.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from data_loaders.load import display_name, load_path
from data_loaders.report import describe
from data_loaders.results import LoadResult
from monitoring.faults import is_database_fault
from monitoring.logs import report_unexpected
from monitoring.message import Message

DONE, FAILED = "done", "failed"
_SKIPPED_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".report.txt", ".report.json")
logger = logging.getLogger(__name__)


@dataclass
class _Seen:
    size: int
    mtime: float
    since: float  # when this size and time were first seen


class Watcher:
    """Polls one folder; ``poll()`` loads every file that has settled and returns their results."""

    def __init__(
        self,
        engine: Engine,
        folder: Path,
        *,
        settle_seconds: float = 3.0,
        skip_bad_rows: bool = False,
        loaded_by: str = "",
        report: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.folder = Path(folder)
        self.settle_seconds = settle_seconds
        self.skip_bad_rows = skip_bad_rows
        self.loaded_by = loaded_by or "drop-folder"
        self.report = report or (lambda line: None)
        self.clock = clock
        self._seen: dict[str, _Seen] = {}
        for sub in (DONE, FAILED):
            (self.folder / sub).mkdir(exist_ok=True)

    # ---------------------------------------------------------------- the loop
    def run(self, interval: float = 5.0) -> None:
        """Poll for ever (until Ctrl+C)."""
        while True:
            self.poll()
            time.sleep(interval)

    def poll_until_idle(self, interval: float = 0.5, limit_seconds: float = 600.0) -> list[LoadResult]:
        """Poll until no file is waiting (what ``--once`` does): every file present is loaded once it settles."""
        results: list[LoadResult] = []
        deadline = self.clock() + limit_seconds
        while True:
            results += self.poll()
            if not self._candidates() or self.clock() > deadline:
                return results
            time.sleep(interval)

    def poll(self) -> list[LoadResult]:
        """Load each file that has stopped growing; returns their results."""
        now = self.clock()
        results = []
        present = set()
        for path in self._candidates():
            present.add(path.name)
            try:
                stat = path.stat()
            except OSError:  # gone between the listing and now
                continue
            seen = self._seen.get(path.name)
            if seen is None or seen.size != stat.st_size or seen.mtime != stat.st_mtime:
                self._seen[path.name] = _Seen(stat.st_size, stat.st_mtime, now)
                if self.settle_seconds > 0:
                    continue
                seen = self._seen[path.name]
            if now - seen.since < self.settle_seconds:
                continue
            results.append(self._take(path))
            self._seen.pop(path.name, None)
        for name in set(self._seen) - present:
            self._seen.pop(name, None)
        return results

    def _candidates(self) -> list[Path]:
        try:
            entries = sorted(self.folder.iterdir(), key=lambda p: p.name)
        except OSError as exc:
            logger.warning("cannot list the drop folder %s: %s", self.folder, exc)
            return []
        return [
            p
            for p in entries
            if p.is_file() and not p.name.startswith((".", "~$")) and not p.name.lower().endswith(_SKIPPED_SUFFIXES)
        ]

    # ---------------------------------------------------------------- one file
    def _take(self, path: Path) -> LoadResult:
        shown = display_name(path.name)
        try:
            result = load_path(self.engine, path, skip_bad_rows=self.skip_bad_rows, loaded_by=self.loaded_by)
        except Exception as exc:  # one file's fault never stops the watcher
            if is_database_fault(exc):
                logger.warning("database fault loading %s from the drop folder: %s", shown, exc)
                reason = Message(
                    "خطای پایگاه داده هنگام ذخیره؛ چیزی از این فایل ذخیره نشد. پایگاه داده را بررسی کنید و فایل را "
                    "دوباره در پوشه بگذارید",
                    f"database error while storing ({type(exc).__name__}); nothing from this file was stored. "
                    "Check the database and drop the file again",
                )
            else:
                reference = report_unexpected(exc, f"drop folder {shown}")
                reason = Message(
                    f"خطای پیش‌بینی‌نشده؛ چیزی ذخیره نشد. کد پیگیری: {reference}",
                    f"unexpected error; nothing was stored. Quote {reference} to support",
                )
            result = LoadResult(shown, "", None, 0, 0, 0, 0, [], reason, refusal="file")
        stored = result.batch_id is not None or result.duplicate_of is not None
        target = self._move(path, DONE if stored and result.file_error is None else FAILED)
        self._write_report(target, result)
        self.report(describe(result) + f"\n  → {display_name(target.parent.name)}/{display_name(target.name)}")
        return result

    def _move(self, path: Path, where: str) -> Path:
        folder = self.folder / where
        target = folder / path.name
        if target.exists():
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            target = folder / f"{path.stem}.{stamp}{path.suffix}"
        shutil.move(str(path), str(target))
        return target

    def _write_report(self, target: Path, result: LoadResult) -> None:
        base = target.with_name(target.name)
        try:
            Path(f"{base}.report.txt").write_text(describe(result) + "\n", encoding="utf-8", errors="replace")
            Path(f"{base}.report.json").write_text(
                json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8", errors="replace"
            )
        except OSError as exc:
            logger.warning("cannot write the report beside %s: %s", target, exc)
