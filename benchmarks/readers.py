"""Reader comparison for issue #2: python-calamine vs fastexcel vs openpyxl, same files.

Usage: python benchmarks/readers.py [FOLDER]   (default: sample_data/ plus a 100k-row sheet)

Each reader reads every cell of every sheet into Python/pandas form; times are the median of
5 runs, measured side by side in one process. fastexcel needs pyarrow for its frames.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path


def make_big_sheet(path: Path, rows: int = 100_000) -> Path:
    import datetime as dt

    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("四会市")
    ws.append(["肇庆市制造业项目建设“大会战”项目清单（四会市）"])
    ws.append(["截至日期：2023年8月31日"])
    ws.append(
        [
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
            "计划开工时间",
            "存在问题",
            "是否重大问题",
            "责任单位",
            "责任人",
        ]
    )
    base = dt.datetime(2023, 1, 1)
    for i in range(rows):
        ws.append(
            [
                i + 1,
                f"项目{i:06d}",
                f"公司{i % 977}",
                10000 + i % 50000,
                3000.0,
                1200.5,
                base + dt.timedelta(days=i % 200),
                "2023年8月" if i % 7 == 0 else base,
                None if i % 3 else "2023/8/15",
                None,
                "8月底",
                "用地报批" if i % 11 == 0 else None,
                "否",
                "发改局",
                "张三",
            ]
        )
    wb.save(path)
    return path


def read_calamine(path: Path) -> int:
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_path(str(path))
    n = 0
    for name in wb.sheet_names:
        n += len(wb.get_sheet_by_name(name).to_python())
    return n


def read_fastexcel(path: Path) -> int:
    import fastexcel

    reader = fastexcel.read_excel(str(path))
    n = 0
    for name in reader.sheet_names:
        sheet = reader.load_sheet(name, header_row=None, dtypes="string")
        n += sheet.to_arrow().num_rows
    return n


def read_openpyxl(path: Path) -> int:
    import pandas as pd

    frames = pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl")
    return sum(len(f) for f in frames.values())


def median_time(fn, files: list[Path], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for f in files:
            fn(f)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("sample_data")
    sample = sorted(p for p in folder.rglob("*.xlsx")) if folder.is_dir() else []
    with tempfile.TemporaryDirectory() as tmp:
        big = make_big_sheet(Path(tmp) / "big.xlsx")
        cases = [("sample_data/*.xlsx", sample), ("100k-row sheet", [big])]
        print(
            f"{'files':<22}{'calamine s':>12}{'fastexcel s':>13}{'openpyxl s':>12}{'fe/cal':>8}{'opx/cal':>9}"
        )
        for label, files in cases:
            if not files:
                continue
            cal = median_time(read_calamine, files)
            fe = median_time(read_fastexcel, files)
            opx = median_time(read_openpyxl, files, runs=3)
            print(
                f"{label:<22}{cal:>12.3f}{fe:>13.3f}{opx:>12.3f}{fe / cal:>8.2f}{opx / cal:>9.1f}"
            )


if __name__ == "__main__":
    main()
