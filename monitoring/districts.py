"""The reference of Tehran's 22 districts, read from ``sample_data/districts.csv``."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from monitoring.config import SAMPLE_DATA

DISTRICTS_FILE = SAMPLE_DATA / "districts.csv"
DISTRICT_NUMBERS = tuple(range(1, 23))


@lru_cache(maxsize=1)
def _reference() -> pd.DataFrame:
    df = pd.read_csv(DISTRICTS_FILE, encoding="utf-8")
    return df.set_index("district", drop=False).sort_index()


def reference() -> pd.DataFrame:
    """One row a district: district, name_fa, name_en, population, area_km2, tile_row, tile_col."""
    return _reference().copy()
