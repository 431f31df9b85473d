"""briefing.pdf: the deck converted by LibreOffice with the bundled Chinese font.

LibreOffice finds fonts through fontconfig. The conversion runs with a private fontconfig
file that keeps the machine's fonts (or whatever ``FONTCONFIG_FILE`` already names), adds
the folder of the bundled Noto Sans SC (package ``pylopdf-fonts-zh-cn``) and maps the
deck's declared faces (微软雅黑 for Chinese, Arial for Latin) to it, in a throw-away
``HOME`` and LibreOffice profile. The PDF then embeds Noto Sans SC and its Chinese text is
extractable, on a machine with no Chinese font installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from zqcampaign.output.slides import CJK_FONT, LATIN_FONT

__all__ = ["PdfUnavailable", "find_soffice", "fontconfig_file", "pptx_to_pdf"]

_TIMEOUT = 300  # [s]


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed or the conversion failed (the pack is written without
    briefing.pdf and says so)."""


def find_soffice() -> str | None:
    """Path of LibreOffice's ``soffice`` (``ZQCAMPAIGN_SOFFICE`` overrides), or None."""
    env = os.environ.get("ZQCAMPAIGN_SOFFICE")
    if env:
        return env
    return shutil.which("soffice") or shutil.which("libreoffice")


def fontconfig_file(folder: Path, base: str | None = None) -> Path:
    """Write a fontconfig file into ``folder`` that includes ``base`` (default: the current
    ``FONTCONFIG_FILE`` or the system's), adds the bundled font and maps the deck's faces
    to it; return its path."""
    from zqcampaign.charts.fonts import BUNDLED_FAMILY, bundled_font_path

    base = base or os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    font_dir = bundled_font_path().parent
    aliases = "".join(
        f"""
  <match target="pattern">
    <test name="family" qual="any"><string>{name}</string></test>
    <edit name="family" mode="assign" binding="strong"><string>{BUNDLED_FAMILY}</string></edit>
  </match>"""
        for name in (CJK_FONT, "微软雅黑", LATIN_FONT)
    )
    cache = folder / "fc-cache"
    cache.mkdir(parents=True, exist_ok=True)
    conf = folder / "fonts.conf"
    conf.write_text(
        f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">{base}</include>
  <dir>{font_dir}</dir>
  <cachedir>{cache}</cachedir>{aliases}
</fontconfig>
""",
        encoding="utf-8",
    )
    return conf


def pptx_to_pdf(pptx: Path, pdf: Path, *, timeout: float = _TIMEOUT) -> Path:
    """Convert ``pptx`` to ``pdf`` with LibreOffice and the bundled font.

    Raises
    ------
    PdfUnavailable
        When LibreOffice is missing, fails or takes longer than ``timeout`` seconds.
    """
    soffice = find_soffice()
    if soffice is None:
        raise PdfUnavailable(
            "未找到 LibreOffice（soffice），未生成 briefing.pdf；安装 LibreOffice 后重新生成"
        )
    with tempfile.TemporaryDirectory(prefix="zq-pdf-") as tmp:
        work = Path(tmp)
        conf = fontconfig_file(work)
        env = {
            **os.environ,
            "HOME": str(work / "home"),
            "FONTCONFIG_FILE": str(conf),
            "XDG_CACHE_HOME": str(work / "cache"),
            "XDG_CONFIG_HOME": str(work / "config"),
            "SAL_USE_VCLPLUGIN": "svp",
        }
        (work / "home").mkdir()
        out = work / "out"
        cmd = [
            soffice, f"-env:UserInstallation=file://{work / 'profile'}", "--headless",
            "--norestore", "--convert-to", "pdf", "--outdir", str(out), str(pptx),
        ]  # fmt: skip
        try:
            done = subprocess.run(cmd, env=env, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(
                f"LibreOffice 转换超时（{timeout:.0f} 秒），未生成 briefing.pdf"
            ) from None
        made = out / (pptx.stem + ".pdf")
        if done.returncode != 0 or not made.is_file():
            detail = done.stderr.decode("utf-8", "replace").strip()[-300:]
            raise PdfUnavailable(f"LibreOffice 转换失败（退出码 {done.returncode}）：{detail}")
        shutil.move(str(made), str(pdf))
    return pdf
