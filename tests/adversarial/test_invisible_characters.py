"""Names that differ only by invisible format characters (issue #14): U+200B, U+FEFF, U+2060,
U+202E and the other Unicode Cf characters are dropped from the identity keys, so a project
stays one project across months, and each such name is a warning naming the characters."""

from __future__ import annotations

import builders as b
import pytest

import zqcampaign as zq
from zqcampaign.text import INVISIBLE, normalize_label, printable


def _month(month: int, names: list[str]) -> list[list]:
    return [
        ["肇庆市制造业项目建设“大会战”项目清单（四会市）"],
        [f"截至日期：2023年{month}月{30 if month in (9, 11) else 31}日"],
        list(b.HEADER),
        *[[i + 1, n, 12000, "2023-06-15"] for i, n in enumerate(names)],
    ]


@pytest.mark.parametrize("char", ["\u200b", "\ufeff", "\u2060", "\u202e", "\u00ad"])
def test_an_invisible_character_does_not_split_a_project(tmp_path, char):
    b.make_xlsx(
        tmp_path / "四会市_7月.xlsx", {"7月": _month(7, ["肇庆鑫达五金项目", "四会电子项目"])}
    )
    spoofed = "肇庆鑫达" + char + "五金项目"
    b.make_xlsx(tmp_path / "四会市_8月.xlsx", {"8月": _month(8, [spoofed, "四会电子项目"])})
    camp = zq.load(tmp_path, workers=1)
    assert len(camp.projects) == 2
    assert camp.projects["project_id"].nunique() == 2
    assert not (camp.issues["code"] == "missing_from_snapshot").any()
    warn = camp.issues[camp.issues["code"] == "invisible_characters"]
    assert warn["file"].tolist() == ["四会市_8月.xlsx"]
    assert warn["severity"].tolist() == ["warning"]
    assert f"U+{ord(char):04X}" in warn["message"].iat[0]
    assert "肇庆鑫达五金项目" in warn["message"].iat[0]


def test_every_unicode_format_character_is_invisible_to_the_keys():
    import unicodedata

    cf = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
    assert all(INVISIBLE.fullmatch(c) for c in cf)
    assert normalize_label("肇庆" + "".join(cf) + "项目") == "肇庆项目"


def test_printable_escapes_terminal_and_bidi_controls_and_keeps_chinese():
    assert printable("台账\x1b]0;hacked\x07.xlsx") == "台账\\u001b]0;hacked\\u0007.xlsx"
    assert printable("abc\u202egpj.xlsx") == "abc\\u202egpj.xlsx"
    assert printable("肇庆\t四会\n") == "肇庆\t四会\n"


def test_validate_never_prints_terminal_escapes_from_file_names(tmp_path, capsys):
    from zqcampaign.cli import main

    b.make_xlsx(tmp_path / "四会市.xlsx")
    (tmp_path / "坏\x1b[2J\x1b]0;pwned\x07\u202e.xlsx").write_bytes(b"")  # empty: an error issue
    main(["validate", str(tmp_path), "--quiet"])
    out = capsys.readouterr()
    printed = out.out + out.err
    assert "坏" in printed and "\\u001b[2J" in printed
    assert "\x1b" not in printed and "\x07" not in printed and "\u202e" not in printed
