"""The documentation says what the code does (after datasette's test_docs.py): every setting is in the
registry and in the README's Configuration table, with the same default, and read nowhere else."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from monitoring import config

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
VARIABLE = re.compile(r"\b(?:DASHBOARD_[A-Z][A-Z0-9_]*[A-Z0-9]|DATABASE_URL)\b")
# reading one of them from the environment anywhere but the registry
DIRECT_READ = re.compile(r"""(?:environ(?:\.get\(|\[)|getenv\()\s*["'](?:DASHBOARD_|DATABASE_URL)""")
SKIPPED_FOLDERS = {".venv", ".git", "data", "test-artifacts", "node_modules", "__pycache__", "out"}


def _files(*suffixes: str) -> list[Path]:
    return [
        p
        for p in ROOT.rglob("*")
        if p.suffix in suffixes and p.is_file() and not SKIPPED_FOLDERS & set(p.relative_to(ROOT).parts)
    ]


def _readme_table() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Configuration") :]
    start = section.index("| variable | default | meaning |")
    return section[start : section.index("\n\n", start)]


def test_the_readme_configuration_table_is_the_registry():
    assert _readme_table() == config.markdown_table(), (
        "the README's Configuration table and monitoring/config.py's SETTINGS disagree: "
        "paste the output of `python -m monitoring.config` into the README"
    )


def test_every_variable_named_anywhere_in_the_project_is_a_registered_setting():
    named: dict[str, set[str]] = {}
    for path in _files(".py", ".sh", ".toml", ".md", ".conf", ".yml", ".yaml"):
        for name in VARIABLE.findall(path.read_text(encoding="utf-8", errors="replace")):
            named.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    unknown = {name: sorted(where) for name, where in named.items() if name not in config.BY_NAME}
    assert unknown == {}
    assert set(config.BY_NAME) <= set(named)


def test_no_module_reads_a_setting_from_the_environment_but_the_registry():
    readers = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _files(".py")
        if path.relative_to(ROOT).parts[0] != "tests" and path != ROOT / "monitoring" / "config.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if DIRECT_READ.search(line)
    ]
    assert readers == []


def test_each_setting_is_a_field_of_settings_and_each_field_a_setting():
    assert {f.name for f in dataclasses.fields(config.Settings)} == {s.field for s in config.SETTINGS}
    assert len(config.BY_NAME) == len(config.SETTINGS)


def test_each_setting_has_a_meaning_and_its_default_within_its_bounds():
    for setting in config.SETTINGS:
        assert setting.help.strip(), setting.name
        assert isinstance(setting.default, setting.type), setting.name
        if setting.bounds:
            low, high = setting.bounds
            assert low <= setting.default <= high, setting.name


@pytest.mark.parametrize("setting", config.SETTINGS, ids=lambda s: s.name)
def test_each_setting_reads_its_own_default_back_and_a_garbled_value_as_the_default(setting):
    assert setting.parse(None) == setting.default and setting.parse("  ") == setting.default
    if setting.type is not str:
        assert setting.parse("garbled!") == setting.default
    if setting.bounds:
        assert setting.parse(str(setting.bounds[0] - 1)) == setting.default


def test_every_setting_is_read_into_settings_from_the_environment():
    def other_than_default(s: config.Setting) -> str:
        if s.choices:  # a word with its values: another of them
            return next(c for c in s.choices if c != s.default)
        return {str: "x.sqlite", bool: "1" if not s.default else "0"}.get(s.type, str(s.bounds[0] if s.bounds else 7))

    environ = {s.name: other_than_default(s) for s in config.SETTINGS if s.name != "DATABASE_URL"}
    read = config.settings_from_env(environ)
    # the two read in another form: a percentage kept as a fraction, a list of addresses as a tuple
    kept_as = {"DASHBOARD_MOVER_MIN_CHANGE": lambda v: v / 100, "DASHBOARD_TRUSTED_PROXIES": lambda v: (v,)}
    for s in config.SETTINGS:
        if s.name in ("DATABASE_URL", "DASHBOARD_TARGET_GREEN", "DASHBOARD_TARGET_AMBER"):
            continue
        parsed = s.parse(environ[s.name])
        assert parsed != s.default, s.name
        assert getattr(read, s.field) == kept_as.get(s.name, lambda v: v)(parsed), s.name
    assert read.database_url == "sqlite:///x.sqlite"


def test_a_word_setting_takes_only_its_values_in_any_case(caplog):
    setting = config.BY_NAME["DASHBOARD_MODE"]
    assert setting.parse(" Public ") == "public"
    with caplog.at_level("WARNING", logger="monitoring.config"):
        assert setting.parse("pubic") == "internal"
    assert "DASHBOARD_MODE='pubic' is not one of internal, public" in caplog.text
    assert config.settings_from_env({"DASHBOARD_MODE": "public"}).public
    assert not config.settings_from_env({}).public


def test_a_bad_value_is_logged_once_naming_the_setting_and_its_default(caplog):
    setting = config.BY_NAME["DASHBOARD_DUE_DAY"]
    with caplog.at_level("WARNING", logger="monitoring.config"):
        for _ in range(3):
            assert setting.parse("forty-two") == 5
    assert [r.getMessage() for r in caplog.records] == [
        "DASHBOARD_DUE_DAY='forty-two' is not a number; using the default 5"
    ]


@pytest.mark.parametrize(
    "raw,url",
    [
        ("https://report.example.ir/", "https://report.example.ir"),
        ("  http://10.0.0.5:8600/tehran  ", "http://10.0.0.5:8600/tehran"),
        ("", None),
        ("javascript:alert(1)", None),
        ('https://x.example/"><script>', None),
        ("report.example.ir", None),
        ("https://x.example/?a=1", None),  # the link adds its own query
    ],
)
def test_the_public_sites_address_is_used_only_when_it_is_a_plain_http_address(raw, url):
    assert config.settings_from_env({"DASHBOARD_PUBLIC_URL": raw}).public_site_url == url


def test_the_process_reads_its_settings_once_and_again_only_when_told(monkeypatch):
    from monitoring import config

    monkeypatch.setenv("DASHBOARD_LIVE_SECONDS", "45")
    first = config.settings()
    assert first.live_seconds == 45 and config.settings_from_env() is first
    reads = []
    monkeypatch.setattr(config, "_read", lambda environ: reads.append(environ) or first)
    for _ in range(3):
        assert config.settings() is first  # kept: the environment is not read again
    assert reads == []
    config.settings.cache_clear()
    config.settings()
    assert len(reads) == 1
