"""A CSV's encoding is decided, not guessed: a UTF-8 file with a bad byte is refused naming the line
and byte at fault; genuine Windows-1256 and UTF-16 files still load."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from data_loaders.readers import decode_csv
from data_loaders.results import FileRejected, fa_number
from tests.data_loaders.helpers import run

PERSIAN_LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآءئ"
PERSIAN_TEXT = PERSIAN_LETTERS + "۰۱۲۳۴۵۶۷۸۹\u200c،؛«» \n,0123456789abc/-"
HEADER = "منطقه,شاخص,ماه,مقدار"


def _refusal(data: bytes, name: str = "broken.csv") -> FileRejected:
    with pytest.raises(FileRejected) as caught:
        decode_csv(data, name)
    return caught.value


def test_utf8_file_with_one_bad_byte_on_line_3_is_refused_naming_the_line_and_byte():
    data = f"{HEADER}\n1,اخبار منتشرشده,1404/07,5\n2,اخبار".encode() + b"\xff" + " منتشرشده,1404/07,6\n".encode()
    offset = data.index(b"\xff")
    refusal = _refusal(data)
    assert f"سطر ۳، بایت {fa_number(offset)}" in refusal.fa and "0xFF" in refusal.fa
    assert f"line 3, byte offset {offset} " in refusal.en and "value 0xFF" in refusal.en
    assert "save the file again as UTF-8" in refusal.en and "UTF-8 ذخیره کنید" in refusal.fa
    assert "after '2,اخبار'" in refusal.en  # the text just before the bad byte, to find it by
    assert str(refusal).startswith(refusal.fa) and str(refusal).endswith(refusal.en)


def test_bad_byte_offset_counts_the_bom_and_lines_ending_in_crlf():
    data = b"\xef\xbb\xbf" + f"{HEADER}\r\n1,خبر,1404/07,5\r\n".encode() + b"\x80\r\n"
    refusal = _refusal(data)
    assert f"line 3, byte offset {len(data) - 3} " in refusal.en


def test_windows_1256_persian_file_decodes_to_its_text():
    # Windows-1256 has the Arabic yeh (ي), not the Persian one (ی); Persian Windows writes that
    text = f"{HEADER}\n1,اخبار منتشرشده,1404/07,5\n2,گزارش‌هاي رسيده، چک و پژوهش,1404/07,7\n"
    assert decode_csv(text.encode("cp1256"), "old.csv") == (text, "cp1256")


def test_ascii_file_with_one_latin_accent_is_read_as_windows_1256_not_refused():
    # no well-formed UTF-8 sequence at all: this file was never UTF-8
    assert decode_csv(b"district,note\n1,caf\xe9\n", "old.csv") == ("district,note\n1,café\n", "cp1256")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_or_without_bom_decodes(encoding):
    text = "منطقه\tشاخص\tماه\tمقدار\n1\tnews_published\t1404/07\t5\n"
    decoded, _ = decode_csv(text.encode(encoding), "unicode.txt")
    assert decoded == text


def test_binary_bytes_with_nul_are_still_refused_as_not_text():
    refusal = _refusal(bytes(range(256)) * 4, "image.csv")
    assert "not a text CSV file" in refusal.en


def _persian(min_letters: int = 1):
    return st.text(alphabet=PERSIAN_TEXT, min_size=1, max_size=200).filter(
        lambda t: sum(ch in PERSIAN_LETTERS for ch in t) >= min_letters
    )


@given(_persian())
def test_any_persian_text_in_utf8_decodes_back_to_itself(text):
    assert decode_csv(text.encode("utf-8"), "any.csv") == (text, "utf-8")


@given(_persian(), st.data(), st.integers(min_value=0x80, max_value=0xFF))
def test_persian_text_with_one_invalid_byte_is_refused_naming_its_line(text, data, bad):
    cut = data.draw(st.integers(min_value=0, max_value=len(text)), label="insert before character")
    before = text[:cut].encode("utf-8")
    broken = before + bytes([bad]) + text[cut:].encode("utf-8")
    refusal = _refusal(broken)
    line = text[:cut].count("\n") + 1
    assert f"line {line}, byte offset {len(before)} " in refusal.en
    assert f"value 0x{bad:02X}" in refusal.en
    assert f"سطر {fa_number(line)}،" in refusal.fa


# ---------------------------------------------------------------- the same through the command line


@pytest.mark.slow
def test_command_line_refuses_a_utf8_file_with_a_bad_byte_naming_line_3(tmp_path):
    path = tmp_path / "bad_byte.csv"
    path.write_bytes(
        b"district,metric,period,value\n1,news_published,1404/07,5\n2,news_published,1404/07,6\xd8\xae\xff\n"
    )
    done = run(tmp_path, "load", "--json", str(path))
    assert done.returncode == 1
    [file] = json.loads(done.stdout)["files"]
    assert "line 3, byte offset" in file["file_error"]["en"] and "0xFF" in file["file_error"]["en"]
    assert "header" not in file["file_error"]


@pytest.mark.slow
def test_command_line_loads_a_windows_1256_persian_file(tmp_path):
    path = tmp_path / "excel_fa.csv"
    path.write_bytes(f"{HEADER}\n1,اخبار منتشرشده,1404/07,5\n2,اخبار منتشرشده,1404/07,6\n".encode("cp1256"))
    done = run(tmp_path, "load", "--json", str(path))
    assert done.returncode == 0, done.stdout
    assert json.loads(done.stdout)["files"][0]["rows_loaded"] == 2


@pytest.mark.slow
def test_command_line_loads_a_utf16_tab_separated_file(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes("منطقه\tشاخص\tماه\tمقدار\n1\tnews_published\t1404/07\t5\n".encode("utf-16"))
    done = run(tmp_path, "load", "--json", str(path))
    assert done.returncode == 0, done.stdout
    assert json.loads(done.stdout)["files"][0]["rows_loaded"] == 1
