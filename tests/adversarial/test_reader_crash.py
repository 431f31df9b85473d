"""A reader that panics, aborts, eats memory or hangs costs one file, never the process."""

from __future__ import annotations

import os
import time

import builders as b
import pytest
import python_calamine

from zqcampaign.errors import FileTooLargeError, ReaderCrashError, ReaderTimeoutError
from zqcampaign.io.preflight import Limits
from zqcampaign.io.readers import read_workbook


class PanicException(BaseException):
    """Stands in for ``pyo3_runtime.PanicException``, which derives from BaseException."""


class _Workbook:
    """A python_calamine.CalamineWorkbook whose opening does ``action``."""

    action = staticmethod(lambda: None)

    @classmethod
    def from_filelike(cls, fh):
        cls.action()
        raise AssertionError("unreachable")


@pytest.fixture
def ledger(tmp_path):
    return b.make_xlsx(tmp_path / "四会市.xlsx")


@pytest.fixture
def broken_reader(monkeypatch):
    def install(action):
        monkeypatch.setattr(_Workbook, "action", staticmethod(action))
        monkeypatch.setattr(python_calamine, "CalamineWorkbook", _Workbook)

    return install


def panic():
    raise PanicException("called `Option::unwrap()` on a `None` value")


def test_rust_panic_in_process_becomes_reader_crash_error_for_that_file(ledger, broken_reader):
    broken_reader(panic)
    with pytest.raises(ReaderCrashError, match="PanicException") as info:
        read_workbook(ledger, isolate=False)
    assert info.value.code == "reader_crash"
    assert info.value.file == str(ledger)


def test_rust_panic_in_the_isolated_reader_becomes_reader_crash_error(ledger, broken_reader):
    broken_reader(panic)
    with pytest.raises(ReaderCrashError, match="PanicException"):
        read_workbook(ledger, isolate=True)


def test_reader_that_aborts_the_process_costs_only_the_child(ledger, broken_reader):
    broken_reader(os.abort)
    with pytest.raises(ReaderCrashError, match="SIGABRT"):
        read_workbook(ledger, isolate=True)


def test_allocation_failure_in_the_child_is_reported_as_too_large(ledger, broken_reader):
    def allocation_failure():
        os.write(2, b"memory allocation of 549755813888 bytes failed\n")
        os.abort()

    broken_reader(allocation_failure)
    with pytest.raises(FileTooLargeError, match="1024 MB 上限"):
        read_workbook(ledger, isolate=True)


def test_hanging_reader_is_killed_at_the_time_limit(ledger, broken_reader):
    broken_reader(lambda: time.sleep(30))
    started = time.monotonic()
    with pytest.raises(ReaderTimeoutError, match="1 秒时间上限") as info:
        read_workbook(ledger, isolate=True, limits=Limits(child_seconds=1))
    assert time.monotonic() - started < 10
    assert info.value.code == "reader_timeout"


def test_isolated_and_in_process_reads_give_the_same_grid(tmp_path):
    path = b.make_hidden_sheets(tmp_path / "hidden.xlsx")
    inside, outside = read_workbook(path, isolate=False), read_workbook(path, isolate=True)
    assert outside.isolated and not inside.isolated
    assert outside.sheets == inside.sheets
    assert outside.notes == inside.notes


def test_a_panic_message_never_reaches_the_terminal_but_other_output_does(
    ledger, broken_reader, capfd
):
    def noisy_panic():
        os.write(2, b"thread '<unnamed>' panicked at src/xls.rs:1:1:\nindex out of bounds\n")
        raise PanicException("index out of bounds")

    broken_reader(noisy_panic)
    with pytest.raises(ReaderCrashError):
        read_workbook(ledger, isolate=False)
    assert "panicked" not in capfd.readouterr().err

    def chatty():
        os.write(2, b"calamine: a harmless warning\n")
        raise PanicException("boom")

    broken_reader(chatty)
    with pytest.raises(ReaderCrashError):
        read_workbook(ledger, isolate=False)
    assert "a harmless warning" in capfd.readouterr().err
