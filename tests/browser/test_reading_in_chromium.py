"""Every page read as a Persian-reading manager reads it, on a desk (1440×1000) and a phone (390×844).

Issue 5's browser suite: the sidebar opens and closes without covering the page; no text is cut; the
overview's first chart is in the first screen; nothing is requested from another host; choices follow
the user from page to page and live in the URL; a bad link opens the nearest view with a Persian
notice; no Latin letters on screen outside elements marked lang="en" and <code>.

One server for the module, on a fresh store. Each (page, width) is opened once and read by several
tests (`_look`); tests that change a page open their own. Screenshots of what failed go to
test-artifacts/reading-*.png.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Page

from monitoring import calendar, metrics, store
from monitoring.calendar import Period, PeriodParseError
from tests.access import open_upload_signed_in
from tools.browser import (
    DESK,
    MAIN,
    PHONE,
    SIDEBAR,
    capture_foreign_requests,
    choose_option,
    clipped_texts,
    close_sidebar,
    english_placeholders,
    english_tooltips,
    first_chart_top,
    goto_settled,
    latin_outside_english,
    new_page,
    notices,
    open_sidebar,
    settle_after,
    sidebar_covers_main,
    sidebar_is_open,
    sidebar_on_screen,
    widget_choices,
)
from tools.streamlit_server import PROJECT_ROOT

pytestmark = pytest.mark.browser

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
PAGES = {
    "overview": "/",
    "rankings": "/rankings",
    "district": "/district?district=10&compare=4",
    "reporting": "/reporting",
    "export": "/export?district=7",
    "upload": "/upload",
    "review": "/review?district=10&period=1405-08",
    "unknown": "/nope",
}
WIDTHS = {"desk": DESK, "phone": PHONE}
EVERY_PAGE_AND_WIDTH = [pytest.param(p, w, id=f"{p}-{w}") for p in PAGES for w in WIDTHS]
BOTH_WIDTHS = [pytest.param(w, id=w) for w in WIDTHS]

SATISFACTION = "citizen_satisfaction"
SUMMER_1404 = "1404-Q2"  # «تابستان ۱۴۰۴»
SMALL_CSV = "district,metric,period,value\n1,reports_submitted,1404/07,12\n2,reports_submitted,1404/07,9\n"
LATIN = re.compile(r"[A-Za-z]")
NOTICE_BOXES = ", ".join(
    f"{MAIN} {box}"
    for box in (
        "[data-testid=stAlertContentWarning]",
        "[data-testid=stAlertContentInfo]",
        "[role=status]",
        "[role=alert]",
    )
)


# ---------------------------------------------------------------- server, browser, shared looks


@pytest.fixture(scope="module")
def store_path(dashboard_store: Path) -> Path:
    return dashboard_store


@dataclass
class Look:
    """What one page showed at one width, opened cold, before anything was pressed."""

    url: str
    sidebar_open: bool
    clipped: list[str]
    latin: list[str]
    chart_top: float | None
    body_text: str
    main_links: list[str]
    tooltips: list[str]  # after hovering the first chart
    placeholders: list[str]
    foreign: list[str] = field(default_factory=list)  # requests to other hosts, navigation and hover included


@pytest.fixture(scope="module")
def looks() -> dict[tuple[str, str], Look]:
    return {}


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"reading-{name}.png"))


def _look(dashboard: str, browser: Browser, looks: dict, page_name: str, width: str) -> Look:
    if (page_name, width) in looks:
        return looks[(page_name, width)]
    with new_page(browser, WIDTHS[width]) as page:
        foreign = capture_foreign_requests(page, dashboard)
        _open(page, dashboard, page_name)
        look = Look(
            url=page.url,
            sidebar_open=sidebar_is_open(page),
            clipped=clipped_texts(page),
            latin=latin_outside_english(page),
            chart_top=first_chart_top(page),
            body_text=page.evaluate("() => document.body.innerText"),
            main_links=page.evaluate(
                f"() => Array.from(document.querySelectorAll('{MAIN} a[href]')).map(a => new URL(a.href).pathname)"
            ),
            tooltips=[],
            placeholders=english_placeholders(page),
            foreign=foreign,
        )
        if look.clipped or look.latin:
            _shot(page, f"{page_name}-{width}")
        chart = page.locator(f"{MAIN} [data-dash-chart], {MAIN} [data-testid=stPlotlyChart]").first
        if chart.count():
            chart.hover(force=True, timeout=10_000)  # plotly shows its modebar on hover: polled until it does
            page.wait_for_function(
                "() => Array.from(document.querySelectorAll('.modebar')).some(m => m.checkVisibility())",
                timeout=10_000,
            )
        look.tooltips = english_tooltips(page)
    looks[(page_name, width)] = look
    return look


def _open(page: Page, dashboard: str, page_name: str) -> None:
    """Open one of PAGES; the upload page as the administrator who uses it (signed in on its notice)."""
    if page_name == "upload":
        open_upload_signed_in(page, dashboard)
    else:
        goto_settled(page, dashboard + PAGES[page_name])


def _lines(items: list[str]) -> str:
    return "\n  - " + "\n  - ".join(items)


# ---------------------------------------------------------------- 1. the sidebar


@pytest.mark.parametrize(("page_name", "width"), EVERY_PAGE_AND_WIDTH)
def test_sidebar_closes_and_reopens_without_covering_the_page(
    dashboard: str, browser: Browser, page_name: str, width: str
) -> None:
    problems: list[str] = []
    phone = width == "phone"

    def check(step: str, should_be_open: bool) -> None:
        found: list[str] = []
        if should_be_open and not phone:
            found = [f"{step}: {c}" for c in sidebar_covers_main(page)]
        elif should_be_open and phone:
            if not sidebar_on_screen(page):
                found = [f"{step}: the sidebar's open button was pressed but nothing of the sidebar shows"]
        else:
            found = [f"{step}: still on screen: {piece}" for piece in sidebar_on_screen(page)[:6]]
        if found:
            _shot(page, f"sidebar-{page_name}-{width}-{len(problems)}")
        problems.extend(found)

    with new_page(browser, WIDTHS[width]) as page:
        _open(page, dashboard, page_name)
        if phone and sidebar_is_open(page):
            problems.append(
                "on a phone the sidebar opens by itself and covers the page: "
                + "; ".join(sidebar_covers_main(page)[:2])
            )
            _shot(page, f"sidebar-{page_name}-{width}-start")
        elif phone:
            check("on a phone, the sidebar starts closed", should_be_open=False)
        if not sidebar_is_open(page):
            open_sidebar(page)
        check("the sidebar open", should_be_open=True)
        close_sidebar(page)
        check("after closing the sidebar", should_be_open=False)
        open_sidebar(page)
        check("after reopening the sidebar", should_be_open=True)
        close_sidebar(page)
        check("after closing the sidebar again", should_be_open=False)
    assert problems == [], f"{PAGES[page_name]} at {WIDTHS[width]['width']} px:{_lines(problems)}"


# ---------------------------------------------------------------- 2, 3. clipped text, first screen


@pytest.mark.parametrize(("page_name", "width"), EVERY_PAGE_AND_WIDTH)
def test_no_text_is_clipped_in_cards_tables_headings_and_charts(
    dashboard: str, browser: Browser, looks: dict, page_name: str, width: str
) -> None:
    look = _look(dashboard, browser, looks, page_name, width)
    assert look.clipped == [], f"{PAGES[page_name]} at {WIDTHS[width]['width']} px cuts text:{_lines(look.clipped)}"


def test_overview_shows_its_first_chart_in_the_first_screen_on_a_desk(
    dashboard: str, browser: Browser, looks: dict
) -> None:
    look = _look(dashboard, browser, looks, "overview", "desk")
    assert look.chart_top is not None, "the overview shows no chart at all"
    assert look.chart_top < DESK["height"], (
        f"at {DESK['width']}×{DESK['height']} the overview's first chart starts {look.chart_top:.0f} px down: "
        "a manager sees no chart without scrolling"
    )


# ---------------------------------------------------------------- 4. no other host


@pytest.mark.parametrize(("page_name", "width"), EVERY_PAGE_AND_WIDTH)
def test_nothing_is_requested_from_another_host(
    dashboard: str, browser: Browser, looks: dict, page_name: str, width: str
) -> None:
    look = _look(dashboard, browser, looks, page_name, width)
    assert look.foreign == [], (
        f"{PAGES[page_name]} at {WIDTHS[width]['width']} px asks other hosts than {urlparse(dashboard).netloc} "
        f"(fails on an intranet, tells an outsider who reads the dashboard):{_lines(sorted(set(look.foreign)))}"
    )


# ---------------------------------------------------------------- 5. choices follow the user


def _query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def _seen_text(page: Page) -> str:
    """The main block's and sidebar's text, chart texts and what the selectboxes show."""
    text = page.evaluate(
        f"() => Array.from(document.querySelectorAll('{MAIN}, {SIDEBAR}')).map(e => e.innerText).join('\\n')"
    )
    chart_text = page.evaluate(
        "() => Array.from(document.querySelectorAll('.js-plotly-plot svg text')).map(t => t.textContent).join('\\n')"
    )
    return "\n".join([text, chart_text, *widget_choices(page).values()])


def _follow_sidebar_link(page: Page, path: str) -> None:
    """Click the sidebar's navigation link to ``path`` as a user does (on a phone, opening the sidebar first)."""
    if not sidebar_is_open(page):
        open_sidebar(page)
    index = page.evaluate(
        """(path) => Array.from(document.querySelectorAll('[data-testid=stSidebarNav] a[href]'))
          .findIndex(a => (new URL(a.href).pathname.replace(/\\/+$/, '') || '/') === path)""",
        path,
    )
    assert index >= 0, f"the sidebar has no link to {path}"
    link = page.locator("[data-testid=stSidebarNav] a[href]").nth(index)
    settle_after(page, lambda: link.click(timeout=10_000))
    page.wait_for_url(lambda u: (urlparse(u).path.rstrip("/") or "/") == path, timeout=10_000)
    settle_after(page, lambda: None, start_timeout=1.0)


def _differences_from(page: Page, where: str, metric_code: str, period: Period) -> list[str]:
    found = []
    query = _query(page)
    if query.get("metric") != [metric_code]:
        found.append(f"{where}: the URL says metric={query.get('metric')}, not {metric_code}")
    if query.get("period") != [period.code]:
        found.append(f"{where}: the URL says period={query.get('period')}, not {period.code}")
    text = _seen_text(page)
    if period.label not in text:
        found.append(f"{where}: «{period.label}» is nowhere on the page")
    name = metrics.get(metric_code).name_fa
    if name not in text:
        found.append(f"{where}: the metric «{name}» is nowhere on the page")
    return found


@pytest.mark.parametrize("width", BOTH_WIDTHS)
def test_metric_and_period_follow_the_user_to_rankings_and_back(dashboard: str, browser: Browser, width: str) -> None:
    period = Period.parse(SUMMER_1404)
    with new_page(browser, WIDTHS[width]) as page:
        goto_settled(page, f"{dashboard}/?metric={SATISFACTION}&period={SUMMER_1404}")
        problems = _differences_from(page, "the overview opened from the link", SATISFACTION, period)
        _follow_sidebar_link(page, "/rankings")
        problems += _differences_from(page, "rankings, reached by the sidebar link", SATISFACTION, period)
        _follow_sidebar_link(page, "/")
        problems += _differences_from(page, "the overview again, by the sidebar link", SATISFACTION, period)
    assert problems == [], f"choices lost between pages at {WIDTHS[width]['width']} px:{_lines(problems)}"


def _month_picked_in_sidebar(page: Page) -> Period:
    """Choose another month in the sidebar's «ماه» selectbox; returns the period the URL then names."""
    if not sidebar_is_open(page):
        open_sidebar(page)
    choose_option(page, "ماه", within=SIDEBAR)
    if not sidebar_is_open(page):  # on a phone the sidebar gives the page back once a month is chosen
        open_sidebar(page)
    codes = _query(page).get("period", [])
    assert codes, f"after choosing a month the URL names no period: {page.url}"
    return Period.parse(codes[0])


@pytest.mark.parametrize("width", BOTH_WIDTHS)
def test_a_month_chosen_in_the_sidebar_is_still_chosen_on_the_next_page(
    dashboard: str, browser: Browser, width: str
) -> None:
    with new_page(browser, WIDTHS[width]) as page:
        goto_settled(page, f"{dashboard}/")
        before = widget_choices(page).get("sidebar: ماه")
        chosen = _month_picked_in_sidebar(page)
        picked = widget_choices(page).get("sidebar: ماه")
        assert picked != before and chosen.kind == "month" and chosen.label in _seen_text(page), (
            f"choosing a month on the overview did not show it (selectbox «{picked}», URL period {chosen.code})"
        )
        _follow_sidebar_link(page, "/rankings")
        if not sidebar_is_open(page):  # on a phone the sidebar closes once a page is chosen
            open_sidebar(page)
        shown = widget_choices(page).get("sidebar: ماه")
        query = _query(page).get("period")
        problems = []
        if shown != picked:
            problems.append(f"the month selectbox on rankings shows «{shown}», not «{picked}» chosen on the overview")
        if query != [chosen.code]:
            problems.append(f"the rankings URL says period={query}, not {chosen.code}")
        if chosen.label not in _seen_text(page):
            problems.append(f"«{chosen.label}» is nowhere on the rankings page")
    assert problems == [], f"at {WIDTHS[width]['width']} px:{_lines(problems)}"


@pytest.mark.parametrize("width", BOTH_WIDTHS)
def test_a_copied_url_reopens_the_same_view(dashboard: str, browser: Browser, width: str) -> None:
    with new_page(browser, WIDTHS[width]) as page:
        goto_settled(page, f"{dashboard}/rankings")
        choose_option(page, "شاخص", metrics.get(SATISFACTION).name_fa, within=MAIN)
        _month_picked_in_sidebar(page)
        copied, chosen, query = page.url, widget_choices(page), _query(page)
    with new_page(browser, WIDTHS[width]) as fresh:
        goto_settled(fresh, copied)
        reopened_query = _query(fresh)
        if not sidebar_is_open(fresh):  # Streamlit draws a closed sidebar's widgets only once it is opened
            open_sidebar(fresh)
        reopened = widget_choices(fresh)
    differences = [
        f"«{label}» shows «{reopened.get(label)}», it showed «{value}»"
        for label, value in chosen.items()
        if reopened.get(label) != value
    ]
    if reopened_query != query:
        differences.append(f"the URL query became {reopened_query}, it was {query}")
    assert differences == [], f"{copied} opened in a fresh browser is another view:{_lines(differences)}"


# ---------------------------------------------------------------- 6. bad links, unknown paths


def _data_months(store_path: Path) -> tuple[tuple[int, int], tuple[int, int]]:
    first, last = store.period_range(store.make_engine(f"sqlite:///{store_path}"))
    return calendar.jalali_month_of(first), calendar.jalali_month_of(last)


def _nearest(code: str, first: tuple[int, int], last: tuple[int, int]) -> Period | None:
    """The period a link should open: itself when it holds data, else the same kind at the nearer end
    of the data; None when the code cannot be read at all (any valid period will do)."""
    try:
        period = Period.parse(code)
    except (ValueError, PeriodParseError):
        return None
    if any(first <= m <= last for m in period.months):
        return period
    year, month = last if period.months[0] > last else first
    if period.kind == "month":
        return Period.month(year, month)
    if period.kind == "season":
        return Period.season(year, (month - 1) // 3 + 1)
    return Period.whole_year(year)


@pytest.mark.parametrize("width", BOTH_WIDTHS)
@pytest.mark.parametrize("code", ["1410", "1390-01", "1405-Q4", "abc"])
def test_a_link_with_a_bad_period_opens_the_nearest_view_with_a_persian_notice(
    dashboard: str, browser: Browser, store_path: Path, code: str, width: str
) -> None:
    with new_page(browser, WIDTHS[width]) as page:
        goto_settled(page, f"{dashboard}/?period={code}")
        first, last = _data_months(store_path)
        expected = _nearest(code, first, last)
        shown_codes = _query(page).get("period", [])
        boxes = notices(page)
        english = latin_outside_english(page, within=NOTICE_BOXES)
        text = _seen_text(page)
        url = page.url
        _shot(page, f"bad-period-{code}-{width}")
    problems = []
    assert len(shown_codes) == 1, f"?period={code}: the URL was not rewritten to the period shown ({url})"
    try:
        shown = Period.parse(shown_codes[0])
    except (ValueError, PeriodParseError):
        pytest.fail(f"?period={code}: the URL now names period={shown_codes[0]}, which is not a period either")
    if expected is not None and shown != expected:
        problems.append(f"it shows {shown.label} ({shown.code}); the nearest period with data is {expected.label}")
    if shown.label not in text:
        problems.append(f"the URL says {shown.code} but «{shown.label}» is nowhere on the page")
    changed = expected is None or expected.code != code
    if changed:
        asked = {code, calendar.to_persian_digits(code)}
        try:
            asked.add(Period.parse(code).label)  # «فروردین ۱۳۹۰» says 1390-01 as well
        except (ValueError, PeriodParseError):
            pass
        said = [b for b in boxes if shown.label in b["fa"] and any(a in b["text"] for a in asked)]
        if not said:
            found = [b["text"] for b in boxes] or "none"
            problems.append(f"no notice says «{code}» was replaced by «{shown.label}» (notices: {found})")
        elif not any(re.search("[\u0600-\u06ff]", b["fa"]) and len(b["fa"]) <= 200 for b in said):
            problems.append(f"the notice is not a short Persian sentence: {[b['fa'] for b in said]}")
        problems += [f"the notice has English outside lang=en: {w}" for w in english]
    assert problems == [], f"/?period={code} at {WIDTHS[width]['width']} px:{_lines(problems)}"


@pytest.mark.parametrize("width", BOTH_WIDTHS)
def test_an_unknown_path_shows_a_persian_page_with_links_to_the_pages(
    dashboard: str, browser: Browser, looks: dict, width: str
) -> None:
    look = _look(dashboard, browser, looks, "unknown", width)
    problems = []
    if "not found" in look.body_text.lower():
        problems.append("it says «Page not found» in English")
    for path in ("/", "/rankings"):  # /upload is for administrators: not offered to a reader
        if path not in look.main_links:
            problems.append(f"the page itself has no link to {path} (links: {look.main_links or 'none'})")
    if not re.search("[\u0600-\u06ff]", look.body_text):
        problems.append("it has no Persian text")
    assert problems == [], f"/nope at {WIDTHS[width]['width']} px:{_lines(problems)}"


# ---------------------------------------------------------------- 7. Persian on screen


@pytest.mark.parametrize(("page_name", "width"), EVERY_PAGE_AND_WIDTH)
def test_no_latin_letters_on_screen_outside_english_marked_text(
    dashboard: str, browser: Browser, looks: dict, page_name: str, width: str
) -> None:
    look = _look(dashboard, browser, looks, page_name, width)
    assert look.latin == [], (
        f"{PAGES[page_name]} at {WIDTHS[width]['width']} px shows Latin letters outside lang=en and code:"
        f"{_lines(look.latin)}"
    )


@pytest.mark.parametrize(("page_name", "width"), EVERY_PAGE_AND_WIDTH)
def test_chart_buttons_and_empty_selectboxes_speak_persian(
    dashboard: str, browser: Browser, looks: dict, page_name: str, width: str
) -> None:
    look = _look(dashboard, browser, looks, page_name, width)
    english = look.tooltips + look.placeholders
    assert english == [], f"{PAGES[page_name]} at {WIDTHS[width]['width']} px:{_lines(english)}"


@pytest.mark.parametrize("width", BOTH_WIDTHS)
def test_the_uploader_speaks_persian_while_it_is_used(dashboard: str, browser: Browser, width: str) -> None:
    seen: dict[str, str] = {}  # Latin text -> the step it was seen at

    def note(step: str) -> None:
        for entry in latin_outside_english(page):
            seen.setdefault(entry, step)

    with new_page(browser, WIDTHS[width]) as page:
        open_upload_signed_in(page, dashboard)
        note("opened")
        expander = page.locator(f"{MAIN} [data-testid=stExpander] summary").first
        if expander.count():
            expander.dispatch_event("click")
            page.locator(f"{MAIN} [data-testid=stExpanderDetails]").first.wait_for(state="visible", timeout=10_000)
            note("accepted formats opened")
        zone = page.locator(f"{MAIN} [data-testid=stFileUploaderDropzone]")
        assert zone.count() == 1, "the upload page has no file uploader"
        dragged = page.evaluate_handle(
            "() => { const d = new DataTransfer(); d.items.add(new File(['x'], 'x.csv', {type: 'text/csv'})); return d; }"
        )
        zone.dispatch_event("dragenter", {"dataTransfer": dragged})
        page.wait_for_timeout(300)
        note("a file dragged over the uploader")
        zone.dispatch_event("dragleave", {"dataTransfer": dragged})
        settle_after(
            page,
            lambda: page.set_input_files(
                f"{MAIN} input[type=file]",
                files=[{"name": "district-report.csv", "mimeType": "text/csv", "buffer": SMALL_CSV.encode()}],
            ),
        )
        chip = page.locator(f"{MAIN} [data-testid=stFileChip]")
        chip.wait_for(timeout=30_000)
        note("a file chosen")
        chip_text = chip.inner_text()
        if seen:
            _shot(page, f"uploader-{width}")
    # the chip names the user's own file as they named it; every other Latin text counts
    problems = [f"{entry} (when {step})" for entry, step in seen.items() if "«district-report.csv»" not in entry]
    size = chip_text.replace("district-report.csv", "")
    if LATIN.search(size):
        problems.append(f"the chosen file's size reads «{size.strip()}»")
    assert problems == [], f"the uploader at {WIDTHS[width]['width']} px shows English:{_lines(problems)}"
