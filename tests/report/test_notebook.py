"""Notebook tier: the real pipeline (kernel, papermill, nbconvert) on the shipped example."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from selfeval_lib.cli import main
from selfeval_lib.frameworks import DEFAULT_FRAMEWORK
from selfeval_lib.frameworks.model import load_framework
from selfeval_lib.runs import DEFAULT_NOTEBOOK, OVERVIEW_NOTEBOOK
from selfeval_lib.runs.runner import run_unit

from ..conftest import EXAMPLE_PARAMS, REFERENCE, SPENDING, use_no_sangong, visible_text

pytestmark = pytest.mark.notebook
INDICATORS = load_framework(DEFAULT_FRAMEWORK).indicators

# What the reference report states, section by section; the HTML must show each, in this order.
# (Within one indicator paragraph the computed sentence comes before the unit's own words.)
REFERENCE_IN_ORDER = [
    "前山镇部门整体支出绩效自评报告",
    "评价年度:2024",
    "评价单位(公章):徐闻县前山镇人民政府",
    "填报日期:2025年11月",
    "《徐闻县财政关于开展2024年度县级财政资金绩效自评工作的通知》(徐财绩〔2025〕5号)",
    "一、单位基本情况",
    "(一)单位机构设置、部门职能情况",
    "徐闻县前山镇人民政府为徐闻县财政局下的行政单位,单位基本性质是政府机关,执行政府会计准则制度,机构行业类型为[9221]综合事务管理机构",
    "无下属二级预算单位;机构编制部门核定人数96人、年末在职人数86人、离退休人数48人、外聘临时工人数18人",
    "(二)年度总体工作和重点工作任务",
    "二、自评工作开展情况",
    "(一)评价小组情况",
    "由分管财政工作的李培易党委委员为组长,党政办主任张东梅为副组长,九大办负责人为成员",
    "(二)自评工作过程",
    "(三)自评材料报送时间及质量",
    "自评材料在11月初报送",
    "(四)自评材料报送及公开一致情况",
    "本单位所报送的自评报告、数据表、评分表与公开的自评报告、数据表、评分表一致",
    "三、绩效自评情况",
    "(一)自评结果",
    "单位自评结果为:良",
    "(二)部门整体支出绩效指标分析",
    "1.部门整体绩效目标产出完成情况",
    "全镇地区生产总值174477万元,增长3.4%;一般公共预算收入1712.3764万元,增长9.49%;农林牧渔业总产值135471万元,同比增长4.0%;规模以上工业增加值7415万元,增长4.3%;固定资产投资5085万元",
    "2.部门整体绩效目标效益完成情况",
    "农村卫生厕所普及率99.89%",
    "农村生活污水治理率达96.5%",
    "累计向低保家庭发放低保金980.02万元",
    "发放特困金199.38万元",
    "医疗救助金81.1万元",
    "累计向优抚对象发放优抚定补金228.11万元",
    "以深水、甲村、北松、积水湖、禄齐、冯村6条自然村为示范",  # the unit's own words follow the figures
    "3.部门预算资金支出率",
    "单位资金支出率为93%",
    "4.新增项目事前绩效评估",
    "部门新增乡村振兴基础设施建设项目1个,均严格按照规定开展事前绩效评估工作,评估覆盖率达100%",
    "5.预算编制约束性",
    "6.财务管理合理性",
    "7.信息公开方面",
    "8.绩效管理制度建设",
    "9.绩效管理制度执行",
    "10.采购管理",
    "采购意向100%公开",
    "11.资产管理",
    "全年共开展资产清查1次",
    "12.运行成本",
    "单位2024年度总支出4,898.86万元,其中本年支出4,462.32万元",
    "基本支出1,589.88万元,比上年决算数增加107.60万元",  # amounts as tables show them (issue 20)
    "项目支出2,872.44万元,比上年决算数减少788.86万元",
    "“三公”经费财政拨款支出决算为26.77万元,完成全年预算26.77万元的100%,等于预算安排的经费数",
    "(三)主要做法和经验",
    "1.强化目标引领,精准制定绩效计划",
    "(四)存在问题",
    "1.绩效目标设定的精准性有待进一步提升",
    "2.绩效评价结果的应用力度不够",
    "(五)改进措施",
    "2.强化绩效评价结果应用,发挥评价导向作用",
    "四、其他自评情况",
    "生成信息 / Provenance",
]


FORMS = ("qianshan_2024.自评表.docx", "qianshan_2024.自评表.xlsx")  # the 自评表 (report/form.py)


@pytest.fixture(scope="module")
def built(built_example, tmp_path_factory) -> dict:
    """The example report, and a second run into another folder for determinism."""
    second = run_unit(EXAMPLE_PARAMS, tmp_path_factory.mktemp("run2"))
    assert second.status == "ok", second.error
    return {
        "html": built_example.read_text(encoding="utf-8"),
        "html_bytes": built_example.read_bytes(),
        "html_bytes_again": Path(second.outputs["html"]).read_bytes(),
        "forms": [Path(o).read_bytes() for o in (built_example.with_name(n) for n in FORMS)],
        "forms_again": [Path(second.outputs[k]).read_bytes() for k in ("form_docx", "form_xlsx")],
        "scores": json.loads(
            built_example.with_suffix("").with_suffix(".scores.json").read_text(encoding="utf-8")
        ),
        "out": built_example.parent.parent,
    }


def test_outputs_land_under_reports_year(built):
    out = built["out"]
    assert sorted(p.name for p in (out / "2024").iterdir()) == [
        "qianshan_2024.docx",
        "qianshan_2024.html",
        "qianshan_2024.ipynb",
        "qianshan_2024.scores.json",
        "qianshan_2024.xlsx",
        *FORMS,
    ]


def test_html_shows_the_reference_figures_in_section_order(built):
    text = visible_text(built["html"])
    position = 0
    for phrase in REFERENCE_IN_ORDER:
        found = text.find(phrase, position)
        assert found >= 0, f"not found after position {position}: {phrase}"
        position = found + len(phrase)


def test_reference_phrases_really_come_from_the_reference():
    """Guard against this test drifting from the real report (NFKC: the file folds punctuation)."""
    reference = REFERENCE.read_text(encoding="utf-8")
    for phrase in (
        "单位资金支出率为93%",
        "农林牧渔业总产值135471万元,同比增长4.0%",
        "基本支出1,589.88万元,比上年决算数增加107.6万元",
        "农村卫生厕所普及率99.89%",
        "单位自评结果为:良",
    ):
        assert phrase in reference


def test_twelve_indicator_paragraphs_and_score_table(built):
    page, text = built["html"], visible_text(built["html"])
    # each indicator's numbered heading, in the framework's order (not any "1.5" in the text)
    headings = re.findall(r"<h4[^>]*>(\d+)\.([^<]+)</h4>", page)
    assert headings == [(str(n), i.name) for n, i in enumerate(INDICATORS, start=1)]
    assert len(headings) == 12
    assert "得分依据 / 扣分原因" in text
    # computed 44 (差) from what the reference states; 86※ (良※) with the illustrative self scores
    assert "合计100.0044.0086.00※等级:良※" in text.replace(" ", "")
    assert "支出率93%,低于95%标准2个百分点,每个百分点扣0.5分,扣1分。" in text
    assert "※ 示例数据" in text  # illustrative figures are marked and explained


def test_scores_file_matches_the_report(built):
    scores = built["scores"]
    assert (scores["total"], scores["grade"], scores["declared_grade"]) == (86.0, "良", "良")
    assert [i["weight"] for i in scores["indicators"]] == [25, 25, 10, 5, 5, 5, 5, 5, 5, 4, 3, 3]
    assert (
        scores["indicators"][2]["basis"]
        == "单位所列支出率93%，低于95%标准2个百分点，每个百分点扣0.5分，扣1分。"
    )
    assert scores["illustrative"] is True  # the total rests on the illustrative self scores
    assert scores["warnings"] == []
    assert 'targets.csv: 第2行 列"目标值"' in scores["not_stated"]
    assert scores["indicators"][8]["not_stated"] == ["management.yaml: facts.monitoring_done"]
    assert scores["framework"] == "gd_township_2024"


def test_html_shows_no_code_prompts_or_parameters(built):
    page = built["html"]
    for code in (
        "import selfeval_lib",
        "sel.show_",
        "params_path",
        "load_report",
        "In&nbsp;[",
        "Out[",
    ):
        assert code not in page
    assert "<pre" not in page  # no stream output or traceback


def test_html_is_offline_and_self_contained(built):
    page = built["html"]
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.I)
    assert not re.search(r"<link[^>]*\bhref\s*=\s*[\"']?https?:", page, re.I)
    assert not re.search(r"@import", page, re.I)
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", page, re.I)
    images = re.findall(r"<img[^>]*\bsrc=\"([^\"]+)\"", page)
    # 5 charts less 图4 (one year) and 图5 (one category), left out with a sentence
    assert len(images) == 3 and all(src.startswith("data:image/png;base64,") for src in images)


def test_html_has_a_cjk_font_stack_and_a4_print_rules(built):
    page = built["html"]
    assert '<html lang="zh-CN">' in page and re.search(r'<meta charset="utf-8"/?>', page)
    assert '"Noto Sans CJK SC"' in page and '"Microsoft YaHei"' in page
    assert "@page { size: A4;" in page


def test_html_is_byte_identical_across_runs(built):
    assert built["html_bytes"] == built["html_bytes_again"]


def test_the_form_is_byte_identical_across_runs(built):
    assert built["forms"] == built["forms_again"]


def test_provenance_footer_is_last_and_hashes_every_input(built):
    text = visible_text(built["html"])
    tail = text[text.rfind("生成信息") :]
    assert "selfeval 0.1.0" in tail and "gd_township_2024" in tail
    for name in (
        "params/qianshan_2024.yaml",
        "data/2024/qianshan/budget.csv",
        "data/2024/qianshan/narrative.md",
        "selfeval_lib/frameworks/gd_township_2024.yaml",
    ):
        assert name in tail
    # compact: 12-digit hashes shown, the full SHA-256 in each one's title (and in scores.json)
    assert len(re.findall(r"[0-9a-f]{12}", tail)) >= 9
    assert len(re.findall(r'<code title="[0-9a-f]{64}">[0-9a-f]{12}</code>', built["html"])) == 9


@pytest.mark.parametrize(
    "notebook", [DEFAULT_NOTEBOOK, OVERVIEW_NOTEBOOK], ids=["report", "overview"]
)
def test_committed_notebooks_are_clean_and_parameters_come_first(notebook):
    nb = nbformat.read(notebook, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert code[0].metadata.get("tags") == ["parameters"]
    assert all("  # " in line for line in code[0].source.splitlines())  # papermill --help-notebook
    assert not any(re.search(r"^\s*(def|class|for|while)\b", c.source, re.M) for c in code)


def test_a_failing_cell_keeps_the_last_good_report(tmp_path):
    notebook = tmp_path / "broken.ipynb"
    nb = nbformat.read(DEFAULT_NOTEBOOK, as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("raise ValueError('boom')"))
    nbformat.write(nb, notebook)
    good = run_unit(EXAMPLE_PARAMS, tmp_path / "out")
    assert good.status == "ok"
    before = Path(good.outputs["html"]).read_bytes()
    shutil.copy(DEFAULT_NOTEBOOK.parent / "selfeval_report.ipynb", tmp_path / "unused.ipynb")
    bad = run_unit(EXAMPLE_PARAMS, tmp_path / "out", notebook=notebook)
    assert bad.status == "failed"
    assert "a notebook cell failed: ValueError: boom" in bad.error
    assert Path(good.outputs["html"]).read_bytes() == before
    assert (tmp_path / "out/2024/qianshan_2024.failed.ipynb").is_file()
    assert not list((tmp_path / "out/2024").glob(".*"))  # no working file left behind


def test_cli_run_prints_the_grade_and_writes_the_report(tmp_path, capsys):
    assert main(["run", str(EXAMPLE_PARAMS), "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "✓ qianshan_2024 2024: 良※ 86.00分※" in printed  # resting on illustrative self scores
    assert (tmp_path / "2024/qianshan_2024.html").is_file()


def test_run_all_with_the_default_parameters_as_in_jupyterlab():
    """JupyterLab runs the notebook from its own folder with the parameters cell as committed."""
    from nbclient import NotebookClient

    nb = nbformat.read(DEFAULT_NOTEBOOK, as_version=4)
    NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(DEFAULT_NOTEBOOK.parent)}},
    ).execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    html = "".join(
        o.get("data", {}).get("text/html", "") for c in nb.cells for o in c.get("outputs", [])
    )
    assert "单位自评结果为：良" in html


def test_a_report_by_a_framework_without_sangong_still_states_the_units_spending(
    unit_copy, tmp_path
):
    """The real pipeline, by a framework with no 三公 indicator: 单位基本情况 states the unit's
    spending and 三公 (paragraph, table, chart), and the figures are numbered as they appear."""
    use_no_sangong(unit_copy)
    result = run_unit(unit_copy, tmp_path / "reports")
    assert result.status == "ok", result.error
    text = visible_text(Path(result.outputs["html"]).read_text(encoding="utf-8"))
    basics = text[text.index("一、单位基本情况") : text.index("二、自评工作开展情况")]
    assert "单位支出情况" + SPENDING in basics
    assert "合计26.7726.7728.13※100%" in basics.replace(" ", "")
    captions = re.findall(r"图(\d+) ", text[text.index("一、单位基本情况") :])
    assert captions == ["1", "2", "3", "4", "5"] and "图1 “三公”经费预算与决算" in basics
