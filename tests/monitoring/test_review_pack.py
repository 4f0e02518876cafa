"""What the store gives a district's review of a month: this month's meeting, the one held before it,
the follow-up it opens with, the commitments made at it, the month's actions."""

from __future__ import annotations

import jdatetime

from monitoring import review_pack, store
from monitoring.calendar import Period


def J(y: int, m: int, d: int):
    return jdatetime.date(y, m, d).togregorian()


def test_the_pack_opens_with_the_last_meetings_commitments_and_lists_this_meetings_apart(any_engine):
    catalog = store.metric_catalog(any_engine)
    old = store.add_meeting(any_engine, 5, J(1405, 6, 3), "boss", status="held", held_on=J(1405, 6, 3))
    store.add_meeting(any_engine, 5, J(1405, 7, 2), "boss", status="cancelled")
    now = store.add_meeting(any_engine, 5, J(1405, 8, 6), "boss", status="held", held_on=J(1405, 8, 7))
    earlier = store.add_commitment(
        any_engine, 5, "از جلسهٔ شهریور", J(1405, 6, 3), J(1405, 7, 1), "boss", meeting_id=old
    )
    closed = store.add_commitment(any_engine, 5, "بسته‌شده", J(1405, 6, 3), J(1405, 7, 1), "boss", meeting_id=old)
    store.set_commitment_status(any_engine, closed, "dropped", "boss", note="منتفی شد")
    new = store.add_commitment(any_engine, 5, "از جلسهٔ آبان", J(1405, 8, 7), J(1405, 9, 7), "boss", meeting_id=now)
    store.add_commitment(any_engine, 6, "منطقهٔ دیگر", J(1405, 6, 3), J(1405, 7, 1), "boss")
    store.add_action(any_engine, store.ActionInput(5, J(1405, 8, 20), "فرهنگی", "نمایشگاه"), "boss")
    store.add_action(any_engine, store.ActionInput(5, J(1405, 7, 20), "فرهنگی", "ماه پیش"), "boss")

    pack = review_pack.read_pack(any_engine, 5, Period.month(1405, 8), catalog, today=J(1405, 8, 10))
    assert pack.meeting is not None and pack.meeting.id == now
    assert pack.last_meeting is not None and pack.last_meeting.id == old  # the cancelled one is no review
    assert [(f.commitment.id, f.state) for f in pack.follow_up] == [(earlier, "late"), (closed, "dropped")]
    assert pack.follow_up[0].days_late == (J(1405, 8, 10) - J(1405, 7, 1)).days
    assert [f.commitment.id for f in pack.made_here] == [new] and pack.made_here[0].state == "open"
    assert [a.title for a in pack.actions] == ["نمایشگاه"]


def test_a_month_without_a_meeting_follows_up_every_open_commitment_made_before_its_end(engine):
    catalog = store.metric_catalog(engine)
    store.add_commitment(engine, 9, "باز", J(1405, 5, 1), J(1405, 12, 1), "boss")
    pack = review_pack.read_pack(engine, 9, Period.month(1405, 8), catalog, today=J(1405, 8, 10))
    assert pack.meeting is None and pack.last_meeting is None
    assert [f.state for f in pack.follow_up] == ["open"]


def test_the_figures_shown_are_the_months_own_once_it_has_ended_and_been_loaded():
    last_data = J(1405, 8, 1)  # Aban 1405 is the last month loaded
    assert review_pack.figures_period(Period.month(1405, 7), last_data, J(1405, 9, 20)) == Period.month(1405, 7)
    assert review_pack.figures_period(Period.month(1405, 9), last_data, J(1405, 9, 20)) == Period.month(1405, 8)
    # Azar has ended but nothing of it is loaded yet
    assert review_pack.figures_period(Period.month(1405, 9), last_data, J(1405, 10, 3)) == Period.month(1405, 8)
