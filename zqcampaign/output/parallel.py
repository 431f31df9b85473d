"""Sharing the pack's work with forked helper processes.

The work comes in phases, each a list of pieces. The main process and its helpers take the
pieces of a phase from one list (whoever is free takes the next), so the work is balanced
however long each piece takes. Helpers go on to the next phase as soon as the pieces of the
current one are taken, while the main process may first do work of its own that needs the
results (the deck needs the charts) and then joins in.

Helpers are forked (Linux): they inherit the loaded campaign and the fonts already loaded;
nothing is pickled or imported again, only the results travel back. Where ``fork`` is not
the usual start method, and with no helper, the main process does every piece itself, in
the same order, with the same results.
"""

from __future__ import annotations

import multiprocessing
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["SharedWork", "can_fork"]

Piece = Callable[[], Any]


def can_fork() -> bool:
    """True where helpers are forked (Linux); macOS and Windows start processes afresh."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


class SharedWork:
    """Phases of pieces of work, done by the main process and forked helpers together.

    Parameters
    ----------
    phases
        Each phase a list of pieces: callables without arguments whose results are
        picklable. Within a phase, pieces are taken in order (the longest first balances
        best).
    helpers
        Forked helper processes (0: none; then :meth:`results` does every piece here).

    Call :meth:`results` for each phase in order. Use as a context manager: leaving the
    block stops helpers still running (an error, an interrupt), so nothing is written
    after the caller has cleaned up.
    """

    def __init__(self, *phases: Sequence[Piece], helpers: int = 1) -> None:
        self.phases = [list(p) for p in phases]
        self._procs: list[Any] = []
        self._conns: list[Any] = []
        self._phase = 0
        self._next: list[Any] | None = None
        if helpers < 1 or not can_fork():
            return
        ctx = multiprocessing.get_context("fork")
        self._next = [ctx.Value("i", 0) for _ in self.phases]
        for _ in range(helpers):
            receive, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=self._serve, args=(send,), daemon=True)
            proc.start()
            send.close()
            self._procs.append(proc)
            self._conns.append(receive)

    @property
    def helpers(self) -> int:
        """How many helper processes share the work (0: this process does it all)."""
        return len(self._procs)

    # -- in every process ------------------------------------------------------------------
    def _take(self, phase: int) -> dict[int, Any]:
        """Do pieces of ``phase`` until none is left; their results by index."""
        pieces = self.phases[phase]
        done: dict[int, Any] = {}
        while True:
            if self._next is None:
                i = len(done)
            else:
                counter = self._next[phase]
                with counter.get_lock():
                    i = counter.value
                    counter.value = i + 1
            if i >= len(pieces):
                return done
            done[i] = pieces[i]()

    # -- in a helper -------------------------------------------------------------------------
    def _serve(self, conn: Any) -> None:
        try:
            for phase in range(len(self.phases)):
                conn.send(("done", self._take(phase)))
        except BaseException as exc:  # handed to the main process, which raises it
            detail = traceback.format_exc()
            try:
                conn.send(("error", (exc, detail)))
            except Exception:  # not picklable
                conn.send(("error", (RuntimeError(repr(exc)), detail)))
        finally:
            conn.close()

    # -- in the main process -------------------------------------------------------------------
    def _receive(self, k: int) -> dict[int, Any]:
        try:
            kind, value = self._conns[k].recv()
        except EOFError:
            self._procs[k].join()
            raise RuntimeError(
                f"a helper process of the pack stopped (exit code {self._procs[k].exitcode})"
            ) from None
        if kind == "error":
            exc, detail = value
            exc.add_note(f"(in a helper process of the pack)\n{detail}")
            raise exc
        return value

    def results(self, *, join: bool = True) -> list[Any]:
        """Wait for the next phase; every result of the phase, in the order of its pieces.

        ``join``: take pieces of the phase in this process too (without helpers it always
        does). ``False`` leaves the phase to the helpers, e.g. while another program (the
        PDF conversion) needs the remaining core more than this process would.
        """
        phase = self._phase
        if phase >= len(self.phases):
            raise RuntimeError("every phase is done")
        self._phase += 1
        done = self._take(phase) if join or not self._procs else {}
        for k in range(len(self._procs)):
            done.update(self._receive(k))
        return [done[i] for i in range(len(self.phases[phase]))]

    def close(self) -> None:
        """Stop helpers still running and wait for them (idempotent)."""
        for proc in self._procs:
            if proc.is_alive():
                proc.kill()
        for proc in self._procs:
            proc.join()
        for conn in self._conns:
            conn.close()
        self._procs, self._conns = [], []

    def __enter__(self) -> SharedWork:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
