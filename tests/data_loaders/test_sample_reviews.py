"""The sample store shows the review loop: notable actions (public and internal), meetings held and
planned, commitments open, done, dropped and past due, written through the store's audited writers,
with dates counted from the sample's today."""

from __future__ import annotations

import datetime as dt

import pytest

from data_loaders import sample, sample_reviews
from monitoring import calendar, reviews, store
from tests.conftest import SAMPLE_TODAY


def test_a_fresh_sample_store_has_actions_meetings_and_commitments(engine):
    sample.load_sample(engine, today=SAMPLE_TODAY)
    actions = store.actions(engine)
    assert {a.public for a in actions} == {True, False}
    assert len({a.district for a in actions}) >= 4
    assert any("بلوار" in a.title for a in actions if a.public)
    held = [m for m in store.meetings_of(engine) if m.status == "held"]
    assert len(held) >= 3 and all(m.attendees and m.decisions for m in held)
    assert any(m.status == "planned" and m.planned_on > SAMPLE_TODAY for m in store.meetings_of(engine))
    states = {reviews.state(c, SAMPLE_TODAY) for c in store.commitments_of(engine)}
    assert states == {"open", "late", "done", "dropped"}
    assert any(c.metric for c in store.commitments_of(engine))
    assert all(c.metric is None or c.metric in store.metric_catalog(engine) for c in store.commitments_of(engine))


def test_the_sample_loaded_without_reviews_has_figures_alone(sample_engine):
    assert not store.is_empty(sample_engine)
    assert store.actions(sample_engine) == [] and store.meetings_of(sample_engine) == []
    assert store.commitments_of(sample_engine) == []


@pytest.mark.parametrize(
    "today",
    [SAMPLE_TODAY, dt.date(2025, 3, 20), calendar.month_start(1403, 12) + dt.timedelta(days=29), dt.date(2027, 4, 1)],
    ids=["aban-1405", "nowruz-eve-1403", "esfand-30-leap-1403", "farvardin-1406"],
)
def test_the_dates_follow_the_samples_today_with_one_commitment_past_due(engine, today):
    sample_reviews.seed(engine, today)
    last = calendar.last_complete_month(today)
    actions = store.actions(engine)
    assert all(a.occurred_on < today for a in actions)  # nothing recorded before it happened
    assert any(a.occurred_on > today - dt.timedelta(days=7) for a in actions)  # and this week's too
    assert any(calendar.jalali_month_of(a.occurred_on) == last for a in actions if a.public)
    meetings = store.meetings_of(engine)
    assert all(m.day <= today for m in meetings if m.status == "held")
    assert all(m.planned_on > today for m in meetings if m.status == "planned")
    late = reviews.overdue(store.commitments_of(engine), today)
    assert len(late) == 1 and late[0].due_on < today
    assert all(c.made_on <= today for c in store.commitments_of(engine))


def test_every_sample_record_is_audited_under_the_sample_editor(engine):
    sample_reviews.seed(engine, SAMPLE_TODAY)
    entries = store.audit_entries(engine, limit=1000)
    ours = entries[entries["actor"] == sample_reviews.EDITOR]
    assert (ours["action"] == "action").sum() == len(store.actions(engine))
    assert (ours["action"] == "commitment").sum() >= len(store.commitments_of(engine))
    assert set(ours["action"]) == {"action", "meeting", "commitment"}
    done = [c for c in store.commitments_of(engine) if c.status != "open"]
    assert done and all(len(c.history) == 2 for c in done)  # made open, then done or dropped: dated and signed


def test_the_sample_cycle_reviews_almost_every_district_so_the_flag_marks_the_exceptions(engine):
    sample.load_sample(engine, today=SAMPLE_TODAY)
    last: dict[int, object] = {}
    for m in store.meetings_of(engine):
        if m.status == "held":
            last[m.district] = max(last.get(m.district, m.day), m.day)
    gaps = reviews.unreviewed(last, range(1, 23), 3, SAMPLE_TODAY)
    assert [g.district for g in gaps] == [20, 22]  # 20's meeting was cancelled; 22 never had one


def test_loading_the_sample_again_adds_no_second_copy_of_the_reviews(engine):
    """The command line's `sample` loads the sample into a store that may have it already: figures are
    written over unchanged, and the reviews, which are added rather than written over, are not repeated."""
    sample.load_sample(engine, today=SAMPLE_TODAY)
    first = (len(store.actions(engine)), len(store.meetings_of(engine)), len(store.commitments_of(engine)))
    sample.load_sample(engine, today=SAMPLE_TODAY)
    assert (len(store.actions(engine)), len(store.meetings_of(engine)), len(store.commitments_of(engine))) == first
    assert first[0] > 0 and first[1] > 0 and first[2] > 0
