"""Problems found and the registry of their codes.

Everything zqcampaign notices about a ledger — a file it refuses, a cell the reader could not
take as written, a row the parser left out, a project whose dates disagree, a value an output
writer had to change — is one :class:`Problem`: severity, code, a Chinese message naming what
to fix, and where (county, file, sheet, row, column, value). ``Campaign.issues`` is a frame of
them (columns :data:`ISSUE_COLUMNS`).

Every code is registered in :data:`CODES` with its severity, a description for the campaign
office in Chinese and in English, and what the county should do (Chinese). A :class:`Problem`
with an unregistered code cannot be made, so ``issues.xlsx`` and the CLI can always show a
description instead of a bare ``missing_name``. To add a code, add a :func:`register` call
below in the group of the layer that emits it (``tests/test_issue_registry.py`` checks that
every code emitted is registered and every registered code is emitted).

Foundation layer: imports nothing from the package.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CODES",
    "ISSUE_COLUMNS",
    "SEVERITIES",
    "IssueCode",
    "Problem",
    "action",
    "describe",
    "register",
    "registry_frame",
    "severity_label",
]

ISSUE_COLUMNS = ("severity", "code", "message", "county", "file", "sheet", "row", "column", "value")
"""Columns of ``Campaign.issues``, in order."""

SEVERITIES = ("error", "warning", "info")
"""Severities, worst first."""
_SEVERITY_SET = frozenset(SEVERITIES)

_SEVERITY_LABELS = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}


@dataclass(frozen=True, slots=True)
class IssueCode:
    """One registered issue code.

    Attributes
    ----------
    code
        Stable machine-readable name (``"missing_name"``).
    severity
        The worst severity it is reported with: ``"error"`` (data left out or a file refused),
        ``"warning"`` (data taken, but check it) or ``"info"`` (noted, nothing lost). Some codes
        are reported one step milder when no data is lost (``unknown_county`` is a warning
        when the row's county is known otherwise).
    zh, en
        What the problem is, for the campaign office (Chinese) and in English.
    action
        What the county should do about it (Chinese).
    """

    code: str
    severity: str
    zh: str
    en: str
    action: str


CODES: dict[str, IssueCode] = {}
"""Every issue code zqcampaign reports, by code."""


def register(code: str, severity: str, zh: str, en: str, action: str) -> IssueCode:
    """Add a code to :data:`CODES`; a code is registered once."""
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {SEVERITIES}, not {severity!r}")
    if code in CODES:
        raise ValueError(f"issue code {code!r} is already registered")
    entry = IssueCode(code, severity, zh, en, action)
    CODES[code] = entry
    return entry


def _entry(code: str) -> IssueCode:
    try:
        return CODES[code]
    except KeyError:
        raise KeyError(
            f"unregistered issue code {code!r}; register it in zqcampaign/issues.py"
        ) from None


def describe(code: str, lang: str = "zh") -> str:
    """The description of ``code`` for the office, in ``lang`` ("zh" or "en")."""
    entry = _entry(code)
    if lang == "zh":
        return entry.zh
    if lang == "en":
        return entry.en
    raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")


def action(code: str) -> str:
    """What the county should do about ``code`` (Chinese)."""
    return _entry(code).action


def severity_label(severity: str, lang: str = "zh") -> str:
    """``"error"`` -> 错误 / error, ``"warning"`` -> 警告 / warning, ``"info"`` -> 提示 / info."""
    try:
        return _SEVERITY_LABELS[lang][severity]
    except KeyError:
        raise ValueError(
            f"severity must be one of {SEVERITIES} and lang 'zh' or 'en', not {severity!r}, {lang!r}"
        ) from None


def registry_frame() -> pd.DataFrame:
    """The registry as a table (one row per code, in registration order), for documentation."""
    import pandas as pd

    return pd.DataFrame(
        [dataclasses.astuple(c) for c in CODES.values()],
        columns=[f.name for f in dataclasses.fields(IssueCode)],
    )


def _shown_value(value: Any) -> str | None:
    """A cell value as the issue frame shows it: text (whole floats without ``.0``, dates
    as ``2023-08-15``)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    import pandas as pd

    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


class _Fields(NamedTuple):
    severity: str
    code: str
    message: str
    county: str | None = None
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | int | None = None
    value: str | None = None


class Problem(_Fields):
    """One problem found: a row of ``Campaign.issues``, a note of the reader, or a note of
    an output writer. Immutable; :meth:`at` gives a copy with its location filled in.

    The fields are :data:`ISSUE_COLUMNS`, in order (so a list of problems is the issue
    frame's rows). ``row`` is 1-based as the user sees it. ``column`` is what the user sees
    too: a header (``"计划总投资"``) in ledger issues; in reader and writer notes it is the
    0-based column index (the loader shows it as letters). ``value`` is the cell as text
    (whole floats without ``.0``, dates as ``2023-08-15``). The code must be registered in
    :data:`CODES` and the severity one of :data:`SEVERITIES`, else ``ValueError``.
    """

    __slots__ = ()

    def __new__(
        cls,
        severity: str,
        code: str,
        message: str,
        county: str | None = None,
        file: str | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | int | None = None,
        value: Any = None,
    ) -> Problem:
        if code not in CODES:
            raise ValueError(
                f"unregistered issue code {code!r}; register it in zqcampaign/issues.py"
            )
        if severity not in _SEVERITY_SET:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {severity!r}")
        if value is not None and not isinstance(value, str):
            value = _shown_value(value)
        return tuple.__new__(
            cls, (severity, code, message, county, file, sheet, row, column, value)
        )

    @classmethod
    def _make(cls, iterable: Any) -> Problem:  # (namedtuple's own skips the checks)
        return cls(*iterable)

    def at(self, **where: Any) -> Problem:
        """The same problem with its location (``file=``, ``row=`` ...) filled in."""
        return self._replace(**where)

    def as_dict(self) -> dict[str, Any]:
        """The problem as a row of ``Campaign.issues`` (keys :data:`ISSUE_COLUMNS`)."""
        return dict(zip(ISSUE_COLUMNS, self, strict=True))


# ---------------------------------------------------------------------------------------
# the registry, by the layer that reports each code

_AS_XLSX = "请用 Excel/WPS 打开确认后另存为 .xlsx 重新报送。"
_OUTPUT = "无需县区处理（生成输出文件时的提示）。"

# -- a whole file refused (LedgerError subclasses; ``action`` is their ``advice``) -------
register(
    "unreadable_file",
    "error",
    "文件无法打开或读取",
    "The file cannot be opened or read",
    "请检查文件后重新报送。",
)
register(
    "corrupt_file",
    "error",
    "文件已损坏或结构错误，无法解析",
    "The file is damaged or malformed and cannot be parsed",
    "文件可能已损坏，请用 Excel/WPS 打开确认后另存为 .xlsx 重新报送。",
)
register(
    "encrypted_file",
    "error",
    "文件设置了打开密码，无法读取",
    "The file is password-protected",
    "文件设置了打开密码，请去除密码后另存为 .xlsx 重新报送。",
)
register(
    "empty_file",
    "error",
    "文件是空的",
    "The file is empty",
    "文件是空的，请确认报送的是填好的台账。",
)
register(
    "not_a_spreadsheet",
    "error",
    "文件不是电子表格",
    "The file is not a spreadsheet",
    "该文件不是电子表格，请报送 .xlsx、.xls、.ods 或 .csv 格式的台账。",
)
register(
    "unsupported_format",
    "error",
    "文件格式不受支持",
    "The file format is not supported",
    "请另存为 .xlsx 后重新报送。",
)
register(
    "file_too_large",
    "error",
    "文件超出安全读取上限（异常大的单元格范围、压缩炸弹或过多部件）",
    "The file exceeds the safe reading limits (a huge cell range, a zip bomb or too many parts)",
    "文件超出安全读取上限（可能含异常的大范围单元格或压缩炸弹），请删除多余内容后另存为 .xlsx 重新报送。",
)
register(
    "unsafe_file",
    "error",
    "文件含有台账不需要的特殊结构（XML 实体声明、重名部件），可能被篡改",
    "The file carries structures a ledger never needs (XML entity declarations, duplicate parts)",
    "文件含有台账不需要的特殊结构（可能被篡改或由异常程序生成），请用 Excel/WPS 打开后另存为 .xlsx 重新报送。",
)
register(
    "reader_crash",
    "error",
    "读取程序在解析该文件时崩溃",
    "The spreadsheet reader crashed on the file",
    "读取程序在解析该文件时出错，请用 Excel/WPS 打开后另存为 .xlsx 重新报送。",
)
register(
    "reader_timeout",
    "error",
    "读取该文件超过时间上限",
    "Reading the file took longer than the time limit",
    "读取该文件超时（文件可能含有异常的大范围数据），请删除多余内容后另存为 .xlsx 重新报送。",
)
register(
    "no_ledger",
    "error",
    "没有找到台账：路径中没有台账文件，或文件的任何工作表都没有台账表头",
    "No ledger found: no ledger file in the path, or no sheet of the file has a ledger header",
    "请确认报送的是项目台账：.xlsx、.xls、.ods 或 .csv 文件，表头有“项目名称”等标准列。",
)

# -- the loader ---------------------------------------------------------------------------
register(
    "skipped_litter",
    "info",
    "临时文件或系统文件（如 ~$ 锁定文件、Thumbs.db），已跳过",
    "Office lock file or operating-system litter, skipped",
    "无需处理；报送时可不附带此类文件。",
)
register(
    "hidden_sheet",
    "warning",
    "工作表是隐藏的，已照常读取",
    "The sheet is hidden; it was read as usual",
    "如该工作表不应计入，请删除后重新报送。",
)

# -- reading the file (io) ----------------------------------------------------------------
register(
    "format_mismatch",
    "info",
    "文件扩展名与实际格式不符，已按实际格式读取",
    "The file name's extension does not match its content; read by its content",
    "请按实际格式命名，最好另存为 .xlsx 后报送。",
)
register(
    "html_as_spreadsheet",
    "info",
    "文件实际是网页表格（常见于系统导出的 .xls），已按表格读取",
    "The file is an HTML table (as systems export .xls); read as a table",
    "建议用 Excel/WPS 打开后另存为 .xlsx 报送。",
)
register(
    "date1904",
    "info",
    "工作簿使用 1904 日期系统（常见于 Mac 版 Excel），日期已换算",
    "The workbook uses the 1904 date system (Mac Excel); dates were converted",
    "请核对台账中的日期是否正确。",
)
register(
    "macros",
    "info",
    "文件含有宏（VBA），宏没有运行，只读取了单元格中保存的数据",
    "The file contains macros (VBA); they were not run, only the saved cell values were read",
    "建议去除宏后另存为 .xlsx 报送。",
)
register(
    "external_link",
    "warning",
    "公式引用了外部文件，读入的是上次保存时的缓存值，可能已过时",
    "Formulas link to another file; their cached values were read and may be stale",
    "请在原表中把引用外部文件的公式粘贴为数值后重新报送。",
)
register(
    "sheet_part_missing",
    "error",
    "工作表在工作簿目录中登记了，但文件中缺少它的内容，无法读取",
    "A sheet listed in the workbook has no content in the file and cannot be read",
    _AS_XLSX,
)
register(
    "sheet_unreadable",
    "error",
    "工作表无法读取，其中的数据未载入（其他工作表照常读取）",
    "A sheet cannot be read; its data is not loaded (the other sheets are)",
    _AS_XLSX,
)
register(
    "error_cell",
    "warning",
    "单元格是错误值（如 #REF!、#DIV/0!），读入为空白",
    "The cell holds an error value (#REF!, #DIV/0! ...); read as blank",
    "请在原表修正公式或直接填写数值。",
)
register(
    "formula_no_value",
    "warning",
    "公式在文件中没有保存计算结果，读入为空白",
    "A formula was saved without its value; read as blank",
    "请用 Excel/WPS 打开后重新保存（会重新计算）再报送。",
)
register(
    "bad_date_serial",
    "warning",
    "设为日期格式的单元格存的是负数，不是有效日期",
    "A date-formatted cell holds a negative number, which is no date",
    "请填写如 2023-08-15 的日期。",
)
register(
    "undecodable_bytes",
    "warning",
    "CSV 文件含有无法识别的字节（编码不对），已替换为 �",
    "The CSV file has bytes that cannot be decoded (wrong encoding); replaced by �",
    "请确认文件编码为 UTF-8 或 GBK 后重新导出。",
)
register(
    "ragged_row",
    "warning",
    "CSV 某行的字段数与一般行不同，该行各列可能错位",
    "A CSV row has more or fewer fields than the others; its columns may be shifted",
    "请核对该行；数字中的千分位逗号（如 8,000）须加引号或去掉后重新导出。",
)

# -- the sheet's top: header, county, report date (parse) ---------------------------------
register(
    "no_header",
    "warning",
    "工作表中没有找到台账表头，该表未读取",
    "No ledger header found in the sheet; the sheet was not read",
    "如该表是台账，请加上“项目名称”等标准表头；不是台账的工作表可删除。",
)
register(
    "unrecognised_column",
    "info",
    "列不是台账的标准列，其内容已忽略",
    "The column is not a standard ledger column; its content was ignored",
    "如该列应计入统计，请改用台账模板中的标准列名。",
)
register(
    "duplicate_column",
    "info",
    "列与前面的列含义相同，已按前一列读取",
    "The column means the same as an earlier one; the earlier one was read",
    "请删除重复的列，或核对列名是否写错。",
)
register(
    "county_conflict",
    "warning",
    "不同位置写明的县（市、区）不一致（文件名、标题、分组行或县（市、区）列）",
    "The county given in different places (file name, title, section row, county column) disagrees",
    "请统一文件名、标题、分组行和“县（市、区）”列中的县（市、区）名称。",
)
register(
    "report_date_conflict",
    "warning",
    "不同位置写明的截至日期不一致（文件名、标题或截至日期列）",
    "The report date given in different places (file name, title, report-date column) disagrees",
    "请统一文件名、标题和“截至日期”列中的截至日期。",
)

# -- the body rows (parse) ----------------------------------------------------------------
register(
    "unknown_section",
    "info",
    "分组行未指明项目类别",
    "A section row names no project category",
    "请在分组行中写明类别：已签约未供地、已供地未动工或已动工未竣工。",
)
register(
    "missing_name",
    "error",
    "该行有数据但没有项目名称，未计入统计",
    "The row has data but no project name; not counted",
    "请补填项目名称。",
)
register(
    "unknown_county",
    "error",
    "县（市、区）不在配置的名单中（无法按其他位置确定时该行未计入）",
    "The county is not in the configured list (the row is left out when no other place names it)",
    "请改为规范的县（市、区）名称。",
)
register(
    "no_county",
    "error",
    "无法确定该行属于哪个县（市、区），未计入统计",
    "Which county the row belongs to cannot be told; not counted",
    "请在文件名、标题或“县（市、区）”列中写明县（市、区）。",
)
register(
    "no_report_date",
    "error",
    "无法确定截至日期，该表的项目未计入统计",
    "The report date cannot be found; the sheet's projects are not counted",
    "请在标题写明“截至日期：2023年8月31日”，或在文件名中写明年月。",
)
register(
    "missing_investment",
    "error",
    "计划总投资未填写，该项目未计入统计",
    "Planned total investment is blank; the project is not counted",
    "请填写计划总投资（数字，单位万元）。",
)
register(
    "bad_category",
    "warning",
    "项目类别无法识别",
    "The project category is not recognised",
    "请填写已签约未供地、已供地未动工或已动工未竣工。",
)

# -- cell values (parse.values) -----------------------------------------------------------
register(
    "bad_date",
    "warning",
    "日期无法识别，按未填写计",
    "The date is not recognised; taken as blank",
    "请填写如 2023-08-15 的日期。",
)
register(
    "month_only_date",
    "info",
    "日期只填到月份，按月底计（上旬、中旬按 10 日、20 日计）",
    "The date gives only the month; the month end is used (early/mid month: the 10th/20th)",
    "如有具体日期，请填写到日，如 2023-08-15。",
)
register(
    "yearless_date",
    "info",
    "日期没有年份，按截至日期的年份计",
    "The date has no year; the report date's year is used",
    "请填写完整日期，如 2023-08-15。",
)
register(
    "status_word_date",
    "warning",
    "填写了“已开工”等文字而不是日期，暂按截至日期计",
    'A status word ("started" ...) was written instead of a date; the report date is used for now',
    "请补填具体日期，如 2023-08-15。",
)
register(
    "bad_money",
    "error",
    "金额无法识别（计划总投资无法识别时该项目未计入）",
    "The amount is not recognised (a project whose planned total investment is not is left out)",
    "请填写数字（单位万元），如 5000。",
)
register(
    "negative_money",
    "warning",
    "金额为负数",
    "The amount is negative",
    "请核实金额。",
)
register(
    "bad_bool",
    "warning",
    "是否类单元格的内容无法识别",
    "A yes/no cell is not recognised",
    "请填写“是”或“否”。",
)

# -- projects across reports (model) ------------------------------------------------------
register(
    "duplicate_project",
    "warning",
    "项目在同一期台账中重复出现，重复行未计入",
    "The project appears twice in one report; the repeat is not counted",
    "请删除重复行。",
)
register(
    "category_conflict",
    "warning",
    "申报的项目类别与填报日期显示的阶段不一致，按日期计",
    "The declared category disagrees with the stage the dates show; the dates are used",
    "请核实项目类别或各节点日期。",
)
register(
    "date_after_report",
    "warning",
    "实际完成日期晚于截至日期",
    "An actual date is later than the report date",
    "请核实日期；尚未完成的节点请填在计划时间列。",
)
register(
    "milestone_order",
    "warning",
    "节点日期先后颠倒（如开工早于供地）",
    "Milestone dates are out of order (e.g. start before land supply)",
    "请核实各节点日期。",
)
register(
    "out_of_scope",
    "info",
    "项目不纳入“三类项目”统计（纳入清单时的阶段或投资额不符合）",
    "The project is outside the campaign's three categories (stage or investment when listed)",
    "无需处理；如认为应纳入，请核实计划总投资和纳入清单时的阶段。",
)
register(
    "missing_from_snapshot",
    "warning",
    "项目在该县最新一期台账中缺失，已沿用上一期数据",
    "The project is missing from the county's latest report; its previous data is carried forward",
    "请核实是否漏报；已退出的项目请书面说明。",
)

# -- writing outputs (output.safeio) ------------------------------------------------------
register(
    "text_too_long",
    "warning",
    "文本超过 Excel 单元格 32767 字上限（CSV 中已完整保留）",
    "Text longer than an Excel cell holds (kept whole in the CSV)",
    _OUTPUT,
)
register(
    "text_truncated",
    "warning",
    "文本超过 Excel 单元格上限，工作簿中已截断并注明",
    "Text longer than an Excel cell holds; cut in the workbook, with a marker",
    "无需县区处理；完整内容见 CSV 输出。",
)
register(
    "control_characters",
    "warning",
    "文本含有控制字符，已保留或按 Excel 规则转义",
    "The text contains control characters; kept, or escaped as Excel does",
    "如是录入时误带的字符，请在原台账中删除。",
)
register(
    "non_finite_number",
    "warning",
    "数值为无穷大，已写为文本",
    "An infinite number; written as text",
    _OUTPUT,
)
register(
    "sheet_renamed",
    "info",
    "工作表名不符合 Excel 规则，已改名",
    "The sheet name breaks Excel's rules; renamed",
    _OUTPUT,
)
register(
    "formula_as_text",
    "info",
    "以 = 或 # 开头的内容已按文本写入，不会被当作公式",
    "Content starting with = or # was written as text, not as a formula",
    _OUTPUT,
)
