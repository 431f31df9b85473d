"""The province-scale benchmark data set, made with the package's own generator and cached.

``benchmarks/data/`` (git-ignored) holds:

- ``province/``: 20 cities × 12 fictional counties plus Zhaoqing's 11 divisions (251
  counties, about 10,000 projects), one ledger per county per month for the 12 months of
  2023 (October as one workbook per city), in the sample's house styles (.xlsx, legacy
  .xls, GBK .csv, merged headers, section rows, the same spellings), and the
  ``zqcampaign.toml`` naming every county;
- ``big/端州区_2023年12月项目清单.xlsx``: one sheet of 100,000 projects in 端州区's style.

Both are regenerated when the generator (any source file of the ``zqcampaign/sample/`` package)
or the parameters change (``stamp.json`` records what was generated).

Usage: ``python benchmarks/province.py`` (generate if missing or stale; prints the paths).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
PROVINCE = DATA / "province"
BIG = DATA / "big" / "端州区_2023年12月项目清单.xlsx"
STAMP = DATA / "stamp.json"
SEED = 2023
BIG_ROWS = 100_000


def _generator_hash() -> str:
    """Hash of every source file of the generator package, by relative path (stable order)."""
    import zqcampaign.sample as sample

    package = Path(sample.__file__).parent
    names = sorted(p.relative_to(package).as_posix() for p in package.rglob("*.py"))
    digest = hashlib.sha256()
    for name in names:
        body = (package / name).read_bytes()
        digest.update(f"{name}\0{len(body)}\0".encode())
        digest.update(body)
    return digest.hexdigest()[:16]


def _wanted() -> dict[str, object]:
    return {"seed": SEED, "big_rows": BIG_ROWS, "generator": _generator_hash(), "layout": 1}


def _write_province() -> int:
    from zqcampaign.sample import write_province

    if PROVINCE.exists():
        shutil.rmtree(PROVINCE)
    return len(write_province(PROVINCE, seed=SEED))


def _write_big() -> int:
    from zqcampaign.sample import write_big_sheet

    if BIG.parent.exists():
        shutil.rmtree(BIG.parent)
    write_big_sheet(BIG, rows=BIG_ROWS, seed=SEED)
    return 1


def ensure_data(log=print) -> tuple[Path, Path]:
    """(province folder, 100k-row sheet), generated (in two processes) when missing or stale."""
    wanted = _wanted()
    try:
        have = json.loads(STAMP.read_text())
    except (OSError, ValueError):
        have = None
    if have != wanted or not PROVINCE.is_dir() or not BIG.is_file():
        log("generating the province data set (about 2 minutes, cached in benchmarks/data/) ...")
        DATA.mkdir(parents=True, exist_ok=True)
        STAMP.unlink(missing_ok=True)
        with ProcessPoolExecutor(2) as pool:
            jobs = [pool.submit(_write_province), pool.submit(_write_big)]
            for job in jobs:
                job.result()
        STAMP.write_text(json.dumps(wanted, indent=2))
    return PROVINCE, BIG


def ledger_files(folder: Path) -> list[Path]:
    """The ledger files of a folder, in loading order."""
    from zqcampaign.loader import ledger_files as files

    return files(folder)[1]


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    province, big = ensure_data()
    files = ledger_files(province)
    print(f"{province}: {len(files)} ledger files")
    print(f"{big}: {big.stat().st_size / 1e6:.1f} MB")
