"""SharedWork: pieces shared between this process and forked helpers give the results a
single process would, in order; a helper's error is raised here; leaving early stops them."""

from __future__ import annotations

import functools
import os
import time

import pytest

from zqcampaign.output.parallel import SharedWork, can_fork

needs_fork = pytest.mark.skipif(not can_fork(), reason="helpers are forked on Linux only")


def _square(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def _fail(n: int) -> None:
    raise ValueError(f"piece {n} is broken")


def _sleep_then_touch(path: str) -> None:
    time.sleep(1.5)
    with open(path, "w") as fh:
        fh.write("too late")


@pytest.mark.parametrize("helpers", [0, 1, 2])
def test_every_phase_gives_its_results_in_the_order_of_its_pieces(helpers):
    first = [functools.partial(_square, n) for n in range(12)]
    second = [functools.partial(_square, n) for n in range(100, 103)]
    with SharedWork(first, second, helpers=helpers) as work:
        one = work.results()
        two = work.results(join=False)
    assert [r for r, _ in one] == [n * n for n in range(12)]
    assert [r for r, _ in two] == [n * n for n in range(100, 103)]
    if helpers == 0 or not can_fork():
        assert {pid for _, pid in one + two} == {os.getpid()}


@needs_fork
def test_a_phase_left_to_the_helpers_runs_only_in_helpers():
    with SharedWork([], [functools.partial(_square, n) for n in range(4)], helpers=1) as work:
        work.results()
        pids = {pid for _, pid in work.results(join=False)}
    assert os.getpid() not in pids and len(pids) == 1


@needs_fork
def test_an_error_in_a_helper_is_raised_in_the_main_process():
    pieces = [functools.partial(_fail, n) for n in range(3)]
    with SharedWork(pieces, helpers=1) as work, pytest.raises(ValueError, match="is broken"):
        work.results(join=False)


@needs_fork
def test_leaving_the_block_stops_helpers_before_they_write(tmp_path):
    late = tmp_path / "late.txt"
    with pytest.raises(RuntimeError), SharedWork([functools.partial(_sleep_then_touch, str(late))]):
        time.sleep(0.3)  # the helper has taken the piece
        raise RuntimeError("the main process fails")
    time.sleep(2.0)
    assert not late.exists()
