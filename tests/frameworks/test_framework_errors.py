"""Mistakes a county analyst makes in a framework file (评分表) are refused when the framework is
loaded, so at `selfeval validate`: each message names the file, the line and column, the
indicator, what was found and what is allowed, in Chinese and English, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from selfeval_lib import FrameworkError, SelfEvalError, load_framework
from selfeval_lib.cli import main
from selfeval_lib.frameworks.model import check_framework, framework_path
from tests.conftest import edit

DATA = Path(__file__).parents[1] / "data"
BROKEN = DATA / "frameworks_broken"
MINI = DATA / "framework_mini.yaml"  # valid; every broken file is it with one mistake

# file -> (the line the message names, a fragment of what it says)
EXPECTED = {
    "bad_indent": (16, "YAML 格式错误：此处不能出现“键: 值”（冒号后缺空格，或缩进不对）"),
    "colon_without_space": (21, "YAML 格式错误：缺少冒号“:” / invalid YAML: could not find"),
    "deduct_over_weight": (
        37,
        'indicators[2] (id: finance): rule.items.0.deduct: "30" 大于本指标分值 20，应在 0 到 20 '
        "之间 / deducts more than the indicator's weight: allowed 0 to 20",
    ),
    "duplicate_indicator_id": (39, "指标id重复 / duplicate indicator id: finance"),
    "duplicate_key": (
        24,
        "键重复，每个键只能出现一次 / invalid YAML: found duplicate key 'weight'",
    ),
    "empty_indicators": (10, "indicators: 不能为空 / must not be empty"),
    "fact_two_types": (
        49,
        'indicators[3] (id: audit).rule.items.0.fact: 事实"finance_violations"在指标 audit 中为 '
        "是/否（expect），在指标 finance 中为数字（max/min）",
    ),
    "full_at_950": (
        26,
        'indicators[1] (id: spending_rate).rule.full_at: "950" 超出允许范围：应为 0 到 100 之间的'
        "百分数 / is out of range: a percentage from 0 to 100",
    ),
    "full_at_with_percent": (26, '"95%" 不是数字：只写数字，不写“%”，应写为 95 / "95%" is not'),
    "grade_bands_not_to_zero": (
        5,
        "grades: 等级区间重叠或未按从高到低排列（优 ≥ 90，良 ≥ 80，中 ≥ 60）",
    ),
    "grade_min_over_100": (6, 'grades.0.min: "900" 超出允许范围：应为 0 到 100 之间的百分数'),
    "list_not_mapping": (1, "应为键值映射（每行“键: 值”），实为list / expected a mapping"),
    "missing_rule_kind": (
        18,
        "indicators[0] (id: output_completion).rule.kind: 缺少此项 / missing; 规则类型 / rule "
        "kinds: target_completion, rate, budget_cap, ratio, cap, coverage, checklist, manual",
    ),
    "missing_standard": (27, "indicators[2] (id: finance).standard: 缺少此项 / missing"),
    "misspelt_key": (23, "indicators[1] (id: spending_rate).wieght: 未知的键 / unknown key"),
    "misspelt_rule_key": (26, "rule.ful_at: 未知的键 / unknown key"),
    "misspelt_top_key": (5, "grade: 未知的键 / unknown key"),
    "overlapping_grade_bands": (
        5,
        "等级区间重叠或未按从高到低排列（优 ≥ 90，良 ≥ 90，中 ≥ 60，差 ≥ 0）",
    ),
    "percent_bound_over_100": (
        39,
        "indicators[2] (id: finance).rule.items.2: min: 1000 超出允许范围：标签以(%)结尾，应为 0 到 "
        "100 之间的百分数",
    ),
    "standard_says_3": (
        33,
        "indicators[2] (id: finance).standard: 评分标准与规则不一致：评分标准写有3分，规则中没有；"
        "规则为2分，评分标准未写",
    ),
    "standard_says_three_in_words": (
        33,
        "indicators[2] (id: finance).standard: 评分标准与规则不一致：评分标准写有3分，规则中没有；"
        "规则为2分，评分标准未写",
    ),
    "standard_threshold_differs": (
        25,
        "indicators[1] (id: spending_rate).standard: 评分标准与规则不一致：评分标准写有90%，规则中"
        "没有；规则为95%，评分标准未写",
    ),
    "tab_indent": (
        15,
        "含有不能出现在此处的字符（制表符请换成空格） / invalid YAML: found character",
    ),
    "two_expectations": (37, "检查项应有且只有 expect / max / min 之一 / a checklist item needs"),
    "unknown_category": (
        18,
        'indicators[0] (id: output_completion).rule.category: "满意度" 不是评分表 target_categories '
        "声明的目标类别 / is not declared in target_categories; 允许 / allowed: 产出、效益",
    ),
    "grade_label_twice": (
        5,
        "grades: 等级区间重叠或未按从高到低排列（优秀 ≥ 90，优秀 ≥ 80，合格 ≥ 60，不合格 ≥ 0）",
    ),
    "unknown_measure": (26, 'rule.measure: "spending-rate" 不在允许值中 / is not one of'),
    "unknown_rule_kind": (
        35,
        'indicators[2] (id: finance).rule.kind: "check_list" 不是已知的规则类型 / is not a known '
        "rule kind",
    ),
    "form_unknown_indicator": (
        50,
        'form.funds.0.indicator: "spending_rat" 不是本框架的指标代码 / is not an indicator id of '
        "this framework; 允许 / allowed: output_completion、spending_rate、finance、running_cost、"
        'auto; 是否应为 / did you mean "spending_rate"?',
    ),
    "unknown_unit_kind": (7, "applies_to.unit_kinds.1: \"村\" 不在允许值中 / is not one of: '镇'"),
    "weight_with_unit": (
        23,
        'indicators[1] (id: spending_rate).weight: "20分" 不是数字：只写数字，不写“分”，应写为 20 / '
        '"20分" is not a number: write it without "分": 20',
    ),
    "weights_not_100": (
        10,
        "各指标分值合计 105，应为100 / weights add up to 105, not 100 (output_completion 50 + "
        "spending_rate 20 + finance 25 + running_cost 10)",
    ),
    "year_too_short": (6, 'applies_to.years.0: "24" 不能小于 2000 / must be at least 2000'),
}


def test_the_corpus_holds_every_broken_file_and_its_base_is_valid():
    assert sorted(p.stem for p in BROKEN.glob("*.yaml")) == sorted(EXPECTED)
    assert len(EXPECTED) >= 20
    framework = load_framework(str(MINI))
    assert [i.id for i in framework.indicators] == [
        "output_completion",
        "spending_rate",
        "finance",
        "running_cost",
    ]
    assert check_framework(framework) == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_broken_framework_is_refused_naming_the_line(name):
    line, fragment = EXPECTED[name]
    path = BROKEN / f"{name}.yaml"
    with pytest.raises(SelfEvalError) as info:  # any other exception fails the test
        load_framework(str(path))
    assert isinstance(info.value, FrameworkError)
    message = str(info.value)
    first = next(m for m in message.splitlines() if f"line {line}," in m)
    assert first.startswith(f"{path} 第{line}行第"), message
    what = re.split(rf"第{line}行第\d+列 / line {line}, column \d+: ", first)[1]
    chinese, _, english = what.partition("/ ")  # 中文 / English
    assert re.search("[\u4e00-\u9fff]", chinese) and re.search("[a-z]{3,}", english), what
    assert fragment in message
    assert "Traceback" not in message


def test_an_unknown_key_or_value_gets_a_did_you_mean():
    def message(name: str) -> str:
        with pytest.raises(FrameworkError) as info:
            load_framework(str(BROKEN / f"{name}.yaml"))
        return str(info.value)

    assert (
        f"{BROKEN / 'misspelt_key.yaml'} 第23行第5列 / line 23, column 5: indicators[1] (id: "
        "spending_rate).wieght: 未知的键 / unknown key (remove it or check the spelling); 允许的键 "
        "/ allowed: id, name, level1, level2, levels, weight, explanation, standard, rule, missing, "
        "reweight_over, counts; 是否应为 / did "
        'you mean "weight"?'
    ) in message("misspelt_key").splitlines()
    assert (
        "rule.ful_at: 未知的键 / unknown key (remove it or check the spelling); 允许的键 / allowed: "
        'kind, measure, full_at, deduct_per_point, zero_budget; 是否应为 / did you mean "full_at"?'
    ) in message("misspelt_rule_key")
    assert "grade: 未知的键 / unknown key" in message("misspelt_top_key")
    assert 'did you mean "grades"?' in message("misspelt_top_key")
    assert (
        "allowed: target_completion, rate, budget_cap, ratio, cap, coverage, checklist, manual; 是否应为 / "
        'did you mean "checklist"?'
    ) in message("unknown_rule_kind")
    assert "is not one of: 'spending_rate'; 是否应为 / did you mean \"spending_rate\"?" in message(
        "unknown_measure"
    )


def _county(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    path = tmp_path / "county.yaml"
    path.write_text(framework_path("gd_township_2024").read_text(encoding="utf-8"), "utf-8")
    for old, new in edits:
        edit(path, old, new)
    return path


def test_a_fact_used_as_yes_no_and_as_a_number_is_refused_at_validate(unit_copy, tmp_path, capsys):
    """Before: `validate` passed and `run` failed with AttributeError: 'bool' object has no
    attribute 'quantize'."""
    county = _county(
        tmp_path,
        (
            "        - {fact: disposal_income_remitted,",
            "        - {fact: finance_violations, label: 存在违规违纪行为, expect: false, deduct: 1}\n"
            "        - {fact: disposal_income_remitted,",
        ),
    )
    edit(unit_copy, "framework: gd_township_2024", f"framework: {county}")
    assert main(["validate", str(unit_copy)]) == 1
    err = capsys.readouterr().err
    assert (
        f"{county} 第150行第18列 / line 150, column 18: indicators[10] (id: asset_management)"
        '.rule.items.3.fact: 事实"finance_violations"在指标 asset_management 中为 是/否（expect），'
        "在指标 financial_management 中为数字（max/min），同一事实只能有一种类型 / fact "
        '"finance_violations" is yes/no (expect) in indicator asset_management and a number '
        "(max/min) in indicator financial_management; one fact has one type: rename one of them"
    ) in err
    assert "Traceback" not in err and "AttributeError" not in err


def test_a_standard_saying_3_on_a_rule_deducting_2_is_flagged_at_validate(
    unit_copy, tmp_path, capsys
):
    county = _county(
        tmp_path,
        (
            "label: 人员经费、公用经费按标准编制, expect: true, deduct: 3}",
            "label: 人员经费、公用经费按标准编制, expect: true, deduct: 2}",
        ),
    )
    edit(unit_copy, "framework: gd_township_2024", f"framework: {county}")
    assert main(["validate", str(unit_copy)]) == 1
    err = capsys.readouterr().err
    assert (
        f"{county} 第69行第15列 / line 69, column 15: indicators[4] (id: budget_constraint)."
        "standard: 评分标准与规则不一致：评分标准写有3分，规则中没有 / the printed standard and "
        "the rule disagree: the standard says 3分, which the rule does not give."
    ) in err
    assert "“人员经费、公用经费按标准编制”为否的，扣2分" in err  # selfeval's reading of the rule


def test_framework_check_prints_each_standard_beside_the_rule_and_flags_the_disagreement(capsys):
    assert main(["framework", "check", str(BROKEN / "standard_says_3.yaml")]) == 1
    out, err = capsys.readouterr()
    assert (
        "✗ finance 财务管理（20分）\n"
        "    评分标准 / standard: 财务管理制度不健全扣3分；每发生1起违规违纪行为扣1分。\n"
        "    selfeval 的理解 / selfeval reads the rule as: “财务管理制度健全”为否的，扣2分；"
        "“违规违纪行为(起)”每起扣1分；扣完为止。\n"
    ) in out
    assert "✓ spending_rate 预算执行率（20分）\n" in out
    assert f"{BROKEN / 'standard_says_3.yaml'} 第33行第15列 / line 33, column 15:" in err
    assert err.endswith(
        "1 个指标的评分标准与规则不一致 / indicator(s) whose printed standard and rule disagree\n"
    )


def test_framework_check_reads_the_standards_chinese_numerals(capsys):
    """扣三分 on a rule deducting 2 and 百分之九十 on a rule full at 95 % are flagged; 扣一分 and
    扣零点五分, which the rules deduct, are not."""
    path = BROKEN / "standard_says_three_in_words.yaml"
    assert main(["framework", "check", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "✗ finance 财务管理（20分）\n" in out and "✗ spending_rate 预算执行率（20分）\n" in out
    assert "✓ running_cost" in out
    assert (
        f"{path} 第25行第15列 / line 25, column 15: indicators[1] (id: spending_rate).standard: "
        "评分标准与规则不一致：评分标准写有90%，规则中没有；规则为95%，评分标准未写 / the printed "
        "standard and the rule disagree: the standard says 90%, which the rule does not give; the "
        "rule gives 95%, which the standard does not say."
    ) in err
    assert (
        f"{path} 第33行第15列 / line 33, column 15: indicators[2] (id: finance).standard: "
        "评分标准与规则不一致：评分标准写有3分，规则中没有；规则为2分，评分标准未写 / the printed "
        "standard and the rule disagree: the standard says 3分, which the rule does not give; the "
        "rule gives 2分, which the standard does not say."
    ) in err
    assert err.endswith(
        "2 个指标的评分标准与规则不一致 / indicator(s) whose printed standard and rule disagree\n"
    )


def test_framework_check_passes_the_shipped_framework_and_refuses_a_broken_file(capsys):
    assert main(["framework", "check", str(framework_path("gd_township_2024"))]) == 0
    out, err = capsys.readouterr()
    assert out.count("\n✓ ") + out.startswith("✓ ") == 12 and "✗" not in out and err == ""
    assert main(["framework", "check", str(BROKEN / "weight_with_unit.yaml")]) == 1
    err = capsys.readouterr().err
    assert "第23行第13列 / line 23, column 13" in err and "Traceback" not in err
    assert main(["framework", "check", "no_such_framework.yaml"]) == 2


def test_a_params_files_framework_path_to_any_file_is_excerpted_never_dumped(unit_copy, tmp_path):
    """`framework: /etc/shadow`: the error names the file, never quotes its lines."""
    from selfeval_lib.inputs.unit import load_unit

    secret = tmp_path / "shadow"
    secret.write_text(
        "".join(f"user{n}:$6$salt$SECRETHASH{n}:19000:0:99999:7:::\n" for n in range(200)),
        encoding="utf-8",
    )
    edit(unit_copy, "framework: gd_township_2024", f"framework: {secret}")
    with pytest.raises(SelfEvalError) as info:
        load_unit(unit_copy)
    assert str(info.value) == (
        f"{secret} 第1行第1列 / line 1, column 1: 不是指标框架文件（没有 id、name、indicators 等键）/ "
        "not a framework file (no id, name, indicators … keys): check the framework: path of the "
        "params file"
    )
    # a framework file with a hundred long unknown keys: each shortened, thirty listed
    secret.write_text(
        "id: x\nname: y\n" + "".join(f"{'SECRET' * 20}{n}: 1\n" for n in range(100)),
        encoding="utf-8",
    )
    with pytest.raises(FrameworkError) as info:
        load_framework(str(secret))
    lines = str(info.value).splitlines()
    # 100 unknown keys and 3 missing ones (grades, indicators, notice)
    assert len(lines) == 31 and lines[-1] == "…另有 73 处问题 / … and 73 more problems"
    assert max(len(line) for line in lines) < 400 and "SECRET" * 7 not in str(info.value)
