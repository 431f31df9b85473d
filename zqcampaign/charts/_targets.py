"""The targets scorecard: every pledge with its progress bar and status."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from zqcampaign import labels
from zqcampaign.charts import style
from zqcampaign.charts._base import (
    as_of_text,
    bottom_legend,
    decorate,
    flag_bars,
    flag_handles,
    is_full,
    marker_handle,
    money,
    no_data,
    resolve,
    row_ticks,
    side_note,
    slide,
)
from zqcampaign.charts.style import FLAG_COLORS, INK, PALE

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from zqcampaign.campaign import Campaign

__all__ = ["targets_scorecard"]


def _value(metric: str, actual: float, target: float, lang: str) -> str:
    """``76% / 75%``, ``21 / 20个``, ``25.3 / 25.0亿元``."""
    if metric == "completion_rate":
        return f"{style.percent(actual)} / {style.percent(target)}"
    if metric == "actual_investment":
        unit = style.label("money_unit", lang)
        return f"{money(actual, target, lang=lang)} / {money(target, actual, lang=lang)}{unit}"
    shown = "—" if pd.isna(actual) else f"{actual:.0f}"
    return f"{shown} / {target:.0f}{style.label('count_unit', lang)}"


def _status(met: object, lang: str) -> str:
    if met is True:
        return style.label("met", lang)
    if met is False:
        return style.label("missed", lang)
    return style.label("pending", lang)


def _target_label(row: pd.Series, lang: str) -> str:
    if lang == labels.CONFIG_LANG and isinstance(row["label"], str) and row["label"]:
        return row["label"]  # the configured label is written in the config's language
    scope = labels.text("list_sep", lang).join(
        style.county_label(c, lang) for c in str(row["scope"]).split("、")
    )
    metric = labels.value_label("metric", row["metric"], lang)
    target = (
        style.percent(row["target"])
        if row["metric"] == "completion_rate"
        else money(row["target"], lang=lang) + style.label("money_unit", lang)
        if row["metric"] == "actual_investment"
        else f"{row['target']:.0f}"
    )
    return labels.text("target_label", lang, scope=scope, metric=metric, target=target)


def targets_scorecard(
    camp: Campaign,
    *,
    as_of: object = None,
    lang: str = "zh",
    ax: Axes | None = None,
    size: str = "full",
) -> Figure:
    """Every configured target: progress towards it, the expected pace, and its status.

    One row per target (``config.targets``): the bar is actual / target (capped at the end
    of the track) in the target's flag colour, the black tick is where the linear pace
    from the counting start to the deadline stands today, and the right column gives the
    values, ``已完成`` / ``推进中`` / ``未完成`` and the deadline.

    Parameters
    ----------
    camp, as_of, lang, ax, size
        As for :func:`completion_by_county`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    when = resolve(camp, as_of)
    data = camp.targets_status(as_of=when).reset_index(drop=True)
    with slide(lang=lang, size=size, ax=ax, as_of=when) as s:
        a = s.ax
        full = is_full(s.fig)
        if data.empty:
            no_data(a, lang, "no_targets")
        else:
            y = np.arange(len(data))
            target = data["target"].astype(float).where(lambda t: t > 0)
            share = (data["actual"].astype(float) / target).clip(0, 1).fillna(0.0)
            pace = (data["pace"].astype(float) / target).clip(0, 1)
            a.barh(y, 1.0, height=0.5, color=PALE, edgecolor="none", zorder=1)
            bars = a.barh(y, share, height=0.5, zorder=2)
            flag_bars(a, bars, data["flag"].tolist())
            a.vlines(pace, y - 0.36, y + 0.36, colors=INK, linewidth=2.0, zorder=3)
            for i, row in data.iterrows():  # one line of text per target (a handful)
                status = _status(row["met"], lang)
                deadline = style.label(
                    "deadline", lang, date=style.format_short_date(row["deadline"], lang)
                )
                text = f"{_value(row['metric'], row['actual'], row['target'], lang)}   {status}"
                if full:
                    text += f"   {deadline}"
                color = FLAG_COLORS["red"] if row["met"] is False else INK
                side_note(a, 1.0, i, text, color=color, offset=8)
            labels = [_target_label(row, lang) for _, row in data.iterrows()]
            row_ticks(a, labels, 3.6 if full else 2.2)
            a.set_xlim(0, 1.0)
            a.set_xticks([])
            for side in ("left", "bottom"):
                a.spines[side].set_visible(False)
            pace_handle = marker_handle(
                style.label("expected", lang), "|", markersize=12, markeredgewidth=2.0
            )
            bottom_legend(s, [*flag_handles(lang), pace_handle])
        met = int((data["met"] == True).sum()) if len(data) else 0  # noqa: E712 - object column
        note = style.label("targets_met_note", lang, met=met, n=len(data))
        decorate(s, style.label("targets_scorecard", lang), as_of_text(s, note))
    return s.fig
