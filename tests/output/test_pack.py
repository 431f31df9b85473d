"""The briefing pack as the mayor and the counties get it: Chinese in the PDF on a machine
without Chinese fonts, nothing past the slide or into the footer, every red and yellow
project on its county's and its group's slides, one flag per county everywhere, issues
files holding exactly their county's problems, no English in the Chinese outputs."""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings
from pathlib import Path

import pandas as pd
import pytest

import zqcampaign as zq
from zqcampaign import labels
from zqcampaign.output import slides
from zqcampaign.output.deck import write_deck
from zqcampaign.output.tables import briefing_tables, issue_county

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
AS_OF = "2023-11-30"
HAS_SOFFICE = shutil.which("soffice") is not None and shutil.which("pdftotext") is not None


@pytest.fixture(scope="module")
def camp():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return zq.load(SAMPLE)


@pytest.fixture(scope="module")
def no_cjk_fontconfig(tmp_path_factory):
    """A fontconfig file that knows only DejaVu: a machine with no Chinese system font."""
    folder = tmp_path_factory.mktemp("fc")
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        "<dir>/usr/share/fonts/truetype/dejavu</dir>"
        f"<cachedir>{folder / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return conf


@pytest.fixture(scope="module")
def pack(camp, tmp_path_factory, no_cjk_fontconfig):
    out = tmp_path_factory.mktemp("pack") / "briefing"
    mp = pytest.MonkeyPatch()
    mp.setenv("FONTCONFIG_FILE", str(no_cjk_fontconfig))
    try:
        return camp.report(out, as_of=AS_OF, workers=2, pdf=HAS_SOFFICE)
    finally:
        mp.undo()


def _slides(path: Path) -> list[tuple[str, list[list[str]], str]]:
    """(title, table rows, all text) of every slide."""
    from pptx import Presentation

    out = []
    for slide in Presentation(path).slides:
        texts, rows = [], []
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                for r in list(shape.table.rows)[1:]:
                    rows.append([c.text for c in r.cells])
                texts += [c.text for r in shape.table.rows for c in r.cells]
        out.append((texts[0] if texts else "", rows, "\n".join(texts)))
    return out


# -- Chinese in the PDF -------------------------------------------------------------------


def _page_texts(pdf: Path) -> list[str]:
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8").split("\f")


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice and poppler-utils needed")
def test_pdf_has_every_slide_title_as_text_and_embeds_a_cjk_font(pack):
    pdf = pack.folder / "briefing.pdf"
    pages = _page_texts(pdf)
    assert len([p for p in pages if p.strip()]) == len(pack.slide_titles)
    for title, page in zip(pack.slide_titles, pages, strict=False):
        assert re.sub(r"\s", "", title) in re.sub(r"\s", "", page)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    embedded = [line for line in fonts.splitlines() if "NotoSansSC" in line]
    assert embedded and all(" yes " in line for line in embedded)
    assert "DejaVu" not in fonts  # nothing fell back to a Latin-only face


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice and poppler-utils needed")
def test_pdf_text_stays_above_the_footer_and_on_the_page(pack):
    done = subprocess.run(
        ["pdftotext", "-bbox", str(pack.folder / "briefing.pdf"), "-"],
        capture_output=True,
        check=True,
    )
    html = done.stdout.decode("utf-8")
    footer_words = set(re.findall(r"\S+", pack.slide_titles[0]))
    pages = html.split("<page ")[1:]
    for n, page in enumerate(pages, start=1):
        width, height = (
            float(v) for v in re.search(r'width="([\d.]+)" height="([\d.]+)"', page).groups()
        )
        for _x0, y0, x1, y1, word in re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', page
        ):
            assert float(x1) <= width + 0.5 and float(y1) <= height + 0.5, (n, word)
            if float(y0) >= slides.FOOTER_TOP * 72 - 1:  # in the footer band: footer text only
                assert n > 1 and (re.fullmatch(r"[\d/]+", word) or word in "数据来源：各县（市、区）报送台账|截至2023年11月30日" or word in footer_words), (n, word)  # fmt: skip
            else:
                assert float(y1) <= slides.FOOTER_TOP * 72 + 1, (n, word)


# -- geometry at several dates, both languages ------------------------------------------------


@pytest.mark.parametrize("as_of", ["2023-08-31", "2023-10-31", "2023-12-31"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_shape_runs_past_the_slide_or_into_the_footer(camp, as_of, lang, tmp_path):
    from PIL import Image

    known = camp.known_on(as_of)
    tables = briefing_tables(known, pd.Timestamp(as_of))
    png = tmp_path / "c.png"
    Image.new("RGB", (2466, 1100), "white").save(png)  # the "body" chart size at 200 dpi
    result = write_deck(tmp_path / "d.pptx", tables, [("ranking", png)], camp.config, lang=lang)
    assert result.placed
    for p in result.placed:
        assert p.left >= 0 and p.top >= 0 and p.right <= slides.SLIDE_W + 1e-6, p
        if p.role == "footer":
            assert p.top >= slides.FOOTER_TOP and p.bottom <= slides.SLIDE_H, p
        else:
            assert p.bottom <= slides.FOOTER_TOP, p
    # measured heights equal the rows' heights written into the file
    from pptx import Presentation

    prs = Presentation(tmp_path / "d.pptx")
    tables_in = [s for slide in prs.slides for s in slide.shapes if s.has_table]
    placed_tables = [p for p in result.placed if p.role == "table"]
    assert len(tables_in) == len(placed_tables)
    for shape, p in zip(tables_in, placed_tables, strict=True):
        rows = sum(r.height for r in shape.table.rows) / 914400
        assert abs(rows - p.height) < 0.01


def test_row_height_grows_with_wrapped_lines():
    one = slides.row_height(["短"], [3.0], 11)
    many = slides.row_height(["很长的原因" * 20], [3.0], 11)
    assert many > 4 * one


# -- completeness and consistency ----------------------------------------------------------------


def test_every_red_and_yellow_project_is_on_its_county_and_group_slides(pack, camp):
    known = camp.known_on(AS_OF)
    flags = known.project_flags(as_of=AS_OF)
    focus = flags[flags["flag"].isin(["red", "yellow"])]
    deck = _slides(pack.folder / "briefing.pptx")
    group_of = {c: g.name for g in camp.config.supervision_groups for c in g.counties}
    for row in focus.itertuples():
        county_rows = [r for t, rows, _ in deck if t.startswith(f"{row.county}红色、黄色项目") for r in rows]  # fmt: skip
        assert [row.name, labels.flag_name(row.flag)] in [[r[0], r[2]] for r in county_rows], row.name  # fmt: skip
        group = group_of[row.county]
        group_rows = [r for t, rows, _ in deck if t.startswith(group + "：") for r in rows]
        assert [row.county, row.name, labels.flag_name(row.flag)] in [r[:3] for r in group_rows]


def test_group_slides_sorted_by_county_then_flag_then_days_late(pack, camp):
    deck = _slides(pack.folder / "briefing.pptx")
    order = {c: i for i, c in enumerate(camp.config.county_names)}
    for group in camp.config.supervision_groups:
        rows = [r for t, rows, _ in deck if t.startswith(group.name + "：") for r in rows]
        rows = [r for r in rows if r[2] in ("红", "黄")]
        keys = [(order[r[0]], r[2] != "红", -int(r[3] or -1)) for r in rows]
        assert keys == sorted(keys)


def test_one_as_of_date_and_one_flag_per_county(pack, camp):
    deck = _slides(pack.folder / "briefing.pptx")
    dates = set()
    for _, _, text in deck:
        dates |= set(re.findall(r"截至\s*(\d{4}\s*年\s*\d+\s*月\s*\d+\s*日)", text))
    assert {re.sub(r"\s", "", d) for d in dates} == {"2023年11月30日"}
    want = camp.known_on(AS_OF).completion(as_of=AS_OF).set_index("county")["flag"].map(labels.flag_name)  # fmt: skip
    sheet = pd.read_excel(
        pack.folder / "report.xlsx", sheet_name="汇总", engine="openpyxl"
    ).set_index("县（市、区）")["标识"]
    csv = pd.read_csv(pack.folder / "tables" / "汇总.csv", encoding="utf-8-sig").set_index("县（市、区）")["标识"]  # fmt: skip
    changes = next(rows for t, rows, _ in deck if t == "较上月变化")
    on_slide = pd.Series({r[0]: r[5] for r in changes})
    for shown in (sheet, csv, on_slide):
        assert shown.reindex(want.index).tolist() == want.tolist()


def test_csv_keeps_full_precision(pack):
    csv = pd.read_csv(pack.folder / "tables" / "汇总.csv", encoding="utf-8-sig")
    assert any(len(str(v).split(".")[-1]) > 6 for v in csv["完成率"])


def test_report_workbook_number_formats_and_print_setup(pack):
    import openpyxl

    ws = openpyxl.load_workbook(pack.folder / "report.xlsx")["汇总"]
    header = [c.value for c in ws[1]]
    fmt = {h: ws.cell(row=2, column=j + 1).number_format for j, h in enumerate(header)}
    assert (
        fmt["完成率"] == "0.0%" and fmt["综合得分"] == "0.0" and fmt["投资差距（百分点）"] == "0.0"
    )
    assert fmt["年度计划投资（万元）"] == "#,##0" and fmt["差距（百分点）"].startswith("+0.0")
    gap = ws.cell(row=2, column=header.index("差距（百分点）") + 1).value
    assert -100 < gap < 100 and abs(gap) > 1  # points, not a fraction
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1


# -- issues to send -----------------------------------------------------------------------------


def test_each_county_issues_file_holds_exactly_its_issues(pack, camp):
    import openpyxl

    issues = camp.known_on(AS_OF).issues
    issues = issues.assign(county=issue_county(issues, camp.config.county_names))
    real = issues[issues["severity"] != "info"]
    folder = pack.folder / "issues"
    for county in camp.config.county_names:
        path = folder / f"{county}.xlsx"
        mine = real[real["county"] == county]
        if mine.empty:
            assert not path.exists()
            continue
        ws = openpyxl.load_workbook(path).worksheets[0]
        assert county in ws["A1"].value and "2023年11月30日" in ws["A2"].value
        assert "前修改后重新报送" in ws["A3"].value and "联系人" in ws["A4"].value
        rows = list(ws.iter_rows(min_row=7, values_only=True))
        assert len(rows) == len(mine)
        header = [c.value for c in ws[6]]
        assert header[:3] == ["级别", "问题类型", "修改要求"]
        assert {r[0] for r in rows} <= {"错误", "警告"}
        assert ws.print_title_rows == "$6:$6" and ws.page_setup.orientation == "landscape"
    # the file-level problem of 广宁县's misdated file goes to 广宁县
    assert "广宁县" in set(real.loc[real["code"] == "report_date_conflict", "county"])


def test_no_english_word_in_chinese_outputs(pack):
    import openpyxl

    english = re.compile(r"\b[a-z]{3,}(?:_[a-z]+)*\b")
    allowed = {"xlsx", "xls", "csv", "ods", "sheet"}
    for title, _, text in _slides(pack.folder / "briefing.pptx"):
        found = set(english.findall(text.lower())) - allowed
        assert not found, (title, found)
    coded = {"级别", "问题类型", "修改要求", "标识", "上月标识", "是否完成", "纳入统计", "星期", "指标", "类型", "状态"}  # fmt: skip
    for path in [pack.folder / "report.xlsx", *(pack.folder / "issues").glob("*.xlsx")]:
        for ws in openpyxl.load_workbook(path).worksheets:
            rows = list(ws.iter_rows(values_only=True))
            head_i = next(i for i, r in enumerate(rows) if r and sum(v is not None for v in r) > 2)
            header = rows[head_i]
            assert not any(english.search(str(h)) for h in header if h), (path.name, header)
            for j, h in enumerate(header):
                if h in coded:
                    for r in rows[head_i + 1 :]:
                        assert not english.search(str(r[j] or "").lower()), (path.name, h, r[j])
    for csv in (pack.folder / "tables").glob("*.csv"):
        header = pd.read_csv(csv, nrows=0, encoding="utf-8-sig").columns
        assert not [h for h in header if english.search(h)], (csv.name, list(header))


def test_english_deck_takes_its_words_from_the_catalogue(camp, tmp_path):
    from PIL import Image

    tables = briefing_tables(camp.known_on(AS_OF), pd.Timestamp(AS_OF))
    png = tmp_path / "c.png"
    Image.new("RGB", (2466, 1100), "white").save(png)
    result = write_deck(
        tmp_path / "en.pptx", tables, [("flag_matrix", png)], camp.config, lang="en"
    )
    assert "Project flags by county and month" in result.titles
    assert "flag matrix" not in result.titles and "Key messages" in result.titles


def test_warnings_for_missing_baseline_and_dates_outside_the_data(camp):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        month = zq.load(SAMPLE / "2023-11")
    messages = [str(w.message) for w in caught]
    assert any("基准月" in m for m in messages) and any("样例" in m for m in messages)
    assert any("早于活动开始" in m for m in camp.warnings("2023-06-30"))
    assert any("晚于最新一期台账" in m for m in camp.warnings("2024-05-31"))
    assert month.sample


def test_every_run_declares_an_east_asian_font_and_the_title_slide_says_who_when(pack, camp):
    from pptx import Presentation
    from pptx.oxml.ns import qn

    prs = Presentation(pack.folder / "briefing.pptx")
    runs = [r for slide in prs.slides for r in slide.shapes._spTree.iter(qn("a:r"))]
    assert runs
    for run in runs:
        r_pr = run.find(qn("a:rPr"))
        ea = r_pr.find(qn("a:ea"))
        assert ea is not None and ea.get("typeface") == slides.CJK_FONT
        assert r_pr.get("lang") == "zh-CN"
    first = _slides(pack.folder / "briefing.pptx")[0][2]
    assert "督导日：2023年12月5日" in first and "数据截至：2023年11月30日" in first
    assert camp.config.office in first and "虚构样例数据" in first  # the loud warning
    pages = [t for t, _, _ in _slides(pack.folder / "briefing.pptx")]
    numbers = [re.search(r"(\d+) / (\d+)", text) for _, _, text in _slides(pack.folder / "briefing.pptx")[1:]]  # fmt: skip
    assert [int(m.group(1)) for m in numbers] == list(range(2, len(pages) + 1))
