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


def test_the_unit_warning_threshold_is_configuration(tmp_path):
    path = tmp_path / "四会市.xlsx"
    b.make_xlsx(path, {"四会市": _grid([1_500_000, 999_999])})  # 150 亿元, just under 100 亿元
    quiet = zq.load(path, workers=1)
    assert "large_money" not in set(quiet.issues["code"])  # default: 1,000 亿元
    camp = zq.load(path, workers=1, config={"thresholds": {"large_money": 1_000_000}})
    warned = camp.issues[camp.issues["code"] == "large_money"]
    assert warned["row"].tolist() == [5]  # the 150 亿元 row only; 999,999 万元 is under 100 亿元
    assert warned["severity"].tolist() == ["warning"]
    assert "150 亿元，超过 100 亿元" in warned["message"].iloc[0]
    assert camp.snapshots["total_investment"].sum() == 12000 + 1_500_000 + 999_999  # still read


def test_the_unit_warning_threshold_is_checked(tmp_path):
    with pytest.raises(zq.ConfigError, match="large_money"):
        zq.load_config(overrides={"thresholds": {"large_money": -1}})
