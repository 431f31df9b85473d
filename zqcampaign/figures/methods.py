"""Campaign figures as methods: thin wrappers that pass stored data into plain functions.

Each method calls the plain function of the same name with ``self.projects``,
``self.snapshots``, ``self.config`` and ``self.resolve_as_of(as_of)``, so the numbers are
the same on every path. See the function for the meaning of each column.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from zqcampaign.figures import (
    activity,
    changes,
    comparison,
    completion,
    flags,
    forecast,
    investment,
    plans,
    problems,
    ranking,
    supervision,
    targets,
)

if TYPE_CHECKING:
    from zqcampaign.config import Config

__all__ = ["FiguresMixin"]

_F = TypeVar("_F", bound=Callable[..., Any])
_DATES = ("as_of", "day", "end")


def _remembered(method: _F) -> _F:
    """Inside :meth:`FiguresMixin.remembering`, compute once per (resolved) arguments and
    hand out copies; elsewhere, compute every time."""
    signature = inspect.signature(method)

    @functools.wraps(method)
    def wrapper(self: FiguresMixin, *args: Any, **kwargs: Any) -> Any:
        memo = self.__dict__.get("_remembered")
        if memo is None:
            return method(self, *args, **kwargs)
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        key: list[Any] = [method.__name__]
        for name, value in list(bound.arguments.items())[1:]:
            if name in _DATES:
                value = self.resolve_as_of(value)
            elif isinstance(value, list | tuple):
                value = tuple(value)
            key.append((name, value))
        try:
            hash(key := tuple(key))
        except TypeError:  # e.g. jury scores given as a DataFrame
            return method(self, *args, **kwargs)
        if key not in memo:
            memo[key] = method(self, *args, **kwargs)
        return memo[key].copy()

    return wrapper  # type: ignore[return-value]


class FiguresMixin:
    """Methods of :class:`~zqcampaign.campaign.Campaign` that compute figures."""

    projects: pd.DataFrame
    snapshots: pd.DataFrame
    config: Config

    def resolve_as_of(self, as_of: object = None) -> pd.Timestamp:
        """Provided by :class:`~zqcampaign.campaign.Campaign`."""
        raise NotImplementedError

    @contextlib.contextmanager
    def remembering(self) -> Iterator[None]:
        """Within the block, each figure computed with the same arguments is computed once
        (callers get copies): for outputs that ask for the same figures many times, such as
        the briefing pack. The data must not be changed inside the block."""
        if "_remembered" in self.__dict__:  # nested: the outer block keeps the memory
            yield
            return
        self.__dict__["_remembered"] = {}
        try:
            yield
        finally:
            del self.__dict__["_remembered"]

    # -- completion and flags --------------------------------------------------------------
    @_remembered
    def completion(self, as_of: object = None, by: str | Sequence[str] = "county") -> pd.DataFrame:
        """Completion rate per group (:func:`zqcampaign.figures.completion.completion`)."""

        return completion.completion(
            self.projects,
            self.config,
            as_of=self.resolve_as_of(as_of),
            by=by,
            snapshots=self.snapshots,
        )

    @_remembered
    def progress(
        self, as_of: object = None, by: str | Sequence[str] = "county", freq: str = "W"
    ) -> pd.DataFrame:
        """Rate and expected pace from the campaign start to ``as_of`` (:func:`~.completion.progress`)."""

        end = self.resolve_as_of(as_of)
        return completion.progress(self.projects, self.config, end=end, by=by, freq=freq)

    @_remembered
    def project_flags(self, as_of: object = None) -> pd.DataFrame:
        """Blue / yellow / red flag of every list project (:func:`zqcampaign.figures.flags.project_flags`)."""

        as_of = self.resolve_as_of(as_of)
        return flags.project_flags(
            self.projects, self.config, as_of=as_of, snapshots=self.snapshots
        )

    def postponements(self, as_of: object = None) -> pd.DataFrame:
        """Every postponement of a planned date (:func:`zqcampaign.figures.plans.postponements`)."""

        return plans.postponements(self.snapshots, as_of=self.resolve_as_of(as_of))

    @_remembered
    def targets_status(self, as_of: object = None) -> pd.DataFrame:
        """Every configured target: actual, met, flag (:func:`zqcampaign.figures.targets.targets_status`)."""

        as_of = self.resolve_as_of(as_of)
        return targets.targets_status(self.projects, self.snapshots, self.config, as_of=as_of)

    # -- investment and activity -------------------------------------------------------------
    @_remembered
    def investment(
        self, as_of: object = None, by: str | Sequence[str] = "county", scope: str = "all"
    ) -> pd.DataFrame:
        """YTD investment against the annual plan (:func:`zqcampaign.figures.investment.investment`)."""

        as_of = self.resolve_as_of(as_of)
        return investment.investment(
            self.projects, self.snapshots, self.config, as_of=as_of, by=by, scope=scope
        )

    def counts(
        self,
        start: object = None,
        end: object = None,
        by: str | Sequence[str] = "county",
        scope: str = "list",
    ) -> pd.DataFrame:
        """Milestones reached in ``[start, end]`` (:func:`zqcampaign.figures.activity.counts`).

        ``start=None``: campaign start; ``end=None``: latest report date.
        """

        end = self.resolve_as_of(end)
        return activity.counts(self.projects, self.config, start=start, end=end, by=by, scope=scope)

    @_remembered
    def stage_counts(self, as_of: object = None, county: str | None = None) -> pd.DataFrame:
        """List projects that reached each milestone (:func:`zqcampaign.figures.activity.stage_counts`)."""

        return activity.stage_counts(
            self.projects, self.config, as_of=self.resolve_as_of(as_of), county=county
        )

    def cycle_times(self, by: str | Sequence[str] = "county", scope: str = "all") -> pd.DataFrame:
        """Median / quartile days between milestones (:func:`zqcampaign.figures.activity.cycle_times`)."""

        return activity.cycle_times(self.projects, self.config, by=by, scope=scope)

    # -- problems, ranking, changes, forecast, comparison ------------------------------------
    @_remembered
    def problems(self, as_of: object = None) -> pd.DataFrame:
        """Every reported problem, open or closed (:func:`zqcampaign.figures.problems.problems`)."""

        return problems.problems(
            self.snapshots, as_of=self.resolve_as_of(as_of), config=self.config
        )

    def problem_lists(
        self, as_of: object = None, county: str | None = None
    ) -> dict[str, pd.DataFrame]:
        """新增问题 / 推进中 / 已销号 of the register (:func:`~.problems.problem_lists`)."""

        return problems.problem_lists(self.problems(as_of), county=county)

    def problem_summary(self, as_of: object = None) -> pd.DataFrame:
        """Open / closed problems per county (:func:`zqcampaign.figures.problems.problem_summary`)."""

        return problems.problem_summary(self.problems(as_of), self.config)

    @_remembered
    def ranking(
        self, as_of: object = None, *, explain: bool = False, jury: object = None
    ) -> pd.DataFrame:
        """Counties scored on the rubric and ranked (:func:`zqcampaign.figures.ranking.ranking`).

        ``explain=True``: each county's points component by component
        (:func:`zqcampaign.figures.ranking.explain`). ``jury``: the on-site jury scores — a
        spreadsheet path, a mapping county -> score or a (county, score) frame; default
        ``config.jury_scores``.
        """

        as_of = self.resolve_as_of(as_of)
        if explain:
            return ranking.explain(
                self.projects, self.snapshots, self.config, as_of=as_of, jury=jury
            )
        return ranking.ranking(self.projects, self.snapshots, self.config, as_of=as_of, jury=jury)

    @_remembered
    def changes(self, since: object = None, as_of: object = None) -> pd.DataFrame:
        """What changed since the previous report (:func:`zqcampaign.figures.changes.changes`)."""

        as_of = self.resolve_as_of(as_of)
        return changes.changes(self.projects, self.snapshots, self.config, since=since, as_of=as_of)

    def forecast(self, as_of: object = None) -> pd.DataFrame:
        """Projected rates at the coming deadlines (:func:`zqcampaign.figures.forecast.forecast`)."""

        return forecast.forecast(self.projects, self.config, as_of=self.resolve_as_of(as_of))

    def comparison(self, as_of: object = None) -> pd.DataFrame:
        """Benchmarks beside the city's investment rate (:func:`zqcampaign.figures.comparison.comparison`)."""

        as_of = self.resolve_as_of(as_of)
        return comparison.comparison(self.projects, self.snapshots, self.config, as_of=as_of)

    # -- calendar ------------------------------------------------------------------------------
    def supervision_days(self) -> pd.DataFrame:
        """Supervision day of each campaign month (:func:`zqcampaign.figures.supervision.supervision_days`)."""

        return supervision.supervision_days(self.config)

    def evaluation_meetings(self) -> pd.DataFrame:
        """The ranking meetings (:func:`zqcampaign.figures.supervision.evaluation_meetings`)."""

        return supervision.evaluation_meetings(self.config)

    @_remembered
    def group_lists(self, day: object = None) -> pd.DataFrame:
        """Each supervision group's projects and flags on ``day`` (default: latest report)."""

        return supervision.group_lists(self, self.resolve_as_of(day))
