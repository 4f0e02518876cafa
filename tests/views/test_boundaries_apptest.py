"""The overview offers the map of real boundaries only once a boundaries file is loaded; the upload page
has a section to load one."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from data_loaders import boundaries
from data_loaders.demo_boundaries import OUT as DEMO
from monitoring import store
from tests.access import sign_in_apptest
from tests.views.helpers import DASHBOARD, figures

REAL = "نقشهٔ مرزهای واقعی"


def map_radios(at) -> list:
    return [r for r in at.radio if r.key == "map_kind"]


@pytest.fixture
def with_boundaries(sample_db_path, tmp_path, monkeypatch):
    """The sample store, copied, with the demo boundaries loaded."""
    path = tmp_path / "with-boundaries.sqlite"
    shutil.copy(sample_db_path, path)
    engine = store.make_engine(f"sqlite:///{path}")
    assert boundaries.load_boundaries(engine, DEMO.read_bytes(), DEMO.name).ok
    engine.dispose()
    monkeypatch.setenv("DASHBOARD_DB_PATH", str(path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return AppTest.from_file(DASHBOARD, default_timeout=60)


@pytest.fixture
def without_boundaries(app):
    return app


def test_without_boundaries_the_overview_offers_only_the_tile_map(without_boundaries):
    at = without_boundaries.run()
    assert not at.exception
    assert map_radios(at) == []
    assert REAL not in [o for r in at.radio for o in r.options]
    assert any("dash-chart-tile_map" in b.proto.body for b in at.get("html"))


def test_with_boundaries_the_overview_offers_the_real_map_and_draws_it(with_boundaries):
    at = with_boundaries.run()
    assert not at.exception
    (choice,) = map_radios(at)
    assert list(choice.options) == ["نقشهٔ کاشی", REAL]
    assert choice.value == "tiles"  # the tile map stays the default
    choice.set_value("real")
    at.run()
    assert not at.exception
    drawn = figures(at)[0]
    assert len([t for t in drawn["data"] if t.get("fill") == "toself"]) == 22
    assert {t["type"] for t in drawn["data"]} == {"scatter"}
    assert not any("dash-chart-tile_map" in b.proto.body for b in at.get("html"))
    assert any('data-link="' in b.proto.body and "dash-chart-boundary_map" in b.proto.body for b in at.get("html"))


def test_the_upload_page_has_a_section_for_boundaries(without_boundaries, tmp_path, monkeypatch):
    at = sign_in_apptest(without_boundaries, monkeypatch, tmp_path)  # the upload page is for administrators
    at.switch_page("views/upload.py")
    at.run()
    assert not at.exception
    assert "مرزهای مناطق (اختیاری)" in [h.value for h in at.subheader]
    assert [c.label for c in at.checkbox if c.key == "boundaries_open"] == ["فایل مرزهای مناطق را بارگذاری می‌کنم"]
