"""Project pipeline charts: cycle times, the stage funnel, the project timeline (Gantt)."""

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
    is_full,
    label_width,
    panel_title,
    resolve,
    side_note,
    slide,
    wrap_labels,
)
from zqcampaign.charts.style import FLAG_COLORS, FONT_SIZES, INK, MUTED, PALE
from zqcampaign.figures.activity import INTERVALS, project_cycle_times
from zqcampaign.figures.investment import check_scope
from zqcampaign.schema import MILESTONES, PLANNED

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from zqcampaign.campaign import Campaign
    from zqcampaign.config import Config

__all__ = ["cycle_times", "project_timeline", "stage_funnel"]

_BOX_COLOR = "#2a9d8f"
_RIGHT = ("axes fraction", "data")  # notes right of the axes, at a row's y
_FUNNEL_COLORS = ("#8aa1b1", "#5f8fa0", "#2a9d8f", "#23797a", "#1d4e5f")


def _interval_label(name: str, lang: str) -> str:
    return style.label(f"interval_{name}", lang)


def _check_county(config: Config, county: str, present: pd.Series) -> None:
    """ValueError unless ``county`` is configured or is one of the ``present`` counties."""
    known = list(config.county_names)
    if county not in known and county not in set(present.dropna()):
        raise ValueError(f"county must be one of {'、'.join(known)}; got {county!r}")


def _dates_as_of(projects: pd.DataFrame, when: pd.Timestamp) -> pd.DataFrame:
    """Projects with milestone dates after ``when`` blanked (not yet known on that day)."""
    out = projects.copy()
    for col in MILESTONES:
        out[col] = out[col].where(out[col] <= when)
    return out


def cycle_times(
    camp: Campaign,
    *,
    as_of: object = None,
    intervals: Sequence[str] | None = None,
    scope: str = "all",
    lang: str = "zh",
    ax: Axes | None = None,
    size: str = "full",
) -> Figure:
    """Distribution of days between milestones per county (box plots, one panel each).

    Each box spans the middle half of the projects' days (quartiles) with the median as a
    line and whiskers to 1.5 × the box; dots are the projects. The city (all counties) is
    on top. Only milestones dated on or before ``as_of`` count.

    Parameters
    ----------
    camp, as_of, lang, size
        As for :func:`completion_by_county`.
    intervals
        Names from ``signed_to_land``, ``land_to_start``, ``start_to_completion``;
        ``None``: all three.
    scope
        ``"all"`` (every project with both dates) or ``"list"`` (in-scope projects).
    ax
        Draw one interval into this axes (then ``intervals`` must name exactly one).

    Returns
    -------
    matplotlib.figure.Figure
    """
    chosen = list(INTERVALS) if intervals is None else list(intervals)
    unknown = [i for i in chosen if i not in INTERVALS]
    if unknown or not chosen:
        raise ValueError(f"intervals must be chosen from {', '.join(INTERVALS)}; got {intervals!r}")
    if ax is not None and len(chosen) != 1:
        raise ValueError(
            "with ax=, intervals must name exactly one interval, e.g. ['land_to_start']"
        )
    check_scope(scope)
    when = resolve(camp, as_of)
    projects = camp.projects
    if scope == "list":
        projects = projects[projects["in_scope"].astype(bool)]
    days = project_cycle_times(_dates_as_of(projects, when))
    config = camp.config
    counties = list(config.county_names)
    counties += sorted(set(days["county"].dropna()) - set(counties))
    with slide(lang=lang, size=size, ax=ax, as_of=when, axes=False) as s:
        axes = (
            [s.ax]
            if s.ax is not None
            else list(np.atleast_1d(s.fig.subplots(1, len(chosen), sharey=True)))
        )
        if s.own and len(chosen) > 1:
            s.fig.get_layout_engine().set(wspace=0.06)
        y = np.array([0.0, *(1.3 + np.arange(len(counties)))])
        for a, name in zip(axes, chosen, strict=True):
            values = days[["county", name]].dropna()
            groups = [values[name].to_numpy()] + [
                values.loc[values["county"] == c, name].to_numpy() for c in counties
            ]
            _boxes(a, groups, y, lang)
            a.set_title(
                panel_title(_interval_label(name, lang), s.fig, len(chosen)),
                loc="left",
                fontsize=FONT_SIZES["label"],
                color=INK,
            )
            a.set_xlabel(style.label("days", lang), fontsize=FONT_SIZES["annotation"], color=MUTED)
            a.tick_params(axis="y", length=0)
        labels = [style.label("city", lang), *(style.county_label(c, lang) for c in counties)]
        axes[0].set_yticks(y, wrap_labels(labels, label_width(s.fig), FONT_SIZES["tick"]))
        axes[0].set_ylim(y[-1] + 0.7, -0.7)
        note = style.label("box_note", lang)
        decorate(s, style.label("cycle_times", lang), as_of_text(s, note))
    return s.fig


def _boxes(a: Axes, groups: list[np.ndarray], y: np.ndarray, lang: str) -> None:
    """Horizontal box plots of ``groups`` at ``y`` with project dots and n labels."""
    filled = [i for i, g in enumerate(groups) if len(g)]
    if filled:
        kw: dict[str, Any] = {"orientation": "horizontal"}
        box = a.boxplot(
            [groups[i] for i in filled],
            positions=y[filled],
            widths=0.6,
            patch_artist=True,
            showfliers=False,
            manage_ticks=False,
            **kw,
        )
        for patch in box["boxes"]:
            patch.set_facecolor(_BOX_COLOR + "55")
            patch.set_edgecolor(_BOX_COLOR)
        for line in box["medians"]:
            line.set_color(INK)
            line.set_linewidth(2.0)
        for line in (*box["whiskers"], *box["caps"]):
            line.set_color("#7a7a7a")
        rng = np.random.default_rng(0)  # fixed jitter: the same picture every time
        xs = np.concatenate([groups[i] for i in filled])
        ys = np.concatenate([np.full(len(groups[i]), y[i]) for i in filled])
        a.scatter(
            xs,
            ys + rng.uniform(-0.22, 0.22, len(ys)),
            s=6,
            color=INK,
            alpha=0.35,
            linewidths=0,
            zorder=3,
        )
        whisker_max = max(float(np.max(line.get_xdata())) for line in box["whiskers"])
        a.set_xlim(0, whisker_max * 1.08 + 1)
    else:
        a.set_xlim(0, 100)
    for i, g in enumerate(groups):  # median and n to the right of the panel
        if len(g):
            text = style.label("median_n", lang, days=f"{np.median(g):.0f}", n=len(g))
        else:
            text = "—"
        side_note(a, 1.0, y[i], text, color=MUTED, size="small", offset=4, xycoords=_RIGHT)
    a.grid(axis="x", color=PALE, linewidth=0.7)


def stage_funnel(
    camp: Campaign,
    *,
    as_of: object = None,
    county: str | None = None,
    lang: str = "zh",
    ax: Axes | None = None,
    size: str = "full",
) -> Figure:
    """The pipeline of list projects: how many reached signing, land, start, completion, production.

    A project counts at a stage when, as of ``as_of``, it has reached that milestone or a
    later one (by its dates, or by its baseline category: a project listed as 已供地未动工
    has been signed and supplied). Each bar is labelled with the count and its share of
    the stage before.

    Parameters
    ----------
    camp, as_of, lang, ax, size
        As for :func:`completion_by_county`.
    county
        One county's pipeline instead of the city's.

    Returns
    -------
    matplotlib.figure.Figure
    """
    config = camp.config
    when = resolve(camp, as_of)
    if county is not None:
        _check_county(config, county, camp.projects["county"])
    table = camp.stage_counts(as_of=when, county=county)
    counts = table["count"].to_numpy()
    members = int(table.attrs["list_projects"])
    with slide(lang=lang, size=size, ax=ax, as_of=when) as s:
        a = s.ax
        y = np.arange(len(MILESTONES))
        a.barh(
            y,
            counts,
            left=-counts / 2,
            height=0.72,
            color=_FUNNEL_COLORS,
            edgecolor="none",
            zorder=2,
        )
        top = max(int(counts.max()), 1)
        for k, n in enumerate(counts):
            share = ""
            if k > 0 and counts[k - 1] > 0:
                share = style.label("funnel_share", lang, share=style.percent(n / counts[k - 1]))
            text = f"{n}{style.label('count_unit', lang)}{share}"
            inside = n >= 0.28 * top
            a.annotate(
                text,
                (n / 2 if not inside else 0, k),
                xytext=(6, 0) if not inside else (0, 0),
                textcoords="offset points",
                ha="left" if not inside else "center",
                va="center",
                fontsize=FONT_SIZES["label"],
                color="white" if inside else INK,
            )
        a.set_yticks(y, [style.stage_label(m, lang) for m in MILESTONES])
        a.set_ylim(len(MILESTONES) - 0.5, -0.5)
        a.set_xlim(-top / 2 * 1.05, top / 2 * 1.35)
        a.set_xticks([])
        a.tick_params(axis="y", length=0, labelsize=FONT_SIZES["label"])
        for side in ("left", "bottom"):
            a.spines[side].set_visible(False)
        where = style.label("city", lang) if county is None else style.county_label(county, lang)
        title = style.label("stage_funnel", lang, where=where)
        total = style.label("funnel_total", lang, n=members)
        decorate(s, title, as_of_text(s, style.label("funnel_note", lang), total))
    return s.fig


_MARKERS = {
    "signed_on": "o",
    "land_supplied_on": "s",
    "started_on": "^",
    "completed_on": "D",
    "in_production_on": "*",
}
_FLAG_RANK = {"red": 0, "yellow": 1, "blue": 2}


def _select(
    camp: Campaign, when: pd.Timestamp, county: str | None, projects: Sequence[str] | None
) -> pd.DataFrame:
    """Projects of the timeline with their flag, most urgent first."""
    flags = camp.project_flags(as_of=when)
    table = _dates_as_of(camp.projects, when).merge(
        flags[["project_id", "flag", "reason", "days_late"]], on="project_id", how="left"
    )
    if projects is not None:
        wanted = [projects] if isinstance(projects, str) else list(projects)
        hit = table["project_id"].isin(wanted) | table["name"].isin(wanted)
        found = set(table.loc[hit, "project_id"]) | set(table.loc[hit, "name"])
        unknown = [p for p in wanted if p not in found]
        if unknown:
            raise ValueError(f"projects not found (give project_id or name): {'、'.join(unknown)}")
        table = table[hit]
    elif county is not None:
        _check_county(camp.config, county, table["county"])
        table = table[(table["county"] == county) & table["flag"].notna()]
    else:
        table = table[table["flag"] == "red"]
    order = table.assign(
        _f=table["flag"].map(_FLAG_RANK).fillna(3),
        _d=-table["days_late"].astype("Float64").fillna(-1e9),
    )
    order = order.sort_values(["_f", "_d", "planned_goal_on", "name"], kind="stable")
    return order.drop(columns=["_f", "_d"]).reset_index(drop=True)


def _status(row: pd.Series, when: pd.Timestamp, lang: str) -> str:
    goal = row.get("goal")
    achieved = row["achieved_on"]
    if pd.notna(achieved) and achieved <= when and isinstance(goal, str):
        verb = style.stage_label(goal, lang)
        return style.label("reached", lang, stage=verb)
    late = row["days_late"]
    if pd.isna(row["planned_goal_on"]):
        return style.label("no_planned_date", lang)
    if pd.notna(late) and late > 0:
        text = style.label("days_late", lang, n=int(late))
        return text + _problem_note(row, lang)
    left = (row["planned_goal_on"] - when).days
    text = style.label("days_left", lang, n=left)
    return text + _problem_note(row, lang)


def _problem_note(row: pd.Series, lang: str) -> str:
    """``，重大问题`` when the flag comes from an open (major) problem."""
    reason = row.get("reason")
    if not isinstance(reason, str):
        return ""
    if "重大问题" in reason:
        return style.label("note_major", lang)
    if "问题" in reason:
        return style.label("note_open", lang)
    return ""


def _fit_rows(names: list[str], width_in: float, avail_in: float) -> tuple[float, list[str], int]:
    """Largest tick font size at which the wrapped names fit; how many rows fit."""
    for size in (FONT_SIZES["tick"], 10.0, 9.0, 8.0):
        wrapped = wrap_labels(names, width_in, size, max_lines=3)
        heights = np.array([(w.count("\n") + 1) * size * 1.3 + 6 for w in wrapped])
        fits = int(np.searchsorted(np.cumsum(heights), avail_in * 72, side="right"))
        if fits >= len(names):
            return size, wrapped, len(names)
    return 8.0, wrapped, max(fits, 1)


def project_timeline(
    camp: Campaign,
    *,
    county: str | None = None,
    projects: str | Sequence[str] | None = None,
    as_of: object = None,
    max_projects: int | None = None,
    lang: str = "zh",
    ax: Axes | None = None,
    size: str = "full",
) -> Figure:
    """Planned against actual milestones of projects, Gantt style.

    One row per project: filled markers are actual milestone dates, hollow ones planned
    dates (marker shape = milestone), a line joins the actual ones, and a thick bar in the
    flag colour runs from a missed planned goal date to ``as_of``. The status on the right
    says ``已动工`` / ``逾期45天`` / ``剩余9天``. Rows are ordered red, yellow, blue, then
    by days late. Dates more than two years before ``as_of`` are outside the axis.

    Parameters
    ----------
    camp, as_of, lang, ax, size
        As for :func:`completion_by_county`.
    county
        All list projects of this county.
    projects
        Project ids or names (takes precedence over ``county``).
        Neither: the city's red-flag projects.
    max_projects
        Show at most this many rows (default: as many as fit the slide); the subtitle says
        how many were left out.

    Returns
    -------
    matplotlib.figure.Figure
    """
    when = resolve(camp, as_of)
    table = _select(camp, when, county, projects)
    names = table["name"].astype("str").tolist()
    if projects is not None or county is None:
        many = table["county"].nunique() > 1
        if many:
            names = [
                style.label("name_county", lang, name=n, county=style.county_label(c, lang))
                for n, c in zip(names, table["county"], strict=True)
            ]
    with slide(lang=lang, size=size, ax=ax, as_of=when) as s:
        a = s.ax
        full = is_full(s.fig)
        avail = s.height - 2.7 if s.own else s.ax.get_position().height * s.height * 0.9
        label_in = 3.0 if full else 1.9
        tick, wrapped, fit = _fit_rows(names, label_in, max(avail, 1.0))
        shown = min(fit, max_projects or fit, len(table))
        rows = table.iloc[:shown]
        wrapped = wrapped[:shown]
        heights = np.array([(w.count("\n") + 1) * tick * 1.3 + 6 for w in wrapped])
        y = np.cumsum(heights) - heights / 2
        _timeline_rows(a, rows, y, when)
        if shown:
            a.set_yticks(y, wrapped)
            # a few rows keep at most 1.6 × their natural height, from the top
            a.set_ylim(max(float(heights.sum()), avail * 72 / 1.6), 0.0)
            for i, (_, row) in enumerate(rows.iterrows()):  # one status per shown row
                flag = row["flag"]
                side_note(
                    a,
                    1.0,
                    y[i],
                    _status(row, when, lang),
                    color=FLAG_COLORS.get(flag, MUTED) if flag != "yellow" else "#8a6d00",
                    size=min(tick, FONT_SIZES["annotation"]),
                    offset=6,
                    xycoords=_RIGHT,
                )
        else:
            a.set_yticks([])
            a.text(
                0.5,
                0.5,
                style.label("no_data", lang),
                transform=a.transAxes,
                ha="center",
                va="center",
                color=MUTED,
            )
        a.tick_params(axis="y", length=0, labelsize=tick)
        a.grid(axis="x", color=PALE, linewidth=0.7)
        _date_axis(a, rows, when, lang, s.width - label_in - 2.2 if s.own else 3.0)
        bottom_legend(s, _timeline_handles(lang))
        if county is not None and projects is None:
            where = style.county_label(county, lang)
        elif projects is None:
            where = style.label("red_projects_where", lang)
        else:
            where = ""
        title = (
            style.label("timeline_of", lang, where=where)
            if where
            else style.label("project_timeline", lang)
        )
        more = (
            style.label("more_projects", lang, n=len(table) - shown) if shown < len(table) else ""
        )
        decorate(s, title, as_of_text(s, more))
    return s.fig


def _timeline_rows(a: Axes, rows: pd.DataFrame, y: np.ndarray, when: pd.Timestamp) -> None:
    """Markers, actual lines and delay bars of the shown rows (vectorised per milestone)."""
    if rows.empty:
        return
    actual = rows[list(MILESTONES)]
    first = actual.min(axis=1).to_numpy(dtype="datetime64[ns]")
    last = actual.max(axis=1).to_numpy(dtype="datetime64[ns]")
    ok = ~np.isnat(first)
    a.hlines(y[ok], first[ok], last[ok], colors=INK, linewidth=1.4, zorder=2)
    late = (rows["days_late"].astype("Float64").fillna(0) > 0).to_numpy()
    if late.any():
        colors = [FLAG_COLORS.get(f, MUTED) for f in rows.loc[late, "flag"]]
        a.hlines(
            y[late],
            rows.loc[late, "planned_goal_on"].to_numpy(),
            np.datetime64(when, "ns"),
            colors=colors,
            linewidth=7,
            alpha=0.45,
            zorder=1,
        )
    for milestone, marker in _MARKERS.items():
        dates = rows[milestone].to_numpy(dtype="datetime64[ns]")
        has = ~np.isnat(dates)
        size = 80 if marker == "*" else 38
        a.scatter(dates[has], y[has], marker=marker, s=size, color=INK, zorder=4)
        planned = PLANNED.get(milestone)
        if planned:
            pdates = rows[planned].to_numpy(dtype="datetime64[ns]")
            has = ~np.isnat(pdates)
            goal = (rows["goal"] == milestone).to_numpy() & has
            edges = [
                FLAG_COLORS.get(f, MUTED) if g else MUTED
                for f, g in zip(rows["flag"], goal, strict=True)
            ]
            edges = [e for e, h in zip(edges, has, strict=True) if h]
            a.scatter(
                pdates[has],
                y[has],
                marker=marker,
                s=size + 10,
                facecolor="white",
                edgecolors=edges,
                linewidths=1.6,
                zorder=3,
            )
    a.axvline(np.datetime64(when, "ns"), color=INK, linestyle=":", linewidth=1.0, zorder=0)


def _date_axis(a: Axes, rows: pd.DataFrame, when: pd.Timestamp, lang: str, width_in: float) -> None:
    """Dates from the earliest shown (at most two years back) to the latest; about one tick
    per inch of ``width_in`` (the expected axes width), labelled ``2023年`` / ``7月``."""
    from matplotlib.dates import AutoDateLocator, date2num, num2date
    from matplotlib.ticker import FuncFormatter

    cols = [*MILESTONES, *PLANNED.values()]
    values = rows[cols].stack().dropna() if len(rows) else pd.Series(dtype="datetime64[ns]")
    lo = min([values.min(), when]) if len(values) else when - pd.Timedelta(days=180)
    hi = max([values.max(), when]) if len(values) else when + pd.Timedelta(days=30)
    lo = max(lo, when - pd.Timedelta(days=730))
    pad = max((hi - lo) * 0.03, pd.Timedelta(days=7))
    a.set_xlim(date2num(lo - pad), date2num(hi + pad))
    most = int(np.clip(width_in / 0.6, 3, 9))
    a.xaxis.set_major_locator(AutoDateLocator(minticks=2, maxticks=most))

    def label(x: float, _pos: int) -> str:
        d = num2date(x)
        if d.month == 1:
            return style.label("year_fmt", lang, y=d.year)
        return style.format_month(d, lang)

    a.xaxis.set_major_formatter(FuncFormatter(label))


def _timeline_handles(lang: str) -> list[Any]:
    from matplotlib.lines import Line2D

    handles: list[Any] = [
        Line2D(
            [],
            [],
            marker=m,
            color=INK,
            linestyle="none",
            markersize=8 if m == "*" else 6,
            label=style.stage_label(col, lang),
        )
        for col, m in _MARKERS.items()
    ]
    handles.append(
        Line2D(
            [],
            [],
            marker="o",
            markerfacecolor="white",
            markeredgecolor=MUTED,
            linestyle="none",
            markersize=6,
            label=style.label("hollow_planned", lang),
        )
    )
    handles.append(
        Line2D(
            [],
            [],
            color=FLAG_COLORS["red"],
            alpha=0.45,
            linewidth=7,
            label=style.label("overdue", lang),
        )
    )
    handles.append(
        Line2D(
            [], [], color=INK, linestyle=":", linewidth=1.0, label=style.label("as_of_line", lang)
        )
    )
    return handles
