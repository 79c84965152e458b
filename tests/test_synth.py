"""Synthetic units: fictional, valid through the contract, marked, and the same for the same seed."""

from __future__ import annotations

from selfeval_lib import load_report
from selfeval_lib.cli import main
from selfeval_lib.report.display import show_cover

from .conftest import ROOT


def _files(folder):
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_files_and_the_shipped_units_are_exactly_that(tmp_path, capsys):
    assert main(["synth", "--units", "5", "--year", "2024", "--out", str(tmp_path / "a")]) == 0
    assert main(["synth", "--units", "5", "--year", "2024", "--out", str(tmp_path / "b")]) == 0
    capsys.readouterr()
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a == b and len(a) == 5 * 8
    shipped = {
        k: v
        for k, v in _files(ROOT).items()
        if "synth0" in k and k.startswith(("params/", "data/"))
    }
    assert shipped == a  # params/ and data/ hold exactly what `selfeval synth --units 5` writes


def test_another_seed_gives_other_units(tmp_path, capsys):
    main(["synth", "--units", "2", "--out", str(tmp_path / "a")])
    main(["synth", "--units", "2", "--seed", "7", "--out", str(tmp_path / "b")])
    capsys.readouterr()
    assert _files(tmp_path / "a") != _files(tmp_path / "b")


def test_synthetic_units_are_fictional_valid_and_marked(tmp_path, capsys):
    main(["synth", "--units", "6", "--out", str(tmp_path)])
    capsys.readouterr()
    for params in sorted((tmp_path / "params").glob("*.yaml")):
        report = load_report(params)
        assert report.unit.facts.synthetic
        assert report.unit.facts.identity.county == "示例县"
        assert all(not m.name for m in report.unit.facts.evaluation.team)  # no person's name at all
        assert "合成示例单位" in show_cover(report).data
        v = report.values
        assert v.basic.value == v.personnel.value + v.public.value and not v.basic.marked
        assert report.unit.not_stated() == ()  # a synthetic unit states everything
        assert report.card.grade in ("优", "良", "中", "差")
