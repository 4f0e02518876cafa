def test_a_benchmarks_environment_is_the_one_its_pages_read(monkeypatch, tmp_path):
    from benchmarks import cases
    from monitoring import config

    monkeypatch.setenv("DASHBOARD_DB_PATH", str(tmp_path / "outside.sqlite"))
    assert config.settings().database_url.endswith("outside.sqlite")
    with cases._environment({"DASHBOARD_DB_PATH": str(tmp_path / "inside.sqlite")}):
        assert config.settings().database_url.endswith("inside.sqlite")
    assert config.settings().database_url.endswith("outside.sqlite")
