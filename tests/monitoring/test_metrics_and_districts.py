import pytest

from monitoring import districts, metrics

EXPECTED = {
    "reports_submitted": ("گزارش‌های ارسالی به مرکز", "sum", "higher"),
    "meeting_requests": ("درخواست‌های ملاقات مردمی", "sum", "neutral"),
    "meeting_requests_resolved_pct": ("درصد رسیدگی به درخواست‌های ملاقات", "mean", "higher"),
    "citizen_satisfaction": ("رضایت شهروندان (از ۲۰)", "mean", "higher"),
    "requests_137": ("درخواست‌های سامانه ۱۳۷", "sum", "neutral"),
    "response_time_137_hours": ("میانگین زمان پاسخ سامانه ۱۳۷ (ساعت)", "mean", "lower"),
}


def test_catalog_holds_the_sixteen_default_metrics():
    catalog = metrics.catalog()
    assert len(catalog) == 16
    for code, (name, aggregation, direction) in EXPECTED.items():
        m = catalog[code]
        assert (m.name_fa, m.aggregation, m.direction) == (name, aggregation, direction)


def test_a_duplicate_metric_code_is_a_catalog_error(tmp_path):
    text = metrics.CATALOG_FILE.read_text(encoding="utf-8")
    lines = text.splitlines()
    (tmp_path / "m.csv").write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(metrics.CatalogError, match="repeats"):
        metrics.read_catalog(tmp_path / "m.csv")


def test_reference_has_22_districts_adding_up_to_about_8_7_million():
    ref = districts.reference()
    assert ref["district"].tolist() == list(range(1, 23))
    assert 8.4e6 < ref["population"].sum() < 9.0e6
    assert ref.loc[7, "name_fa"] == "منطقه ۷"
    assert len(set(zip(ref["tile_row"], ref["tile_col"], strict=True))) == 22  # no two tiles overlap


def test_two_names_differing_only_by_zwnj_or_arabic_letters_are_duplicates(tmp_path):
    text = metrics.CATALOG_FILE.read_text(encoding="utf-8")
    twin = "reports_twin,گزارشهاي ارسالی به مرکز,Twin,گزارش,sum,higher,0,yes,0,"
    (tmp_path / "m.csv").write_text(text.rstrip("\n") + "\n" + twin + "\n", encoding="utf-8")
    with pytest.raises(metrics.CatalogError, match="repeats"):
        metrics.read_catalog(tmp_path / "m.csv")


@pytest.mark.parametrize("name", ["![x](http://host/a.png)", "<img src=x>", "[پیوند](http://x)", "**پررنگ**", "$x$"])
def test_a_metric_name_that_a_page_would_read_as_markup_is_refused(name):
    from monitoring.metrics import CatalogError, Metric, check_catalog

    bad = Metric("odd_metric", name, "odd", "مورد", "sum", "higher", 0, True)
    with pytest.raises(CatalogError, match="markup"):
        check_catalog([bad])


@pytest.mark.parametrize("population", ["0", "-5", ""])
def test_a_district_seed_without_a_positive_population_is_refused_with_its_row(tmp_path, population):
    from monitoring import districts as district_ref

    text = district_ref.DISTRICTS_FILE.read_text(encoding="utf-8").splitlines()
    header, rows = text[0], text[1:]
    columns = header.split(",")
    cells = rows[2].split(",")
    cells[columns.index("population")] = population
    rows[2] = ",".join(cells)
    bad = tmp_path / "districts.csv"
    bad.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    with pytest.raises(ValueError) as raised:
        district_ref.read_reference(bad)
    message = str(raised.value)
    assert "سطر ۴" in message and "row 4" in message and "جمعیت" in message and "population" in message
