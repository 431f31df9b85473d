"""The parse cache (zqcampaign.cache): a load from the cache is the load that reads the files.

Every test loads a small set of ledgers built here, in the shapes counties send (a title
and a 截至日期 line, a hidden sheet, a GBK CSV, a legacy .xls, a file that is not a ledger,
a broken file, Office litter), with ``cache=`` a folder of its own; the suite's default is
the cache off (tests/conftest.py).
"""

import datetime as dt
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledgers import ledger_grid, write_csv, write_xls, write_xlsx
from pandas.testing import assert_frame_equal

import zqcampaign as zq
from zqcampaign import cache as zc
from zqcampaign import loader

D = dt.datetime
ROOT = Path(__file__).resolve().parents[1]
FRAMES = ("snapshots", "projects", "issues", "columns", "files")


def row(name, total, *, signed=None, land=None, start=None, p_start=None, problem=None):
    return [name, "某公司", total, 5000, 1000, signed, land, start, None, None, None, p_start,
            None, problem, None, None, "发改局", "张三"]  # fmt: skip


def make_ledgers(root: Path) -> Path:
    """Two months of three counties, with what produces issues at every stage of reading."""
    for month, day in (("2023-07", "2023年7月31日"), ("2023-08", "2023年8月31日")):
        folder = root / month
        grid = ledger_grid(
            [
                "一、已签约未供地项目",
                row("甲项目", 20000, signed=D(2023, 3, 1), p_start="2023年13月"),
                row("乙项目", "约5000", signed=D(2023, 4, 1)),
                "二、已动工未竣工项目",
                row("丙项目", 80000, signed=D(2023, 1, 1), land=D(2023, 2, 1), start=D(2023, 5, 1)),
                "合计",
            ],
            county="四会市",
            report=day,
            sections=True,
        )
        path = write_xlsx(folder / "四会市项目台账.xlsx", {"台账": grid, "隐藏": grid[:3]})
        wb = openpyxl.load_workbook(path)
        wb["隐藏"].sheet_state = "hidden"
        wb.save(path)
        write_csv(
            folder / "怀集县.csv",
            ledger_grid(
                [row("丁项目", 30000, signed=D(2023, 2, 1), problem="用地报批慢")],
                county="怀集县",
                report=day,
            ),
            encoding="gbk",
        )
    write_xls(
        root / "2023-08" / "广宁县.xls",
        {"Sheet1": ledger_grid([row("戊项目", 12000, signed=D(2023, 6, 1))], county="广宁县")},
    )
    write_xlsx(
        root / "2023-08" / "填报说明.xlsx", {"说明": [["请于每月25日前报送"], ["联系人：李四"]]}
    )
    (root / "2023-08" / "损坏.xlsx").write_bytes(b"PK\x03\x04 not a zip at all")
    (root / "2023-08" / "~$四会市项目台账.xlsx").write_bytes(b"litter")
    return root


@pytest.fixture
def ledgers(tmp_path):
    return make_ledgers(tmp_path / "ledgers")


def assert_same(a, b):
    for name in FRAMES:
        assert_frame_equal(getattr(a, name), getattr(b, name), obj=name, check_exact=True)
    assert_frame_equal(a.summary.table, b.summary.table, obj="summary", check_exact=True)
    assert a.sample == b.sample


def load(source, **kw):
    kw.setdefault("workers", 1)
    return zq.load(source, **kw)


@pytest.fixture
def reads(monkeypatch):
    """The files read_workbook is called on (a cache hit calls it for none)."""
    seen = []
    real = loader.read_workbook

    def spy(path, **kw):
        seen.append(Path(path).name)
        return real(path, **kw)

    monkeypatch.setattr(loader, "read_workbook", spy)
    return seen


def drop_load_entries(folder: Path) -> None:
    shutil.rmtree(folder / zc.LOAD_FORMAT, ignore_errors=True)


def entries(folder: Path, layout: str = zc.FORMAT) -> list[Path]:
    return sorted((folder / layout).rglob("*" + zc.SUFFIX))


# --- a hit is the cold load -----------------------------------------------------------


def test_the_ledgers_here_produce_issues_at_every_stage(ledgers):
    camp = load(ledgers, cache=False)
    codes = set(camp.issues["code"])
    assert {"hidden_sheet", "no_ledger", "skipped_litter"} <= codes
    assert camp.files["error"].notna().sum() == 2  # 填报说明 (no ledger), 损坏 (broken)
    assert {"csv", "xls", "xlsx"} <= set(camp.files["format"].dropna())
    assert len(camp.snapshots) == 9 and len(camp.columns) > 0


def test_a_hit_returns_the_frames_of_a_cold_load(ledgers, tmp_path, reads):
    cold = load(ledgers, cache=False)
    store = tmp_path / "cache"
    first = load(ledgers, cache=store)  # fills the cache
    assert_same(cold, first)
    assert len(entries(store)) == 6  # every file but the broken one
    assert len(entries(store, zc.LOAD_FORMAT)) == 1
    reads.clear()

    whole = load(ledgers, cache=store)  # the whole load from its entry
    assert_same(cold, whole)
    assert reads == []

    drop_load_entries(store)
    per_file = load(ledgers, cache=store)  # each file from its entry
    assert_same(cold, per_file)
    assert reads == ["损坏.xlsx"]  # only the file that failed is read again

    drop_load_entries(store)
    assert_same(cold, load(ledgers, cache=store, workers=2))  # entries read in workers


def test_the_sample_data_from_the_cache_is_the_sample_data(tmp_path):
    cold = load(ROOT / "sample_data", cache=False)
    load(ROOT / "sample_data", cache=tmp_path)
    assert_same(cold, load(ROOT / "sample_data", cache=tmp_path))
    drop_load_entries(tmp_path)
    warm = load(ROOT / "sample_data", cache=tmp_path)
    assert_same(cold, warm)
    assert warm.sample  # still said to be the sample


def test_data_warnings_are_given_on_a_hit_too(ledgers, tmp_path):
    august = ledgers / "2023-08"  # the baseline month missing
    with pytest.warns(loader.DataWarning) as cold:
        load(august, cache=tmp_path)
    with pytest.warns(loader.DataWarning) as warm:
        load(august, cache=tmp_path)
    assert [str(w.message) for w in cold] == [str(w.message) for w in warm]


# --- never stale -----------------------------------------------------------------------


def test_an_edited_cell_misses(ledgers, tmp_path, reads):
    load(ledgers, cache=tmp_path)
    path = ledgers / "2023-08" / "四会市项目台账.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    cell = next(c for r in ws.iter_rows() for c in r if c.value == 80000)
    cell.value = 90000
    wb.save(path)
    reads.clear()
    warm = load(ledgers, cache=tmp_path)
    assert sorted(reads) == ["四会市项目台账.xlsx", "损坏.xlsx"]  # the edited file, the broken one
    assert_same(load(ledgers, cache=False), warm)
    aug = warm.snapshots[warm.snapshots["report_date"] == "2023-08-31"]
    assert 90000 in set(aug["total_investment"])


def test_a_file_renamed_or_moved_is_read_under_its_new_name(ledgers, tmp_path, reads):
    load(ledgers, cache=tmp_path)
    (ledgers / "2023-08" / "怀集县.csv").rename(ledgers / "2023-08" / "怀集县8月.csv")
    reads.clear()
    warm = load(ledgers, cache=tmp_path)
    assert "怀集县8月.csv" in reads
    assert_same(load(ledgers, cache=False), warm)
    assert "2023-08/怀集县8月.csv" in set(warm.files["file"])


def test_a_config_key_that_parsing_reads_misses(ledgers, tmp_path, reads):
    load(ledgers, cache=tmp_path)
    reads.clear()
    setting = {"columns": {"存在问题": "ignore"}}  # [columns]: parsing reads it
    warm = load(ledgers, cache=tmp_path, config=setting)
    assert len(reads) == 7  # every file read again
    assert_same(load(ledgers, cache=False, config=setting), warm)
    assert warm.snapshots["problems"].isna().all()


def test_a_config_key_that_parsing_does_not_read_keeps_the_files(ledgers, tmp_path, reads):
    load(ledgers, cache=tmp_path)
    reads.clear()
    setting = {"thresholds": {"large_money": 10000}}  # read when the rows are assembled
    warm = load(ledgers, cache=tmp_path, config=setting)
    assert reads == ["损坏.xlsx"]  # files from their entries; the whole load made again
    cold = load(ledgers, cache=False, config=setting)
    assert_same(cold, warm)
    assert "large_money" in set(cold.issues["code"])
    assert len(entries(tmp_path, zc.LOAD_FORMAT)) == 2


def test_a_new_loader_version_misses(ledgers, tmp_path, reads, monkeypatch):
    load(ledgers, cache=tmp_path)
    reads.clear()
    monkeypatch.setattr(zc, "loader_version", lambda: "a newer loader")
    warm = load(ledgers, cache=tmp_path)
    assert len(reads) == 7
    assert_same(load(ledgers, cache=False), warm)


def test_the_loader_version_is_its_sources_and_its_readers(tmp_path):
    package = tmp_path / "zqcampaign"
    shutil.copytree(
        ROOT / "zqcampaign", package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    libs = {"zqcampaign": "0.1.0", "python-calamine": "0.9.1"}
    before = zc.version_digest(package, libs)
    assert zc.version_digest(package, libs) == before
    assert zc.version_digest(package, {**libs, "python-calamine": "0.9.2"}) != before
    assert zc.version_digest(package, {**libs, "zqcampaign": "0.2.0"}) != before
    values = package / "parse" / "values.py"
    values.write_text(values.read_text(encoding="utf-8") + "\n# a change\n", encoding="utf-8")
    assert zc.version_digest(package, libs) != before
    values.unlink()
    (package / "charts" / "style.py").write_text("# not read by the loader\n", encoding="utf-8")
    shutil.copy(ROOT / "zqcampaign" / "parse" / "values.py", values)
    assert zc.version_digest(package, libs) == before  # drawing code is not the loader
    assert len(zc.loader_version()) == 64


# --- a damaged cache is rebuilt --------------------------------------------------------


def _truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _garbage(path):
    path.write_bytes(os.urandom(path.stat().st_size))


def _empty(path):
    path.write_bytes(b"")


def _pickle(path):
    import pickle

    path.write_bytes(pickle.dumps({"not": "an entry"}))


@pytest.mark.parametrize("damage", [_truncate, _garbage, _empty, _pickle])
def test_a_damaged_entry_is_a_miss_and_is_written_again(ledgers, tmp_path, reads, damage):
    cold = load(ledgers, cache=False)
    load(ledgers, cache=tmp_path)
    for path in entries(tmp_path) + entries(tmp_path, zc.LOAD_FORMAT):
        damage(path)
    reads.clear()
    assert_same(cold, load(ledgers, cache=tmp_path))
    assert len(reads) == 7  # every file read again
    reads.clear()
    assert_same(cold, load(ledgers, cache=tmp_path))  # written again: hits now
    assert reads == []


def test_an_entry_of_another_key_is_not_taken(ledgers, tmp_path, reads):
    cold = load(ledgers, cache=False)
    load(ledgers, cache=tmp_path)
    drop_load_entries(tmp_path)
    files = entries(tmp_path)
    for path in files[1:]:  # every entry replaced by the first one (a valid entry, foreign)
        shutil.copy(files[0], path)
    reads.clear()
    assert_same(cold, load(ledgers, cache=tmp_path))
    assert len(reads) == 6  # all but the file whose entry it is


def test_an_unwritable_cache_is_no_cache(ledgers, tmp_path):
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert_same(load(ledgers, cache=False), load(ledgers, cache=blocked))
    assert blocked.read_text(encoding="utf-8") == "not a folder"


def test_a_file_that_failed_for_a_reason_of_the_moment_is_not_kept(ledgers, tmp_path, monkeypatch):
    real = loader.read_workbook

    def slow(path, **kw):
        if Path(path).name == "怀集县.csv":
            raise zq.ReaderTimeoutError(path, "读取超时")
        return real(path, **kw)

    monkeypatch.setattr(loader, "read_workbook", slow)
    failed = load(ledgers, cache=tmp_path)
    assert "reader_timeout" in set(failed.issues["code"])
    assert entries(tmp_path, zc.LOAD_FORMAT) == []  # nor the whole load
    monkeypatch.setattr(loader, "read_workbook", real)
    assert_same(load(ledgers, cache=False), load(ledgers, cache=tmp_path))


_LOADER = textwrap.dedent(
    """
    import hashlib, sys, warnings
    warnings.simplefilter("ignore")
    import pandas as pd
    import zqcampaign as zq
    camp = zq.load(sys.argv[1], cache=sys.argv[2], workers=1)
    digest = hashlib.sha256()
    for frame in (camp.snapshots, camp.projects, camp.issues, camp.files, camp.columns):
        digest.update(pd.util.hash_pandas_object(frame.astype(str), index=True).values.tobytes())
    print(digest.hexdigest())
    """
)


def test_two_processes_loading_at_once_both_succeed(ledgers, tmp_path):
    store = tmp_path / "shared-cache"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", _LOADER, str(ledgers), str(store)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(3)
    ]
    outs = [p.communicate(timeout=240) for p in runs]
    assert [p.returncode for p in runs] == [0, 0, 0], [e for _o, e in outs]
    digests = {o.strip() for o, _e in outs}
    assert len(digests) == 1
    again = subprocess.run(
        [sys.executable, "-c", _LOADER, str(ledgers), str(store)],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        check=True,
    )
    assert again.stdout.strip() in digests
    assert not list(store.rglob("*" + zc._TMP))  # no temporary file left behind


# --- where, how big ---------------------------------------------------------------------


def test_where_the_cache_is(tmp_path, monkeypatch):
    monkeypatch.delenv(zc.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert zc.cache_folder() == tmp_path / "xdg" / "zqcampaign"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert zc.cache_folder(True) == tmp_path / "home" / ".cache" / "zqcampaign"
    monkeypatch.setenv(zc.ENV, str(tmp_path / "env"))
    assert zc.cache_folder() == tmp_path / "env"
    assert zc.cache_folder(tmp_path / "given") == tmp_path / "given"
    assert zc.cache_folder(False) is None
    for off in ("off", "OFF", "0", "false", "no", ""):
        monkeypatch.setenv(zc.ENV, off)
        assert zc.cache_folder() is None


def test_the_default_cache_is_used_and_false_writes_nothing(ledgers, tmp_path, monkeypatch):
    monkeypatch.setenv(zc.ENV, str(tmp_path / "env"))
    load(ledgers)
    assert len(entries(tmp_path / "env")) == 6
    monkeypatch.setenv(zc.ENV, str(tmp_path / "other"))
    load(ledgers, cache=False)
    assert not (tmp_path / "other").exists()


def test_prune_keeps_the_entries_used_last_and_only_entries_are_removed(ledgers, tmp_path):
    load(ledgers, cache=tmp_path)
    files = entries(tmp_path) + entries(tmp_path, zc.LOAD_FORMAT)
    for age, path in enumerate(files):  # the first one used longest ago
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    mine = tmp_path / "notes.txt"
    mine.write_text("the user's own file", encoding="utf-8")
    keep = sum(p.stat().st_size for p in files[2:])
    zc.prune(tmp_path, max_bytes=keep)
    assert [p for p in files if p.exists()] == files[2:]
    assert zc.clear(tmp_path) == len(files) - 2
    assert entries(tmp_path) == [] and mine.exists()


# --- any mix of hits and misses ---------------------------------------------------------


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """Ledgers, their cold load, a cache of them and which entry is whose."""
    base = tmp_path_factory.mktemp("mixed")
    root = make_ledgers(base / "ledgers")
    cold = load(root, cache=False)
    store = base / "cache"
    owners = {}
    real = zc.ParseCache.put

    def put(self, key, entry):
        owners[key] = entry.results[0].file if entry.results else key
        return real(self, key, entry)

    zc.ParseCache.put = put
    try:
        load(root, cache=store)
    finally:
        zc.ParseCache.put = real
    drop_load_entries(store)
    return root, cold, store, owners


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_mix_of_cached_and_parsed_files_gives_the_cold_load(filled, tmp_path, data):
    root, cold, store, owners = filled
    keys = sorted(owners)
    missing = data.draw(st.sets(st.sampled_from(keys)), label="entries missing")
    here = tmp_path / f"c{len(list(tmp_path.iterdir()))}"
    shutil.copytree(store, here)
    for key in missing:
        (here / zc.FORMAT / key[:2] / (key + zc.SUFFIX)).unlink()
    assert_same(cold, load(root, cache=here))


def test_workers_parse_the_changed_files_while_this_process_takes_the_rest(
    ledgers, tmp_path, reads
):
    load(ledgers, cache=tmp_path)
    drop_load_entries(tmp_path)
    for path in (ledgers / "2023-07" / "怀集县.csv", ledgers / "2023-08" / "怀集县.csv"):
        text = path.read_text(encoding="gbk").replace("30000", "31000")
        path.write_text(text, encoding="gbk")  # two changed files, cached ones between them
    reads.clear()
    warm = load(ledgers, cache=tmp_path, workers=2)
    assert reads == []  # this process parsed nothing: the workers did
    cold = load(ledgers, cache=False)
    assert_same(cold, warm)
    assert set(cold.snapshots.loc[cold.snapshots["county"] == "怀集县", "total_investment"]) == {
        31000
    }
