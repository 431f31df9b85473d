"""Phone pages: 1080 px wide, every text ≥ 28 px in a font that has its glyphs, and every
red and yellow project of the county (or group) on its page."""

from __future__ import annotations

import pytest
from PIL import Image

from zqcampaign.charts import fonts
from zqcampaign.output.briefs import briefs
from zqcampaign.output.phone import MIN_FONT_PX, WIDTH_PX, phone_page, write_phone_pages

AS_OF = "2023-10-31"


@pytest.fixture(scope="module")
def pages(sample, tmp_path_factory):
    return write_phone_pages(sample, tmp_path_factory.mktemp("phone"), as_of=AS_OF)


def page_text(page) -> str:
    return page.text


def test_one_page_per_county_with_projects_and_per_group_1080_px_wide(sample, pages):
    counties = set(sample.projects.loc[sample.projects["in_scope"], "county"])
    groups = [g.name for g in sample.config.supervision_groups]
    assert sorted(p.stem for p in pages) == sorted([*counties, *groups])
    for p in pages:
        width, height = Image.open(p).size
        assert width == WIDTH_PX and height > width


def test_every_flagged_project_of_the_county_is_on_its_page(sample):
    flags = sample.project_flags(AS_OF)
    for brief in briefs(sample, AS_OF, counties="all"):
        text = page_text(phone_page(brief, sample.config))
        mine = flags[flags["county"].isin(brief.counties) & flags["flag"].isin(["red", "yellow"])]
        missing = [n for n in mine["name"] if n not in text]
        assert missing == [], brief.name
        assert f"红色警告项目（{(mine['flag'] == 'red').sum()}个）" in text
        assert f"黄色预警项目（{(mine['flag'] == 'yellow').sum()}个）" in text
        for p in brief.overdue.itertuples():
            assert p.problem in text


def test_every_character_is_in_the_font_that_draws_it_at_28_px_or_more(sample):
    bundled = fonts.bundled_font_path()
    for brief in briefs(sample, AS_OF, counties="all")[::3]:
        page = phone_page(brief, sample.config)
        assert page.runs
        for text, size, path in page.runs:
            assert size >= MIN_FONT_PX, text
            missing = [c for c in set(text) - {" "} if ord(c) not in fonts.glyph_set(path)]
            assert missing == [], (text, path)
            if any(not c.isascii() for c in text):  # Chinese from the CJK font
                assert path == fonts.font_paths()[0] or path == bundled


def test_a_character_a_font_lacks_is_drawn_by_the_next_one():
    from zqcampaign.output import phone

    cjk, *_, dejavu = fonts.font_paths()
    # DejaVu first: it draws the Latin text and lacks Chinese, which goes to the CJK font
    assert phone._runs("完成率 58% 红", [dejavu, cjk]) == [
        ("完成率 ", cjk),
        ("58% ", dejavu),
        ("红", cjk),
    ]


def test_texts_stay_inside_the_page(sample):
    from zqcampaign.output.phone import font

    brief = next(b for b in briefs(sample, AS_OF) if len(b.flagged) > 5)
    page = phone_page(brief, sample.config)
    # widest line: measured with the font that draws it, plus the margin on each side
    widths = [font(path, size).getlength(text) for text, size, path in page.runs]
    assert max(widths) <= WIDTH_PX - 2 * 56
    assert page.image.size[0] == WIDTH_PX


def test_headline_and_next_supervision_day(sample):
    brief = next(b for b in briefs(sample, AS_OF) if b.name == "四会市")
    text = page_text(phone_page(brief, sample.config))
    row = sample.completion(AS_OF).set_index("county").loc["四会市"]
    assert f"完成率 {row['rate'] * 100:.1f}%" in text
    assert "下一个项目落地集中督导日：2023年11月7日（星期二）" in text
    late = next(b for b in briefs(sample, "2023-12-31") if b.name == "四会市")
    assert "督导日已全部结束" in page_text(phone_page(late, sample.config))
