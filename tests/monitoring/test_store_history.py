"""Nothing lost, everything undoable: what a batch changed, its file's bytes, the audit log and rollback,
each on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from monitoring import store
from monitoring.calendar import Period
from monitoring.message import Message
from monitoring.store import writes

MEHR = Period.month(1404, 7).start
ABAN = Period.month(1404, 8).start
AZAR = Period.month(1404, 9).start
NEWS = "news_published"


def rows(*items) -> pd.DataFrame:
    return pd.DataFrame(items, columns=["district", "metric", "period", "value"])


def info(name: str = "report.csv", n: int = 0, **kw) -> store.BatchInfo:
    return store.BatchInfo(name, hashlib.sha256(name.encode()).hexdigest(), n, 0, "tester", **kw)


def load(engine, *items, name: str = "report.csv", **kw) -> int:
    return store.write_batch(engine, rows(*items), info(name, len(items), **kw))


def held(engine, table: str = "observations") -> dict[tuple[int, str, dt.date], float]:
    with engine.connect() as conn:
        got = conn.execute(text(f"SELECT district, metric, period, value FROM {table}")).all()
    return {(d, m, pd.Timestamp(p).date()): v for d, m, p, v in got}


def owners(engine) -> dict[tuple[int, str, dt.date], int]:
    with engine.connect() as conn:
        got = conn.execute(text("SELECT district, metric, period, batch_id FROM observations")).all()
    return {(d, m, pd.Timestamp(p).date()): b for d, m, p, b in got}


def count(engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


# ---------------------------------------------------------------- what a batch would change, and did


def test_diff_counts_new_changed_and_unchanged_and_samples_the_changes_in_order(any_engine):
    load(any_engine, (1, NEWS, MEHR, 5.0), (2, NEWS, MEHR, 6.0), (3, NEWS, MEHR, 7.0), (3, NEWS, ABAN, 1.0))
    incoming = rows(
        (3, NEWS, ABAN, 2.0), (1, NEWS, MEHR, 5.0), (2, NEWS, MEHR, 9.0), (4, NEWS, MEHR, 1.0), (1, NEWS, AZAR, 3.0)
    )
    before = held(any_engine)

    diff = store.diff_batch(any_engine, incoming)

    assert (diff.new, diff.changed, diff.unchanged) == (2, 2, 1)  # a month the store has nothing for is new
    assert list(diff.changes.itertuples(index=False, name=None)) == [
        (2, NEWS, MEHR, 6.0, 9.0),
        (3, NEWS, ABAN, 1.0, 2.0),
    ]
    assert held(any_engine) == before  # read-only
    assert len(store.diff_batch(any_engine, incoming, sample=1).changes) == 1


def test_diff_of_targets_compares_with_the_targets(any_engine):
    store.write_targets(any_engine, rows((0, NEWS, MEHR, 100.0)), info("t.csv", 1))
    diff = store.diff_batch(any_engine, rows((0, NEWS, MEHR, 120.0), (7, NEWS, MEHR, 5.0)), kind="targets")
    assert (diff.new, diff.changed, diff.unchanged) == (1, 1, 0)
    assert diff.changes["old_value"].tolist() == [100.0]


def test_a_stored_batch_carries_the_counts_its_diff_announced(any_engine):
    load(any_engine, (1, NEWS, MEHR, 5.0), (2, NEWS, MEHR, 6.0))
    incoming = rows((1, NEWS, MEHR, 5.0), (2, NEWS, MEHR, 9.0), (3, NEWS, MEHR, 4.0))
    diff = store.diff_batch(any_engine, incoming)
    batch = store.write_batch(any_engine, incoming, info("second.csv", 3))
    listed = store.batch_list(any_engine).set_index("id").loc[batch]
    assert (listed["rows_new"], listed["rows_changed"], listed["rows_unchanged"]) == (
        diff.new,
        diff.changed,
        diff.unchanged,
    )


def test_writing_identical_rows_again_changes_nothing(any_engine):
    first = load(any_engine, (1, NEWS, MEHR, 5.0), (2, NEWS, MEHR, 6.0))
    before = owners(any_engine)
    second = load(any_engine, (1, NEWS, MEHR, 5.0), (2, NEWS, MEHR, 6.0), name="again.csv")
    assert owners(any_engine) == before and set(before.values()) == {first}  # the first batch still owns them
    listed = store.batch_list(any_engine).set_index("id").loc[second]
    assert (listed["rows_new"], listed["rows_changed"], listed["rows_unchanged"]) == (0, 0, 2)
    assert store.batch_changes(any_engine, second).empty
    # but the district did send its report again
    assert count(any_engine, f"SELECT count(*) FROM submissions WHERE batch_id = {second}") == 2


def test_revisions_hold_the_value_a_batch_replaced_and_batch_changes_lists_new_and_changed(any_engine):
    first = load(any_engine, (1, NEWS, MEHR, 5.0), (2, NEWS, MEHR, 6.0))
    second = load(any_engine, (1, NEWS, MEHR, 5.0), (2, NEWS, MEHR, 9.0), (3, NEWS, MEHR, 4.0), name="b.csv")
    with any_engine.connect() as conn:
        got = conn.execute(
            text(f"SELECT district, old_value, old_batch_id FROM revisions WHERE batch_id = {second} AND changed = 1")
        ).all()
    assert [tuple(r) for r in got] == [(2, 6.0, first)]
    changes = store.batch_changes(any_engine, second)
    assert list(changes.itertuples(index=False, name=None))[0] == (2, NEWS, MEHR, 6.0, 9.0, "changed")
    assert changes.iloc[1][["district", "state", "new_value"]].tolist() == [3, "new", 4.0]
    assert pd.isna(changes.iloc[1]["old_value"])
    # the first batch's new keys stay listed after the second replaced one of them
    assert store.batch_changes(any_engine, first)[["district", "new_value", "state"]].values.tolist() == [
        [1, 5.0, "new"],
        [2, 6.0, "new"],
    ]


# ---------------------------------------------------------------- rollback


def test_rollback_restores_the_value_a_batch_replaced_and_removes_what_it_added(any_engine):
    first = load(any_engine, (1, NEWS, MEHR, 5.0), (2, NEWS, MEHR, 6.0))
    second = load(any_engine, (1, NEWS, MEHR, 5.0), (2, NEWS, MEHR, 9.0), (3, NEWS, MEHR, 4.0), name="b.csv")

    outcome = store.rollback_batch(any_engine, second, actor="admin")

    assert outcome == store.RollbackOutcome(restored=1, removed=1, kept_newer=0)
    assert held(any_engine) == {(1, NEWS, MEHR): 5.0, (2, NEWS, MEHR): 6.0}
    assert set(owners(any_engine).values()) == {first}
    assert count(any_engine, f"SELECT count(*) FROM submissions WHERE batch_id = {second}") == 0
    listed = store.batch_list(any_engine).set_index("id").loc[second]
    assert listed["status"] == "rolled_back" and listed["rolled_back_by"] == "admin"
    assert listed["rolled_back_at"].tzinfo is not None


def test_rolling_back_the_first_of_two_overlapping_batches_keeps_the_newer_values(any_engine):
    first = load(any_engine, (1, NEWS, MEHR, 5.0), (2, NEWS, MEHR, 6.0))
    second = load(any_engine, (2, NEWS, MEHR, 9.0), name="b.csv")

    outcome = store.rollback_batch(any_engine, first, actor="admin")

    assert outcome == store.RollbackOutcome(restored=0, removed=1, kept_newer=1)
    assert held(any_engine) == {(2, NEWS, MEHR): 9.0}
    # undoing the later batch now must not bring back the rolled-back batch's value
    assert store.rollback_batch(any_engine, second, actor="admin") == store.RollbackOutcome(0, 1, 0)
    assert held(any_engine) == {}


def test_a_key_written_unchanged_by_a_later_batch_survives_the_rollback_of_the_first(any_engine):
    first = load(any_engine, (1, NEWS, MEHR, 5.0))
    second = load(any_engine, (1, NEWS, MEHR, 5.0), name="same.csv")
    outcome = store.rollback_batch(any_engine, first, actor="admin")
    assert outcome.kept_newer == 1 and held(any_engine) == {(1, NEWS, MEHR): 5.0}
    assert owners(any_engine) == {(1, NEWS, MEHR): second}
    store.rollback_batch(any_engine, second, actor="admin")
    assert held(any_engine) == {}


def test_a_rollback_walks_back_past_batches_rolled_back_before(any_engine):
    a = load(any_engine, (1, NEWS, MEHR, 1.0), name="a.csv")
    b = load(any_engine, (1, NEWS, MEHR, 2.0), name="b.csv")
    c = load(any_engine, (1, NEWS, MEHR, 3.0), name="c.csv")
    store.rollback_batch(any_engine, b, actor="admin")  # c's value stays
    assert held(any_engine) == {(1, NEWS, MEHR): 3.0}
    assert store.rollback_batch(any_engine, c, actor="admin").restored == 1
    assert held(any_engine) == {(1, NEWS, MEHR): 1.0} and owners(any_engine) == {(1, NEWS, MEHR): a}


def test_rollback_of_a_targets_batch_restores_the_earlier_target(any_engine):
    store.write_targets(any_engine, rows((0, NEWS, MEHR, 100.0), (7, NEWS, MEHR, 5.0)), info("t1.csv", 2))
    later = store.write_targets(any_engine, rows((0, NEWS, MEHR, 120.0)), info("t2.csv", 1))
    assert store.batch_list(any_engine).set_index("id").loc[later, "kind"] == "targets"
    assert store.rollback_batch(any_engine, later, actor="admin") == store.RollbackOutcome(1, 0, 0)
    assert held(any_engine, "targets") == {(0, NEWS, MEHR): 100.0, (7, NEWS, MEHR): 5.0}


def test_a_batch_rolled_back_twice_is_refused_the_second_time(any_engine):
    batch = load(any_engine, (1, NEWS, MEHR, 5.0))
    store.rollback_batch(any_engine, batch, actor="admin")
    with pytest.raises(store.BatchAlreadyRolledBack) as refused:
        store.rollback_batch(any_engine, batch, actor="admin")
    assert isinstance(refused.value, store.RollbackRefused)
    assert str(batch) in refused.value.en and "admin" in refused.value.en and refused.value.fa
    assert count(any_engine, "SELECT count(*) FROM audit_log WHERE action = 'rollback'") == 1


def test_an_unknown_batch_is_refused(any_engine):
    with pytest.raises(store.BatchNotFound) as refused:
        store.rollback_batch(any_engine, 999, actor="admin")
    assert "999" in refused.value.fa and "999" in refused.value.en
    assert str(refused.value) == f"{refused.value.fa} / {refused.value.en}"


def test_a_boundaries_batch_is_refused_as_not_undoable(any_engine):
    batch = store.write_boundaries(any_engine, {}, info("districts.geojson"))
    with pytest.raises(store.BatchNotUndoable) as refused:
        store.rollback_batch(any_engine, batch, actor="admin")
    assert "boundaries" in refused.value.en
    assert store.batch_list(any_engine).set_index("id").loc[batch, "status"] == "active"


# the property: after any loads and rollbacks, each key holds the value of the newest batch that wrote it
# and is not rolled back (unchanged writes count), and a key no such batch wrote is absent
KEYS = [(1, NEWS, MEHR), (2, NEWS, MEHR)]
_load_op = st.tuples(
    st.just("load"), st.dictionaries(st.sampled_from(KEYS), st.sampled_from([1.0, 2.0, 3.0]), min_size=1)
)
_rollback_op = st.tuples(st.just("rollback"), st.integers(min_value=0, max_value=5))
OPERATIONS = st.lists(st.one_of(_load_op, _rollback_op), min_size=1, max_size=12)
# sequences that once needed care: a rollback stepping back past an owner rolled back before, and an
# unchanged write taking a key over when its owner is rolled back
_STEP_BACK = [("load", {KEYS[0]: 1.0}), ("load", {KEYS[0]: 2.0}), ("load", {KEYS[0]: 3.0})]
_STEP_BACK += [("rollback", 1), ("rollback", 2)]
_TAKE_OVER = [("load", {KEYS[0]: 1.0}), ("load", {KEYS[0]: 2.0}), ("load", {KEYS[0]: 2.0})]
_TAKE_OVER += [("rollback", 1), ("rollback", 2)]


def _wipe(engine) -> None:
    with engine.begin() as conn:
        for table in ("audit_log", "revisions", "batch_rejections", "submissions", "observations", "targets"):
            conn.execute(text(f"DELETE FROM {table}"))
        conn.execute(text("DELETE FROM batches"))


def loads_and_rollbacks_leave_the_newest_active_write(engine, operations) -> None:
    _wipe(engine)
    written: list[tuple[int, dict]] = []  # (batch id, what it wrote), in load order
    rolled_back: set[int] = set()
    for op, arg in operations:
        if op == "load":
            items = [(d, m, p, v) for (d, m, p), v in arg.items()]
            written.append((load(engine, *items), dict(arg)))
        elif written:
            batch = written[arg % len(written)][0]
            if batch in rolled_back:
                with pytest.raises(store.BatchAlreadyRolledBack):
                    store.rollback_batch(engine, batch, actor="prop")
            else:
                store.rollback_batch(engine, batch, actor="prop")
                rolled_back.add(batch)
        want = {}
        for batch, wrote in written:
            if batch not in rolled_back:
                want.update(wrote)
        assert held(engine) == want
        # every key's owner is a batch that is not rolled back and wrote that very value
        for key, owner in owners(engine).items():
            assert owner not in rolled_back
            assert dict(written)[owner].get(key) == want[key]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
@example(operations=_STEP_BACK)
@example(operations=_TAKE_OVER)
def test_loads_and_rollbacks_in_any_order_leave_the_newest_active_write_on_sqlite(engine, operations):
    loads_and_rollbacks_leave_the_newest_active_write(engine, operations)


@pytest.mark.postgres
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
@example(operations=_STEP_BACK)
@example(operations=_TAKE_OVER)
def test_loads_and_rollbacks_in_any_order_leave_the_newest_active_write_on_postgresql(pg_engine, operations):
    loads_and_rollbacks_leave_the_newest_active_write(pg_engine, operations)


# ---------------------------------------------------------------- files, audit, data version


def test_the_files_bytes_are_kept_once_per_content(any_engine):
    content = b"district,metric,period,value\n1,news_published,1404/07,5\n"
    digest = hashlib.sha256(content).hexdigest()
    for name in ("a.csv", "b.csv"):
        store.write_batch(
            any_engine, rows((1, NEWS, MEHR, 5.0)), store.BatchInfo(name, digest, 1, 0, "t", content=content)
        )
    assert store.source_file(any_engine, digest) == content
    assert count(any_engine, "SELECT count(*) FROM source_files") == 1
    assert store.source_file(any_engine, "0" * 64) is None


def test_bytes_that_do_not_match_their_sha256_are_refused_and_nothing_is_stored(any_engine):
    bad = store.BatchInfo("a.csv", "0" * 64, 1, 0, "t", content=b"other bytes")
    with pytest.raises(ValueError):
        store.write_batch(any_engine, rows((1, NEWS, MEHR, 5.0)), bad)
    assert count(any_engine, "SELECT count(*) FROM batches") == 0


def test_the_newest_active_batch_with_the_same_bytes_is_found_and_a_rolled_back_one_is_not(any_engine):
    digest = hashlib.sha256(b"x").hexdigest()
    assert store.active_batch_with_sha256(any_engine, digest) is None
    first = store.write_batch(any_engine, rows((1, NEWS, MEHR, 5.0)), store.BatchInfo("a.csv", digest, 1, 0, "ali"))
    second = store.write_batch(any_engine, rows((1, NEWS, MEHR, 5.0)), store.BatchInfo("b.csv", digest, 1, 0, "ali"))
    found = store.active_batch_with_sha256(any_engine, digest)
    assert found["id"] == second and found["source_name"] == "b.csv" and found["kind"] == "observations"
    assert found["loaded_by"] == "ali" and found["loaded_at"].tzinfo is not None
    store.rollback_batch(any_engine, second, actor="admin")
    assert store.active_batch_with_sha256(any_engine, digest)["id"] == first


def test_the_batch_list_carries_the_loaders_facts(any_engine):
    notes = (Message("تاریخ‌های میلادی تبدیل شد", "Gregorian dates converted"),)
    rejected = (
        {"sheet": "Sheet1", "row": 4, "column": "value", "value": "x", "reason": Message("نه عدد", "not a number")},
    )
    batch = store.write_batch(
        any_engine,
        rows((1, NEWS, MEHR, 5.0)),
        info("r.xlsx", 2, lenient=True, notes=notes, sheet="Sheet1", rejections=rejected),
    )
    listed = store.batch_list(any_engine)
    assert list(listed.columns) == [
        "id",
        "kind",
        "source_name",
        "sha256",
        "sheet",
        "rows_read",
        "rows_loaded",
        "rows_rejected",
        "rows_new",
        "rows_changed",
        "rows_unchanged",
        "lenient",
        "loaded_by",
        "loaded_at",
        "status",
        "rolled_back_at",
        "rolled_back_by",
        "notes",
    ]
    row = listed.iloc[0]
    assert row["id"] == batch and bool(row["lenient"]) and row["sheet"] == "Sheet1"
    assert row["notes"] == list(notes) and row["status"] == "active" and pd.isna(row["rolled_back_at"])
    kept = store.batch_rejections(any_engine, batch)
    assert kept[["seq", "sheet", "row", "column", "value"]].values.tolist() == [[1, "Sheet1", 4, "value", "x"]]


def test_loads_rollbacks_catalog_changes_and_the_sample_leave_audit_rows(any_engine):
    from data_loaders import sample
    from monitoring.metrics import Metric

    batch = load(any_engine, (1, NEWS, MEHR, 5.0), (2, NEWS, MEHR, 6.0))
    store.rollback_batch(any_engine, batch, actor="admin")
    extra = Metric("parks_opened", "پارک‌های گشایش‌یافته", "Parks opened", "پارک", "sum", "higher", 0, True)
    store.write_metrics(any_engine, [extra], actor="catalog-admin")
    store.write_boundaries(any_engine, {}, info("d.geojson"))

    entries = store.audit_entries(any_engine)
    actions = entries["action"].tolist()
    assert actions == ["boundaries", "catalog", "rollback", "load"]  # newest first
    loaded = entries[entries["action"] == "load"].iloc[0]
    assert loaded["actor"] == "tester" and loaded["batch_id"] == batch
    assert loaded["detail"]["file"] == "report.csv" and loaded["detail"]["new"] == 2
    assert entries[entries["action"] == "rollback"].iloc[0]["detail"]["removed"] == 2
    assert entries[entries["action"] == "catalog"].iloc[0]["detail"]["added"] == ["parks_opened"]
    assert entries["at"].dt.tz is not None

    sample.load_sample(any_engine, today=dt.date(2026, 11, 26), reviews=False)
    assert store.audit_entries(any_engine, limit=1)["action"].tolist() == ["sample"]
    kinds = set(store.batch_list(any_engine, limit=1000)["kind"])
    assert {"sample", "observations", "boundaries"} <= kinds


def test_data_version_moves_on_after_a_rollback(any_engine):
    batch = load(any_engine, (1, NEWS, MEHR, 5.0))
    before = store.data_version(any_engine)
    store.rollback_batch(any_engine, batch, actor="admin")
    after = store.data_version(any_engine)
    assert after > before
    assert load(any_engine, (2, NEWS, MEHR, 5.0)) and store.data_version(any_engine) > after


# ---------------------------------------------------------------- the write lock and retries


def test_a_deadlock_reruns_the_whole_transaction_and_says_so_in_the_log(engine, monkeypatch, caplog):
    class Deadlock(Exception):
        sqlstate = "40P01"

    claim = writes._claim
    failures = iter([True, False])

    def flaky_claim(conn):
        claim(conn)
        if next(failures):
            raise OperationalError("SELECT pg_advisory_xact_lock", {}, Deadlock("deadlock detected"))

    monkeypatch.setattr(writes, "_claim", flaky_claim)
    with caplog.at_level(logging.WARNING, logger="monitoring.store.writes"):
        batch = load(engine, (1, NEWS, MEHR, 5.0))
    assert held(engine) == {(1, NEWS, MEHR): 5.0}
    assert count(engine, "SELECT count(*) FROM batches") == 1 and owners(engine)[(1, NEWS, MEHR)] == batch
    assert any("40P01" in r.getMessage() for r in caplog.records)


def test_a_fault_that_is_not_a_conflict_is_not_retried(engine, monkeypatch):
    calls = []

    def broken_claim(conn):
        calls.append(1)
        raise OperationalError("UPDATE", {}, Exception("disk I/O error"))

    monkeypatch.setattr(writes, "_claim", broken_claim)
    with pytest.raises(OperationalError):
        load(engine, (1, NEWS, MEHR, 5.0))
    assert len(calls) == 1


# ---------------------------------------------------------------- a store from before the history


def test_batches_from_before_the_history_keep_their_kind_and_are_refused_as_not_undoable(tmp_path):
    old = store.make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    try:
        store.migrate(old, "0004")
        store.seed_reference(old)
        with old.begin() as conn:
            for batch in (1, 2):
                conn.execute(
                    text(
                        "INSERT INTO batches (id, source_name, sha256, rows_read, rows_loaded, rows_rejected, "
                        "loaded_by, loaded_at) VALUES (:id, 'old.csv', :sha, 1, 1, 0, 'tester', :at)"
                    ),
                    {"id": batch, "sha": "0" * 64, "at": dt.datetime(2025, 10, 1, tzinfo=dt.UTC)},
                )
            conn.execute(
                text("INSERT INTO observations (metric, period, district, value, batch_id) VALUES (:m, :p, 1, 5, 1)"),
                {"m": NEWS, "p": MEHR},
            )
            conn.execute(
                text("INSERT INTO targets (metric, period, district, value, batch_id) VALUES (:m, :p, 0, 50, 2)"),
                {"m": NEWS, "p": MEHR},
            )

        store.ensure_ready(old)

        listed = store.batch_list(old).set_index("id")
        assert listed.loc[1, "kind"] == "observations" and listed.loc[2, "kind"] == "targets"
        assert pd.isna(listed.loc[1, "rows_new"]) and (listed["status"] == "active").all()
        with pytest.raises(store.BatchNotUndoable) as refused:
            store.rollback_batch(old, 1, actor="admin")
        assert "before" in refused.value.en
        assert held(old) == {(1, NEWS, MEHR): 5.0}
        # a batch stored after the upgrade can be undone, back to the older batch's value
        newer = load(old, (1, NEWS, MEHR, 6.0))
        assert store.rollback_batch(old, newer, actor="admin").restored == 1
        assert held(old) == {(1, NEWS, MEHR): 5.0}
    finally:
        old.dispose()
