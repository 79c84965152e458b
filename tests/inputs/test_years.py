"""Years connected (inputs/years.py): last year's data of the same unit is found by the data
tree's convention, by unit_code or by the params file's `previous:`; it fills this year's 上年
figures left 未填报, checks those given, and its files are part of this year's inputs."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from selfeval_lib.errors import ValidationErrors
from selfeval_lib.inputs.unit import load_unit

YEARS = Path(__file__).resolve().parent.parent / "data" / "years"


@pytest.fixture
def county(tmp_path) -> Path:
    """The synthetic unit 示例县和岗镇 (unit_code hexi) over 2023, 2024 and 2025, copied."""
    shutil.copytree(YEARS, tmp_path / "years")
    return tmp_path / "years"


def test_last_years_figures_fill_the_ones_left_not_stated_and_say_so_naming_both_files():
    unit = load_unit(YEARS / "params/hexi_2024.yaml")
    assert unit.previous is not None and unit.previous.params.year == 2023
    assert unit.budget[0].last_year == Decimal("1335.47")  # 未填报 in 2024, 本年支出 of 2023
    assert unit.sangong[3].last_year == Decimal("18.28")  # 公务接待费 上年决算, 决算 of 2023
    assert unit.targets[0].last_year == Decimal("88229")  # 上年值, 实际值 of 2023
    assert unit.taken[0] == (
        'data/2024/hexi/budget.csv 第2行 列"上年支出" ← 上年数据 data/2023/hexi/budget.csv 第2行 列"本年支出"'
    )
    assert (
        'data/2024/hexi/budget.csv 第2行 列"上年支出"未填报，取自上年数据 data/2023/hexi/budget.csv '
        '第2行 列"本年支出"：1,335.47万元。'
    ) in unit.input_warnings
    assert (
        'data/2024/hexi/sangong.csv 第5行 列"上年决算"未填报，取自上年数据 data/2023/hexi/sangong.csv '
        '第5行 列"决算"：18.28万元。'
    ) in unit.input_warnings
    # the 未填报 list no longer names what was taken
    assert not any("上年支出" in w and "第2行" in w for w in unit.not_stated())


def test_a_given_figure_that_differs_from_last_years_filing_is_warned_with_the_difference():
    unit = load_unit(YEARS / "params/hexi_2024.yaml")
    assert unit.budget[1].last_year == Decimal("200.00")  # given: kept as given
    mismatches = [w for w in unit.input_warnings if "不一致" in w]
    assert mismatches == [
        'data/2024/hexi/budget.csv 第3行 列"上年支出"填报 200.00万元，与上年数据 '
        'data/2023/hexi/budget.csv 第3行 列"本年支出" 210.45万元 不一致，相差 -10.45万元。'
    ]  # 项目支出 2096.14 agrees with 2023 and is not warned


def test_last_year_is_found_by_unit_code_when_the_folder_was_renamed():
    unit = load_unit(YEARS / "params/hexi_2025.yaml")  # data/2025/hexi_town, unit_code hexi
    assert unit.previous.params.data_dir == (YEARS / "data/2024/hexi").resolve()
    assert unit.previous.framework.id == "gd_township_2024"  # hexi_2024.yaml's framework
    assert not [w for w in unit.input_warnings if "不一致" in w]


def test_without_last_years_data_nothing_changes(county):
    unit = load_unit(county / "params/hexi_2023.yaml")
    assert unit.previous is None and unit.taken == ()
    shutil.rmtree(county / "data/2023")
    alone = load_unit(county / "params/hexi_2024.yaml")
    assert alone.previous is None and alone.budget[0].last_year is not None
    assert str(alone.budget[0].last_year) == "未填报"
    assert not any("上年数据" in w for w in alone.input_warnings)


def test_last_years_files_are_inputs_of_this_year():
    unit = load_unit(YEARS / "params/hexi_2024.yaml")
    files = dict(unit.input_hashes)
    assert "data/2023/hexi/budget.csv" in files and "params/hexi_2023.yaml" in files
    assert "data/2024/hexi/budget.csv" in files


def test_another_units_code_is_not_taken_as_last_year(county):
    facts = county / "data/2023/hexi/unit.yaml"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace("unit_code: hexi", "unit_code: other"),
        encoding="utf-8",
    )
    unit = load_unit(county / "params/hexi_2024.yaml")
    assert unit.previous is None and unit.taken == ()
    assert (
        "上年数据 data/2023/hexi/unit.yaml 的单位代码“other”与本年“hexi”不同，未作为本单位上年数据使用。"
        in unit.input_warnings
    )


def test_previous_in_the_params_file_overrides_the_convention(county):
    params = county / "params/hexi_2025.yaml"
    params.write_text(
        params.read_text(encoding="utf-8") + "previous: hexi_2023.yaml\n", encoding="utf-8"
    )
    with pytest.raises(
        ValidationErrors, match="key previous: hexi_2023.yaml 的年度为 2023，应为 2024"
    ):
        load_unit(params)
    params.write_text(
        params.read_text(encoding="utf-8").replace("hexi_2023.yaml", "../data/2024/nowhere"),
        encoding="utf-8",
    )
    with pytest.raises(
        ValidationErrors, match="key previous: ../data/2024/nowhere 不存在 / not found"
    ):
        load_unit(params)
    shutil.copytree(county / "data/2024/hexi", county / "elsewhere")
    params.write_text(
        params.read_text(encoding="utf-8").replace("../data/2024/nowhere", "../elsewhere"),
        encoding="utf-8",
    )
    unit = load_unit(params)
    assert unit.previous.params.data_dir == (county / "elsewhere").resolve()
    assert unit.previous.params.year == 2024


def test_last_years_data_with_a_problem_stops_this_year_naming_both(county):
    """A bad value in last year's budget.csv: this year is not read on half a history; the error
    names this year's params file, last year's folder and last year's own problem."""
    budget = county / "data/2023/hexi/budget.csv"
    budget.write_text(
        budget.read_text(encoding="utf-8").replace("1300.00,1350.00", "一千三,1350.00"),
        encoding="utf-8",
    )
    with pytest.raises(ValidationErrors) as caught:
        load_unit(county / "params/hexi_2024.yaml")
    said = str(caught.value)
    assert (
        f"{county / 'params/hexi_2024.yaml'}: 上年数据 {(county / 'data/2023/hexi').resolve()} 有误"
        " / last year's data has problems (fix them, or set previous: in the params file):\n"
    ) in said
    assert 'budget.csv: 1 处问题 / problem(s)\n  - 第2行 列"年初预算"' in said
