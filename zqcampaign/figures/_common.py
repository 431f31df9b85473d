"""Helpers shared by the figure modules: ``as_of`` and ``by``, list membership, latest rows,
county order. Private to :mod:`zqcampaign.figures`; the one place that resolves ``as_of``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from zqcampaign.config import Config

#: Allowed values of ``by`` for completion-like figures.
BY_CHOICES: tuple[str, ...] = ("city", "county", "category", '["county", "category"]')

#: Rates within this distance of a threshold count as reaching it (floating-point slack).
TOLERANCE = 1e-9


# ---------------------------------------------------------------------------------------
# shared helpers


def resolve_as_of(as_of: object, projects: pd.DataFrame | None = None) -> pd.Timestamp:
    """A normalised Timestamp; ``None`` -> the latest report date in ``projects``.

    Parameters
    ----------
    as_of
        Date-like (``"2023-09-30"``, :class:`datetime.date`, Timestamp) or ``None``.
    projects
        Project table; its ``last_report_date`` gives the default date.

    Raises
    ------
    ValueError
        When ``as_of`` is ``None`` and no report date is available, or it is not a date.
    """
    if as_of is None:
        if projects is not None and "last_report_date" in projects and len(projects):
            latest = projects["last_report_date"].max()
            if pd.notna(latest):
                return pd.Timestamp(latest).normalize()
        raise ValueError("as_of is required: no report date in the data to default to")
    try:
        stamp = pd.Timestamp(as_of)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"as_of must be a date such as '2023-09-30', got {as_of!r}") from exc
    if pd.isna(stamp):
        raise ValueError(f"as_of must be a date such as '2023-09-30', got {as_of!r}")
    return stamp.normalize()


def parse_by(by: str | Sequence[str], allowed: Sequence[str] = BY_CHOICES) -> tuple[str, ...]:
    """Group keys for ``by``: ``()`` for the city, ``("county",)``, ``("category",)``, …

    Raises
    ------
    ValueError
        Naming the allowed choices when ``by`` is not one of them.
    """
    if isinstance(by, str):
        keys: tuple[str, ...] = () if by == "city" else (by,)
    elif isinstance(by, Sequence) and all(isinstance(k, str) for k in by):
        keys = tuple(k for k in ("county", "category") if k in by)
        if len(keys) != len(by) or len(set(by)) != len(by) or not keys:
            keys = ("?",)
    else:
        keys = ("?",)
    canonical = {(): "city", ("county",): "county", ("category",): "category"}
    label = canonical.get(keys, '["county", "category"]' if keys == ("county", "category") else "")
    if label not in allowed:
        raise ValueError(f"by must be one of {', '.join(allowed)}; got {by!r}")
    return keys


def county_order(config: Config, observed: pd.Series | None = None) -> list[str]:
    """Configured counties in configuration order, then any other county seen in the data."""
    names = list(config.county_names)
    if observed is not None:
        extra = sorted(set(observed.dropna().astype(str).unique()) - set(names))
        names += extra
    return names


def list_members(projects: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Boolean mask of the projects on the campaign list as of ``as_of``.

    On the list: ``in_scope`` and ``first_report_date <= as_of``. When ``as_of`` is before
    every first report date in the data, the list is that of the earliest report date
    (so a date before the campaign start still has a list, with nothing achieved).
    """
    in_scope = projects["in_scope"].astype("boolean").fillna(False).astype(bool)
    first = projects["first_report_date"]
    joined = (first <= as_of).fillna(False).astype(bool)
    if not joined.any() and first.notna().any():
        joined = (first == first.min()).fillna(False).astype(bool)
    return in_scope & joined


def latest_rows(
    snapshots: pd.DataFrame, as_of: pd.Timestamp, columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """Each project's latest snapshot row with ``report_date <= as_of`` (index reset).

    Rows come in report-date order (ties in table order). ``columns``: only these
    columns (faster on a large table).
    """
    dates = snapshots["report_date"]
    known = np.flatnonzero((dates <= as_of).fillna(False).to_numpy(dtype=bool))
    order = known[np.argsort(dates.to_numpy()[known], kind="stable")]
    ids = snapshots["project_id"].take(order)
    last = order[~ids.duplicated(keep="last").to_numpy()]
    table = snapshots if columns is None else snapshots[list(columns)]
    return table.take(last).reset_index(drop=True)


# ---------------------------------------------------------------------------------------
# 序时进度: one pace convention for completion, targets and investment


def _month_end(stamp: pd.Timestamp) -> pd.Timestamp:
    return (stamp + pd.offsets.MonthEnd(0)).normalize()


def months_elapsed(
    start: object, end: object, as_of: object, partial_month: str = "skip"
) -> tuple[int, int]:
    """Whole months of the period [``start``, ``end``] ended by ``as_of``, and its months.

    The period's months are the calendar months from ``start``'s to ``end``'s; a month is
    elapsed once ``as_of`` reaches its last day (or ``end``, for the last month). A first
    month the period covers only in part (``start`` not the 1st: the campaign's 21–31 July)
    is left out with ``partial_month="skip"`` (its days count towards nothing, the period
    is 8–12月 = 5 months) and counted as a whole month with ``"count"`` (7–12月 = 6).
    """
    start, end, as_of = (pd.Timestamp(x).normalize() for x in (start, end, as_of))
    first = start.to_period("M")
    if start.day != 1 and partial_month == "skip":
        first += 1
    last = end.to_period("M")
    total = max(int((last - first).n) + 1, 0)
    if as_of >= end:
        return total, total
    done = as_of.to_period("M") - (0 if as_of == _month_end(as_of) else 1)
    return int(np.clip((done - first).n + 1, 0, total)), total


def pace_value(
    points: Sequence[tuple[object, float]], start: object, as_of: object, config: Config
) -> float:
    """The value expected at ``as_of`` on the pace through (``start``, 0) and ``points``.

    ``points`` are (deadline, value) pairs. ``config.pace_shape``: ``"linear"`` — straight
    between the points; ``"stepped"`` — the value of the last deadline reached, 0 before
    the first (quarter-end steps). ``config.pace``: ``"days"`` — linear in days;
    ``"months"`` — linear in whole months elapsed (:func:`months_elapsed`). Flat after the
    last point, 0 before ``start``.
    """
    as_of = pd.Timestamp(as_of)  # (not normalised: the days pace is linear in time)
    start = pd.Timestamp(start).normalize()
    pts = sorted((pd.Timestamp(d).normalize(), float(v)) for d, v in points)
    if not pts:
        return float("nan")
    if config.pace_shape == "stepped":
        reached = [v for d, v in pts if d <= as_of]
        return reached[-1] if reached else 0.0
    if config.pace == "months":
        end = pts[-1][0]

        def at(d: pd.Timestamp) -> float:
            return float(months_elapsed(start, end, d, config.partial_month)[0])

        xs = [0.0] + [at(d) for d, _ in pts]
        x = at(as_of) if as_of >= start else -1.0
    else:
        xs = [float(start.value)] + [float(d.value) for d, _ in pts]
        x = float(as_of.value)
    ys = [0.0] + [v for _, v in pts]
    return float(np.interp(x, xs, ys, left=0.0, right=ys[-1]))
