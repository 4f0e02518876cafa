"""``python -m monitoring deck``: the deck from a terminal, its exit codes and messages."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from pptx import Presentation

from monitoring import cli
from tests.conftest import ROOT


def _run(args: list[str], db_path, **env) -> subprocess.CompletedProcess:
    environ = {**os.environ, "DASHBOARD_DB_PATH": str(db_path), "DASHBOARD_SAMPLE": "0", **env}
    environ.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "monitoring", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_deck_command_writes_the_deck_and_exits_0(sample_db_path, tmp_path):
    out = tmp_path / "deck.pptx"
    args = ["deck", "--period", "1405-07", "--metric", "news_published", "--metric", "citizen_satisfaction"]
    done = _run([*args, "--district", "10", "--out", str(out)], sample_db_path)
    assert done.returncode == 0, done.stderr
    assert "deck written" in done.stdout and "اسلایدها نوشته شد" in done.stdout
    deck = Presentation(io.BytesIO(out.read_bytes()))
    assert len(deck.slides) == 9  # title, map, 2 × (ranking, trend), bump, district, compliance
    assert "مهر ۱۴۰۵" in deck.slides[0].shapes[2].text_frame.text
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # an ordinary file, not a private temporary one


@pytest.mark.slow
def test_a_bad_period_exits_2_in_persian_without_a_traceback(sample_db_path, tmp_path):
    done = _run(["deck", "--period", "1405-13", "--out", str(tmp_path / "x.pptx")], sample_db_path)
    assert done.returncode == 2
    assert "ماه ۱۳" in done.stderr and "does not exist" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not (tmp_path / "x.pptx").exists()


@pytest.mark.slow
def test_a_period_outside_the_store_exits_2_saying_what_it_holds(sample_db_path, tmp_path):
    done = _run(["deck", "--period", "1410", "--out", str(tmp_path / "x.pptx")], sample_db_path)
    assert done.returncode == 2
    assert "داده‌ای نیست" in done.stderr and "no data for 1410" in done.stderr


@pytest.mark.slow
def test_a_missing_database_exits_2(tmp_path):
    done = _run(["deck", "--period", "1405-07"], tmp_path / "nothing.sqlite")
    assert done.returncode == 2
    assert "پیدا نشد" in done.stderr and "not found" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "nothing.sqlite").exists()


@pytest.mark.slow
def test_an_unknown_metric_exits_2_naming_it(sample_db_path, tmp_path):
    done = _run(["deck", "--period", "1405-07", "--metric", "bogus", "--out", str(tmp_path / "x.pptx")], sample_db_path)
    assert done.returncode == 2
    assert "bogus" in done.stderr and "شاخص" in done.stderr


def test_pdf_without_libreoffice_says_so_plainly_and_keeps_the_deck(sample_db_path, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DASHBOARD_DB_PATH", str(sample_db_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr(cli, "soffice_path", lambda: None)
    out = tmp_path / "deck.pptx"
    code = cli.main(["deck", "--period", "1405-07", "--metric", "news_published", "--out", str(out), "--pdf"])
    err = capsys.readouterr().err
    assert code == cli.EXIT_NO_PDF
    assert "LibreOffice" in err and "نصب نیست" in err
    assert out.exists() and not out.with_suffix(".pdf").exists()
