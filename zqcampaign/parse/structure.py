"""Structure rows of a ledger body: totals and section labels, wherever they sit.

Real lists write a total as ``合计``, ``合计（14个）``, ``龙海市合计14个`` or ``其中：在建重点项目（90项）``
and a section as ``一、已签约未供地项目``, ``（一）工业项目82个`` in the 序号 column, or ``一 | 工业``
(a Chinese numeral as the 序号). Such a row is never a project, whatever else it holds.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from zqcampaign.parse.columns import Labels
from zqcampaign.parse.headers import SEQ
from zqcampaign.parse.sheet_top import SECTION_NUMBER
from zqcampaign.parse.values import find_county, parse_county, parse_stage

__all__ = ["COUNT_LABEL", "FOOTER", "SECTION_LABEL", "TOTAL", "Kinds", "classify_rows"]

_CN = "[一二三四五六七八九十]+"

# (matched from the start of a label: ``Labels.matches``)
# a total or subtotal: at the start of the label, or closing it with an optional count
TOTAL = re.compile(
    r"^(合计|小计|总计|共计|累计|汇总|全市合计|全县合计|其中)"
    r"|^.{0,20}?(合计|小计|总计|共计)[:：]?([（(]?共?\d*\s*[个项宗家]?[)）]?)?$"
)
# a section numbered with a Chinese numeral: 一 / 一、… / （一）… / 第一部分
SECTION_LABEL = re.compile(rf"^{_CN}([、.．]|$)|^[(（]{_CN}[)）]|^第{_CN}(部分|类|批)")
# a group label with a project count: 工业项目82个, 在建重点项目（90项）
COUNT_LABEL = re.compile(r"^.{0,30}?(项目|类|企业|产业)[（(]?共?\d+\s*[个项宗家][)）]?$")
FOOTER = re.compile(
    r"^(填表人|填报人|审核人|审核|制表人|制表|联系人|联系电话|电话|负责人|单位负责人|分管领导|"
    r"说明|填表说明|注[:：]|备注[:：]|附注|注释|签字|盖章|单位[（(]盖章)"
)


def _ffill_in_sheet(values: np.ndarray, valid: np.ndarray, sheet_start: np.ndarray) -> np.ndarray:
    """Carry each valid value down to the rows below it, never across a sheet boundary."""
    n = len(values)
    marker = np.where(valid, np.arange(n), -1)
    last = np.maximum.accumulate(marker) if n else marker
    ok = last >= sheet_start
    out = np.empty(n, dtype=object)
    out[:] = None
    out[ok] = values[last[ok]]
    return out


@dataclass
class Kinds:
    """What each non-empty row is, and the section it stands in."""

    lead: np.ndarray  # the row's first non-empty cell
    unknown_section: np.ndarray  # a section row naming neither a category nor a county
    structural: np.ndarray  # section, total, repeated header, footer or a numbered empty row
    rejected: np.ndarray  # data but no name
    is_project: np.ndarray
    sec_cat: np.ndarray  # category of the section the row stands in (None: none)
    sec_county: np.ndarray  # county of the county section the row stands in (None: none)
    name_label: Labels  # the name cells, read as labels


def classify_rows(rows: Any, notnull: np.ndarray, aliases: Mapping[str, str]) -> Kinds:
    """Sections, totals, repeated headers, footers, projects and rejected rows (each
    distinct label matched once)."""
    sheets, sid = rows.sheets, rows.sid
    data_mask = np.zeros((len(sheets), sheets.width), dtype=bool)
    for i, s in enumerate(sheets.scans):
        data_mask[i, sheets.data_columns(s)] = True
    n_all = notnull.sum(axis=1)
    n_data = (notnull & data_mask[sid]).sum(axis=1)
    lead = rows.cells[np.arange(len(rows)), notnull.argmax(axis=1)]

    lead_label = Labels(lead)
    name_label = Labels(rows.raw("name"))
    seq_label = Labels(rows.raw(SEQ))
    is_total = lead_label.matches(TOTAL) | name_label.matches(TOTAL) | seq_label.matches(TOTAL)
    is_footer = lead_label.matches(FOOTER) & ~is_total
    header_names = np.array([s.header_name for s in sheets.scans], dtype=object)
    is_repeat_header = name_label.texts() == header_names[sid]
    # a section numbered 一 / （一）in the 序号 or name column, or a label with a count, is a
    # section whatever else the row holds; other section rows hold one or two cells
    strong = (
        lead_label.matches(SECTION_LABEL)
        | seq_label.matches(SECTION_LABEL)
        | name_label.matches(SECTION_LABEL)
        | name_label.matches(COUNT_LABEL)
        | (lead_label.matches(COUNT_LABEL) & (name_label.codes < 0))
    ) & ~is_total
    few = n_all <= 2
    labelled = few | strong
    section_category = lead_label.apply(parse_stage, labelled)
    by_name = name_label.apply(parse_stage, strong & (section_category == None))  # noqa: E711
    section_category = np.where(section_category != None, section_category, by_name)  # noqa: E711
    section_county = lead_label.apply(
        lambda t: (
            parse_county(t, aliases)
            or (find_county(t, aliases) if SECTION_NUMBER.match(t) else None)
        ),
        labelled,
    )
    has_cat = section_category != None  # noqa: E711
    has_county = section_county != None  # noqa: E711
    looks_section = strong | (few & (lead_label.matches(SECTION_NUMBER) | has_cat | has_county))
    is_section = looks_section & ~is_total & ~is_footer
    structural = is_total | is_footer | is_repeat_header | is_section
    seq_only = (n_data == 0) & ~structural  # a numbered empty row
    is_project = (name_label.codes >= 0) & ~structural

    # a section row sets the category of the rows below it until the next section row (a
    # section naming no category, e.g. a new county, clears it); county sections persist
    # until the next county section
    sheet_start = np.searchsorted(sid, sid, side="left")
    cat_marks = np.where(has_cat, section_category, "")
    sec_cat = _ffill_in_sheet(cat_marks, is_section, sheet_start)
    sec_cat[sec_cat == ""] = None
    sec_county = _ffill_in_sheet(section_county, is_section & has_county, sheet_start)
    return Kinds(
        lead=lead,
        unknown_section=is_section & ~has_cat & ~has_county,
        structural=structural | seq_only,
        rejected=~structural & ~seq_only & ~is_project,
        is_project=is_project,
        sec_cat=sec_cat,
        sec_county=sec_county,
        name_label=name_label,
    )
