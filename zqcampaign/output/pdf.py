"""briefing.pdf: the deck converted by LibreOffice with the bundled Chinese font.

LibreOffice finds fonts through fontconfig. The conversion runs with a private fontconfig
file that keeps the machine's fonts (or whatever ``FONTCONFIG_FILE`` already names), adds
the folder of the bundled Noto Sans SC (package ``pylopdf-fonts-zh-cn``) and maps the
deck's declared faces (微软雅黑 for Chinese, Arial for Latin) to it, in a throw-away
``HOME`` and LibreOffice profile. The PDF then embeds Noto Sans SC and its Chinese text is
extractable, on a machine with no Chinese font installed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from zqcampaign.output.slides import CJK_FONT, LATIN_FONT

__all__ = ["PdfConversion", "PdfUnavailable", "find_soffice", "fontconfig_file", "pptx_to_pdf"]

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


class PdfConversion:
    """A LibreOffice conversion of ``pptx`` into ``pdf`` running in the background.

    :meth:`start` launches ``soffice`` and returns at once, so the caller can write other
    files while LibreOffice works (it is a separate process); :meth:`result` waits for it
    and moves the PDF into place. LibreOffice writes into a private temporary folder, so
    ``pdf`` appears whole or not at all: a failed, timed-out or cancelled conversion
    leaves nothing at ``pdf``. Use it as a context manager: leaving the block (an error, an
    interrupt) without :meth:`result` stops LibreOffice and removes its folder.

    >>> with PdfConversion.start(deck, out / "briefing.pdf") as job:  # doctest: +SKIP
    ...     write_workbooks()
    ...     job.result()
    """

    def __init__(self, pptx: Path, pdf: Path, timeout: float, work: tempfile.TemporaryDirectory):
        self.pptx = Path(pptx)
        self.pdf = Path(pdf)
        self.timeout = timeout
        self._work = work
        self._deadline = time.monotonic() + timeout
        self._proc: subprocess.Popen[bytes] | None = None

    @classmethod
    def start(cls, pptx: Path, pdf: Path, *, timeout: float = _TIMEOUT) -> PdfConversion:
        """Start converting; :class:`PdfUnavailable` at once when LibreOffice is missing."""
        soffice = find_soffice()
        if soffice is None:
            raise PdfUnavailable(
                "未找到 LibreOffice（soffice），未生成 briefing.pdf；安装 LibreOffice 后重新生成"
            )
        job = cls(pptx, pdf, timeout, tempfile.TemporaryDirectory(prefix="zq-pdf-"))
        try:
            work = Path(job._work.name)
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
            cmd = [
                soffice, f"-env:UserInstallation=file://{work / 'profile'}", "--headless",
                "--norestore", "--convert-to", "pdf", "--outdir", str(work / "out"), str(pptx),
            ]  # fmt: skip
            with open(work / "stderr.txt", "wb") as err:  # a file: a full pipe would block it
                job._proc = subprocess.Popen(
                    cmd,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=err,
                    start_new_session=True,  # its own process group: stopped as a whole
                )
        except BaseException as exc:
            job.cancel()
            if isinstance(exc, OSError):
                raise PdfUnavailable(
                    f"无法启动 LibreOffice（{exc}），未生成 briefing.pdf"
                ) from None
            raise
        return job

    def result(self) -> Path:
        """Wait for LibreOffice (until ``timeout`` seconds after the start), move the PDF
        to ``pdf`` and return its path.

        Raises
        ------
        PdfUnavailable
            When LibreOffice fails or takes longer than ``timeout`` seconds.
        """
        if self._proc is None:
            raise PdfUnavailable("LibreOffice 转换已停止，未生成 briefing.pdf")
        try:
            try:
                code = self._proc.wait(timeout=max(self._deadline - time.monotonic(), 0.0))
            except subprocess.TimeoutExpired:
                raise PdfUnavailable(
                    f"LibreOffice 转换超时（{self.timeout:.0f} 秒），未生成 briefing.pdf"
                ) from None
            work = Path(self._work.name)
            made = work / "out" / (self.pptx.stem + ".pdf")
            if code != 0 or not made.is_file():
                detail = (work / "stderr.txt").read_bytes().decode("utf-8", "replace")
                raise PdfUnavailable(
                    f"LibreOffice 转换失败（退出码 {code}）：{detail.strip()[-300:]}"
                )
            shutil.move(str(made), str(self.pdf))
            return self.pdf
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Stop LibreOffice if it still runs and remove its temporary folder (idempotent)."""
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                with contextlib.suppress(OSError):
                    os.killpg(proc.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                proc.kill()
            proc.wait()
        self._work.cleanup()

    def __enter__(self) -> PdfConversion:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()


def pptx_to_pdf(pptx: Path, pdf: Path, *, timeout: float = _TIMEOUT) -> Path:
    """Convert ``pptx`` to ``pdf`` with LibreOffice and the bundled font (and wait).

    Raises
    ------
    PdfUnavailable
        When LibreOffice is missing, fails or takes longer than ``timeout`` seconds.
    """
    with PdfConversion.start(pptx, pdf, timeout=timeout) as job:
        return job.result()
