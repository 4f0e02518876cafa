"""The review pages under AppTest on a copy of the sample store: the pack opens with last meeting's
commitments, an overdue commitment and a district never reviewed reach the overview's attention panel,
an editor records on the pack (audited) but cannot load figures, a viewer gets no forms."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from monitoring import accounts, calendar, store
from tests.access import ADMIN, ADMIN_ONLY, VIEWER, sign_in_apptest
from tests.conftest import DASHBOARD
from tests.views.helpers import html_bodies, plain
from ui import auth

EDITOR, EDITOR_PASSWORD = "pr-editor", "editor-password-1"
TODAY = calendar.today_in_tehran()
MONTH = calendar.jalali_month_of(TODAY)
CODE = f"{MONTH[0]}-{MONTH[1]:02d}"
LATE_TEXT = "کاهش زمان پاسخ سامانهٔ ۱۳۷"
DONE_TEXT = "گزارش تصویری طرح بلوار"
OTHER_TEXT = "صفحهٔ پرسش‌های پرتکرار"


@pytest.fixture
def review_store(tmp_path, monkeypatch, sample_db_path):
    """A copy of the sample store holding a held meeting of district 10 two months ago with a late and a
    done commitment, an open commitment of district 3 past due, and every district but 7 reviewed."""
    path = tmp_path / "store.sqlite"
    shutil.copy(sample_db_path, path)
    eng = store.make_engine(f"sqlite:///{path}")
    held = calendar.shift_months(TODAY, -2)
    meeting = store.add_meeting(eng, 10, held, "boss", status="held", held_on=held, attendees="الف، ب")
    late = store.add_commitment(
        eng,
        10,
        LATE_TEXT,
        held,
        TODAY - dt.timedelta(days=3),
        "boss",
        meeting_id=meeting,
        metric="response_time_137_hours",
    )
    done = store.add_commitment(eng, 10, DONE_TEXT, held, TODAY - dt.timedelta(days=10), "boss", meeting_id=meeting)
    store.set_commitment_status(eng, done, "done", "boss", note="منتشر شد")
    store.add_commitment(eng, 3, OTHER_TEXT, held, TODAY - dt.timedelta(days=1), "boss")
    store.add_meetings(eng, [(d, TODAY - dt.timedelta(days=5)) for d in range(1, 23) if d not in (7, 10)], "boss")
    for m in store.meetings_of(eng, start=TODAY - dt.timedelta(days=5)):
        store.update_meeting(eng, m.id, "boss", status="held", held_on=m.planned_on)
    store.add_action(eng, store.ActionInput(10, TODAY, "عمرانی", "تعریض بلوار", news_items=3, public=True), "boss")
    monkeypatch.setenv("DASHBOARD_DB_PATH", str(path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    folder = tmp_path / "accounts"
    folder.mkdir()
    file = folder / "accounts.json"
    accounts.write_accounts(
        {
            a.key: a
            for a in (
                accounts.Account(EDITOR, "editor", EDITOR, accounts.hash_password(EDITOR_PASSWORD)),
                accounts.Account(VIEWER, "viewer", VIEWER, accounts.hash_password("viewer-password-1")),
                accounts.Account(ADMIN, "admin", ADMIN, accounts.hash_password("admin-password-1")),
            )
        },
        file,
    )
    monkeypatch.setenv(accounts.ACCOUNTS_FILE_ENV, str(file))
    monkeypatch.setenv(accounts.ADMIN_OPEN_ENV, "0")
    yield eng, folder, {"late": late, "done": done}
    eng.dispose()


def test_an_editor_sees_the_calendar_but_not_the_administrators_pages_in_the_menu(review_store, monkeypatch, menu):
    _, folder, _ = review_store
    at = pack_page(folder, monkeypatch, EDITOR)
    assert "review" in menu and "meetings" in menu
    assert not {"upload", "batches", "catalog"} & set(menu)
    user = next(b for b in html_bodies(at) if "dash-user" in b)
    assert 'data-role="editor"' in user and "(ویرایشگر)" in plain(user)
    viewer = pack_page(folder, monkeypatch, VIEWER)
    assert not viewer.exception and "review" in menu and "meetings" not in menu


def pack_page(folder, monkeypatch, who: str | None = None) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    if who:
        sign_in_apptest(at, monkeypatch, folder, who)
    at.switch_page("views/review.py")
    at.query_params.update({"district": "10", "period": CODE})
    return at.run()


def test_the_pack_opens_with_last_meetings_commitments_late_first(review_store, monkeypatch):
    _, folder, ids = review_store
    at = pack_page(folder, monkeypatch)
    assert not at.exception
    assert any("بستهٔ بازبینی منطقه ۱۰" in t.value for t in at.title)
    follow = next(b for b in html_bodies(at) if "data-commitment" in b)
    assert follow.index(f'data-commitment="{ids["late"]}"') < follow.index(f'data-commitment="{ids["done"]}"')
    words = plain(follow)
    assert LATE_TEXT in words and "عقب‌افتاده" in words and "۳ روز" in words
    assert DONE_TEXT in words and "انجام‌شده" in words and OTHER_TEXT not in words  # another district's
    actions = next(b for b in html_bodies(at) if "data-action" in b)
    assert "تعریض بلوار" in plain(actions) and "۳ خبر" in plain(actions)
    order = [h.value for h in at.subheader]
    assert [o[:2] for o in order[:5]] == ["۱.", "۲.", "۳.", "۴.", "۵."]


def test_an_overdue_commitment_and_a_district_never_reviewed_reach_the_attention_panel(review_store, monkeypatch):
    _, folder, _ = review_store
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    assert not at.exception
    panel = next(b for b in html_bodies(at) if "dash-attention-panel" in b)
    boxes = {
        part.split("<h4>")[1].split("<span")[0].strip(): part for part in panel.split('<section class="dash-att ')[1:]
    }
    overdue = plain(boxes["تعهدهای عقب‌افتاده"])
    assert LATE_TEXT in overdue and OTHER_TEXT in overdue and DONE_TEXT not in overdue
    assert "review?" in boxes["تعهدهای عقب‌افتاده"] and "show=10" in boxes["تعهدهای عقب‌افتاده"]
    gaps = plain(next(v for k, v in boxes.items() if k.startswith("بی‌بازبینی")))
    assert "منطقه ۷: هرگز" in gaps and "منطقه ۱۰" not in gaps and "منطقه ۳:" not in gaps


def test_the_district_page_shows_its_overdue_commitments_and_notable_actions(review_store, monkeypatch):
    _, folder, ids = review_store
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.switch_page("views/district.py")
    at.query_params.update({"district": "10"})
    at.run()
    assert not at.exception
    part = plain(next(b for b in html_bodies(at) if "dash-district-review" in b))
    assert LATE_TEXT in part and DONE_TEXT not in part and OTHER_TEXT not in part
    assert "تعریض بلوار" in part


def test_an_editor_records_a_commitment_audited_but_cannot_load_or_edit_the_catalog(review_store, monkeypatch):
    eng, folder, _ = review_store
    at = pack_page(folder, monkeypatch, EDITOR)
    assert not at.exception
    due = calendar.to_persian_digits("{}/{:02d}/{:02d}".format(*_jalali(TODAY + dt.timedelta(days=20))))
    at.text_area(key="rc_text").input("دو نشست مردمی تا پایان ماه")
    at.text_input(key="rc_owner").input("معاون اجتماعی")
    at.text_input(key="rc_due").input(due)
    at.selectbox(key="rc_metric").set_value("public_meetings")
    next(b for b in at.button if b.label == "ثبت تعهد").click().run()
    assert not at.exception
    made = [c for c in store.commitments_of(eng, district=10) if c.text == "دو نشست مردمی تا پایان ماه"]
    assert len(made) == 1 and made[0].created_by == EDITOR and made[0].metric == "public_meetings"
    assert made[0].due_on == TODAY + dt.timedelta(days=20)
    with eng.connect() as conn:
        rows = conn.execute(text("SELECT actor, detail FROM audit_log WHERE action = 'commitment'")).all()
    assert any(actor == EDITOR and json.loads(detail)["id"] == made[0].id for actor, detail in rows)
    assert "تعهد ثبت شد" in " ".join(plain(b) for b in html_bodies(at))
    for page in ("views/upload.py", "views/batches.py", "views/catalog.py"):
        at.switch_page(page).run()
        assert [t.value for t in at.title] == [ADMIN_ONLY], page
    at.switch_page("views/meetings.py").run()
    assert not at.exception and any("تقویم جلسه‌های بازبینی" in t.value for t in at.title)


def test_a_bad_due_day_is_refused_in_both_languages_and_nothing_is_stored(review_store, monkeypatch):
    eng, folder, _ = review_store
    at = pack_page(folder, monkeypatch, EDITOR)
    before = len(store.commitments_of(eng))
    at.text_area(key="rc_text").input("چیزی")
    at.text_input(key="rc_due").input("۱۴۰۴/۱۲/۳۰")  # 1404 is not a leap year
    next(b for b in at.button if b.label == "ثبت تعهد").click().run()
    errors = [plain(b) for b in html_bodies(at) if "dash-note-error" in b]
    assert errors and "اسفند ۱۴۰۴" in errors[0] and "not in Jalali month 1404/12" in errors[0]
    assert 'lang="en"' in next(b for b in html_bodies(at) if "dash-note-error" in b)
    assert len(store.commitments_of(eng)) == before


def test_a_viewer_reads_the_pack_without_forms_and_is_refused_the_calendar(review_store, monkeypatch):
    _, folder, _ = review_store
    at = pack_page(folder, monkeypatch, VIEWER)
    assert not at.exception
    assert not [w for w in at.text_area if w.key == "rc_text"]
    at.switch_page("views/meetings.py").run()
    assert [t.value for t in at.title] == [auth.RECORDERS_ONLY_TITLE]


def test_the_calendar_plans_the_month_for_every_district_not_yet_on_it(review_store, monkeypatch):
    eng, folder, _ = review_store
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    sign_in_apptest(at, monkeypatch, folder, EDITOR)
    at.switch_page("views/meetings.py").run()
    start = calendar.month_start(*MONTH)
    end = calendar.next_month_start(start)
    before = {m.district for m in store.meetings_of(eng, start=start, end=end) if m.status != "cancelled"}
    at.button(key="meetings_plan").click().run()
    assert not at.exception
    after = store.meetings_of(eng, start=start, end=end)
    assert {m.district for m in after} == set(range(1, 23))
    assert len(after) == 22 and {m.district for m in after if m.status == "planned"} == set(range(1, 23)) - before


def test_an_administrator_marks_a_metric_public_on_the_catalog_page(review_store, monkeypatch):
    eng, folder, _ = review_store
    assert "training_hours" not in store.public_metric_codes(eng)
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    sign_in_apptest(at, monkeypatch, folder, ADMIN)
    at.switch_page("views/catalog.py").run()
    at.selectbox(key="catalog_pick").set_value("training_hours").run()
    at.checkbox(key="catalog_public_training_hours").check()
    next(b for b in at.button if b.label == "ذخیرهٔ تغییرات").click().run()
    assert not at.exception
    assert "training_hours" in store.public_metric_codes(eng)
    assert "news_published" in store.public_metric_codes(eng)  # the others keep their mark


def _jalali(day: dt.date) -> tuple[int, int, int]:
    y, m = calendar.jalali_month_of(day)
    return y, m, (day - calendar.month_start(y, m)).days + 1


def test_a_pack_looked_at_by_link_keeps_my_district(review_store, monkeypatch):
    _, folder, _ = review_store
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.switch_page("views/review.py")
    at.query_params.update({"district": "3", "show": "10", "period": CODE})
    at.run()
    assert not at.exception
    assert any("بستهٔ بازبینی منطقه ۱۰" in t.value for t in at.title)
    assert at.query_params["district"] == "3" and at.query_params["show"] == "10"


def test_an_editor_removes_an_action_after_confirming_and_the_removal_is_audited(review_store, monkeypatch):
    eng, folder, _ = review_store
    at = pack_page(folder, monkeypatch, EDITOR)
    assert not at.exception
    (action,) = store.actions(eng, district=10)
    assert at.selectbox(key="review_remove_id").value == action.id
    next(b for b in at.button if b.label == "برداشتن اقدام").click().run()  # not confirmed: refused
    errors = [b for b in html_bodies(at) if "dash-note-error" in b]
    assert errors and "مطمئنم" in plain(errors[0]) and 'lang="en"' in errors[0]
    assert [a.id for a in store.actions(eng, district=10)] == [action.id]
    at.checkbox(key="review_remove_sure").check()
    next(b for b in at.button if b.label == "برداشتن اقدام").click().run()
    assert not at.exception and store.actions(eng, district=10) == []
    assert "اقدام برداشته شد" in " ".join(plain(b) for b in html_bodies(at))
    assert not any("data-action" in b for b in html_bodies(at))
    with eng.connect() as conn:
        rows = conn.execute(text("SELECT actor, detail FROM audit_log WHERE action = 'action'")).all()
    removed = [(actor, json.loads(d)) for actor, d in rows if json.loads(d)["op"] == "delete"]
    assert removed == [(EDITOR, {"op": "delete", "id": action.id, "title": action.title})]
    assert not [s for s in at.selectbox if s.key == "review_remove_id"]  # nothing left to remove


def test_a_viewer_gets_no_way_to_remove_an_action(review_store, monkeypatch):
    _, folder, _ = review_store
    at = pack_page(folder, monkeypatch, VIEWER)
    assert not at.exception and not [b for b in at.button if b.label == "برداشتن اقدام"]


def test_signed_in_staff_get_a_link_to_the_public_page_of_the_same_district_and_month(review_store, monkeypatch):
    _, folder, _ = review_store
    monkeypatch.setenv("DASHBOARD_PUBLIC_URL", "https://report.example.ir/")
    at = pack_page(folder, monkeypatch, EDITOR)
    assert not at.exception
    (link,) = [b for b in html_bodies(at) if "dash-public-preview" in b]
    assert f'href="https://report.example.ir/?district=10&amp;period={CODE}"' in link
    assert 'target="_blank"' in link and "noopener" in link
    assert f"پیش‌نمایش صفحهٔ عمومی منطقه ۱۰ در {calendar.month_label(*MONTH)}" in plain(link)
    at.switch_page("views/district.py")
    at.query_params.update({"district": "10", "period": CODE})
    at.run()
    assert any("https://report.example.ir/?district=10" in b for b in html_bodies(at) if "dash-public-preview" in b)


def test_an_anonymous_viewer_gets_no_public_preview_and_staff_without_the_address_get_a_note(review_store, monkeypatch):
    _, folder, _ = review_store
    monkeypatch.setenv("DASHBOARD_PUBLIC_URL", "https://report.example.ir")
    at = pack_page(folder, monkeypatch)
    assert not at.exception and not [b for b in html_bodies(at) if "dash-public-preview" in b]
    monkeypatch.setenv("DASHBOARD_PUBLIC_URL", "javascript:alert(1)")  # not an http(s) address: no link drawn
    at = pack_page(folder, monkeypatch, EDITOR)
    (note,) = [b for b in html_bodies(at) if "dash-public-preview" in b]
    assert "<a " not in note and "javascript" not in note
    assert "تنظیم نشده" in plain(note) and '<code lang="en" dir="ltr">DASHBOARD_PUBLIC_URL</code>' in note


def test_an_editor_records_an_action_with_counts_typed_in_persian_digits(review_store, monkeypatch):
    eng, folder, _ = review_store
    at = pack_page(folder, monkeypatch, EDITOR)
    assert not at.exception and not at.number_input  # Streamlit's number field draws Latin digits
    at.text_input(key="review_action_title").input("پاکسازی محله")
    at.text_input(key="review_action_news").input("سه")
    next(b for b in at.button if b.label == "ثبت اقدام").click().run()
    errors = [b for b in html_bodies(at) if "dash-note-error" in b]
    assert errors and "«سه» تعداد نیست" in plain(errors[0]) and "not a count" in errors[0]
    assert [a.title for a in store.actions(eng, district=10)] == ["تعریض بلوار"]
    at.text_input(key="review_action_title").input("پاکسازی محله")
    at.text_input(key="review_action_news").input("۴")
    at.text_input(key="review_action_posts").input("۱٬۲۰۰")
    next(b for b in at.button if b.label == "ثبت اقدام").click().run()
    assert not at.exception
    (made,) = [a for a in store.actions(eng, district=10) if a.title == "پاکسازی محله"]
    assert (made.news_items, made.social_posts, made.public_meetings) == (4, 1200, None)
    assert made.created_by == EDITOR
