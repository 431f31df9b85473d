"""Charts over time: completion trend against the target path, monthly flag matrix."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from zqcampaign.charts import style
from zqcampaign.charts._base import (
    as_of_text,
    bottom_legend,
    decorate,
    label_width,
    own_targets,
    percent_axis,
    resolve,
    slide,
    target_handle,
    wrap_labels,
)
from zqcampaign.charts.style import (
    FLAG_COLORS,
    FLAG_ORDER,
    FONT_SIZES,
    INK,
    MUTED,
    PALE,
    SERIES_COLORS,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from zqcampaign.campaign import Campaign
    from zqcampaign.config import Config

__all__ = ["flag_matrix", "progress_trend"]


def _check_counties(counties: str | Sequence[str] | None, config: Config) -> list[str]:
    """Counties to draw: ``None`` -> those with their own completion targets."""
    names = list(config.county_names)
    if counties is None:
        return [c for c in names if own_targets(config, c)]
    if isinstance(counties, str):
        counties = names if counties == "all" else [counties]
    unknown = [c for c in counties if c not in names]
    if unknown:
        raise ValueError(
            f"counties must be 'all', None or names from the configuration "
            f"({'、'.join(names)}); unknown: {'、'.join(unknown)}"
        )
    return list(dict.fromkeys(counties))


def _path(config: Config, county: str | None) -> tuple[np.ndarray, np.ndarray]:
    """Breakpoints of the expected-rate path from the campaign start to its end."""
    default = [(config.end, config.default_completion_target)]
    points = config.completion_targets(county) if county else default
    dates = [pd.Timestamp(config.start)] + [pd.Timestamp(d) for d, _ in points]
    rates = [0.0] + [float(r) for _, r in points]
    end = pd.Timestamp(config.end)
    if dates[-1] < end:
        dates.append(end)
        rates.append(rates[-1])
    return np.array(dates, dtype="datetime64[ns]"), np.array(rates)


def _month_axis(ax: Axes, start: pd.Timestamp, end: pd.Timestamp, lang: str) -> None:
    from matplotlib.dates import MonthLocator, date2num
    from matplotlib.ticker import FuncFormatter

    ax.set_xlim(date2num(start - pd.Timedelta(days=3)), date2num(end + pd.Timedelta(days=4)))
    ax.xaxis.set_major_locator(MonthLocator(bymonthday=1))

    def month(x: float, _pos: int) -> str:
        from matplotlib.dates import num2date

        return style.format_month(num2date(x).replace(tzinfo=None), lang)

    ax.xaxis.set_major_formatter(FuncFormatter(month))


def progress_trend(
    camp: Campaign,
    *,
    counties: str | Sequence[str] | None = None,
    as_of: object = None,
    freq: str = "W",
    lang: str = "zh",
    ax: Axes | None = None,
    size: str = "full",
) -> Figure:
    """Completion rate over time against the target path, for the city and some counties.

    Solid lines are the rate at each ``freq`` date up to ``as_of``; dashed lines the
    expected path from the campaign start (0) through every target to the campaign end;
    diamonds a county's own deadline targets (e.g. 四会市 75 % by 30 September).

    Parameters
    ----------
    camp, as_of, lang, ax, size
        As for :func:`completion_by_county`.
    counties
        County names, ``"all"``, or ``None`` (default): the counties with their own
        completion targets. The city is always drawn.
    freq
        Spacing of the dates (pandas frequency: ``"W"`` weekly, ``"D"`` daily, ``"ME"``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    config = camp.config
    chosen = _check_counties(counties, config)
    when = resolve(camp, as_of)
    city = camp.progress(as_of=when, by="city", freq=freq)
    per_county = camp.progress(as_of=when, by="county", freq=freq) if chosen else None
    start, end = pd.Timestamp(config.start), pd.Timestamp(config.end)
    with slide(lang=lang, size=size, ax=ax, as_of=when) as s:
        a = s.ax
        handles: list[Any] = []
        series: list[tuple[str | None, pd.DataFrame, str, float]] = [(None, city, INK, 2.6)]
        for i, county in enumerate(chosen):
            part = per_county[per_county["county"] == county]  # type: ignore[index]
            series.append((county, part, SERIES_COLORS[i % len(SERIES_COLORS)], 1.8))
        has_targets = False
        for county, part, color, width in series:
            name = style.label("city", lang) if county is None else style.county_label(county, lang)
            last = part["rate"].iloc[-1] if len(part) else np.nan
            (line,) = a.plot(
                part["date"].to_numpy(),
                part["rate"].to_numpy(),
                color=color,
                linewidth=width,
                solid_capstyle="round",
                zorder=3,
                label=f"{name} {style.percent(last)}",
            )
            handles.append(line)
            own = (
                county is not None
                and _path(config, county)[1].tolist() != _path(config, None)[1].tolist()
            )
            if county is None or own:
                dates, rates = _path(config, county)
                a.plot(dates, rates, color=color, linewidth=1.2, linestyle=(0, (5, 3)), zorder=2)
            if own:
                for deadline, target in own_targets(config, county):
                    has_targets = True
                    a.scatter(
                        [pd.Timestamp(deadline).to_datetime64()],
                        [target],
                        marker="D",
                        s=46,
                        facecolor="white",
                        edgecolor=color,
                        linewidth=1.5,
                        zorder=4,
                    )
        a.axvline(when.to_datetime64(), color=MUTED, linewidth=0.8, linestyle=":", zorder=1)
        _month_axis(a, start, end, lang)
        from matplotlib.lines import Line2D

        percent_axis(a, "y", 1.02)
        handles.append(
            Line2D(
                [],
                [],
                color=MUTED,
                linewidth=1.2,
                linestyle=(0, (5, 3)),
                label=style.label("trajectory", lang),
            )
        )
        if has_targets:
            handles.append(target_handle(lang))
        bottom_legend(s, handles)
        decorate(s, style.label("progress_trend", lang), as_of_text(s))
    return s.fig


def _month_ends(config: Config, when: pd.Timestamp) -> list[pd.Timestamp]:
    """Month ends from the campaign's first month to ``when``'s month (the last one =
    ``when``), within the campaign (after its end, the last column is the end)."""
    first = pd.Timestamp(config.start) + pd.offsets.MonthEnd(0)
    last = min(when, pd.Timestamp(config.end))
    if last < first:
        return [last]
    ends = list(pd.date_range(first, last + pd.offsets.MonthEnd(0), freq="ME"))
    return [min(d, last) for d in ends]


def flag_matrix(
    camp: Campaign,
    *,
    as_of: object = None,
    lang: str = "zh",
    ax: Axes | None = None,
    size: str = "full",
) -> Figure:
    """Counts of blue / yellow / red projects per county at each month end.

    One row per county (and the city on top), one column group per campaign month; each
    group holds three boxes in the fixed order blue, yellow, red with the number of list
    projects carrying that flag at the month end (the last month: as of ``as_of``).
    Empty boxes are pale. Only campaign months are shown: after the campaign end the last
    column is the end date.

    Parameters
    ----------
    camp, as_of, lang, ax, size
        As for :func:`completion_by_county`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    config = camp.config
    when = resolve(camp, as_of)
    dates = _month_ends(config, when)
    counties = list(config.county_names)
    tables = []
    for d in dates:  # one flag table per month (a handful)
        flags = camp.project_flags(as_of=d)
        extra = sorted(set(flags["county"].dropna()) - set(counties))
        counties += extra
        tables.append(flags)
    rows = [config.city, *counties]
    counts = np.zeros((len(rows), len(dates), len(FLAG_ORDER)), dtype=int)
    for j, flags in enumerate(tables):
        table = pd.crosstab(flags["county"], flags["flag"]).reindex(
            index=counties, columns=list(FLAG_ORDER), fill_value=0
        )
        counts[1:, j, :] = table.to_numpy()
        counts[0, j, :] = table.to_numpy().sum(axis=0)
    gap = 0.7  # between month groups [box widths]
    y = np.array([0.0, *(1.35 + np.arange(len(counties)))])
    with slide(lang=lang, size=size, ax=ax, as_of=when) as s:
        a = s.ax
        group = len(FLAG_ORDER) + gap
        for k, flag in enumerate(FLAG_ORDER):
            xs = (np.arange(len(dates))[None, :] * group + k).repeat(len(rows), axis=0)
            ys = y[:, None].repeat(len(dates), axis=1)
            n = counts[:, :, k]
            colors = np.where(n > 0, FLAG_COLORS[flag], PALE)
            a.bar(
                xs.ravel(),
                0.8,
                width=0.92,
                bottom=ys.ravel() - 0.4,
                color=colors.ravel(),
                edgecolor="none",
                align="edge",
                zorder=2,
            )
            ink = {"blue": "white", "yellow": INK, "red": "white"}[flag]
            fit = _count_size(s.fig, len(dates), group)
            for (i, j), value in np.ndenumerate(n):  # one label per cell (rows × months)
                a.text(
                    j * group + k + 0.46,
                    y[i],
                    str(value),
                    ha="center",
                    va="center",
                    fontsize=fit,
                    color=ink if value else MUTED,
                    zorder=3,
                )
        a.set_xlim(-0.2, len(dates) * group - gap + 0.2)
        a.set_ylim(y[-1] + 0.6, -0.6)
        a.xaxis.tick_top()
        a.set_xticks(
            np.arange(len(dates)) * group + 1.46, [_month_label(d, when, lang) for d in dates]
        )
        width = label_width(s.fig)
        a.set_yticks(
            y,
            wrap_labels(
                [
                    style.county_label(r, lang) if r != config.city else style.label("city", lang)
                    for r in rows
                ],
                width,
                FONT_SIZES["tick"],
            ),
        )
        a.tick_params(axis="both", length=0)
        for spine in a.spines.values():
            spine.set_visible(False)
        from matplotlib.patches import Patch

        handles = [
            Patch(facecolor=FLAG_COLORS[f], label=style.flag_label(f, lang)) for f in FLAG_ORDER
        ]
        bottom_legend(s, handles)
        note = style.label("flag_matrix_note", lang)
        decorate(s, style.label("flag_matrix", lang), as_of_text(s, note))
    return s.fig


def _month_label(d: pd.Timestamp, when: pd.Timestamp, lang: str) -> str:
    if d == when and d != d + pd.offsets.MonthEnd(0):
        return style.format_short_date(d, lang)
    return style.format_month(d, lang)


def _count_size(fig: Figure, months: int, group: float) -> float:
    """Font size of the counts: smaller when boxes are narrow [pt]."""
    box_in = (fig.get_figwidth() * 0.7) / max(months * group, 1)
    return float(np.clip(box_in * 72 * 0.42, 7.0, FONT_SIZES["annotation"]))
