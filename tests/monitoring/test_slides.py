"""The deck builder: read each deck back with python-pptx."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation

from monitoring import slides, store
from monitoring.calendar import Period
from tests.conftest import SAMPLE_TODAY

PERIOD = Period.month(1405, 8)  # Aban 1405, the sample's last complete month


def _deck(engine, views, district=None, **kwargs):
    data = slides.build_deck(engine, views, PERIOD, district=district, today=SAMPLE_TODAY, **kwargs)
    return Presentation(io.BytesIO(data))


def test_default_deck_has_a_title_slide_and_one_slide_a_view(sample_engine):
    catalog = store.metric_catalog(sample_engine)
    views = slides.default_views(catalog, ["news_published", "citizen_satisfaction"], district=10)
    deck = _deck(sample_engine, views, district=10)
    assert len(deck.slides) == len(views) + 1
    assert deck.slide_width * 9 == deck.slide_height * 16


def test_unknown_metric_is_refused_in_persian_and_english(sample_engine):
    with pytest.raises(slides.DeckError, match="no_such_metric") as info:
        _deck(sample_engine, [slides.SlideView("ranking", "no_such_metric")])
    assert "شاخص" in str(info.value)
