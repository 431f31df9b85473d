"""Cell value parsers: every spelling in SPEC section 2, boundaries, and never raising."""

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zqcampaign.config import default_config
from zqcampaign.parse.values import (
    find_county,
    find_report_date,
    parse_bool,
    parse_category,
    parse_county,
    parse_date,
    parse_money,
)

REPORT = pd.Timestamp("2023-08-31")
ALIASES = default_config().alias_map()


@pytest.mark.parametrize(
    "raw",
    [
        dt.datetime(2023, 8, 15),
        dt.datetime(2023, 8, 15, 14, 30),
        dt.date(2023, 8, 15),
        45153,  # Excel serial for 2023-08-15
        45153.0,
        "2023-08-15",
        "2023/8/15",
        "2023.8.15",
        "2023年8月15日",
        "2023年8月15号",
        "２０２３年８月１５日",
        " 2023-8-15 ",
        "20230815",
        "8月15日",
    ],
)
def test_every_date_spelling_reads_as_the_same_day(raw):
    value, _ = parse_date(raw, report_date=REPORT)
    assert value == pd.Timestamp("2023-08-15")


def test_month_only_date_resolves_to_month_end_with_a_note():
    value, note = parse_date("2023年8月", report_date=REPORT)
    assert value == pd.Timestamp("2023-08-31")
    assert note.code == "month_only_date" and note.severity == "info"


def test_yearless_month_end_takes_the_report_year():
    value, note = parse_date("8月底", report_date=REPORT)
    assert value == pd.Timestamp("2023-08-31")
    assert note.code == "yearless_date"


def test_yearless_date_without_report_date_is_a_warning_not_a_guess():
    value, note = parse_date("8月底")
    assert value is None and note.severity == "warning"


def test_status_word_stands_for_the_report_date_and_asks_for_the_real_date():
    value, note = parse_date("已开工", report_date=REPORT)
    assert value == REPORT
    assert note.code == "status_word_date" and "补填" in note.message


@pytest.mark.parametrize("raw", ["待定", "/", "—", "-", "无", "", "  ", None, "——"])
def test_blank_words_are_missing_without_an_issue(raw):
    assert parse_date(raw, report_date=REPORT) == (None, None)


@pytest.mark.parametrize("raw", ["2023-13-45", "明年", "2023-02-30", -5, 3_000_000, "1800-01-01"])
def test_impossible_dates_are_reported(raw):
    value, note = parse_date(raw, report_date=REPORT)
    assert value is None and note.code == "bad_date"


@pytest.mark.parametrize(
    ("raw", "unit", "expected"),
    [
        (5000, 1.0, 5000.0),
        ("5,000", 1.0, 5000.0),
        ("0.5亿", 1.0, 5000.0),
        ("5000万元", 1.0, 5000.0),
        ("约3亿元", 1.0, 30000.0),
        ("５０００", 1.0, 5000.0),
        (1.2, 10000.0, 12000.0),  # header says 亿元
        ("1.2", 10000.0, 12000.0),
        ("5000万元", 10000.0, 5000.0),  # the cell's own unit wins over the header's
        ("50000000元", 1.0, 5000.0),
        ("1亿", 1.0, 10000.0),
    ],
)
def test_money_spellings_convert_to_wan_yuan(raw, unit, expected):
    value, note = parse_money(raw, unit=unit)
    assert value == pytest.approx(expected)
    assert note is None


def test_negative_money_is_kept_and_reported():
    value, note = parse_money(-300)
    assert value == -300 and note.code == "negative_money"


@pytest.mark.parametrize("raw", ["待定", "/", None])
def test_missing_money_has_no_value(raw):
    assert parse_money(raw)[0] is None


def test_unreadable_money_is_reported():
    value, note = parse_money("三千万左右的样子")
    assert value is None and note.code == "bad_money"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("是", True),
        ("否", False),
        ("√", True),
        ("已销号", True),
        ("未销号", False),
        ("Y", True),
        (1, True),
        (0, False),
        (True, True),
        (None, None),
        ("", None),
    ],
)
def test_yes_no_spellings(raw, expected):
    assert parse_bool(raw)[0] is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("四会市", "四会市"),
        ("四会", "四会市"),
        ("四會市", "四会市"),
        ("懷集縣", "怀集县"),
        ("高新区", "肇庆高新区"),
        ("粤桂合作特别试验区(肇庆)", "粤桂合作特别试验区（肇庆）"),
        ("粤桂合作特别试验区（肇庆）", "粤桂合作特别试验区（肇庆）"),
        ("广州市", None),
    ],
)
def test_county_aliases_resolve_to_canonical_names(raw, expected):
    assert parse_county(raw, ALIASES) == expected


def test_county_inside_a_title_prefers_the_longest_spelling():
    title = "肇庆市制造业项目建设“大会战”项目清单（肇庆高新区）"
    assert find_county(title, ALIASES) == "肇庆高新区"
    assert find_county("肇庆新区_2023年8月.xlsx", ALIASES) == "肇庆新区"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("填报单位：四会市发改局  截至日期：2023年8月31日", "2023-08-31"),
        ("截止时间:2023.9.30", "2023-09-30"),
        ("四会市_2023年8月项目清单", "2023-08-31"),
        ("2023-09", "2023-09-30"),
        ("202310", "2023-10-31"),
        ("没有日期", None),
    ],
)
def test_report_date_in_titles_and_names(text, expected):
    found = find_report_date(text)
    assert (found is None and expected is None) or found == pd.Timestamp(expected)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("一、已签约未供地项目（5个）", "已签约未供地"),
        ("二、已供地未动工项目", "已供地未动工"),
        ("三、已动工未竣工项目", "已动工未竣工"),
        ("已動工未竣工", "已动工未竣工"),
        ("其他", None),
    ],
)
def test_category_spellings(raw, expected):
    assert parse_category(raw) == expected


cells = st.one_of(
    st.none(),
    st.text(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(),
    st.dates(),
    st.times(),
)


@given(cells)
def test_parsers_never_raise_on_any_cell(value):
    parse_date(value, report_date=REPORT)
    parse_date(value)
    parse_money(value)
    parse_money(value, unit=10000.0)
    parse_bool(value)
    parse_category(value)
    parse_county(value, ALIASES)
    find_county(value, ALIASES)
    find_report_date(value)


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_iso_text_round_trips(day):
    assert parse_date(day.isoformat())[0] == pd.Timestamp(day)
    assert parse_date(f"{day.year}年{day.month}月{day.day}日")[0] == pd.Timestamp(day)


# -- issue 13: periods and whole-name aliases ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "kind"),
    [
        ("2023年1-8月重点项目情况表", "2023-08-31", "period"),
        ("2023年1—8月", "2023-08-31", "period"),
        ("2023年1至8月", "2023-08-31", "period"),
        ("2023年前三季度", "2023-09-30", "period"),
        ("2023年1-3季度", "2023-09-30", "period"),
        ("2023年第二季度", "2023-06-30", "period"),
        ("2023年上半年", "2023-06-30", "period"),
        ("2023年全年", "2023-12-31", "period"),
        ("2023年8月上旬", "2023-08-10", "period"),
        ("2023年8月中旬", "2023-08-20", "period"),
        ("2023年8月下旬", "2023-08-31", "period"),
        ("2023年1-8月 截至日期：2023年8月25日", "2023-08-25", "day"),
        ("2023年8月", "2023-08-31", "month"),
    ],
)
def test_report_period_wording_gives_the_end_of_the_period(text, expected, kind):
    from zqcampaign.parse.values import find_report_period

    assert find_report_period(text) == (pd.Timestamp(expected), kind)


@pytest.mark.parametrize(
    ("text", "county"),
    [
        ("南太武滨海新区重点项目", None),
        ("天津高新区重点项目", None),
        ("肇庆市新区重点项目", "肇庆新区"),
        ("（高新区）重点项目", "肇庆高新区"),
        ("2023年8月高新区项目清单", "肇庆高新区"),
        ("肇庆高新区", "肇庆高新区"),
    ],
)
def test_a_generic_alias_counts_only_as_a_whole_name(text, county):
    from zqcampaign.parse.values import AliasIndex

    assert find_county(text, ALIASES) == county
    assert find_county(text, AliasIndex(ALIASES)) == county
