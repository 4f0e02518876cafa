import dataclasses

import pandas as pd
import pytest

from monitoring import districts, metrics
from monitoring.rankings import district_profile, effective_measure, rank_districts

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
    ranked = rank_districts(df, REF, COUNT, months_in_period=3)
    assert ranked.set_index("district").loc[[1, 2], "complete"].tolist() == [True, False]


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
