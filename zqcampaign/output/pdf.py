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
    """A LibreOffice conversion of a deck into a PDF, running in the background.

    :meth:`prepare` starts LibreOffice without a document, so that its start-up (a second
    or more) overlaps whatever the caller does until the deck is written; :meth:`convert`
    hands it the deck (a second ``soffice`` with the same private profile passes the
    request to the waiting one, or converts by itself if that one is not ready) and
    returns at once; :meth:`result` waits and moves the PDF into place. :meth:`start`
    does the last two when nothing needs to overlap the start-up.

    LibreOffice writes into a private temporary folder, so the PDF appears whole or not at
    all: a failed, timed-out or cancelled conversion leaves nothing at ``pdf``. Use it as a
    context manager: leaving the block (an error, an interrupt) without :meth:`result`
    stops LibreOffice and removes its folder.

    >>> with PdfConversion.prepare() as job:  # doctest: +SKIP
    ...     write_deck(deck)
    ...     job.convert(deck, out / "briefing.pdf")
    ...     write_workbooks()
    ...     job.result()
    """

    def __init__(self, soffice: str, timeout: float | None = None) -> None:
        self.soffice = soffice
        self.timeout = _TIMEOUT if timeout is None else timeout
        self.pptx: Path | None = None
        self.pdf: Path | None = None
        self._work = tempfile.TemporaryDirectory(prefix="zq-pdf-")
        self._procs: dict[str, subprocess.Popen[bytes]] = {}
        self._deadline = 0.0
        work = Path(self._work.name)
        try:
            conf = fontconfig_file(work)
            (work / "home").mkdir()
            (work / "tmp").mkdir()
        except BaseException:
            self._work.cleanup()
            raise
        self._env = {
            **os.environ,
            "HOME": str(work / "home"),
            "FONTCONFIG_FILE": str(conf),
            "XDG_CACHE_HOME": str(work / "cache"),
            "XDG_CONFIG_HOME": str(work / "config"),
            "TMPDIR": str(work / "tmp"),  # its own temporary files go with the rest when stopped
            "SAL_USE_VCLPLUGIN": "svp",
        }

    @classmethod
    def prepare(cls, *, timeout: float | None = None) -> PdfConversion:
        """Start LibreOffice, waiting for a deck; :class:`PdfUnavailable` at once when it
        is not installed."""
        job = cls(_soffice_or_raise(), timeout)
        job._launch("ready", "--nologo", "--nodefault")
        return job

    @classmethod
    def start(cls, pptx: Path, pdf: Path, *, timeout: float | None = None) -> PdfConversion:
        """Start converting ``pptx`` into ``pdf``; :class:`PdfUnavailable` at once when
        LibreOffice is not installed."""
        return cls(_soffice_or_raise(), timeout).convert(pptx, pdf)

    def convert(self, pptx: Path, pdf: Path) -> PdfConversion:
        """Convert ``pptx`` into ``pdf`` (the timeout counts from here); returns at once."""
        if self.pptx is not None:
            raise RuntimeError("this conversion has already been started")
        self.pptx, self.pdf = Path(pptx), Path(pdf)
        self._deadline = time.monotonic() + self.timeout
        out = Path(self._work.name) / "out"
        self._launch("convert", "--convert-to", "pdf", "--outdir", str(out), str(self.pptx))
        return self

    def _launch(self, role: str, *args: str) -> None:
        work = Path(self._work.name)
        cmd = [
            self.soffice, f"-env:UserInstallation=file://{work / 'profile'}", "--headless",
            "--norestore", *args,
        ]  # fmt: skip
        try:
            with open(work / f"{role}.stderr", "wb") as err:  # a file: a full pipe would block
                self._procs[role] = subprocess.Popen(
                    cmd,
                    env=self._env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=err,
                    start_new_session=True,  # its own process group: stopped as a whole
                )
        except BaseException as exc:
            self.cancel()
            if isinstance(exc, OSError):
                raise PdfUnavailable(
                    f"无法启动 LibreOffice（{exc}），未生成 briefing.pdf"
                ) from None
            raise

    def result(self) -> Path:
        """Wait for LibreOffice (until ``timeout`` seconds after :meth:`convert`), move the
        PDF to ``pdf`` and return its path.

        Raises
        ------
        PdfUnavailable
            When LibreOffice fails or takes longer than ``timeout`` seconds.
        """
        proc = self._procs.get("convert")
        if proc is None or self.pptx is None or self.pdf is None:
            self.cancel()
            raise PdfUnavailable("LibreOffice 转换未开始或已停止，未生成 briefing.pdf")
        try:
            try:
                code = proc.wait(timeout=max(self._deadline - time.monotonic(), 0.0))
            except subprocess.TimeoutExpired:
                raise PdfUnavailable(
                    f"LibreOffice 转换超时（{self.timeout:.0f} 秒），未生成 briefing.pdf"
                ) from None
            work = Path(self._work.name)
            made = work / "out" / (self.pptx.stem + ".pdf")
            if code != 0 or not made.is_file():
                detail = " ".join(
                    (work / f"{role}.stderr").read_bytes().decode("utf-8", "replace").strip()
                    for role in self._procs
                    if (work / f"{role}.stderr").is_file()
                )
                raise PdfUnavailable(
                    f"LibreOffice 转换失败（退出码 {code}）：{detail.strip()[-300:]}"
                )
            shutil.move(str(made), str(self.pdf))
            return self.pdf
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Stop LibreOffice where it still runs and remove its temporary folder
        (idempotent)."""
        procs, self._procs = self._procs, {}
        for proc in procs.values():
            if proc.poll() is None:
                with contextlib.suppress(OSError):
                    os.killpg(proc.pid, signal.SIGKILL)
        for proc in procs.values():
            proc.wait()
        self._work.cleanup()

    def __enter__(self) -> PdfConversion:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()


def _soffice_or_raise() -> str:
    soffice = find_soffice()
    if soffice is None:
        raise PdfUnavailable(
            "未找到 LibreOffice（soffice），未生成 briefing.pdf；安装 LibreOffice 后重新生成"
        )
    return soffice


def pptx_to_pdf(pptx: Path, pdf: Path, *, timeout: float | None = None) -> Path:
    """Convert ``pptx`` to ``pdf`` with LibreOffice and the bundled font (and wait).

    Raises
    ------
    PdfUnavailable
        When LibreOffice is missing, fails or takes longer than ``timeout`` seconds
        (default 300).
    """
    with PdfConversion.start(pptx, pdf, timeout=timeout) as job:
        return job.result()
