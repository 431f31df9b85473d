"""One plausibility ceiling for money in every format (issue #14): 1e308 万元 in an .xlsx was
accepted (county totals overflowed) while the CSV text was refused. Above 1,000,000 亿元 an
amount is refused with an error; above 1,000 亿元 it is read with a warning."""

from __future__ import annotations

import builders as b
import pytest

import zqcampaign as zq


def _grid(amounts):
    return [
        ["肇庆市制造业项目建设“大会战”项目清单（四会市）"],
        ["截至日期：2023年8月31日"],
        list(b.HEADER),
        [1, "肇庆某汽配项目", 12000, "2023-06-15"],
        *[[i + 2, f"项目{i}", a, "2023-06-15"] for i, a in enumerate(amounts)],
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_money_ceiling_is_the_same_in_every_format(tmp_path, fmt):
    amounts = [1e308, 2e7, 5000] if fmt == "xlsx" else ["1e308", "2E+07", "5000"]
    path = tmp_path / f"四会市.{fmt}"
    if fmt == "xlsx":
        b.make_xlsx(path, {"四会市": _grid(amounts)})
    else:
        b.make_csv(path, _grid(amounts), encoding="utf-8-sig")
    camp = zq.load(path, workers=1)
    issues = camp.issues.set_index("code")
    assert issues.loc["implausible_money", "severity"] == "error"
    assert "1,000,000 亿元" in issues.loc["implausible_money", "message"]
    assert issues.loc["large_money", "severity"] == "warning"
    assert "2,000 亿元" in issues.loc["large_money", "message"]
    assert (camp.issues["code"] == "bad_money").sum() == 0
    assert sorted(camp.projects["name"]) == ["肇庆某汽配项目", "项目1", "项目2"]
    assert camp.snapshots["total_investment"].sum() == 12000 + 2e7 + 5000
