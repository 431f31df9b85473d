"""CJK font discovery and fallback: which font charts choose, what it covers, line wrapping."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import pytest

from zqcampaign import labels
from zqcampaign.charts import fonts, style
from zqcampaign.config import default_config
from zqcampaign.schema import CATEGORIES, COLUMN_LABELS, STAGES

DEJAVU = Path(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans.ttf")


@dataclass
class Entry:
    """Stand-in for a matplotlib FontEntry (name and file)."""

    name: str
    fname: str


@pytest.fixture
def fresh_font_choice(monkeypatch):
    """Forget the chosen font before and after the test; no ZQCAMPAIGN_FONT set."""
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    fonts.reset()
    yield
    fonts.reset()


def test_bundled_font_covers_every_fixed_chart_text():
    path = fonts.bundled_font_path()
    config = default_config()
    texts = [
        *config.county_names,
        config.city,
        config.source_line,
        *(t.label for t in config.targets),
        *CATEGORIES,
        *STAGES,
        *COLUMN_LABELS.values(),
        *(style.flag_label(f) for f in style.FLAG_ORDER),
        *(zh for zh, _ in labels.TEXT.values()),  # every sentence of the label catalogue
        *(zh for zh, _ in labels.HEADERS.values()),
        "−0123456789%（）：、，。·…→",
    ]
    assert fonts.missing_glyphs("".join(texts), [path]) == []


def test_bundled_font_is_open_licensed_noto_sans_sc_with_cff_outlines():
    path = fonts.bundled_font_path()
    assert path.name == "NotoSansSC-Regular.otf"
    assert fonts.is_cff(path)
    assert not fonts.is_cff(DEJAVU)


def test_dejavu_sans_lacks_chinese_glyphs():
    # the reason for all this: matplotlib's default font draws boxes for 肇庆
    assert fonts.missing_glyphs("肇庆 ok", [DEJAVU]) == ["肇", "庆"]


def test_choose_family_takes_the_first_preferred_installed_font():
    noto = str(fonts.bundled_font_path())
    entries = [
        Entry("Noto Sans CJK SC", noto),
        Entry("DejaVu Sans", str(DEJAVU)),
        Entry("Microsoft YaHei", noto),
    ]
    assert fonts.choose_family(entries) == ("Microsoft YaHei", Path(noto))


def test_choose_family_skips_a_preferred_name_without_chinese_glyphs():
    # a font file that claims the name but cannot draw 肇庆 is not used
    entries = [Entry("Microsoft YaHei", str(DEJAVU))]
    assert fonts.choose_family(entries) is None


def test_without_system_cjk_font_the_bundled_font_is_used(fresh_font_choice, monkeypatch):
    from matplotlib import font_manager

    mpl_only = [
        e
        for e in font_manager.fontManager.ttflist
        if Path(e.fname).is_relative_to(matplotlib.get_data_path())
    ]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", mpl_only)
    font_manager.fontManager._findfont_cached.cache_clear()
    try:
        chosen = fonts.cjk_font()
        assert chosen.source == "bundled"
        assert chosen.family == "Noto Sans SC"
        assert fonts.font_families() == ["Noto Sans SC", "DejaVu Sans"]
    finally:
        font_manager.fontManager._findfont_cached.cache_clear()


def test_installed_preferred_font_comes_first_with_bundled_fallback(fresh_font_choice, monkeypatch):
    from matplotlib import font_manager

    # pretend the machine has Microsoft YaHei (its file is the Noto one, for the test)
    fake = font_manager.FontEntry(fname=str(fonts.bundled_font_path()), name="Microsoft YaHei")
    monkeypatch.setattr(
        font_manager.fontManager, "ttflist", [*font_manager.fontManager.ttflist, fake]
    )
    font_manager.fontManager._findfont_cached.cache_clear()
    try:
        assert fonts.cjk_font().source == "system"
        assert fonts.font_families() == ["Microsoft YaHei", "Noto Sans SC", "DejaVu Sans"]
    finally:
        font_manager.fontManager._findfont_cached.cache_clear()


def test_environment_variable_names_the_font_file(fresh_font_choice, monkeypatch):
    monkeypatch.setenv(fonts.ENV_VAR, str(fonts.bundled_font_path()))
    chosen = fonts.cjk_font()
    assert (chosen.source, chosen.family) == ("environment", "Noto Sans SC")


def test_environment_variable_with_unknown_font_says_so(fresh_font_choice, monkeypatch):
    monkeypatch.setenv(fonts.ENV_VAR, "No Such Font 123")
    with pytest.raises(fonts.FontNotFoundError, match="ZQCAMPAIGN_FONT"):
        fonts.cjk_font()


def test_font_properties_name_families_not_the_generic_sans_serif():
    prop = fonts.font_properties(size=12)
    assert "sans-serif" not in prop.get_family()
    assert prop.get_family()[-1] == "DejaVu Sans"
    assert prop.get_size() == 12


def test_text_width_counts_one_em_per_chinese_character():
    with_bundled = fonts.text_width("肇庆市", 10.0)
    assert with_bundled == pytest.approx(30.0)


def test_wrap_text_keeps_every_character_and_each_line_fits():
    text = "肇庆市四会丁新材料科技有限公司年产十万吨高性能铝合金型材及深加工建设项目（一期）"
    wrapped = fonts.wrap_text(text, 100.0, 10.0)
    lines = wrapped.split("\n")
    assert "".join(lines) == text
    assert lines[0] == "肇庆市四会丁新材料科"  # 10 characters of 10 pt in 100 pt
    assert len(lines) == 4
    assert all(fonts.text_width(line, 10.0) <= 100.0 for line in lines)


def test_wrap_text_does_not_start_a_line_with_closing_punctuation():
    # 10 characters per line: the break before "）" moves "区" down with it
    wrapped = fonts.wrap_text("粤桂合作特别试验区（肇庆）项目", 90.0, 10.0)
    assert all(not line.startswith(("）", "，", "、")) for line in wrapped.split("\n"))
    assert all(not line.endswith("（") for line in wrapped.split("\n"))


def test_wrap_text_breaks_latin_at_spaces():
    wrapped = fonts.wrap_text("Guangdong-Guangxi Cooperation Zone", 110.0, 10.0)
    assert wrapped.split("\n") == ["Guangdong-Guangxi", "Cooperation Zone"]


def test_wrap_text_with_max_lines_ends_in_an_ellipsis():
    wrapped = fonts.wrap_text("一二三四五六七八九十" * 3, 50.0, 10.0, max_lines=2)
    assert wrapped == "一二三四五\n六七八九…"


def test_importing_zqcampaign_and_charts_loads_no_matplotlib_and_registers_no_font():
    code = (
        "import sys, zqcampaign as zq\n"
        "assert 'matplotlib' not in sys.modules, 'import zqcampaign imported matplotlib'\n"
        "zq.charts\n"
        "assert 'matplotlib' not in sys.modules, 'import zqcampaign.charts imported matplotlib'\n"
        "from matplotlib import font_manager\n"
        "assert not any('NotoSansSC' in e.fname for e in font_manager.fontManager.ttflist)\n"
        "zq.charts.fonts.font_families()\n"
        "assert any('NotoSansSC' in e.fname for e in font_manager.fontManager.ttflist)\n"
    )
    env = {**os.environ, "MPLBACKEND": "Agg"}
    env.pop(fonts.ENV_VAR, None)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
