"""zq.load in worker processes: the same campaign as reading in this process."""

import os
import pickle
import shutil
import sys
from pathlib import Path

import pytest
from pandas.testing import assert_frame_equal

import zqcampaign as zq
from zqcampaign import loader
from zqcampaign.parse.values import AliasIndex

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="worker processes: Linux only")


def assert_same(a, b):
    for name in ("snapshots", "projects", "issues", "files"):
        assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)
    assert_frame_equal(a.summary.table, b.summary.table, obj="summary")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The sample ledgers plus files that fail, placed first, last and in the middle of
    the sorted file list (so that they end and start parts), and Office litter."""
    root = tmp_path_factory.mktemp("parallel") / "ledgers"
    shutil.copytree(SAMPLE, root)
    (root / "2023-07" / "000_空文件.xlsx").write_bytes(b"")
    (root / "2023-09" / "鼎湖区_损坏.xlsx").write_bytes(b"PK\x03\x04 not a zip at all")
    (root / "2023-12" / "zzz_不是表格.xls").write_text("这不是表格", encoding="utf-8")
    (root / "2023-10" / "~$肇庆市_2023年10月.xlsx").write_bytes(b"litter")
    return root


@pytest.fixture(scope="module")
def serial(folder):
    return zq.load(folder, workers=1)


@pytest.mark.parametrize("smallest_part", [1, 1000])
def test_workers_give_the_same_campaign_as_one_process(folder, serial, smallest_part, monkeypatch):
    # parts down to one file each: failed files end and start parts
    monkeypatch.setattr(loader, "SMALLEST_PART", smallest_part)
    parallel = zq.load(folder, workers=2)
    assert_same(serial, parallel)
    codes = set(serial.issues["code"])
    assert {"empty_file", "skipped_litter"} <= codes
    assert serial.files["error"].notna().sum() == 3
    assert serial.summary.balanced


_PARENT = os.getpid()
_real_read_part = loader._read_part
_read_here = []  # parts read in this process


def _dying_read_part(files, context):
    """In a worker, dies on the parts of September holding several files (os._exit: no
    clean-up, no result), as a worker killed for the memory of a whole part would."""
    if os.getpid() != _PARENT and len(files) > 1 and any(p.parent.name == "2023-09" for p in files):
        os._exit(9)
    if os.getpid() == _PARENT:
        _read_here.append(files)
    return _real_read_part(files, context)


def test_a_worker_that_dies_costs_nothing(folder, serial, monkeypatch):
    """A worker killed mid-load (out of memory, say): the files of its parts are read again
    one by one in fresh workers — never in this process (issue #14)."""
    monkeypatch.setattr(loader, "_read_part", _dying_read_part)
    assert_same(serial, zq.load(folder, workers=2))
    assert _read_here == []


def test_a_small_folder_is_read_in_this_process_and_a_big_one_by_core():
    assert loader.default_workers(loader.PARALLEL_MIN_FILES - 1) == 1
    many = loader.default_workers(loader.PARALLEL_MIN_FILES)
    assert 1 <= many <= min(loader.MAX_WORKERS, len(os.sched_getaffinity(0)))


def test_a_daemonic_process_reads_in_process(monkeypatch):
    """(A multiprocessing.Pool worker may not start processes of its own.)"""
    import multiprocessing

    class Daemon:
        daemon = True

    monkeypatch.setattr(multiprocessing, "current_process", lambda: Daemon())
    assert loader.default_workers(10_000) == 1


@pytest.mark.parametrize("bad", [0, -1, 1.5, "2", True])
def test_workers_must_be_a_positive_whole_number(bad):
    with pytest.raises(ValueError, match="workers 应为正整数"):
        zq.load(SAMPLE, workers=bad)


def test_split_keeps_file_order_big_parts_first(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "SMALLEST_PART", 4)
    files = []
    for i in range(64):
        p = tmp_path / f"{i:02d}.csv"
        p.write_bytes(b"x" * 100)
        files.append(p)
    groups = loader._split(files, 2)
    assert [p for g in groups for p in g] == files
    # half of a worker's share of what is left, down to 1/4 of a worker's share (8 files)
    assert [len(g) for g in groups] == [16, 12, 9, 8, 8, 8, 3]


def test_the_alias_index_survives_pickling():
    index = AliasIndex({"端州": "端州区", "端州区": "端州区"})
    again = pickle.loads(pickle.dumps(index))
    assert isinstance(again, AliasIndex) and dict(again) == dict(index)
    assert again.by_first == index.by_first
    with pytest.raises(TypeError):
        again["x"] = "y"
