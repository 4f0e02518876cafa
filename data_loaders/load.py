"""Load a file into the store as one atomic batch.

Policy: by default a file with any rejected row is refused whole and nothing is stored (a bad
file is never half-loaded); the result lists every rejected row. With ``skip_bad_rows`` the
accepted rows are stored as one batch and the rejected ones listed. A file with no accepted
row stores nothing. A later value for the same district, metric and month replaces the
earlier one; a "not reported" cell never deletes or zeroes a stored value. A targets file
(value column headed «هدف» / target) follows the same policy and goes to the targets table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from data_loaders.parse import read_observations
from data_loaders.results import FileRejected, LoadResult, bilingual, fa_number
from monitoring import store

Progress = Callable[[int, int], None]


def load_file(
    engine: Engine,
    data: bytes,
    name: str,
    *,
    period: str | None = None,
    skip_bad_rows: bool = False,
    loaded_by: str = "",
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> LoadResult:
    """Read, check and store one file; every outcome (refusals included) is in the result.

    The file is checked against the store's metric catalog and districts, the one source of both.
    Database errors are not caught: the transaction rolls back and the error propagates.
    """
    digest = hashlib.sha256(data).hexdigest()
    catalog = store.metric_catalog(engine)
    districts = store.reference_districts(engine)["district"].astype(int).tolist()
    try:
        parsed = read_observations(data, name, catalog, districts, period=period, today=today)
    except FileRejected as exc:
        return LoadResult(name, digest, None, 0, 0, 0, 0, [], exc.message)

    result = LoadResult(
        source_name=name,
        sha256=digest,
        batch_id=None,
        rows_read=parsed.rows_read,
        rows_loaded=0,
        rows_rejected=parsed.rows_rejected,
        rows_blank=parsed.rows_blank,
        errors=parsed.errors,
        file_error=None,
        kind=parsed.kind,
    )
    if parsed.rows_rejected and not skip_bad_rows:
        result.file_error = bilingual(
            f"{fa_number(parsed.rows_rejected)} مورد رد شد و هیچ داده‌ای از این فایل ذخیره نشد؛ موارد زیر را در "
            "فایل اصلاح کنید و دوباره بارگذاری کنید، یا فقط موارد درست را بارگذاری کنید (‎--skip-bad-rows‎)",
            f"{parsed.rows_rejected} value(s) rejected, so nothing from this file was stored; correct them in the "
            "file and load it again, or load only the good rows (--skip-bad-rows)",
        )
        return result
    if parsed.rows.empty:
        if parsed.rows_rejected:
            result.file_error = bilingual(
                "هیچ مورد درستی در فایل نبود و چیزی ذخیره نشد؛ موارد زیر را اصلاح کنید",
                "no value in the file could be accepted, so nothing was stored; correct the rows listed",
            )
        else:
            result.file_error = bilingual(
                "همه‌ی خانه‌های مقدار خالی (گزارش نشده) است و چیزی برای ذخیره نیست",
                "every value cell is empty (not reported); there is nothing to store",
            )
        return result

    info = store.BatchInfo(
        source_name=name,
        sha256=digest,
        rows_read=parsed.rows_read,
        rows_rejected=parsed.rows_rejected,
        loaded_by=loaded_by,
    )
    if parsed.kind == "targets":
        result.batch_id = store.write_targets(engine, parsed.rows, info)
    else:
        result.batch_id = store.write_batch(engine, parsed.rows, info, progress=progress)
    result.rows_loaded = len(parsed.rows)
    return result


def load_path(
    engine: Engine,
    path: str | Path,
    *,
    period: str | None = None,
    skip_bad_rows: bool = False,
    loaded_by: str = "",
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> LoadResult:
    """``load_file`` for a file on disk; a missing or unreadable file is a refusal, not an exception."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        error = bilingual(
            f"فایل «{path}» پیدا نشد؛ نام و مسیر را بررسی کنید", f"file not found: '{path}'; check the name and folder"
        )
        return LoadResult(path.name, "", None, 0, 0, 0, 0, [], error)
    except IsADirectoryError:
        error = bilingual(f"«{path}» پوشه است، نه فایل", f"'{path}' is a folder, not a file")
        return LoadResult(path.name, "", None, 0, 0, 0, 0, [], error)
    except OSError as exc:
        error = bilingual(
            f"فایل «{path}» خوانده نشد ({exc.strerror or exc})؛ دسترسی به فایل را بررسی کنید",
            f"cannot read '{path}' ({exc.strerror or exc}); check that the file can be opened",
        )
        return LoadResult(path.name, "", None, 0, 0, 0, 0, [], error)
    return load_file(
        engine,
        data,
        path.name,
        period=period,
        skip_bad_rows=skip_bad_rows,
        loaded_by=loaded_by,
        progress=progress,
        today=today,
    )
