"""The pack closes the loop: letters/ and phone/ beside the deck, the register's three lists
in report.xlsx and on a slide."""

from __future__ import annotations

import openpyxl
import pytest
from test_templates import HUAIJI, NOV, OCT, ledger_grid, write_xlsx

import zqcampaign as zq


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    root = tmp_path_factory.mktemp("loop")
    files = [
        write_xlsx(root / "in/10/四会市.xlsx", {"S": ledger_grid(OCT, report="2023年10月31日")}),
        write_xlsx(root / "in/11/四会市.xlsx", {"S": ledger_grid(NOV, report="2023年11月30日")}),
        write_xlsx(
            root / "in/11/怀集县.xlsx",
            {"S": ledger_grid(HUAIJI, county="怀集县", report="2023年11月30日")},
        ),
    ]
    camp = zq.load(files)
    return camp, camp.report(root / "pack", workers=1)


def test_pack_holds_letters_and_phone_pages(pack):
    camp, p = pack
    flags = camp.project_flags()
    flagged = set(flags.loc[flags["flag"] != "blue", "county"])
    letters = sorted(f.name for f in (p.folder / "letters").iterdir())
    assert len(letters) == len(flagged) + len(camp.config.supervision_groups)
    assert all(any(c in name for name in letters) for c in flagged)
    phone = {f.stem for f in (p.folder / "phone").iterdir()}
    assert {"四会市", "怀集县", "第四督导组", "第六督导组"} <= phone
    assert p.folder / "letters" / letters[0] in p.files


def test_register_lists_are_sheets_of_the_workbook_and_a_slide(pack):
    _, p = pack
    wb = openpyxl.load_workbook(p.folder / "report.xlsx", read_only=True)
    assert {"新增问题", "推进中", "已销号"} <= set(wb.sheetnames)
    new = list(wb["新增问题"].iter_rows(values_only=True))
    # 30 Nov: 施工用电未接入 is new; 环评未批复 has been open since October
    assert new[0][:4] == ("县（市、区）", "项目编号", "项目名称", "存在问题")
    assert [r[3] for r in new[1:]] == ["施工用电未接入"]
    going = list(wb["推进中"].iter_rows(values_only=True))
    assert [r[3] for r in going[1:]] == ["环评未批复"]
    assert "问题销号情况" in p.slide_titles
