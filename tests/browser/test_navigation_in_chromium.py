"""Navigation that keeps the user's place, in Chromium against a real server: looking at a district
(a map tile, a ranking bar, a table link) keeps «منطقهٔ من»; a followed link is one history entry, so
Back needs one press; links are followed inside the session, so an administrator stays signed in
after following every link on the administrators' pages; links carry the user's choices; on a phone
the sidebar closes after a page or a period is chosen; an unknown path keeps its address.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.access import ADMIN_DISPLAY, open_upload_signed_in
from tools.browser import (
    MAIN,
    PHONE,
    SIDEBAR,
    choose_option,
    goto_settled,
    new_page,
    open_sidebar,
    settle_after,
    sidebar_is_open,
    wait_until_settled,
)

pytestmark = pytest.mark.browser

MY_DISTRICT = "منطقهٔ من"
CHOICES = "metric=news_published&period=1405-07&measure=per10k&district=3"
# set on the document before a link is followed: still there afterwards means no reload (same session)
_MARK = "() => { window.__dashSameDocument = 'yes'; }"
_MARKED = "() => window.__dashSameDocument === 'yes'"


def _params(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def _path(page) -> str:
    return urlsplit(page.url).path


def _my_district(page) -> str:
    return page.locator(SIDEBAR).get_by_role("combobox", name=MY_DISTRICT, exact=True).input_value()


def _title(page) -> str:
    return page.locator(f"{MAIN} h1").first.inner_text().strip()


# where on the screen a chart draws a point whose district (customdata) is not ``mine``: a heatmap's
# cell (the tile map) or a bar, from plotly's own axes
_POINT_OF_ANOTHER = """([id, mine]) => {
  const gd = document.getElementById(id), L = gd._fullLayout, box = gd.getBoundingClientRect();
  const axis = (name, letter) => L[letter + "axis" + (name && name.length > 1 ? name.slice(1) : "")];
  const at = (a, v) => box[a._id[0] === "x" ? "left" : "top"] + a._offset + a.l2p(a.d2l(v));
  for (const t of gd._fullData) {
    const cd = t.customdata; if (!cd || !t.visible) continue;
    const xa = axis(t.xaxis, "x"), ya = axis(t.yaxis, "y");
    if (t.type === "heatmap") {
      for (let r = 0; r < cd.length; r++) for (let c = 0; c < cd[r].length; c++) {
        const d = Array.isArray(cd[r][c]) ? cd[r][c][0] : cd[r][c];
        if (d && d !== mine && t.z[r][c] !== null) return {x: at(xa, t.x ? t.x[c] : c), y: at(ya, t.y ? t.y[r] : r), d};
      }
    } else {
      for (let i = 0; i < cd.length; i++) {
        const d = Array.isArray(cd[i]) ? cd[i][0] : cd[i];
        if (!d || d === mine) continue;
        const x = t.orientation === "h" ? t.x[i] / 2 : t.x[i], y = t.orientation === "h" ? t.y[i] : t.y[i] / 2;
        return {x: at(xa, x), y: at(ya, y), d};
      }
    }
  }
  return null;
}"""


def _click_point(page, chart: str, mine: int = 3) -> None:
    """A real mouse click on a point of a plotly chart (a tile, a bar) that is not my district's."""
    point = page.evaluate(_POINT_OF_ANOTHER, [f"dash-chart-{chart}", mine])
    assert point, f"no district's point in the chart {chart}"
    page.mouse.move(point["x"], point["y"])
    page.wait_for_timeout(300)
    settle_after(page, lambda: page.mouse.click(point["x"], point["y"]))
    page.wait_for_url(re.compile(r"/district\?"), timeout=30_000)
    wait_until_settled(page)


def _looking_at_another(page, before: str) -> None:
    assert _path(page).endswith("/district"), page.url
    params = _params(page)
    assert params.get("district") == "3" and params.get("show") not in (None, "3"), page.url
    assert params["metric"] == "news_published" and params["period"] == "1405-07" and params["measure"] == "per10k"
    assert _title(page) == f"منطقه {params['show'].translate(str.maketrans('0123456789', '۰۱۲۳۴۵۶۷۸۹'))}"
    assert _my_district(page) == before  # «منطقهٔ من» untouched
    assert page.evaluate(_MARKED), "the link reloaded the app (a new session)"


def test_my_district_is_kept_after_clicking_a_tile_a_bar_and_a_table_link(dashboard, browser):
    with new_page(browser) as page:
        goto_settled(page, f"{dashboard}/?{CHOICES}")
        mine = _my_district(page)
        assert mine == "منطقه ۳"
        page.evaluate(_MARK)
        _click_point(page, "tile_map")
        _looking_at_another(page, mine)

        goto_settled(page, f"{dashboard}/rankings?{CHOICES}")
        page.evaluate(_MARK)
        _click_point(page, "ranking_bars")
        _looking_at_another(page, mine)

        goto_settled(page, f"{dashboard}/rankings?{CHOICES}")
        page.evaluate(_MARK)
        link = page.locator(f"{MAIN} a.dash-cell-link").filter(has_not_text="منطقه ۳").first
        settle_after(page, link.click)
        _looking_at_another(page, mine)


def test_one_back_per_view(dashboard, browser):
    with new_page(browser) as page:
        goto_settled(page, f"{dashboard}/rankings")
        assert _title(page) == "رتبه‌بندی مناطق" and "metric" in _params(page)
        entries = page.evaluate("() => history.length")
        settle_after(page, page.locator(f"{MAIN} a.dash-cell-link").first.click)
        assert _path(page).endswith("/district") and "show" in _params(page)
        settle_after(page, page.go_back)
        assert _path(page).endswith("/rankings"), page.url
        assert _title(page) == "رتبه‌بندی مناطق"
        assert page.evaluate("() => history.length") == entries + 1  # the district page: one entry

        # the sidebar's menu: one entry a page, too
        settle_after(page, lambda: page.locator(f"{SIDEBAR} [data-testid=stSidebarNav] a[href*='/reporting']").click())
        assert _path(page).endswith("/reporting") and "period" in _params(page)
        settle_after(page, page.go_back)
        assert _path(page).endswith("/rankings") and _title(page) == "رتبه‌بندی مناطق", page.url

        # a new choice is a new view: Back shows the one before it, in one press
        goto_settled(page, f"{dashboard}/district?district=3")
        choose_option(page, MY_DISTRICT, "منطقه ۵", within=SIDEBAR)
        assert _params(page)["district"] == "5" and _title(page) == "منطقه ۵"
        settle_after(page, page.go_back)
        assert _params(page).get("district") == "3", page.url
        assert _title(page) == "منطقه ۳" and _my_district(page) == "منطقه ۳"


@pytest.mark.parametrize("typed", ["rankings", "rankings?period=1300-01&measure=nonsense"])
def test_a_typed_address_is_one_history_entry_normalised_in_place(dashboard, browser, typed):
    with new_page(browser) as page:
        goto_settled(page, f"{dashboard}/?{CHOICES}")
        entries = page.evaluate("() => history.length")
        goto_settled(page, f"{dashboard}/{typed}")  # typed in the address bar: no choices, or wrong ones
        assert _title(page) == "رتبه‌بندی مناطق"
        assert "metric" in _params(page) and _params(page)["period"] != "1300-01", page.url
        assert page.evaluate("() => history.length") == entries + 1, "the normalised address was pushed"
        settle_after(page, page.go_back)
        assert _path(page) == urlsplit(dashboard).path + "/" and _params(page)["metric"] == "news_published"
        assert _title(page) != "رتبه‌بندی مناطق", "Back stayed on the page it was typed for"


def _in_app_links(page) -> list[str]:
    """The main area's links to a page of the dashboard (relative or same-site, not downloads)."""
    return page.evaluate(
        f"""() => Array.from(document.querySelectorAll('{MAIN} a[href]'))
          .filter(a => !a.hasAttribute('download') && (!a.target || a.target === '_self'))
          .map(a => a.getAttribute('href'))
          .filter(h => !h.startsWith('data:') && !h.startsWith('#'))
          .filter(h => new URL(h, location.href).origin === location.origin)"""
    )


def _signed_in(page) -> bool:
    return ADMIN_DISPLAY in page.locator(SIDEBAR).inner_text()


def test_an_administrator_stays_signed_in_after_following_every_link_on_the_admin_pages(dashboard, browser):
    with new_page(browser) as page:
        open_upload_signed_in(page, dashboard)
        assert _signed_in(page)
        followed: list[str] = []
        for admin_page in ("upload", "batches", "catalog"):
            settle_after(
                page, lambda p=admin_page: page.locator(f"{SIDEBAR} [data-testid=stSidebarNav] a[href*='/{p}']").click()
            )
            assert _path(page).endswith(f"/{admin_page}") and _signed_in(page), admin_page
            hrefs = _in_app_links(page)
            for index, href in enumerate(hrefs):
                page.evaluate(_MARK)
                settle_after(page, page.locator(f'{MAIN} a[href="{href}"]').first.click)
                assert page.evaluate(_MARKED), f"{href} on /{admin_page} reloaded the app"
                assert _signed_in(page), f"signed out after following {href} on /{admin_page}"
                followed.append(f"/{admin_page}: {href}")
                settle_after(page, page.go_back)
                assert _path(page).endswith(f"/{admin_page}"), (href, page.url)
                if index >= 5:  # the batches page lists a link a batch: a few of each kind are enough
                    break
        assert any(f.startswith("/upload:") and "batches" in f for f in followed), followed  # its own link


def test_links_carry_the_choices(dashboard, browser):
    with new_page(browser) as page:
        goto_settled(page, f"{dashboard}/?{CHOICES}")
        hrefs = [h for h in _in_app_links(page) if "?" in h]
        assert hrefs
        for href in hrefs:
            params = {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}
            assert params.get("district") == "3" and params.get("measure") == "per10k", href
            assert "period" in params and "metric" in params, href
        # the menu: its link carries the choices (for a new tab too), and the next page opens with them
        menu_link = page.locator(f"{SIDEBAR} [data-testid=stSidebarNav] a[href*='/reporting']")
        menu_link.hover()
        href = menu_link.get_attribute("href") or ""
        assert "district=3" in href and "period=1405-07" in href and "measure=per10k" in href, href
        settle_after(page, menu_link.click)
        params = _params(page)
        assert params.get("district") == "3" and params.get("period") == "1405-07", page.url


def test_on_a_phone_the_sidebar_closes_after_a_page_or_a_period_is_chosen(dashboard, browser):
    with new_page(browser, PHONE) as page:
        goto_settled(page, f"{dashboard}/rankings?{CHOICES}")
        page.evaluate(_MARK)
        if not sidebar_is_open(page):
            open_sidebar(page)
        settle_after(page, lambda: page.locator(f"{SIDEBAR} [data-testid=stSidebarNav] a[href*='/reporting']").click())
        page.wait_for_function("() => document.querySelector('[data-testid=stSidebar]').dataset.collapsed === 'true'")
        assert _path(page).endswith("/reporting") and page.evaluate(_MARKED)

        open_sidebar(page)
        choose_option(page, "ماه", within=SIDEBAR)
        page.wait_for_function("() => document.querySelector('[data-testid=stSidebar]').dataset.collapsed === 'true'")
        assert not sidebar_is_open(page)


def test_an_unknown_path_keeps_its_address(dashboard, browser):
    with new_page(browser) as page:
        goto_settled(page, f"{dashboard}/no-such-page?x=1")
        page.wait_for_function("() => location.pathname.endsWith('/no-such-page')", timeout=10_000)
        assert _title(page) == "این صفحه پیدا نشد"
        shade = "(a) => getComputedStyle(a).backgroundColor"
        menu = page.locator(f"{SIDEBAR} [data-testid=stSidebarNav] a")
        current = page.locator(f"{SIDEBAR} [data-testid=stSidebarNav] a[aria-current=page]")
        assert current.evaluate(shade) == menu.nth(1).evaluate(shade)  # «نمای کلی» is not marked as open
        page.evaluate(_MARK)
        settle_after(page, page.locator(f"{MAIN} a[href='./rankings']").click)
        assert _path(page).endswith("/rankings") and page.evaluate(_MARKED)
