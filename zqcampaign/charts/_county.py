"""County bar charts: completion, completion by category, investment, ranking."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from zqcampaign.charts import style
from zqcampaign.charts._base import (
    as_of_text,
    bottom_legend,
    decorate,
    flag_bars,
    flag_handles,
    is_full,
    label_width,
    marker_handle,
    money,
    own_targets,
    panel_title,
    percent_axis,
    resolve,
    row_ticks,
    side_note,
    slide,
    target_handle,
)
from zqcampaign.charts.style import FONT_SIZES, INK, MUTED
from zqcampaign.schema import CATEGORIES

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from zqcampaign.campaign import Campaign

__all__ = ["completion_by_category", "completion_by_county", "investment_by_county", "ranking"]

_BAR = 0.62  # bar height [row]


def _county_ticks(ax: Axes, counties: list[str], lang: str, fig: Figure) -> None:
    """County names on the bar rows, first county on top."""
    row_ticks(ax, [style.county_label(c, lang) for c in counties], label_width(fig))


def _rate_bars(
    a: Axes,
    rates: Any,
    flags: list[Any],
    expected: Any,
    listed: np.ndarray,
    linewidth: float,
) -> None:
    """Completion-rate bars (row ``i`` at y = ``i``) in flag colours, with a black tick at
    the expected rate of the rows that have projects (``listed``)."""
    y = np.arange(len(flags))
    bars = a.barh(y, rates, height=_BAR, zorder=2)
    flag_bars(a, bars, flags)
    a.vlines(
        expected[listed],
        y[listed] - 0.42,
        y[listed] + 0.42,
        colors=INK,
        linewidth=linewidth,
        zorder=3,
    )


def completion_by_county(
    camp: Campaign,
    *,
    as_of: object = None,
    lang: str = "zh",
    ax: Axes | None = None,
    size: str = "full",
    sort: bool = True,
) -> Figure:
    """Completion rate of the three categories per county, coloured by county flag.

    Bars show each county's rate [0-1] in its flag colour (yellow and red hatched); the
    black tick on each bar is the expected rate by now, and a white diamond marks a
    county's own deadline target (e.g. 四会市 75 % by 30 September). Counties without list
    projects show ``无项目``.

    Parameters
    ----------
    camp
        The loaded campaign.
    as_of
        Date of the figures; ``None`` -> the latest report date.
    lang
        ``"zh"`` (default) or ``"en"``.
    ax
        Draw into this axes (no slide title or source line) instead of a new figure.
    size
        ``"full"`` (16:9 slide) or ``"half"`` (half a slide).
    sort
        Best rate on top (default); ``False`` keeps the configured county order.

    Returns
    -------
    matplotlib.figure.Figure
    """
    when = resolve(camp, as_of)
    data = camp.completion(as_of=when, by="county")
    if sort:
        data = data.sort_values("rate", ascending=False, na_position="last", kind="stable")
    data = data.reset_index(drop=True)
    city = camp.completion(as_of=when, by="city").iloc[0]
    config = camp.config
    with slide(lang=lang, size=size, ax=ax, as_of=when) as s:
        a = s.ax
        listed = (data["total"] > 0).to_numpy()
        _rate_bars(
            a, data["rate"].fillna(0.0), data["flag"].tolist(), data["expected"], listed, 2.2
        )
        has_targets = False
        for i, row in data.iterrows():  # one row per county
            if row["total"] == 0:
                side_note(a, 0.0, i, style.label("no_projects", lang), color=MUTED)
                continue
            extra = own_targets(config, row["county"])
            right = max(float(np.nan_to_num(row["rate"])), float(row["expected"]))
            count = f"{row['achieved']}/{row['total']}"
            notes = [style.label("rate_count", lang, rate=style.percent(row["rate"]), count=count)]
            for deadline, target in extra:
                has_targets = True
                a.scatter(
                    [target],
                    [i],
                    marker="D",
                    s=42,
                    facecolor="white",
                    edgecolor=INK,
                    linewidth=1.3,
                    zorder=4,
                )
                right = max(right, target)
                notes.append(
                    style.label(
                        "deadline_target",
                        lang,
                        deadline=style.format_short_date(deadline, lang),
                        target=style.percent(target),
                    )
                )
            side_note(a, right, i, "  ".join(notes))
        _county_ticks(a, data["county"].tolist(), lang, s.fig)
        percent_axis(a, "x", 1.0)
        handles = [*flag_handles(lang), _expected_handle(lang)]
        if has_targets:
            handles.append(target_handle(lang))
        bottom_legend(s, handles)
        city_rate = style.percent(city["rate"])
        detail = style.label(
            "city_detail",
            lang,
            rate=city_rate,
            achieved=city["achieved"],
            total=city["total"],
            expected=style.percent(city["expected"]),
        )
        decorate(s, style.label("completion_by_county", lang), as_of_text(s, detail))
    return s.fig


def _expected_handle(lang: str) -> Any:
    return marker_handle(
        style.label("expected_marker", lang), "|", markersize=13, markeredgewidth=2.2
    )


def completion_by_category(
    camp: Campaign,
    *,
    as_of: object = None,
    lang: str = "zh",
    size: str = "full",
) -> Figure:
    """Completion rate per county in each of the three categories (three panels).

    One panel per category (已签约未供地 → 供地, 已供地未动工 → 动工, 已动工未竣工 → 竣工),
    counties in the configured order, bars in the county-category flag colour, the
    expected rate as a black tick. A county without projects in a category says ``无项目``.

    Parameters
    ----------
    camp, as_of, lang, size
        As for :func:`completion_by_county`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    when = resolve(camp, as_of)
    data = camp.completion(as_of=when, by=["county", "category"])
    totals = camp.completion(as_of=when, by="category").set_index("category")
    counties = list(dict.fromkeys(data["county"]))
    with slide(lang=lang, size=size, as_of=when, axes=False) as s:
        axes = s.fig.subplots(1, len(CATEGORIES), sharey=True, sharex=True)
        s.fig.get_layout_engine().set(wspace=0.12)
        for a, category in zip(axes, CATEGORIES, strict=True):
            part = data[data["category"] == category].set_index("county").reindex(counties)
            listed = (part["total"] > 0).to_numpy()
            _rate_bars(
                a,
                part["rate"].fillna(0.0).to_numpy(),
                part["flag"].tolist(),
                part["expected"].to_numpy(),
                listed,
                2.0,
            )
            for i, (total, achieved, rate, expected) in enumerate(
                part[["total", "achieved", "rate", "expected"]].itertuples(index=False)
            ):
                right = max(float(np.nan_to_num(rate)), float(expected))
                if total == 0:
                    side_note(
                        a, 0.0, i, style.label("no_projects", lang), color=MUTED, size="small"
                    )
                else:
                    side_note(a, right, i, f"{achieved}/{total}", size="small")
            percent_axis(a, "x", 1.0)
            a.xaxis.set_major_locator(_locator(0.5))
            a.tick_params(axis="y", length=0)
            row = totals.loc[category]
            head = style.category_label(category, lang)
            summary = style.label(
                "count_rate",
                lang,
                count=f"{row['achieved']}/{row['total']}",
                rate=style.percent(row["rate"]),
            )
            a.set_title(
                panel_title(f"{head}\n{summary}", s.fig, len(CATEGORIES)),
                fontsize=FONT_SIZES["label"],
                color=INK,
                loc="left",
            )
        _county_ticks(axes[0], counties, lang, s.fig)
        bottom_legend(s, [*flag_handles(lang), _expected_handle(lang)])
        decorate(s, style.label("completion_by_category", lang), as_of_text(s))
    return s.fig


def _locator(step: float) -> Any:
    from matplotlib.ticker import MultipleLocator

    return MultipleLocator(step)


def investment_flag(gap_points: pd.Series, yellow_gap: float) -> pd.Series:
    """Flag of an investment rate against the time elapsed, by the county-flag thresholds.

    ``gap_points`` = (rate − elapsed) × 100 [percentage points]: blue at or above the
    elapsed share, yellow within ``yellow_gap`` × 100 points below it, red further below;
    NA without an annual plan.
    """
    g = pd.Series(gap_points, dtype="float64")
    out = np.select(
        [g >= 0, g >= -yellow_gap * 100, g.notna()], ["blue", "yellow", "red"], default=None
    )
    return pd.Series(out, index=g.index, dtype="str")


def investment_by_county(
    camp: Campaign,
    *,
    as_of: object = None,
    lang: str = "zh",
    ax: Axes | None = None,
    size: str = "full",
) -> Figure:
    """Year-to-date investment against the annual plan per county, with the 序时进度 line.

    Bars: ytd_actual / annual_plan [0-1]; the dashed line is the share of the investment
    year elapsed. Colours follow the county-flag thresholds applied to the gap to that line
    (:func:`investment_flag`); each bar is labelled with YTD / plan in 亿元.

    Parameters
    ----------
    camp, as_of, lang, ax, size
        As for :func:`completion_by_county`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    when = resolve(camp, as_of)
    data = camp.investment(as_of=when, by="county")
    data = data.sort_values("rate", ascending=False, na_position="last", kind="stable")
    data = data.reset_index(drop=True)
    city = camp.investment(as_of=when, by="city").iloc[0]
    flags = investment_flag(data["gap_points"], camp.config.yellow_gap)
    elapsed = float(city["elapsed"])
    with slide(lang=lang, size=size, ax=ax, as_of=when) as s:
        a = s.ax
        y = np.arange(len(data))
        rates = data["rate"].fillna(0.0)
        bars = a.barh(y, rates, height=_BAR, zorder=2)
        flag_bars(a, bars, flags.tolist())
        a.axvline(elapsed, color=INK, linestyle=(0, (4, 3)), linewidth=1.4, zorder=3)
        for i, row in data.iterrows():
            if pd.isna(row["rate"]):
                text = style.label("no_data", lang)
            else:
                amounts = style.label(
                    "ytd_of_plan",
                    lang,
                    ytd=money(row["ytd_actual"], row["annual_plan"], lang=lang),
                    plan=money(row["annual_plan"], row["ytd_actual"], lang=lang),
                )
                text = f"{style.percent(row['rate'])}  {amounts}"
            side_note(
                a,
                max(float(rates.iloc[i]), elapsed),
                i,
                text,
                color=INK if pd.notna(row["rate"]) else MUTED,
            )
        _county_ticks(a, data["county"].tolist(), lang, s.fig)
        top = max(1.0, float(np.nan_to_num(data["rate"].max())) * 1.05)
        percent_axis(a, "x", top)
        from matplotlib.lines import Line2D

        line = Line2D(
            [],
            [],
            color=INK,
            linestyle=(0, (4, 3)),
            linewidth=1.4,
            label=style.label("elapsed", lang, rate=style.percent(elapsed)),
        )
        bottom_legend(s, [*flag_handles(lang), line])
        total = style.label(
            "ytd_of_plan",
            lang,
            ytd=money(city["ytd_actual"], city["annual_plan"], lang=lang),
            plan=money(city["annual_plan"], city["ytd_actual"], lang=lang),
        )
        detail = style.label(
            "investment_detail",
            lang,
            total=total,
            rate=style.percent(city["rate"]),
            elapsed=style.percent(elapsed),
        )
        decorate(s, style.label("investment_by_county", lang), as_of_text(s, detail))
    return s.fig


def ranking(
    camp: Campaign,
    *,
    as_of: object = None,
    lang: str = "zh",
    ax: Axes | None = None,
    size: str = "full",
) -> Figure:
    """The county ranking for the evaluation meetings (调度推进会暨现场观摩会).

    Counties in rank order (the rubric score of :meth:`Campaign.ranking`; rank 1 on
    top); bars are the score [0-100] in the county's completion-flag colour,
    labelled with the rate, gap and investment rate behind it. Counties without list
    projects come last, unranked.

    Parameters
    ----------
    camp, as_of, lang, ax, size
        As for :func:`completion_by_county`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    when = resolve(camp, as_of)
    data = camp.ranking(as_of=when).reset_index(drop=True)
    weights = camp.config.ranking_weights
    with slide(lang=lang, size=size, ax=ax, as_of=when) as s:
        a = s.ax
        y = np.arange(len(data))
        ranked = data["rank"].notna()
        scores = data["score"].where(ranked).fillna(0.0)
        bars = a.barh(y, scores, height=_BAR, zorder=2)
        flag_bars(a, bars, data["flag"].where(ranked).tolist())
        full = is_full(s.fig)
        for i, row in data.iterrows():
            if not ranked.iloc[i]:
                side_note(a, 0.0, i, style.label("no_projects", lang), color=MUTED)
                continue
            text = f"{row['score']:.1f}"
            if full:
                gap = f"{row['gap'] * 100:+.1f}".replace("-", "−")
                text += "   " + style.label(
                    "rank_detail",
                    lang,
                    rate=style.percent(row["rate"]),
                    gap=gap,
                    inv=style.percent(row["investment_rate"]),
                )
            side_note(a, float(scores.iloc[i]), i, text)
        names = [
            f"{int(r)}  {style.county_label(c, lang)}"
            if pd.notna(r)
            else style.county_label(c, lang)
            for r, c in zip(data["rank"], data["county"], strict=True)
        ]
        row_ticks(a, names, label_width(s.fig) + 0.25)
        a.set_xlim(0, max(100.0, float(scores.max()) * 1.05))
        a.grid(axis="x", color=style.PALE, linewidth=0.7)
        a.set_xlabel(style.label("score", lang), fontsize=FONT_SIZES["annotation"], color=MUTED)
        bottom_legend(s, flag_handles(lang))
        share = {k: f"{v / sum(weights.values()):.0%}" for k, v in weights.items()}
        if set(share) == {"completion_rate", "gap", "investment_rate"}:
            detail = style.label(
                "weights",
                lang,
                c=share["completion_rate"],
                g=share["gap"],
                i=share["investment_rate"],
            )
        else:  # a city's own rubric: its components and weights
            detail = "、".join(f"{k} {v}" for k, v in share.items())
        decorate(s, style.label("ranking", lang), as_of_text(s, detail))
    return s.fig
