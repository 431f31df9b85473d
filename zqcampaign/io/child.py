"""The isolated reader: a forked child reads one file under an address-space limit and a
time limit, so an allocation failure, an abort or a hang ends the child, never the process
that asked; whatever happened comes back as the workbook or a
:class:`~zqcampaign.errors.LedgerError`."""

from __future__ import annotations

import os
import pickle
import signal
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zqcampaign import errors as _errors
from zqcampaign.errors import (
    FileTooLargeError,
    LedgerError,
    ReaderCrashError,
    ReaderTimeoutError,
    UnreadableFileError,
    UnsafeFileError,
)
from zqcampaign.io.base import Limits

if TYPE_CHECKING:
    from zqcampaign.io.readers import RawWorkbook

__all__: list[str] = []


_LEDGER_ERRORS: dict[str, type[LedgerError]] = {
    cls.__name__: cls
    for cls in (
        *(getattr(_errors, n) for n in _errors.__all__),
        UnsafeFileError,
        ReaderTimeoutError,
    )
    if isinstance(cls, type) and issubclass(cls, LedgerError)
}


def _vm_size() -> int:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _child(
    path: Path, fmt: str, limits: Limits, skip: frozenset[str | None], out: int, data: bytes
) -> None:  # pragma: no cover - runs in the forked child
    import resource

    vm = _vm_size()
    if vm:
        cap = vm + limits.child_memory_bytes
        try:
            resource.setrlimit(resource.RLIMIT_AS, (cap, resource.getrlimit(resource.RLIMIT_AS)[1]))
        except (ValueError, OSError):
            pass
    from zqcampaign.io.readers import _read_calamine  # (loaded before the fork)

    try:
        result: tuple[Any, ...] = ("ok", _read_calamine(path, fmt, limits, skip, data))
    except LedgerError as exc:
        result = ("ledger", type(exc).__name__, exc.detail, exc.advice)
    except MemoryError:
        result = ("memory",)
    except BaseException as exc:
        result = ("crash", f"{type(exc).__name__}: {exc}"[:300])
    data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(data)
    while view:
        n = os.write(out, view)
        view = view[n:]


class _Child:
    """A forked child reading one file; :meth:`result` waits for it (up to the time
    limit) and turns whatever happened into a RawWorkbook or a LedgerError."""

    def __init__(
        self,
        path: Path,
        fmt: str,
        limits: Limits,
        skip: frozenset[str | None] = frozenset(),
        data: bytes | None = None,
    ):
        if data is None:
            data = path.read_bytes()
        self.path, self.limits = path, limits
        self.r_out, w_out = os.pipe()
        self.r_err, w_err = os.pipe()
        self.started = time.monotonic()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            code = 0
            try:
                import faulthandler

                faulthandler.disable()  # an abort here is expected; no dump on the console
                os.close(self.r_out)
                os.close(self.r_err)
                os.dup2(w_err, 2)
                _child(path, fmt, limits, skip, w_out, data)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        self.pid = pid
        os.close(w_out)
        os.close(w_err)
        self.done = False

    def kill(self) -> None:
        if not self.done:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            os.close(self.r_out)
            os.close(self.r_err)
            self.done = True

    def result(self) -> RawWorkbook:
        import selectors

        path, limits = self.path, self.limits
        chunks: list[bytes] = []
        err = bytearray()
        deadline = self.started + limits.child_seconds
        sel = selectors.DefaultSelector()
        sel.register(self.r_out, selectors.EVENT_READ)
        sel.register(self.r_err, selectors.EVENT_READ)
        open_fds = 2
        timed_out = False
        try:
            while open_fds:
                left = deadline - time.monotonic()
                if left <= 0:
                    timed_out = True
                    break
                for key, _ in sel.select(timeout=left):
                    data = os.read(key.fd, 1 << 20)
                    if not data:
                        sel.unregister(key.fd)
                        open_fds -= 1
                    elif key.fd == self.r_out:
                        chunks.append(data)
                    elif len(err) < 65536:
                        err.extend(data)
        finally:
            sel.close()
            if timed_out:
                os.kill(self.pid, signal.SIGKILL)
            _, status = os.waitpid(self.pid, 0)
            os.close(self.r_out)
            os.close(self.r_err)
            self.done = True
        if timed_out:
            raise ReaderTimeoutError(path, f"读取超过 {limits.child_seconds:.0f} 秒时间上限")
        payload = b"".join(chunks)
        if not payload:
            stderr = err.decode("utf-8", "replace")
            if "memory allocation" in stderr or "MemoryError" in stderr:
                raise FileTooLargeError(
                    path, f"读取时所需内存超过 {limits.child_memory_bytes // (1 << 20)} MB 上限"
                )
            how = (
                f"信号 {signal.Signals(-os.waitstatus_to_exitcode(status)).name}"
                if os.WIFSIGNALED(status)
                else f"退出码 {os.waitstatus_to_exitcode(status)}"
            )
            raise ReaderCrashError(path, f"读取程序异常退出（{how}）")
        result = pickle.loads(payload)
        kind = result[0]
        if kind == "ok":
            wb: RawWorkbook = result[1]
            wb.isolated = True
            return wb
        if kind == "ledger":
            cls = _LEDGER_ERRORS.get(result[1], UnreadableFileError)
            raise cls(path, result[2], advice=result[3])
        if kind == "memory":
            raise FileTooLargeError(
                path, f"读取时所需内存超过 {limits.child_memory_bytes // (1 << 20)} MB 上限"
            )
        raise ReaderCrashError(path, f"读取程序崩溃（{result[1]}）")
