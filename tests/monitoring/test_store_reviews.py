"""Reviews in the store: notable actions, meetings, commitments with their history, metrics marked
public; each on SQLite and on the real PostgreSQL server, each change with its audit row."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from sqlalchemy import text

from monitoring import store
from monitoring.calendar import Period

MEHR = Period.month(1404, 7)
ABAN = Period.month(1404, 8)


def action(district: int = 10, day: dt.date | None = None, title: str = "تعریض بلوار", **kw) -> store.ActionInput:
    return store.ActionInput(district, day or MEHR.start, "عمرانی", title, **kw)


def audit(engine, name: str) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT actor, detail FROM audit_log WHERE action = :a ORDER BY id"), {"a": name})
        return [{"actor": a, **json.loads(d)} for a, d in rows]


def test_the_seed_marks_the_public_metrics_and_the_catalog_carries_the_mark(any_engine):
    codes = store.public_metric_codes(any_engine)
    assert set(codes) == {
        "news_published",
        "public_meetings",
        "requests_137_resolved_pct",
        "response_time_137_hours",
        "citizen_satisfaction",
    }
    catalog = store.metric_catalog(any_engine)
    assert [c for c, m in catalog.items() if m.public] == codes  # catalog order
    assert not catalog["reports_submitted"].public


def test_a_metric_marked_public_on_the_catalog_page_stays_public_after_the_seed_runs_again(engine):
    import dataclasses

    changed = dataclasses.replace(store.metric_catalog(engine)["reports_submitted"], public=True)
    store.write_metrics(engine, [changed], actor="admin")
    store.ensure_ready(engine)
    assert "reports_submitted" in store.public_metric_codes(engine)


def test_actions_are_filtered_by_district_dates_and_public_mark_newest_first(any_engine):
    first = store.add_action(any_engine, action(day=MEHR.start, links=("https://example.org/a",), news_items=3), "ed")
    second = store.add_action(any_engine, action(day=ABAN.start, public=True, feedback="استقبال شد"), "ed")
    store.add_action(any_engine, action(district=3, day=MEHR.start), "ed")
    got = store.actions(any_engine, district=10)
    assert [a.id for a in got] == [second, first]
    assert got[1].links == ("https://example.org/a",) and got[1].news_items == 3 and got[1].social_posts is None
    assert got[0].feedback == "استقبال شد" and got[0].created_by == "ed" and got[0].created_at.tzinfo is not None
    assert [a.id for a in store.actions(any_engine, district=10, start=MEHR.start, end=MEHR.end)] == [first]
    assert [a.id for a in store.actions(any_engine, public_only=True)] == [second]
    assert len(store.actions(any_engine)) == 3
    assert [d["id"] for d in audit(any_engine, "action")] == [first, second, first + 2]


def test_a_file_of_actions_is_one_batch_and_its_rollback_removes_them(any_engine):
    kept = store.add_action(any_engine, action(title="از فرم"), "ed")
    content = b"title\n..."
    info = store.BatchInfo("actions.csv", hashlib.sha256(content).hexdigest(), 2, 0, "admin", content=content)
    batch = store.write_action_batch(any_engine, [action(title="یک"), action(title="دو", district=4)], info)
    assert sorted(a.title for a in store.actions(any_engine) if a.batch_id == batch) == ["دو", "یک"]
    assert store.batch_list(any_engine).iloc[0]["kind"] == "actions"
    outcome = store.rollback_batch(any_engine, batch, "admin")
    assert outcome.removed == 2
    assert [a.id for a in store.actions(any_engine)] == [kept]


def test_meetings_follow_the_calendar_and_the_last_held_one_is_each_districts_last_review(any_engine):
    planned = store.add_meetings(any_engine, [(10, MEHR.start), (11, MEHR.start + dt.timedelta(days=7))], "admin")
    store.add_meeting(any_engine, 10, ABAN.start, "admin")
    assert store.last_reviews(any_engine) == {}
    held = store.update_meeting(
        any_engine, planned[0], "ed", status="held", held_on=MEHR.start + dt.timedelta(days=1), attendees="الف، ب"
    )
    assert held.status == "held" and held.day == MEHR.start + dt.timedelta(days=1)
    store.update_meeting(any_engine, planned[1], "ed", status="cancelled")
    assert store.last_reviews(any_engine) == {10: MEHR.start + dt.timedelta(days=1)}
    assert [m.district for m in store.meetings_of(any_engine, start=MEHR.start, end=MEHR.end)] == [10, 11]
    assert [m.status for m in store.meetings_of(any_engine, district=10)] == ["held", "planned"]
    changes = [d for d in audit(any_engine, "meeting") if d["op"] == "update"]
    assert changes[0]["changed"]["status"] == ["planned", "held"] and changes[0]["actor"] == "ed"
    with pytest.raises(ValueError):
        store.update_meeting(any_engine, planned[0], "ed", status="late")
    with pytest.raises(store.ReviewNotFound):
        store.update_meeting(any_engine, 999, "ed", status="held")


def test_a_commitments_every_change_is_dated_signed_and_audited(any_engine):
    meeting = store.add_meeting(any_engine, 10, MEHR.start, "admin", status="held", held_on=MEHR.start)
    cid = store.add_commitment(
        any_engine,
        10,
        "انتشار ۲۰ خبر",
        MEHR.start,
        ABAN.start,
        "ed",
        owner="روابط عمومی",
        metric="news_published",
        meeting_id=meeting,
    )
    store.set_commitment_status(any_engine, cid, "done", "admin", note="انجام شد")
    after = store.set_commitment_status(any_engine, cid, "open", "ed", note="دوباره باز شد")
    assert after.status == "open" and after.metric == "news_published" and after.meeting_id == meeting
    assert [(e.old_status, e.new_status, e.actor) for e in after.history] == [
        (None, "open", "ed"),
        ("open", "done", "admin"),
        ("done", "open", "ed"),
    ]
    assert after.history[1].note == "انجام شد" and all(e.at.tzinfo is not None for e in after.history)
    assert [d["op"] for d in audit(any_engine, "commitment")] == ["add", "status", "status"]
    assert [c.id for c in store.commitments_of(any_engine, district=10, statuses=["open"])] == [cid]
    assert store.commitments_of(any_engine, district=10, statuses=["done"]) == []
    assert [c.id for c in store.commitments_of(any_engine, meeting_id=meeting)] == [cid]
    with pytest.raises(ValueError):
        store.set_commitment_status(any_engine, cid, "late", "ed")  # late is derived, never stored
    with pytest.raises(ValueError):
        store.add_commitment(any_engine, 10, "x", ABAN.start, MEHR.start, "ed")


def test_the_migration_marks_the_seeds_public_metrics_on_a_store_made_before_it(tmp_path):
    eng = store.make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    store.migrate(eng, "0007")
    with eng.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO metrics (code, name_fa, name_en, unit_fa, aggregation, direction, decimals, per_capita) "
                "VALUES ('news_published', 'اخبار', 'News', 'خبر', 'sum', 'higher', 0, 1), "
                "('training_hours', 'آموزش', 'Training', 'ساعت', 'sum', 'higher', 0, 1)"
            )
        )
    store.migrate(eng)
    assert store.public_metric_codes(eng) == ["news_published"]
    eng.dispose()
