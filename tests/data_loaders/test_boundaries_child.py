"""Boundaries load in a child process, as tables do (ui/load_job.run_boundaries): the server's process
never parses or simplifies a GeoJSON file."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitoring import store
from tests.bilingual import assert_bilingual
from tests.data_loaders import corpus_traps as traps
from ui import load_job

pytestmark = pytest.mark.slow  # each test starts a child process (the loader or a probe)

DEMO = Path(__file__).resolve().parents[2] / "sample_data" / "demo_files" / "districts_schematic.geojson"


def _store(tmp_path, monkeypatch):
    path = tmp_path / "store.sqlite"
    monkeypatch.setenv("DASHBOARD_DB_PATH", str(path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    engine = store.make_engine(f"sqlite:///{path}")
    store.ensure_ready(engine)
    return engine


def test_a_boundaries_file_loads_in_a_child_process(tmp_path, monkeypatch):
    engine = _store(tmp_path, monkeypatch)
    report = load_job.run_boundaries(DEMO.read_bytes(), load_job.BoundariesRequest("مرزها.geojson", loaded_by="boss"))
    assert report["ok"] and report["source_name"] == "مرزها.geojson" and len(report["districts"]) == 22
    assert len(store.boundaries(engine)) == 22
    engine.dispose()


def test_a_hostile_boundaries_file_is_refused_by_the_child(tmp_path, monkeypatch):
    engine = _store(tmp_path, monkeypatch)
    report = load_job.run_boundaries(traps.deep_geojson(200_000), load_job.BoundariesRequest("deep.geojson"))
    assert not report["ok"] and "nests lists" in assert_bilingual(report["file_error"]).en
    engine.dispose()


def test_a_table_still_loads_in_its_child_process(tmp_path, monkeypatch):
    from tests.data_loaders.helpers import csv_bytes

    engine = _store(tmp_path, monkeypatch)
    data = csv_bytes("district,metric,period,value", "1,news_published,1404/07,5")
    report = load_job.run(data, load_job.LoadRequest("a.csv", dry_run=False, loaded_by="boss"))
    assert report["ok"] and report["rows_loaded"] == 1 and report["source_name"] == "a.csv"
    engine.dispose()
