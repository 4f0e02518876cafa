"""The seed of the district reference: Tehran's 22 districts in ``sample_data/districts.csv``.

At run time the reference is the store's ``districts`` table (``store.reference_districts``);
``store.ensure_ready`` writes this file into it, and the sample generator, when it has no
store at hand, reads it here.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from monitoring.calendar import to_persian_digits
from monitoring.config import SAMPLE_DATA

DISTRICTS_FILE = SAMPLE_DATA / "districts.csv"
COLUMNS = ["district", "name_fa", "name_en", "population", "area_km2", "tile_row", "tile_col"]


def read_reference(path: Path = DISTRICTS_FILE) -> pd.DataFrame:
    """Read a district seed file: one row a district, ``COLUMNS`` (and whatever else it holds)."""
    df = pd.read_csv(path, encoding="utf-8")
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"{path.name}: missing column(s) {', '.join(missing)}")
    if df["district"].duplicated().any():
        raise ValueError(f"{path.name}: a district number appears twice")
    for column, label in (("population", "جمعیت"), ("area_km2", "مساحت")):
        numbers = pd.to_numeric(df[column], errors="coerce")
        bad = df.index[~(numbers > 0)]
        if len(bad):
            i = int(bad[0])
            raise ValueError(
                f"{path.name}، سطر {to_persian_digits(i + 2)}، ستون {column}: {label} منطقهٔ "
                f"{to_persian_digits(df.loc[i, 'district'])} باید عددی بزرگ‌تر از صفر باشد "
                f"(«{df.loc[i, column]}»)؛ رقم درست را بنویسید، وگرنه سرانه‌ها ساختگی می‌شوند "
                f"/ {path.name}, row {i + 2}, column {column}: district {df.loc[i, 'district']} needs a {column} above "
                f"zero ('{df.loc[i, column]}'); write the right figure, or every per-resident figure would be made up"
            )
    return df.set_index("district", drop=False).sort_index()


@lru_cache(maxsize=1)
def _reference() -> pd.DataFrame:
    return read_reference()


def reference() -> pd.DataFrame:
    """The seed reference, indexed by district number: district, name_fa, name_en, population,
    area_km2, tile_row, tile_col."""
    return _reference().copy()
