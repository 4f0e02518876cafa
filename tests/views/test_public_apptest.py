"""The public page under AppTest (``DASHBOARD_MODE=public``) on the sample store with a month of reviews
added: the public figures and actions in Persian and English, «گزارش نشده» never zero, the address's
mistakes said in both languages, and nothing internal in what the page sends, whatever is asked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit as st

from monitoring import calendar, metrics, store
from monitoring.calendar import Period
from tests.conftest import ROOT
from tests.public_seed import (
    DISTRICT,
    INTERNAL_MARKERS,
    MONTH,
    PUBLIC_DESCRIPTION,
    PUBLIC_TITLE,
    seeded_copy,
)
from tests.views.helpers import DASHBOARD, html_bodies, plain
from ui import public

PERIOD = Period.month(*MONTH).code  # 1405-08


@pytest.fixture(scope="module")
def public_store(sample_db_path, tmp_path_factory) -> Path:
    return seeded_copy(sample_db_path, tmp_path_factory.mktemp("public-store"))


@pytest.fixture
def engine_of_store(public_store):
    eng = store.make_engine(f"sqlite:///{public_store}")
    yield eng
    eng.dispose()


@pytest.fixture
def public_app(public_store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DASHBOARD_DB_PATH", str(public_store))
    monkeypatch.setenv("DASHBOARD_MODE", "public")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    st.cache_data.clear()  # another test's store may share this one's data version
    yield AppTest.from_file(DASHBOARD, default_timeout=60)
    st.cache_data.clear()


def _open(at, **params: str):
    at.query_params.update(params)
    at.run()
    assert not at.exception
    return at


def _cards(at) -> dict[str, str]:
    """metric code -> the card's text."""
    found: dict[str, str] = {}
    for body in html_bodies(at):
        for code, card in re.findall(r'<div class="pub-card" data-metric="([^"]+)">(.*?)</div></div>', body, re.S):
            found[code] = plain(card)
    return found


def _everything(at) -> str:
    """Every element the run sent, as its message's text (HTML, labels, options, query string)."""

    def walk(node) -> list[str]:
        out = [str(node.proto)] if getattr(node, "proto", None) is not None else []
        for child in getattr(node, "children", {}).values():
            out.extend(walk(child))
        return out

    return "\n".join(walk(at._tree)) + "\n" + str(at.query_params)


def test_the_persian_page_shows_the_districts_public_figures_and_its_public_action(public_app, engine_of_store):
    at = _open(public_app, district=str(DISTRICT), period=PERIOD)
    catalog = store.metric_catalog(engine_of_store)
    public_codes = [c for c, m in catalog.items() if m.public]
    cards = _cards(at)
    assert list(cards) == public_codes  # exactly the public metrics, in the catalog's order
    period = Period.month(*MONTH)
    values = store.metric_district_values(engine_of_store, period.start, period.end)
    news = values[(values["metric"] == "news_published") & (values["district"] == DISTRICT)]["total"].iloc[0]
    assert cards["news_published"].startswith(f"{catalog['news_published'].name_fa} {calendar.format_number(news)} خبر")
    assert "نسبت به مهر ۱۴۰۵" in cards["news_published"] and "نسبت به آبان ۱۴۰۴" in cards["news_published"]
    text = "\n".join(plain(b) for b in html_bodies(at))
    assert "منطقه ۷ در آبان ۱۴۰۵" in text
    assert PUBLIC_TITLE in text and PUBLIC_DESCRIPTION in text
    assert "۱۲ آبان ۱۴۰۵ · عمرانی" in text and "۴ خبر · ۱۲ پست در شبکه‌های اجتماعی · ۲ نشست مردمی" in text
    assert [sb.value for sb in at.selectbox] == [DISTRICT, MONTH]
    assert all('lang="fa" dir="rtl"' in b for b in html_bodies(at) if "pub-card" in b or "pub-action" in b)


def test_the_english_page_says_the_same_in_english_with_jalali_dates(public_app, engine_of_store):
    at = _open(public_app, district=str(DISTRICT), period=PERIOD, lang="en")
    cards = _cards(at)
    catalog = store.metric_catalog(engine_of_store)
    assert list(cards) == [c for c, m in catalog.items() if m.public]
    assert re.fullmatch(
        r"News items published \d[\d,]* news items ↑ \+[\d.]+% against Mehr 1405 .*", cards["news_published"]
    )
    assert "out of 20" in cards["citizen_satisfaction"] and "hours" in cards["response_time_137_hours"]
    text = "\n".join(plain(b) for b in html_bodies(at))
    assert "District 7 in Aban 1405" in text and "12 Aban 1405" in text
    assert "Coverage: 4 news items · 12 social media posts · 2 public meetings" in text
    assert any(
        f'<h3><span lang="fa" dir="rtl">{PUBLIC_TITLE}</span></h3>' in b for b in html_bodies(at)
    )  # typed in Persian: marked so
    assert [sb.label for sb in at.selectbox] == ["District", "Month"]
    assert at.selectbox[1].format_func(at.selectbox[1].value) == "Aban 1405"
    assert not re.search(r"[\u0600-\u06ff]", at.selectbox[0].format_func(at.selectbox[0].value))


def _district_without_reports(engine) -> int:
    period = Period.month(*MONTH)
    values = store.metric_district_values(engine, period.start, period.end)
    silent = sorted(set(range(1, 23)) - set(values["district"].astype(int)))
    assert silent, "the sample has a district that sent nothing for Aban 1405"
    return silent[0]


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_a_district_that_did_not_report_reads_not_reported_never_zero(public_app, engine_of_store, lang):
    silent = _district_without_reports(engine_of_store)
    at = _open(public_app, district=str(silent), period=PERIOD, lang=lang)
    missing = {"fa": "گزارش نشده", "en": "Not reported"}[lang]
    cards = _cards(at)
    assert cards and all(missing in card for card in cards.values())
    assert not any(re.search(r"(^|\s)[0۰](\s|$)", card) for card in cards.values())


def test_every_district_is_listed_by_number_with_not_reported_in_place_of_a_figure(public_app, engine_of_store):
    silent = _district_without_reports(engine_of_store)
    at = _open(public_app, period=PERIOD)
    table = next(b for b in html_bodies(at) if "pub-table" in b)
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    names = [plain(re.search(r"<a [^>]+>(.*?)</a>", r).group(1)) for r in rows]
    assert names == [f"منطقه {calendar.to_persian_digits(d)}" for d in range(1, 23)]
    silent_row = plain(rows[silent - 1])
    public_count = sum(m.public for m in store.metric_catalog(engine_of_store).values())
    assert silent_row.count("گزارش نشده") == public_count
    assert f"?district={silent}&amp;period={PERIOD}" in rows[silent - 1]


@pytest.mark.parametrize(
    ("params", "fa", "en"),
    [
        ({"district": "99"}, "در میان مناطق ۱ تا ۲۲ نیست", "is not one of districts 1 to 22"),
        ({"period": "1405-13"}, "خوانا نیست", "cannot be read"),
        ({"period": "1390-01"}, "نزدیک‌ترین ماه", "showing the nearest month"),
        ({"lang": "de"}, "زبان نشانی", "is not known"),
    ],
)
def test_a_mistake_in_the_address_is_said_in_both_languages_and_the_page_still_opens(public_app, params, fa, en):
    at = _open(public_app, **params)
    notes = [b for b in html_bodies(at) if "pub-note warning" in b]
    assert len(notes) == 1, notes
    assert fa in notes[0] and en in notes[0]
    assert re.search(r'<p class="second" lang="en" dir="ltr">[^<]*' + re.escape(en), notes[0])
    assert "pub-table" in "".join(html_bodies(at))  # the page goes on with the nearest valid view


def test_choosing_a_district_and_month_writes_them_into_the_address(public_app):
    at = _open(public_app, lang="en")
    at.selectbox(key=public.DISTRICT_KEY).set_value(4).run()
    at.selectbox(key=public.MONTH_KEY).set_value((1405, 6)).run()
    assert not at.exception
    assert at.query_params["district"] == ["4"] or at.query_params["district"] == "4"
    assert str(at.query_params["period"]).strip("[]'") == "1405-06"
    assert "District 4 in Shahrivar 1405" in "\n".join(plain(b) for b in html_bodies(at))


INTERNAL_WORDS = re.compile(r"رتبه|صدک|میانه|rank|percentile|median|هدف|target|commitment|تعهد", re.I)


@pytest.mark.parametrize("lang", ["fa", "en"])
@pytest.mark.parametrize("district", [str(DISTRICT), ""])
def test_nothing_internal_reaches_the_public_page(public_app, engine_of_store, lang, district):
    params = {"period": PERIOD, "lang": lang}
    if district:
        params["district"] = district
    at = _open(public_app, **params)
    sent = _everything(at)
    for what, marker in INTERNAL_MARKERS.items():
        assert marker not in sent, f"the {what} reached the public page"
    for metric in store.metric_catalog(engine_of_store).values():
        if not metric.public:
            assert metric.name_fa not in sent and metric.name_en not in sent, metric.code
    read = [plain(b) for b in html_bodies(at)] + [sb.label for sb in at.selectbox]
    read += [str(o) for sb in at.selectbox for o in sb.options]
    assert not INTERNAL_WORDS.search("\n".join(read))
    assert PUBLIC_TITLE in sent if district else PUBLIC_TITLE not in sent


def test_the_public_mode_registers_no_internal_page(public_app):
    at = _open(public_app)
    internal = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "views").glob("*.py") if p.name != "public.py")
    assert "views/upload.py" in internal and "views/overview.py" in internal
    for page in internal:
        with pytest.raises(ValueError, match="registered"):
            at.switch_page(page)
    at.switch_page("views/public.py").run()
    assert not at.exception and _cards(at) == {} and "pub-table" in "".join(html_bodies(at))


def test_the_seed_catalog_marks_the_issues_public_metrics():
    public_codes = {c for c, m in metrics.catalog().items() if m.public}
    assert {"news_published", "public_meetings", "citizen_satisfaction", "response_time_137_hours"} <= public_codes
    assert "reports_submitted" not in public_codes


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_a_store_that_cannot_be_opened_is_said_in_both_languages_without_a_traceback(monkeypatch, tmp_path, lang):
    from streamlit.testing.v1 import AppTest

    from ui import data

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_DB_PATH", str(blocker / "store.sqlite"))  # under a file: cannot be opened
    monkeypatch.setenv("DASHBOARD_MODE", "public")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    data.forget_engines()
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    notes = [b for b in html_bodies(at) if "pub-note error" in b]
    assert len(notes) == 1
    assert "گزارش‌ها اکنون در دسترس نیستند" in notes[0] and "The reports cannot be reached right now" in notes[0]
    assert "Traceback" not in "".join(html_bodies(at))
    data.forget_engines()


def test_the_public_page_reads_the_same_on_sqlite_and_postgresql(any_engine, monkeypatch):
    """A small store of either kind: two months of a public and a non-public metric, and the month's reviews."""
    import pandas as pd
    from streamlit.testing.v1 import AppTest

    from monitoring.store.writes import BatchInfo
    from tests.public_seed import seed
    from ui import data

    aban, mehr = Period.month(*MONTH), Period.month(*MONTH).previous()
    rows = pd.DataFrame(
        [
            (DISTRICT, "news_published", aban.start, 44.0),
            (DISTRICT, "news_published", mehr.start, 40.0),
            (DISTRICT, "reports_submitted", aban.start, 9.0),
            (8, "news_published", mehr.start, 12.0),
        ],
        columns=["district", "metric", "period", "value"],
    )
    store.write_batch(any_engine, rows, BatchInfo("two-months.csv", "1" * 64, len(rows), 0, "loader.secret17"))
    seed(any_engine)
    url = any_engine.url.render_as_string(hide_password=False)
    if url.startswith("sqlite"):
        monkeypatch.setenv("DASHBOARD_DB_PATH", any_engine.url.database)
        monkeypatch.delenv("DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DASHBOARD_MODE", "public")
    monkeypatch.setenv("DASHBOARD_SAMPLE", "0")
    st.cache_data.clear()
    try:
        at = AppTest.from_file(DASHBOARD, default_timeout=60)
        at = _open(at, district=str(DISTRICT), period=aban.code, lang="en")
        cards = _cards(at)
        assert cards["news_published"].startswith("News items published 44 news items ↑ +10.0% against Mehr 1405")
        assert "no comparison with Aban 1404" in cards["news_published"]
        assert cards["public_meetings"].endswith("Not reported")
        sent = _everything(at)
        assert PUBLIC_TITLE in sent and "Reports submitted" not in sent
        for what, marker in INTERNAL_MARKERS.items():
            assert marker not in sent, what
        at = _open(AppTest.from_file(DASHBOARD, default_timeout=60), district="8", period=aban.code)
        assert all("گزارش نشده" in card for card in _cards(at).values())  # district 8 sent Mehr only
    finally:
        st.cache_data.clear()
        data.forget_engines()


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_the_sample_stores_public_page_shows_its_public_actions_and_never_its_internal_ones(
    sample_reviews_db_path, monkeypatch, lang
):
    """A fresh ``make run-public`` store: each district's public actions of the month on its page; the
    internal actions, the feedback, the meetings and the commitments nowhere."""
    from streamlit.testing.v1 import AppTest

    engine = store.make_engine(f"sqlite:///{sample_reviews_db_path}")
    try:
        month = Period.month(*MONTH)
        actions = store.actions(engine, start=month.start, end=month.end)
        internal = [a.title for a in store.actions(engine) if not a.public]
        internal += [a.description for a in store.actions(engine) if not a.public]
        internal += [a.feedback for a in store.actions(engine) if a.feedback]
        internal += [c.text for c in store.commitments_of(engine)] + [c.owner for c in store.commitments_of(engine)]
        internal += [m.decisions for m in store.meetings_of(engine) if m.decisions]
        internal += [m.attendees for m in store.meetings_of(engine) if m.attendees]
    finally:
        engine.dispose()
    public_districts = sorted({a.district for a in actions if a.public})
    assert len(public_districts) >= 3 and any(not a.public for a in actions)
    monkeypatch.setenv("DASHBOARD_DB_PATH", str(sample_reviews_db_path))
    monkeypatch.setenv("DASHBOARD_MODE", "public")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    st.cache_data.clear()
    try:
        for district in sorted({a.district for a in actions}):
            at = _open(
                AppTest.from_file(DASHBOARD, default_timeout=60), district=str(district), period=PERIOD, lang=lang
            )
            sent = _everything(at)
            for a in actions:
                if a.district == district and a.public:
                    assert a.title in sent, (district, a.title)
            for text in internal:
                assert text.strip() and text not in sent, (district, text)
    finally:
        st.cache_data.clear()
