"""briefing.pdf in the background: a conversion that fails, stops or is cancelled leaves
no PDF (whole or not at all) and no LibreOffice behind; the pack says why it has no PDF."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import time
from pathlib import Path

import pytest

import zqcampaign as zq
from zqcampaign.output import pdf as pdf_module
from zqcampaign.output.pdf import PdfConversion, PdfUnavailable

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
AS_OF = "2023-11-30"

# A stand-in for soffice: without --convert-to it waits (a LibreOffice started early),
# with it it writes half a PDF into --outdir and then behaves as FAKE_MODE says.
FAKE = """#!/bin/sh
out=""; file=""; convert=""
while [ $# -gt 0 ]; do
  case "$1" in
    --convert-to) convert=1; shift ;;
    --outdir) out="$2"; shift ;;
    -*) ;;
    *) file="$1" ;;
  esac
  shift
done
if [ -z "$convert" ]; then sleep 30; exit 0; fi
mkdir -p "$out"
name=$(basename "$file" .pptx)
printf '%%PDF-1.4 half' > "$out/$name.pdf"
echo "$$" > "$FAKE_PIDS/$(date +%s%N)"
case "$FAKE_MODE" in
  fail) echo "Error: source file could not be loaded" >&2; exit 1 ;;
  hang) sleep 30 ;;
  ok) printf '\\n%%%%EOF' >> "$out/$name.pdf"; exit 0 ;;
esac
"""


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch):
    script = tmp_path / "soffice"
    script.write_text(FAKE)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    pids = tmp_path / "pids"
    pids.mkdir()
    monkeypatch.setenv("ZQCAMPAIGN_SOFFICE", str(script))
    monkeypatch.setenv("FAKE_PIDS", str(pids))
    work = tmp_path / "tmp"
    work.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(work))  # where LibreOffice's folder goes

    def running() -> list[int]:
        alive = []
        for f in pids.iterdir():
            pid = int(f.read_text())
            try:
                os.kill(pid, 0)
                alive.append(pid)
            except ProcessLookupError:
                pass
        return alive

    return monkeypatch, work, running


def _deck(tmp_path: Path) -> Path:
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(b"PK not really a deck")
    return deck


@pytest.mark.parametrize("early", [False, True])
def test_a_failed_conversion_leaves_no_pdf_and_says_why(fake_soffice, tmp_path, early):
    mp, work, running = fake_soffice
    mp.setenv("FAKE_MODE", "fail")
    target = tmp_path / "briefing.pdf"
    job = PdfConversion.prepare() if early else None
    with pytest.raises(PdfUnavailable, match=r"转换失败.*could not be loaded"):
        if job is None:
            job = PdfConversion.start(_deck(tmp_path), target)
        else:
            job.convert(_deck(tmp_path), target)
        job.result()
    assert not target.exists()
    assert list(work.iterdir()) == [] and running() == []


def test_a_conversion_past_its_timeout_is_stopped_and_leaves_no_pdf(fake_soffice, tmp_path):
    mp, work, running = fake_soffice
    mp.setenv("FAKE_MODE", "hang")
    target = tmp_path / "briefing.pdf"
    with (
        PdfConversion.prepare(timeout=1) as job,
        pytest.raises(PdfUnavailable, match="超时"),
    ):
        job.convert(_deck(tmp_path), target).result()
    assert not target.exists()
    assert list(work.iterdir()) == [] and running() == []


def test_leaving_the_block_early_stops_libreoffice(fake_soffice, tmp_path):
    mp, work, running = fake_soffice
    mp.setenv("FAKE_MODE", "hang")
    with pytest.raises(KeyboardInterrupt), PdfConversion.prepare() as job:
        job.convert(_deck(tmp_path), tmp_path / "briefing.pdf")
        time.sleep(0.5)
        raise KeyboardInterrupt
    assert not (tmp_path / "briefing.pdf").exists()
    assert list(work.iterdir()) == [] and running() == []


def test_a_finished_conversion_moves_the_whole_pdf_into_place(fake_soffice, tmp_path):
    mp, work, _ = fake_soffice
    mp.setenv("FAKE_MODE", "ok")
    target = tmp_path / "briefing.pdf"
    assert pdf_module.pptx_to_pdf(_deck(tmp_path), target) == target
    assert target.read_bytes() == b"%PDF-1.4 half\n%%EOF"
    assert list(work.iterdir()) == []


def test_without_libreoffice_the_pack_has_no_pdf_and_a_warning(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_module, "find_soffice", lambda: None)
    pack = zq.load(SAMPLE).report(tmp_path / "briefing", as_of=AS_OF, workers=2)
    assert not (pack.folder / "briefing.pdf").exists()
    assert (pack.folder / "briefing.pptx").is_file()
    assert any("未找到 LibreOffice" in w for w in pack.warnings)


def test_a_failed_libreoffice_gives_the_pack_without_a_half_written_pdf(fake_soffice, tmp_path):
    mp, work, running = fake_soffice
    mp.setenv("FAKE_MODE", "fail")
    pack = zq.load(SAMPLE).report(tmp_path / "briefing", as_of=AS_OF, workers=2)
    assert not (pack.folder / "briefing.pdf").exists()
    assert all(p.name != "briefing.pdf" for p in pack.files)
    assert any("LibreOffice 转换失败" in w for w in pack.warnings)
    assert (pack.folder / "report.xlsx").is_file() and len(list((pack.folder / "phone").iterdir()))
    assert list(work.iterdir()) == [] and running() == []


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
    reason="LibreOffice and poppler-utils needed",
)
def test_libreoffice_started_early_converts_the_deck_into_a_pdf_that_opens(tmp_path):
    from zqcampaign.output.tables import briefing_tables

    camp = zq.load(SAMPLE)
    tables = briefing_tables(camp, camp.resolve_as_of(AS_OF))
    from zqcampaign.output.deck import write_deck

    deck = tmp_path / "briefing.pptx"
    with PdfConversion.prepare() as job:
        write_deck(deck, tables, [], camp.config)
        job.convert(deck, tmp_path / "briefing.pdf")
        made = job.result()
    info = subprocess.run(["pdfinfo", str(made)], capture_output=True, text=True, check=True)
    pages = int(next(ln for ln in info.stdout.splitlines() if ln.startswith("Pages:")).split()[1])
    assert pages == len(write_deck(tmp_path / "again.pptx", tables, [], camp.config).titles)
