"""督办函 and 提醒函: one ``.docx`` per county with red or yellow projects and per group.

Laid out after 党政机关公文格式 (GB/T 9704-2012): A4, margins top 37 mm, bottom 35 mm,
left 28 mm, right 26 mm; 发文机关标志 in red over a red rule; 发文字号; title in 二号
小标宋 (方正小标宋简体, with a fallback named in the font table); body in 三号 仿宋 (16 pt) on
a 28.95 pt line (22 lines of 28 characters); first-level headings in 黑体; page numbers
``— 1 —`` in 四号 宋体, right on odd pages and left on even ones. Font names, the office and
the 文号 pattern are configuration (``[letters]``).

A letter names the addressee, the subject, every red and yellow project with its reason and
responsible unit, the open problems past their 解决时限, the data issues to fix, the reply
deadline, the office and the date. 督办函 when any project (or the county) is red, else 提醒函.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from zqcampaign.output.briefs import Brief, briefs

if TYPE_CHECKING:
    from zqcampaign.campaign import Campaign
    from zqcampaign.config import LetterStyle

__all__ = [
    "MARGINS_MM",
    "SECTION_TITLES",
    "Letter",
    "addressee",
    "write_letters",
    "write_pack_letters",
]

MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}  # GB/T 9704-2012 §5.2.1
PAGE_MM = (210, 297)
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
LINE_PT = 28.95  # 22 lines in the 225 mm text block
PAGE_NUMBER_PT = 14  # 四号
RED = (0xE6, 0x00, 0x12)
SECTION_TITLES = {
    "red": "红色警告项目",
    "yellow": "黄色预警项目",
    "overdue": "超过解决时限的问题",
    "issues": "需更正的台账数据",
    "ask": "工作要求",
}
MAX_ISSUES = 15  # listed in the letter; the rest are in issues.xlsx
_NUMERALS = "一二三四五六七八九十"
_ZONES = ("高新区", "新区", "试验区", "开发区")


@dataclass(frozen=True)
class Letter:
    """A letter written: where, to whom, which kind, the projects it names."""

    path: Path
    number: str  # 文号
    kind: str  # 督办函 | 提醒函
    addressee: str
    brief: Brief


def addressee(brief: Brief) -> str:
    """主送机关: a county's 人民政府 (a zone's 管委会), or the supervision group."""
    if brief.kind == "group":
        return brief.name
    if any(z in brief.name for z in _ZONES):
        return f"{brief.name}管委会"
    return f"{brief.name}人民政府"


def _cn_date(day: pd.Timestamp) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _gap_words(gap: float) -> str:
    if pd.isna(gap):
        return ""
    if abs(gap) < 0.0005:
        return "与序时持平，"
    return f"{'落后' if gap < 0 else '超出'}序时 {abs(gap) * 100:.1f} 个百分点，"


def _pct(v: float) -> str:
    return "—" if pd.isna(v) else f"{v * 100:.1f}%"


# -- docx helpers ---------------------------------------------------------------------------


def _set_fonts(run: Any, east_asian: str, size: float, *, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = east_asian
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(key), east_asian)


def _paragraph(
    doc: Any,
    text: str,
    font: str,
    size: float = BODY_PT,
    *,
    align: str = "justify",
    indent: bool = True,
    bold: bool = False,
    color: tuple[int, int, int] | None = None,
    line: float | None = LINE_PT,
) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt, RGBColor

    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
    }[align]
    fmt.space_before = fmt.space_after = Pt(0)
    if line is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    run = p.add_run(text)
    _set_fonts(run, font, size, bold=bold)
    if color is not None:
        run.font.color.rgb = RGBColor(*color)
    return p


def _heading(doc: Any, text: str, font: str) -> Any:
    """A first-level heading (黑体), kept on the page of the lines it announces."""
    p = _paragraph(doc, text, font)
    p.paragraph_format.keep_with_next = True
    return p


def _red_rule(paragraph: Any) -> None:
    """A red line under the paragraph (the 版头 separator)."""
    from docx.oxml.ns import qn

    ppr = paragraph._element.get_or_add_pPr()
    border = ppr.makeelement(qn("w:pBdr"), {})
    bottom = border.makeelement(
        qn("w:bottom"),
        {qn("w:val"): "single", qn("w:sz"): "12", qn("w:space"): "8", qn("w:color"): "E60012"},
    )
    border.append(bottom)
    ppr.append(border)


def _page_number(paragraph: Any, font: str) -> None:
    """``— PAGE —`` in 四号 宋体."""
    from docx.oxml.ns import qn

    def run(text: str | None = None) -> Any:
        r = paragraph.add_run(text or "")
        _set_fonts(r, font, PAGE_NUMBER_PT)
        return r

    run("— ")
    for kind, instr in (("begin", None), (None, " PAGE "), ("end", None)):
        r = run()
        if kind is not None:
            el = r._element.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
        else:
            el = r._element.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            el.text = instr
        r._element.append(el)
    run(" —")


def _footers(doc: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    section.footer_distance = Mm(28 - 7)  # page number 7 mm below the text block
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        p = footer.paragraphs[0]
        p.paragraph_format.alignment = align
        _page_number(p, "宋体")


def _font_fallbacks(doc: Any, style: LetterStyle) -> None:
    """Name each configured font's fallback in the font table (``w:altName``): a reader
    without 方正小标宋 draws the title in the fallback."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    part = next(
        (p for p in doc.part.package.iter_parts() if p.partname.endswith("/fontTable.xml")),
        None,
    )
    if part is None:
        return
    root = parse_xml(part.blob)
    pairs = {
        style.title_font: style.title_fallback,
        style.body_font: style.body_fallback,
    }
    for name, alt in pairs.items():
        font = parse_xml(
            f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
            '<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
        )
        root.append(font)
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page(doc: Any) -> None:
    from docx.shared import Mm

    s = doc.sections[0]
    s.page_width, s.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    s.top_margin, s.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    s.left_margin, s.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])


# -- the letter ----------------------------------------------------------------------------


def _project_line(i: int, row: pd.Series) -> str:
    unit = row["responsible_unit"] if isinstance(row["responsible_unit"], str) else "未填报"
    person = row["responsible_person"] if isinstance(row["responsible_person"], str) else ""
    who = f"责任单位：{unit}" + (f"，责任人：{person}" if person else "")
    where = f"【{row['county']}】" if row.get("_group") else ""
    return f"{i}. {where}{row['name']}：{row['reason']}。{who}。"


def _body(doc: Any, brief: Brief, camp: Campaign, style: LetterStyle, reply: pd.Timestamp) -> None:
    body, heading = style.body_font, style.heading_font
    h = brief.headline
    who = "你单位" if brief.kind == "county" else "你组联系的" + "、".join(brief.counties)
    flag_word = {"red": "红色", "yellow": "黄色", "blue": "蓝色"}.get(h["flag"], "—")
    _paragraph(
        doc,
        f"根据各县（市、区）报送的截至{_cn_date(brief.as_of)}项目台账，{who}纳入"
        f"{camp.config.campaign_name}清单的三类项目 {h['total']} 个，已完成节点目标 {h['achieved']} 个，"
        f"完成率 {_pct(h['rate'])}，序时目标 {_pct(h['expected'])}，"
        f"{_gap_words(h['gap'])}标识为{flag_word}。"
        f"现将红色警告、黄色预警项目和超期未解决问题{'督办' if brief.letter_kind == '督办函' else '提醒'}如下：",
        body,
    )
    group = brief.kind == "group"
    k = 0
    for key, frame in (("red", brief.red), ("yellow", brief.yellow)):
        title = f"{_NUMERALS[k]}、{SECTION_TITLES[key]}（{len(frame)}个）"
        k += 1
        _heading(doc, title, heading)
        if frame.empty:
            _paragraph(doc, "无。", body)
        for i, (_, row) in enumerate(frame.iterrows(), start=1):
            _paragraph(doc, _project_line(i, _with_group(row, group)), body)
    _heading(doc, f"{_NUMERALS[k]}、{SECTION_TITLES['overdue']}（{len(brief.overdue)}个）", heading)
    k += 1
    if brief.overdue.empty:
        _paragraph(doc, "无。", body)
    for i, (_, p) in enumerate(brief.overdue.iterrows(), start=1):
        where = f"【{p['county']}】" if group else ""
        _paragraph(
            doc,
            f"{i}. {where}{p['name']}：{p['problem']}。解决时限 {_cn_date(p['deadline'])}，"
            f"已超期 {p['days_overdue']} 天，{p['level']}督办（{p['coordination']}）；"
            f"责任单位：{p['responsible_unit']}。",
            body,
        )
    _heading(doc, f"{_NUMERALS[k]}、{SECTION_TITLES['issues']}（{len(brief.issues)}条）", heading)
    k += 1
    if brief.issues.empty:
        _paragraph(doc, "无。", body)
    for i, (_, row) in enumerate(brief.issues.head(MAX_ISSUES).iterrows(), start=1):
        where = Path(str(row["file"])).name
        at = f"第{int(row['row'])}行" if pd.notna(row["row"]) else ""
        _paragraph(doc, f"{i}. {where} {row['sheet'] or ''} {at}：{row['message']}", body)
    if len(brief.issues) > MAX_ISSUES:
        _paragraph(
            doc, f"另有 {len(brief.issues) - MAX_ISSUES} 条，详见简报附件 issues.xlsx。", body
        )
    _heading(doc, f"{_NUMERALS[k]}、{SECTION_TITLES['ask']}", heading)
    day = (
        f"，并在{_cn_date(brief.supervision_day)}项目落地集中督导日前落实"
        if brief.supervision_day is not None
        else ""
    )
    ask = (
        "请督促有关责任单位逐项对照，明确措施、时限和责任人，加快推进红色、黄色项目，按时解决超期问题"
        if brief.kind == "county"
        else "请结合督导安排，对上述项目开展现场督导，推动问题逐项销号"
    )
    _paragraph(
        doc,
        f"{ask}{day}；台账数据问题请在下月报送时一并更正。请于{_cn_date(reply)}前将整改落实情况"
        f"书面报送{style.office}。",
        body,
    )


def _with_group(row: pd.Series, group: bool) -> pd.Series:
    row = row.copy()
    row["_group"] = group
    return row


def _write_letter(
    brief: Brief, camp: Campaign, path: Path, number: str, date: pd.Timestamp
) -> Letter:
    import docx

    style = camp.config.letter_style
    doc = docx.Document()
    _page(doc)
    _font_fallbacks(doc, style)
    # 发文机关标志: as large as fits one line of the 156 mm text block, at most 一号 (26 pt)
    size = min(26.0, int(0.95 * 156 / 25.4 * 72 / max(len(style.office), 1)))
    head = _paragraph(
        doc,
        style.office,
        style.title_font,
        size,
        align="center",
        indent=False,
        color=RED,
        line=None,
    )
    head.paragraph_format.space_after = 0
    _paragraph(doc, number, style.body_font, BODY_PT, align="center", indent=False)
    _red_rule(doc.paragraphs[-1])
    _paragraph(doc, "", style.body_font, indent=False)
    kind = brief.letter_kind
    subject = (
        f"关于{brief.name}制造业项目建设“大会战”红色、黄色项目的{kind}"
        if brief.kind == "county"
        else f"关于{brief.name}联系县（市、区）项目督导的{kind}"
    )
    _paragraph(doc, subject, style.title_font, TITLE_PT, align="center", indent=False, line=None)
    _paragraph(doc, "", style.body_font, indent=False)
    to = addressee(brief)
    _paragraph(doc, f"{to}：", style.body_font, indent=False)
    reply = date + pd.Timedelta(days=style.reply_days)
    _body(doc, brief, camp, style, reply)
    _paragraph(doc, "", style.body_font, indent=False)
    _paragraph(doc, style.office, style.body_font, align="right", indent=False)
    _paragraph(doc, _cn_date(date), style.body_font, align="right", indent=False)
    _footers(doc)
    doc.core_properties.title = subject
    doc.core_properties.author = style.office
    doc.save(path)
    return Letter(path=path, number=number, kind=kind, addressee=to, brief=brief)


def write_letters(
    camp: Campaign,
    out_dir: str | Path,
    *,
    as_of: object = None,
    date: object = None,
    counties: Sequence[str] | None = None,
) -> list[Letter]:
    """Write the month's 督办函 / 提醒函 into ``out_dir``.

    Parameters
    ----------
    camp
        The loaded campaign.
    out_dir
        Folder for the letters (created if missing): ``<文号序号>_<addressee>_<kind>.docx``.
    as_of
        The briefing date (default: the latest report date).
    date
        The letters' date (成文日期; default: ``as_of``); the reply is due
        ``[letters] reply_days`` after it.
    counties
        Only the letters of these counties and of the groups covering them.

    Returns
    -------
    list of Letter
        Counties first (configuration order), then groups.
    """
    when = camp.resolve_as_of(as_of)
    day = when if date is None else camp.resolve_as_of(date)
    style = camp.config.letter_style
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    letters = []
    chosen = briefs(camp, when)
    if counties is not None:
        chosen = [b for b in chosen if set(b.counties) & set(counties)]
    for i, brief in enumerate(chosen):
        serial = style.first_number + i
        number = style.number_pattern.format(year=day.year, month=day.month, number=serial)
        path = out / f"{serial:02d}_{brief.name}_{brief.letter_kind}.docx"
        letters.append(_write_letter(brief, camp, path, number, day))
    return letters


def write_pack_letters(camp: Campaign, folder: Path, as_of: pd.Timestamp) -> list[Path]:
    """The pack's ``letters/`` (督办函 / 提醒函) and ``phone/`` (phone pages) in ``folder``."""
    from zqcampaign.output.phone import write_phone_pages

    letters = write_letters(camp, folder / "letters", as_of=as_of)
    return [lt.path for lt in letters] + write_phone_pages(camp, folder / "phone", as_of=as_of)
