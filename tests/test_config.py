"""Configuration: the built-in Zhaoqing campaign, overrides from a folder, named errors."""

import datetime as dt
import re

import pytest

from zqcampaign.config import CONFIG_FILENAME, default_config, load_config
from zqcampaign.errors import ConfigError


def test_builtin_config_is_the_zhaoqing_2023_campaign():
    cfg = default_config()
    assert len(cfg.divisions) == 11
    assert cfg.start == dt.date(2023, 7, 21) and cfg.end == dt.date(2023, 12, 31)
    assert cfg.northwest == {"广宁县", "怀集县", "封开县", "德庆县", "粤桂合作特别试验区（肇庆）"}
    assert cfg.key_threshold("四会市") == 10000 and cfg.key_threshold("怀集县") == 5000
    assert len(cfg.supervision_groups) == 10
    covered = {c for g in cfg.supervision_groups for c in g.counties}
    assert covered == set(cfg.county_names)


def test_sihui_completion_targets_include_september_and_year_end():
    cfg = default_config()
    assert cfg.completion_targets("四会市") == [
        (dt.date(2023, 9, 30), 0.75),
        (dt.date(2023, 12, 31), 1.0),
    ]
    assert cfg.completion_targets("端州区") == [(dt.date(2023, 12, 31), 1.0)]


def test_huaiji_pledges_are_configured():
    cfg = default_config()
    huaiji = {t.metric: t.target for t in cfg.targets if t.scope == ("怀集县",)}
    assert huaiji == {"started": 20, "completed": 20, "actual_investment": 250000}
    assert any(t.scope == ("鼎湖区", "肇庆新区") and t.target == 85 for t in cfg.targets)


def test_folder_config_overrides_one_key_and_keeps_the_rest(tmp_path):
    (tmp_path / CONFIG_FILENAME).write_text("[flags]\nred_days_late = 45\n", encoding="utf-8")
    cfg = load_config(tmp_path)
    assert cfg.red_days_late == 45
    assert cfg.yellow_gap == 0.10 and len(cfg.divisions) == 11


def test_another_city_is_a_config_file(tmp_path):
    (tmp_path / CONFIG_FILENAME).write_text(
        """
targets = []

[campaign]
city = "云浮市"
name = "云浮市项目建设大会战"
start = 2024-03-01
end = 2024-12-31

[[divisions]]
name = "云城区"
aliases = ["云城"]

[[divisions]]
name = "罗定市"

[supervision]
groups = []
""",
        encoding="utf-8",
    )
    cfg = load_config(tmp_path)
    assert cfg.city == "云浮市" and cfg.county_names == ("云城区", "罗定市")
    assert cfg.alias_map()["云城"] == "云城区"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[flags]\nred_days_lat = 45\n", "flags.red_days_lat"),
        ('[flags]\nred_days_late = "30"\n', "flags.red_days_late"),
        ("[flags]\nyellow_gap = 10\n", "flags.yellow_gap"),
        ("[campaign]\nend = 2023-01-01\n", "campaign.end"),
        ('[supervision]\nroll = "sometimes"\n', "supervision.roll"),
        (
            '[[targets]]\nscope=["四会"]\nmetric="completion_rate"\ntarget=0.5\ndeadline=2023-09-30\n',
            "targets[0].scope",
        ),
        (
            '[[targets]]\nscope=["四会市"]\nmetric="speed"\ntarget=0.5\ndeadline=2023-09-30\n',
            "targets[0].metric",
        ),
        ("colour = 1\n", "colour"),
    ],
)
def test_a_wrong_key_is_named_in_the_error(tmp_path, text, key):
    path = tmp_path / CONFIG_FILENAME
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.key == key
    assert key in str(info.value) and CONFIG_FILENAME in str(info.value)


def test_invalid_toml_is_a_config_error(tmp_path):
    path = tmp_path / CONFIG_FILENAME
    path.write_text("[flags\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="TOML"):
        load_config(path)


def test_overrides_mapping_wins_over_the_file(tmp_path):
    (tmp_path / CONFIG_FILENAME).write_text("[flags]\nred_days_late = 45\n", encoding="utf-8")
    cfg = load_config(tmp_path, {"flags": {"red_days_late": 60}})
    assert cfg.red_days_late == 60


# -- [problems] and [letters] ---------------------------------------------------------------


def test_problem_rules_defaults_and_overrides():
    from zqcampaign.config import ProblemRules

    assert default_config().problem_rules == ProblemRules()
    cfg = load_config(
        overrides={
            "problems": {
                "deadline_days": 20,
                "major_level": "挂牌",
                "escalation": [{"months_overdue": 3, "level": "挂牌"}],
                "coordination": {"挂牌": "市长挂牌督办"},
            }
        }
    )
    rules = cfg.problem_rules
    assert (rules.deadline_days, rules.major_deadline_days, rules.major_level) == (20, 15, "挂牌")
    assert rules.escalation == ((3, "挂牌"),)
    assert rules.coordination["挂牌"] == "市长挂牌督办" and rules.coordination["普通"] == "县级协调"


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"problems": {"deadline_days": -1}}, "problems.deadline_days"),
        ({"problems": {"major_level": "重点"}}, "problems.major_level"),
        (
            {"problems": {"escalation": [{"months_overdue": 2, "level": "省级"}]}},
            "problems.escalation[0].level",
        ),
        ({"problems": {"coordination": {"普通": ""}}}, "problems.coordination.普通"),
        ({"problems": {"deadline": 30}}, "problems.deadline"),
        ({"letters": {"reply_days": 0}}, "letters.reply_days"),
        ({"letters": {"title_font": 3}}, "letters.title_font"),
        ({"letters": {"signature": "x"}}, "letters.signature"),
    ],
)
def test_bad_problem_and_letter_keys_are_named(overrides, key):
    with pytest.raises(ConfigError, match=re.escape(key)):
        load_config(overrides=overrides)


def test_letter_style_from_config():
    style = load_config(
        overrides={"letters": {"office": "某市大会战办", "title_fallback": "宋体"}}
    ).letter_style
    assert (style.office, style.title_fallback, style.title_font) == (
        "某市大会战办",
        "宋体",
        "方正小标宋简体",
    )
