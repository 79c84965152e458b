"""Write notebooks/selfeval_report.ipynb (kept as a script only while drafting)."""
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

cells = []
def md(s): cells.append(new_markdown_cell(s))
def code(s, tags=()):
    c = new_code_cell(s); 
    if tags: c.metadata["tags"] = list(tags)
    cells.append(c)

code('params_path = "../params/qianshan_2024.yaml"  # the unit\'s params file (relative to this notebook)', ["parameters"])
code("import selfeval_lib as sel\n\nr = sel.load_report(params_path)", ["setup"])
code("sel.show_cover(r)")
md("## 一、单位基本情况")
md("### （一）单位机构设置、部门职能情况")
code("sel.show_profile(r)")
md("### （二）年度总体工作和重点工作任务")
code('sel.show_text(r, "重点工作")')
md("## 二、自评工作开展情况")
md("### （一）评价小组情况")
code("sel.show_team(r)")
md("### （二）自评工作过程")
code('sel.show_text(r, "自评过程")')
md("### （三）自评材料报送时间及质量")
code("sel.show_submission(r)")
md("### （四）自评材料报送及公开一致情况")
code("sel.show_publication(r)")
md("## 三、绩效自评情况")
md("### （一）自评结果")
code("sel.show_result(r)")
code('sel.show_chart(r, "scores")')
md("### （二）部门整体支出绩效指标分析")
code("sel.show_indicators(r)")
code('sel.show_chart(r, "economy")')
code('sel.show_chart(r, "structure")')
code('sel.show_chart(r, "year_on_year")')
code('sel.show_chart(r, "sangong")')
md("### （三）主要做法和经验")
code('sel.show_text(r, "主要做法和经验")')
md("### （四）存在问题")
code('sel.show_text(r, "存在问题")')
md("### （五）改进措施")
code('sel.show_text(r, "改进措施")')
md("## 四、其他自评情况")
code('sel.show_text(r, "其他自评情况")')
md("## 附:数据核对提示")
code("sel.show_warnings(r)")
code("sel.show_provenance(r)")
code("sel.show_scores_data(r)", ["selfeval-data"])

nb = new_notebook(cells=cells, metadata={
    "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
    "language_info": {"name": "python"},
})
for i, c in enumerate(nb.cells):
    c["id"] = f"cell-{i:02d}"   # stable ids: a diff of the notebook shows real changes only
nbformat.write(nb, "notebooks/selfeval_report.ipynb")
