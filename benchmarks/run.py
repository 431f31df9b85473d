"""Province-scale benchmarks (issues #7, #18): load cold and from the parse cache, figures,
import, briefing pack, memory.

Usage::

    python benchmarks/run.py             # measure, print the table, write benchmarks/RESULTS.md
    python benchmarks/run.py --runs 5    # more runs per figure (default 3)
    python benchmarks/run.py --no-write  # print only

The data set is made with the package's own generator (:mod:`benchmarks.province`) and
cached in ``benchmarks/data/``. Every figure is the median of several runs; what is compared
is measured side by side, runs interleaved, in the same process (absolute times on a shared
machine drift; ratios hold). Before the timings, the figures are checked against a
straightforward reference computation (:mod:`benchmarks.reference`) and the loaded data
against the generator's ground truth, on a sample.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import dataclasses
import io
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import province  # noqa: E402
import reference  # noqa: E402

import zqcampaign as zq  # noqa: E402
from zqcampaign import cache as zcache  # noqa: E402

# Every load below says which cache it uses; a load that does not (and every fresh process
# that is not given one) parses its files: the user's own cache is never touched.
os.environ[zcache.ENV] = "off"

RESULTS = HERE / "RESULTS.md"
LAST_RUN = province.DATA / "last_run.json"  # the numbers of the last run (git-ignored)
SAMPLE = ROOT / "sample_data"


@dataclasses.dataclass
class Row:
    figure: str
    measured: str
    target: str
    ratio: str
    met: bool | None  # None: informational, or not measurable yet


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def fmt_s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


def medians(jobs: dict[str, Callable[[], Any]], runs: int) -> dict[str, float]:
    """Median wall time of each job; the jobs take turns run after run."""
    times: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        for name, job in jobs.items():
            t0 = time.perf_counter()
            job()
            times[name].append(time.perf_counter() - t0)
    return {name: statistics.median(t) for name, t in times.items()}


# ---------------------------------------------------------------------------------------
# readers to compare with


def _csv_rows(path: Path) -> list[list[str]]:
    """A CSV ledger as the standard library reads it (decode, split): no Rust CSV reader
    is installed, so this is the bare read of the CSV files in every comparison."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")
    return list(csv.reader(io.StringIO(text, newline="")))


def read_fastexcel(files: list[Path]) -> int:
    """fastexcel (Rust, calamine underneath): every sheet loaded into Rust memory, not
    converted to Python (converting needs pyarrow, which is not a project dependency)."""
    import fastexcel

    n = 0
    for f in files:
        if f.suffix == ".csv":
            n += len(_csv_rows(f))
            continue
        reader = fastexcel.read_excel(str(f))
        for name in reader.sheet_names:
            n += reader.load_sheet(name, header_row=None).height
    return n


def read_fastexcel_threads(files: list[Path], threads: int) -> int:
    """The fastexcel read of every file, spread over ``threads`` threads (fastexcel
    releases the GIL while it parses): the floor when every core may be used."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(threads) as pool:
        return sum(pool.map(lambda f: read_fastexcel([f]), files))


def read_calamine(files: list[Path]) -> int:
    """python-calamine: every sheet as Python values (``to_python``), what the loader needs."""
    import python_calamine as pc

    n = 0
    for f in files:
        if f.suffix == ".csv":
            n += len(_csv_rows(f))
            continue
        wb = pc.CalamineWorkbook.from_path(str(f))
        for name in wb.sheet_names:
            n += len(wb.get_sheet_by_name(name).to_python(skip_empty_area=True))
        wb.close()
    return n


def read_pandas_openpyxl(files: list[Path]) -> int:
    """``pd.read_excel(engine="openpyxl")`` for .xlsx (xlrd for .xls, which openpyxl cannot
    read; ``pd.read_csv`` for .csv): every sheet, no header."""
    n = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for f in files:
            if f.suffix == ".csv":
                frames = {"": pd.read_csv(f, header=None, dtype=object, encoding="gb18030")}
            else:
                engine = "openpyxl" if f.suffix == ".xlsx" else "xlrd"
                frames = pd.read_excel(f, sheet_name=None, header=None, engine=engine)
            n += sum(len(x) for x in frames.values())
    return n


# ---------------------------------------------------------------------------------------
# where the time of zq.load goes


def load_breakdown(source: Path) -> tuple[float, dict[str, float]]:
    """(total, seconds per step) of one ``zq.load`` in one process (``workers=1``, so that
    every step is timed here): reading files, the sheet tops, the bodies, assembling
    snapshots and projects."""
    import zqcampaign.loader as loader

    spent: dict[str, float] = defaultdict(float)
    names = {
        "read_workbook": "reading files (readers.read_workbook: pre-flight, calamine, .xls in a child process)",
        "_sha256": "file checksums (SHA-256)",
        "scan_sheet": "sheet tops: header, title, county and date hints (sheet_top.scan_sheet)",
        "parse_bodies": "bodies: classify rows, parse values column-wise (bodies.parse_bodies)",
        "assemble": "snapshots and projects: identity, stages, baseline (model.assembly.assemble)",
    }
    saved = {name: getattr(loader, name) for name in names}

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[names[name]] += time.perf_counter() - t0

        return run

    for name, fn in saved.items():
        setattr(loader, name, timed(name, fn))
    try:
        t0 = time.perf_counter()
        zq.load(source, workers=1, cache=False)
        total = time.perf_counter() - t0
    finally:
        for name, fn in saved.items():
            setattr(loader, name, fn)
    spent["everything else (walking the folder, issues, summary)"] = total - sum(spent.values())
    return total, dict(spent)


def reader_layer(files: list[Path], runs: int) -> dict[str, float]:
    """The reader layer piece by piece: pre-flight, read_workbook with and without the
    child process, bare calamine."""
    from zqcampaign.io.preflight import preflight
    from zqcampaign.io.readers import read_workbook

    jobs: dict[str, Callable[[], Any]] = {
        "calamine to_python (bare)": lambda: read_calamine(files),
        "read_workbook (as zq.load calls it)": lambda: [read_workbook(f) for f in files],
        "read_workbook(isolate=False)": lambda: [read_workbook(f, isolate=False) for f in files],
        "pre-flight alone": lambda: [preflight(f) for f in files],
    }
    return medians(jobs, runs)


def profile_load(source: Path, top: int = 14) -> str:
    """cProfile of one zq.load in one process: the functions where the time is spent."""
    return _profile(lambda: zq.load(source, workers=1, cache=False), top)


def _profile(job: Callable[[], Any], top: int) -> str:
    prof = cProfile.Profile()
    prof.enable()
    job()
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    lines = out.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("ncalls"))
    root = str(ROOT) + "/"
    site = str(Path(pd.__file__).parent.parent) + "/"
    kept = [line.replace(root, "").replace(site, "") for line in lines[start:] if line.strip()]
    head = next(line for line in lines if "function calls" in line).strip()
    return head + "\n\n" + "\n".join(kept)


# ---------------------------------------------------------------------------------------
# figures


def figures_at(camp: Any, dates: list[pd.Timestamp]) -> None:
    """Every county × category completion figure, the project flags and the targets."""
    for d in dates:
        camp.completion(as_of=d, by=["county", "category"])
        camp.project_flags(as_of=d)
        camp.targets_status(as_of=d)


def scaled(camp: Any, k: int) -> Any:
    """The campaign with ``k`` copies of every project (new ids): k times the rows."""

    def copies(frame: pd.DataFrame) -> pd.DataFrame:
        parts = [frame.assign(project_id=frame["project_id"] + f"#{i}") for i in range(k)]
        return pd.concat(parts, ignore_index=True)

    return dataclasses.replace(
        camp, projects=copies(camp.projects), snapshots=copies(camp.snapshots)
    )


# ---------------------------------------------------------------------------------------
# correctness on a sample


def check_figures(camp: Any, dates: list[pd.Timestamp]) -> list[str]:
    """Library figures against the plain reference; returns what disagrees."""
    p, s, cfg = camp.projects, camp.snapshots, camp.config
    bad = []
    for d in dates:
        lib = camp.completion(as_of=d, by=["county", "category"])
        ref = reference.completion(p, cfg, d)
        m = lib.merge(ref, on=["county", "category"], suffixes=("", "_ref"))
        others = lib.set_index(["county", "category"]).index.difference(
            m.set_index(["county", "category"]).index
        )
        if (
            len(m) != len(ref)
            or (lib.set_index(["county", "category"]).loc[others, "total"] != 0).any()
        ):
            bad.append(f"completion {d.date()}: groups differ")
        for col in ("total", "achieved"):
            if not (m[col] == m[f"{col}_ref"]).all():
                bad.append(f"completion {d.date()}: {col}")
        if not np.allclose(m["rate"], m["rate_ref"], atol=1e-12):
            bad.append(f"completion {d.date()}: rate")
        if not np.allclose(m["expected"], m["expected_ref"], atol=1e-12):
            bad.append(f"completion {d.date()}: expected")
        if not (m["flag"] == m["flag_ref"]).all():
            bad.append(f"completion {d.date()}: flag")
        flags = camp.project_flags(as_of=d)
        rf = reference.project_flags(p, s, cfg, d)
        mf = flags.merge(rf, on="project_id", suffixes=("", "_ref"))
        if not (len(mf) == len(flags) == len(rf)):
            bad.append(f"flags {d.date()}: list differs")
        if not (mf["flag"] == mf["flag_ref"]).all():
            bad.append(f"flags {d.date()}: flag")
        late, late_ref = mf["days_late"].astype("float"), mf["days_late_ref"].astype("float")
        if not ((late == late_ref) | (late.isna() & late_ref.isna())).all():
            bad.append(f"flags {d.date()}: days_late")
        ts = camp.targets_status(as_of=d)
        actual = reference.target_actuals(p, s, cfg, d)
        if not np.allclose(ts["actual"].to_numpy(float), actual, equal_nan=True, rtol=1e-12):
            bad.append(f"targets {d.date()}: actual")
    return bad


def check_against_truth(camp: Any, n: int = 600) -> list[str]:
    """Loaded rows against the generator's ground truth: rows per county and month, and
    the values of a random sample of rows."""
    from zqcampaign.sample import province_truth
    from zqcampaign.schema import MILESTONES

    _, truth = province_truth(province.SEED)
    bad = []
    got = camp.snapshots.groupby(["county", "report_date"]).size()
    want = truth.groupby(["county", "report_date"]).size()
    if not got.sort_index().equals(want.sort_index()):
        bad.append("rows per county and month differ from the truth")
    keyed = camp.snapshots.set_index(["county", "name", "report_date"])
    rows = truth.sample(n, random_state=7)
    for r in rows.itertuples():
        try:
            s = keyed.loc[(r.county, r.name, r.report_date)]
        except KeyError:
            bad.append(f"missing row {r.county} {r.name} {r.report_date.date()}")
            continue
        for col in MILESTONES:
            a, b = s[col], getattr(r, col)
            if not ((pd.isna(a) and pd.isna(b)) or a == b):
                bad.append(f"{r.county} {r.name} {r.report_date.date()} {col}: {a} != {b}")
        for col in ("total_investment", "annual_plan", "ytd_actual"):
            if not np.isclose(s[col], getattr(r, col), rtol=1e-9):
                bad.append(f"{r.county} {r.name} {r.report_date.date()} {col}")
        if s["stage"] != r.stage:
            bad.append(
                f"{r.county} {r.name} {r.report_date.date()} stage {s['stage']} != {r.stage}"
            )
    return bad[:20]


# ---------------------------------------------------------------------------------------
# the parse cache: cold, warm, one month changed


def _month_entries(folder: Path, month: str) -> list[Path]:
    """The per-file entries of the files under ``month``/ (from each entry's metadata)."""
    import pyarrow as pa

    out = []
    for path in (folder / zcache.FORMAT).rglob("*" + zcache.SUFFIX):
        meta = pa.ipc.open_file(pa.BufferReader(path.read_bytes())).schema.metadata
        results = json.loads(meta[b"zqcampaign"])["results"]
        if results and results[0]["file"].startswith(month + "/"):
            out.append(path)
    return out


def cache_times(source: Path, runs: int, month: str) -> dict[str, Any]:
    """Medians of ``zq.load(source)``: cold (an empty cache: every file parsed, every entry
    written), without a cache, warm (the same files and settings: the whole load's entry),
    from the files' entries (the whole load's entry gone, as after a change of a setting
    that parsing does not read), and with ``month``'s files changed (their entries and the
    whole load's gone); the runs interleaved. Also the month's share of the bytes."""
    import shutil

    base = Path(tempfile.mkdtemp(prefix="zq-bench-cache-"))
    pristine, work = base / "pristine", base / "work"
    try:
        zq.load(source, cache=pristine)
        month_entries = [p.relative_to(pristine) for p in _month_entries(pristine, month)]
        times: dict[str, list[float]] = defaultdict(list)

        def timed(name: str, cache: Any) -> None:
            t0 = time.perf_counter()
            zq.load(source, cache=cache)
            times[name].append(time.perf_counter() - t0)

        def fresh(drop_month: bool) -> Path:
            shutil.rmtree(work, ignore_errors=True)
            shutil.copytree(pristine, work)
            shutil.rmtree(work / zcache.LOAD_FORMAT)
            for rel in month_entries if drop_month else []:
                (work / rel).unlink()
            return work

        for _ in range(runs):
            shutil.rmtree(work, ignore_errors=True)
            timed("cold", work)
            timed("no cache", False)
            timed("warm", pristine)
            timed("files", fresh(False))
            timed("month changed", fresh(True))
        files = province.ledger_files(source)
        sizes = {f: f.stat().st_size for f in files}
        month_bytes = sum(v for f, v in sizes.items() if f.parent.name == month)
        out: dict[str, Any] = {k: statistics.median(v) for k, v in times.items()}
        out.update(
            month=month,
            month_files=len(month_entries),
            month_share=month_bytes / sum(sizes.values()),
            entries=len(list((pristine / zcache.FORMAT).rglob("*" + zcache.SUFFIX))),
            cache_bytes=sum(p.stat().st_size for p in pristine.rglob("*") if p.is_file()),
        )
        return out
    finally:
        shutil.rmtree(base, ignore_errors=True)


def profile_cached(source: Path, top: int = 12) -> str:
    """cProfile of one load from the files' entries (the whole load's entry gone)."""
    import shutil

    folder = Path(tempfile.mkdtemp(prefix="zq-bench-cache-"))
    try:
        zq.load(source, cache=folder)
        shutil.rmtree(folder / zcache.LOAD_FORMAT)
        return _profile(lambda: zq.load(source, cache=folder, workers=1), top)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------------------------------
# in fresh processes: import time, the briefing pack, memory


_PYCACHE = tempfile.TemporaryDirectory(prefix="zq-bench-pycache-")


def _python(
    code: str, *args: str, timeout: float = 900, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter, with bytecode caches as an installed package has
    them (kept in a temporary folder, not in the source tree)."""
    env = {k: v for k, v in {**os.environ, **(env or {})}.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=_PYCACHE.name)
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=timeout,
        check=True,
    )


def import_times(runs: int) -> tuple[float, float, list[str]]:
    """Median wall time of ``python -c "import pandas"`` and ``... "import zqcampaign"``
    (alternating), and the heavy modules ``import zqcampaign`` pulled in."""
    times: dict[str, list[float]] = defaultdict(list)
    for name in ("pandas", "zqcampaign"):  # warm up: write the bytecode caches
        _python(f"import {name}")
    for _ in range(runs):
        for name in ("pandas", "zqcampaign"):
            t0 = time.perf_counter()
            _python(f"import {name}")
            times[name].append(time.perf_counter() - t0)
    heavy = _python(
        "import sys, zqcampaign\n"
        "print(','.join(m for m in ('matplotlib', 'openpyxl', 'pptx', 'python_calamine', "
        "'fastexcel', 'tqdm', 'chinese_calendar', 'scipy') if m in sys.modules))"
    ).stdout.strip()
    return (
        statistics.median(times["pandas"]),
        statistics.median(times["zqcampaign"]),
        [m for m in heavy.split(",") if m],
    )


_PACK = """
import sys, tempfile
from zqcampaign.cli import main
with tempfile.TemporaryDirectory() as out:
    code = main(["report", sys.argv[1], "--as-of", "2023-11-30", "--out", out + "/briefing", "--quiet"])
sys.exit(code)
"""


def pack_times(runs: int) -> dict[str, float]:
    """The README's main job in a fresh process (import, load ``sample_data/``, write the
    pack: ``zqcampaign report sample_data --as-of 2023-11-30``), medians: with an empty
    parse cache (``cold``: the first run of the day) and again with the cache it filled
    (``warm``: every rerun)."""
    times: dict[str, list[float]] = defaultdict(list)
    _python("import zqcampaign.output.report, zqcampaign.charts, matplotlib.pyplot")  # bytecode
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="zq-bench-cache-") as folder:
            for name in ("cold", "warm"):
                t0 = time.perf_counter()
                _python(_PACK, str(SAMPLE), env={zcache.ENV: folder})
                times[name].append(time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in times.items()}


_MEMORY = """
import gc, json, os, resource, sys
import zqcampaign as zq

def status(key):
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024

gc.collect()
before = status("VmRSS")
try:  # reset the peak (VmHWM) to the current size: the peak below is the load's own
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    how = "VmHWM"
except OSError:
    how = "ru_maxrss"
camp = zq.load(sys.argv[1])
peak = status("VmHWM") if how == "VmHWM" else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
frames = {n: int(getattr(camp, n).memory_usage(deep=True).sum()) for n in ("snapshots", "projects", "issues")}
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
from zqcampaign.loader import default_workers, ledger_files
workers = default_workers(len(ledger_files(sys.argv[1])[1]))
print(json.dumps({"before": before, "peak": peak, "how": how, "frames": frames,
                  "after": status("VmRSS"), "children_peak": children, "workers": workers}))
"""


def memory(source: Path) -> dict[str, Any]:
    """Peak RSS of loading ``source`` in a fresh process, against the loaded frames' size.

    The peak is the process's high-water mark reset just before ``zq.load`` (``ru_maxrss``
    alone would count the parent's image at the fork that started the process). The
    worker processes' peak (the largest, ``RUSAGE_CHILDREN``) is reported with it.
    """
    return json.loads(_python(_MEMORY, str(source)).stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------
# the machine


def machine() -> list[str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024**2:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    try:
        load = ", load average at start {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except OSError:
        load = ""

    def version(mod: str) -> str:
        try:
            from importlib.metadata import version as v

            return v(mod)
        except Exception:
            return "not installed"

    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores{mem}{load}",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()}; pandas {version('pandas')}, numpy "
        f"{version('numpy')}, python-calamine {version('python-calamine')}, fastexcel "
        f"{version('fastexcel')}, openpyxl {version('openpyxl')}, xlrd {version('xlrd')}",
    ]


# ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="runs per figure (median); default 3")
    ap.add_argument("--no-write", action="store_true", help="do not write benchmarks/RESULTS.md")
    ap.add_argument(
        "--render",
        action="store_true",
        help="only rewrite RESULTS.md from the last run's numbers (benchmarks/data/last_run.json)",
    )
    args = ap.parse_args(argv)
    if args.render:
        saved = json.loads(LAST_RUN.read_text())
        rows = [Row(**r) for r in saved["rows"]]
        RESULTS.write_text(
            render_results(saved["host"], rows, saved["notes"], saved["runs"], saved["when"]),
            encoding="utf-8",
        )
        log(f"wrote {RESULTS.relative_to(ROOT)} from {LAST_RUN.relative_to(ROOT)}")
        return 0
    runs = max(1, args.runs)
    started = time.perf_counter()
    host = machine()

    prov, big = province.ensure_data(log)
    files = province.ledger_files(prov)
    big_files = [big]
    rows: list[Row] = []
    notes: dict[str, Any] = {}

    # -- load: province set -----------------------------------------------------------------
    log(f"province set: {len(files)} files; correctness checks first ...")
    camp = zq.load(prov, cache=False)
    notes["province"] = (len(files), len(camp.snapshots), len(camp.projects), len(camp.issues))
    notes["sheets"] = len(camp.summary.table)
    dates = list(camp.report_dates)
    check_dates = [dates[2], pd.Timestamp("2023-09-30"), dates[-1]]
    bad = check_figures(camp, check_dates) + check_against_truth(camp)
    notes["checks"] = bad
    rows.append(
        Row(
            "checks: figures = plain reference (3 dates, all counties); loaded rows = generator truth",
            "all agree" if not bad else f"{len(bad)} disagreements",
            "all agree",
            "",
            not bad,
        )
    )

    from zqcampaign.loader import default_workers

    workers = default_workers(len(files))
    notes["workers"] = workers
    log(f"timing zq.load on the province set ({workers} worker processes) against bare reads ...")
    t = medians(
        {
            "zq.load": lambda: load_cold(prov),
            "zq.load no cache": lambda: zq.load(prov, cache=False),
            "zq.load one process": lambda: zq.load(prov, workers=1, cache=False),
            "fastexcel": lambda: read_fastexcel(files),
            "fastexcel threads": lambda: read_fastexcel_threads(files, workers),
            "calamine": lambda: read_calamine(files),
        },
        runs,
    )
    log("timing pandas + openpyxl on the province set ...")
    t.update(medians({"openpyxl": lambda: read_pandas_openpyxl(files)}, runs))
    notes["province_times"] = t
    rows += [
        Row(
            f"cold `zq.load` province set (an empty parse cache: every file parsed, every entry "
            f"written; {workers} worker processes, the default) vs bare calamine `to_python` "
            "(the loader's own reader)",
            f"{fmt_s(t['zq.load'])} vs {fmt_s(t['calamine'])}",
            "≤ 1.5×",
            f"{t['zq.load'] / t['calamine']:.1f}×",
            t["zq.load"] / t["calamine"] <= 1.5,
        ),
        Row(
            '`zq.load` province set, cold, vs `pd.read_excel(engine="openpyxl")`',
            f"{fmt_s(t['zq.load'])} vs {fmt_s(t['openpyxl'])}",
            "≥ 8× faster",
            f"{t['openpyxl'] / t['zq.load']:.1f}× faster",
            t["openpyxl"] / t["zq.load"] >= 8,
        ),
        Row(
            "the same without a cache (`cache=False`) vs bare calamine",
            f"{fmt_s(t['zq.load no cache'])} vs {fmt_s(t['calamine'])}",
            "(for reference)",
            f"{t['zq.load no cache'] / t['calamine']:.1f}×",
            None,
        ),
        Row(
            "cold `zq.load` vs bare fastexcel read of the same sheets (cells into Rust memory)",
            f"{fmt_s(t['zq.load'])} vs {fmt_s(t['fastexcel'])}",
            "(for reference)",
            f"{t['zq.load'] / t['fastexcel']:.1f}×",
            None,
        ),
        Row(
            f"the same, both on {workers} cores: `zq.load` vs fastexcel in {workers} threads",
            f"{fmt_s(t['zq.load'])} vs {fmt_s(t['fastexcel threads'])}",
            "(for reference)",
            f"{t['zq.load'] / t['fastexcel threads']:.1f}×",
            None,
        ),
        Row(
            "`zq.load(workers=1, cache=False)` (one process) vs bare calamine",
            f"{fmt_s(t['zq.load one process'])} vs {fmt_s(t['calamine'])}",
            "(for reference)",
            f"{t['zq.load one process'] / t['calamine']:.1f}×",
            None,
        ),
    ]

    log("the parse cache: cold, warm, one month changed (province set, sample_data) ...")
    caches = {"province set": cache_times(prov, runs, "2023-12")}
    caches["`sample_data/`"] = cache_times(SAMPLE, max(runs, 5), "2023-12")
    notes["cache"] = caches
    for name, c in caches.items():
        month_goal = 0.1 * c["cold"] + c["month_share"] * c["cold"]
        rows += [
            Row(
                f"warm `zq.load` {name} (the same files and settings as a load before) vs cold",
                f"{fmt_s(c['warm'])} vs {fmt_s(c['cold'])}",
                "≤ 10 % of cold",
                f"{c['warm'] / c['cold']:.1%}",
                c["warm"] <= 0.1 * c["cold"],
            ),
            Row(
                f"`zq.load` {name} with {c['month']}'s {c['month_files']} files changed vs cold "
                f"(the month: {c['month_share']:.1%} of the bytes)",
                f"{fmt_s(c['month changed'])} vs {fmt_s(c['cold'])}",
                f"≤ 10 % of cold + the month's share = {fmt_s(month_goal)}",
                f"{c['month changed'] / c['cold']:.1%}",
                c["month changed"] <= month_goal,
            ),
            Row(
                f"`zq.load` {name} from every file's entry (the whole load's entry gone: a "
                "setting that parsing does not read changed) vs cold",
                f"{fmt_s(c['files'])} vs {fmt_s(c['cold'])}",
                "(for reference)",
                f"{c['files'] / c['cold']:.1%}",
                None,
            ),
        ]

    log("where the time of zq.load goes ...")
    total, steps = load_breakdown(prov)
    notes["breakdown"] = (total, steps)
    notes["reader_layer"] = reader_layer(files, 1)
    notes["profile"] = profile_load(prov)
    notes["profile_cached"] = profile_cached(prov)

    # -- load: one 100,000-row sheet ------------------------------------------------------
    log("100,000-row sheet ...")
    big_camp = zq.load(big, cache=False)
    notes["big"] = (len(big_camp.snapshots), len(big_camp.issues))
    tb = medians(
        {
            "zq.load": lambda: load_cold(big),
            "fastexcel": lambda: read_fastexcel(big_files),
            "calamine": lambda: read_calamine(big_files),
            "openpyxl": lambda: read_pandas_openpyxl(big_files),
        },
        runs,
    )
    notes["big_times"] = tb
    big_total, big_steps = load_breakdown(big)
    notes["big_breakdown"] = (big_total, big_steps)
    big_camp = None
    rows += [
        Row(
            "`zq.load` 100,000-row sheet vs bare fastexcel read",
            f"{fmt_s(tb['zq.load'])} vs {fmt_s(tb['fastexcel'])}",
            "≤ 1.5×",
            f"{tb['zq.load'] / tb['fastexcel']:.1f}×",
            tb["zq.load"] / tb["fastexcel"] <= 1.5,
        ),
        Row(
            "`zq.load` 100,000-row sheet vs bare calamine `to_python`",
            f"{fmt_s(tb['zq.load'])} vs {fmt_s(tb['calamine'])}",
            "(for reference)",
            f"{tb['zq.load'] / tb['calamine']:.1f}×",
            None,
        ),
        Row(
            '`zq.load` 100,000-row sheet vs `pd.read_excel(engine="openpyxl")`',
            f"{fmt_s(tb['zq.load'])} vs {fmt_s(tb['openpyxl'])}",
            "≥ 8× faster",
            f"{tb['openpyxl'] / tb['zq.load']:.1f}× faster",
            tb["openpyxl"] / tb["zq.load"] >= 8,
        ),
    ]

    # -- figures ----------------------------------------------------------------------------
    log("figures at 12 as-of dates, 1× and 10× ...")
    figures_at(camp, dates)  # warm
    big10 = scaled(camp, 10)
    figures_at(big10, dates[:1])
    tf = medians(
        {"1x": lambda: figures_at(camp, dates), "10x": lambda: figures_at(big10, dates)}, runs
    )
    notes["figures"] = (tf, len(camp.projects), len(camp.snapshots))
    big10 = None  # free the copies
    rows += [
        Row(
            f"county × category completion, flags and targets at {len(dates)} as-of dates "
            f"(province: {len(camp.projects):,} projects, {len(camp.snapshots):,} ledger rows)",
            fmt_s(tf["1x"]),
            "≤ 1 s",
            "",
            tf["1x"] <= 1.0,
        ),
        Row(
            "the same at 10× the rows (every project ten times)",
            f"{fmt_s(tf['10x'])} vs {fmt_s(tf['1x'])}",
            "≤ 12× the time",
            f"{tf['10x'] / tf['1x']:.1f}×",
            tf["10x"] / tf["1x"] <= 12,
        ),
    ]
    camp = None  # free the campaign before the fresh-process measurements

    # -- import -----------------------------------------------------------------------------
    log("import time ...")
    t_pd, t_zq, heavy = import_times(max(7, runs))
    notes["heavy"] = heavy
    rows.append(
        Row(
            '`python -c "import zqcampaign"` vs `python -c "import pandas"`',
            f"{t_zq:.2f} s vs {t_pd:.2f} s"
            + (
                f" (also imports {', '.join(heavy)})"
                if heavy
                else " (no matplotlib, openpyxl, pptx)"
            ),
            "≤ 1.2×",
            f"{t_zq / t_pd:.2f}×",
            t_zq / t_pd <= 1.2 and not {"matplotlib", "openpyxl", "pptx"} & set(heavy),
        )
    )

    # -- briefing pack ----------------------------------------------------------------------
    log("briefing pack for sample_data/ ...")
    pack = pack_times(runs)
    notes["pack"] = pack
    rows += [
        Row(
            "the README's main job, `zqcampaign report sample_data --as-of 2023-11-30` (fresh "
            "process: import, load, the whole pack with its PDF), with an empty parse cache",
            fmt_s(pack["cold"]),
            "< 5 s",
            "",
            pack["cold"] < 5,
        ),
        Row(
            "the same again, from the parse cache it filled",
            fmt_s(pack["warm"]),
            "(for reference)",
            "",
            None,
        ),
    ]

    # -- memory -----------------------------------------------------------------------------
    log("peak memory of loading the province set ...")
    mem = memory(prov)
    notes["memory"] = mem
    frames = sum(mem["frames"].values())
    # the loading process's rise, plus each worker's rise over the image it was forked
    # with (its resident pages then were the parent's, shared): an upper bound of the sum
    worker_rise = max(0, mem["children_peak"] - mem["before"])
    delta = mem["peak"] - mem["before"] + mem["workers"] * worker_rise
    rows.append(
        Row(
            "peak memory of loading the province set (RSS rise of the loading process plus "
            f"{mem['workers']} × a worker's) vs the loaded frames",
            f"{delta / 2**20:.0f} MiB vs {frames / 2**20:.0f} MiB",
            "≤ 3×",
            f"{delta / frames:.1f}×",
            delta / frames <= 3,
        )
    )
    notes["elapsed"] = time.perf_counter() - started
    import shutil

    for folder in _COLD_FOLDERS:
        shutil.rmtree(folder, ignore_errors=True)

    table = render_table(rows)
    print(table)
    when = time.strftime("%Y-%m-%d %H:%M")
    saved = {
        "host": host,
        "rows": [dataclasses.asdict(r) for r in rows],
        "notes": notes,
        "runs": runs,
        "when": when,
    }
    LAST_RUN.write_text(json.dumps(saved, ensure_ascii=False, indent=1, default=str))
    if not args.no_write:
        RESULTS.write_text(render_results(host, rows, notes, runs, when), encoding="utf-8")
        log(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


_COLD_FOLDERS: list[str] = []


def load_cold(source: Path, **kw: Any) -> Any:
    """``zq.load`` with an empty parse cache (removed at the end of the run, not timed)."""
    folder = tempfile.mkdtemp(prefix="zq-bench-cache-")
    _COLD_FOLDERS.append(folder)
    return zq.load(source, cache=folder, **kw)


def render_table(rows: list[Row]) -> str:
    lines = ["| figure | measured | target | ratio | met |", "|---|---|---|---|---|"]
    mark = {True: "yes", False: "**no**", None: "—"}
    for r in rows:
        lines.append(f"| {r.figure} | {r.measured} | {r.target} | {r.ratio} | {mark[r.met]} |")
    return "\n".join(lines)


def render_results(
    host: list[str], rows: list[Row], notes: dict[str, Any], runs: int, when: str
) -> str:
    from results_text import explain, explain_cache

    n_files, n_rows, n_projects, n_issues = notes["province"]
    out = [
        "# Benchmarks: province scale (issues #7, #18)",
        "",
        "Written by `python benchmarks/run.py` — do not edit by hand; rerun. "
        f"{when} (the whole run took {notes['elapsed'] / 60:.1f} min).",
        "",
        "## Machine",
        "",
        *host,
        "",
        "## Data",
        "",
        f"- Province set (`benchmarks/data/province/`, made by `zqcampaign.sample.write_province`): "
        f"{n_files:,} ledger files ({notes['sheets']:,} sheets) — 12 monthly folders, one ledger per "
        "county per month for 251 counties (Zhaoqing's 11 divisions and 20 cities × 12 fictional "
        "counties), October as one workbook per city; each county in one of the sample's 11 "
        "house styles (.xlsx / legacy .xls / GBK .csv, merged two-row headers, section rows, "
        "traditional headers, full-width digits, dates and money spelled every way the sample "
        f"spells them). Loaded: {n_projects:,} projects, {n_rows:,} ledger rows, {n_issues:,} "
        "issues (mostly info: month-only and year-less planned dates).",
        f"- One sheet of {notes['big'][0]:,} projects (`benchmarks/data/big/`, "
        "`zqcampaign.sample.write_big_sheet`): 端州区's style (two-row merged header, section "
        f"rows, Excel dates), mostly clean rows ({notes['big'][1]:,} issues, nearly all "
        "`out_of_scope` info for projects already completed by December).",
        "",
        "## Results",
        "",
        f"Medians of {runs} runs; compared figures measured side by side in one process, runs "
        "interleaved.",
        "",
        render_table(rows),
        "",
        *explain_cache(notes),
        *explain(notes),
    ]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
