"""Structure rows of a ledger body: totals and section labels, wherever they sit.

Real lists write a total as ``合计``, ``合计（14个）``, ``龙海市合计14个`` or ``其中：在建重点项目（90项）``
and a section as ``一、已签约未供地项目``, ``（一）工业项目82个`` in the 序号 column, or ``一 | 工业``
(a Chinese numeral as the 序号). Such a row is never a project, whatever else it holds.
"""

from __future__ import annotations

import re

__all__ = ["COUNT_LABEL", "SECTION_LABEL", "TOTAL"]

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
