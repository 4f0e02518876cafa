"""One district against the others: summary, bands, rank history, record, and its small charts."""

import datetime as dt

import pandas as pd
import pytest

from monitoring import calendar, charts, district, districts, figures, metrics
from monitoring.calendar import Period

REF = districts.reference().reset_index(drop=True)
CATALOG = metrics.read_catalog()
COUNT = CATALOG["reports_submitted"]
TIME = CATALOG["response_time_137_hours"]  # lower is better
NEUTRAL = CATALOG["requests_137"]
M1, M2, M3 = dt.date(2025, 3, 21), dt.date(2025, 4, 21), dt.date(2025, 5, 22)


def totals(rows):
    return pd.DataFrame(rows, columns=["metric", "district", "total", "months"])


def months(rows):
    return pd.DataFrame(rows, columns=["metric", "district", "period", "value"])


FARVARDIN_1404 = Period.month(1404, 1)
TODAY = dt.date(2025, 6, 1)  # Farvardin 1404 and the months before it have ended


def monthly(rows):
    """(metric, district, (year, month), value) -> store.district_month_values rows."""
    return months([(m, d, calendar.month_start(*ym), v) for m, d, ym, v in rows])


def now_of(data, period=FARVARDIN_1404):
    """store.metric_district_values over ``period`` from monthly rows."""
    return figures.period_values(data, CATALOG, period)[["metric", "district", "total", "months"]]


def summary(data, district_number, measure="raw", period=FARVARDIN_1404, today=TODAY):
    return district.summary(now_of(data, period), data, period, REF, CATALOG, district_number, measure, today=today)


def test_summary_gives_rank_percentile_and_changes_against_the_districts_that_reported():
    data = monthly(
        [("reports_submitted", d, (1404, 1), v) for d, v in ((1, 30), (2, 20), (3, 10))]
        + [("reports_submitted", 1, (1403, 12), 15)]
    )
    out = summary(data, 1).set_index("metric")
    row = out.loc["reports_submitted"]
    assert row["rank"] == 1 and row["ranked"] == 3 and row["percentile"] == 100
    assert row["change_previous"] == pytest.approx(1.0)
    assert row["change_last_year"] is None  # did not report a year earlier: no change, not −100%
    assert row["city_median"] == 20
    assert not out.loc["news_published", "reported"]


def test_summary_of_the_worst_district_on_a_lower_is_better_metric_is_percentile_zero():
    data = monthly([(TIME.code, d, (1404, 1), v) for d, v in ((1, 10), (2, 40), (3, 20))])
    row = summary(data, 2).set_index("metric").loc[TIME.code]
    assert row["rank"] == 3 and row["percentile"] == 0


def test_a_neutral_metric_has_no_rank_or_percentile_on_the_district_page():
    data = monthly([(NEUTRAL.code, d, (1404, 1), v) for d, v in ((1, 10), (2, 40))])
    row = summary(data, 1).set_index("metric").loc[NEUTRAL.code]
    assert pd.isna(row["rank"]) and row["percentile"] is None


def test_the_median_beside_a_per_resident_figure_is_per_resident_too():
    data = monthly([("reports_submitted", d, (1404, 1), 10.0 * d) for d in range(1, 23)])
    out = summary(data, 1, "per10k").set_index("metric")
    per10k = [10.0 * d / p * 10_000 for d, p in zip(REF["district"], REF["population"], strict=True)]
    assert out.loc["reports_submitted", "city_median"] == pytest.approx(float(pd.Series(per10k).median()))


def test_a_season_half_reported_is_compared_over_the_months_present_in_both():
    autumn = Period.season(1404, 3)
    data = monthly(
        [("reports_submitted", 18, (1404, m), 100) for m in (4, 5, 6)]  # summer: three months of 100
        + [("reports_submitted", 18, (1404, 7), 147)]  # autumn: Mehr only so far
    )
    row = summary(data, 18, period=autumn, today=dt.date(2025, 12, 1)).set_index("metric").loc["reports_submitted"]
    assert row["change_previous"] == pytest.approx(0.47)  # 147 against Tir's 100, not against 300
    assert pd.isna(row["rank"]) and row["status"] == "incomplete" and (row["months"], row["due"]) == (1, 2)


@pytest.mark.parametrize("measure", ["raw", "per10k", "perkm2"])
def test_every_districts_summary_at_once_holds_each_districts_own(measure):
    """The pages read one district's rows out of the summaries of all 22, worked out once a period."""
    data = monthly(
        [("reports_submitted", d, (1404, 1), 10 * d % 7 + 1) for d in range(1, 23)]
        + [("response_time_137_hours", d, (1404, 1), d % 5 + 2) for d in range(1, 20)]
        + [("requests_137", d, (1404, 1), d) for d in (1, 2, 3)]
        + [("reports_submitted", d, (1403, 12), 5) for d in range(1, 12)]
        + [("response_time_137_hours", d, (1403, 1), 4) for d in range(5, 15)]
    )
    now = now_of(data)
    every = district.summaries(now, data, FARVARDIN_1404, REF, CATALOG, measure, today=TODAY)
    assert every["district"].drop_duplicates().tolist() == REF["district"].astype(int).tolist()
    assert len(every) == 22 * len(CATALOG)
    for d in (1, 7, 20, 22):
        alone = district.summary(now, data, FARVARDIN_1404, REF, CATALOG, d, measure, today=TODAY)
        mine = every[every["district"] == d].drop(columns="district").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone)
    assert every.loc[(every["district"] == 22) & (every["metric"] == TIME.code), "reported"].item() is False


def test_bands_are_the_median_and_middle_half_of_the_districts_each_month():
    rows = months([("reports_submitted", d, M1, float(d)) for d in range(1, 6)])
    band = district.monthly_bands(rows).iloc[0]
    assert (band["median"], band["low"], band["high"], band["districts"]) == (3.0, 2.0, 4.0, 5)


def test_rank_history_skips_months_the_district_did_not_report_and_follows_direction():
    rows = months(
        [
            ("response_time_137_hours", 1, M1, 5.0),
            ("response_time_137_hours", 2, M1, 9.0),
            ("response_time_137_hours", 2, M2, 9.0),
            ("response_time_137_hours", 1, M3, 20.0),
            ("response_time_137_hours", 2, M3, 9.0),
        ]
    )
    history = district.rank_history(rows, TIME, 1)
    assert history["period"].tolist() == [M1, M3]  # M2 missing: absent, never rank 0
    assert history["rank"].tolist() == [1, 2]
    assert district.rank_history(rows, NEUTRAL, 1).empty


def test_each_small_chart_carries_the_title_of_the_metric_it_draws():
    catalog = dict(list(CATALOG.items())[:5])
    mine = months([(code, 1, M1, float(i)) for i, code in enumerate(catalog)])
    bands = district.monthly_bands(mine)
    fig = charts.district_small_multiples(mine[["metric", "period", "value"]], bands, catalog, [M1], "منطقه ۱")
    mine_traces = [t for t in fig["data"] if t.get("name") == "منطقه ۱"]
    for i, code in enumerate(catalog):
        title = next(a for a in fig["layout"]["annotations"] if a["text"] == charts.wrap_title(catalog[code].name_fa))
        trace = mine_traces[i]
        axis = "xaxis" if trace["xaxis"] == "x" else f"xaxis{trace['xaxis'][1:]}"
        domain = fig["layout"][axis]["domain"]
        assert domain[0] <= title["x"] <= domain[1], f"{code}: its title is not over its chart"
        assert trace["y"][0] == float(i)
    assert fig["layout"]["xaxis"]["domain"][0] > 0.5  # the first metric on the right, as Persian reads


def test_small_charts_leave_unreported_months_as_gaps_and_serialise_without_nan():
    import json

    catalog = dict(list(CATALOG.items())[:1])
    mine = months([("reports_submitted", 1, M1, 3.0), ("reports_submitted", 1, M3, 4.0)])
    fig = charts.district_small_multiples(
        mine[["metric", "period", "value"]], district.monthly_bands(mine), catalog, [M1, M2, M3], "x"
    )
    own = next(t for t in fig["data"] if t.get("name") == "x")
    assert own["y"] == [3.0, None, 4.0]
    json.dumps(fig, allow_nan=False)  # plotly.js reads null as a gap; NaN would not parse
