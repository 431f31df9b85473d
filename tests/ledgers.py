"""Build small ledgers inline for tests: a grid of cells written as .xlsx / .csv / .xls."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

TITLE = "肇庆市制造业项目建设“大会战”项目清单（{county}）"
HEADER = [
    "序号",
    "项目名称",
    "项目业主",
    "计划总投资（万元）",
    "2023年计划投资（万元）",
    "1-8月完成投资（万元）",
    "签约时间",
    "供地时间",
    "开工时间",
    "竣工时间",
    "投产时间",
    "计划供地时间",
    "计划开工时间",
    "计划竣工时间",
    "存在问题",
    "是否重大问题",
    "是否销号",
    "责任单位",
    "责任人",
]


def ledger_grid(
    rows: Sequence[Sequence[Any]],
    *,
    county: str = "四会市",
    report: str = "2023年8月31日",
    header: Sequence[str] = HEADER,
    sections: bool = False,
) -> list[list[Any]]:
    """Title, 截至日期 line, one header row, then ``rows`` (each without the 序号 cell)."""
    grid: list[list[Any]] = [
        [TITLE.format(county=county)],
        [f"填报单位：{county}发展和改革局    截至日期：{report}"],
        list(header),
    ]
    for i, row in enumerate(rows, start=1):
        if isinstance(row, str):  # a section / total / footer line
            grid.append([row])
        else:
            grid.append([i, *row])
    return grid


def write_xlsx(
    path: Path, sheets: dict[str, list[list[Any]]], merges: dict[str, list[str]] | None = None
) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, grid in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(grid, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    cell = ws.cell(row=r, column=c, value=value)
                    if isinstance(value, str):
                        cell.data_type = "s"  # text as typed, even "=..." (a county's literal text)
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_csv(path: Path, grid: list[list[Any]], encoding: str = "utf-8-sig") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        for row in grid:
            w.writerow(
                ["" if v is None else (v.isoformat() if isinstance(v, dt.date) else v) for v in row]
            )
    return path


def write_xls(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for name, grid in sheets.items():
        ws = wb.add_sheet(name)
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    ws.write(r, c, value, date_style)
                else:
                    ws.write(r, c, value)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    return path
