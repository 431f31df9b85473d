"""Year-to-date investment against the annual plan and the share of the year elapsed."""

import pytest
from frames import projects_from_snapshots, snapshots_frame

from zqcampaign.config import default_config
from zqcampaign.figures.investment import investment, year_elapsed

CFG = default_config()


def ledger():
    return snapshots_frame(
        dict(project_id="A", report_date="2023-07-31", annual_plan=1000.0, ytd_actual=100.0),
        dict(project_id="A", report_date="2023-08-31", annual_plan=1000.0, ytd_actual=300.0),
        dict(project_id="B", report_date="2023-07-31", annual_plan=500.0, ytd_actual=50.0),
        dict(project_id="B", report_date="2023-08-31", annual_plan=500.0, ytd_actual=150.0),
        # missing from the August ledger: carried forward
        dict(project_id="C", report_date="2023-07-31", annual_plan=500.0, ytd_actual=250.0),
        # below the key-project threshold
        dict(project_id="D", report_date="2023-08-31", annual_plan=200.0, ytd_actual=100.0,
             total_investment=500.0),
        dict(project_id="E", county="怀集县", report_date="2023-08-31", annual_plan=0.0,
             ytd_actual=10.0),
    )  # fmt: skip


def county(out, name):
    return out[out["county"] == name].iloc[0]


def test_year_elapsed_counts_days_including_as_of():
    assert year_elapsed(CFG, "2023-06-30") == pytest.approx(181 / 365)
    assert year_elapsed(CFG, "2023-12-31") == 1.0
    assert year_elapsed(CFG, "2024-02-01") == 1.0
    assert year_elapsed(CFG, "2022-12-01") == 0.0


def test_rate_and_gap_points_from_latest_rows_with_missing_project_carried_forward():
    snaps = ledger()
    out = county(
        investment(projects_from_snapshots(snaps), snaps, CFG, as_of="2023-08-31"), "四会市"
    )
    # A 300/1000 + B 150/500 + C 250/500 (July, carried) + D 100/200
    assert (out["projects"], out["annual_plan"], out["ytd_actual"]) == (4, 2200.0, 800.0)
    assert out["rate"] == pytest.approx(800 / 2200)
    assert out["elapsed"] == pytest.approx(243 / 365)
    assert out["gap_points"] == pytest.approx((800 / 2200 - 243 / 365) * 100)


def test_earlier_as_of_uses_earlier_rows():
    snaps = ledger()
    out = county(
        investment(projects_from_snapshots(snaps), snaps, CFG, as_of="2023-07-31"), "四会市"
    )
    assert (out["annual_plan"], out["ytd_actual"]) == (2000.0, 400.0)


def test_list_scope_leaves_out_projects_below_the_key_threshold():
    snaps = ledger()
    p = projects_from_snapshots(snaps)
    out = county(investment(p, snaps, CFG, as_of="2023-08-31", scope="list"), "四会市")
    assert (out["projects"], out["annual_plan"], out["ytd_actual"]) == (3, 2000.0, 700.0)


def test_zero_plan_gives_no_rate_and_empty_county_zeros():
    snaps = ledger()
    out = investment(projects_from_snapshots(snaps), snaps, CFG, as_of="2023-08-31")
    huaiji = county(out, "怀集县")
    assert huaiji["ytd_actual"] == 10.0 and huaiji["rate"] != huaiji["rate"]  # NaN
    assert county(out, "端州区")["projects"] == 0
    assert out["county"].tolist() == list(CFG.county_names)


def test_city_sums_every_county():
    snaps = ledger()
    out = investment(projects_from_snapshots(snaps), snaps, CFG, as_of="2023-08-31", by="city")
    assert out[["county", "annual_plan", "ytd_actual"]].values.tolist() == [
        ["肇庆市", 2200.0, 810.0]
    ]


def test_without_projects_as_of_defaults_to_latest_snapshot():
    out = investment(None, ledger(), CFG, by="city")
    assert out["elapsed"].iloc[0] == pytest.approx(243 / 365)


@pytest.mark.parametrize(("kw", "match"), [({"by": "category"}, "city, county"),
                                           ({"scope": "key"}, "list, all")])  # fmt: skip
def test_wrong_arguments_name_the_choices(kw, match):
    snaps = ledger()
    with pytest.raises(ValueError, match=match):
        investment(projects_from_snapshots(snaps), snaps, CFG, as_of="2023-08-31", **kw)
