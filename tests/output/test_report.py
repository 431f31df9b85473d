"""The briefing pack: what is written, that it opens, that ledger text stays text, atomicity."""

import csv
import hashlib
import json
import shutil
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest
from ledgers import ledger_grid, write_xlsx

import zqcampaign as zq
from zqcampaign.cli import main
from zqcampaign.output.workbook import FILL_RGB

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
AS_OF = "2023-11-30"


@pytest.fixture(scope="module")
def camp():
    return zq.load(SAMPLE)


@pytest.fixture(scope="module")
def pack(camp, tmp_path_factory):
    out = tmp_path_factory.mktemp("pack") / "briefing"
    return camp.report(out, as_of=AS_OF, workers=2, pdf=False)


def test_pack_holds_deck_workbooks_charts_tables_and_manifest(pack):
    folder = pack.folder
    for name in ("briefing.pptx", "report.xlsx", "issues/全市台账问题汇总.xlsx", "manifest.json"):
        assert (folder / name).is_file()
    assert (folder / "issues" / "端州区.xlsx").is_file()  # one file per county with issues
    charts = sorted(p.name for p in (folder / "charts").glob("*.png"))
    assert len(charts) == 10 and "completion_by_county.png" in charts
    tables = {p.stem for p in (folder / "tables").glob("*.csv")}
    assert {"汇总", "项目清单", "目标", "问题清单", "督导安排", "变化", "issues"} <= tables
    assert all(p.is_file() for p in pack.files)
    assert not list(folder.parent.glob(".*briefing*"))  # no temporary folder left behind


def test_report_workbook_sheets_rows_fills_and_frozen_headers(pack, camp):
    import openpyxl

    wb = openpyxl.load_workbook(pack.folder / "report.xlsx")
    assert wb.sheetnames[:6] == ["汇总", "项目清单", "目标", "问题清单", "督导安排", "督导日程"][:6]
    assert "变化" in wb.sheetnames
    projects = wb["项目清单"]
    known = camp.known_on(AS_OF)
    assert projects.max_row - 1 == len(known.projects)  # one row per project, out-of-scope included
    header = [c.value for c in projects[1]]
    assert "项目名称" in header and "标识" in header and "原因" in header
    assert projects.freeze_panes == "A2" and projects.auto_filter.ref
    flag_col = header.index("标识") + 1
    want = {"蓝": FILL_RGB["blue"], "黄": FILL_RGB["yellow"], "红": FILL_RGB["red"]}
    checked = 0
    for (cell,) in projects.iter_rows(min_row=2, min_col=flag_col, max_col=flag_col):
        if cell.value in want:
            assert cell.fill.fgColor.rgb[-6:] == want[cell.value]
            checked += 1
    assert checked == camp.known_on(AS_OF).projects["in_scope"].sum()
    summary = wb["汇总"]
    assert summary.max_row - 1 == 11


def test_workbook_flags_match_the_figures(pack, camp):
    frame = pd.read_excel(pack.folder / "report.xlsx", sheet_name="汇总", engine="openpyxl")
    completion = camp.completion(as_of=AS_OF)
    names = {"blue": "蓝", "yellow": "黄", "red": "红"}
    assert frame["标识"].tolist() == completion["flag"].map(names).tolist()
    assert frame["完成率"].round(6).tolist() == completion["rate"].round(6).tolist()


def test_deck_slides_and_titles(pack):
    from pptx import Presentation

    prs = Presentation(pack.folder / "briefing.pptx")
    assert len(prs.slides) == len(pack.slide_titles)
    texts = [
        "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        for slide in prs.slides
    ]
    assert "2023年11月30日" in texts[0]
    assert texts[1].startswith("目录") and texts[2].startswith("主要情况")  # agenda, key messages
    groups = {t.split("：")[0] for t in pack.slide_titles if t.startswith("第") and "督导组" in t}
    assert len(groups) == 10  # every group, long lists continued on （续） slides
    assert any(t.startswith("红色警告项目") for t in pack.slide_titles)
    assert "目标完成情况" in pack.slide_titles
    assert prs.slide_width * 9 == prs.slide_height * 16


def test_manifest_traces_every_input_file(pack, camp):
    manifest = json.loads((pack.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["as_of"] == AS_OF and manifest["zqcampaign_version"] == zq.__version__
    assert len(manifest["inputs"]) == len(camp.files)
    first = manifest["inputs"][0]
    assert first["sha256"] == hashlib.sha256((SAMPLE / first["file"]).read_bytes()).hexdigest()
    assert sum(len(f["sheets"]) for f in manifest["inputs"]) == len(camp.summary.table)
    assert manifest["config"]["campaign"]["start"] == "2023-07-21"


def test_issues_workbook_groups_problems_by_county(pack):
    import openpyxl

    names = {p.stem for p in (pack.folder / "issues").glob("*.xlsx")}
    assert {"全市台账问题汇总", "端州区", "高要区"} <= names
    wb = openpyxl.load_workbook(pack.folder / "issues" / "端州区.xlsx")
    header = [c.value for c in wb.worksheets[0][6]]  # under the title lines
    assert header == [
        "级别",
        "问题类型",
        "修改要求",
        "具体情况",
        "月份",
        "文件",
        "工作表",
        "行号",
        "列",
        "原值",
    ]


HOSTILE = [
    '=HYPERLINK("http://evil.example","点击")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "=1/0",
]


@pytest.fixture(scope="module")
def hostile_pack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    header = ["序号", "项目名称", "计划总投资（万元）", "存在问题", "责任单位"]
    rows = ["一、已签约未供地项目", *[[text, 20000, text, text] for text in HOSTILE]]
    write_xlsx(folder / "四会市_2023年8月.xlsx", {"s": ledger_grid(rows, header=header)})
    camp = zq.load(folder)
    return camp, camp.report(tmp_path_factory.mktemp("hostile_out") / "out", workers=1, pdf=False)


def test_ledger_text_never_becomes_a_formula_in_any_workbook(hostile_pack):
    import openpyxl

    _, pack = hostile_pack
    books = [
        "report.xlsx",
        *(p.relative_to(pack.folder) for p in (pack.folder / "issues").glob("*.xlsx")),
    ]
    assert len(books) >= 2
    for name in books:
        wb = openpyxl.load_workbook(pack.folder / name)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (
                        f"{name}!{ws.title}!{cell.coordinate} = {cell.value!r}"
                    )
                    assert cell.hyperlink is None
    values = {
        c.value
        for row in openpyxl.load_workbook(pack.folder / "report.xlsx")["项目清单"].iter_rows()
        for c in row
    }
    assert set(HOSTILE) <= values


def test_csv_tables_neutralise_formula_text(hostile_pack):
    _, pack = hostile_pack
    with open(pack.folder / "tables" / "项目清单.csv", encoding="utf-8-sig", newline="") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    for text in HOSTILE:
        assert f"'{text}" in cells and text not in cells
    assert (pack.folder / "tables" / "项目清单.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_a_failed_build_leaves_the_previous_pack_intact(camp, tmp_path, monkeypatch):
    out = tmp_path / "briefing"
    out.mkdir()
    (out / "briefing.pptx").write_bytes(b"previous deck")
    (out / "manifest.json").write_text('{"zqcampaign_version": "0", "inputs": []}')
    import zqcampaign.output.deck

    def broken(*args, **kwargs):
        raise RuntimeError("disk trouble")

    monkeypatch.setattr(zqcampaign.output.deck, "write_deck", broken)
    with pytest.raises(RuntimeError):
        camp.report(out, as_of=AS_OF, workers=1)
    assert (out / "briefing.pptx").read_bytes() == b"previous deck"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing"]


@pytest.mark.parametrize("where", ["deck", "phone"])
def test_a_failure_beside_the_helpers_and_libreoffice_leaves_the_previous_pack_alone(
    camp, tmp_path, monkeypatch, where
):
    out = tmp_path / "briefing"
    out.mkdir()
    (out / "briefing.pptx").write_bytes(b"previous deck")
    (out / "manifest.json").write_text('{"zqcampaign_version": "0", "inputs": []}')
    work = tmp_path / "tmp"  # where LibreOffice's own folder goes
    work.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(work))
    import zqcampaign.output.deck
    import zqcampaign.output.report

    def broken(*args, **kwargs):
        raise RuntimeError(f"{where} trouble")

    if where == "deck":  # this process fails while the helpers draw the charts
        monkeypatch.setattr(zqcampaign.output.deck, "write_deck", broken)
    else:  # a helper fails while LibreOffice converts the deck
        monkeypatch.setattr(zqcampaign.output.report, "write_phone_pages", broken)
    with pytest.raises(RuntimeError, match=f"{where} trouble"):
        camp.report(out, as_of=AS_OF, workers=2, pdf=shutil.which("soffice") is not None)
    time.sleep(1)  # anything still running would write into the pack's folders by now
    assert (out / "briefing.pptx").read_bytes() == b"previous deck"
    assert sorted(p.name for p in out.iterdir()) == ["briefing.pptx", "manifest.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing", "tmp"]
    assert list(work.iterdir()) == []


def test_unwritable_output_folder_is_a_clear_error(camp, tmp_path):
    from zqcampaign.errors import OutputError

    target = tmp_path / "file-in-the-way"
    target.write_text("not a folder")
    with pytest.raises(OutputError) as info:
        camp.report(target / "briefing", as_of=AS_OF, workers=1)
    assert "file-in-the-way" in str(info.value)


def test_report_rejects_an_unknown_language(camp, tmp_path):
    with pytest.raises(ValueError, match="zh, en"):
        camp.report(tmp_path / "x", lang="fr")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_deck_and_the_workbook(pack, tmp_path):
    for name in ("briefing.pptx", "report.xlsx"):
        done = subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
             "--outdir", str(tmp_path), str(pack.folder / name)],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        pdf = tmp_path / (Path(name).stem + ".pdf")
        assert pdf.is_file() and pdf.stat().st_size > 10_000, done.stderr


def test_cli_report_builds_the_pack(tmp_path, capsys):
    out = tmp_path / "pack"
    assert main(["report", str(SAMPLE), "--as-of", AS_OF, "--out", str(out), "--quiet"]) == 0
    assert (out / "briefing.pptx").is_file()
    assert "已生成简报" in capsys.readouterr().out
