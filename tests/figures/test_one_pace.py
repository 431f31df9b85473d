"""One pace everywhere (issue #15 item 5): every table of the pack shows each county with
the same flag and the same 序时进度 as ``completion`` on that date."""

from pathlib import Path

import pandas as pd
import pytest

import zqcampaign as zq
from zqcampaign.output.tables import briefing_tables

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
DATES = ("2023-09-30", "2023-11-30")


@pytest.fixture(scope="module", params=["days", "months"])
def camp(request):
    return zq.load(SAMPLE, config={"pace": {"basis": request.param}})


@pytest.mark.parametrize("as_of", DATES)
def test_every_table_shows_the_county_flag_and_pace_of_completion(camp, as_of):
    as_of = pd.Timestamp(as_of)
    comp = camp.completion(as_of=as_of).set_index("county")
    tables = briefing_tables(camp, as_of)
    checked = 0

    summary = tables.summary.set_index("county")
    for county, row in comp.iterrows():
        assert summary.loc[county, "flag"] == row["flag"] or pd.isna(row["flag"])
        assert summary.loc[county, "expected"] == pytest.approx(row["expected"])
        checked += 1

    ranking = camp.ranking(as_of=as_of).set_index("county")
    for county, row in comp.iterrows():
        if pd.notna(row["flag"]):
            assert ranking.loc[county, "flag"] == row["flag"]
        assert ranking.loc[county, "expected"] == pytest.approx(row["expected"])

    by_category = tables.completion_by_category
    for county, group in by_category.groupby("county"):
        assert group["expected"].tolist() == pytest.approx([comp.loc[county, "expected"]] * 3)

    # a county's own completion pledge: its pace is the county's expected rate, and while
    # pending its flag is the county's flag (四会市 used to be blue here, yellow elsewhere)
    targets = tables.targets
    own = targets[(targets["metric"] == "completion_rate") & ~targets["scope"].str.contains("、")]
    assert len(own) == 2
    for _, t in own.iterrows():
        assert t["pace"] == pytest.approx(comp.loc[t["scope"], "expected"])
        if t["deadline"] > as_of:
            assert t["flag"] == comp.loc[t["scope"], "flag"]
            checked += 1
    assert checked == len(comp) + 1
