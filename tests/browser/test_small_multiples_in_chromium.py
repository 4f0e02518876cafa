"""The district page's small charts as a district head sees them, at a desk's and a phone's width,
compared with another district (``compare=4``): every drawn line inside its panel's y range as plotly.js
resolved it, and panels tall enough to read."""

from __future__ import annotations

import pytest

from tools.browser import goto_settled, new_page

pytestmark = pytest.mark.browser

# each panel's resolved y range and height, and the values each trace draws on it
_PANELS = """(id) => {
  const gd = document.getElementById(id), full = gd._fullLayout;
  const panels = {};
  for (const trace of gd._fullData) {
    const name = "yaxis" + (trace.yaxis === "y" ? "" : trace.yaxis.slice(1));
    const axis = full[name];
    const values = (trace.y || []).filter((v) => v !== null && v !== undefined);
    const panel = panels[name] || (panels[name] = {range: axis.range.slice(), height: axis._length, traces: [],
                                                   ticks: (axis._vals || []).map((t) => t.x)});
    if (values.length) panel.traces.push({name: trace.name || "", low: Math.min(...values), high: Math.max(...values)});
  }
  return panels;
}"""


@pytest.mark.parametrize("width", [1440, 390])
def test_the_compared_districts_lines_stay_inside_readable_panels(dashboard, browser, width):
    with new_page(browser, {"width": width, "height": 1000}) as page:
        goto_settled(page, f"{dashboard}/district?district=3&metric=news_published&period=1405-07&compare=4")
        chart = page.locator("#dash-chart-small_multiples")
        chart.scroll_into_view_if_needed()
        assert chart.get_attribute("data-dash-chart") == "drawn"
        panels = page.evaluate(_PANELS, "dash-chart-small_multiples")
    assert len(panels) >= 4
    problems = []
    compared = 0
    for name, panel in panels.items():
        low, high = sorted(panel["range"])
        if panel["height"] < 140:
            problems.append(f"{name}: {panel['height']:.0f} px tall")
        for trace in panel["traces"]:
            compared += trace["name"] == "منطقه ۴"
            ticks = sorted(panel["ticks"])
            step = ticks[1] - ticks[0] if len(ticks) > 1 else high - low
            if ticks and (trace["high"] - ticks[-1] > step or ticks[0] - trace["low"] > step):
                problems.append(f"{name}: {trace['name'] or 'band'} runs beyond the ticks {ticks}")
            if trace["low"] < low or trace["high"] > high:
                problems.append(
                    f"{name}: {trace['name'] or 'band'} ({trace['low']}..{trace['high']}) leaves {low}..{high}"
                )
    assert compared == len(panels), "the compared district is not drawn on every panel"
    assert problems == [], f"at {width} px:\n  - " + "\n  - ".join(problems)
