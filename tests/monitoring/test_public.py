"""What the public page may tell: only public metrics, a missing report as missing (never zero), the
district page's own like-for-like changes; and the English Jalali dates and figures it writes them in."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest

from monitoring import calendar, figures, metrics, public, store
from monitoring import district as district_figures
from monitoring.calendar import Period
from monitoring.reviews import Action
from tests.conftest import SAMPLE_TODAY


def _catalog(*public_codes: str) -> dict[str, metrics.Metric]:
    return {c: replace(m, public=c in public_codes) for c, m in metrics.catalog().items()}


def test_only_the_metrics_the_catalog_marks_public_are_kept_in_its_order():
    catalog = _catalog("response_time_137_hours", "news_published")
    assert list(public.public_catalog(catalog)) == ["news_published", "response_time_137_hours"]
    assert public.public_catalog(_catalog()) == {}


def test_a_district_that_did_not_report_has_no_value_not_a_zero():
    catalog = _catalog("news_published", "citizen_satisfaction")
    summaries = pd.DataFrame(
        {
            "district": [7, 7, 8],
            "metric": ["news_published", "citizen_satisfaction", "news_published"],
            "raw_now": [52.0, float("nan"), 0.0],
            "change_previous": [0.13, None, None],
            "change_last_year": [None, None, None],
        }
    )
    seven = {f.metric.code: f for f in public.district_figures(summaries, catalog, 7)}
    assert seven["news_published"].value == 52.0 and seven["news_published"].change_previous == pytest.approx(0.13)
    assert seven["citizen_satisfaction"].value is None and not seven["citizen_satisfaction"].reported
    eight = {f.metric.code: f for f in public.district_figures(summaries, catalog, 8)}
    assert eight["news_published"].value == 0.0 and eight["news_published"].reported  # a reported zero stays zero
    assert not eight["citizen_satisfaction"].reported  # no row at all: not reported
    assert [f.metric.code for f in public.district_figures(summaries, catalog, 9)] == list(
        public.public_catalog(catalog)
    )


def test_the_figures_and_changes_are_the_district_pages_own(sample_engine):
    catalog = {
        c: replace(m, public=c in ("news_published", "citizen_satisfaction"))
        for c, m in store.metric_catalog(sample_engine).items()
    }
    period = Period.month(1405, 8)
    now = store.metric_district_values(sample_engine, period.start, period.end)
    monthly = store.district_month_values(sample_engine, *figures.comparison_span(period))
    reference = store.reference_districts(sample_engine)
    summaries = district_figures.summaries(now, monthly, period, reference, catalog, today=SAMPLE_TODAY)
    shown = {f.metric.code: f for f in public.district_figures(summaries, catalog, 7)}
    assert set(shown) == {"news_published", "citizen_satisfaction"}
    for code, figure in shown.items():
        row = now[(now["metric"] == code) & (now["district"] == 7)].iloc[0]
        assert figure.value == pytest.approx(
            float(figures.value_of(row["total"], row["months"], catalog[code].aggregation))
        )
        changes = figures.district_changes(monthly, catalog, period, period.previous())
        expected = changes[(changes["metric"] == code) & (changes["district"] == 7)]["change"]
        assert figure.change_previous == pytest.approx(float(expected.iloc[0]))


def test_only_actions_marked_public_pass():
    day = dt.date(2026, 11, 2)
    kept = Action(1, 7, day, "عمرانی", "عمومی", public=True)
    hidden = Action(2, 7, day, "درونی", "درونی", public=False)
    assert public.public_only([kept, hidden]) == [kept]


# ---------------------------------------------------------------- English, still Jalali


def test_english_dates_are_jalali_with_english_month_names():
    assert calendar.month_label_en(1404, 7) == "Mehr 1404"
    assert Period.month(1404, 12).label_en == "Esfand 1404"
    assert Period.season(1404, 3).label_en == "Autumn 1404"
    assert Period.whole_year(1404).label_en == "Year 1404"
    leap_day = calendar.month_start(1403, 12) + dt.timedelta(days=29)  # 30 Esfand 1403, a leap year
    assert calendar.day_label(leap_day, english=True) == "30 Esfand 1403"
    assert calendar.day_label(leap_day) == "۳۰ اسفند ۱۴۰۳"
    assert calendar.day_label(leap_day + dt.timedelta(days=1), english=True) == "1 Farvardin 1404"


@pytest.mark.parametrize(
    ("value", "decimals", "english"),
    [(1234.5, 1, "1,234.5"), (1_234_567, 0, "1,234,567"), (-0.04, 1, "0.0"), (0, 2, "0")],
)
def test_english_figures_are_the_persian_ones_in_latin_digits(value, decimals, english):
    persian = calendar.format_figure(value, decimals)
    assert calendar.english_figures(persian) == english


def test_an_english_change_keeps_the_sign_rules():
    assert calendar.english_figures(calendar.format_percent_change(0.125)) == "+12.5%"
    assert calendar.english_figures(calendar.format_percent_change(-0.0004)) == "0.0%"
    assert calendar.english_figures(calendar.format_percent_change(-0.2)) == "\u221220.0%"
