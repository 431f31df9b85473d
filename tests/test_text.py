"""The text edge (zqcampaign.text): matching keys folded, cells kept as typed, output safe to print."""

from __future__ import annotations

import os

from hypothesis import given
from hypothesis import strategies as st

from zqcampaign.text import (
    clean_cell_text,
    header_key,
    normalize_label,
    normalize_text,
    printable,
    to_simplified,
)


def test_traditional_headers_fold_to_their_simplified_keys():
    assert to_simplified("項目編號") == "项目编号"
    assert to_simplified("舉辦縣級經濟開發區項目") == "举办县级经济开发区项目"
    assert header_key("項目名稱") == header_key("项目名称") == "项目名称"


def test_full_width_digits_brackets_and_spaces_fold():
    assert normalize_text("  计划总投资（万元）  ５０００ ") == "计划总投资(万元) 5000"
    assert header_key("计划总投资（万元）") == "计划总投资万元"


def test_invisible_format_characters_leave_the_key():
    assert normalize_label("天禾\u200b医疗\ufeff器械\u2060产业园") == "天禾医疗器械产业园"
    assert normalize_label("合 计") == "合计"
    assert normalize_label(5000) == ""


def test_a_cell_is_kept_as_typed_less_control_characters():
    assert clean_cell_text(" 項目（一期）\x07\n") == "項目（一期）"


def test_printable_escapes_terminal_escapes_bidi_and_lone_surrogates():
    name = os.fsdecode(b"\xff.xlsx")
    assert printable("\x1b[31m红\u202e.xlsx\n") == "\\u001b[31m红\\u202e.xlsx\n"
    assert printable(name) == "\\udcff.xlsx"


def test_undecodable_file_name_bytes_never_reach_opencc():
    name = os.fsdecode("四會市.xlsx".encode("gbk"))
    assert "\ufffd" in to_simplified(name)  # no UnicodeEncodeError


@given(st.text())
def test_normalising_twice_changes_nothing(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
