"""The briefing deck (briefing.pptx, 16:9) for the monthly supervision day.

One as-of date for every figure and flag on every slide; the supervision day appears only
as the date of the visits and in the one column labelled ``按督导日12月5日计``. Slides, in
order: title (supervision day, as-of date, issuing office, warnings); agenda; key
messages; changes since last month; ledger data quality; one slide per chart; each
county's red and yellow projects; the targets; each supervision group's red and yellow
projects (county, then flag, then days late). Every table continues on ``（续）`` slides
when its measured rows do not fit (:mod:`zqcampaign.output.slides`), so nothing is dropped.
Words come from :mod:`zqcampaign.labels`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from zqcampaign import labels
from zqcampaign.labels import FLAG_COLORS, text
from zqcampaign.output.slides import BODY_BOTTOM, MARGIN, SLIDE_W, Deck
from zqcampaign.output.tables import describe_code

if TYPE_CHECKING:
    from zqcampaign.config import Config
    from zqcampaign.output.tables import BriefingTables

__all__ = ["DeckResult", "chart_title", "write_deck"]

_TEXT_ON = {"blue": "#FFFFFF", "yellow": "#1F1F1F", "red": "#FFFFFF"}
_BODY_W = SLIDE_W - 2 * MARGIN


def _pct(value: Any, digits: int = 1) -> str:
    return "—" if value is None or pd.isna(value) else f"{value * 100:.{digits}f}%"


def _points(value: Any) -> str:
    return "—" if value is None or pd.isna(value) else f"{value * 100:+.1f}".replace("-", "−")


def _yi(value: Any) -> str:
    return "—" if value is None or pd.isna(value) else f"{value / 10000:,.2f}"


def _int(value: Any) -> str:
    return "" if value is None or pd.isna(value) else f"{int(value)}"


def _fill(flag: Any) -> tuple[str, str] | None:
    return (FLAG_COLORS[flag], _TEXT_ON[flag]) if flag in FLAG_COLORS else None


def chart_title(name: str, lang: str) -> str:
    """The slide title of a chart: the words the chart itself would use as its title."""
    if name == "stage_funnel":
        return text(name, lang, where=text("city", lang))
    if name == "project_timeline":
        return text("timeline_of", lang, where=text("red_projects_where", lang))
    return text(name, lang)


class DeckResult:
    """What :func:`write_deck` made: slide titles and every shape's measured rectangle."""

    def __init__(self, deck: Deck):
        self.titles = list(deck.titles)
        self.placed = list(deck.placed)


def _names(frame: pd.DataFrame, flag: str, lang: str) -> str:
    names = [labels.county_label(c, lang) for c in frame.loc[frame["flag"] == flag, "county"]]
    return text("list_sep", lang).join(names)


def _key_messages(tables: BriefingTables, config: Config, lang: str) -> list[str]:
    city, summary = tables.city, tables.summary
    lines = [
        text("key_rate", lang, total=city["total"], achieved=city["achieved"],
             rate=_pct(city["rate"]), expected=_pct(city["expected"]), gap=_points(city["gap"])),
    ]  # fmt: skip
    red, yellow = _names(summary, "red", lang), _names(summary, "yellow", lang)
    if red:
        lines.append(text("key_counties_red", lang, names=red))
    if yellow:
        lines.append(text("key_counties_yellow", lang, names=yellow))
    if not red and not yellow:
        lines.append(text("key_counties_none", lang))
    lines.append(text("key_projects", lang, red=city["red"], yellow=city["yellow"], blue=city["blue"]))  # fmt: skip
    prev = tables.previous
    if prev is None:
        lines.append(text("key_no_changes", lang))
    else:
        changes = tables.changes
        lines.append(
            text("key_changes", lang, prev=labels.format_date(prev["date"], lang),
                 delta=_points(city["rate"] - prev["rate"]),
                 done=int((changes["kind"] == "reached_goal").sum()) if "kind" in changes else 0,
                 new_red=int((changes["kind"] == "turned_red").sum()) if "kind" in changes else 0)
        )  # fmt: skip
    fc = tables.forecast
    if fc is not None:
        lines.append(
            text("key_forecast", lang, deadline=labels.format_date(fc["deadline"], lang),
                 rate=_pct(fc["projected_rate"], 0), target=_pct(fc["target"], 0))
        )  # fmt: skip
    plan = city["annual_plan"]
    lines.append(
        text("key_investment", lang, plan=_yi(plan), ytd=_yi(city["ytd_actual"]),
             rate=_pct(city["ytd_actual"] / plan if plan else None), elapsed=_pct(city["elapsed"]))
    )  # fmt: skip
    q = tables.quality
    lines.append(
        text("key_quality", lang, errors=int(q["error"].sum()), warnings=int(q["warning"].sum()),
             counties=int(((q["error"] + q["warning"]) > 0).sum()))
    )  # fmt: skip
    return lines


def write_deck(
    path: Path,
    tables: BriefingTables,
    charts: Sequence[tuple[str, Path]],
    config: Config,
    *,
    lang: str = "zh",
    warnings: Sequence[str] = (),
    charts_ready: Callable[[], object] | None = None,
) -> DeckResult:
    """Write the deck to ``path``; return its slide titles and measured shapes.

    ``charts``: (chart name, PNG drawn at the ``"body"`` size) in slide order.
    ``warnings``: lines shown in red on the title slide (missing baseline, sample data …).
    ``charts_ready``: called when every slide is laid out, before the PNGs are read: the
    charts may still be being drawn until it returns (the pack waits for them there).
    """
    labels.check_lang(lang)
    as_of_text = labels.format_date(tables.as_of, lang)
    deck = Deck(
        footer=text("deck_footer", lang, source=_source(config, lang), as_of=text("as_of", lang, date=as_of_text)),
        cont=text("cont", lang),
    )  # fmt: skip
    day = tables.supervision_day
    day_text = labels.format_date(day, lang) if day is not None else text("deck_no_day", lang)

    # title
    slide = deck.blank(config.campaign_name)
    top = 2.2
    top += deck.text(slide, config.campaign_name, 0.8, top, SLIDE_W - 1.6, 36, bold=True, role="body") + 0.2  # fmt: skip
    top += deck.text(slide, text("deck_subtitle", lang), 0.8, top, SLIDE_W - 1.6, 24) + 0.3
    details = [text("deck_day", lang, date=day_text), text("deck_as_of", lang, date=as_of_text), config.office]  # fmt: skip
    top += deck.text(slide, details, 0.8, top, SLIDE_W - 1.6, 18, gap=4) + 0.2
    if warnings:
        deck.text(slide, list(warnings), 0.8, top, SLIDE_W - 1.6, 14, rgb=FLAG_COLORS["red"], bold=True)  # fmt: skip

    # agenda
    slide, top = deck.slide(text("agenda", lang))
    keys = ["agenda_key", "agenda_changes", "agenda_quality", "agenda_figures", "agenda_projects", "agenda_targets", "agenda_groups"]  # fmt: skip
    if tables.problem_lists:  # the register slide (below) is shown
        keys.insert(6, "agenda_register")
    else:  # without the register slide the groups are item 7
        keys[-1] = "agenda_groups_7"
    items = [text(k, lang) for k in keys]
    deck.text(slide, items, 1.0, top + 0.2, _BODY_W - 1.0, 22, gap=10)

    # key messages
    slide, top = deck.slide(text("key_messages", lang), text("as_of", lang, date=as_of_text))
    lines = [f"■ {line}" for line in _key_messages(tables, config, lang)]
    deck.text(slide, lines, MARGIN + 0.2, top + 0.1, _BODY_W - 0.4, 18, gap=8)

    # changes since last month, by county
    sub = text("as_of", lang, date=as_of_text)
    if tables.previous is None:
        slide, top = deck.slide(text("changes_title", lang), sub)
        deck.text(slide, text("changes_none", lang), MARGIN, top, _BODY_W, 18)
    else:
        ch = tables.county_changes
        cols = ["county", "rate_previous", "rate", "delta", "flag_previous", "flag", "reached_goal", "turned_red", "new_overdue"]  # fmt: skip
        header = [labels.header(c, lang) for c in cols]
        rows = [
            [labels.county_label(r.county, lang), _pct(r.rate_previous), _pct(r.rate), _points(r.delta),
             labels.flag_name(r.flag_previous, lang), labels.flag_name(r.flag, lang),
             _int(r.reached_goal), _int(r.turned_red), _int(r.new_overdue)]
            for r in ch.itertuples()
        ]  # fmt: skip
        deck.table(text("changes_title", lang), sub, header, rows,
                   [2.3, 1.3, 1.3, 1.3, 1.1, 1.1, 1.3, 1.3, 1.3], size=13,
                   fills=[_fill(f) for f in ch["flag"]], fill_col=5)  # fmt: skip

    # data quality, by county
    q = tables.quality
    cols = ["county", "latest", "on_time", "error", "warning", "info", "main_problem"]
    rows = [
        [labels.county_label(r.county, lang), labels.format_date(r.latest, lang) if pd.notna(r.latest) else "—",
         labels.value_label("bool", bool(r.on_time), lang), _int(r.error), _int(r.warning), _int(r.info),
         describe_code(r.main_problem, lang)[0] if r.main_problem else ""]
        for r in q.itertuples()
    ]  # fmt: skip
    deck.table(text("quality_title", lang), sub, [labels.header(c, lang) for c in cols], rows,
               [2.2, 1.9, 1.1, 0.9, 0.9, 0.9, 4.43], size=12)  # fmt: skip

    # charts, drawn at the size they are placed; the pictures go in once every slide is laid
    # out (each is its slide's last shape before the footer, as if placed right away)
    pictures = []
    for name, png in charts:
        slide, top = deck.slide(chart_title(name, lang))
        pictures.append((slide, top, png, deck.index, len(deck.placed)))

    # each county's red and yellow projects
    flagged = tables.flagged
    widths = [4.0, 1.5, 0.7, 0.9, 3.23, 2.0]
    cols = ["name", "category", "flag", "days_late", "reason", "responsible_unit"]
    header = [labels.header(c, lang) for c in cols]
    for county in tables.counties:
        part = flagged[flagged["county"] == county]
        if part.empty:
            continue
        counts = part["flag"].value_counts()
        title = text("county_projects", lang, county=labels.county_label(county, lang))
        subtitle = text("county_projects_line", lang, red=counts.get("red", 0), yellow=counts.get("yellow", 0), as_of=as_of_text)  # fmt: skip
        deck.table(title, subtitle, header, _project_rows(part, cols, lang), widths,
                   fills=[_fill(f) for f in part["flag"]], fill_col=2)  # fmt: skip

    # targets
    targ = tables.targets
    rows = [
        [r.label or labels.value_label("metric", r.metric, lang), labels.format_date(r.deadline, lang),
         _fmt_target(r.metric, r.target, lang), _fmt_target(r.metric, r.actual, lang),
         labels.flag_name(r.flag, lang)]
        for r in targ.itertuples()
    ]  # fmt: skip
    deck.table(text("targets_title", lang), sub,
               [labels.header(c, lang) for c in ("label", "deadline", "target", "actual", "flag")],
               rows, [5.9, 2.2, 1.6, 1.6, 1.03], size=13,
               fills=[_fill(f) for f in targ["flag"]], fill_col=4)  # fmt: skip

    # the problem register (销号): new, in progress (of which overdue), closed, per county
    if tables.problem_lists:
        from zqcampaign.output.tables import register_counts

        counts = register_counts(tables.problem_lists, tables.counties)
        rcols = ["新增问题", "推进中", "其中超期", "已销号"]
        counts = counts[counts[rcols].sum(axis=1) > 0]
        rows = [[labels.county_label(r[0], lang), *map(str, r[1:])] for r in counts[["county", *rcols]].itertuples(index=False)]  # fmt: skip
        deck.table(text("register_title", lang), sub,
                   [labels.header(c, lang) for c in ("county", "register_new", "register_open", "register_overdue", "register_closed")],
                   rows, [3.4, 2.2, 2.2, 2.2, 2.33], size=14, empty=text("none_rows", lang))  # fmt: skip

    # supervision groups: flags as of the pack's date, the visit on the supervision day
    if day is None:
        slide, top = deck.slide(text("deck_no_day", lang))
    else:
        sup = tables.supervision
        gcols = ["county", "name", "flag", "days_late", "days_late_projected", "reason", "responsible_unit"]  # fmt: skip
        gheader = [labels.header(c, lang) for c in gcols]
        gheader[4] = text("days_late_projected", lang, date=labels.format_short_date(day, lang))
        for group in config.supervision_groups:
            part = sup[sup["group"] == group.name]
            focus = part[part["flag"].isin(["red", "yellow"])]
            counts = part["flag"].value_counts()
            title = text("group_title", lang, group=group.name,
                         counties=text("list_sep", lang).join(labels.county_label(c, lang) for c in group.counties))  # fmt: skip
            subtitle = text("group_line", lang, date=day_text, n=len(part), red=counts.get("red", 0),
                            yellow=counts.get("yellow", 0), blue=counts.get("blue", 0), as_of=as_of_text)  # fmt: skip
            deck.table(title, subtitle, gheader, _project_rows(focus, gcols, lang),
                       [1.3, 3.3, 0.7, 0.9, 1.3, 2.83, 2.0],
                       fills=[_fill(f) for f in focus["flag"]], fill_col=2, empty=text("none_rows", lang))  # fmt: skip
    if charts_ready is not None:
        charts_ready()
    from PIL import Image

    for k, (slide, top, png, index, at) in enumerate(pictures):
        height = BODY_BOTTOM - top
        with Image.open(png) as im:
            w, h = im.size
        scale = min(_BODY_W / w, height / h)
        deck.picture(slide, str(png), MARGIN + (_BODY_W - w * scale) / 2, top, w * scale, h * scale,
                     index=index, at=at + k)  # fmt: skip
    deck.finish()
    deck.save(path)
    return DeckResult(deck)


def _project_rows(frame: pd.DataFrame, cols: Sequence[str], lang: str) -> list[list[str]]:
    rows = []
    for r in frame.to_dict("records"):
        row = []
        for c in cols:
            v = r.get(c)
            if c == "flag":
                row.append(labels.flag_name(v, lang))
            elif c == "county":
                row.append(labels.county_label(v, lang))
            elif c == "category":
                row.append(labels.category_label(v, lang))
            elif c in ("days_late", "days_late_projected"):
                row.append(_int(v) if pd.notna(v) and v > 0 else "")
            else:
                row.append("" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v))
        rows.append(row)
    return rows


def _source(config: Config, lang: str) -> str:
    return config.source_line if lang == labels.CONFIG_LANG else text("source", lang)


def _fmt_target(metric: str, value: float, lang: str) -> str:
    if value is None or pd.isna(value):
        return "—"
    if metric == "completion_rate":
        return _pct(value)
    if metric == "actual_investment":
        return f"{value / labels.MONEY_UNIT[lang]:.2f}{text('money_unit', lang)}"
    return f"{value:g}"
