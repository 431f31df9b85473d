"""督办函 / 提醒函: one per county with flagged projects and one per group, naming exactly
their red and yellow projects, in the GB/T 9704-2012 page layout, converting to PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

import zqcampaign as zq
from zqcampaign.config import load_config
from zqcampaign.output.letters import MARGINS_MM, SECTION_TITLES, write_letters

AS_OF = "2023-10-31"


@pytest.fixture(scope="module")
def letters(sample, tmp_path_factory):
    return write_letters(sample, tmp_path_factory.mktemp("letters"), as_of=AS_OF)


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def section(texts: list[str], key: str) -> list[str]:
    """The numbered lines under the heading of ``key``."""
    start = next(i for i, t in enumerate(texts) if SECTION_TITLES[key] in t and "、" in t[:3])
    out = []
    for t in texts[start + 1 :]:
        if re.match(r"^[一二三四五六七八九十]、", t):
            break
        out.append(t)
    return out


def names_in(lines: list[str]) -> set[str]:
    """Project names of numbered lines ``1. 【县】名称：原因…`` (【县】 in group letters)."""
    out = set()
    for line in lines:
        m = re.match(r"^\d+\. (【[^】]*】)?(.+?)：", line)
        if m:
            out.add(m.group(2))
    return out


def test_one_letter_per_county_with_flagged_projects_and_one_per_group(sample, letters):
    flags = sample.project_flags(AS_OF)
    flagged = flags[flags["flag"].isin(["red", "yellow"])]
    counties = [b.brief.name for b in letters if b.brief.kind == "county"]
    assert set(counties) == set(flagged["county"])
    assert len(counties) == len(set(counties))
    groups = [b.brief.name for b in letters if b.brief.kind == "group"]
    assert groups == [g.name for g in sample.config.supervision_groups]
    assert all(lt.path.exists() and lt.path.suffix == ".docx" for lt in letters)


def test_each_letter_names_exactly_its_red_and_yellow_projects(sample, letters):
    flags = sample.project_flags(AS_OF)
    for lt in letters:
        texts = paragraphs(lt.path)
        mine = flags[flags["county"].isin(lt.brief.counties)]
        for colour in ("red", "yellow"):
            expected = set(mine.loc[mine["flag"] == colour, "name"])
            assert names_in(section(texts, colour)) == expected, (lt.path.name, colour)
            heading = next(t for t in texts if SECTION_TITLES[colour] in t and "、" in t[:3])
            assert f"（{len(expected)}个）" in heading


def test_letter_has_number_addressee_reasons_units_reply_and_signature(sample, letters):
    lt = next(x for x in letters if x.brief.kind == "county" and len(x.brief.red))
    texts = paragraphs(lt.path)
    style = sample.config.letter_style
    assert texts[0] == style.office
    assert re.fullmatch(r"肇项战办〔2023〕\d+号", texts[1])
    assert f"{lt.brief.name}人民政府：" in texts or f"{lt.brief.name}管委会：" in texts
    red = lt.brief.red.iloc[0]
    line = next(t for t in section(texts, "red") if t.startswith(f"1. {red['name']}"))
    assert red["reason"] in line and f"责任单位：{red['responsible_unit']}" in line
    assert any("请于2023年11月5日前" in t for t in texts)  # 31 Oct + 5 days
    assert texts[-2:] == [style.office, "2023年10月31日"]
    assert lt.kind == "督办函"


def test_letters_are_reminders_without_red(sample, letters):
    for lt in letters:
        red = len(lt.brief.red) or (lt.brief.completion["flag"] == "red").any()
        assert lt.kind == ("督办函" if red else "提醒函")
        assert lt.kind in lt.path.name and paragraphs(lt.path)[3].endswith(lt.kind)


def test_overdue_problems_are_listed_with_deadline_and_level(sample, letters):
    lt = next(x for x in letters if x.brief.kind == "county" and len(x.brief.overdue))
    lines = section(paragraphs(lt.path), "overdue")
    first = lt.brief.overdue.iloc[0]
    assert len(lines) == len(lt.brief.overdue)
    assert first["problem"] in lines[0] and f"已超期 {first['days_overdue']} 天" in lines[0]
    assert f"{first['level']}督办" in lines[0]


def test_page_is_a4_with_the_gbt_9704_margins(letters):
    for lt in letters[:3]:
        s = docx.Document(str(lt.path)).sections[0]
        assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
        got = {
            "top": s.top_margin.mm,
            "bottom": s.bottom_margin.mm,
            "left": s.left_margin.mm,
            "right": s.right_margin.mm,
        }
        assert {k: round(v) for k, v in got.items()} == MARGINS_MM


def test_fonts_title_fallback_and_page_numbers(sample, letters):
    path = letters[0].path
    style = sample.config.letter_style
    with zipfile.ZipFile(path) as z:
        document = z.read("word/document.xml").decode()
        fonts = z.read("word/fontTable.xml").decode()
        footers = "".join(z.read(n).decode() for n in z.namelist() if "footer" in n)
    assert f'w:eastAsia="{style.title_font}"' in document
    assert f'w:eastAsia="{style.body_font}"' in document
    assert f'w:name="{style.title_font}"' in fonts and f'w:val="{style.title_fallback}"' in fonts
    assert 'w:sz w:val="32"' in document  # 三号 = 16 pt = 32 half-points
    assert footers.count(" PAGE ") == 2  # odd and even page footers
    assert "w:evenAndOddHeaders" in z_settings(path)


def z_settings(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/settings.xml").decode()


def test_number_pattern_and_office_are_configuration(sample, tmp_path):
    cfg = load_config(
        overrides={
            "letters": {"number_pattern": "肇战督〔{year}〕{month}-{number}号", "first_number": 7}
        }
    )
    camp = zq.Campaign(
        snapshots=sample.snapshots,
        projects=sample.projects,
        issues=sample.issues,
        config=cfg,
        summary=sample.summary,
    )
    (first, *_) = write_letters(camp, tmp_path, as_of=AS_OF, date="2023-11-02")
    assert first.number == "肇战督〔2023〕11-7号"
    assert first.path.name.startswith("07_")
    assert paragraphs(first.path)[-1] == "2023年11月2日"


def test_bad_number_pattern_is_refused_with_the_key_named():
    from zqcampaign.errors import ConfigError

    with pytest.raises(ConfigError, match="number_pattern"):
        load_config(overrides={"letters": {"number_pattern": "〔{yr}〕{number}号"}})


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_every_letter_converts_to_an_a4_pdf(letters, tmp_path):
    out = tmp_path / "pdf"
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo_profile",
         "--convert-to", "pdf", "--outdir", str(out), *(str(lt.path) for lt in letters)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdfs = sorted(out.glob("*.pdf"))
    assert [p.stem for p in pdfs] == sorted(lt.path.stem for lt in letters)
    if shutil.which("pdfinfo"):
        for pdf in pdfs:
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
            assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts", info), info
    if shutil.which("pdftotext"):
        lt = next(x for x in letters if len(x.brief.red))
        pdf = out / f"{lt.path.stem}.pdf"
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True
        ).stdout.replace("\n", "")
        assert lt.brief.red.iloc[0]["name"] in text
