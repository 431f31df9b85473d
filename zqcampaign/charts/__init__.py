"""Slide-ready charts of the campaign figures, with Chinese text that renders anywhere.

>>> import zqcampaign as zq
>>> camp = zq.load("sample_data")
>>> fig = zq.charts.completion_by_county(camp, as_of="2023-09-30")
>>> zq.charts.save(fig, "briefing/completion.png")   # PNG (200 dpi) + PDF

Every chart takes the campaign first and everything else by keyword: ``as_of`` (``None``
-> latest report date), ``lang`` (``"zh"`` or ``"en"``), ``size`` (``"full"`` 16:9 slide or
``"half"`` slide); single-axes charts also take ``ax=`` to draw into a figure of your
own. Each returns a :class:`matplotlib.figure.Figure` made without ``pyplot`` (so no figure
is left open) and leaves matplotlib's global settings untouched. Chinese text uses an
installed CJK font when there is one, else the bundled Noto Sans SC
(:mod:`zqcampaign.charts.fonts`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from zqcampaign.charts._base import SAVE_FORMATS, save
from zqcampaign.charts._county import (
    completion_by_category,
    completion_by_county,
    investment_by_county,
    ranking,
)
from zqcampaign.charts._pipeline import cycle_times, project_timeline, stage_funnel
from zqcampaign.charts._targets import targets_scorecard
from zqcampaign.charts._trend import flag_matrix, progress_trend

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from zqcampaign.campaign import Campaign

__all__ = [
    "CHARTS",
    "SAVE_FORMATS",
    "completion_by_category",
    "completion_by_county",
    "cycle_times",
    "flag_matrix",
    "investment_by_county",
    "progress_trend",
    "project_timeline",
    "ranking",
    "render_all",
    "save",
    "stage_funnel",
    "targets_scorecard",
]

#: Every chart by name, in briefing order.
CHARTS: dict[str, Callable[..., Figure]] = {
    "completion_by_county": completion_by_county,
    "completion_by_category": completion_by_category,
    "progress_trend": progress_trend,
    "flag_matrix": flag_matrix,
    "investment_by_county": investment_by_county,
    "ranking": ranking,
    "cycle_times": cycle_times,
    "stage_funnel": stage_funnel,
    "project_timeline": project_timeline,
    "targets_scorecard": targets_scorecard,
}


def render_all(
    camp: Campaign,
    folder: str | Path,
    *,
    as_of: object = None,
    lang: str = "zh",
    size: str = "full",
    charts: Sequence[str] | None = None,
    formats: Sequence[str] = ("png", "pdf"),
    dpi: int = 200,
) -> dict[str, list[Path]]:
    """Draw charts with their defaults and save each as ``folder/<name>.<format>``.

    Parameters
    ----------
    camp, as_of, lang, size
        As for the charts.
    folder
        Output folder (created if needed).
    charts
        Names from :data:`CHARTS`; ``None``: all of them.
    formats, dpi
        As for :func:`save`.

    Returns
    -------
    dict
        Chart name -> files written.
    """
    names = list(CHARTS) if charts is None else list(charts)
    unknown = [n for n in names if n not in CHARTS]
    if unknown:
        raise ValueError(f"charts must be chosen from {', '.join(CHARTS)}; unknown: {unknown}")
    out = Path(folder)
    written = {}
    for name in names:  # one figure at a time; none is registered with pyplot
        fig = CHARTS[name](camp, as_of=as_of, lang=lang, size=size)
        written[name] = save(fig, out / name, formats=formats, dpi=dpi)
        fig.clear()
    return written
