"""Phone pages: 1080 px wide, every text ≥ 28 px in a font that has its glyphs, and every
red and yellow project of the county (or group) on its page."""

from __future__ import annotations

from pathlib import Path

import pytest
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

import zqcampaign as zq
from zqcampaign.charts import fonts
from zqcampaign.output.briefs import briefs
from zqcampaign.output.phone import MIN_FONT_PX, WIDTH_PX, phone_page, write_phone_pages

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
AS_OF = "2023-10-31"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    folder = SAMPLE
    if not any(folder.glob("*/*.xls*")):
        from zqcampaign.sample import write_sample

        folder = tmp_path_factory.mktemp("sample_data")
        write_sample(folder)
    return zq.load(folder)


@pytest.fixture(scope="module")
def pages(sample, tmp_path_factory):
    return write_phone_pages(sample, tmp_path_factory.mktemp("phone"), as_of=AS_OF)


def page_text(fig) -> str:
    return "".join(t.get_text() for t in fig.texts).replace("\n", "")


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
    for brief in briefs(sample, AS_OF, counties="all")[::4]:
        fig = phone_page(brief, sample.config)
        FigureCanvasAgg(fig).draw()
        assert fig.dpi == 72  # 1 pt = 1 px
        for text in fig.texts:
            assert text.get_fontsize() >= MIN_FONT_PX, text.get_text()
            paths = font_manager.fontManager._find_fonts_by_props(text.get_fontproperties())
            for char in set(text.get_text()) - set(" \n"):
                assert any(ord(char) in fonts.glyph_set(p) for p in paths), (char, paths)
            # the Chinese comes from the CJK font, not DejaVu
            cjk = [c for c in text.get_text() if not c.isascii()]
            if cjk:
                assert ord(cjk[0]) in fonts.glyph_set(paths[0])


def test_texts_stay_inside_the_page_width(sample):
    brief = next(b for b in briefs(sample, AS_OF) if len(b.flagged) > 5)
    fig = phone_page(brief, sample.config)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    for text in fig.texts:
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= WIDTH_PX + 1, text.get_text()
        assert box.y0 >= 0, text.get_text()


def test_headline_and_next_supervision_day(sample):
    brief = next(b for b in briefs(sample, AS_OF) if b.name == "四会市")
    text = page_text(phone_page(brief, sample.config))
    row = sample.completion(AS_OF).set_index("county").loc["四会市"]
    assert f"完成率 {row['rate'] * 100:.1f}%" in text
    assert "下一个项目落地集中督导日：2023年11月7日（星期二）" in text
    late = next(b for b in briefs(sample, "2023-12-31") if b.name == "四会市")
    assert "督导日已全部结束" in page_text(phone_page(late, sample.config))
