"""Every text a data file or a county framework can carry reaches each show_* escaped: a unit
whose every free-text field holds a different <img onerror> shows each one as text, never as a
tag. Each field is numbered, so a test names the field that came through unescaped."""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

import pytest

from selfeval_lib import load_overview, load_report, show_overview_warnings, show_ranking
from selfeval_lib.frameworks.model import framework_path
from selfeval_lib.report import display

from ..conftest import edit


def hostile(n: int) -> str:
    return f"<img src=x onerror=alert({n})>"


def shown(n: int) -> str:
    """How field n must appear on the page: as text."""
    return html.escape(hostile(n))


# field number -> (file, old text, new text); every one is a text the unit or county writes
FIELDS = {
    1: ("unit.yaml", "  name: 徐闻县前山镇人民政府", f'  name: "徐闻县前山镇人民政府{hostile(1)}"'),
    2: ("unit.yaml", "  short_name: 前山镇", f'  short_name: "前山镇{hostile(2)}"'),
    3: ("unit.yaml", "  superior: 徐闻县财政局", f'  superior: "{hostile(3)}"'),
    4: ("unit.yaml", "  nature: 政府机关", f'  nature: "{hostile(4)}"'),
    5: (
        "unit.yaml",
        "  accounting_standard: 政府会计准则制度",
        f'  accounting_standard: "{hostile(5)}"',
    ),
    6: ("unit.yaml", "  industry_name: 综合事务管理机构", f'  industry_name: "{hostile(6)}"'),
    7: ("unit.yaml", "  unit_type: 行政单位", f'  unit_type: "行政单位{hostile(7)}"'),
    8: (
        "unit.yaml",
        "  notice_title: 徐闻县财政关于开展2024年度县级财政资金绩效自评工作的通知",
        f'  notice_title: "{hostile(8)}"',
    ),
    9: ("unit.yaml", "  notice_number: 徐财绩〔2025〕5号", f'  notice_number: "{hostile(9)}"'),
    10: ("unit.yaml", "  submitted: 11月初", f'  submitted: "{hostile(10)}"'),
    11: (
        "unit.yaml",
        "name: 李培易, title: 党委委员",
        f'name: "{hostile(11)}", title: "{hostile(12)}"',
    ),
    13: ("unit.yaml", "duty: 分管财政工作的", f'duty: "{hostile(13)}"'),
    14: ("budget.csv", ",商品和服务支出,", f",商品和服务支出{hostile(14)},"),
    15: (
        "targets.csv",
        "产出,地区生产总值,全镇地区生产总值,万元",
        f"产出,地区生产总值{hostile(15)},,万元{hostile(16)}",
    ),
    17: (
        "targets.csv",
        "效益,美丽宜居示范村,美丽宜居示范自然村,",
        f"效益,美丽宜居示范村,美丽宜居示范自然村{hostile(17)},",
    ),
    18: (
        "self_scores.csv",
        "部门整体绩效目标产出完成情况,20,",
        f"部门整体绩效目标产出完成情况,20,{hostile(18)}",
    ),
    19: (
        "management.yaml",
        "name: 乡村振兴基础设施建设项目",
        f'name: "乡村振兴基础设施建设项目{hostile(19)}"',
    ),
    20: ("narrative.md", "## 单位职能\n", f"## 单位职能\n\n{hostile(20)}\n"),
    21: ("narrative.md", "## 其他自评情况\n", f"## 其他自评情况\n\n{hostile(21)}\n"),
}
# in the county's framework file
FRAMEWORK_FIELDS = {
    30: ("name: 部门预算资金支出率", f'name: "部门预算资金支出率{hostile(30)}"'),
    31: ("level2: 预算执行", f'level2: "预算执行{hostile(31)}"'),
    32: ("name: 乡镇部门整体支出绩效自评指标框架（默认）", f'name: "县框架{hostile(32)}"'),
}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The complete example with a hostile string in every free-text field and a county framework
    with hostile indicator names; one of its budget lines has a 调整预算 of 0 but spending, so its
    name also reaches a 数据核对提示."""
    from ..conftest import COMPLETE_DATA, EXAMPLE_PARAMS

    root = tmp_path_factory.mktemp("hostile")
    data = root / "data/2024/qianshan"
    shutil.copytree(COMPLETE_DATA, data)
    for file, old, new in FIELDS.values():
        edit(data / file, old, new)
    edit(data / "budget.csv", "190.00,200.00,187.37", "190.00,0.00,187.37")
    framework = root / "county.yaml"
    framework.write_text(
        framework_path("gd_township_2024").read_text(encoding="utf-8"), encoding="utf-8"
    )
    edit(framework, "id: gd_township_2024", "id: county_2024")
    for old, new in FRAMEWORK_FIELDS.values():
        edit(framework, old, new)
    # the unit's note on that indicator follows its new name
    edit(
        data / "narrative.md",
        "## 指标:部门预算资金支出率",
        f"## 指标:部门预算资金支出率{hostile(30)}",
    )
    (root / "params").mkdir()
    params = root / "params/qianshan_2024.yaml"
    params.write_text(
        EXAMPLE_PARAMS.read_text(encoding="utf-8").replace(
            "framework: gd_township_2024", f"framework: {framework}"
        ),
        encoding="utf-8",
    )
    r = load_report(params)
    assert r.card.framework_id == "county_2024"
    return r


def _no_tag(page: str) -> None:
    """No planted tag is a tag on the page."""
    at = page.find("<img src=x onerror")
    assert at < 0, page[max(0, at - 200) : at + 60]


def _fields_shown(page: str, numbers) -> None:
    missing = [n for n in numbers if shown(n) not in page]
    assert not missing, f"fields {missing} do not reach the page as escaped text"


def test_the_cover_escapes_the_names_and_the_notice(report):
    page = display.show_cover(report).data
    _no_tag(page)
    _fields_shown(page, [1, 2, 8, 9])


def test_the_profile_escapes_every_identity_text_and_the_functions(report):
    page = display.show_profile(report).data
    _no_tag(page)
    _fields_shown(page, [1, 3, 4, 5, 6, 7])
    assert f"<p>{shown(20)}</p>" in page  # the narrative's raw HTML is text


def test_the_team_submission_and_sections_escape_their_text(report):
    team = display.show_team(report).data
    _no_tag(team)
    _fields_shown(team, [11, 12, 13])
    submission = display.show_submission(report).data
    _no_tag(submission)
    _fields_shown(submission, [10])
    other = display.show_text(report, "其他自评情况").data
    _no_tag(other)
    _fields_shown(other, [21])


def test_the_score_table_escapes_a_self_score_reason_and_indicator_names(report):
    page = display.show_result(report).data
    _no_tag(page)
    _fields_shown(page, [18, 30, 31, 32])


def test_the_indicator_paragraphs_escape_tables_sentences_and_score_lines(report):
    page = display.show_indicators(report).data
    _no_tag(page)
    _fields_shown(page, [14, 15, 16, 17, 18, 19, 30])


def test_the_warnings_escape_the_budget_line_named_in_them(report):
    page = display.show_warnings(report).data
    _no_tag(page)
    assert f"“商品和服务支出{shown(14)}”调整预算为0但本年支出 187.37万元" in page


def test_a_provenance_footer_escapes_the_file_names(tmp_path):
    from ..conftest import COMPLETE_DATA, EXAMPLE_PARAMS

    data = tmp_path / "data/2024/<b>q"
    shutil.copytree(COMPLETE_DATA, data)
    params = tmp_path / "qianshan_2024.yaml"
    params.write_text(
        EXAMPLE_PARAMS.read_text(encoding="utf-8").replace(
            "data: ../data/2024/qianshan", f"data: {data}"
        ),
        encoding="utf-8",
    )
    page = display.show_provenance(load_report(params)).data
    assert "<b>" not in page and "&lt;b&gt;q" in page


def test_a_chart_caption_and_note_are_escaped():
    from matplotlib.figure import Figure

    page = display.figure_html(Figure(figsize=(1, 1)), hostile(40), hostile(41))
    _no_tag(page)
    assert f'alt="{shown(40)}"' in page and f"<figcaption>{shown(40)}" in page
    assert f'<span class="chart-note">（{shown(41)}）</span>' in page


def test_every_hostile_field_reaches_some_page(report):
    """Guards the tests above: a field the fixture failed to plant would make them vacuous."""
    pages = (
        "".join(
            f(report).data
            for f in (
                display.show_cover,
                display.show_profile,
                display.show_team,
                display.show_submission,
                display.show_result,
                display.show_indicators,
                display.show_warnings,
            )
        )
        + display.show_text(report, "其他自评情况").data
    )
    _fields_shown(pages, [n for n in FIELDS] + [12, 16, *FRAMEWORK_FIELDS])


def _year_of(report, folder):
    """A reports/<year> folder holding this unit's scores.json, as `selfeval run` writes it."""
    folder.mkdir(parents=True)
    record = json.dumps(report.scores_record(), ensure_ascii=False)
    (folder / f"{report.unit.params.unit_id}.scores.json").write_text(record, encoding="utf-8")
    (folder / f"{report.unit.params.unit_id}.html").write_text("<html></html>", encoding="utf-8")
    return folder


OVERVIEW_WARNING = f"“商品和服务支出{shown(14)}”调整预算为0但本年支出 187.37万元"


def test_the_overview_escapes_each_units_warnings_and_name(report, tmp_path):
    county = load_overview(_year_of(report, tmp_path / "2024"))
    page = show_overview_warnings(county).data + show_ranking(county).data
    _no_tag(page)
    assert OVERVIEW_WARNING in page
    _fields_shown(page, [1, 32])  # the unit's name, the framework's name


@pytest.mark.notebook
def test_the_county_index_html_escapes_each_units_warnings(report, tmp_path):
    from selfeval_lib.runs.batch import run_overview

    _year_of(report, tmp_path / "2024")
    page = Path(run_overview(tmp_path, 2024)["html"]).read_text(encoding="utf-8")
    _no_tag(page)
    assert OVERVIEW_WARNING in page
    _fields_shown(page, [1, 32])


def test_links_stay_text_even_if_the_markdown_renderer_made_them(monkeypatch):
    """The narrative renderer makes no links; should a change make it, nh3 still keeps every
    link of a unit's text as text (a second lock, not the only one)."""
    from markdown_it import MarkdownIt

    from selfeval_lib.report import display

    monkeypatch.setattr(display, "NARRATIVE_MD", MarkdownIt("commonmark"))
    shown = display.markdown_html("见[县财政局通知](http://evil.example/a)。")
    assert "<a" not in shown and "evil.example" not in shown
    assert shown == "<p>见县财政局通知。</p>\n"
