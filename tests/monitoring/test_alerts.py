"""Alerts on small hand-made data with known answers: anomalies, movers, targets, the attention list."""

from __future__ import annotations

import math
import warnings

import pandas as pd
import pytest

from monitoring import alerts
from monitoring.calendar import Period, add_months, month_start
from monitoring.config import settings_from_env
from monitoring.metrics import Metric

NEWS = Metric("news", "اخبار منتشرشده", "News", "خبر", "sum", "higher", 0, True)
RESOLVED = Metric("resolved", "درصد رسیدگی", "Resolved (%)", "درصد", "mean", "higher", 1, False)
RESPONSE = Metric("response", "زمان پاسخ", "Response time", "ساعت", "mean", "lower", 1, False)
REQUESTS = Metric("requests", "درخواست‌ها", "Requests", "درخواست", "sum", "neutral", 0, True)
CATALOG = {m.code: m for m in (NEWS, RESOLVED, RESPONSE, REQUESTS)}

ABAN_1404 = Period.month(1404, 8)
TWELVE_BEFORE_ABAN = [add_months(1404, 8, -k) for k in range(12, 0, -1)]  # Aban 1403 .. Mehr 1404


def obs(*items: tuple[str, int, tuple[int, int], float]) -> pd.DataFrame:
    """(metric, district, (year, month), value) rows, as ``store.district_month_values`` returns them."""
    return pd.DataFrame(
        [(m, d, month_start(*ym), float(v)) for m, d, ym, v in items], columns=["metric", "district", "period", "value"]
    )


def history(metric: str, district: int, values: list[float | None], now: float) -> pd.DataFrame:
    """12 months before Aban 1404 (None: not reported), then Aban 1404 itself."""
    rows = [(metric, district, ym, v) for ym, v in zip(TWELVE_BEFORE_ABAN, values, strict=True) if v is not None]
    return obs(*rows, (metric, district, (1404, 8), now))


STEADY = [50, 52, 48, 51, 49, 50, 53, 47, 50, 51, 49, 50]  # median 50, MAD 1


# ---------------------------------------------------------------- anomalies


def test_a_value_far_from_the_districts_own_year_is_an_anomaly_and_a_fall_is_bad_news():
    found = alerts.anomalies(history("news", 7, STEADY, 20), CATALOG, ABAN_1404)
    assert len(found) == 1
    row = found.iloc[0]
    assert (row["metric"], row["district"], row["period"]) == ("news", 7, "1404-08")
    assert row["median"] == 50 and row["mad"] == 1 and row["history"] == 12
    assert row["z"] == pytest.approx(0.6745 * (20 - 50) / 1)
    assert (row["method"], row["direction"], row["tone"]) == ("mad", "down", "bad")


def test_periods_given_as_timestamps_read_as_the_stores_dates():
    data = history("news", 7, STEADY, 20)
    data["period"] = pd.to_datetime(data["period"])
    assert len(alerts.anomalies(data, CATALOG, ABAN_1404)) == 1
    assert len(alerts.movers(data, CATALOG, ABAN_1404)) == 2
    assert alerts.attention(ABAN_1404, CATALOG, data).totals["anomaly"] == 1


def test_a_value_within_the_usual_spread_is_not_an_anomaly():
    assert alerts.anomalies(history("news", 7, STEADY, 52), CATALOG, ABAN_1404).empty


def test_the_threshold_is_configurable():
    data = history("news", 7, STEADY, 55)  # z = 0.6745 × 5 = 3.37
    assert alerts.anomalies(data, CATALOG, ABAN_1404).empty
    assert len(alerts.anomalies(data, CATALOG, ABAN_1404, anomaly_z=3.0)) == 1


def test_a_history_shorter_than_the_minimum_is_left_alone():
    five = [None] * 7 + [50, 52, 48, 51, 49]
    data = history("news", 7, five, 500)
    assert alerts.anomalies(data, CATALOG, ABAN_1404).empty  # default minimum: 6 months
    assert len(alerts.anomalies(data, CATALOG, ABAN_1404, min_history=5)) == 1


def test_months_not_reported_are_not_zeros_in_the_history():
    gappy = [50, None, 52, None, 48, None, 51, None, 49, None, 50, None]
    assert alerts.anomalies(history("news", 7, gappy, 50), CATALOG, ABAN_1404).empty
    found = alerts.anomalies(history("news", 7, gappy, 10), CATALOG, ABAN_1404)
    assert found["history"].tolist() == [6]


def test_zero_mad_falls_back_to_the_mean_absolute_deviation_without_dividing_by_zero():
    mostly_ten = [10] * 9 + [12, 8, 10]  # MAD 0, mean absolute deviation 4/12
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert alerts.anomalies(history("news", 7, mostly_ten, 11), CATALOG, ABAN_1404).empty  # z ≈ 2.4
        found = alerts.anomalies(history("news", 7, mostly_ten, 13), CATALOG, ABAN_1404)
    assert found["method"].tolist() == ["mean_ad"]
    assert found["z"].iloc[0] == pytest.approx(3 / (1.253314 * 4 / 12))


def test_a_flat_history_flags_only_a_change_beyond_the_tolerance():
    flat = [100.0] * 12
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert alerts.anomalies(history("resolved", 3, flat, 99), CATALOG, ABAN_1404).empty  # within 5%
        found = alerts.anomalies(history("resolved", 3, flat, 90), CATALOG, ABAN_1404)
    assert found["method"].tolist() == ["flat"] and found["z"].iloc[0] == -math.inf
    assert found["tone"].iloc[0] == "bad"
    looser = alerts.anomalies(history("resolved", 3, flat, 90), CATALOG, ABAN_1404, flat_tolerance=0.2)
    assert looser.empty


def test_a_first_nonzero_value_after_a_year_of_zeros_is_an_anomaly():
    found = alerts.anomalies(history("news", 3, [0.0] * 12, 1), CATALOG, ABAN_1404)
    assert found["method"].tolist() == ["flat"] and found["tone"].tolist() == ["good"]


def test_anomaly_tone_follows_the_metrics_direction():
    slow = history("response", 5, [24, 25, 23, 24, 26, 24, 25, 23, 24, 24, 25, 23], 60)
    fast = history("response", 6, [24, 25, 23, 24, 26, 24, 25, 23, 24, 24, 25, 23], 5)
    busy = history("requests", 7, STEADY, 200)
    found = alerts.anomalies(pd.concat([slow, fast, busy]), CATALOG, ABAN_1404).set_index("district")
    assert found.loc[5, "tone"] == "bad" and found.loc[5, "direction"] == "up"  # a longer wait
    assert found.loc[6, "tone"] == "good" and found.loc[6, "direction"] == "down"
    assert found.loc[7, "tone"] == "neutral"


def test_every_month_of_a_season_is_checked_against_its_own_previous_twelve():
    season = Period.season(1404, 3)  # Mehr, Aban, Azar 1404
    rows = [("news", 1, add_months(1404, 7, -k), 50 + k % 3) for k in range(1, 13)]
    rows += [("news", 1, (1404, 7), 51), ("news", 1, (1404, 8), 5), ("news", 1, (1404, 9), 50)]
    found = alerts.anomalies(obs(*rows), CATALOG, season)
    assert found["period"].tolist() == ["1404-08"]


# ---------------------------------------------------------------- movers


def test_movers_in_both_directions_ranked_by_size():
    data = obs(
        ("news", 1, (1404, 7), 100),
        ("news", 1, (1404, 8), 150),  # +50%
        ("news", 2, (1404, 7), 100),
        ("news", 2, (1404, 8), 60),  # -40%
        ("news", 3, (1404, 7), 100),
        ("news", 3, (1404, 8), 101),  # +1%
    )
    moved = alerts.movers(data, CATALOG, ABAN_1404, against=("previous",), min_change=0.0)
    assert moved["district"].tolist() == [1, 2, 3]
    assert moved["change"].tolist() == pytest.approx([0.5, -0.4, 0.01])
    assert moved["direction"].tolist() == ["up", "down", "up"]
    assert moved["tone"].tolist() == ["good", "bad", "good"]
    # by default a change must be at least 25% to be a mover: the 1% is not listed
    assert alerts.movers(data, CATALOG, ABAN_1404, against=("previous",))["district"].tolist() == [1, 2]


def test_a_mover_needs_both_a_meaningful_size_and_a_meaningful_base():
    data = obs(
        ("news", 1, (1404, 7), 20),
        ("news", 1, (1404, 8), 18),  # −10% from 20: too small a change
        ("news", 2, (1404, 7), 12),
        ("news", 2, (1404, 8), 30),  # +150% from 12: too small a base for a count
        ("news", 3, (1404, 7), 40),
        ("news", 3, (1404, 8), 20),  # −50% from 40: a mover
    )
    moved = alerts.movers(data, CATALOG, ABAN_1404, against=("previous",))
    assert moved["district"].tolist() == [3]
    looser = alerts.movers(data, CATALOG, ABAN_1404, against=("previous",), min_base=10, min_change=0.05)
    assert looser["district"].tolist() == [2, 3, 1]  # ordered by size: 150%, 50%, 10%
    assert moved["compared"].unique().tolist() == ["1404-07"]


def test_a_district_that_did_not_report_last_period_is_not_a_mover():
    data = obs(("news", 1, (1404, 7), 100), ("news", 1, (1404, 8), 130), ("news", 4, (1404, 8), 900))
    moved = alerts.movers(data, CATALOG, ABAN_1404, against=("previous",))
    assert moved["district"].tolist() == [1]  # district 4's missing Mehr is not a zero


def test_the_year_earlier_comparison_crosses_the_jalali_year_boundary():
    farvardin = Period.month(1405, 1)
    data = obs(("news", 9, (1404, 12), 80), ("news", 9, (1404, 1), 40), ("news", 9, (1405, 1), 50))
    moved = alerts.movers(data, CATALOG, farvardin).set_index("against")
    assert moved.loc["previous", "compared"] == "1404-12"  # Esfand 1404
    assert moved.loc["previous", "change"] == pytest.approx(-0.375)
    assert moved.loc["year", "compared"] == "1404-01"  # Farvardin 1404
    assert moved.loc["year", "change"] == pytest.approx(0.25)


def test_a_season_is_compared_like_for_like_over_the_months_reported_in_both():
    summer, spring = Period.season(1404, 2), Period.season(1404, 1)
    data = obs(
        *[("news", 2, (1404, m), 100) for m in (1, 2, 3)],  # spring: 3 months of 100
        ("news", 2, (1404, 4), 130),
        ("news", 2, (1404, 5), 130),  # summer: Shahrivar not reported
    )
    row = alerts.movers(data, CATALOG, summer, against=("previous",)).iloc[0]
    assert row["compared"] == spring.code and row["months"] == 2
    assert (row["value"], row["base"]) == (260, 200) and row["change"] == pytest.approx(0.3)


def test_a_fall_in_a_lower_is_better_metric_is_good_and_a_neutral_metric_is_not_judged():
    data = obs(
        ("response", 1, (1404, 7), 30),
        ("response", 1, (1404, 8), 20),
        ("requests", 1, (1404, 7), 100),
        ("requests", 1, (1404, 8), 50),
    )
    moved = alerts.movers(data, CATALOG, ABAN_1404, against=("previous",)).set_index("metric")
    assert moved.loc["response", "tone"] == "good" and moved.loc["response", "direction"] == "down"
    assert moved.loc["requests", "tone"] == "neutral"


def test_counts_too_small_for_a_percentage_and_zero_bases_are_left_out():
    data = obs(
        ("news", 1, (1404, 7), 3),
        ("news", 1, (1404, 8), 9),
        ("resolved", 1, (1404, 7), 0),
        ("resolved", 1, (1404, 8), 50),
    )
    assert alerts.movers(data, CATALOG, ABAN_1404, against=("previous",)).empty
    assert len(alerts.movers(data, CATALOG, ABAN_1404, against=("previous",), min_base=3)) == 1


def test_a_year_is_compared_once_with_the_year_before():
    year = Period.whole_year(1404)
    data = obs(("news", 1, (1403, 5), 100), ("news", 1, (1404, 5), 130))
    moved = alerts.movers(data, CATALOG, year)
    assert len(moved) == 1 and moved["compared"].tolist() == ["1403"]


# ---------------------------------------------------------------- targets


def targets(*items: tuple[str, int, tuple[int, int], float]) -> pd.DataFrame:
    return obs(*items)  # the same columns: metric, district, period, value


def test_targets_met_nearly_met_missed_and_not_reported():
    goals = targets(*[("news", d, (1404, 8), 100) for d in (1, 2, 3, 4)])
    values = obs(("news", 1, (1404, 8), 105), ("news", 2, (1404, 8), 95), ("news", 3, (1404, 8), 80))
    got = alerts.target_attainment(goals, values, CATALOG).set_index("district")
    assert got.loc[1, "light"] == "green" and got.loc[1, "attainment"] == pytest.approx(1.05)
    assert got.loc[2, "light"] == "amber" and got.loc[2, "attainment"] == pytest.approx(0.95)
    assert got.loc[3, "light"] == "red" and got.loc[3, "attainment"] == pytest.approx(0.8)
    assert got.loc[4, "light"] == "not_reported" and math.isnan(got.loc[4, "value"])  # never red, never zero


def test_lower_is_better_attainment_is_target_over_value():
    goals = targets(("response", 1, (1404, 8), 24), ("response", 2, (1404, 8), 24))
    values = obs(("response", 1, (1404, 8), 30), ("response", 2, (1404, 8), 20))
    got = alerts.target_attainment(goals, values, CATALOG).set_index("district")
    assert got.loc[1, "attainment"] == pytest.approx(0.8) and got.loc[1, "light"] == "red"  # a longer wait
    assert got.loc[2, "attainment"] == pytest.approx(1.2) and got.loc[2, "light"] == "green"


def test_a_city_wide_target_is_held_against_the_city_figure():
    goals = targets(("news", 0, (1404, 8), 300), ("resolved", 0, (1404, 8), 80))
    values = obs(
        ("news", 1, (1404, 8), 100),
        ("news", 2, (1404, 8), 120),
        ("news", 3, (1404, 8), 90),
        ("resolved", 1, (1404, 8), 70),
        ("resolved", 2, (1404, 8), 90),
    )
    got = alerts.target_attainment(goals, values, CATALOG, districts_total=3).set_index("metric")
    assert got.loc["news", "value"] == 310 and got.loc["news", "light"] == "green"  # a count: the sum
    assert got.loc["resolved", "value"] == 80 and got.loc["resolved", "light"] == "green"  # a rate: the mean


def test_a_late_district_cannot_make_the_city_miss_a_count_target():
    goals = targets(("news", 0, (1404, 8), 300))
    values = obs(("news", 1, (1404, 8), 100), ("news", 2, (1404, 8), 120))  # district 3 has not reported
    got = alerts.target_attainment(goals, values, CATALOG, districts_total=3)
    assert got["light"].tolist() == ["not_reported"]


def test_traffic_light_thresholds_are_configurable():
    goals = targets(("news", 1, (1404, 8), 100))
    values = obs(("news", 1, (1404, 8), 105))
    got = alerts.target_attainment(goals, values, CATALOG, green=1.1, amber=1.0)
    assert got["light"].tolist() == ["amber"]


def test_a_season_target_is_compared_over_the_months_with_a_figure():
    goals = targets(*[("news", 1, (1404, m), 100) for m in (7, 8, 9)])
    values = obs(("news", 1, (1404, 7), 100), ("news", 1, (1404, 8), 90))  # Azar not reported
    row = alerts.target_attainment(goals, values, CATALOG).iloc[0]
    assert (row["months"], row["months_compared"], row["target"], row["value"]) == (3, 2, 200, 190)
    assert row["light"] == "amber"


def test_a_neutral_metrics_target_shows_attainment_without_a_light():
    got = alerts.target_attainment(
        targets(("requests", 1, (1404, 8), 100)), obs(("requests", 1, (1404, 8), 50)), CATALOG
    )
    assert got["light"].tolist() == ["neutral"] and got["attainment"].tolist() == [0.5]


def test_a_zero_target_or_a_zero_wait_is_judged_without_dividing_by_zero():
    assert alerts.light_of(NEWS, 0, 0) == (pytest.approx(float("nan"), nan_ok=True), "green")
    assert alerts.light_of(RESPONSE, 0, 24)[1] == "green"


# ---------------------------------------------------------------- the attention list


def reporting(states: dict[int, tuple[str, int]], days: dict[int, int] | None = None) -> pd.DataFrame:
    frame = pd.DataFrame(
        [(d, f"منطقه {d}", reported, state) for d, (state, reported) in states.items()],
        columns=["district", "name_fa", "reported", "state"],
    )
    if days is not None:
        frame["days_overdue"] = frame["district"].map(days)
    return frame


def busy_month() -> pd.DataFrame:
    """Aban 1404 and the year before it: district 7's news collapses, district 8's rise, district 9 steady."""
    rows = []
    for d, now in ((7, 10), (8, 80), (9, 50)):
        for ym, v in zip(TWELVE_BEFORE_ABAN, STEADY, strict=True):
            rows.append(("news", d, ym, v))
        rows.append(("news", d, (1404, 8), now))
    return obs(*rows)


def test_attention_lists_each_kind_with_a_persian_sentence_and_what_to_link_to():
    goals = targets(("news", 9, (1404, 8), 100))
    status = reporting({3: ("missing", 0), 4: ("partial", 2), 7: ("complete", 4)}, days={3: 12, 4: 0, 7: 0})
    found = alerts.attention(ABAN_1404, CATALOG, busy_month(), goals, status, names={7: "منطقه ۷"})
    items = found.items
    assert items["kind"].tolist() == [
        "missing_report",
        "missing_report",
        "missed_target",
        "anomaly",
        "anomaly",
        "mover",
        "mover",
    ]
    missing = items.iloc[0]
    assert missing["district"] == 3 and missing["period"] == "1404-08" and missing["severity"] == 3
    assert "link" not in items.columns  # the domain builds no URL: ui.links makes it from these
    assert "آبان ۱۴۰۴" in missing["text"] and "۱۲ روز" in missing["text"]
    assert "۲ از ۴ شاخص" in items.iloc[1]["text"]
    target = items.iloc[2]
    assert target["district"] == 9 and target["severity"] == 3 and "۵۰٪" in target["text"]
    anomaly = items.iloc[3]
    assert anomaly["district"] == 7 and anomaly["tone"] == "bad"  # the fall first
    assert (anomaly["metric"], anomaly["period"]) == ("news", "1404-08")
    assert "منطقه ۷" in anomaly["text"] and "اخبار منتشرشده" in anomaly["text"] and "بدتر از معمول" in anomaly["text"]
    assert items.iloc[5]["tone"] == "bad" and items.iloc[6]["tone"] == "good"  # a fall, then a rise
    assert found.totals == {"missing_report": 2, "missed_target": 1, "anomaly": 2, "mover": 2}


def test_attention_keeps_the_top_of_each_kind_and_says_how_many_more():
    found = alerts.attention(ABAN_1404, CATALOG, busy_month(), top=1)
    assert found.items["kind"].tolist() == ["anomaly", "mover"]
    assert found.more("anomaly") == 1 and found.more("mover") == 1 and found.more("missed_target") == 0


def test_movers_alternate_falls_and_rises_so_both_directions_show():
    rows = []
    for d, now in ((1, 50), (2, 60), (3, 70), (4, 150), (5, 140)):
        rows += [("news", d, (1404, 7), 100), ("news", d, (1404, 8), now)]
    items = alerts.attention(ABAN_1404, CATALOG, obs(*rows), top=3).items
    assert items["district"].tolist() == [1, 4, 2]


def test_a_district_page_gets_only_its_own_alerts():
    found = alerts.attention(ABAN_1404, CATALOG, busy_month(), district=8, top=None)
    assert set(found.items["district"]) == {8} and len(found.items) == 2


def _same(a: alerts.Attention, b: alerts.Attention) -> None:
    pd.testing.assert_frame_equal(a.items.reset_index(drop=True), b.items.reset_index(drop=True))
    assert a.totals == b.totals


@pytest.mark.parametrize("district", [3, 4, 7, 8, 9, 0, 15])
def test_a_districts_alerts_cut_from_the_citys_are_what_it_would_be_given_alone(district):
    """The district page reads its lines out of the city's alerts, worked out once a period."""
    goals = targets(("news", 9, (1404, 8), 100), ("news", 0, (1404, 8), 1000))
    city = alerts.attention(ABAN_1404, CATALOG, busy_month(), goals, top=None)
    alone = alerts.attention(ABAN_1404, CATALOG, busy_month(), goals, top=None, district=district)
    _same(alerts.for_district(city, district), alone)
    assert set(alerts.for_district(city, district).items["district"]) <= {district}


@pytest.mark.parametrize("top", [None, 1])
def test_missing_reports_added_to_the_citys_alerts_are_what_attention_gives_with_the_status(top):
    goals = targets(("news", 9, (1404, 8), 100))
    status = reporting({3: ("missing", 0), 4: ("partial", 2), 7: ("complete", 4)}, days={3: 12, 4: 0, 7: 0})
    names = {7: "منطقه ۷"}
    city = alerts.attention(ABAN_1404, CATALOG, busy_month(), goals, top=None, names=names)
    whole = alerts.attention(ABAN_1404, CATALOG, busy_month(), goals, status, names=names, top=top)
    _same(alerts.with_missing_reports(city, status, ABAN_1404, len(CATALOG), names, top=top), whole)
    nobody_missing = reporting({7: ("complete", 4)})
    _same(
        alerts.with_missing_reports(city, nobody_missing, ABAN_1404, len(CATALOG), names),
        alerts.attention(ABAN_1404, CATALOG, busy_month(), goals, nobody_missing, names=names, top=None),
    )


def test_a_city_wide_miss_is_the_city_s_line():
    goals = targets(("news", 0, (1404, 8), 1000))
    found = alerts.attention(ABAN_1404, CATALOG, busy_month(), goals, districts_total=3)
    city = found.items[found.items["kind"] == "missed_target"].iloc[0]
    assert city["district"] == alerts.CITY and (city["metric"], city["period"]) == ("news", "1404-08")
    assert "کل شهر" in city["text"]


def test_alert_span_covers_the_year_before_and_the_period():
    assert alerts.alert_span(ABAN_1404) == (month_start(1403, 8), month_start(1404, 9))
    assert alerts.alert_span(Period.season(1405, 1)) == (month_start(1404, 1), month_start(1405, 4))


# ---------------------------------------------------------------- settings


def test_alert_settings_come_from_the_environment_and_a_typo_falls_back_to_the_default():
    settings = settings_from_env({"DASHBOARD_ANOMALY_Z": "3", "DASHBOARD_TARGET_AMBER": "80"})
    rules = alerts.AlertRules.from_settings(settings)
    assert (rules.anomaly_z, rules.amber, rules.green, rules.min_history) == (3.0, 0.8, 1.0, 6)
    assert settings_from_env({"DASHBOARD_ANOMALY_Z": "three"}).anomaly_z == 3.5
    assert settings_from_env({"DASHBOARD_ANOMALY_MIN_MONTHS": "40"}).anomaly_min_months == 6
