"""The store: the only package that speaks SQL.

Every read is a named function ``fn(engine, ...) -> DataFrame`` (see ``queries``); every write
goes through ``writes``; ``engine`` opens the database and brings its schema up to date.
The store is the one source of the district reference (``reference_districts``) and the metric
catalog (``metric_catalog``) at run time; the files in ``sample_data/`` only seed them.
"""

from sqlalchemy.exc import SQLAlchemyError as StoreError  # what a failed read or write raises

from monitoring.store.engine import ensure_ready, make_engine, migrate, short_reason, startup_lock
from monitoring.store.queries import (
    batch_history,
    boundaries,
    boundaries_batch,
    city_by_metric,
    city_series,
    data_version,
    district_month_values,
    district_months,
    district_values,
    is_empty,
    latest_batch,
    metric_catalog,
    metric_district_values,
    period_range,
    reference_districts,
    reporting_record,
    targets,
)
from monitoring.store.writes import (
    BatchInfo,
    seed_reference,
    write_batch,
    write_batches,
    write_boundaries,
    write_metrics,
    write_targets,
)

__all__ = [
    "StoreError",
    "BatchInfo",
    "batch_history",
    "boundaries",
    "boundaries_batch",
    "city_by_metric",
    "city_series",
    "data_version",
    "district_months",
    "district_month_values",
    "district_values",
    "ensure_ready",
    "is_empty",
    "latest_batch",
    "make_engine",
    "metric_catalog",
    "metric_district_values",
    "migrate",
    "period_range",
    "reference_districts",
    "reporting_record",
    "seed_reference",
    "short_reason",
    "startup_lock",
    "targets",
    "write_batch",
    "write_batches",
    "write_boundaries",
    "write_metrics",
    "write_targets",
]
