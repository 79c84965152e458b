"""Synthetic units: fictional, valid through the contract, marked, and the same for the same seed."""

from __future__ import annotations

from selfeval_lib import load_report
from selfeval_lib.cli import main
from selfeval_lib.report.display import show_cover

from ..conftest import ROOT


def _files(folder):
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_files_and_the_shipped_units_are_exactly_that(tmp_path, capsys):
    for out in ("a", "b"):  # the shipped synthetic county: five units, 2024 and 2023
        command = ["synth", "--units", "5", "--year", "2024", "--years", "2"]
        assert main([*command, "--out", str(tmp_path / out)]) == 0
    capsys.readouterr()
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a == b and len(a) == 5 * 2 * 8
    shipped = {
        k: v
        for k, v in _files(ROOT).items()
        if "synth0" in k and k.startswith(("params/", "data/"))
    }
    assert (
        shipped == a
    )  # params/ and data/ hold exactly what `selfeval synth --units 5 --years 2` writes


def test_another_seed_gives_other_units(tmp_path, capsys):
    main(["synth", "--units", "2", "--out", str(tmp_path / "a")])
    main(["synth", "--units", "2", "--seed", "7", "--out", str(tmp_path / "b")])
    capsys.readouterr()
    assert _files(tmp_path / "a") != _files(tmp_path / "b")


# total, grade and the total without self scores of each unit the default seed gives; a change
# to the generator or to scoring moves them
SCORES = {
    "synth01_2024": ("96.42", "优", "96.42"),
    "synth02_2024": ("96.59", "优", "98.39"),  # with a self score of 23 for 效益
    "synth03_2024": ("95.89", "优", "99.85"),
    "synth04_2024": ("89.45", "良", "89.45"),
    "synth05_2024": ("99.44", "优", "99.44"),
    "synth06_2024": ("99.50", "优", "99.50"),
}


def test_synthetic_units_are_fictional_valid_and_marked(tmp_path, capsys):
    main(["synth", "--units", "6", "--out", str(tmp_path)])
    capsys.readouterr()
    scores = {}
    for params in sorted((tmp_path / "params").glob("*.yaml")):
        report = load_report(params)
        assert report.unit.facts.synthetic
        assert report.unit.facts.identity.county == "示例县"
        assert all(not m.name for m in report.unit.facts.evaluation.team)  # no person's name at all
        assert "合成示例单位" in show_cover(report).data
        v = report.indicators
        assert v.basic.value == v.personnel.value + v.public.value and not v.basic.illustrative
        assert report.unit.not_stated() == ()  # a synthetic unit states everything
        card = report.card
        scores[report.unit.params.unit_id] = (str(card.total), card.grade, str(card.computed_total))
        assert card.total == sum(s.score for s in card.scores)
    assert scores == SCORES


def test_a_county_of_any_size_has_distinct_unit_names(tmp_path, capsys):
    # 60 units drawn from 288 two-syllable names collided (52 distinct); 3,000 exceed them all
    from selfeval_lib.inputs.folder import read_folder
    from selfeval_lib.inputs.synth import synth_unit

    taken: set[str] = set()
    names = [
        synth_unit(n, 2024, 2024, taken)["unit.yaml"].identity.short_name for n in range(1, 3001)
    ]
    assert len(set(names)) == 3000 and len(taken) == 3000
    assert all(name.endswith("镇") and len(name) <= 6 for name in names)
    # the same holds for what `selfeval synth` writes: full names distinct too
    assert main(["synth", "--units", "60", "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    full = [
        read_folder(d).parts["unit.yaml"].identity.name
        for d in sorted((tmp_path / "data" / "2024").iterdir())
    ]
    assert len(full) == 60 and len(set(full)) == 60


def test_a_second_and_third_year_are_the_same_units_linked_and_agreeing(tmp_path, capsys):
    """`--years 3`: each unit also in the two years before, one unit_code, the same name; each
    year's 本年支出 and 三公 决算 are what the next year states as 上年, so nothing disagrees."""
    assert main(["synth", "--units", "2", "--years", "3", "--out", str(tmp_path / "c")]) == 0
    assert main(["synth", "--units", "2", "--out", str(tmp_path / "one")]) == 0
    assert capsys.readouterr().out.split() == [
        str(tmp_path / "c" / "params" / f"synth0{n}_{y}.yaml")
        for n in (1, 2)
        for y in (2024, 2023, 2022)
    ] + [str(tmp_path / "one" / "params" / f"synth0{n}_2024.yaml") for n in (1, 2)]
    three, one = _files(tmp_path / "c"), _files(tmp_path / "one")
    assert len(three) == 2 * 3 * 8
    # the latest year is what one year gives, with the unit_code that ties the years
    for name, data in one.items():
        if name.endswith("unit.yaml"):
            code = name.split("/")[2]
            data = data.replace(
                b"subordinate_units: 0\n", f"subordinate_units: 0\n  unit_code: {code}\n".encode()
            )
        assert three[name] == data, name
    now = load_report(tmp_path / "c/params/synth01_2024.yaml")
    last = now.unit.previous
    assert last.params.unit_id == "synth01_2023" and last.facts.synthetic
    assert last.facts.identity.name == now.unit.facts.identity.name == "示例县和岗镇人民政府"
    assert last.facts.identity.unit_code == now.unit.facts.identity.unit_code == "synth01"
    assert [b.actual for b in last.budget] == [b.last_year for b in now.unit.budget]
    assert [s.actual for s in last.sangong] == [s.last_year for s in now.unit.sangong]
    assert [t.actual for t in last.targets] != [t.actual for t in now.unit.targets]  # its own
    assert not [w for w in now.warnings if "不一致" in w and "上年数据" in w]
    assert len(now.unit.taken) == 8  # the 上年值 of every target, from 2023's 实际值
    assert (now.previous.card.total, now.previous.card.grade) == (
        load_report(tmp_path / "c/params/synth01_2023.yaml").card.total,
        "优",
    )
    first = load_report(tmp_path / "c/params/synth01_2022.yaml")
    assert first.previous is None and first.unit.previous is None
    assert first.unit.facts.identity.short_name == "和岗镇"


def test_a_province_spreads_its_units_over_its_counties_in_turn(tmp_path, capsys):
    from selfeval_lib.inputs.folder import read_folder
    from selfeval_lib.inputs.synth import county_name, synth_unit

    assert main(["synth", "--units", "7", "--counties", "3", "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    facts = {
        d.name: read_folder(d).parts["unit.yaml"]
        for d in sorted((tmp_path / "data" / "2024").iterdir())
    }
    assert {unit: f.identity.county for unit, f in facts.items()} == {
        "synth01": "示例一县",
        "synth02": "示例二县",
        "synth03": "示例三县",
        "synth04": "示例一县",
        "synth05": "示例二县",
        "synth06": "示例三县",
        "synth07": "示例一县",
    }
    f = facts["synth05"]
    assert f.identity.name == f"示例二县{f.identity.short_name}人民政府"
    assert f.identity.superior == "示例二县财政局"
    assert f.evaluation.notice_title.startswith("示例二县财政局关于开展2024年度")
    # the header says how to make the same files again
    header = (tmp_path / "params/synth05_2024.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert (
        header
        == "# 合成示例单位 (synthetic, fictional) from `selfeval synth --seed 2024 --counties 3`."
    )
    # the county changes names only: the same draws as in one county
    alone = synth_unit(5, 2024, 2024)["budget.csv"]
    assert read_folder(tmp_path / "data/2024/synth05").parts["budget.csv"] == alone
    assert [county_name(n, 30) for n in (1, 10, 11, 20, 29, 30)] == [
        "示例一县",
        "示例十县",
        "示例十一县",
        "示例二十县",
        "示例二十九县",
        "示例三十县",
    ]
    assert county_name(105, 200) == "示例一〇五县" and county_name(1, 1) == "示例县"


def test_names_are_distinct_within_each_county_of_a_province(tmp_path, capsys):
    # with seed 2024, units 9 and 17 (both of 示例一县) draw 桂川镇: the second is spelled anew;
    # units 5 and 16 draw 枫山镇 in two counties, which is no clash
    from selfeval_lib.inputs.folder import read_folder

    assert main(["synth", "--units", "18", "--counties", "2", "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    names: dict[str, list[str]] = {}
    for d in sorted((tmp_path / "data" / "2024").iterdir()):
        identity = read_folder(d).parts["unit.yaml"].identity
        names.setdefault(identity.county, []).append(identity.short_name)
    assert sorted(names) == ["示例一县", "示例二县"]
    assert all(len(v) == 9 == len(set(v)) for v in names.values())
    assert [len(n) for n in names["示例一县"]].count(3) == 8  # one spelled name, longer
    assert "桂川镇" in names["示例一县"] and "桂川镇" not in names["示例二县"]
    assert "枫山镇" in names["示例一县"] and "枫山镇" in names["示例二县"]
