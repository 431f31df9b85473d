"""The prose of benchmarks/RESULTS.md around the measured numbers (see run.py)."""

from __future__ import annotations

from typing import Any

# Measured once on this machine before the speed work of issue #7 (commit dc5b208: one
# sheet at a time, pandas per sheet), with the reader layer of that day.
BEFORE = {
    "province_load": 149.0,  # s, zq.load of the province set
    "province_read": 18.5,  # s, of which read_workbook
    "sample_load": 1.87,  # s, zq.load("sample_data")
    "big_load": 11.3,  # s, zq.load of the 100,000-row sheet (today's reader layer)
    "figures": 1.64,  # s, the 12-date figures on the province set
}


def _s(x: float) -> str:
    return f"{x:.2f} s" if x < 100 else f"{x:.0f} s"


def explain_cache(notes: dict[str, Any]) -> list[str]:
    """The parse cache and the goals of issue #18, with this run's numbers."""
    c = notes["cache"]["province set"]
    cs = notes["cache"]["`sample_data/`"]
    t = notes["province_times"]
    assembly = steps_assemble(notes["breakdown"][1])
    month_goal = 0.1 * c["cold"] + c["month_share"] * c["cold"]
    out = [
        "## The parse cache (issue #18)",
        "",
        "**What is measured.** *Cold*: `zq.load` with an empty cache folder — every file "
        "parsed and its entry written, and the whole load's entry written. *Warm*: the same "
        "files, names and settings again — the whole load's entry. *Files*: every file's "
        "entry but not the whole load's (as after a change of a setting that parsing does "
        "not read, such as `[thresholds]`). *One month changed*: the entries of "
        f"{c['month']}'s files and the whole load's removed, as when that month's ledgers "
        "arrive. Each run starts from a copy of a cache filled once (copying is not timed); "
        "the kinds of load take turns run after run.",
        "",
        "| load | province set | `sample_data/` |",
        "|---|---|---|",
        f"| cold (empty cache) | {_s(c['cold'])} | {_s(cs['cold'])} |",
        f"| no cache (`cache=False`) | {_s(c['no cache'])} | {_s(cs['no cache'])} |",
        f"| warm (the whole load's entry) | {_s(c['warm'])} ({c['warm'] / c['cold']:.1%}) | "
        f"{_s(cs['warm'])} ({cs['warm'] / cs['cold']:.1%}) |",
        f"| every file's entry | {_s(c['files'])} ({c['files'] / c['cold']:.0%}) | "
        f"{_s(cs['files'])} ({cs['files'] / cs['cold']:.0%}) |",
        f"| {c['month']} changed | {_s(c['month changed'])} ({c['month changed'] / c['cold']:.0%}; goal "
        f"{_s(month_goal)}) | {_s(cs['month changed'])} ({cs['month changed'] / cs['cold']:.0%}; goal "
        f"{_s(0.1 * cs['cold'] + cs['month_share'] * cs['cold'])}) |",
        f"| entries, size of the cache | {c['entries']:,} files, "
        f"{c['cache_bytes'] / 2**20:.0f} MiB | {cs['entries']:,} files, "
        f"{cs['cache_bytes'] / 2**20:.1f} MiB |",
        "",
        "**How a warm load goes.** The folder is walked, every file read and hashed "
        "(SHA-256 of the bytes), the key of the whole load made of the folder, every file's "
        "path and checksum, the files skipped, the loader's version and the configuration "
        "(its `repr`: every setting), and one entry read: six frames in Apache Arrow IPC. "
        "Nothing is parsed or assembled.",
        "",
        "**How a load with some files changed goes.** The same checksums give each file's "
        "key (checksum, the names it is read under, the parse settings, the loader's "
        "version); the files with an entry are taken from it in this process while the "
        "worker processes parse the others (they write those entries), then the rows are "
        "assembled (project identity across months, baselines: serial, every row at once) "
        "and the whole load's entry written. With "
        f"{c['month']} changed that is the month's parse on the workers, the other months' "
        f"entries here, and the assembly: {_s(assembly)} in the instrumented cold load above. "
        + (
            "The goal is met."
            if c["month changed"] <= month_goal
            else f"The goal ({_s(month_goal)}) is missed: the assembly alone is "
            f"{assembly / month_goal:.0%} of it, and it needs every row of the year; "
            "making it incremental (keeping project identity and baselines per month and "
            "joining only the new month) is the next step. Profile of a load from every "
            "file's entry (one process):"
        ),
        "",
    ]
    if c["month changed"] > month_goal:
        out += ["```", notes["profile_cached"], "```", ""]
    out += [
        "**Never stale, never unsafe.** A key changes with any changed cell (the checksum is "
        "of the bytes parsed, read once), a renamed or moved file (names give county and date "
        "hints), a changed county spelling or `[columns]` entry, or a new loader (the package "
        "version, a digest of the sources of `io/`, `parse/` and the modules they use, the "
        "reader libraries' versions). Entries are Arrow IPC with JSON metadata — data formats: "
        "reading one runs no code from it, where unpickling a pickle can run any code a "
        "forged file holds. A truncated, corrupt or foreign entry is a miss and is written "
        "again; entries are written to a temporary file and renamed into place, so loads at "
        "once never see half of one (`tests/test_cache.py` runs three processes on one "
        "empty folder). A file that failed for a reason of the moment (time-out, crash, "
        "memory) is not kept.",
        "",
        f"The cold load with the cache costs {_s(t['zq.load'] - t['zq.load no cache'])} more "
        f"than without ({_s(t['zq.load'])} against {_s(t['zq.load no cache'])}): the rows "
        "converted to Arrow once per batch and written per file, the checksums taken before "
        "the workers start, the whole load's frames written.",
        "",
    ]
    return out


def explain(notes: dict[str, Any]) -> list[str]:
    t = notes["province_times"]
    tb = notes["big_times"]
    total, steps = notes["breakdown"]
    big_total, big_steps = notes["big_breakdown"]
    layer = notes["reader_layer"]
    figs = notes["figures"][0]
    mem = notes["memory"]
    frames = sum(mem["frames"].values())
    read = next(v for k, v in steps.items() if k.startswith("reading"))
    big_read = next(v for k, v in big_steps.items() if k.startswith("reading"))
    ours = total - read
    big_ours = big_total - big_read
    out = [
        "## How each figure is measured",
        "",
        "- **Bare reads** read every sheet of the same files: fastexcel `load_sheet` (cells "
        "into Rust memory; turning them into Python or pandas objects needs pyarrow, which is "
        "not a project dependency, so this is the floor), python-calamine `to_python` (Python "
        'values: what the loader needs and builds on), and `pd.read_excel(engine="openpyxl")` '
        "(xlrd for the legacy .xls files, which openpyxl cannot open). The 23 GBK CSV files per "
        "month are read with the standard library (decode, `csv.reader`) in every bare read.",
        '- **Figures**: `camp.completion(as_of=d, by=["county", "category"])`, '
        "`camp.project_flags(as_of=d)` and `camp.targets_status(as_of=d)` for each of the 12 "
        "report dates, after one warm-up pass. 10× rows: every project and ledger row copied ten "
        "times under new ids (same counties and dates).",
        '- **Import**: wall time of a fresh `python -c "import …"`, the two alternating, '
        "after one warm-up run that writes the bytecode caches (as an installed package has "
        "them; this sandbox sets `PYTHONDONTWRITEBYTECODE`, which would leave the package "
        "compiling its sources at every import while pandas reads its installed caches).",
        "- **Briefing pack**: a fresh process imports the package, loads `sample_data/` and "
        "writes the pack (`camp.report`) into a temporary folder; wall time of the whole process.",
        "- **Memory**: a fresh process imports the package, then loads the province set; "
        "the figure is the rise of its peak resident set size during `zq.load` (the high-water "
        "mark `VmHWM`, reset just before the load through `/proc/self/clear_refs`) over its "
        "resident size just before, against `memory_usage(deep=True)` of `snapshots`, "
        "`projects` and `issues`. (`ru_maxrss` would also count the image of the parent "
        "process at the fork that started the child.)",
        "- **Checks** (run first): completion by county × category (totals, achieved, rate, "
        "expected pace, flag), every project's flag and days late, and every target's actual "
        "value at 3 dates, against `benchmarks/reference.py` (the SPEC rules project by "
        "project in plain Python); and the loaded ledger rows against the generator's ground "
        "truth (`zqcampaign.sample.province_truth`): rows per county and month, and the "
        "milestone dates, money and stage of 600 random rows.",
        "",
    ]
    if notes["checks"]:
        out += ["Disagreements found:", "", *[f"- {b}" for b in notes["checks"]], ""]

    out += [
        "## Where the time of `zq.load` goes",
        "",
        f"One instrumented load of the province set ({_s(total)}) and of the 100,000-row sheet "
        f"({_s(big_total)}):",
        "",
        "| step | province set | 100,000-row sheet |",
        "|---|---|---|",
    ]
    for name, secs in steps.items():
        out.append(
            f"| {name} | {_s(secs)} ({secs / total:.0%}) | {_s(big_steps.get(name, 0.0))} "
            f"({big_steps.get(name, 0.0) / big_total:.0%}) |"
        )
    out += [
        "",
        "The reader layer on the province set, piece by piece (one run each):",
        "",
        "| reader | time |",
        "|---|---|",
        *[f"| {k} | {_s(v)} |" for k, v in layer.items()],
        "",
        "Profile of one province load (own time per function, top entries):",
        "",
        "```",
        notes["profile"],
        "```",
        "",
        "## The load targets: where they stand, what bounds them, what was tried",
        "",
        f"**How the load runs.** A folder of {notes['province'][0]:,} files is read by "
        f"{notes['workers']} worker processes (`zq.load(workers=None)`: one per core on this "
        f"{notes['workers']}-core machine; `loader.default_workers`): the file list is cut into "
        "consecutive parts, big ones first, each worker reads, pre-flights, scans and "
        "parses whole parts, and this process puts the parts together in file order and "
        "assembles snapshots and projects. The result is the same as `workers=1` (tested frame "
        "by frame in `tests/test_parallel_load.py`, with failing files at part boundaries and "
        f"a worker killed mid-load). Province set: {_s(t['zq.load'])} with "
        f"{notes['workers']} workers, {_s(t['zq.load one process'])} in one process.",
        "",
        "**`zq.load` against a bare read (≤ 1.5×).** Missed: "
        f"{t['zq.load'] / t['fastexcel']:.1f}× the serial fastexcel read "
        f"({_s(t['fastexcel'])}), {t['zq.load'] / t['fastexcel threads']:.1f}× fastexcel on "
        f"{notes['workers']} threads ({_s(t['fastexcel threads'])}). In one process the load "
        f"does {_s(total)} of work: {_s(read)} reading the files through "
        f"`zqcampaign.io.readers.read_workbook` and {_s(ours)} for everything the loader does with "
        "the cells. What bounds it:",
        "",
        "1. *Python values for every cell.* The loader needs per-cell types, the sheet origin "
        "(spreadsheet row numbers) and merged ranges, which fastexcel does not give, so it "
        "reads with calamine `to_python`, which builds a Python object per cell (a `date` "
        "object per date cell): "
        f"{t['calamine'] / t['fastexcel']:.1f}× the fastexcel floor on the province set, "
        f"{tb['calamine'] / tb['fastexcel']:.1f}× on the 100,000-row sheet, before any "
        "checking or parsing.",
        *_reader_points(layer),
        f"3. *The assembly is serial.* Project identity, duplicates across files, baselines "
        f"and the project table need every row at once: {_s(steps_assemble(steps))} after the "
        "workers finish.",
        "",
        "So with this reader the floor of the load on this machine is about (calamine + "
        f"pre-flight) / {notes['workers']} + assembly = "
        f"{_s(floor_estimate(t, layer, steps, notes['workers']))}, already "
        f"{floor_estimate(t, layer, steps, notes['workers']) / t['fastexcel']:.1f}× the serial "
        "fastexcel read: ≤ 1.5× needs a reader that hands over typed columns without a Python "
        "object per cell *and* keeps origins and merged ranges (fastexcel with pyarrow gives "
        "the first but not the second), or dropping the hostile-input pre-flight of issue #8, "
        "which we do not.",
        "",
        "**`zq.load` against openpyxl (≥ 8× faster).** "
        + (
            f"Met: {t['openpyxl'] / t['zq.load']:.1f}× faster on the province set."
            if t["openpyxl"] / t["zq.load"] >= 8
            else f"Missed: {t['openpyxl'] / t['zq.load']:.1f}× faster on the province set "
            f"(≥ 8× needs {_s(t['openpyxl'] / 8)}). "
            + _over_floor(t, layer, steps, notes["workers"], read, ours)
        )
        + " On the single 100,000-row sheet (one file: nothing to spread over workers; the "
        "issue's load targets are for the province set, this sheet is measured besides) it is "
        f"{tb['openpyxl'] / tb['zq.load']:.1f}× faster; calamine alone is "
        f"{tb['openpyxl'] / tb['calamine']:.1f}× faster than openpyxl there, so ≥ 8× would "
        f"leave {max(0.0, tb['openpyxl'] / 8 - tb['calamine']):.2f} s for the pre-flight, the "
        f"parsing, validation, issues and assembly, which take {_s(big_ours)} after the read.",
        "",
        f"Before this work the province load took about {_s(BEFORE['province_load'])} (of which "
        f"{_s(BEFORE['province_read'])} reading): about 45 ms per sheet of pandas calls, one "
        "sheet at a time.",
        "",
        "What was tried and kept (behaviour identical: the whole test suite passes, and a "
        "side-by-side comparison of old and new loader on the sample, the province set, every "
        "test ledger and the hypothesis examples gave identical snapshots, projects, issues "
        "— same rows in the same order — and row accounting):",
        "",
        "- *Worker processes* (this round): the province load went from "
        f"{_s(t['zq.load one process'])} in one process to {_s(t['zq.load'])}. Linux `fork` "
        "(workers start at once, no re-import); consecutive parts of the file list, each half "
        "of a worker's share of the bytes left (big parts first, small ones last, so that the "
        "workers finish within a few hundredths of a second of each other), handed out as "
        "workers free up; each worker keeps one parse cache for all its parts; "
        "a worker that dies has its parts read in this process. Folders under "
        "`loader.PARALLEL_MIN_FILES` files are read in process (the sample: 56 files, "
        "a quarter of a second).",
        "- *One pass per cell in the reader* (this round): whitespace-only text becomes an "
        "empty cell in the reader's existing per-cell pass (CSV and HTML already did so), "
        "instead of a second pass over every body cell.",
        "- *Less per file and per sheet* (this round): a folder's county and date hints and "
        "the prefix of its files' names are worked out once per folder, not per file; the "
        "header search does not match rows with fewer than two text cells (titles, date "
        "lines) against the header rules; snapshots go back to report order by their index "
        "instead of a second four-key sort (unless two rows tie on the keys); empty body "
        "rows are found from one null test instead of two.",
        "- *The .xls record walk* (this round): one `struct` call per record (type, length, "
        "row, column) instead of two, and no `max()` calls: half the time of the pre-flight's "
        "BIFF scan (0.34 s → 0.18 s over the 748 province .xls files).",
        "- *Two-step sheet reading* (`sheet_top.scan_sheet` / `bodies.parse_bodies`): the top of "
        "each sheet (header, title, hints) is read in plain Python, and the body rows of many "
        "sheets (about 20,000 rows at a time) are classified and parsed together, column-wise, "
        "in one object matrix: per-sheet cost went from ~45 ms of pandas calls to ~0.2 ms.",
        "- *Each distinct value parsed once per load*: values are factorised per column and a "
        "`ParseMemo` shares parse results between batches; year-less dates are parsed per "
        "report date only when they need it (`values.date_uses_report_date`); plain numbers "
        "are converted to 万元 in one vectorised step; plain `2023-08-15` dates skip "
        "normalisation; dates are built as `datetime64` from the distinct values.",
        "- *Caches for what recurs every month*: header matching (`headers.match_header`), "
        "text normalisation, county look-up through an `AliasIndex` (first-character index, "
        "answers cached: 251 counties have ~500 spellings), month ends and valid dates.",
        "- *No per-row Python in assembly*: project identity from a name key computed once per "
        "distinct name; duplicate, out-of-scope and missing-project issues built column-wise "
        "instead of `.loc` per row (half the old load time of the 100,000-row sheet); resolved "
        "paths cached per folder; small .xls files whose records bound them are read in "
        "process instead of a forked child each.",
        "- Tried and dropped: parts of equal bytes, four or eight per worker (one worker "
        "idled up to 0.2 s at the end; eight were 0.2 s slower overall); a helper process that pre-flighted the next files while this one "
        "read (`readers.read_workbooks`, removed: the workers do it all); pandas `.str` "
        "methods for the whitespace-only check over every cell (5× slower than a `map` over "
        "the text cells); re-parsing dates per report date (3× the parse calls).",
        "",
        "Still possible: moving the row-local assembly steps (stages, date checks) into the "
        "workers, which would shorten the serial tail by a tenth of a second or so. On a "
        "machine with more cores the worker share shrinks (`loader.MAX_WORKERS` = 4); the "
        "floor above does not change in kind.",
        "",
    ]

    out += [
        "## Before and after (this machine)",
        "",
        "Before: the loader and figures of commit dc5b208, measured once at the start of this "
        "work (the province load with the reader layer of that day; the 100,000-row sheet with "
        "today's). Now: this run.",
        "",
        "| figure | before | now |",
        "|---|---|---|",
        f"| `zq.load` province set | {_s(BEFORE['province_load'])} | {_s(t['zq.load'])} |",
        f"| `zq.load` 100,000-row sheet | {_s(BEFORE['big_load'])} | {_s(tb['zq.load'])} |",
        f"| figures at 12 dates (province) | {_s(BEFORE['figures'])} | {_s(figs['1x'])} |",
        "",
        "Figures: `figures._common.latest_rows` sorts only the rows up to the date and copies only "
        "the columns asked for; `flags.project_flags` builds each reason text for the rows it "
        "applies to only; `completion` computes each county's pace once, not once per "
        "category; `county_order` takes distinct values before building its set.",
        "",
        "Memory: " + _memory_text(mem, frames),
        "",
    ]
    return out


def steps_assemble(steps: dict[str, float]) -> float:
    return next((v for k, v in steps.items() if "assembly.assemble" in k), 0.0)


def floor_estimate(
    t: dict[str, float], layer: dict[str, float], steps: dict[str, float], workers: int
) -> float:
    """Wall time of the load if the loader's own parsing cost nothing: the bare calamine
    read and the pre-flight spread over the workers, then the serial assembly."""
    pre = layer.get("pre-flight alone", 0.0)
    return (t["calamine"] + pre) / max(workers, 1) + steps_assemble(steps)


def _over_floor(
    t: dict[str, float],
    layer: dict[str, float],
    steps: dict[str, float],
    workers: int,
    read: float,
    ours: float,
) -> str:
    """What the load spends over the floor, and how much of it ≥ 8× would have to go."""
    floor = floor_estimate(t, layer, steps, workers)
    over = t["zq.load"] - floor
    reader_py = max(0.0, read - layer.get("pre-flight alone", 0.0) - t["calamine"])
    loader = ours - steps_assemble(steps)
    spread = (reader_py + loader) / max(workers, 1)
    need = 1 - (t["openpyxl"] / 8 - floor) / max(over, 1e-9)
    return (
        f"Over the floor above the load spends {_s(over)}: the reader's Python around "
        f"calamine (the cell grid the loader reads, CSV decoding: {_s(reader_py)} of work in "
        f"one process) and the loader's own work in the workers ({_s(loader)}: sheet tops, "
        f"bodies, checksums, issues), together {_s(spread)} over {workers} workers; the other "
        f"{_s(max(0.0, over - spread))} are the cost of splitting the work (each worker fills "
        "its own parse caches and parses in smaller batches; the parts are pickled, handed "
        f"over and merged). ≥ 8× needs those {_s(over)} cut by {need:.0%}; the profile above "
        "shows no single step left that large (each of the loader's own functions is a few per "
        "cent of the load)."
    )


def _reader_points(layer: dict[str, float]) -> list[str]:
    """Point 2 of the load bound: the pre-flight, with numbers."""
    whole = layer.get("read_workbook (as zq.load calls it)")
    pre = layer.get("pre-flight alone")
    bare = layer.get("calamine to_python (bare)")
    text = (
        "2. *The defensive pre-flight* (issue #8). Each file's bytes are checked before a "
        "Rust reader sees them: zip directory and inflated sizes, entity declarations in "
        "every XML part the reader parses, every sheet's XML scanned for far cells, error "
        "cells, formulas without a saved value and negative date serials; every .xls record "
        "walked for the same."
    )
    if whole is not None and pre is not None and bare is not None:
        text += (
            f" On the province set, in one process: `read_workbook` {_s(whole)}, of which "
            f"the pre-flight {_s(pre)} and calamine about {_s(bare)}."
        )
    return [text]


def _memory_text(mem: dict[str, Any], frames: int) -> str:
    mib = 2**20
    return (
        f"resident {mem['before'] / mib:.0f} MiB after `import zqcampaign`, peak "
        f"{mem['peak'] / mib:.0f} MiB during the load, {mem['after'] / mib:.0f} MiB after; "
        f"frames: snapshots {mem['frames']['snapshots'] / mib:.0f} MiB, projects "
        f"{mem['frames']['projects'] / mib:.0f} MiB, issues {mem['frames']['issues'] / mib:.0f} "
        f"MiB ({frames / mib:.0f} MiB). The largest of the {mem['workers']} worker processes "
        f"peaked at {mem['children_peak'] / mib:.0f} MiB resident, counting the "
        f"{mem['before'] / mib:.0f} MiB image it shares with the loading process from the fork; "
        "the figure counts each worker's rise over that image. Each worker holds the raw "
        "cells of at most about 20,000 ledger rows at a time (`loader.BATCH_ROWS`), and the "
        "parsed rows of its part until it hands them over."
    )
