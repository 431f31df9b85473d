"""The sample campaign the letter and phone-page tests read (loaded once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

import zqcampaign as zq

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


@pytest.fixture(scope="session")
def sample(tmp_path_factory):
    folder = SAMPLE
    if not any(folder.glob("*/*.xls*")):  # a checkout without the committed sample
        from zqcampaign.sample import write_sample

        folder = tmp_path_factory.mktemp("sample_data")
        write_sample(folder)
    return zq.load(folder)
