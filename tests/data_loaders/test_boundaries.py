"""District boundaries from GeoJSON: what is accepted, what is refused (and where), simplification,
the store on SQLite and PostgreSQL, and ``python -m data_loaders boundaries``."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from data_loaders import boundaries
from data_loaders.demo_boundaries import OUT as DEMO
from data_loaders.demo_boundaries import feature_collection
from data_loaders.results import FileRejected
from monitoring import store
from monitoring.store.schema import batches
from tests.bilingual import assert_bilingual
from tests.data_loaders.helpers import run

NUMBERS = range(1, 23)


def square(lon: float = 51.40, lat: float = 35.70, size: float = 0.01) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(district, geometry: dict | None = None, key: str = "district") -> dict:
    return {"type": "Feature", "properties": {key: district}, "geometry": geometry or square()}


def collection(*features: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False).encode()


def refused(data: bytes, key: str | None = None) -> str:
    with pytest.raises(FileRejected) as caught:
        boundaries.read_boundaries(data, NUMBERS, key=key)
    return str(assert_bilingual(caught.value.message))


def only_error(data: bytes) -> boundaries.FeatureError:
    parsed = boundaries.read_boundaries(data, NUMBERS)
    assert len(parsed.errors) == 1, parsed.errors
    assert parsed.shapes == {}  # a file with any fault keeps nothing
    return parsed.errors[0]


# ---------------------------------------------------------------- the whole file


def test_a_file_that_is_not_json_is_refused_with_its_line_and_column():
    message = refused(b'{"type": "FeatureCollection",\n "features": [}')
    assert "JSON" in message and "خط ۲" in message and "line 2" in message


def test_a_single_feature_is_refused_as_not_a_feature_collection():
    message = refused(json.dumps(feature(7)).encode())
    assert "FeatureCollection" in message and "Feature)" in message


def test_a_collection_without_features_is_refused():
    assert "no features" in refused(b'{"type": "FeatureCollection", "features": []}')


def test_a_file_above_the_size_limit_is_refused_before_it_is_parsed(monkeypatch):
    monkeypatch.setattr(boundaries, "MAX_BYTES", 100)
    monkeypatch.setattr(boundaries, "_parse_json", lambda data: pytest.fail("parsed a file above the limit"))
    assert "limit" in refused(b" " * 101)


def test_a_projected_coordinate_system_named_in_the_file_is_refused():
    doc = json.loads(collection(feature(7)))
    doc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32639"}}
    assert "EPSG:4326" in refused(json.dumps(doc).encode())


def test_without_a_district_property_the_properties_found_are_listed():
    message = refused(collection(feature(7, key="name"), feature(8, key="code")))
    assert "name, code" in message and "--key" in message


def test_a_key_given_that_no_feature_has_is_refused():
    assert "'REGION_ID'" in refused(collection(feature(7)), key="REGION_ID")


# ---------------------------------------------------------------- features


def test_a_feature_without_a_district_is_named_by_its_index_and_property():
    error = only_error(collection(feature(7), {"type": "Feature", "properties": {"district": None}}))
    assert error.feature == 1 and error.member == "properties.district"
    assert "عارضهٔ ۲:" in str(error.reason) and "feature 2 (features[1])" in str(error.reason)


def test_an_unknown_district_is_refused_with_its_number():
    error = only_error(collection(feature(23)))
    assert error.feature == 0 and "district 23 does not exist" in str(error.reason)


def test_the_same_district_twice_names_the_earlier_feature():
    error = only_error(collection(feature(7), feature(8), feature("منطقه ۷")))
    assert error.feature == 2 and "district 7 again" in str(error.reason) and "features[0]" in str(error.reason)


def test_a_geometry_that_is_not_a_polygon_is_refused_with_its_type():
    error = only_error(collection(feature(7, {"type": "LineString", "coordinates": [[51.4, 35.7], [51.5, 35.7]]})))
    assert error.member == "geometry.type" and "LineString" in str(error.reason)


def test_a_ring_that_is_not_closed_is_refused_with_its_ends():
    ring = square()["coordinates"][0][:-1] + [[51.40, 35.705]]
    error = only_error(collection(feature(7, {"type": "Polygon", "coordinates": [ring]})))
    assert error.member == "geometry.coordinates[0]" and "not closed" in str(error.reason)


def test_a_ring_of_three_points_is_refused():
    ring = [[51.4, 35.7], [51.41, 35.7], [51.4, 35.7]]
    error = only_error(collection(feature(7, {"type": "Polygon", "coordinates": [ring]})))
    assert "at least 4" in str(error.reason) and "۴" in str(error.reason)


@pytest.mark.parametrize(
    ("corner", "said"),
    [
        ((35.70, 51.40), "swapped"),  # latitude first
        ((537_000.0, 3_950_000.0), "projected"),  # UTM zone 39N, metres
        ((51.40, 32.65), "outside Tehran"),  # Isfahan
    ],
)
def test_coordinates_outside_tehran_are_refused_saying_why(corner, said):
    lon, lat = corner
    ring = [[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat]]
    error = only_error(collection(feature(7, {"type": "Polygon", "coordinates": [ring]})))
    assert said in str(error.reason) and error.member == "geometry.coordinates[0][0]"


def test_every_fault_of_the_file_is_listed_at_once():
    parsed = boundaries.read_boundaries(
        collection(feature(23), feature(7), feature(7), feature(9, {"type": "Point"})), NUMBERS
    )
    assert [e.feature for e in parsed.errors] == [0, 2, 3]


def test_districts_left_out_are_allowed_and_reported():
    parsed = boundaries.read_boundaries(collection(feature(7), feature(8)), NUMBERS)
    assert parsed.errors == [] and sorted(parsed.shapes) == [7, 8]
    assert parsed.missing == [d for d in NUMBERS if d not in (7, 8)]


@pytest.mark.parametrize("key", ["district", "DISTRICT", "Region", "mantaghe", "منطقه", "district_no", "REGION_ID"])
def test_the_district_property_is_guessed(key):
    parsed = boundaries.read_boundaries(collection(feature(7, key=key)), NUMBERS)
    assert parsed.key == key and list(parsed.shapes) == [7]


def test_a_key_given_is_used_before_any_guess():
    doc = json.loads(collection(feature(7)))
    doc["features"][0]["properties"]["code"] = 9
    parsed = boundaries.read_boundaries(json.dumps(doc).encode(), NUMBERS, key="code")
    assert parsed.key == "code" and list(parsed.shapes) == [9]


@given(
    number=st.integers(1, 22),
    form=st.sampled_from(["{}", "{:02d}", "منطقه {}", "منطقهٔ {}", "District {}", "region {}", "mantaghe {}"]),
    digits=st.sampled_from(["latin", "persian", "arabic"]),
)
def test_a_district_number_reads_in_any_spelling(number, form, digits):
    text = form.format(number)
    table = {"persian": "۰۱۲۳۴۵۶۷۸۹", "arabic": "٠١٢٣٤٥٦٧٨٩"}.get(digits)
    if table:
        text = text.translate(str.maketrans("0123456789", table))
    assert boundaries.district_number(text, NUMBERS) == (number, None)


def test_a_district_number_may_be_a_json_number():
    assert boundaries.district_number(7, NUMBERS) == (7, None)
    assert boundaries.district_number(7.0, NUMBERS) == (7, None)
    assert boundaries.district_number(True, NUMBERS)[0] is None


# ---------------------------------------------------------------- shapes


@st.composite
def polygons(draw) -> list[list[float]]:
    """A star-shaped ring around a point of Tehran: closed, at least 4 points, every point in the box."""
    count = draw(st.integers(3, 60))
    lon = draw(st.floats(51.1, 51.6))
    lat = draw(st.floats(35.55, 35.85))
    radii = draw(st.lists(st.floats(0.001, 0.04), min_size=count, max_size=count))
    ring = [
        [lon + r * math.cos(2 * math.pi * i / count), lat + r * math.sin(2 * math.pi * i / count)]
        for i, r in enumerate(radii)
    ]
    return [*ring, list(ring[0])]


@settings(max_examples=60, deadline=None)
@given(ring=polygons())
def test_any_valid_polygon_is_accepted_and_stays_a_valid_ring(ring):
    parsed = boundaries.read_boundaries(collection(feature(7, {"type": "Polygon", "coordinates": [ring]})), NUMBERS)
    assert parsed.errors == []
    kept = parsed.shapes[7]["coordinates"][0]
    assert len(kept) >= 4 and kept[0] == kept[-1] and len(kept) <= len(ring)
    assert all(abs(x - round(x, 5)) < 1e-12 for point in kept for x in point)
    # read back, the simplified shape is accepted again unchanged
    again = boundaries.read_boundaries(collection(feature(7, parsed.shapes[7])), NUMBERS)
    assert again.shapes[7] == parsed.shapes[7]


@settings(max_examples=30, deadline=None)
@given(ring=polygons())
def test_simplifying_moves_no_outline_further_than_the_tolerance(ring):
    kept = boundaries.simplify_ring(ring, 0.002)
    assert set(map(tuple, kept)) <= set(map(tuple, ring))  # only vertices dropped, none moved

    def distance(p, a, b):
        (px, py), (ax, ay), (bx, by) = p, a, b
        length = math.hypot(bx - ax, by - ay)
        if length == 0:
            return math.hypot(px - ax, py - ay)
        t = max(0.0, min(1.0, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / length**2))
        return math.hypot(px - ax - t * (bx - ax), py - ay - t * (by - ay))

    for p in ring:
        assert min(distance(p, a, b) for a, b in zip(kept, kept[1:], strict=False)) <= 0.002 + 1e-9


def test_a_detailed_polygon_is_simplified_for_drawing():
    steps = 4000  # a circle of 4,000 vertices, as an official file might hold
    ring = [
        [51.4 + 0.05 * math.cos(2 * math.pi * i / steps), 35.7 + 0.04 * math.sin(2 * math.pi * i / steps)]
        for i in range(steps)
    ]
    parsed = boundaries.read_boundaries(
        collection(feature(7, {"type": "Polygon", "coordinates": [[*ring, ring[0]]]})), NUMBERS
    )
    assert parsed.vertices_read == steps + 1 and parsed.vertices_kept < 200


def test_a_multipolygon_keeps_its_parts_and_holes():
    outer = square(size=0.05)["coordinates"][0]
    hole = [[51.41, 35.71], [51.41, 35.72], [51.42, 35.72], [51.42, 35.71], [51.41, 35.71]]
    island = square(lon=51.5, size=0.01)["coordinates"][0]
    geometry = {"type": "MultiPolygon", "coordinates": [[outer, hole], [island]]}
    parsed = boundaries.read_boundaries(collection(feature(7, geometry)), NUMBERS)
    assert parsed.shapes[7]["type"] == "MultiPolygon"
    assert [len(p) for p in parsed.shapes[7]["coordinates"]] == [2, 1]


def test_the_demo_file_holds_all_22_districts_and_matches_its_generator():
    parsed = boundaries.read_boundaries(DEMO.read_bytes(), NUMBERS)
    assert parsed.errors == [] and parsed.missing == [] and sorted(parsed.shapes) == list(NUMBERS)
    assert json.loads(DEMO.read_text(encoding="utf-8")) == feature_collection()


# ---------------------------------------------------------------- the store


def batch_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(batches)).scalar_one()


def test_boundaries_are_stored_and_read_back(any_engine):
    assert store.boundaries(any_engine) == {} and store.boundaries_batch(any_engine) is None
    result = boundaries.load_boundaries(any_engine, DEMO.read_bytes(), DEMO.name, loaded_by="admin")
    assert result.ok and result.districts == list(NUMBERS)
    shapes = store.boundaries(any_engine)
    assert sorted(shapes) == list(NUMBERS)
    assert shapes[7] == boundaries.read_boundaries(DEMO.read_bytes(), NUMBERS).shapes[7]
    stored = store.boundaries_batch(any_engine)
    assert stored["batch_id"] == result.batch_id and stored["districts"] == 22
    assert stored["source_name"] == DEMO.name and stored["loaded_at"].tzinfo is not None
    assert store.data_version(any_engine) == result.batch_id  # the pages' caches follow a new file


def test_a_new_file_replaces_the_whole_set(any_engine):
    boundaries.load_boundaries(any_engine, DEMO.read_bytes(), DEMO.name)
    result = boundaries.load_boundaries(any_engine, collection(feature(7), feature(8)), "two.geojson")
    assert result.ok and result.missing == [d for d in NUMBERS if d not in (7, 8)]
    assert sorted(store.boundaries(any_engine)) == [7, 8]


def test_a_bad_file_stores_nothing_and_keeps_the_old_set(any_engine):
    boundaries.load_boundaries(any_engine, DEMO.read_bytes(), DEMO.name)
    before = batch_count(any_engine)
    result = boundaries.load_boundaries(any_engine, collection(feature(7), feature(23)), "bad.geojson")
    assert not result.ok and result.districts == [] and len(result.errors) == 1
    assert "nothing" in str(result.file_error) or "no boundary" in str(result.file_error)
    assert sorted(store.boundaries(any_engine)) == list(NUMBERS) and batch_count(any_engine) == before


def test_a_failure_while_writing_leaves_the_old_set(any_engine, monkeypatch):
    boundaries.load_boundaries(any_engine, DEMO.read_bytes(), DEMO.name)
    before = batch_count(any_engine)
    # a shape the database cannot hold (a district the reference lacks breaks the foreign key)
    with pytest.raises(Exception):  # noqa: B017 - the database's own error
        store.write_boundaries(any_engine, {7: square(), 99: square()}, store.BatchInfo("x.geojson", "", 2, 0, "admin"))
    assert sorted(store.boundaries(any_engine)) == list(NUMBERS) and batch_count(any_engine) == before


# ---------------------------------------------------------------- the command line


@pytest.mark.slow
def test_the_command_line_loads_the_demo_file(tmp_path):
    done = run(tmp_path, "boundaries", str(DEMO))
    assert done.returncode == 0, done.stderr
    assert "مرز ۲۲ منطقه ذخیره شد" in done.stdout and "boundaries of 22 districts stored" in done.stdout


@pytest.mark.slow
def test_the_command_line_reports_a_refused_file_as_json_with_exit_1(tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_bytes(collection(feature(7), feature("منطقه ۷")))
    done = run(tmp_path, "boundaries", str(bad), "--json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["ok"] is False and report["errors"][0]["feature"] == 1
    assert report["errors"][0]["member"] == "properties.district"


@pytest.mark.slow
def test_the_command_line_takes_the_district_property(tmp_path):
    path = tmp_path / "coded.geojson"
    path.write_bytes(collection(feature(7, key="CODE")))
    assert run(tmp_path, "boundaries", str(path)).returncode == 1  # no property could be guessed
    done = run(tmp_path, "boundaries", str(path), "--key", "CODE", "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["districts"] == [7]


@pytest.mark.slow
def test_the_command_line_says_a_missing_file_is_missing(tmp_path):
    done = run(tmp_path, "boundaries", str(tmp_path / "nowhere.geojson"))
    assert done.returncode == 1 and "file not found" in done.stdout


def test_a_file_of_many_faulty_features_lists_the_first_dashboard_max_errors_and_counts_them_all(monkeypatch):
    monkeypatch.setenv("DASHBOARD_MAX_ERRORS", "3")
    parsed = boundaries.read_boundaries(collection(*[feature(99) for _ in range(8)]), NUMBERS)
    assert len(parsed.errors) == 3 and parsed.errors_total == 8
    assert parsed.shapes == {} and [e.feature for e in parsed.errors] == [0, 1, 2]
