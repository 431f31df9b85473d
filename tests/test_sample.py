"""zqcampaign.sample: the deterministic sample ledgers and their ground truth."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import python_calamine as pc

import zqcampaign as zq
from zqcampaign.config import default_config
from zqcampaign.sample import REPORT_DATES, TRUTH_COLUMNS, sample_projects, write_sample
from zqcampaign.schema import MILESTONES

LEDGER_SUFFIXES = {".xlsx", ".xls", ".csv"}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    files = write_sample(out)
    return out, files, None


@pytest.fixture(scope="module")
def ledgers(written):
    _, files, _ = written
    return [f for f in files if f.suffix in LEDGER_SUFFIXES and f.name != "expected_issues.tsv"]


@pytest.fixture(scope="module")
def truth():
    return sample_projects()


@pytest.fixture(scope="module")
def loaded(ledgers):
    return zq.load(ledgers)


def _latest(truth: pd.DataFrame) -> pd.DataFrame:
    return truth[truth["report_date"] == REPORT_DATES[-1]]


# -- generation ---------------------------------------------------------------------------


def test_same_seed_writes_byte_identical_files(written, tmp_path):
    out, files, _ = written
    again = write_sample(tmp_path)
    assert [f.relative_to(tmp_path) for f in again] == [f.relative_to(out) for f in files]
    for a, b in zip(files, again, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_same_seed_gives_the_same_truth_and_another_seed_another(truth):
    pd.testing.assert_frame_equal(sample_projects(2023), truth)
    other = sample_projects(7)
    assert set(other["name"]) != set(truth["name"])


def test_truth_has_the_documented_columns(truth):
    assert tuple(truth.columns) == TRUTH_COLUMNS


# -- files --------------------------------------------------------------------------------


def test_one_ledger_per_county_per_month_except_the_october_city_workbook(ledgers):
    folders = Counter(f.parent.name for f in ledgers)
    assert folders == {
        "2023-07": 11,
        "2023-08": 11,
        "2023-09": 11,
        "2023-10": 1,
        "2023-11": 11,
        "2023-12": 11,
    }
    october = [f for f in ledgers if f.parent.name == "2023-10"]
    assert october[0].name == "肇庆市_2023年10月_项目清单.xlsx"
    wb = pc.CalamineWorkbook.from_path(str(october[0]))
    assert sorted(wb.sheet_names) == sorted(default_config().county_names)


def test_format_mix_is_mostly_xlsx_with_three_xls_counties_and_one_gbk_csv(ledgers):
    assert Counter(f.suffix for f in ledgers) == {".xlsx": 36, ".xls": 15, ".csv": 5}
    csv_counties = {f.name.split("_")[0] for f in ledgers if f.suffix == ".csv"}
    assert csv_counties == {"封开县"}


def test_every_ledger_opens_and_starts_with_its_title(ledgers):
    for f in ledgers:
        if f.suffix == ".csv":
            rows = list(csv.reader(io.StringIO(f.read_bytes().decode("gbk"))))
            firsts = [rows[0][0]]
        else:
            wb = pc.CalamineWorkbook.from_path(str(f))
            firsts = [wb.get_sheet_by_name(n).to_python()[0][0] for n in wb.sheet_names]
        assert all(("项目清单" in t) or ("項目清單" in t) for t in firsts), f.name


def test_sample_folder_stays_small(written):
    _, files, _ = written
    assert sum(f.stat().st_size for f in files) < 3_000_000


def test_expected_issues_csv_is_utf8_with_bom_and_names_every_planted_code(written):
    out, _, _ = written
    raw = (out / "expected_issues.tsv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(out / "expected_issues.tsv", sep="\t", encoding="utf-8-sig", dtype=str)
    assert list(frame.columns) == ["file", "sheet", "row", "column", "value", "code"]
    planted = {
        "missing_name",
        "bad_money",
        "bad_date",
        "date_after_report",
        "duplicate_project",
        "category_conflict",
        "negative_money",
        "unknown_county",
        "milestone_order",
        "status_word_date",
        "county_conflict",
        "report_date_conflict",
        "missing_from_snapshot",
        "out_of_scope",
    }
    assert set(frame["code"]) == planted
    assert all((out / f).is_file() for f in frame["file"])


# -- the story ----------------------------------------------------------------------------


def test_ground_truth_has_between_400_and_500_projects(truth):
    assert 400 <= truth["project_key"].nunique() <= 500


def test_dinghu_and_new_area_list_85_projects_between_them(truth):
    both = _latest(truth)["county"].isin(["鼎湖区", "肇庆新区"])
    assert both.sum() == 85


def test_sihui_has_about_75_percent_achieved_at_end_of_september(truth):
    sep = truth[(truth["report_date"] == "2023-09-30") & (truth["county"] == "四会市")]
    sep = sep[sep["in_scope"]]
    rate = sep["achieved_on"].notna().mean()
    assert 0.70 <= rate <= 0.80


def test_huaiji_is_near_its_20_starts_20_completions_and_25_yi(truth):
    dec = _latest(truth)
    hj = dec[dec["county"] == "怀集县"]
    year = pd.Timestamp("2023-01-01")
    assert 18 <= (hj["started_on"] >= year).sum() <= 24
    assert 18 <= (hj["completed_on"] >= year).sum() <= 24
    assert 240000 <= hj["ytd_actual"].sum() <= 260000


def test_ahead_counties_finish_higher_than_behind_counties(truth):
    dec = _latest(truth)
    rate = dec[dec["in_scope"]].groupby("county")["achieved_on"].apply(lambda s: s.notna().mean())
    assert min(rate["肇庆高新区"], rate["高要区"]) > max(rate["广宁县"], rate["德庆县"]) + 0.2


def test_key_threshold_boundaries_are_in_scope_and_a_few_small_projects_are_not(truth):
    dec = _latest(truth)
    at_1yi = dec[(dec["county"] == "端州区") & (dec["total_investment"] == 10000)]
    at_half_yi = dec[(dec["county"] == "封开县") & (dec["total_investment"] == 5000)]
    assert at_1yi["in_scope"].all() and len(at_1yi) >= 1
    assert at_half_yi["in_scope"].all() and len(at_half_yi) >= 1
    out = dec[~dec["in_scope"]]
    cfg = default_config()
    assert 3 <= len(out) <= 10
    assert (out["total_investment"] < out["county"].map(cfg.key_threshold)).all()


def test_milestones_are_known_only_once_they_happen_and_come_in_order(truth):
    dates = truth[list(MILESTONES)]
    assert dates.le(truth["report_date"], axis=0).where(dates.notna(), True).all().all()
    filled = dates.ffill(axis=1)
    later = filled.iloc[:, 1:].to_numpy()
    earlier = filled.iloc[:, :-1].to_numpy()
    ok = pd.isna(later) | pd.isna(earlier) | (later >= earlier)
    assert ok.all()


def test_ytd_investment_never_falls_from_month_to_month(truth):
    step = truth.sort_values("report_date").groupby("project_key")["ytd_actual"].diff()
    assert (step.dropna() >= 0).all()


def test_projects_added_later_and_two_that_vanish(truth):
    first = truth.groupby("project_key")["first_report_date"].first()
    assert (first > REPORT_DATES[0]).sum() >= 5
    vanished = truth.loc[~truth["listed"], "project_key"].unique()
    assert len(vanished) == 2


# -- loading the sample -------------------------------------------------------------------


def _assert_exactly_the_planted_problems(folder, issues):
    expected = pd.read_csv(
        folder / "expected_issues.tsv", sep="\t", encoding="utf-8-sig", dtype=str
    )
    reported = issues[(issues["severity"] != "info") | (issues["code"] == "out_of_scope")]
    cols = ["file", "sheet", "row", "column", "value", "code"]
    got = reported[cols].astype("string").fillna("")
    got["row"] = reported["row"].astype("string").fillna("")
    want = expected[cols].astype("string").fillna("")
    key = sorted(map(tuple, got.to_numpy().tolist()))
    assert key == sorted(map(tuple, want.to_numpy().tolist()))


def test_loading_reports_exactly_the_planted_problems(written, loaded):
    _assert_exactly_the_planted_problems(written[0], loaded.issues)


COMMITTED = Path(__file__).resolve().parents[1] / "sample_data"


def test_committed_sample_data_is_what_the_generator_writes(written):
    out, files, _ = written
    for f in files:
        committed = COMMITTED / f.relative_to(out)
        assert committed.read_bytes() == f.read_bytes(), (
            f"{committed} is stale: run zqcampaign sample"
        )


def test_committed_sample_folder_loads_with_exactly_the_promised_issues():
    camp = zq.load(COMMITTED)
    _assert_exactly_the_planted_problems(COMMITTED, camp.issues)
    t = camp.summary.table
    assert (t["rows_read"] == t["project_rows"] + t["structural_rows"] + t["rejected_rows"]).all()
    assert len(t) == 66 and camp.files["error"].isna().all()


def test_loaded_projects_match_the_ground_truth(loaded, truth):
    projects = loaded.projects.set_index("project_id")
    latest = truth.sort_values("report_date").groupby("project_key").tail(1)
    latest = latest.set_index("project_key").loc[projects.index]
    assert len(projects) == truth["project_key"].nunique()
    assert (projects["category"] == latest["category"]).all()
    assert (projects["in_scope"] == latest["in_scope"]).all()
    same = (projects["achieved_on"] == latest["achieved_on"]) | (
        projects["achieved_on"].isna() & latest["achieved_on"].isna()
    )
    assert same.all()
    assert loaded.summary.balanced
