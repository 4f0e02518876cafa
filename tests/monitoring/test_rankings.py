import dataclasses

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitoring import calendar, districts, metrics
from monitoring.calendar import Period
from monitoring.rankings import (
    INDEX_METHOD,
    change_text,
    composite_index,
    district_profile,
    effective_measure,
    format_weights,
    parse_weights,
    percentiles,
    period_values,
    previous_ranking,
    rank_changes,
    rank_districts,
    rank_history,
    recent_periods,
    standing_note,
    tier_of,
)

REF = districts.reference().reset_index(drop=True)
COUNT = metrics.get("reports_submitted")  # higher is better, per-capita allowed
RESPONSE_TIME = metrics.get("response_time_137_hours")  # lower is better
NEUTRAL = metrics.get("requests_137")


def values(mapping: dict[int, float], months: int = 1) -> pd.DataFrame:
    return pd.DataFrame({"district": list(mapping), "value": list(mapping.values()), "months": months})


def test_higher_is_better_ranks_the_largest_first():
    ranked = rank_districts(values({1: 10, 2: 30, 3: 20}), REF, COUNT)
    assert ranked["district"].tolist()[:3] == [2, 3, 1]
    assert ranked["rank"].tolist()[:3] == [1, 2, 3]


def test_lower_is_better_ranks_the_smallest_first():
    ranked = rank_districts(values({1: 10, 2: 30, 3: 20}), REF, RESPONSE_TIME)
    assert ranked["district"].tolist()[:3] == [1, 3, 2]


def test_neutral_metric_is_ordered_largest_first():
    ranked = rank_districts(values({1: 10, 2: 30}), REF, NEUTRAL)
    assert ranked["district"].tolist()[:2] == [2, 1]


def test_ties_share_the_better_rank_and_the_next_rank_is_skipped():
    ranked = rank_districts(values({1: 50, 2: 50, 3: 40, 4: 60}), REF, COUNT)
    by_district = dict(zip(ranked["district"], ranked["rank"], strict=True))
    assert by_district[4] == 1
    assert by_district[1] == by_district[2] == 2
    assert by_district[3] == 4


def test_missing_districts_are_listed_last_as_not_reported_never_zero():
    ranked = rank_districts(values({5: 0.0, 6: 3.0}), REF, COUNT)
    assert len(ranked) == 22
    assert ranked["district"].tolist()[:2] == [6, 5]
    assert ranked.loc[1, "raw"] == 0.0 and bool(ranked.loc[1, "reported"])  # a real zero is ranked
    rest = ranked.iloc[2:]
    assert not rest["reported"].any()
    assert rest["raw"].isna().all() and rest["rank"].isna().all()
    assert rest["district"].tolist() == sorted(rest["district"])


def test_per_10k_residents_lets_a_small_district_beat_a_big_one():
    # district 5 has 856,565 residents, district 9 has 174,115
    raw = values({5: 400, 9: 100})
    assert rank_districts(raw, REF, COUNT, "raw")["district"].tolist()[:2] == [5, 9]
    per10k = rank_districts(raw, REF, COUNT, "per10k")
    assert per10k["district"].tolist()[:2] == [9, 5]
    assert per10k.loc[0, "value"] == pytest.approx(100 / 174115 * 10_000)


def test_per_km2_divides_by_area():
    ranked = rank_districts(values({10: 81.0}), REF, COUNT, "perkm2")
    assert ranked.loc[0, "value"] == pytest.approx(10.0)  # district 10 is 8.1 km²


def test_rates_are_never_divided_by_population():
    satisfaction = metrics.get("citizen_satisfaction")
    assert effective_measure(satisfaction, "per10k") == "raw"
    ranked = rank_districts(values({1: 15.0}), REF, satisfaction, "per10k")
    assert ranked.loc[0, "value"] == 15.0


def test_partial_periods_are_flagged_incomplete():
    df = pd.DataFrame({"district": [1, 2], "value": [30.0, 20.0], "months": [3, 2]})
    ranked = rank_districts(df, REF, COUNT, due=3).set_index("district")
    assert ranked.loc[[1, 2], "complete"].tolist() == [True, False]
    # a district missing a month is listed apart with its completeness, never ranked
    assert ranked.loc[1, "rank"] == 1 and pd.isna(ranked.loc[2, "rank"])
    assert ranked.loc[2, "status"] == "incomplete" and "۲ از ۳ ماه" in standing_note(ranked.loc[2])


def test_direction_comes_from_the_catalog_not_the_caller():
    flipped = dataclasses.replace(COUNT, direction="lower")
    assert rank_districts(values({1: 1, 2: 2}), REF, flipped)["district"].tolist()[:2] == [1, 2]


def test_district_profile_ranks_the_district_on_every_metric_with_direction():
    catalog = {c: metrics.get(c) for c in ("reports_submitted", "response_time_137_hours", "citizen_satisfaction")}
    rows = []
    for d, reports, hours in ((1, 10, 30.0), (2, 30, 20.0), (3, 20, 40.0)):
        rows.append(("reports_submitted", d, reports, 1))
        rows.append(("response_time_137_hours", d, hours * 2, 2))  # mean over two months
    values = pd.DataFrame(rows, columns=["metric", "district", "total", "months"])
    profile = district_profile(values, REF, catalog, district=3).set_index("metric")
    assert profile.loc["reports_submitted", "rank"] == 2  # 20 is second of 10, 30, 20
    assert profile.loc["response_time_137_hours", "rank"] == 3  # 40 hours is the slowest
    assert profile.loc["response_time_137_hours", "value"] == 40.0
    assert profile.loc["reports_submitted", "ranked"] == 3
    assert not bool(profile.loc["citizen_satisfaction", "reported"])  # nobody reported it: no rank, no zero
    assert pd.isna(profile.loc["citizen_satisfaction", "rank"])


def test_district_profile_per_resident_changes_the_rank():
    catalog = {"reports_submitted": COUNT}
    values = pd.DataFrame({"metric": "reports_submitted", "district": [5, 9], "total": [400, 100], "months": 1})
    assert district_profile(values, REF, catalog, 9, "raw").loc[0, "rank"] == 2
    assert district_profile(values, REF, catalog, 9, "per10k").loc[0, "rank"] == 1


def test_neutral_metric_is_shown_but_carries_no_rank():
    ranked = rank_districts(values({1: 10, 2: 30}), REF, NEUTRAL)
    assert ranked["rank"].isna().all()
    assert ranked["reported"].sum() == 2


def test_a_district_profile_leaves_neutral_metrics_unranked():
    rows = pd.DataFrame(
        {
            "metric": ["requests_137", "reports_submitted"] * 2,
            "district": [1, 1, 2, 2],
            "total": [5.0, 9.0, 7.0, 3.0],
            "months": 1,
        }
    )
    catalog = metrics.catalog()
    profile = district_profile(rows, REF, catalog, 1).set_index("metric")
    assert pd.isna(profile.loc["requests_137", "rank"])
    assert profile.loc["reports_submitted", "rank"] == 1


@pytest.mark.parametrize(
    ("rank", "ranked", "tone"), [(1, 22, "good"), (22, 22, "bad"), (11, 22, "middle"), (None, 22, "none")]
)
def test_rank_tone_reads_the_place_not_just_the_fact_of_a_rank(rank, ranked, tone):
    from monitoring.rankings import rank_tone

    assert rank_tone(rank, ranked) == tone


# ---------------------------------------------------------------- rank change and rank history


def monthly(rows: dict[tuple[int, int], dict[int, float]]) -> pd.DataFrame:
    """``store.district_months`` rows from {(year, month): {district: value}}."""
    return pd.DataFrame(
        [
            {"district": d, "period": calendar.month_start(y, m), "value": v}
            for (y, m), by_district in rows.items()
            for d, v in by_district.items()
        ]
    )


def test_previous_period_has_the_same_length_across_the_jalali_year_boundary():
    assert Period.month(1405, 1).previous() == Period.month(1404, 12)
    assert Period.season(1405, 1).previous() == Period.season(1404, 4)
    assert Period.whole_year(1405).previous() == Period.whole_year(1404)


def test_rank_change_counts_places_moved_up_and_down_across_the_year_boundary():
    # Esfand 1404 -> Farvardin 1405: district 3 climbs from third to first, district 1 falls to third
    months = monthly({(1404, 12): {1: 30, 2: 20, 3: 10}, (1405, 1): {1: 10, 2: 20, 3: 30}})
    now = Period.month(1405, 1)
    current = rank_districts(period_values(months, [now], "sum"), REF, COUNT)
    before = previous_ranking(months, REF, COUNT, now.previous())
    change = dict(zip(current["district"], rank_changes(current, before), strict=True))
    assert change[3] == 2 and change[2] == 0 and change[1] == -2
    assert [change_text(change[d]) for d in (3, 2, 1)] == ["↑۲", "بی‌تغییر", "↓۲"]


def test_a_season_is_compared_with_the_winter_of_the_year_before():
    # winter 1404 is Dey, Bahman, Esfand 1404; spring 1405 is Farvardin to Khordad 1405
    months = monthly(
        {
            (1404, 10): {1: 5, 2: 1},
            (1404, 11): {1: 5, 2: 1},
            (1404, 12): {1: 5, 2: 1},
            (1405, 1): {1: 1, 2: 5},
            (1405, 2): {1: 1, 2: 5},
            (1405, 3): {1: 1, 2: 5},
        }
    )
    spring = Period.season(1405, 1)
    current = rank_districts(period_values(months, [spring], "sum"), REF, COUNT, due=3)
    change = dict(
        zip(
            current["district"],
            rank_changes(current, previous_ranking(months, REF, COUNT, spring.previous())),
            strict=True,
        )
    )
    assert change[2] == 1 and change[1] == -1


def test_a_district_unranked_in_either_period_shows_no_change_never_a_made_up_one():
    months = monthly({(1404, 7): {1: 10, 2: 20}, (1404, 8): {1: 30, 3: 5}})
    now = Period.month(1404, 8)
    current = rank_districts(period_values(months, [now], "sum"), REF, COUNT)
    change = dict(
        zip(
            current["district"],
            rank_changes(current, previous_ranking(months, REF, COUNT, now.previous())),
            strict=True,
        )
    )
    assert change[1] == 1  # second of two in Mehr, first in Aban
    assert pd.isna(change[3])  # did not report Mehr
    assert pd.isna(change[2])  # did not report Aban
    assert pd.isna(change[4])  # reported neither
    assert change_text(change[3]) == "—"


def test_rank_change_of_tied_districts_uses_the_shared_rank():
    months = monthly({(1404, 7): {1: 10, 2: 20, 3: 30}, (1404, 8): {1: 50, 2: 50, 3: 10}})
    now = Period.month(1404, 8)
    current = rank_districts(period_values(months, [now], "sum"), REF, COUNT)
    change = dict(
        zip(
            current["district"],
            rank_changes(current, previous_ranking(months, REF, COUNT, now.previous())),
            strict=True,
        )
    )
    assert change[1] == 2 and change[2] == 1 and change[3] == -2  # 3,2,1 -> 1,1,3


def test_rank_change_of_a_lower_is_better_metric_rewards_a_falling_value():
    months = monthly({(1404, 7): {1: 10.0, 2: 20.0}, (1404, 8): {1: 30.0, 2: 20.0}})
    now = Period.month(1404, 8)
    current = rank_districts(period_values(months, [now], "mean"), REF, RESPONSE_TIME)
    change = dict(
        zip(
            current["district"],
            rank_changes(current, previous_ranking(months, REF, RESPONSE_TIME, now.previous())),
            strict=True,
        )
    )
    assert change[2] == 1 and change[1] == -1


def test_a_neutral_metric_has_no_rank_change():
    months = monthly({(1404, 7): {1: 10, 2: 20}, (1404, 8): {1: 30, 2: 20}})
    now = Period.month(1404, 8)
    current = rank_districts(period_values(months, [now], "sum"), REF, NEUTRAL)
    assert rank_changes(current, previous_ranking(months, REF, NEUTRAL, now.previous())).isna().all()


def test_period_values_group_months_into_jalali_seasons_summing_or_averaging():
    months = monthly({(1404, 1): {1: 10, 2: 4}, (1404, 2): {1: 20}, (1404, 4): {1: 99}})
    spring = Period.season(1404, 1)
    summed = period_values(months, [spring], "sum").set_index("district")
    assert summed.loc[1, "value"] == 30 and summed.loc[1, "months"] == 2
    assert summed.loc[2, "value"] == 4 and summed.loc[2, "months"] == 1
    assert set(summed["period"]) == {"1404-Q1"}  # Tir (summer) is outside
    assert period_values(months, [spring], "mean").set_index("district").loc[1, "value"] == 15


def test_recent_periods_are_twelve_of_the_same_kind_ending_with_the_chosen_one():
    seasons = recent_periods(Period.season(1405, 2))
    assert len(seasons) == 12 and seasons[-1] == Period.season(1405, 2) and seasons[0] == Period.season(1402, 3)
    months = recent_periods(Period.month(1405, 3))
    assert [p.code for p in months[:2]] == ["1404-04", "1404-05"]
    # periods that end before the data begins are left out
    assert recent_periods(Period.whole_year(1405), first=calendar.month_start(1401, 1))[0] == Period.whole_year(1401)


def test_rank_history_leaves_a_gap_where_a_district_did_not_report_never_rank_zero():
    months = monthly({(1404, 7): {1: 10, 2: 20}, (1404, 8): {1: 30}, (1404, 9): {1: 1, 2: 2}})
    periods = [Period.month(1404, m) for m in (7, 8, 9)]
    history = rank_history(months, REF, COUNT, periods)
    two = history[history["district"] == 2].set_index("period")["rank"]
    assert two["1404-07"] == 1 and pd.isna(two["1404-08"]) and two["1404-09"] == 1
    assert (history["rank"].dropna() >= 1).all()
    assert history.groupby("period")["ranked"].first().to_dict() == {"1404-07": 2, "1404-08": 1, "1404-09": 2}
    assert history.drop_duplicates("period")["label"].tolist() == ["مهر ۱۴۰۴", "آبان ۱۴۰۴", "آذر ۱۴۰۴"]


def test_rank_history_per_resident_lets_a_small_district_lead():
    months = monthly({(1404, 7): {5: 400, 9: 100}})  # district 9 is a fifth of district 5
    period = [Period.month(1404, 7)]
    raw = rank_history(months, REF, COUNT, period).set_index("district")["rank"]
    per10k = rank_history(months, REF, COUNT, period, "per10k").set_index("district")["rank"]
    assert raw[5] == 1 and per10k[9] == 1


# ---------------------------------------------------------------- composite index


CATALOG = metrics.catalog()


def metric_rows(data: dict[str, dict[int, float]], months: int = 1) -> pd.DataFrame:
    """``store.metric_district_values`` rows from {metric: {district: total}}."""
    return pd.DataFrame(
        [{"metric": m, "district": d, "total": v, "months": months} for m, by in data.items() for d, v in by.items()]
    )


def test_percentiles_run_from_100_for_the_best_to_0_for_the_worst_reversed_when_lower_is_better():
    rows = metric_rows({"reports_submitted": {1: 10, 2: 20, 3: 30}, "response_time_137_hours": {1: 10, 2: 20, 3: 30}})
    pct = percentiles(rows, REF, CATALOG).set_index(["metric", "district"])["percentile"]
    assert [pct["reports_submitted", d] for d in (1, 2, 3)] == [0, 50, 100]
    assert [pct["response_time_137_hours", d] for d in (1, 2, 3)] == [100, 50, 0]


def test_percentiles_share_ties_and_put_a_lone_district_in_the_middle():
    pct = percentiles(metric_rows({"reports_submitted": {1: 5, 2: 5, 3: 9}}), REF, CATALOG)
    by = pct.set_index("district")["percentile"]
    assert by[1] == by[2] == 25 and by[3] == 100
    alone = percentiles(metric_rows({"reports_submitted": {4: 5}}), REF, CATALOG)
    assert alone["percentile"].tolist() == [50]


def test_composite_weights_decide_who_leads():
    rows = metric_rows({"reports_submitted": {1: 30, 2: 10}, "citizen_satisfaction": {1: 10, 2: 18}})
    first = composite_index(rows, REF, CATALOG, {"reports_submitted": 3, "citizen_satisfaction": 1})
    assert first["district"].tolist()[:2] == [1, 2]
    assert first.set_index("district").loc[1, "index"] == 75.0  # (3×100 + 1×0) / 4
    second = composite_index(rows, REF, CATALOG, {"reports_submitted": 1, "citizen_satisfaction": 3})
    assert second["district"].tolist()[:2] == [2, 1]


def test_composite_is_direction_aware_and_per_resident_when_asked():
    rows = metric_rows({"response_time_137_hours": {1: 10, 2: 40}, "reports_submitted": {5: 400, 9: 100}})
    fast = composite_index(rows, REF, CATALOG, {"response_time_137_hours": 1}).set_index("district")
    assert fast.loc[1, "index"] == 100 and fast.loc[2, "index"] == 0
    raw = composite_index(rows, REF, CATALOG, {"reports_submitted": 1}).set_index("district")
    per10k = composite_index(rows, REF, CATALOG, {"reports_submitted": 1}, "per10k").set_index("district")
    perkm2 = composite_index(rows, REF, CATALOG, {"reports_submitted": 1}, "perkm2").set_index("district")
    assert raw.loc[5, "index"] == 100 and per10k.loc[9, "index"] == 100
    # district 5 has 856,565 residents on 29.6 km², district 9 174,115 on 19.6 km²
    assert perkm2.loc[5, "index"] == 100


def test_a_district_missing_some_metrics_needs_half_the_weight_else_it_is_not_reported():
    rows = metric_rows(
        {
            "reports_submitted": {1: 10, 2: 20, 3: 30},
            "news_published": {1: 10, 2: 20},
            "citizen_satisfaction": {1: 10, 2: 20},
        }
    )
    weights = {"reports_submitted": 2, "news_published": 1, "citizen_satisfaction": 1}
    index = composite_index(rows, REF, CATALOG, weights).set_index("district")
    assert index.loc[3, "share"] == 0.5 and bool(index.loc[3, "reported"])  # half the weight: enough
    assert index.loc[3, "index"] == 100  # averaged over what it reported
    assert index.loc[3, "metrics"] == 1
    heavier = composite_index(rows, REF, CATALOG, {**weights, "news_published": 2}).set_index("district")
    assert not bool(heavier.loc[3, "reported"]) and pd.isna(heavier.loc[3, "index"])  # 2 of 5: not enough
    assert heavier.loc[3, "tier"] == "گزارش نشده" and pd.isna(heavier.loc[3, "rank"])


def test_missing_districts_are_outside_the_composite_listed_last_never_zero():
    index = composite_index(metric_rows({"reports_submitted": {1: 10, 2: 20}}), REF, CATALOG, {"reports_submitted": 1})
    assert len(index) == 22 and index["reported"].sum() == 2
    rest = index.iloc[2:]
    assert rest["index"].isna().all() and rest["rank"].isna().all() and (rest["tier"] == "گزارش نشده").all()
    assert rest["district"].tolist() == sorted(rest["district"])


def test_composite_ties_share_the_better_rank():
    rows = metric_rows({"reports_submitted": {1: 10, 2: 10, 3: 5}})
    index = composite_index(rows, REF, CATALOG, {"reports_submitted": 1}).set_index("district")
    assert index.loc[1, "rank"] == index.loc[2, "rank"] == 1 and index.loc[3, "rank"] == 3


def test_neutral_metrics_and_zero_weights_do_not_count():
    rows = metric_rows({"reports_submitted": {1: 10, 2: 20}, "requests_137": {1: 99, 2: 1}})
    with_neutral = composite_index(rows, REF, CATALOG, {"reports_submitted": 1, "requests_137": 5, "news_published": 0})
    alone = composite_index(rows, REF, CATALOG, {"reports_submitted": 1})
    pd.testing.assert_frame_equal(with_neutral, alone)
    assert composite_index(rows, REF, CATALOG, {})["reported"].sum() == 0


@pytest.mark.parametrize(
    ("index", "tier"),
    [
        (100, "بسیار مطلوب"),
        (80, "بسیار مطلوب"),
        (79.9, "مطلوب"),
        (60, "مطلوب"),
        (59.9, "متوسط"),
        (40, "متوسط"),
        (39.9, "ضعیف"),
        (20, "ضعیف"),
        (19.9, "بسیار ضعیف"),
        (0, "بسیار ضعیف"),
        (None, "گزارش نشده"),
    ],
)
def test_tier_cut_points_are_quintiles_of_the_index(index, tier):
    assert tier_of(index) == tier


def test_the_tier_follows_the_index_as_shown_to_two_decimals():
    # 79.996 is shown as ۸۰٫۰۰: its tier is the one ۸۰ reads as; the index itself is kept unrounded
    rows = metric_rows({"reports_submitted": dict(zip(range(1, 8), (1, 2, 3, 4, 5, 6, 7), strict=True))})
    index = composite_index(rows, REF, CATALOG, {"reports_submitted": 1})
    for value, tier in zip(index["index"].dropna(), index["tier"], strict=False):
        assert tier == tier_of(round(value, 2))
    assert any(round(v, 1) != v for v in index["index"].dropna())  # 16.67, 33.33…: not rounded


def test_weights_read_from_a_link_drop_neutral_and_unknown_metrics_and_keep_weights_in_range():
    weights, problems = parse_weights(
        "news_published:2,requests_137:1,nope:3,citizen_satisfaction:40,media_coverage", CATALOG
    )
    assert weights == {"news_published": 2, "citizen_satisfaction": 10, "media_coverage": 1}
    assert len(problems) == 3 and all(p.fa and p.en for p in problems)
    assert parse_weights(format_weights(weights), CATALOG) == (weights, [])
    assert parse_weights("none", CATALOG) == ({}, [])
    assert parse_weights("۲:news_published", CATALOG)[0] == {}


def test_the_method_is_one_persian_sentence():
    assert INDEX_METHOD.count(".") == 1 and INDEX_METHOD.endswith(".")
    assert "صدک" in INDEX_METHOD and "وزنی" in INDEX_METHOD and "نیمی" in INDEX_METHOD


# ---------------------------------------------------------------- properties of the composite index

COMPOSITE_METRICS = ("reports_submitted", "news_published", "citizen_satisfaction", "response_time_137_hours")
figures = st.dictionaries(st.integers(1, 22), st.floats(0, 1000, allow_nan=False), min_size=1, max_size=22)
choices = st.fixed_dictionaries({code: figures for code in COMPOSITE_METRICS})
weight_sets = st.dictionaries(st.sampled_from(COMPOSITE_METRICS), st.integers(1, 10), min_size=1)


@pytest.mark.slow  # sixty composite indexes of the whole city: make test, not the fast tier
@settings(max_examples=60, deadline=None)
@given(choices, weight_sets, st.sampled_from(["raw", "per10k", "perkm2"]))
def test_the_composite_index_lies_between_0_and_100_and_only_reporting_districts_get_one(data, weights, measure):
    index = composite_index(metric_rows(data), REF, CATALOG, weights, measure)
    shown = index["index"].dropna()
    assert ((shown >= 0) & (shown <= 100)).all()
    assert len(index) == 22 and index["index"].notna().eq(index["reported"]).all()
    reporters = {d for code in weights for d in data[code]}
    assert set(index.loc[index["reported"], "district"]) <= reporters
    if index["reported"].any():
        assert index["rank"].min() == 1


@pytest.mark.slow  # sixty composite indexes of the whole city: make test, not the fast tier
@settings(max_examples=60, deadline=None)
@given(choices, weight_sets, st.integers(1, 22), st.sampled_from(COMPOSITE_METRICS), st.floats(1, 500))
def test_a_better_figure_on_one_metric_never_lowers_a_district_index(data, weights, district, code, gain):
    if district not in data[code]:
        data[code][district] = 0.0
    before = composite_index(metric_rows(data), REF, CATALOG, weights).set_index("district")
    better = dict(data[code])
    better[district] += -gain if CATALOG[code].direction == "lower" else gain
    after = composite_index(metric_rows({**data, code: better}), REF, CATALOG, weights).set_index("district")
    if before.loc[district, "reported"]:
        assert after.loc[district, "index"] >= before.loc[district, "index"]
