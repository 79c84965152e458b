"""Shared fixtures: the shipped example unit, and disposable copies of it to break on purpose."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PARAMS = ROOT / "params" / "qianshan_2024.yaml"
EXAMPLE_DATA = ROOT / "data" / "2024" / "qianshan"
# The example with every value given (the ones the reference does not state are marked ※):
# what tests edit when they need a complete unit.
COMPLETE_DATA = ROOT / "tests" / "data" / "complete_qianshan"
COMPLETE_PARAMS = ROOT / "tests" / "data" / "params" / "qianshan_2024.yaml"
# The real report the example must match: the project carries its own copy (docs/reference/, with
# its source), so a clone with nothing beside it runs every test.
REFERENCE = ROOT / "docs" / "reference" / "qianshan_2024_report.txt"

# The indicators of the reference report, in its order (the default framework follows it).
REFERENCE_INDICATORS = [
    "部门整体绩效目标产出完成情况",
    "部门整体绩效目标效益完成情况",
    "部门预算资金支出率",
    "新增项目事前绩效评估",
    "预算编制约束性",
    "财务管理合理性",
    "信息公开方面",
    "绩效管理制度建设",
    "绩效管理制度执行",
    "采购管理",
    "资产管理",
    "运行成本",
]


def skip_unless_required(flag: str, reason: str) -> None:
    """Skip a test whose tool or file is missing here, or fail it where `flag` is set: CI
    (.ci/run) sets every SELFEVAL_REQUIRE_* flag, so nothing it must run can skip silently."""
    if os.environ.get(flag):
        pytest.fail(f"{reason} ({flag} is set: this test must run here)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def libreoffice_pdf(document: Path, out_dir: Path) -> Path:
    """`document` (.xlsx, .docx) turned into PDF by headless LibreOffice with a profile of its own
    (parallel runs do not share one). Skipped where LibreOffice is missing, failed in CI."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        skip_unless_required(
            "SELFEVAL_REQUIRE_LIBREOFFICE",
            "LibreOffice not installed: apt-get install libreoffice-calc-nogui "
            "libreoffice-writer-nogui",
        )
    profile = (out_dir / "lo-profile").as_uri()
    subprocess.run(
        [office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out_dir), str(document)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    return out_dir / f"{document.stem}.pdf"


@pytest.fixture
def example_params() -> Path:
    return EXAMPLE_PARAMS


@pytest.fixture
def unit_copy(tmp_path: Path) -> Path:
    """A complete copy of the example unit (params + COMPLETE_DATA) in a temporary project, at
    the example's paths; returns the params path."""
    (tmp_path / "params").mkdir()
    shutil.copytree(COMPLETE_DATA, tmp_path / "data" / "2024" / "qianshan")
    params = tmp_path / "params" / "qianshan_2024.yaml"
    shutil.copy(EXAMPLE_PARAMS, params)
    return params


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact piece of a data file (fails loudly if the piece is not there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def national_copy(folder: Path) -> tuple[Path, Path]:
    """A copy of the national example (params and data, its targets carry 二级指标 and 分值) in
    `folder`; returns its params and its targets.csv."""
    shutil.copytree(ROOT / "data/2024/synth_nat", folder / "data/2024/synth_nat")
    (folder / "params").mkdir()
    params = folder / "params/synth_nat_2024.yaml"
    shutil.copy(ROOT / "params/synth_nat_2024.yaml", params)
    return params, folder / "data/2024/synth_nat/targets.csv"


def stated_rate_unit(params: Path, stated: str) -> None:
    """The unit_copy at `params` as the issue-20 unit: 本年支出 1,925.67, 调整预算 2,030.12 (so
    94.85 % by the framework's definition) and a stated 支出率 of `stated`."""
    data = params.parent.parent / "data/2024/qianshan"
    edit(data / "budget.csv", "2600.00,3178.19,2872.44", "400.00,410.12,335.79")
    edit(data / "unit.yaml", "  project: 2872.44", f"  project: 335.79\n  spending_rate: {stated}")
    edit(data / "unit.yaml", "  actual: 4462.32", "  actual: 1925.67")


# The complete example's spending paragraph, as visible_text reads it (NFKC).
SPENDING = unicodedata.normalize(
    "NFKC",
    "单位2024年度总支出4,898.86万元，其中本年支出4,462.32万元。其中，基本支出1,589.88万元，"
    "比上年决算数增加107.60万元※；项目支出2,872.44万元，比上年决算数减少788.86万元；“三公”经费"
    "财政拨款支出决算为26.77万元，完成全年预算26.77万元的100%，等于预算安排的经费数。",
)
NO_SANGONG = ROOT / "tests" / "data" / "framework_no_sangong.yaml"


def use_no_sangong(params: Path, framework: Path = NO_SANGONG) -> None:
    """Score the unit_copy at `params` by NO_SANGONG (the shipped framework without 运行成本)
    or another framework without it: its params name the file, its narrative.md drops the note
    on the indicator gone."""
    edit(params, "framework: gd_township_2024", f"framework: {framework}")
    narrative = params.parent.parent / "data/2024/qianshan/narrative.md"
    edit(
        narrative,
        "## 指标:运行成本\n\n部门通过优化工作流程、压缩不必要开支等措施，有效控制运行成本。\n",
        "",
    )


def visible_text(page: str) -> str:
    """What a reader sees of an HTML page, NFKC-normalised like the reference text file
    (the reference was saved with full-width punctuation folded to ASCII)."""
    page = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", page, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    return unicodedata.normalize("NFKC", text)


@pytest.fixture(scope="session")
def built_example(tmp_path_factory) -> Path:
    """The example report built once by the real pipeline; returns its HTML path."""
    from selfeval_lib.runs.runner import run_unit

    result = run_unit(EXAMPLE_PARAMS, tmp_path_factory.mktemp("example"))
    assert result.status == "ok", result.error
    return Path(result.outputs["html"])


# Under `make mutation`, tests that hold a shortcut to the bytes a library's own way gives: each
# compares two ways of one computation, which a mutant changes alike, so they cannot kill it and
# only cost time (a fifth of a survivor's in evaluate/).
NOT_UNDER_MUTMUT = ("tests/report/test_same_bytes.py::",)


def pytest_collection_modifyitems(config, items):
    """Under `make mutation` only (mutmut names the mutant in MUTANT_UNDER_TEST), leave
    NOT_UNDER_MUTMUT's tests out of a mutant's run; any other run keeps every test."""
    if "__mutmut_" not in os.environ.get("MUTANT_UNDER_TEST", ""):
        return
    left_out = [item for item in items if item.nodeid.startswith(NOT_UNDER_MUTMUT)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if item not in left_out]
