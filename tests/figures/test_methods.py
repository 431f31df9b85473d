"""Campaign figure methods inside ``remembering()``: computed once per arguments, the same
frames as without it, and a caller changing its copy changes nothing for the next one."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import zqcampaign as zq
from zqcampaign.figures import flags

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


@pytest.fixture(scope="module")
def camp():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return zq.load(SAMPLE)


def test_remembered_figures_are_the_figures(camp):
    plain = [
        camp.project_flags("2023-09-30"),
        camp.completion("2023-09-30", by=["county", "category"]),
    ]
    with camp.remembering():
        kept = [
            camp.project_flags("2023-09-30"),
            camp.completion("2023-09-30", by=["county", "category"]),
        ]
        again = [camp.project_flags(pd.Timestamp("2023-09-30")), camp.completion("2023-09-30", by=("county", "category"))]  # fmt: skip
    for a, b, c in zip(plain, kept, again, strict=True):
        pd.testing.assert_frame_equal(a, b)
        pd.testing.assert_frame_equal(a, c)


def test_a_figure_is_computed_once_per_date_inside_the_block(camp, monkeypatch):
    calls = []
    real = flags.project_flags

    def counted(*args, **kwargs):
        calls.append(kwargs["as_of"])
        return real(*args, **kwargs)

    monkeypatch.setattr(flags, "project_flags", counted)
    with camp.remembering():
        camp.project_flags("2023-08-31")
        camp.project_flags(pd.Timestamp("2023-08-31"))
        camp.project_flags("2023-10-31")
    assert len(calls) == 2
    camp.project_flags("2023-08-31")  # outside: computed again
    assert len(calls) == 3


def test_changing_a_remembered_copy_leaves_the_next_one_alone(camp):
    with camp.remembering():
        first = camp.project_flags("2023-09-30")
        first["flag"] = "blue"
        first.drop(first.index, inplace=True)
        second = camp.project_flags("2023-09-30")
    pd.testing.assert_frame_equal(second, camp.project_flags("2023-09-30"))
    assert len(second) > 0
