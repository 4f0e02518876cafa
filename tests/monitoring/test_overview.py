import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitoring import calendar, charts, districts, figures, metrics, overview
from monitoring.calendar import Period

COUNT = metrics.get("reports_submitted")
RATE = metrics.get("citizen_satisfaction")


def frame(*items):
    return pd.DataFrame(items, columns=["metric", "district", "total", "months"])


def test_city_figure_sums_counts_and_averages_rates():
    now = frame(("reports_submitted", 1, 10, 1), ("reports_submitted", 2, 30, 1))
    assert overview.city_figure(now, COUNT) == 40
    rates = frame(("citizen_satisfaction", 1, 30, 2), ("citizen_satisfaction", 2, 18, 1))
    assert overview.city_figure(rates, RATE) == pytest.approx(16.0)
    assert overview.city_figure(frame(), COUNT) is None


def monthly(*items):
    """(metric, district, (year, month), value) -> store.district_month_values rows."""
    return pd.DataFrame(
        [(m, d, calendar.month_start(*ym), v) for m, d, ym, v in items],
        columns=["metric", "district", "period", "value"],
    )


def cards_of(data, period, today):
    catalog = {"reports_submitted": COUNT, "citizen_satisfaction": RATE}
    now = figures.period_values(data, catalog, period)[["metric", "district", "total", "months"]]
    return {c.metric.code: c for c in overview.build_cards(catalog, now, data, period, today=today)}


def test_a_late_district_does_not_look_like_a_fall():
    data = monthly(
        ("reports_submitted", 1, (1404, 6), 10),
        ("reports_submitted", 2, (1404, 6), 30),
        ("reports_submitted", 1, (1404, 7), 11),  # district 2 has not reported Mehr yet
    )
    card = cards_of(data, Period.month(1404, 7), dt.date(2025, 12, 1))["reports_submitted"]
    assert card.value == 11
    assert card.change_previous == pytest.approx(0.1)
    assert card.change_last_year is None
    assert card.districts_reported == 1 and not card.complete


def test_a_running_year_is_compared_over_the_months_present_in_both_years():
    # 1405 has run 8 months; against all 12 of 1404 it would read as a fall of about a third
    data = monthly(
        *[("reports_submitted", 1, (1404, m), 100) for m in range(1, 13)],
        *[("reports_submitted", 1, (1405, m), 102) for m in range(1, 9)],
        *[("citizen_satisfaction", 1, (1404, m), 10.0 + m) for m in range(1, 13)],
        *[("citizen_satisfaction", 1, (1405, m), 10.0 + m) for m in range(1, 9)],
    )
    cards = cards_of(data, Period.whole_year(1405), dt.date(2026, 12, 4))  # 13 Azar 1405: 8 months over
    count = cards["reports_submitted"]
    assert count.running and count.coverage_label == "۸ از ۱۲ ماه"
    assert count.value == 816 and count.change_previous == pytest.approx(0.02)
    assert cards["citizen_satisfaction"].change_previous == pytest.approx(0.0)


def test_good_news_follows_the_metric_direction():
    assert overview.is_good_change(COUNT, 0.1) is True
    assert overview.is_good_change(metrics.get("response_time_137_hours"), 0.1) is False
    assert overview.is_good_change(metrics.get("requests_137"), 0.1) is None


def test_tile_map_draws_22_tiles_and_greys_the_missing():
    ref = districts.reference().reset_index(drop=True)
    values = frame(*[("reports_submitted", d, float(d), 1) for d in range(1, 21)])
    tiles = overview.district_tiles(ref, values, COUNT)
    fig = charts.tile_map(tiles, COUNT, COUNT.name_fa, 0)
    missing, partial, present = fig.data
    assert not pd.DataFrame(partial.z).notna().any().any()  # no «due» said: nothing is partial
    count = lambda z: int(pd.DataFrame(z).notna().sum().sum())  # noqa: E731
    assert count(present.z) == 20 and count(missing.z) == 2
    texts = [t for row in present.text for t in row if t]
    assert len(texts) == 20 and "<b>۷</b><br>۷" in texts
    assert sorted(t for row in missing.text for t in row if t) == ["<b>۲۱</b><br>؟", "<b>۲۲</b><br>؟"]


def test_trend_ticks_are_persian_month_names():
    periods = [calendar.month_start(*calendar.add_months(1401, 1, i)) for i in range(48)]
    vals, labels = charts.jalali_ticks(periods)
    assert 2 <= len(vals) <= 6
    assert labels[0] == "فروردین<br>۱۴۰۱"  # two short lines: they fit side by side on a phone
    assert all(label.split("<br>")[0] in calendar.MONTHS_FA for label in labels)


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [(13, 150, [50.0, 100.0, 150.0]), (0.2, 0.9, [0.2, 0.4, 0.6, 0.8]), (532, 1065, [600.0, 800.0, 1000.0])],
)
def test_nice_ticks_are_round_numbers_inside_the_range(low, high, expected):
    assert charts.nice_ticks(low, high) == pytest.approx(expected)


def test_persian_tick_labels_drop_needless_decimals():
    assert charts.persian_ticks([600.0, 800.0, 1000.0]) == ["۶۰۰", "۸۰۰", "۱٬۰۰۰"]
    assert charts.persian_ticks([0.25, 0.5]) == ["۰٫۲۵", "۰٫۵۰"]


def test_a_change_that_rounds_to_zero_is_flat_never_a_green_rise():
    count = metrics.get("reports_submitted")
    assert overview.change_tone(count, 0.0) == ("flat", "")
    assert overview.change_tone(count, 0.0004) == ("flat", "")
    assert overview.change_tone(count, 0.05) == ("good", "up")
    assert overview.change_tone(metrics.get("response_time_137_hours"), 0.05) == ("bad", "up")
    assert overview.change_tone(metrics.get("requests_137"), -0.05) == ("neutral", "down")


def test_reporting_status_tells_complete_partial_and_missing_apart():
    ref = districts.reference().reset_index(drop=True)
    values = pd.DataFrame(
        {"metric": ["a", "b", "a"], "district": [1, 1, 2], "total": [1.0, 2.0, 3.0], "months": [1, 1, 1]}
    )
    status = overview.reporting_status(ref, values, expected=2).set_index("district")
    assert status.loc[1, "state"] == "complete"
    assert status.loc[2, "state"] == "partial" and status.loc[2, "reported"] == 1
    assert (status.drop(index=[1, 2])["state"] == "missing").all()


def test_a_tile_without_a_population_says_so_rather_than_not_reported():
    ref = districts.reference().reset_index(drop=True)
    ref.loc[ref["district"] == 3, "population"] = 0
    values = frame(*[("reports_submitted", d, float(d), 1) for d in range(1, 21)])
    tiles = overview.district_tiles(ref, values, COUNT)
    tiles["missing_text"] = [
        figures.no_denominator_text("per10k") if reported and not has else "گزارش نشده"
        for reported, has in zip(
            tiles["value"].notna(),
            figures.has_denominator(tiles["population"], tiles["area_km2"], "per10k"),
            strict=True,
        )
    ]
    tiles["value"] = figures.per_measure(tiles["value"], tiles["population"], tiles["area_km2"], "per10k")
    fig = charts.tile_map(tiles, COUNT, COUNT.name_fa, 2)
    hovers = [h for row in fig.data[0].hovertext for h in row if h]
    assert any(h.startswith("منطقه ۳") and figures.NO_DENOMINATOR in h for h in hovers)
    assert any(h.startswith("منطقه ۲۱") and "گزارش نشده" in h for h in hovers)


def test_a_tile_with_only_some_months_of_a_season_says_so_on_hover():
    ref = districts.reference().reset_index(drop=True)
    values = frame(("reports_submitted", 1, 30.0, 3), ("reports_submitted", 2, 9.0, 1))
    tiles = overview.district_tiles(ref, values, COUNT)
    tiles["due"] = 3
    fig = charts.tile_map(tiles, COUNT, COUNT.name_fa, 0)
    hovers = {h.split("<br>")[0]: h for row in fig.data[1].hovertext for h in row if h}
    assert "ناقص: ۱ از ۳ ماه" in hovers["منطقه ۲"] and "ناقص" not in hovers["منطقه ۱"]


def test_a_district_with_only_some_months_due_is_not_coloured_by_its_partial_sum():
    ref = districts.reference().reset_index(drop=True)
    values = frame(
        ("reports_submitted", 1, 30.0, 3), ("reports_submitted", 2, 9.0, 1), ("reports_submitted", 3, 60.0, 3)
    )
    tiles = overview.district_tiles(ref, values, COUNT)
    tiles["due"] = 3
    fig = charts.tile_map(tiles, COUNT, COUNT.name_fa, 0)
    missing, partial, present = fig.data
    cells = lambda trace: {t for row in trace.text for t in row if t}  # noqa: E731
    assert cells(partial) == {"<b>۲</b><br>ناقص"}  # the pale dotted tile, no colour from 9
    assert not any("<b>۲</b>" in t for t in cells(present)) and len(cells(present)) == 2
    assert set(partial.colorscale[0][1:]) == {charts.PARTIAL_TILE_COLOUR} and partial.showscale is False
    assert min(present.colorbar.tickvals) >= 30  # the scale runs over complete districts only
    dotted = [s for s in fig.layout.shapes if s.line.dash == "dot"]
    assert len(dotted) == 1 and dotted[0].line.color == charts.PARTIAL_TILE_LINE
    assert {k["kind"] for k in fig.layout.meta["png_key"]} == {"missing", "partial"}  # the slide picture's key
    tiles["due"] = 1  # a month period: one month due, every reporter complete
    assert not pd.DataFrame(charts.tile_map(tiles, COUNT, COUNT.name_fa, 0).data[1].z).notna().any().any()


@given(
    months=st.one_of(st.none(), st.integers(min_value=0, max_value=12), st.just(float("nan"))),
    due=st.integers(min_value=0, max_value=12),
)
def test_a_figure_is_partial_exactly_when_some_but_not_all_months_due_were_reported(months, due):
    reported = months is not None and months == months  # NaN: not reported
    expected = reported and 0 < months < due
    assert bool(figures.is_partial(months, due)[0]) is expected
    assert figures.is_partial([months, due], due).tolist() == [expected, False]  # all due: complete
