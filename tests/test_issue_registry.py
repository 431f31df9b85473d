"""The registry of issue codes (zqcampaign.issues): every code the package emits is
registered, every registered code is emitted, and the problem record refuses the rest.

Emitted codes are collected by running the code: a load of sample_data/, a load of the
adversarial folder (tests/adversarial), every ledger of tests/test_loader.py, and the output
writers on values they must change. Codes are also collected from the source: string
literals passed as the ``code`` of :class:`~zqcampaign.issues.Problem` or of any function
with a ``code`` parameter next to a severity (the emitting helpers), and the ``code``
attributes of the error classes.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import math
import pickle
import sys
from pathlib import Path

import pandas as pd
import pytest

import zqcampaign as zq
from zqcampaign import errors
from zqcampaign.issues import (
    CODES,
    ISSUE_COLUMNS,
    SEVERITIES,
    IssueCode,
    Problem,
    action,
    describe,
    register,
    registry_frame,
    severity_label,
)

TESTS = Path(__file__).parent
ROOT = TESTS.parent
PACKAGE = ROOT / "zqcampaign"
RANK = {s: i for i, s in enumerate(SEVERITIES)}  # 0 = worst

# Emitting calls whose code is not a literal, each with where its codes come from (the test
# collects those codes elsewhere). A new one must be added here, on purpose.
DYNAMIC_SITES = {
    # wrappers that pass their own ``code`` parameter on
    "io/base.py:_add",
    "model/assembly.py:assemble.row_issues",
    "parse/bodies.py:_Sheets.issue",
    "parse/bodies.py:_Rows.issue",
    # the value parsers' notes (parse/values.py literals), located in their row
    "parse/bodies.py:_Rows.note_issues",
    # the count of the cell notes _add capped (its _SUMMARY keys are _add's codes)
    "io/base.py:_summarise",
    # a refused file: the LedgerError subclass's ``code`` attribute
    "loader.py:_PartReader.read_file",
    "loader.py:_PartReader._read_file",
    # a file that failed in an unforeseen way or killed its reader: ReaderCrashError's code
    "loader.py:_PartReader.crashed",
    # the folder walk's skipped files and folders (io/discover.py Found.skip literals)
    "loader.py:load",
    # the (code, message) pairs of safeio.xlsx_text
    "output/safeio.py:write_cell.as_text",
    # a parse cache entry read back: the problems as they were found (each code checked again)
    "cache.py:_problem",
}


# ---------------------------------------------------------------------------------------
# the static scan


class _Scan(ast.NodeVisitor):
    """Code literals and dynamic emitting calls of one module."""

    def __init__(self, emitters: dict[str, int], module: str):
        self.emitters = emitters
        self.module = module
        self.stack: list[str] = []
        self.codes: dict[str, set[str]] = {}
        self.dynamic: set[str] = set()

    def _where(self) -> str:
        return f"{self.module}:{'.'.join(self.stack)}"

    def _scope(self, node: ast.AST) -> None:
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    visit_FunctionDef = visit_ClassDef = _scope

    def _literals(self, node: ast.AST) -> list[str] | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.IfExp):
            a, b = self._literals(node.body), self._literals(node.orelse)
            return a + b if a is not None and b is not None else None
        return None

    def _found(self, codes: list[str]) -> None:
        for code in codes:
            self.codes.setdefault(code, set()).add(self._where())

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name in self.emitters:
            at = self.emitters[name]
            arg = next((k.value for k in node.keywords if k.arg == "code"), None)
            if arg is None and len(node.args) > at:
                arg = node.args[at]
            if arg is not None:
                codes = self._literals(arg)
                if codes is None:
                    self.dynamic.add(self._where())
                else:
                    self._found(codes)
        # safeio.xlsx_text: problems.append((code, message))
        if (
            name == "append"
            and isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "problems"
            and node.args
            and isinstance(node.args[0], ast.Tuple)
        ):
            codes = self._literals(node.args[0].elts[0])
            if codes is not None:
                self._found(codes)
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        # ``code = "..."`` in a class body: an error class's issue code
        if (
            len(self.stack) >= 1
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == "code"
        ):
            codes = self._literals(node.value)
            if codes is not None:
                self._found(codes)
        self.generic_visit(node)


def _emitters(trees: dict[str, ast.Module]) -> dict[str, int]:
    """Name -> position of the ``code`` argument, for Problem and every function that takes
    a ``code`` and a severity."""
    found: dict[str, set[int]] = {"Problem": {1}}
    for tree in trees.values():
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef):
                continue
            names = [a.arg for a in node.args.args]
            if names and names[0] == "self":
                names = names[1:]
            every = {*names, *(a.arg for a in node.args.kwonlyargs)}
            if "code" in names and {"severity", "sev"} & every:
                found.setdefault(node.name, set()).add(names.index("code"))
    ambiguous = {k: v for k, v in found.items() if len(v) > 1}
    assert not ambiguous, (
        f"emitters of the same name take the code at different places: {ambiguous}"
    )
    return {k: v.pop() for k, v in found.items()}


@pytest.fixture(scope="module")
def static_scan() -> tuple[dict[str, set[str]], set[str]]:
    trees = {
        p.relative_to(PACKAGE).as_posix(): ast.parse(p.read_text(encoding="utf-8"))
        for p in sorted(PACKAGE.rglob("*.py"))
        # sample/ writes test data and emits nothing; issues.py is the registry itself
        if "sample" not in p.relative_to(PACKAGE).parts and p.name != "issues.py"
    }
    emitters = _emitters(trees)
    codes: dict[str, set[str]] = {}
    dynamic: set[str] = set()
    for module, tree in trees.items():
        scan = _Scan(emitters, module)
        scan.visit(tree)
        for code, where in scan.codes.items():
            codes.setdefault(code, set()).update(where)
        dynamic |= scan.dynamic
    return codes, dynamic


def test_static_scan_finds_the_emitting_helpers_and_their_literals(static_scan):
    codes, _ = static_scan
    # a literal in each kind of emitting call the scan must understand
    assert codes["month_only_date"] == {"parse/values.py:_parse_date_text"}  # Problem(sev, code)
    assert any(w.startswith("io/") for w in codes["formula_no_value"])  # _add(...)
    assert codes["missing_investment"] == {"parse/bodies.py:_money_values"}  # an IfExp
    assert "model/assembly.py:assemble" in codes["milestone_order"]  # row_issues(sel, sev, code)
    assert "errors.py:EncryptedFileError" in codes["encrypted_file"]  # class attribute
    assert "output/safeio.py:xlsx_text" in codes["text_truncated"]  # (code, message) pair


def test_every_code_literal_in_the_source_is_registered(static_scan):
    codes, _ = static_scan
    unknown = {code: sorted(where) for code, where in codes.items() if code not in CODES}
    assert unknown == {}


def test_every_emitting_call_with_a_computed_code_is_a_known_pass_through(static_scan):
    _, dynamic = static_scan
    assert dynamic == DYNAMIC_SITES


# ---------------------------------------------------------------------------------------
# codes emitted by running the code


def _load_module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _codes(issues: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(issues["code"], issues["severity"], strict=True))


def _loaded_sample() -> set[tuple[str, str]]:
    return _codes(zq.load(ROOT / "sample_data").issues)


def _loaded_zoo(folder: Path) -> set[tuple[str, str]]:
    sys.path.insert(0, str(TESTS / "adversarial"))
    try:
        zoo = _load_module("_zoo_cases", TESTS / "adversarial" / "conftest.py")
        import builders
    finally:
        sys.path.remove(str(TESTS / "adversarial"))
    for case in zoo.CASES.values():
        case.build(folder / case.file)
    for name, build in zoo.GOOD.items():
        build(folder / name)
    builders.make_lock_files(folder)
    return _codes(zq.load(folder).issues)


def _loader_tests(folder: Path, monkeypatch: pytest.MonkeyPatch) -> set[tuple[str, str]]:
    """Run every test of tests/test_loader.py, recording the issues of each load."""
    sys.path.insert(0, str(TESTS))
    try:
        module = _load_module("_loader_tests", TESTS / "test_loader.py")
    finally:
        sys.path.remove(str(TESTS))
    seen: set[tuple[str, str]] = set()
    load = zq.load

    def recording_load(*args, **kwargs):
        camp = load(*args, **kwargs)
        seen.update(_codes(camp.issues))
        return camp

    monkeypatch.setattr(zq, "load", recording_load)
    for name, test in vars(module).items():
        if not name.startswith("test_"):
            continue
        params = inspect.signature(test).parameters
        kwargs = {}
        if "tmp_path" in params:
            kwargs["tmp_path"] = folder / name
            kwargs["tmp_path"].mkdir()
        if "encoding" in params:
            kwargs["encoding"] = "gbk"
        test(**kwargs)
    monkeypatch.undo()
    return seen


QUIRKS_HEADER = [
    "序号",
    "项目名称",
    "项目类别",
    "计划总投资（万元）",
    "是否重大问题",
    "计划总投资",
    "填报人备注甲",
]


def _quirks(folder: Path) -> pd.DataFrame:
    """A ledger with the quirks no other source here has: an unknown section, a category
    and a yes/no cell that cannot be read, a column twice and a column that is not ours."""
    sys.path.insert(0, str(TESTS))
    try:
        from ledgers import ledger_grid, write_xlsx
    finally:
        sys.path.remove(str(TESTS))
    grid = ledger_grid(
        ["四、其他项目", ["A", "某类", 20000, "也许", 30000, "x"]], header=QUIRKS_HEADER
    )
    write_xlsx(folder / "四会市_2023年8月.xlsx", {"s": grid})
    return zq.load(folder).issues


def test_quirks_ledger_reports_each_quirk_at_its_cell(tmp_path):
    issues = _quirks(tmp_path)
    columns = issues["column"].fillna("-")
    assert list(zip(issues["code"], issues["row"], columns, strict=True)) == [
        # a column that is not ours but holds data is a warning (issue 13)
        ("unrecognised_column", 3, "填报人备注甲"),
        ("bad_bool", 5, "是否重大问题"),
        ("bad_category", 5, "项目类别"),
        ("duplicate_column", 3, "计划总投资"),
        ("unknown_section", 4, "-"),
        ("out_of_scope", 5, "计划总投资"),  # no category, no dates: not one of the three
    ]


def _output_notes(folder: Path) -> set[tuple[str, str]]:
    """The notes of the output writers, on values each must change."""
    from openpyxl import Workbook

    from zqcampaign.output.safeio import EXCEL_CELL_LIMIT, save_xlsx, write_csv, write_xlsx

    long = "长" * (EXCEL_CELL_LIMIT + 1)
    frame = pd.DataFrame({"a": [long, "控制\x07字符"], "b": [math.inf, 1.0]})
    notes = write_csv(frame, folder / "out.csv")
    notes += write_xlsx({"第[1]表": frame}, folder / "out.xlsx")
    wb = Workbook()
    wb.active["A1"] = "=SUM(B1:B2)"
    notes += save_xlsx(wb, folder / "formula.xlsx")
    return {(n.code, n.severity) for n in notes}


@pytest.fixture(scope="module")
def emitted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[tuple[str, str]]]:
    monkeypatch = pytest.MonkeyPatch()
    try:
        return {
            "sample_data": _loaded_sample(),
            "adversarial": _loaded_zoo(tmp_path_factory.mktemp("zoo")),
            "test_loader": _loader_tests(tmp_path_factory.mktemp("loader"), monkeypatch),
            "quirks": _codes(_quirks(tmp_path_factory.mktemp("quirks"))),
            "output": _output_notes(tmp_path_factory.mktemp("output")),
        }
    finally:
        monkeypatch.undo()


def test_every_emitted_code_is_registered_with_at_least_its_severity(emitted):
    for source, found in emitted.items():
        assert found, source
        unknown = {c for c, _ in found if c not in CODES}
        assert unknown == set(), source
        milder = {(c, s) for c, s in found if RANK[s] < RANK[CODES[c].severity]}
        assert milder == set(), f"{source}: reported worse than registered"


def test_each_source_emits_what_it_is_known_for(emitted):
    codes = {k: {c for c, _ in v} for k, v in emitted.items()}
    assert {"month_only_date", "yearless_date", "duplicate_project", "out_of_scope"} <= codes[
        "sample_data"
    ]
    assert {"unsafe_file", "error_cell", "skipped_litter", "ragged_row"} <= codes["adversarial"]
    assert {"no_ledger", "hidden_sheet", "no_report_date", "unknown_county"} <= codes["test_loader"]
    assert codes["output"] == {
        "text_too_long",
        "control_characters",
        "text_truncated",
        "non_finite_number",
        "sheet_renamed",
        "formula_as_text",
    }


def test_no_registered_code_is_dead(emitted, static_scan):
    codes, _ = static_scan
    used = set(codes) | {c for found in emitted.values() for c, _ in found}
    assert set(CODES) - used == set()


def test_the_sample_answer_key_uses_registered_codes():
    expected = pd.read_csv(ROOT / "sample_data" / "expected_issues.tsv", sep="\t", dtype=str)
    assert set(expected["code"]) - set(CODES) == set()


# ---------------------------------------------------------------------------------------
# the registry and the record


def test_every_entry_is_complete_and_written_for_its_reader():
    for code, entry in CODES.items():
        assert entry.code == code
        assert entry.severity in SEVERITIES
        assert entry.zh and entry.en and entry.action, code
        assert any("\u4e00" <= ch <= "\u9fff" for ch in entry.zh + entry.action), code
        assert entry.en.isascii() or "�" in entry.en, code


def test_describe_action_and_severity_label():
    assert describe("missing_name") == "该行有数据但没有项目名称，未计入统计"
    assert (
        describe("missing_name", lang="en") == "The row has data but no project name; not counted"
    )
    assert action("missing_name") == "请补填项目名称。"
    assert [severity_label(s) for s in SEVERITIES] == ["错误", "警告", "提示"]
    assert [severity_label(s, "en") for s in SEVERITIES] == ["error", "warning", "info"]
    with pytest.raises(KeyError, match="no_such_code"):
        describe("no_such_code")
    with pytest.raises(ValueError, match="lang"):
        describe("missing_name", lang="fr")
    with pytest.raises(ValueError, match="severity"):
        severity_label("fatal")


def test_registry_frame_has_one_row_per_code_in_order():
    frame = registry_frame()
    assert list(frame.columns) == ["code", "severity", "zh", "en", "action"]
    assert frame["code"].tolist() == list(CODES)
    assert frame.set_index("code").loc["bad_bool", "action"] == "请填写“是”或“否”。"


def test_a_code_is_registered_once():
    with pytest.raises(ValueError, match="already registered"):
        register("bad_date", "warning", "日期", "date", "请改正。")
    with pytest.raises(ValueError, match="severity"):
        register("new_code", "fatal", "新", "new", "请改正。")
    assert "new_code" not in CODES


def test_a_problem_with_an_unregistered_code_or_severity_cannot_be_made():
    with pytest.raises(ValueError, match="unregistered issue code 'no_such_code'"):
        Problem("warning", "no_such_code", "……")
    with pytest.raises(ValueError, match="severity"):
        Problem("fatal", "bad_date", "……")
    with pytest.raises(ValueError, match="unregistered"):
        Problem("warning", "bad_date", "……").at(code="typo")


def test_problem_as_dict_is_an_issue_row_with_the_value_as_text():
    p = Problem("warning", "bad_money", "“abc”无法识别为金额").at(
        file="a.xlsx", sheet="S", row=7, column="计划总投资", value=5000.0, county="四会市"
    )
    assert tuple(p.as_dict()) == ISSUE_COLUMNS
    assert p.as_dict() == {
        "severity": "warning",
        "code": "bad_money",
        "message": "“abc”无法识别为金额",
        "county": "四会市",
        "file": "a.xlsx",
        "sheet": "S",
        "row": 7,
        "column": "计划总投资",
        "value": "5000",
    }
    assert (
        Problem("info", "month_only_date", "m", value=pd.Timestamp("2023-08-31")).as_dict()["value"]
        == "2023-08-31"
    )
    assert Problem("info", "month_only_date", "m", value=2.5).as_dict()["value"] == "2.5"
    assert pickle.loads(pickle.dumps(p)) == p
    assert tuple(p) == tuple(p.as_dict().values())  # the issue frame is built from the tuples
    with pytest.raises(AttributeError):
        p.code = "bad_date"  # immutable: parsers share one note among many cells
    with pytest.raises(TypeError):
        Problem("warning", "bad_date", "m", "四会市")  # the location only by keyword


def test_the_old_record_names_are_gone():
    from zqcampaign.io import preflight
    from zqcampaign.parse import sheet_result, values

    assert not hasattr(preflight, "CellNote")
    assert not hasattr(values, "Note") and not hasattr(sheet_result, "make_issue")
    assert isinstance(CODES["bad_date"], IssueCode)


def test_ledger_error_advice_is_the_registered_action():
    classes = [getattr(errors, n) for n in errors.__all__]
    ledger = [c for c in classes if isinstance(c, type) and issubclass(c, errors.LedgerError)]
    assert len(ledger) == 11
    for cls in ledger:
        assert cls.code in CODES, cls
        if cls is not errors.NoLedgerFoundError:  # a path, not a file's content
            assert cls.advice == action(cls.code), cls
            assert CODES[cls.code].severity == "error"
