"""The slides page under AppTest: pick views, build the deck, download a real .pptx."""

import io

from pptx import Presentation

from tests.views.helpers import notes
from ui import state


def test_the_slides_page_builds_a_deck_of_the_views_picked(app):  # noqa: F811
    at = app
    at.switch_page("views/export.py")
    at.query_params.update({"period": "1405-07", "metric": "news_published", "district": "7"})
    at.run()
    assert not at.exception
    assert "صفحهٔ منطقه" in at.multiselect(key="export_kinds").options
    at.multiselect(key="export_kinds").set_value(["tile_map", "ranking", "district"]).run()
    at.button(key="export_go").click().run()
    assert not at.exception and not notes(at, "error")
    _, code, deck = at.session_state["export_deck"]
    assert code == "1405-07"
    prs = Presentation(io.BytesIO(deck))
    assert len(prs.slides) == 4  # the title, the tile map, the ranking, the district page
    charts = [s for slide in prs.slides for s in slide.shapes if s.has_chart]
    assert len(charts) == 1 and len(charts[0].chart.plots[0].categories) >= 17  # the districts that reported


def test_a_district_slide_is_only_offered_with_a_district(app):  # noqa: F811
    at = app
    at.switch_page("views/export.py")
    at.run()
    offered = at.multiselect(key="export_kinds").options
    assert "رتبه‌بندی مناطق" in offered and "صفحهٔ منطقه" not in offered


def test_a_deck_built_for_one_period_is_not_offered_for_another(app):  # noqa: F811
    at = app
    at.switch_page("views/export.py")
    at.query_params.update({"period": "1405-07", "metric": "news_published"})
    at.run()
    at.button(key="export_go").click().run()
    assert len(at.get("download_button")) == 1
    # the user changes the month after building: no download of Mehr's deck under Aban's name
    at.selectbox(key=f"{state.PERIOD_KEY}_month").set_value(8).run()
    assert not at.exception
    assert len(at.get("download_button")) == 0
    assert any("دوباره" in n for n in notes(at, "info"))
