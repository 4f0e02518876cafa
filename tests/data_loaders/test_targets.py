"""Targets go through the same loader as the figures: a «هدف» / target column makes a file a targets
file, checked by the same rules and stored as one atomic batch in the targets table."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from data_loaders import normalise
from data_loaders.files import FileRejected, load_file, read_observations
from monitoring import store
from monitoring.calendar import Period, to_persian_digits
from monitoring.store.schema import targets
from tests.data_loaders.helpers import CATALOG, DISTRICTS, MEHR_1404, TODAY, csv_bytes, run, store_counts, xlsx_bytes

HEADER = "district,metric,period,target"
GOOD = csv_bytes(
    "منطقه,شاخص,ماه,هدف",
    "کل شهر,اخبار منتشرشده,مهر ۱۴۰۴,۵۰۰",
    "منطقه ۷,news_published,1404/07,40",
    "7,response_time_137_hours,1404/07,24.5",
    "12,news_published,1404/07,",  # no target set: neither stored nor an error
)


def load(engine, data: bytes, name: str = "targets.csv", **kw):
    return load_file(engine, data, name, today=TODAY, **kw)


def stored_targets(engine) -> dict[tuple[int, str], float]:
    got = store.targets(engine, MEHR_1404, Period.month(1406, 12).end)
    return {(int(d), m): v for m, d, v in zip(got["metric"], got["district"], got["value"], strict=True)}


def target_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(targets)).scalar_one()


def test_a_targets_file_is_stored_as_one_batch_in_the_targets_table(any_engine):
    result = load(any_engine, GOOD, "اهداف.csv", loaded_by="planner")
    assert result.ok and result.kind == "targets"
    assert (result.rows_read, result.rows_loaded, result.rows_blank) == (4, 3, 1)
    assert stored_targets(any_engine) == {
        (0, "news_published"): 500.0,  # «کل شهر»: the whole city
        (7, "news_published"): 40.0,
        (7, "response_time_137_hours"): 24.5,
    }
    assert store_counts(any_engine) == (0, 1)  # no observation, one batch
    batch = store.latest_batch(any_engine)
    assert (batch["id"], batch["source_name"], batch["rows_loaded"], batch["loaded_by"]) == (
        result.batch_id,
        "اهداف.csv",
        3,
        "planner",
    )


def test_a_refused_targets_file_lists_every_bad_row_and_stores_nothing(any_engine):
    load(any_engine, GOOD)
    before = (stored_targets(any_engine), store_counts(any_engine))
    bad = csv_bytes(
        HEADER,
        "city,news_published,1404/07,600",  # good, but the file is refused whole
        "23,news_published,1404/07,5",
        "7,گزارش‌های ارسالی,1404/07,5",
        "7,news_published,1404/13,5",
        "7,news_published,1404/08,زیاد",
        "9,news_published,1404/08,-3",
        "8,news_published,1404/08,5",
        "8,news_published,۱۴۰۴/۰۸,6",
    )
    result = load(any_engine, bad)
    assert result.batch_id is None and result.kind == "targets"
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "district"),
        (4, "metric"),
        (5, "period"),
        (6, "target"),
        (7, "target"),
        (8, "target"),  # the same district, metric and month twice: both copies
        (9, "target"),
    ]
    assert "1 to 22, or 'city'" in str(result.errors[0].reason)
    assert "گزارش‌های ارسالی به مرکز" in str(result.errors[1].reason)  # did you mean
    assert "row 9" in str(result.errors[5].reason) and "row 8" in str(result.errors[6].reason)
    assert "nothing from this file was stored" in str(result.file_error)
    assert (stored_targets(any_engine), store_counts(any_engine)) == before


def test_skip_bad_rows_stores_the_good_targets_as_one_batch(engine):
    bad = csv_bytes(HEADER, "کل شهر,news_published,1404/07,600", "23,news_published,1404/07,5")
    result = load(engine, bad, skip_bad_rows=True)
    assert result.batch_id is not None and result.rows_loaded == 1 and result.rows_rejected == 1
    assert stored_targets(engine) == {(0, "news_published"): 600.0}


def test_a_target_may_be_set_for_a_month_that_has_not_ended_but_a_figure_may_not():
    ahead = read_observations(
        csv_bytes(HEADER, "7,news_published,1406/01,50"), "t.csv", CATALOG, DISTRICTS, today=TODAY
    )
    assert ahead.errors == [] and len(ahead.rows) == 1
    figure = csv_bytes("district,metric,period,value", "7,news_published,1406/01,50")
    assert read_observations(figure, "f.csv", CATALOG, DISTRICTS, today=TODAY).errors[0].column == "period"


def test_the_city_is_a_district_only_in_a_targets_file():
    figure = csv_bytes("district,metric,period,value", "کل شهر,news_published,1404/07,50")
    parsed = read_observations(figure, "f.csv", CATALOG, DISTRICTS, today=TODAY)
    assert [(e.row, e.column) for e in parsed.errors] == [(2, "district")]


def test_a_target_outside_the_metrics_limits_is_refused(engine):
    result = load(engine, csv_bytes(HEADER, "7,requests_137_resolved_pct,1404/07,130"))
    assert [(e.row, e.column) for e in result.errors] == [(2, "target")] and target_count(engine) == 0


def test_a_file_with_both_figures_and_targets_is_refused_naming_both_columns():
    data = csv_bytes("district,metric,period,value,target", "7,news_published,1404/07,5,6")
    with pytest.raises(FileRejected, match="both a target column 'target'.*figures \\(actual\\) column 'value'"):
        read_observations(data, "both.csv", CATALOG, DISTRICTS, today=TODAY)


def test_a_targets_file_without_a_metric_column_is_refused():
    with pytest.raises(FileRejected, match="no 'metric' column"):
        read_observations(csv_bytes("district,period,target", "7,1404/07,5"), "t.csv", CATALOG, DISTRICTS, today=TODAY)


def test_an_excel_targets_file_with_a_title_row_loads(engine):
    data = xlsx_bytes(
        [["اهداف مهر ۱۴۰۴"], ["منطقه", "شاخص", "دوره", "هدف"], ["کل شهر", "news_published", "1404/07", 500]]
    )
    result = load(engine, data, "targets.xlsx")
    assert result.ok and stored_targets(engine) == {(0, "news_published"): 500.0}


@pytest.mark.slow
def test_the_command_line_loads_a_targets_file_and_says_so(tmp_path):
    path = tmp_path / "targets.csv"
    path.write_bytes(GOOD)
    done = run(tmp_path, "load", "--json", str(path))
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)["files"][0]
    assert (doc["kind"], doc["rows_loaded"], doc["ok"]) == ("targets", 3, True)
    other = tmp_path / "targets-copy.csv"
    other.write_bytes(GOOD + b"\n")  # other bytes: not the file already loaded
    human = run(tmp_path, "load", str(other))
    assert "targets stored as batch" in human.stdout
    again = run(tmp_path, "load", str(path))  # the same bytes again: nothing changes, the batch is named
    assert again.returncode == 0 and "already stored as batch 1" in again.stdout


# ---------------------------------------------------------------- the city, as a property

CITY_SPELLINGS = ["کل شهر", "کل‌شهر", "كل شهر", "City", "city-wide", "شهر", " شهر تهران "]
written_districts = st.builds(
    lambda n, form: form.format(n=n, fa=to_persian_digits(n)),
    st.integers(min_value=-5, max_value=40),
    st.sampled_from(["{n}", "{fa}", "منطقه {fa}", "منطقه {n}", "District {n}", "0{n}"]),
)


@given(st.one_of(written_districts, st.text(max_size=12)))
def test_a_targets_file_reads_districts_as_a_figures_file_does_except_for_the_city(text):
    as_target = normalise.parse_district(text, DISTRICTS, city=True)
    as_figure = normalise.parse_district(text, DISTRICTS)
    if as_figure[0] is not None:
        assert as_target == as_figure  # every district reads the same
    elif as_target[0] is not None:
        assert as_target[0] == normalise.CITY  # the only extra reading is the city
    else:
        assert "city" in as_target[1].en  # the refusal says the city may be written too


@given(st.sampled_from(CITY_SPELLINGS))
def test_every_spelling_of_the_city_is_district_zero_in_a_targets_file(text):
    assert normalise.parse_district(text, DISTRICTS, city=True) == (normalise.CITY, None)
    assert normalise.parse_district(text, DISTRICTS)[0] is None
