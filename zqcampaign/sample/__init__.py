"""Deterministic sample ledgers for the 2023 Zhaoqing campaign (July–December 2023).

Two layers, as everywhere in the package:

- :func:`sample_projects` builds the **ground truth**: one row per project per monthly report
  date (截至日期), with the milestone dates known at that date, investment, problems and
  progress. It is a pure function of ``seed``.
- :func:`write_sample` writes what the 11 divisions would have sent for that truth: one
  ledger per county per month, each county in its own house style (``.xlsx``, legacy
  ``.xls``, a GBK ``.csv``; one- or two-row merged headers; section rows or a category
  column; simplified or traditional headers; many spellings of dates, money and yes/no),
  October as one city workbook with a sheet per county, and a handful of deliberately bad
  rows. It also writes ``README.md`` (which file shows which quirk, the story numbers) and
  ``expected_issues.tsv`` (the planted problems loading must report).

Every project, company and person is fictional. Money is in 万元; dates are
``datetime64``; the same seed gives byte-identical files.

The modules, in the order the data flows:

- :mod:`.plans`: report months and one plan per county (the story);
- :mod:`.vocabulary`: the fictional names and phrases projects are made of;
- :mod:`.truth`: the ground truth (:func:`sample_projects`);
- :mod:`.plants`: the planted problems and the issues they must raise;
- :mod:`.styles`: each county's house style (columns, headers, spellings);
- :mod:`.layout`: one ledger sheet laid out as cells;
- :mod:`.writers`: ``.xlsx`` / ``.xls`` / ``.csv`` writers, byte-stable;
- :mod:`.zhaoqing`: the sample folder (:func:`write_sample`, README, expected issues);
- :mod:`.province`: province-scale benchmark data (:func:`write_province`,
  :func:`province_truth`, :func:`write_big_sheet`).
"""

from __future__ import annotations

from zqcampaign.sample.plans import HUAIJI as HUAIJI
from zqcampaign.sample.plans import HUAIJI_ANNUAL_PLAN as HUAIJI_ANNUAL_PLAN
from zqcampaign.sample.plans import HUAIJI_QUICK_BUILDS as HUAIJI_QUICK_BUILDS
from zqcampaign.sample.plans import HUAIJI_STARTED_2023 as HUAIJI_STARTED_2023
from zqcampaign.sample.plans import HUAIJI_YTD_DECEMBER as HUAIJI_YTD_DECEMBER
from zqcampaign.sample.plans import MONTHS as MONTHS
from zqcampaign.sample.plans import PLANS as PLANS
from zqcampaign.sample.plans import REPORT_DATES
from zqcampaign.sample.province import PROVINCE_CITIES as PROVINCE_CITIES
from zqcampaign.sample.province import ProvinceCounty as ProvinceCounty
from zqcampaign.sample.province import province_config as province_config
from zqcampaign.sample.province import province_counties as province_counties
from zqcampaign.sample.province import province_truth as province_truth
from zqcampaign.sample.province import write_big_sheet as write_big_sheet
from zqcampaign.sample.province import write_province as write_province
from zqcampaign.sample.styles import CITY_MONTH as CITY_MONTH
from zqcampaign.sample.styles import STYLES as STYLES
from zqcampaign.sample.truth import TRUTH_COLUMNS, sample_projects
from zqcampaign.sample.zhaoqing import EXPECTED_ISSUES, write_sample

__all__ = ["EXPECTED_ISSUES", "REPORT_DATES", "TRUTH_COLUMNS", "sample_projects", "write_sample"]
