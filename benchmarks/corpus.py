"""Load every workbook of the shared reader corpus, file by file and as one folder (#14).

The corpus holds the public test workbooks of calamine, python-calamine, xlrd, fastexcel and
XlsxWriter (about 280 files: broken, odd and huge-on-expansion ones among them). Each file
must be loaded or named in an issue whose code is the file's error, with no traceback and no
crash, and the load summary must balance.

    python benchmarks/corpus.py [CORPUS] [--every N]

``CORPUS`` defaults to ``$ZQ_CORPUS`` or ``../shared/corpus``; ``--every N`` reads every
N-th file only (what ``tests/adversarial/test_corpus.py`` does in CI). Prints the time of
each part and any file that broke the rule; exits 1 if one did.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

_HERE = Path(__file__).resolve()
DEFAULT = next(
    (
        p
        for p in (
            Path(os.environ.get("ZQ_CORPUS", "/nonexistent")),
            _HERE.parents[2] / "shared" / "corpus",  # a checkout beside ../shared
            _HERE.parents[3] / "shared" / "corpus",  # a worktree one level deeper
        )
        if p.is_dir()
    ),
    _HERE.parents[2] / "shared" / "corpus",
)


def corpus_files(root: Path, every: int = 1) -> list[Path]:
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return files[::every]


def check(camp, names: list[str]) -> list[str]:
    """The rule broken, per file: loaded (no error) or its error named in an issue."""
    problems = []
    files = camp.files.set_index("file")
    issues = camp.issues
    for name in names:
        if name not in files.index:
            problems.append(f"{name}: not in camp.files")
            continue
        error = files.loc[name, "error"]
        if isinstance(error, str):
            named = issues[(issues["file"] == name) & (issues["code"] == error)]
            if named.empty:
                problems.append(f"{name}: error {error} not named in an issue")
    if not camp.summary.balanced:
        problems.append("summary does not balance")
    return problems


def main(argv: list[str] | None = None) -> int:
    import zqcampaign as zq

    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--every", type=int, default=1)
    args = ap.parse_args(argv)
    files = corpus_files(args.corpus, args.every)
    problems: list[str] = []
    t0 = time.perf_counter()
    from collections import Counter

    codes: Counter[str] = Counter()
    for p in files:
        try:
            camp = zq.load(p, workers=1)
        except BaseException as exc:  # the rule: nothing escapes
            problems.append(f"{p}: {type(exc).__name__}: {exc}")
            continue
        problems += check(camp, [p.name])
        codes.update(str(e) for e in camp.files["error"].dropna())
    t1 = time.perf_counter()
    print(f"file by file: {len(files)} files in {t1 - t0:.1f} s; file errors: {dict(codes)}")
    print("  (no_ledger: a readable workbook without a project ledger; the corpus holds none)")
    if args.every == 1:
        try:
            camp = zq.load(args.corpus)
        except BaseException as exc:
            problems.append(f"folder: {type(exc).__name__}: {exc}")
        else:
            names = [p.relative_to(args.corpus).as_posix() for p in files]
            problems += check(camp, names)
            print(
                f"as one folder: {len(camp.files)} files in {time.perf_counter() - t1:.1f} s, "
                f"{len(camp.issues)} issues; file errors: "
                f"{camp.files['error'].value_counts().to_dict()}"
            )
    for line in problems:
        print("PROBLEM", line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
