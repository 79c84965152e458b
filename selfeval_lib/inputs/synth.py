"""Synthetic township units: fictional, internally consistent, seeded, written through the contract."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from ..frameworks import DEFAULT_FRAMEWORK
from ..frameworks.model import load_framework
from .contract import key_where, row_where, validate_mapping, validate_records
from .folder import read_folder, split_sections, write_folder
from .schema import FRAMEWORK_COLUMNS, SANGONG_ITEMS, TABLES, Management, UnitFacts

# Fictional place names: two syllables from these lists never name a real 徐闻 town on purpose.
_FIRST = "青云白石金银松竹梅兰桂枫柳清明安宁和丰永泰新华"
_SECOND = "溪山川岭湖湾塘坪岗桥岸洲"
COUNTY = "示例县"  # a fictional county; a fictional province has 示例一县, 示例二县, …
_DIGITS = "〇一二三四五六七八九"

CENT = Decimal("0.01")


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(CENT)


def _spelled(number: int) -> str:
    """A name only `number` has: its base-24 digits (at least two) as syllables, then a landform.

    Three or more syllables, so it never equals a drawn two-syllable name.
    """
    digits, rest = [], number
    while rest or len(digits) < 2:
        rest, digit = divmod(rest, len(_FIRST))
        digits.append(_FIRST[digit])
    return "".join(reversed(digits)) + _SECOND[number % len(_SECOND)] + "镇"


def county_name(index: int, counties: int) -> str:
    """The fictional 县 of the `index`-th (from 1) of `counties`: 示例县 alone, else 示例十二县."""
    if counties == 1:
        return COUNTY
    tens, ones = divmod(index, 10)
    if index >= 100:  # digit by digit, as a long number is read out
        numeral = "".join(_DIGITS[int(d)] for d in str(index))
    else:
        numeral = (_DIGITS[tens] if tens > 1 else "") + ("十" if tens else "")
        numeral += _DIGITS[ones] if ones else ""
    return f"示例{numeral}县"


def synth_unit(
    number: int,
    year: int,
    seed: int,
    taken: set[str] | None = None,
    later: dict | None = None,
    code: str | None = None,
    county: str = COUNTY,
) -> dict:
    """One fictional township's parts, validated through the data contract (as read_folder returns).

    `taken` holds the names already given in this county: a drawn name found there is replaced
    by one spelled from `number`, so a county of any size has distinct names (and is added).
    `later`: the same unit's parts of the following year: this is its year before, with the same
    name, whose 本年支出 and 三公 决算 are the 上年 figures `later` states (so the two years agree),
    and figures of its own otherwise. `code`: the unit_code that ties the years together.
    `county`: the 县 it belongs to (its name, its 财政局); the draws do not depend on it.
    """
    rng = random.Random(f"{seed}-{number}")
    quality = rng.uniform(0.75, 1.0)  # how well this unit did: targets met, checks passed
    name = rng.choice(_FIRST) + rng.choice(_SECOND) + "镇"
    if later is not None:  # an earlier year: the unit's name, a draw of its own for the rest
        name = later["unit.yaml"].identity.short_name
        rng = random.Random(f"{seed}-{number}-{year}")
        quality = rng.uniform(0.75, 1.0)
    elif taken is not None:
        if name in taken:
            name = _spelled(number)
        taken.add(name)
    full = f"{county}{name}人民政府"
    authorized = rng.randint(50, 120)
    in_service = authorized - rng.randint(-3, 15)  # now and then over establishment: a warning
    staffing = {
        "authorized": authorized,
        "in_service": in_service,
        "retired": rng.randint(20, 60),
        "temporary": rng.randint(5, 25),
    }
    personnel = _money(in_service * rng.uniform(14, 18))
    public = _money(in_service * rng.uniform(1.8, 2.6))
    project = _money(rng.uniform(800, 4000))
    if later is not None:  # what the following year states as this year's 本年支出
        personnel, public, project = (line.last_year for line in later["budget.csv"])
    budget_rows = []
    for kind, econ, title, actual in (
        ("基本支出", "人员经费", "工资福利支出及对个人和家庭的补助", personnel),
        ("基本支出", "公用经费", "商品和服务支出", public),
        ("项目支出", "项目支出", "项目支出", project),
    ):
        rate = rng.uniform(quality - 0.1, 1.0) if kind == "项目支出" else rng.uniform(0.96, 1.0)
        adjusted = _money(float(actual) / rate)
        initial = _money(float(adjusted) * rng.uniform(0.8, 1.0))
        last = _money(float(actual) * rng.uniform(0.8, 1.2))
        budget_rows.append([kind, econ, title, initial, adjusted, actual, last, ""])
    sangong_rows = []
    stated = {line.item: line.last_year for line in later["sangong.csv"]} if later else {}
    for item in SANGONG_ITEMS:
        if later is not None and stated[item] != 0:  # the 决算 the following year states
            actual = stated[item]
            budget = _money(float(actual) / rng.uniform(0.85, 1.0))
            last = _money(float(actual) * rng.uniform(0.9, 1.1))
            sangong_rows.append([item, budget, actual, last, ""])
            continue
        if (
            later is not None
            or item == "因公出国（境）费"
            or (item == "公务用车购置费" and rng.random() < 0.7)
        ):
            sangong_rows.append([item, Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), ""])
            continue
        budget = _money(rng.uniform(3, 25))
        actual = _money(float(budget) * rng.uniform(0.8, 1.05 if rng.random() < 0.2 else 1.0))
        sangong_rows.append(
            [item, budget, actual, _money(float(actual) * rng.uniform(0.9, 1.1)), ""]
        )
    target_rows = []
    for label, phrase, unit, lo, hi in (
        ("地区生产总值", "全镇地区生产总值", "万元", 80000, 250000),
        ("一般公共预算收入", "一般公共预算收入", "万元", 800, 3000),
        ("农林牧渔业总产值", "农林牧渔业总产值", "万元", 60000, 180000),
        ("固定资产投资", "固定资产投资", "万元", 3000, 9000),
    ):
        actual = rng.randint(lo, hi)
        if later is not None:  # the following year grew from this by its stated 增长率
            after = next(t for t in later["targets.csv"] if t.name == label)
            actual = round(float(after.actual) / (1 + float(after.growth_pct) / 100))
        target = int(actual / rng.uniform(quality, 1.04))
        growth = Decimal(str(round(rng.uniform(-2, 9), 1)))
        target_rows.append(["产出", label, phrase, unit, "≥", target, actual, None, growth, "", ""])
    for label, phrase, unit, lo, hi, places in (
        ("危房改造", "完成危房改造", "户", 5, 30, 0),
        ("农村卫生厕所普及率", "农村卫生厕所普及率", "%", 95, 99.9, 1),
        ("低保金发放", "累计发放低保金", "万元", 300, 1200, 2),
        ("优抚对象", "优抚定补金发放对象", "名", 100, 400, 0),
    ):
        actual = round(rng.uniform(lo, hi), places)
        if later is not None:  # a little less done the year before
            after = next(t for t in later["targets.csv"] if t.name == label)
            actual = round(float(after.actual) * rng.uniform(0.9, 1.0), places or None)
        target = min(
            round(actual / rng.uniform(quality, 1.03), places), 100 if unit == "%" else 10**9
        )
        target_rows.append(
            [
                "效益",
                label,
                phrase,
                unit,
                "≥",
                Decimal(str(target)),
                Decimal(str(actual)),
                None,
                None,
                "",
                "",
            ]
        )
    framework = load_framework(DEFAULT_FRAMEWORK)
    facts: dict[str, object] = {}
    for key, (_, item) in framework.fact_keys().items():
        if item.expect is not None:
            facts[key] = rng.random() < quality + 0.1  # now and then a check fails
        elif item.max is not None:
            facts[key] = 0 if rng.random() > 0.1 else 1
        else:
            facts[key] = float(item.min) if rng.random() > 0.1 else float(item.min) - 1
    projects = [
        {"name": f"{name}{t}", "pre_assessed": rng.random() > 0.15}
        for t in rng.sample(
            ["乡村道路提升项目", "农田水利设施项目", "人居环境整治项目"], rng.randint(0, 2)
        )
    ]
    self_rows = []
    if rng.random() < 0.5:
        self_rows.append(
            [
                "部门整体绩效目标效益完成情况",
                rng.choice([21, 22, 23]),
                "部分效益指标缺乏量化标准，目标导向作用发挥不足（见“存在问题”），酌情扣分。",
                "",
            ]
        )
    unit = {
        "year": year,
        "identity": {
            "name": full,
            "unit_kind": "镇",
            "short_name": name,
            "county": county,
            "superior": f"{county}财政局",
            "unit_type": "行政单位",
            "nature": "政府机关",
            "accounting_standard": "政府会计准则制度",
            "industry_code": "9221",
            "industry_name": "综合事务管理机构",
            "subordinate_units": 0,
            **({"unit_code": code} if code else {}),
        },
        "staffing": staffing,
        "evaluation": {
            "notice_title": f"{county}财政局关于开展{year}年度县级财政资金绩效自评工作的通知",
            "notice_number": f"示财绩〔{year + 1}〕{number}号",
            "fill_date": f"{year + 1}-11",
            "submitted": "11月上旬",
            "published_consistent": rng.random() > 0.1,
            "team": [
                {"role": "组长", "duty": "分管财政工作的", "title": "党委委员"},
                {"role": "副组长", "title": "党政办主任"},
                {"role": "成员", "title": "各办（所）负责人"},
            ],
            "contact": f"{name}党政办",  # the 自评表's header; a fictional number
            "phone": "000-00000000",
        },
        "declared_grade": rng.choice(["优", "良", "良", "良"]),
        "totals": {
            "total_expenditure": _money(
                float(personnel + public + project) * rng.uniform(1.0, 1.12)
            )
        },
        "goals": {
            "set": f"围绕{name}年度重点工作，推动产业发展、改善人居环境、保障基本民生，"
            "完成年初设定的产出和效益目标。",
            "achieved": "产业发展、人居环境整治和民生保障各项工作按计划推进，"
            "产出和效益目标完成情况见绩效指标。",
        },
        "synthetic": True,
        "illustrative": [],
    }
    narrative = "\n\n".join(
        [
            "<!-- 合成示例单位：以下文字为程序生成，仅供演示。 -->",
            "## 单位职能",
            f"1. 贯彻执行党和国家方针政策，统筹推进{name}经济社会发展。\n2. 负责辖区公共服务、社会治理和综合行政执法工作。",
            "## 重点工作",
            f"**1.推动产业发展**\n\n围绕特色农业，推进{name}产业融合发展。\n\n**2.改善人居环境**\n\n完善垃圾收运体系，推进生活污水治理。",
            "## 评价小组",
            "单位成立绩效自评工作小组，明确分工，落实责任。",
            "## 自评过程",
            "工作小组收集资料、核对数据，按评分表逐项自评，形成自评报告。",
            "## 主要做法和经验",
            "**1.强化目标管理**\n\n年初细化绩效目标，按季度跟踪进度。",
            "## 存在问题",
            "**1.绩效目标量化不足**\n\n部分效益目标缺乏可衡量的量化标准。",
            "## 改进措施",
            "**1.细化绩效目标**\n\n加强培训，提高绩效目标的可衡量性。",
            "## 其他自评情况",
            "",
        ]
    )
    tables = {
        "budget.csv": budget_rows,
        "sangong.csv": sangong_rows,
        "targets.csv": target_rows,
        "self_scores.csv": self_rows,
    }
    parts, problems = {}, []
    for name, rows in tables.items():
        columns = [
            f.alias for f in TABLES[name].model_fields.values() if f.alias not in FRAMEWORK_COLUMNS
        ]
        records = [
            (row_where(n), dict(zip(columns, row, strict=True))) for n, row in enumerate(rows, 2)
        ]
        parts[name], _, bad = validate_records(TABLES[name], records)
        problems += bad
    parts["unit.yaml"], bad = validate_mapping(UnitFacts, unit, key_where)
    problems += bad
    parts["management.yaml"], bad = validate_mapping(
        Management, {"new_projects": projects, "facts": facts}, key_where
    )
    parts["narrative.md"], bad = split_sections(narrative)
    if problems + bad:  # pragma: no cover - a generator bug, guarded by tests
        raise RuntimeError("\n".join(problems + bad))
    return parts


def write_synthetic_units(
    count: int,
    year: int,
    project_dir: Path,
    seed: int = 2024,
    years: int = 1,
    counties: int = 1,
) -> list[Path]:
    """Write `count` units as params/synthNN_<year>.yaml + data/<year>/synthNN/; returns params paths.
    With `years` > 1, each unit's years before too (synthNN_<year-1> …), tied by unit_code synthNN
    and found by the data tree's convention (data/<year-1>/synthNN).

    `counties` > 1: a fictional province, unit 1 in 示例一县, unit 2 in 示例二县, … in turn, so
    its counties differ in size by one unit at most; names are distinct within each county.
    Every unit is read back through the data contract before this returns, so a generator bug
    can never ship an invalid unit.
    """
    written, taken = [], {}
    command = f"selfeval synth --seed {seed}" + (f" --counties {counties}" if counties > 1 else "")
    for number in range(1, count + 1):
        county = county_name((number - 1) % counties + 1, counties)
        code = f"synth{number:02d}" if years > 1 else None  # one year: nothing to tie
        parts = synth_unit(
            number, year, seed, taken.setdefault(county, set()), code=code, county=county
        )
        written.append(_write_unit(project_dir, number, year, command, parts))
        for before in range(year - 1, year - years, -1):
            parts = synth_unit(number, before, seed, later=parts, code=code, county=county)
            written.append(_write_unit(project_dir, number, before, command, parts))
    return written


def _write_unit(project_dir: Path, number: int, year: int, command: str, parts: dict) -> Path:
    """One unit-year's data folder and params file, read back through the contract."""
    unit_id = f"synth{number:02d}_{year}"
    data_dir = project_dir / "data" / str(year) / f"synth{number:02d}"
    data_dir.mkdir(parents=True, exist_ok=True)
    write_folder(data_dir, parts, f"合成示例单位 (synthetic, fictional) from `{command}`.")
    raw = read_folder(data_dir)
    if raw.errors:  # pragma: no cover - guarded by tests
        raise RuntimeError("\n".join(str(e) for e in raw.errors))
    params = project_dir / "params" / f"{unit_id}.yaml"
    params.parent.mkdir(parents=True, exist_ok=True)
    params.write_text(
        f"# 合成示例单位 (synthetic, fictional) from `{command}`.\n"
        f"unit_id: {unit_id}\nyear: {year}\ndata: ../data/{year}/synth{number:02d}\n"
        f"framework: {DEFAULT_FRAMEWORK}\n",
        encoding="utf-8",
    )
    return params
