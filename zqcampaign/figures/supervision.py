"""Supervision calendar (项目落地集中督导日), evaluation meetings and supervision-group lists.

Working days follow the official Chinese holiday calendar (package ``chinese-calendar``,
which knows the make-up working days 调休上班). Outside the years it covers, only weekends
count as days off and the ``reason`` says so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from zqcampaign.config import WEEKDAYS, Config
from zqcampaign.figures._common import resolve_as_of
from zqcampaign.figures.flags import FLAG_COLUMNS, FLAG_SEVERITY, project_flags

__all__ = [
    "EVALUATION_LABEL",
    "evaluation_meetings",
    "group_lists",
    "is_working_day",
    "supervision_days",
]

#: Label of the September / November meetings with ranking.
EVALUATION_LABEL = "调度推进会暨现场观摩会"

_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
_FALLBACK_NOTE = "节假日数据未覆盖{year}年，仅按周末判断"


def is_working_day(day: dt.date) -> tuple[bool, str | None]:
    """Whether ``day`` is a working day, and why not (Chinese) or a note on the fallback.

    Returns
    -------
    (bool, str or None)
        ``(True, None)`` on an ordinary working day; ``(False, "国庆节假期")`` on a public
        holiday, ``(False, "周末")`` on a weekend. When the official calendar does not
        cover the year (``chinese_calendar`` raises ``NotImplementedError``), weekdays are
        working days and the note says the holiday data is missing.
    """
    import chinese_calendar  # a declared dependency

    try:
        working = chinese_calendar.is_workday(day)
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        note = _FALLBACK_NOTE.format(year=day.year)
        if day.weekday() < 5:
            return True, note
        return False, f"周末（{note}）"
    if working:
        return True, None
    if on_holiday and name:
        return False, f"{_HOLIDAY_NAMES.get(name, name)}假期"
    return False, "周末"


def _nominal_day(year: int, month: int, weekday: int, week: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))


def _months(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _md(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def supervision_days(config: Config) -> pd.DataFrame:
    """The supervision day (督导日) of each campaign month.

    The configured weekday of the configured week of each month (by default the first
    Tuesday), rolled forward by ``config.supervision_roll`` when it is not a working day:
    ``next_working_weekday`` -> the same weekday of the following week(s) that is a
    working day; ``next_working_day`` -> the next working day (make-up working days
    count); ``none`` -> kept, with the reason noted.

    A month whose nominal day falls before the campaign start or after its end is left
    out: with the default 2023-07-21 start, July (first Tuesday 4 July) has no
    supervision day, so the calendar runs August to December 2023.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``month`` (1-12), ``nominal`` (the unrolled date), ``date`` (the
        supervision day), ``weekday`` (English name, e.g. ``"tuesday"``), ``rolled``
        (bool) and ``reason`` (Chinese; NA on an ordinary working day). E.g. 3 Oct 2023
        falls in the National Day holiday and rolls to 10 Oct 2023.
    """
    weekday = WEEKDAYS.index(config.supervision_weekday)
    step = {"next_working_weekday": 7, "next_working_day": 1, "none": 0}[config.supervision_roll]
    records: list[dict[str, Any]] = []
    for year, month in _months(config.start, config.end):  # one row per month
        nominal = _nominal_day(year, month, weekday, config.supervision_week)
        if not config.start <= nominal <= config.end:
            continue
        day = nominal
        working, why = is_working_day(day)
        reason = why
        if not working:
            if step:
                for _ in range(60):  # a holiday never lasts this long
                    day += dt.timedelta(days=step)
                    ok, note = is_working_day(day)
                    if ok:
                        break
                reason = f"{_md(nominal)}为{why}，顺延至{_md(day)}"
                if note:
                    reason += f"（{note}）"
            else:
                reason = f"{_md(nominal)}为{why}，按配置不顺延"
        records.append(
            {
                "year": year,
                "month": month,
                "nominal": pd.Timestamp(nominal),
                "date": pd.Timestamp(day),
                "weekday": WEEKDAYS[day.weekday()],
                "rolled": day != nominal,
                "reason": reason,
            }
        )
    columns = ["year", "month", "nominal", "date", "weekday", "rolled", "reason"]
    out = pd.DataFrame(records, columns=columns)
    for col in ("year", "month"):
        out[col] = out[col].astype("int64")
    for col in ("nominal", "date"):
        out[col] = out[col].astype("datetime64[ns]")
    out["rolled"] = out["rolled"].astype(bool)
    out["weekday"] = out["weekday"].astype("str")
    out["reason"] = out["reason"].astype("str")
    return out


def evaluation_meetings(config: Config) -> pd.DataFrame:
    """The scheduling meetings with on-site observation and ranking (默认 9 月、11 月).

    Each is held on the supervision day of its month (see :func:`supervision_days`).

    Returns
    -------
    pandas.DataFrame
        ``year``, ``month``, ``date`` and ``label`` (``调度推进会暨现场观摩会``).
    """
    days = supervision_days(config)
    out = days[days["month"].isin(config.evaluation_months)][["year", "month", "date"]]
    out = out.assign(label=pd.Series(EVALUATION_LABEL, index=out.index, dtype="str"))
    return out.reset_index(drop=True)


def group_lists(
    data: Any,
    day: object,
    *,
    config: Config | None = None,
    snapshots: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each supervision group's projects with their flags as of ``day``.

    Parameters
    ----------
    data
        A :class:`~zqcampaign.campaign.Campaign`, or a project table (then ``config`` is
        required and ``snapshots`` optional).
    day
        The supervision day (flags are computed as of this date).
    config, snapshots
        Used when ``data`` is a project table.

    Returns
    -------
    pandas.DataFrame
        ``group`` (NA for a county no group covers) followed by the columns of
        :func:`~zqcampaign.figures.flags.project_flags`; ordered by group as configured, then
        county, then red before yellow before blue.
    """
    if hasattr(data, "projects") and hasattr(data, "config"):
        config = data.config
        # the same figure through the campaign, which remembers it during a pack
        flags = data.project_flags(resolve_as_of(day, data.projects))
    else:
        if config is None:
            raise ValueError("group_lists needs config= when given a project table")
        flags = project_flags(data, config, as_of=day, snapshots=snapshots)
    groups = pd.DataFrame(
        [(g.name, c, i) for i, g in enumerate(config.supervision_groups) for c in g.counties],
        columns=["group", "county", "_g"],
    )
    out = flags.merge(groups, on="county", how="left")
    county_rank = {c: i for i, c in enumerate(config.county_names)}
    out = out.assign(
        _c=out["county"].map(county_rank),
        _s=-out["flag"].map(FLAG_SEVERITY),
    ).sort_values(["_g", "_c", "_s", "project_id"], kind="stable", na_position="last")
    out["group"] = out["group"].astype("str")
    return out[["group", *FLAG_COLUMNS]].reset_index(drop=True)
