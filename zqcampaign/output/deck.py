"""The briefing deck (briefing.pptx, 16:9) for the monthly supervision day.

Slides: title; city summary (headline figures); one slide per chart; red and yellow projects
with reasons and responsible units; the targets scorecard; one slide per supervision group
for the coming supervision day. Text is set in a CJK font (微软雅黑 as East Asian typeface,
which PowerPoint and WPS have and LibreOffice substitutes with its CJK font).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from zqcampaign.output.tables import FLAG_NAMES, BriefingTables

if TYPE_CHECKING:
    from zqcampaign.config import Config

__all__ = ["CJK_FONT", "ROWS_PER_SLIDE", "write_deck"]

CJK_FONT = "Microsoft YaHei"
LATIN_FONT = "Arial"
ROWS_PER_SLIDE = 12
SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
FLAG_RGB = {"blue": (0x1F, 0x5F, 0xBF), "yellow": (0xF2, 0xB7, 0x05), "red": (0xC8, 0x10, 0x2E)}

TEXT = {
    "zh": {
        "subtitle": "月度督导简报",
        "as_of": "截至 {d}",
        "summary": "全市总体情况",
        "red": "红色警告项目",
        "yellow": "黄色预警项目",
        "targets": "目标完成情况",
        "register": "问题销号情况",
        "cols_register": ["县（市、区）", "新增问题", "推进中", "其中超期", "本月销号"],
        "group": "{g}：{d} 督导安排",
        "no_day": "活动期内已无后续督导日",
        "cont": "（{i}/{n}）",
        "none": "无",
        "cols_flags": ["县（市、区）", "项目名称", "类别", "原因", "责任单位"],
        "cols_targets": ["目标", "期限", "目标值", "实际值", "标识"],
        "lines": [
            "三类项目 {total} 个，已完成目标节点 {achieved} 个，完成率 {rate}（序时目标 {expected}）",
            "项目标识：蓝色 {blue} 个，黄色 {yellow} 个，红色 {red} 个",
            "县（市、区）：红色 {counties_red} 个，黄色 {counties_yellow} 个",
            "年度计划投资 {annual_plan:,.0f} 万元，累计完成 {ytd_actual:,.0f} 万元（{inv_rate}，序时进度 {elapsed}）",
            "目标：已完成 {targets_met} 项，未完成 {targets_failed} 项，进行中 {targets_pending} 项",
        ],
        "group_line": "负责：{counties}；项目 {n} 个（红色 {red}，黄色 {yellow}，蓝色 {blue}）",
    },
    "en": {
        "subtitle": "Monthly supervision briefing",
        "as_of": "As of {d}",
        "summary": "City overview",
        "red": "Red-flagged projects",
        "yellow": "Yellow-flagged projects",
        "targets": "Targets",
        "register": "Problem register",
        "cols_register": ["County", "New", "In progress", "Overdue", "Closed this month"],
        "group": "{g}: supervision on {d}",
        "no_day": "No supervision day left in the campaign",
        "cont": " ({i}/{n})",
        "none": "none",
        "cols_flags": ["County", "Project", "Category", "Reason", "Responsible unit"],
        "cols_targets": ["Target", "Deadline", "Target value", "Actual", "Flag"],
        "lines": [
            "{total} projects in the three categories; {achieved} reached their goal: {rate} (expected {expected})",
            "Project flags: blue {blue}, yellow {yellow}, red {red}",
            "Counties: red {counties_red}, yellow {counties_yellow}",
            "Annual plan {annual_plan:,.0f}; YTD actual {ytd_actual:,.0f} (10k yuan; {inv_rate}, year elapsed {elapsed})",
            "Targets: met {targets_met}, missed {targets_failed}, pending {targets_pending}",
        ],
        "group_line": "Covers {counties}; {n} projects (red {red}, yellow {yellow}, blue {blue})",
    },
}


def _pct(value: Any) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:.1%}"


def _style_run(
    run: Any, size: float, *, bold: bool = False, rgb: tuple[int, int, int] | None = None
) -> None:
    from pptx.dml.color import RGBColor
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    font = run.font
    font.size = Pt(size)
    font.bold = bold
    font.name = LATIN_FONT
    if rgb is not None:
        font.color.rgb = RGBColor(*rgb)
    r_pr = run._r.get_or_add_rPr()
    for tag in ("a:ea", "a:cs"):
        existing = r_pr.find(qn(tag))
        if existing is not None:
            r_pr.remove(existing)
    latin = r_pr.find(qn("a:latin"))
    from pptx.oxml import parse_xml

    ea = parse_xml(
        f'<a:ea xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" typeface="{CJK_FONT}"/>'
    )
    latin.addnext(ea)


def _text(frame: Any, lines: Sequence[str], size: float, *, bold_first: bool = False) -> None:
    frame.clear()
    frame.word_wrap = True
    for i, line in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = line
        _style_run(run, size, bold=bold_first and i == 0)


def _title(slide: Any, title: str, subtitle: str | None = None) -> None:
    from pptx.util import Inches

    box = slide.shapes.add_textbox(Inches(0.5), Inches(0.3), Inches(SLIDE_W_IN - 1), Inches(0.8))
    _text(box.text_frame, [title], 28, bold_first=True)
    if subtitle:
        sub = slide.shapes.add_textbox(
            Inches(0.5), Inches(1.0), Inches(SLIDE_W_IN - 1), Inches(0.5)
        )
        _text(sub.text_frame, [subtitle], 14)


def _source(slide: Any, line: str) -> None:
    from pptx.util import Inches

    box = slide.shapes.add_textbox(
        Inches(0.5), Inches(SLIDE_H_IN - 0.5), Inches(SLIDE_W_IN - 1), Inches(0.35)
    )
    _text(box.text_frame, [line], 10)


def _table(
    slide: Any,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    flags: Sequence[str | None] | None = None,
) -> None:
    from pptx.util import Inches

    top = 1.5
    height = 0.4 * (len(rows) + 1)
    shape = slide.shapes.add_table(
        len(rows) + 1, len(header), Inches(0.5), Inches(top), Inches(sum(widths)), Inches(height)
    )
    table = shape.table
    for j, w in enumerate(widths):
        table.columns[j].width = Inches(w)
    for j, text in enumerate(header):
        cell = table.cell(0, j)
        _text(cell.text_frame, [text], 12, bold_first=True)
    for i, row in enumerate(rows, start=1):
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            _text(cell.text_frame, ["" if text is None else str(text)], 11)
        if flags is not None and flags[i - 1] in FLAG_RGB:
            last = table.cell(i, len(header) - 1)
            last.fill.solid()
            from pptx.dml.color import RGBColor

            last.fill.fore_color.rgb = RGBColor(*FLAG_RGB[flags[i - 1]])


def _pages(frame: pd.DataFrame, size: int = ROWS_PER_SLIDE) -> list[pd.DataFrame]:
    if frame.empty:
        return [frame]
    return [frame.iloc[i : i + size] for i in range(0, len(frame), size)]


def write_deck(
    path: Path,
    tables: BriefingTables,
    charts: Sequence[tuple[str, Path]],
    config: Config,
    *,
    lang: str = "zh",
) -> list[str]:
    """Write the deck to ``path``; return the slide titles in order."""
    from pptx import Presentation
    from pptx.util import Emu, Inches

    t = TEXT[lang]
    day = tables.as_of.strftime("%Y年%m月%d日") if lang == "zh" else tables.as_of.date().isoformat()
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)  # 16:9, 13.333 x 7.5 in
    blank = prs.slide_layouts[6]
    titles: list[str] = []

    def new_slide(title: str, subtitle: str | None = None) -> Any:
        slide = prs.slides.add_slide(blank)
        _title(slide, title, subtitle)
        _source(slide, config.source_line if lang == "zh" else "Source: county ledgers")
        titles.append(title)
        return slide

    # title
    slide = prs.slides.add_slide(blank)
    box = slide.shapes.add_textbox(Inches(0.8), Inches(2.3), Inches(SLIDE_W_IN - 1.6), Inches(3))
    _text(
        box.text_frame,
        [config.campaign_name, t["subtitle"], t["as_of"].format(d=day)],
        36,
        bold_first=True,
    )
    titles.append(config.campaign_name)

    # city summary
    city = tables.city
    values = {**city.to_dict(), "rate": _pct(city["rate"]), "expected": _pct(city["expected"]),
              "inv_rate": _pct(city["ytd_actual"] / city["annual_plan"] if city["annual_plan"] else None),
              "elapsed": _pct(city["elapsed"])}  # fmt: skip
    slide = new_slide(t["summary"], t["as_of"].format(d=day))
    box = slide.shapes.add_textbox(Inches(0.8), Inches(1.8), Inches(SLIDE_W_IN - 1.6), Inches(4.5))
    _text(box.text_frame, [line.format(**values) for line in t["lines"]], 20)

    # charts
    for title, png in charts:
        slide = new_slide(title, t["as_of"].format(d=day))
        from PIL import Image

        with Image.open(png) as im:
            w, h = im.size
        max_w, max_h = SLIDE_W_IN - 1.0, SLIDE_H_IN - 2.2
        scale = min(max_w / w, max_h / h)
        left = (SLIDE_W_IN - w * scale) / 2
        slide.shapes.add_picture(
            str(png), Inches(left), Inches(1.5), Inches(w * scale), Inches(h * scale)
        )

    # red and yellow projects
    flagged = tables.projects[tables.projects["in_scope"]]
    for flag in ("red", "yellow"):
        rows = flagged[flagged["flag"] == flag][
            ["county", "name", "category", "reason", "responsible_unit"]
        ]
        pages = _pages(rows)
        for i, page in enumerate(pages, start=1):
            title = t[flag] + (t["cont"].format(i=i, n=len(pages)) if len(pages) > 1 else "")
            slide = new_slide(title, t["as_of"].format(d=day))
            body = page.fillna("").astype(str).to_numpy().tolist() or [[t["none"], "", "", "", ""]]
            _table(slide, t["cols_flags"], body, [1.7, 3.6, 1.5, 3.5, 2.0])

    # targets
    targ = tables.targets
    rows = [
        [r.label or r.metric, r.deadline.date().isoformat(), _fmt_target(r.metric, r.target), _fmt_target(r.metric, r.actual),
         FLAG_NAMES[lang].get(r.flag, "—") if isinstance(r.flag, str) else "—"]
        for r in targ.itertuples()
    ]  # fmt: skip
    slide = new_slide(t["targets"], t["as_of"].format(d=day))
    _table(slide, t["cols_targets"], rows or [[t["none"], "", "", "", ""]], [5.5, 1.6, 1.6, 1.6, 1.2],
           flags=list(targ["flag"]) if rows else None)  # fmt: skip

    _register_slide(new_slide, tables, config, t, day)

    # supervision groups for the coming day
    if tables.supervision_day is None:
        new_slide(t["no_day"])
    else:
        when = (
            tables.supervision_day.strftime("%Y年%m月%d日")
            if lang == "zh"
            else tables.supervision_day.date().isoformat()
        )
        sup = tables.supervision
        for group in config.supervision_groups:
            part = sup[sup["group"] == group.name]
            counts = part["flag"].value_counts()
            slide = new_slide(t["group"].format(g=group.name, d=when))
            line = t["group_line"].format(counties="、".join(group.counties), n=len(part), red=counts.get("red", 0),
                                          yellow=counts.get("yellow", 0), blue=counts.get("blue", 0))  # fmt: skip
            box = slide.shapes.add_textbox(
                Inches(0.5), Inches(1.0), Inches(SLIDE_W_IN - 1), Inches(0.5)
            )
            _text(box.text_frame, [line], 14)
            focus = part[part["flag"].isin(["red", "yellow"])].sort_values(
                "flag", key=lambda s: s.map({"red": 0, "yellow": 1})
            )
            body = focus[["county", "name", "category", "reason", "responsible_unit"]].head(
                ROWS_PER_SLIDE
            )
            _table(slide, t["cols_flags"], body.fillna("").astype(str).to_numpy().tolist() or [[t["none"], "", "", "", ""]],
                   [1.7, 3.6, 1.5, 3.5, 2.0])  # fmt: skip
    prs.save(str(path))
    return titles


def _register_slide(
    new_slide: Any, tables: BriefingTables, config: Config, t: dict[str, Any], day: str
) -> None:
    """The register's three lists counted per county (counties with none left out)."""
    from zqcampaign.output.tables import register_counts

    if not tables.problem_lists:
        return
    counts = register_counts(tables.problem_lists, config.county_names)
    cols = ["新增问题", "推进中", "其中超期", "已销号"]
    counts = counts[counts[cols].sum(axis=1) > 0]
    slide = new_slide(t["register"], t["as_of"].format(d=day))
    rows = [[r[0], *map(str, r[1:])] for r in counts[["county", *cols]].itertuples(index=False)]
    _table(
        slide, t["cols_register"], rows or [[t["none"], "", "", "", ""]], [3.2, 1.8, 1.8, 1.8, 1.8]
    )


def _fmt_target(metric: str, value: float) -> str:
    if value is None or pd.isna(value):
        return "—"
    if metric == "completion_rate":
        return f"{value:.0%}" if value == round(value, 2) else f"{value:.1%}"
    if metric == "actual_investment":
        return f"{value / 10000:.2f}亿"
    return f"{value:g}"
