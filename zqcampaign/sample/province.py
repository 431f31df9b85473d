"""Province scale (benchmarks): many cities, each county in one of the sample's house styles.

:func:`province_counties` invents unambiguous counties for the cities of the province,
:func:`province_truth` tells the sample's story in every one of them, :func:`write_province`
writes their ledgers (no planted problems) and :func:`province_config` the configuration
naming them. :func:`write_big_sheet` writes one very long ledger sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from zqcampaign.config import default_config
from zqcampaign.sample.layout import _Grid, _grid, _Tweaks
from zqcampaign.sample.plans import PLANS
from zqcampaign.sample.plants import _Plants
from zqcampaign.sample.styles import (
    _TITLE,
    _TRAD_CITY,
    _TRAD_TITLE,
    CITY_MONTH,
    STYLES,
    _city_file,
    _file_stem,
    _Style,
)
from zqcampaign.sample.truth import _county_projects, _keyed, _monthly
from zqcampaign.sample.writers import _WORKBOOKS, _month_folder, _write_ledger, _write_xlsx

#: Cities of the province besides 肇庆市 (whose own 11 divisions are kept as they are).
PROVINCE_CITIES: tuple[str, ...] = (
    "广州市",
    "深圳市",
    "珠海市",
    "汕头市",
    "佛山市",
    "韶关市",
    "河源市",
    "梅州市",
    "惠州市",
    "汕尾市",
    "东莞市",
    "中山市",
    "江门市",
    "阳江市",
    "湛江市",
    "茂名市",
    "清远市",
    "潮州市",
    "揭阳市",
    "云浮市",
)
_STEM_FIRST = "龙凤金银泰华顺福永丰乐康瑞嘉祥明宝盛荣昌隆吉平碧翠玉锦秀青丹紫松柏桂兰梓"
_STEM_SECOND = "山江河湖溪岭田洲塘坪林峰岗源川湾桥城岩滩坝浦沙泉谷"
_COUNTY_SUFFIX = "区区区区县县县县县县市市"


@dataclass(frozen=True)
class ProvinceCounty:
    """One generated county: name, its city, its alias and the sample county it mimics."""

    name: str
    city: str
    alias: str
    template: str  # sample county whose plan (list size, pace) and house style it takes
    northwest: bool


def province_counties(
    seed: int = 2023, *, cities: Sequence[str] = PROVINCE_CITIES, per_city: int = 12
) -> list[ProvinceCounty]:
    """Fictional counties of the province: ``per_city`` per city, unambiguous names.

    Each name is a two-character stem plus 区/县/市; the stem is its alias. A stem is taken
    only when no title, file name or unit line of any county would then name two counties.
    Zhaoqing's own divisions (default configuration) come first, unchanged.
    """
    from zqcampaign.parse.values import find_county
    from zqcampaign.text import normalize_text

    rng = np.random.default_rng([seed, 6])
    cfg = default_config()
    templates = list(PLANS)
    stems = [a + b for a in _STEM_FIRST for b in _STEM_SECOND]
    stems = [stems[i] for i in rng.permutation(len(stems))]
    aliases = cfg.alias_map()
    texts: list[str] = []  # every title, unit line and file name accepted so far
    out = [
        ProvinceCounty(d.name, cfg.city, d.aliases[0] if d.aliases else d.name, d.name, d.northwest)
        for d in cfg.divisions
    ]
    for d in cfg.divisions:
        texts += _county_texts(cfg.city, d.name, d.name)
    k = 0
    for city in cities:
        for j in range(per_city):
            template = templates[(len(out)) % len(templates)]
            while True:
                stem = stems[k]
                k += 1
                name = stem + _COUNTY_SUFFIX[j % len(_COUNTY_SUFFIX)]
                own = _county_texts(city, name, template)
                trial = {**aliases, normalize_text(name): name, normalize_text(stem): name}
                if any(stem in t or name in t for t in texts):
                    continue
                if all(find_county(t, trial) == name for t in own):
                    break
            aliases = trial
            texts += own
            out.append(ProvinceCounty(name, city, stem, template, template in cfg.northwest))
    return out


def _county_texts(city: str, county: str, template: str) -> list[str]:
    """Texts the loader searches for a county name: title, unit line, file and sheet names."""
    unit = county + STYLES[template].unit[len(template) :]
    return [
        _TITLE.format(city=city, county=county),
        _TRAD_TITLE.format(city=_TRAD_CITY.get(city, city), county=county),
        f"填报单位：{unit}    截至日期：2023年8月31日",
        _file_stem(county, 8),
        f"{county} {_TITLE.format(city=city, county=county)}",
    ]


def province_config(counties: Sequence[ProvinceCounty]) -> str:
    """``zqcampaign.toml`` text for the province: every county as a division.

    Targets and supervision groups stay the built-in (Zhaoqing) ones.
    """
    cfg = default_config()
    lines = [
        "# Province-scale benchmark configuration, written by zqcampaign.sample.write_province.",
        "",
        "[campaign]",
        'city = "广东省"',
        'name = "广东省制造业项目建设“大会战”（基准测试数据）"',
        "start = " + cfg.start.isoformat(),
        "end = " + cfg.end.isoformat(),
        "",
    ]
    own = {d.name: d for d in cfg.divisions}
    for c in counties:
        aliases = own[c.name].aliases if c.name in own else (c.alias,)
        quoted = ", ".join(f'"{a}"' for a in aliases)
        lines += ["[[divisions]]", f'name = "{c.name}"', f"aliases = [{quoted}]"]
        if c.northwest:
            lines.append("northwest = true")
        lines.append("")
    return "\n".join(lines)


def _province_style(c: ProvinceCounty) -> _Style:
    style = STYLES[c.template]
    if c.name == c.template:
        return style
    return replace(
        style,
        unit=c.name + style.unit[len(c.template) :],
        sheet=c.name if style.sheet == c.template else style.sheet,
        county_words=(c.name, c.alias) if style.county_words else (),
    )


def province_truth(
    seed: int = 2023,
    *,
    cities: Sequence[str] = PROVINCE_CITIES,
    per_city: int = 12,
    months: Sequence[int] = tuple(range(1, 13)),
) -> tuple[list[ProvinceCounty], pd.DataFrame]:
    """(counties, monthly truth) of the province: the sample's story in every county.

    Each county follows the plan of the sample county it mimics (list size, mix, pace);
    the July list is already listed from the first of ``months``.
    """
    counties = province_counties(seed, cities=cities, per_city=per_city)
    rng = np.random.default_rng([seed, 7])
    cfg = default_config()
    frames = []
    for i, c in enumerate(counties):
        plan = PLANS[c.template]
        if plan.id_prefix and c.name != c.template:
            plan = replace(plan, id_prefix=f"P{i:03d}")
        towns = None if c.name == c.template else ()
        threshold = cfg.northwest_key_project_min if c.northwest else cfg.key_project_min
        frames.append(_county_projects(rng, c.name, plan, threshold, towns))
    p = _keyed(pd.concat(frames, ignore_index=True))
    p["first_month"] = p["first_month"].where(p["first_month"] != 7, min(months))
    pace = {c.name: PLANS[c.template].pace for c in counties}
    return counties, _monthly(p, _Plants(), months, pace)


def write_province(
    out_dir: str | Path,
    *,
    seed: int = 2023,
    cities: Sequence[str] = PROVINCE_CITIES,
    per_city: int = 12,
    months: Sequence[int] = tuple(range(1, 13)),
) -> list[Path]:
    """Write a province-scale data set: one ledger per county per month, and its config.

    Zhaoqing's 11 divisions plus ``per_city`` fictional counties in each of ``cities``
    (default: 20 × 12, 251 counties, about 10,000 projects), each county in the house
    style of the sample county it mimics (.xlsx / .xls / GBK .csv, merged headers, section
    rows, the same spellings of dates and money). Files go to ``2023-MM/``; October comes
    as one workbook per city with a sheet per county. ``zqcampaign.toml`` names every
    county. No problems are planted. Deterministic for a seed.

    Returns
    -------
    list of pathlib.Path
        The ledger files, then ``zqcampaign.toml``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    counties, truth = province_truth(seed, cities=cities, per_city=per_city, months=months)
    rng = np.random.default_rng([seed, 8])
    written: list[Path] = []
    for month in months:
        folder = _month_folder(out, month)
        listed = truth[truth["month"] == month]
        by_county = dict(tuple(listed.groupby("county", sort=False)))
        city_sheets: dict[str, list[tuple[str, _Grid, _Style]]] = {}
        for c in counties:
            style = _province_style(c)
            rows = by_county.get(c.name, listed.iloc[:0])
            g = _grid(c.name, month, rows, style, rng, _Tweaks(), city=c.city)
            if month == CITY_MONTH:
                city_sheets.setdefault(c.city, []).append((c.name, g, style))
                continue
            path = folder / f"{_file_stem(c.name, month)}.{style.fmt}"
            _write_ledger(path, g, style)
            written.append(path)
        for city, sheets in city_sheets.items():
            path = folder / _city_file(city, month)
            _write_xlsx(path, sheets)
            written.append(path)
    config = out / "zqcampaign.toml"
    config.write_text(province_config(counties), encoding="utf-8")
    return [*written, config]


def write_big_sheet(
    path: str | Path, *, rows: int = 100_000, seed: int = 2023, county: str = "端州区"
) -> Path:
    """One ledger sheet with ``rows`` projects (December 2023), in ``county``'s house style.

    Mostly clean rows, as a county's own ledger: the sample's spellings of that county, no
    planted problems. For load benchmarks.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([seed, 9])
    cfg = default_config()
    plan = replace(PLANS[county], n=rows, added={}, boundary=None)
    p = _keyed(_county_projects(rng, county, plan, cfg.key_threshold(county)))
    truth = _monthly(p, _Plants(), (12,))
    style = STYLES[county]
    g = _grid(county, 12, truth, style, rng, _Tweaks())
    _WORKBOOKS[style.fmt](path, [(style.sheet, g, style)])  # a .csv style: KeyError
    return path
