"""Atomic output: a file or a whole folder is written aside and swapped in only when
complete; an unwritable or full destination is an :class:`OutputError` in Chinese, and the
old file or folder is left as it was. Killed runs (SIGTERM is handled like Ctrl+C) leave no
temporary folder behind, or one the next run removes; what is written gets the permissions
of the user's umask."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from zqcampaign.errors import OutputError

__all__ = [
    "atomic_dir",
    "atomic_output",
    "clean_stale_siblings",
    "normal_permissions",
]


def _explain(exc: OSError) -> str:
    code = exc.errno
    if code == errno.ENOSPC or code == getattr(errno, "EDQUOT", -1):
        return "磁盘空间不足，请清理磁盘或换一个位置输出"
    if code in (errno.EACCES, errno.EPERM):
        return "没有写入权限；如果该文件正在 Excel/WPS 中打开，请先关闭再重试"
    if code == errno.EROFS:
        return "目标位置是只读的，请换一个可写的文件夹"
    if code == errno.ENOENT:
        return "所在文件夹不存在"
    if code == errno.ENOTDIR:
        return "路径中有一段不是文件夹"
    if code == errno.EISDIR:
        return "同名的文件夹已存在"
    return f"{exc.strerror or exc}"


# ---------------------------------------------------------------------------------------
# atomic writes


def _fsync_path(path: str | Path, *, directory: bool = False) -> None:
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return  # e.g. directories cannot be opened on Windows
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Write a file atomically: yield a temporary sibling path to write to; on success it
    is flushed to disk and renamed over ``path``; on any failure it is removed and the old
    ``path`` is left untouched.

    Raises
    ------
    OutputError
        When the destination cannot be written (no permission, disk full, read-only, the
        file is open in Excel on Windows…), with the reason in Chinese.

    Examples
    --------
    >>> with atomic_output("out/summary.csv") as tmp:  # doctest: +SKIP
    ...     df.to_csv(tmp)
    """
    path = Path(path)
    parent = path.parent
    if path.is_dir():
        raise OutputError(path, _explain(OSError(errno.EISDIR, "is a directory")))
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError(path, _explain(exc)) from exc
    tmp = Path(tmp_name)
    try:
        yield tmp
        normal_permissions(tmp)
        _fsync_path(tmp)
        os.replace(tmp, path)
        _fsync_path(parent, directory=True)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OutputError):
            raise
        raise OutputError(path, _explain(exc)) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


_OWNER = ".zqcampaign-building"  # in a temporary folder: "pid host" of the run building it


def _umask() -> int:
    """The process umask (read without changing it where /proc has it)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def normal_permissions(path: str | Path, *, directory: bool = False) -> None:
    """Give a file or folder the permissions a plain ``open()``/``mkdir()`` gives under
    the user's umask (``mkstemp``/``mkdtemp`` make them 0600/0700: colleagues on a shared
    drive could not open the pack)."""
    with contextlib.suppress(OSError):
        os.chmod(path, (0o777 if directory else 0o666) & ~_umask())


def _stale(folder: Path) -> bool:
    """A temporary sibling left by a run that no longer exists (killed, power cut)."""
    try:
        pid_text, host = (folder / _OWNER).read_text(encoding="utf-8").split()[:2]
        pid = int(pid_text)
    except (OSError, ValueError):
        return False  # not ours, or being created right now: leave it
    if host != _hostname():
        return False  # another machine on a shared drive: it may still be running
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _hostname() -> str:
    import socket

    return socket.gethostname() or "-"


def clean_stale_siblings(path: str | Path) -> list[Path]:
    """Remove the temporary siblings (``.name.*.tmp`` / ``.name.*.old``) that earlier runs
    building ``path`` left behind when they were killed; returns what was removed. Only
    folders carrying the owner mark of a process that no longer runs on this machine are
    touched."""
    path = Path(path)
    removed = []
    try:
        siblings = list(path.parent.glob(f".{path.name}.*"))
    except OSError:
        return removed
    for sib in siblings:
        if sib.suffix in (".tmp", ".old") and sib.is_dir() and not sib.is_symlink():
            if _stale(sib):
                shutil.rmtree(sib, ignore_errors=True)
                removed.append(sib)
    return removed


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (``timeout``, cron, ``kill``) raises :class:`KeyboardInterrupt` like SIGINT
    does, so that the clean-up below runs; the previous handler is restored after."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except (ValueError, OSError):  # pragma: no cover - no signals here
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _sibling(path: Path, suffix: str) -> Path:
    import secrets

    return path.parent / f".{path.name}.{secrets.token_hex(4)}{suffix}"


@contextlib.contextmanager
def atomic_dir(path: str | Path) -> Iterator[Path]:
    """Build a whole output folder aside and swap it in when complete.

    Yields an empty temporary sibling folder; on success the old ``path`` (if any) is
    moved aside, the new one renamed into place, and the old one deleted. On failure
    (SIGTERM included) the temporary folder is deleted and ``path`` is left as it was.
    (Two renames: a reader at the exact moment of the swap may briefly see no folder,
    never a half-written one.) Temporary siblings of killed earlier runs are removed
    first. The caller decides whether ``path`` may be replaced at all (see
    :func:`zqcampaign.output.report.check_out_dir`).
    """
    path = Path(path)
    parent = path.parent
    if path.exists() and not path.is_dir():
        raise OutputError(path, "同名的文件已存在（不是文件夹）")
    clean_stale_siblings(path)
    owner = f"{os.getpid()} {_hostname()}"
    with _sigterm_as_interrupt():
        tmp = _sibling(path, ".tmp")  # named first: an interrupt at any point can remove it
        try:
            parent.mkdir(parents=True, exist_ok=True)  # a new folder may be several levels deep
            while True:
                try:
                    tmp.mkdir()
                    break
                except FileExistsError:
                    tmp = _sibling(path, ".tmp")
            (tmp / _OWNER).write_text(owner, encoding="utf-8")
        except BaseException as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            if isinstance(exc, OSError):
                raise OutputError(path, _explain(exc)) from exc
            raise
        old: Path | None = None
        swapped = False
        try:
            yield tmp
            for root, dirs, files in os.walk(tmp):
                normal_permissions(root, directory=True)
                for d in dirs:
                    normal_permissions(Path(root) / d, directory=True)
                for f in files:
                    normal_permissions(Path(root) / f)
                    _fsync_path(Path(root) / f)
            if path.exists():
                old = _sibling(path, ".old")
                while old.exists():
                    old = _sibling(path, ".old")
                os.replace(path, old)
                with contextlib.suppress(OSError):  # marks it for removal if we are killed
                    (old / _OWNER).write_text(owner, encoding="utf-8")
            os.replace(tmp, path)
            swapped = True
            with contextlib.suppress(OSError):
                (path / _OWNER).unlink()
            _fsync_path(parent, directory=True)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        except BaseException as exc:
            if not swapped:
                if old is not None and not path.exists():
                    with contextlib.suppress(OSError):
                        os.replace(old, path)  # put the old folder back
                        (path / _OWNER).unlink()
                shutil.rmtree(tmp, ignore_errors=True)
            if isinstance(exc, OSError) and not isinstance(exc, OutputError):
                raise OutputError(path, _explain(exc)) from exc
            raise
