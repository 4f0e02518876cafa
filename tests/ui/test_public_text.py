"""The public page's one table of strings: every key in both languages, each language in its own script,
the same placeholders in both; the English units cover the catalog's."""

from __future__ import annotations

import re
import string

import pytest

from monitoring import metrics
from ui import public, public_text
from ui.public_text import LANGS, OTHER_LANGUAGE, STRINGS, UNITS_EN, lang_of, text

LATIN = re.compile(r"[A-Za-z]")
PERSIAN = re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _without_placeholders(template: str) -> str:
    return re.sub(r"\{[a-z_]+\}", "", template)


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_is_written_in_both_languages(key):
    assert set(STRINGS[key]) == set(LANGS)
    for lang in LANGS:
        assert STRINGS[key][lang].strip(), f"{key} has no {lang} text"


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_each_language_is_written_in_its_own_script_with_the_same_placeholders(key):
    fa, en = (_without_placeholders(STRINGS[key][lang]) for lang in LANGS)
    if key in OTHER_LANGUAGE:  # the switch names the other language in that language
        fa, en = en, fa
    assert not LATIN.search(fa), f"{key}: Latin letters in the Persian text: {fa!r}"
    assert not PERSIAN.search(en), f"{key}: Persian letters in the English text: {en!r}"
    assert _placeholders(STRINGS[key]["fa"]) == _placeholders(STRINGS[key]["en"]), key


def test_the_language_comes_from_the_address_and_an_unknown_one_is_said():
    assert lang_of(None) == lang_of("") == "fa"
    assert lang_of("EN ") == "en" and lang_of("fa") == "fa"
    assert lang_of("de") is None


def test_a_string_is_filled_in_the_language_asked_for():
    assert text("heading", "en", district="District 7", month="Mehr 1404") == "District 7 in Mehr 1404"
    assert text("heading", "fa", district="منطقه ۷", month="مهر ۱۴۰۴") == "منطقه ۷ در مهر ۱۴۰۴"


def test_every_unit_of_the_catalog_has_its_english():
    units = {metrics.unit_text(m) for m in metrics.catalog().values()}
    missing = {u for u in units if u not in UNITS_EN and not u.startswith("از ")}
    assert not missing, f"units with no English in ui/public_text.UNITS_EN: {missing}"


def test_a_unit_without_english_stays_persian_in_a_persian_element():
    metric = metrics.Metric("x", "شاخص", "Metric", "واحدی-تازه", "sum", "higher", 0, True)
    assert public.unit_html(metric, "en") == '<span lang="fa" dir="rtl">واحدی-تازه</span>'
    score = metrics.get("citizen_satisfaction")
    assert public.unit_html(score, "en") == "out of 20"
    assert public.unit_html(score, "fa") == "از ۲۰"


def test_a_persian_value_in_an_english_sentence_is_marked_persian_and_the_reverse():
    english = public.say("bad_district", "en", asked="۷۷ الف")
    assert '<bdi lang="fa" dir="rtl">۷۷ الف</bdi>' in english
    persian = public.say("bad_district", "fa", asked="abc")
    assert '<bdi lang="en" dir="ltr">abc</bdi>' in persian
    assert "<script" not in public.say("bad_district", "en", asked="<script>x</script>")


def test_the_strings_module_names_no_key_twice():
    source = open(public_text.__file__, encoding="utf-8").read()
    keys = re.findall(r'^    "([a-z_]+)": \{', source, flags=re.M)
    assert len(keys) == len(set(keys)) == len(STRINGS)


def test_a_code_in_persian_digits_keeps_its_order_in_a_persian_sentence():
    assert '<bdi dir="ltr">۱۴۰۴-۰۷</bdi>' in public.say("bad_period", "fa", asked="x", shown="آبان ۱۴۰۵")


def test_the_public_look_aims_at_streamlit_only_through_the_seam_registry():
    from ui import seam

    raw = public._CSS
    assert "data-testid" not in raw and not re.findall(r"\.st[A-Z]\w*", raw)
    assert not re.findall(r"\.e[a-z0-9]{6,7}\b", raw)
    assert set(re.findall(r"\$(\w+)", raw)) <= {s.name for s in seam.SELECTORS}
    assert "$header" in raw  # no menu on the public site
