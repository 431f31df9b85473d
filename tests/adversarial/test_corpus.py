"""Every workbook of the shared reader corpus loads (issue #14): the public test files of
calamine, python-calamine, xlrd, fastexcel and XlsxWriter (about 280, broken and odd ones
among them), file by file and as one folder — no traceback, no crash, each file loaded or its
error named in an issue, the summary balanced.

CI reads every 4th file one by one (about 20 s) and the whole corpus as one folder (about
10 s, in worker processes); ``python benchmarks/corpus.py`` reads every file one by one
(about 80 s on 2 shared cores). Skipped when the corpus is not there (``$ZQ_CORPUS`` or
``../shared/corpus``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import zqcampaign as zq

_HERE = Path(__file__).resolve()
CORPUS = next(
    (
        p
        for p in (
            Path(os.environ.get("ZQ_CORPUS", "/nonexistent")),
            _HERE.parents[3] / "shared" / "corpus",
            _HERE.parents[4] / "shared" / "corpus",
        )
        if p.is_dir()
    ),
    None,
)
pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(CORPUS is None, reason="the shared reader corpus is not here"),
]
EVERY = 4


def _files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.is_file()) if CORPUS else []


def _assert_accounted(camp, names: list[str]) -> None:
    files = camp.files.set_index("file")
    assert sorted(files.index) == sorted(names)
    for name in names:
        error = files.loc[name, "error"]
        if isinstance(error, str):
            named = camp.issues[(camp.issues["file"] == name) & (camp.issues["code"] == error)]
            assert len(named) >= 1, name
            assert named["message"].str.len().gt(10).all(), name
        else:
            assert files.loc[name, "sheets"] >= 1, name
    assert camp.summary.balanced


def test_sampled_corpus_files_load_one_by_one(capfd):
    sample = _files()[::EVERY]
    assert len(sample) >= 60
    for path in sample:
        camp = zq.load(path, workers=1)
        _assert_accounted(camp, [path.name])
    err = capfd.readouterr().err
    assert "Traceback" not in err and "panicked" not in err


def test_the_whole_corpus_loads_as_one_folder(capfd):
    files = _files()
    camp = zq.load(CORPUS)
    _assert_accounted(camp, [p.relative_to(CORPUS).as_posix() for p in files])
    refused = camp.files["error"].dropna()
    assert "reader_crash" not in set(refused), camp.files[camp.files["error"] == "reader_crash"]
    assert "issue252.xlsx" in " ".join(
        camp.files.loc[camp.files["error"] == "corrupt_file", "file"]
    )
    err = capfd.readouterr().err
    assert "Traceback" not in err and "panicked" not in err
