"""Charts: the numbers drawn, Chinese text covered by the font that draws it, slide layout.

Every test here runs as on a machine without any CJK system font: the module fixture hides
every font but matplotlib's own (DejaVu, STIX …) from the font manager, so the charts must
bring their own (the bundled Noto Sans SC).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import warnings
from collections.abc import Iterator
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from frames import projects_from_snapshots, snapshots_frame
from matplotlib import font_manager
from matplotlib import pyplot as plt
from matplotlib.figure import Figure
from matplotlib.text import Text

import zqcampaign as zq
from zqcampaign.campaign import Campaign, LoadSummary
from zqcampaign.charts import CHARTS, fonts, style
from zqcampaign.config import default_config

BASELINES = Path(__file__).with_name("baseline_images")
SAMPLE = Path(__file__).parents[2] / "sample_data"
UPDATE_BASELINES = os.environ.get("ZQ_UPDATE_BASELINES") == "1"

# ---------------------------------------------------------------------------------------
# fixtures


@pytest.fixture(scope="module", autouse=True)
def no_system_cjk_fonts() -> Iterator[None]:
    """Only matplotlib's own fonts are known (as on a fresh machine); fonts re-chosen."""
    manager = font_manager.fontManager
    saved = manager.ttflist
    saved_env = os.environ.pop(fonts.ENV_VAR, None)
    manager.ttflist = [e for e in saved if Path(e.fname).is_relative_to(matplotlib.get_data_path())]
    manager._findfont_cached.cache_clear()
    fonts.reset()
    yield
    manager.ttflist = saved
    manager._findfont_cached.cache_clear()
    fonts.reset()
    if saved_env is not None:
        os.environ[fonts.ENV_VAR] = saved_env


LONG_NAME = "肇庆市四会丁新材料科技有限公司年产十万吨高性能铝合金型材及深加工建设项目"
TINY_PROJECTS = [
    # 四会市: two of four achieved by 30 Sep (start 8-15, land 9-10) -> 50 % against 75 %: red
    dict(
        project_id="P1",
        name="四会甲项目",
        county="四会市",
        category="已供地未动工",
        signed_on="2023-03-01",
        land_supplied_on="2023-05-01",
        started_on="2023-08-15",
        planned_start_on="2023-08-31",
        annual_plan=10000.0,
        ytd_actual=6000.0,
    ),
    dict(
        project_id="P2",
        name="四会乙项目",
        county="四会市",
        category="已供地未动工",
        signed_on="2023-03-01",
        land_supplied_on="2023-05-01",
        planned_start_on="2023-08-20",
        annual_plan=10000.0,
        ytd_actual=2000.0,
    ),
    dict(
        project_id="P3",
        name="四会丙项目",
        county="四会市",
        category="已签约未供地",
        signed_on="2023-03-01",
        land_supplied_on="2023-09-10",
        planned_land_on="2023-09-15",
    ),
    dict(
        project_id="P4",
        name=LONG_NAME,
        county="四会市",
        category="已动工未竣工",
        signed_on="2023-02-01",
        land_supplied_on="2023-03-01",
        started_on="2023-06-01",
        planned_completion_on="2023-12-31",
    ),
    # 端州区: only 已动工未竣工 projects, one completed 9-01 -> 50 % against 43.6 %: blue
    dict(
        project_id="P5",
        name="端州甲项目",
        county="端州区",
        category="已动工未竣工",
        signed_on="2023-02-01",
        land_supplied_on="2023-03-01",
        started_on="2023-06-01",
        completed_on="2023-09-01",
        planned_completion_on="2023-09-30",
    ),
    dict(
        project_id="P6",
        name="端州乙项目",
        county="端州区",
        category="已动工未竣工",
        signed_on="2023-02-01",
        land_supplied_on="2023-03-01",
        started_on="2023-06-01",
        planned_completion_on="2023-09-10",
    ),
    # 怀集县: nothing achieved, no planned date, an open problem
    dict(
        project_id="P7",
        name="怀集甲项目",
        county="怀集县",
        category="已签约未供地",
        signed_on="2023-04-01",
        problems="资金未到位",
        problem_major=False,
        problem_closed=False,
    ),
]


def tiny_campaign() -> Campaign:
    """Seven projects in three counties, reported on 31 July and 30 September 2023."""
    rows = []
    for p in TINY_PROJECTS:
        for report in ("2023-07-31", "2023-09-30"):
            known = {
                k: v
                for k, v in p.items()
                if not (k.endswith("_on") and not k.startswith("planned") and v > report)
            }
            rows.append({**known, "report_date": report})
    snaps = snapshots_frame(*rows)
    return Campaign(
        snapshots=snaps,
        projects=projects_from_snapshots(snaps),
        issues=pd.DataFrame(columns=["severity", "code", "message"]),
        config=default_config(),
        summary=LoadSummary(pd.DataFrame()),
    )


@pytest.fixture(scope="module")
def tiny() -> Campaign:
    return tiny_campaign()


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Campaign:
    folder = SAMPLE
    if not any(folder.glob("*/*.xls*")):
        from zqcampaign.sample import write_sample

        folder = tmp_path_factory.mktemp("sample_data")
        write_sample(folder)
    return zq.load(folder)


# ---------------------------------------------------------------------------------------
# helpers


@contextlib.contextmanager
def recording_texts() -> Iterator[list[tuple[Text, object]]]:
    """Every non-empty text artist drawn meanwhile, with its extent on the canvas."""
    drawn: list[tuple[Text, object]] = []
    original = Text.draw

    def draw(self, renderer):
        original(self, renderer)
        if self.get_visible() and self.get_text().strip():
            drawn.append((self, self.get_window_extent(renderer)))

    Text.draw = draw
    try:
        yield drawn
    finally:
        Text.draw = original


def draw(fig: Figure) -> tuple[list[tuple[Text, object]], list[str]]:
    """Draw ``fig``; return the texts drawn and every warning or font log message."""
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    handler = Collect(level=logging.WARNING)
    logger = logging.getLogger("matplotlib")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught, recording_texts() as drawn:
            warnings.simplefilter("always")
            fig.canvas.draw()
    finally:
        logger.removeHandler(handler)
    return drawn, records + [str(w.message) for w in caught]


def glyph_problems(drawn) -> list[str]:
    """Characters that no font of their text covers, or non-ASCII drawn by another font."""
    bundled = fonts.bundled_font_path()
    problems = []
    for text, _ in drawn:
        paths = font_manager.fontManager._find_fonts_by_props(text.get_fontproperties())
        for char in set(text.get_text()) - set(" \n\t"):
            owner = next((p for p in paths if ord(char) in fonts.glyph_set(p)), None)
            if owner is None:
                problems.append(f"{char!r} in {text.get_text()!r}: no glyph in {paths}")
            elif not char.isascii() and Path(owner) != bundled:
                problems.append(f"{char!r} in {text.get_text()!r} drawn by {owner}")
    return problems


def layout_problems(fig: Figure, drawn) -> list[str]:
    """Texts reaching outside the figure, and pairs of texts that overlap."""
    problems = []
    box = fig.bbox
    for text, ext in drawn:
        if ext.x0 < box.x0 - 1 or ext.y0 < box.y0 - 1 or ext.x1 > box.x1 + 1 or ext.y1 > box.y1 + 1:
            problems.append(f"clipped: {text.get_text()!r}")
    for (t1, e1), (t2, e2) in itertools.combinations(drawn, 2):
        dx = min(e1.x1, e2.x1) - max(e1.x0, e2.x0)
        dy = min(e1.y1, e2.y1) - max(e1.y0, e2.y0)
        if dx > 0.5 and dy > 0.5:
            problems.append(f"overlap: {t1.get_text()!r} / {t2.get_text()!r}")
    return problems


def texts_of(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def ytick_labels(ax) -> list[str]:
    return [t.get_text() for t in ax.get_yticklabels()]


# ---------------------------------------------------------------------------------------
# every chart on the sample data: glyphs, layout, no warnings, nothing left open

COMBOS = [
    ("2023-07-10", "half", "en"),  # before the campaign start
    ("2023-09-30", "full", "zh"),  # 四会市's 75 % deadline
    (None, "half", "zh"),  # the latest report date
]


@pytest.mark.parametrize(("as_of", "size", "lang"), COMBOS)
@pytest.mark.parametrize("name", list(CHARTS))
def test_chart_renders_every_character_with_the_bundled_font_without_clipping(
    sample, name, as_of, size, lang
):
    fig = CHARTS[name](sample, as_of=as_of, lang=lang, size=size)
    drawn, messages = draw(fig)
    assert fonts.cjk_font().source == "bundled"
    assert drawn, "nothing was drawn"
    assert glyph_problems(drawn) == []
    assert messages == []  # no "Glyph … missing from font(s)", no findfont complaints
    assert layout_problems(fig, drawn) == []
    assert plt.get_fignums() == []
    if lang == "en":
        assert drawn[0][0].get_text().isascii() or fig.texts[0].get_text().isascii()


@pytest.mark.parametrize("name", list(CHARTS))
def test_chart_renders_a_county_without_projects_in_a_category(tiny, name):
    fig = CHARTS[name](tiny, as_of="2023-09-30", lang="zh", size="full")
    drawn, messages = draw(fig)
    assert glyph_problems(drawn) == []
    assert messages == []
    assert layout_problems(fig, drawn) == []


# ---------------------------------------------------------------------------------------
# what the charts draw (tiny campaign, as of 30 September 2023)


def test_completion_bars_are_rates_in_flag_colours(tiny):
    fig = zq.charts.completion_by_county(tiny, as_of="2023-09-30")
    ax = fig.axes[0]
    names = ytick_labels(ax)
    widths = dict(zip(names, (b.get_width() for b in ax.patches), strict=False))
    colours = dict(
        zip(names, (matplotlib.colors.to_hex(b.get_facecolor()) for b in ax.patches), strict=False)
    )
    assert widths["四会市"] == pytest.approx(0.5)  # 2 of 4
    assert widths["端州区"] == pytest.approx(0.5)  # 1 of 2
    assert widths["怀集县"] == pytest.approx(0.0)  # 0 of 1
    assert colours["四会市"] == style.FLAG_COLORS["red"]  # 50 % against 75 %
    assert colours["端州区"] == style.FLAG_COLORS["blue"]  # 50 % against 71/163
    assert colours["怀集县"] == style.FLAG_COLORS["red"]
    assert ax.patches[names.index("四会市")].get_hatch() == style.FLAG_HATCHES["red"]
    assert names[:3] == ["端州区", "四会市", "怀集县"]  # best rate first, ties in config order
    assert sum(t == "无项目" for t in texts_of(ax)) == 8  # the counties without projects


def test_completion_expected_ticks_and_sihui_75_percent_target(tiny):
    fig = zq.charts.completion_by_county(tiny, as_of="2023-09-30")
    ax = fig.axes[0]
    names = ytick_labels(ax)
    segments = ax.collections[0].get_segments()
    expected = {names[int(s[:, 1].mean() + 0.5)]: s[0, 0] for s in segments}
    assert expected["四会市"] == pytest.approx(0.75)  # its own target on 30 September
    assert expected["端州区"] == pytest.approx(71 / 163)  # default path, 71 of 163 days
    diamonds = ax.collections[1].get_offsets()
    assert diamonds.tolist() == [[0.75, names.index("四会市")]]
    note = next(t for t in texts_of(ax) if t.startswith("50%（2/4）"))
    assert "9月30日目标75%" in note


def test_completion_subtitle_gives_date_and_city_rate(tiny):
    fig = zq.charts.completion_by_county(tiny, as_of="2023-09-30")
    subtitle = next(t.get_text() for t in fig.texts if t.get_gid() == "subtitle")
    assert subtitle.startswith("截至2023年9月30日")
    assert "全市43%（3/7）" in subtitle
    source = next(t.get_text() for t in fig.texts if t.get_gid() == "source")
    assert source == "数据来源：各县（市、区）报送台账"


def test_category_panels_show_no_projects_where_a_county_has_none(tiny):
    fig = zq.charts.completion_by_category(tiny, as_of="2023-09-30")
    signed, _supplied, started = fig.axes[:3]
    names = ytick_labels(signed)
    row = names.index("端州区")
    assert signed.patches[row].get_width() == 0
    empty_rows = [round(t.xy[1]) for t in signed.texts if t.get_text() == "无项目"]
    assert row in empty_rows
    assert "1/2" in texts_of(started)  # 端州区 completed one of its two
    assert signed.get_title(loc="left") == "已签约未供地\n1/2，50%"  # P3 supplied, P7 not


def test_investment_line_stands_at_the_elapsed_share_of_the_year(tiny):
    fig = zq.charts.investment_by_county(tiny, as_of="2023-09-30")
    ax = fig.axes[0]
    line = ax.lines[0]
    assert line.get_xdata()[0] == pytest.approx(273 / 365)  # 1 Jan – 30 Sep, both included
    names = ytick_labels(ax)
    assert ax.patches[names.index("四会市")].get_width() == pytest.approx(0.4)  # 8000 / 20000
    assert "40%  0.80/2.00亿元" in texts_of(ax)


def test_flag_matrix_counts_match_hand_counted_flags(tiny):
    fig = zq.charts.flag_matrix(tiny, as_of="2023-09-30")
    ax = fig.axes[0]
    months = [t.get_text() for t in ax.get_xticklabels()]
    assert months == ["7月", "8月", "9月"]
    rows = ytick_labels(ax)
    assert rows[0] == "全市"
    sept = [t for t in ax.texts if t.get_position()[0] > 2 * (3 + 0.7)]  # last month group

    def counts(row_label: str) -> list[str]:
        y = ax.get_yticks()[rows.index(row_label)]
        cells = sorted(
            (t for t in sept if t.get_position()[1] == y), key=lambda t: t.get_position()[0]
        )
        return [t.get_text() for t in cells]

    assert counts("全市") == ["4", "2", "1"]  # blue P1 P3 P4 P5, yellow P6 P7, red P2
    assert counts("四会市") == ["3", "0", "1"]
    assert counts("怀集县") == ["0", "1", "0"]


def test_stage_funnel_counts_projects_that_reached_each_stage(tiny):
    fig = zq.charts.stage_funnel(tiny, as_of="2023-09-30")
    ax = fig.axes[0]
    assert [b.get_width() for b in ax.patches] == [7, 6, 4, 1, 0]
    assert ytick_labels(ax) == ["签约", "供地", "开工", "竣工", "投产"]
    assert "4个（67%）" in texts_of(ax)


def test_targets_scorecard_has_a_row_per_target_with_status(tiny):
    fig = zq.charts.targets_scorecard(tiny, as_of="2023-09-30")
    ax = fig.axes[0]
    labels = [t.replace("\n", "") for t in ytick_labels(ax)]
    assert labels == [t.label for t in tiny.config.targets]
    first = texts_of(ax)[0]
    assert first.startswith("50% / 75%") and "未完成" in first  # judged on the deadline day


def test_timeline_puts_the_late_project_first_and_wraps_long_names(tiny):
    fig = zq.charts.project_timeline(tiny, county="四会市", as_of="2023-09-30")
    ax = fig.axes[0]
    labels = ytick_labels(ax)
    assert labels[0] == "四会乙项目"
    assert texts_of(ax)[0] == "逾期41天"  # planned start 20 Aug
    long = next(t for t in labels if "\n" in t)
    assert long.replace("\n", "") == LONG_NAME  # wrapped, nothing cut


def test_timeline_default_is_the_red_projects(tiny):
    fig = zq.charts.project_timeline(tiny, as_of="2023-09-30")
    assert ytick_labels(fig.axes[0]) == ["四会乙项目"]


def test_progress_trend_draws_city_and_sihui_with_target_paths(tiny):
    fig = zq.charts.progress_trend(tiny, as_of="2023-09-30")
    ax = fig.axes[0]
    labels = [h.get_label() for h in ax.lines if not h.get_label().startswith("_")]
    assert labels == ["全市 43%", "四会市 50%"]
    sihui_path = ax.lines[3]  # city rate, city path, 四会市 rate, 四会市 path
    assert sihui_path.get_ydata().tolist() == [0.0, 0.75, 1.0]


def test_ranking_orders_counties_by_rank(tiny):
    fig = zq.charts.ranking(tiny, as_of="2023-09-30")
    labels = ytick_labels(fig.axes[0])
    assert labels[:3] == ["1  端州区", "2  四会市", "3  怀集县"]


def test_ax_argument_draws_into_the_callers_figure_with_the_cjk_font(tiny):
    fig = Figure(figsize=(6, 4))
    ax = fig.add_subplot()
    out = zq.charts.completion_by_county(tiny, as_of="2023-09-30", ax=ax)
    assert out is fig
    assert len(ax.patches) == 11
    assert ax.get_yticklabels()[0].get_fontfamily() == fonts.font_families()
    assert fig.texts == []  # no slide title or source line on a caller's figure


def test_charts_leave_global_matplotlib_settings_untouched(tiny):
    before = dict(matplotlib.rcParams)
    zq.charts.completion_by_county(tiny, as_of="2023-09-30")
    assert dict(matplotlib.rcParams) == before


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lang": "fr"}, "'zh', 'en'"),
        ({"size": "quarter"}, "'full', 'half'"),
    ],
)
def test_bad_lang_or_size_names_the_choices(tiny, kwargs, message):
    with pytest.raises(ValueError, match=message):
        zq.charts.completion_by_county(tiny, **kwargs)


def test_unknown_county_or_project_is_named(tiny):
    with pytest.raises(ValueError, match="火星县"):
        zq.charts.progress_trend(tiny, counties=["火星县"])
    with pytest.raises(ValueError, match="P99"):
        zq.charts.project_timeline(tiny, projects=["P99"])


# ---------------------------------------------------------------------------------------
# palette


def test_flag_colours_stay_apart_when_printed_in_grey():
    grey = {f: style.grey_value(c) for f, c in style.FLAG_COLORS.items()}
    for a, b in itertools.combinations(grey, 2):
        assert abs(grey[a] - grey[b]) > 50, (a, b, grey)
    assert len(set(style.FLAG_HATCHES.values())) == 3


def test_slide_sizes_are_16_to_9_and_its_half():
    width, height = style.SIZES["full"]
    assert width / height == pytest.approx(16 / 9, abs=1e-3)
    assert style.SIZES["half"] == pytest.approx((width / 2, height), abs=1e-3)


# ---------------------------------------------------------------------------------------
# saving


def test_save_writes_a_200_dpi_png_and_a_pdf_with_embedded_type3_fonts(tiny, tmp_path):
    from PIL import Image

    fig = zq.charts.completion_by_county(tiny, as_of="2023-09-30", size="half")
    png, pdf = zq.charts.save(fig, tmp_path / "out" / "completion.png")
    assert (png.name, pdf.name) == ("completion.png", "completion.pdf")
    with Image.open(png) as image:
        assert image.size == (round(6.667 * 200), 1500)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert b"/Type3" in data and b"NotoSansSC" in data
    assert b"/FontFile2" not in data  # no CFF font passed off as TrueType


def test_save_svg_writes_text_as_outlines(tiny, tmp_path):
    fig = zq.charts.stage_funnel(tiny, as_of="2023-09-30")
    (svg,) = zq.charts.save(fig, tmp_path / "funnel", formats=("svg",))
    content = svg.read_text(encoding="utf-8")
    assert "<svg" in content and "<text" not in content


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"dpi": 150}, "at least 200"), ({"formats": ("jpg",)}, "'png', 'pdf', 'svg'")],
)
def test_save_rejects_low_dpi_and_unknown_formats(tiny, tmp_path, kwargs, message):
    fig = zq.charts.stage_funnel(tiny, as_of="2023-09-30")
    with pytest.raises(ValueError, match=message):
        zq.charts.save(fig, tmp_path / "x", **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_render_all_saves_the_charts_and_leaves_no_figure_open(tiny, tmp_path):
    names = ["stage_funnel", "ranking"]
    written = zq.charts.render_all(
        tiny, tmp_path, as_of="2023-09-30", charts=names, formats=("png", "svg")
    )
    assert list(written) == names
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "ranking.png",
        "ranking.svg",
        "stage_funnel.png",
        "stage_funnel.svg",
    ]
    assert plt.get_fignums() == []


def test_render_all_rejects_unknown_chart_names(tiny, tmp_path):
    with pytest.raises(ValueError, match="pie_chart"):
        zq.charts.render_all(tiny, tmp_path, charts=["pie_chart"])


# ---------------------------------------------------------------------------------------
# image regression: the key charts look as they did (tolerance-based)

KEY_CHARTS = {
    "completion_by_county": {},
    "completion_by_category": {},
    "progress_trend": {},
    "flag_matrix": {},
    "targets_scorecard": {},
    "project_timeline": {"county": "四会市"},
}


@pytest.mark.parametrize("name", list(KEY_CHARTS))
def test_key_chart_matches_its_baseline_image(tiny, tmp_path, name):
    from matplotlib.testing.compare import compare_images

    fig = CHARTS[name](tiny, as_of="2023-09-30", size="half", **KEY_CHARTS[name])
    actual = tmp_path / f"{name}.png"
    fig.savefig(actual, dpi=60, metadata={"Software": None})
    baseline = BASELINES / f"{name}.png"
    if UPDATE_BASELINES:
        BASELINES.mkdir(exist_ok=True)
        baseline.write_bytes(actual.read_bytes())
        pytest.skip("baseline written")
    assert baseline.exists(), f"missing {baseline}: run with ZQ_UPDATE_BASELINES=1 once"
    result = compare_images(str(baseline), str(actual), tol=6)
    assert result is None, result
