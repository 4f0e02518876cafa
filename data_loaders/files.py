"""The file loader's public face: what the upload page, the command line and benchmarks call.

    result = load_file(engine, data, "report.csv", skip_bad_rows=False)  # check and store one batch
    catalog, districts = store.metric_catalog(engine), store.reference_districts(engine)["district"]
    parsed = read_observations(data, "report.xlsx", catalog, districts, period="1404/07")  # check only

Files are checked against the store's metric catalog and district reference: the store is the
one source of both (``sample_data/`` only seeds it).

Accepted files: CSV (UTF-8 with or without BOM; UTF-16 or Windows-1256 too) and Excel .xlsx
(first sheet; the header row may sit under a few title rows). Two shapes:

- long: district, metric, period, value (English headers, or منطقه، شاخص، دوره/ماه، مقدار);
- wide: a district column, a period column (or ``period=``), and one column per metric, headed
  by its code or its Persian name.

The rules for each cell are in ``data_loaders.parse``; the reading of files in
``data_loaders.readers``; the storing policy in ``data_loaders.load``.
"""

from __future__ import annotations

from data_loaders.load import load_file, load_path
from data_loaders.parse import read_observations
from data_loaders.results import FileRejected, LoadResult, ParsedFile, RowError

__all__ = ["FileRejected", "LoadResult", "ParsedFile", "RowError", "load_file", "load_path", "read_observations"]
