"""The analyst notebooks in ``notebooks/`` run top to bottom on the sample data.

Each notebook is executed by nbclient in a fresh kernel of this interpreter, with the
working directory ``notebooks/`` (as Jupyter runs it); an error in any cell fails the test.
The committed files carry no outputs, and their markdown and code follow the house rules
(an English line under every heading, short cells).
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SAMPLE = ROOT / "sample_data"
NAMES = (
    "01_load_and_check",
    "02_completion_vs_targets",
    "03_monthly_briefing",
    "04_county_deep_dive",
)
#: A library's warning (deprecations and the like); zqcampaign's own DataWarning (sample data,
#: a missing baseline month) is meant for the analyst and allowed.
_FOREIGN_WARNING = re.compile(r"\b(?!DataWarning\b)\w+Warning\b")
CELL_TIMEOUT = (
    600  # [s] a guard against a hung cell, not a speed target (those live in benchmarks/)
)
MAX_CELL_LINES = 15

#: Files a notebook promises to write (relative to notebooks/output/).
WRITES = {
    "01_load_and_check": ["问题清单_2023年9月.xlsx", "问题清单_2023年9月.csv"],
    "03_monthly_briefing": [
        "briefing_2023-12-05/briefing.pptx",
        "briefing_2023-12-05/report.xlsx",
        "briefing_2023-12-05/issues/全市台账问题汇总.xlsx",
        "briefing_2023-12-05/manifest.json",
        "slide_completion_investment.png",
        "slide_completion_investment.svg",
    ],
}


def _read(name: str):
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def _tree_state(folder: Path) -> dict[str, tuple[int, int]]:
    """Path -> (size, mtime) of every file under ``folder``."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.fixture(scope="module")
def kernel_specs(tmp_path_factory: pytest.TempPathFactory):
    """A kernel spec that starts ipykernel with this interpreter (not whatever ``python``
    is first on PATH), so the notebooks import the zqcampaign under test."""
    from ipykernel.kernelspec import write_kernel_spec
    from jupyter_client.kernelspec import KernelSpecManager

    kernels = tmp_path_factory.mktemp("kernels")
    write_kernel_spec(kernels / "zqcampaign-test")
    return KernelSpecManager(kernel_dirs=[str(kernels)], ensure_native_kernel=False)


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_top_to_bottom_in_a_fresh_kernel(name: str, kernel_specs) -> None:
    from jupyter_client.manager import KernelManager

    nb = _read(name)
    km = KernelManager(kernel_name="zqcampaign-test", kernel_spec_manager=kernel_specs)
    client = nbclient.NotebookClient(
        nb, km=km, timeout=CELL_TIMEOUT, resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    sample_before = _tree_state(SAMPLE)
    started = time.time()
    client.execute()  # raises CellExecutionError (with the cell and traceback) on any error

    warnings = [
        out["text"]
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if out.get("name") == "stderr" and _FOREIGN_WARNING.search(out["text"])
    ]
    assert not warnings, f"{name} printed warnings:\n" + "\n".join(warnings)
    assert _tree_state(SAMPLE) == sample_before, f"{name} changed sample_data/"
    for rel in WRITES.get(name, []):
        path = NOTEBOOKS / "output" / rel
        assert path.is_file(), f"{name} did not write {rel}"
        assert path.stat().st_mtime >= started - 1, f"{name} did not rewrite {rel}"


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_has_no_outputs_and_is_valid(name: str) -> None:
    nb = _read(name)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{name}: outputs left in cell {cell.id}"
            assert cell.execution_count is None, f"{name}: execution count in cell {cell.id}"
    assert "widgets" not in nb.metadata


@pytest.mark.parametrize("name", NAMES)
def test_every_heading_has_a_short_english_line_under_it(name: str) -> None:
    for cell in _read(name).cells:
        if cell.cell_type != "markdown":
            continue
        lines = [line for line in cell.source.splitlines() if line.strip()]
        for i, line in enumerate(lines):
            if line.startswith("#"):
                assert i + 1 < len(lines), f"{name}: nothing under {line!r}"
                english = lines[i + 1]
                assert re.fullmatch(r"\*[^*]*[A-Za-z][^*]*\*", english), (
                    f"{name}: {line!r} is not followed by an italic English line"
                )


@pytest.mark.parametrize("name", NAMES)
def test_code_cells_are_short(name: str) -> None:
    for cell in _read(name).cells:
        if cell.cell_type == "code":
            n = len(cell.source.splitlines())
            assert 0 < n <= MAX_CELL_LINES, f"{name}: cell {cell.id} has {n} lines"


def test_notebooks_folder_holds_exactly_the_documented_notebooks() -> None:
    found = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
    assert found == list(NAMES)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Notebooks" in readme
    for name in NAMES:
        assert f"{name}.ipynb" in readme


def test_kernel_runs_this_interpreter(kernel_specs) -> None:
    spec = kernel_specs.get_kernel_spec("zqcampaign-test")
    assert spec.argv[0] == sys.executable
