"""run.json: any damaged shape is reported and set aside; a killed run leaves its units unfinished."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from selfeval_lib.runs.manifest import mark_running, read_manifest, write_manifests
from selfeval_lib.runs.runner import UnitResult

DAMAGED = {
    "not JSON": (b"\x00\xffgarbage{", "无法读取或不是 JSON / unreadable or not JSON"),
    "cut short": (b'{"units": {"a_2024": {"status": "o', "无法读取或不是 JSON"),
    "a list": (b"[1, 2]", "应为 JSON 对象，实为 list / expected a JSON object"),
    "units a list": (b'{"units": []}', "units 的类型不对：list / units has the wrong type: list"),
    "an entry a number": (b'{"units": {"a_2024": 5}}', "units.a_2024 应为对象，实为 int"),
    "a total as text": (
        b'{"units": {"a_2024": {"status": "ok", "total": "86"}}}',
        "units.a_2024.total 的类型不对：str / units.a_2024.total has the wrong type: str",
    ),
    "a run number true": (b'{"run": true, "units": {}}', "run 的类型不对：bool"),
    "the overview a string": (b'{"units": {}, "overview": "ok"}', "overview 的类型不对：str"),
}


@pytest.mark.parametrize("content,problem", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_run_json_is_reported_set_aside_and_the_run_goes_on(tmp_path, content, problem):
    year = tmp_path / "2024"
    year.mkdir()
    (year / "run.json").write_bytes(content)
    said: list[str] = []
    assert read_manifest(tmp_path, 2024, said.append) == {"units": {}}
    assert len(said) == 1 and problem in said[0], said
    assert said[0].startswith(f"! {year / 'run.json'}: 运行记录已损坏（")
    assert said[0].endswith(
        "；已另存为 run.json.damaged-1 / set aside as run.json.damaged-1；本次按无记录运行，所有单位"
        "重新生成 / the run record is damaged: this run goes on without it and runs every unit again"
    )
    assert (year / "run.json.damaged-1").read_bytes() == content  # kept for a look
    # the run goes on: it records itself in a new run.json
    assert mark_running(tmp_path, {2024: ["a_2024"]}, said.append) == {}
    assert json.loads((year / "run.json").read_text(encoding="utf-8"))["units"] == {
        "a_2024": {"status": "running"}
    }
    (year / "run.json").write_bytes(content)  # damaged again: the first one is not overwritten
    read_manifest(tmp_path, 2024, said.append)
    assert (year / "run.json.damaged-2").read_bytes() == content and len(said) == 2


def ok(unit: str, params: Path) -> UnitResult:
    return UnitResult(
        str(params), unit, 2024, "ok", grade="良", total=86.0, output_hashes={"html": "h"}
    )


def test_a_killed_run_leaves_its_units_unfinished_and_the_next_run_says_which(tmp_path):
    params = {u: tmp_path / f"{u}.yaml" for u in ("a_2024", "b_2024", "c_2024")}
    for p in params.values():
        p.write_text("", encoding="utf-8")
    assert mark_running(tmp_path, {2024: list(params)}) == {}
    write_manifests(tmp_path, [ok(u, p) for u, p in params.items()], {}, False)
    first = read_manifest(tmp_path, 2024)
    assert first["run"] == 1 and first["units"]["a_2024"]["outputs_run"] == 1
    mark_running(tmp_path, {2024: ["a_2024", "b_2024"]})  # run 2, then SIGKILL: nothing else
    killed = read_manifest(tmp_path, 2024)
    assert (killed["state"], killed["run"], killed["complete"]) == ("running", 2, False)
    assert {u: e["status"] for u, e in killed["units"].items()} == {
        "a_2024": "running",
        "b_2024": "running",
        "c_2024": "ok",  # not in the killed run: its last status stands
    }
    assert killed["units"]["a_2024"]["output_hashes"] == {"html": "h"}  # still run 1's files
    # run 3 runs only a_2024: the next run says which units the killed one left unfinished
    assert mark_running(tmp_path, {2024: ["a_2024"]}) == {2024: ["a_2024", "b_2024"]}
    params["c_2024"].unlink()  # c is removed from the county
    write_manifests(tmp_path, [ok("a_2024", params["a_2024"])], {}, False)
    after = read_manifest(tmp_path, 2024)
    assert after["run"] == 3 and after["state"] == "finished"
    assert {u: (e["status"], e.get("outputs_run")) for u, e in after["units"].items()} == {
        "a_2024": ("ok", 3),
        "b_2024": ("interrupted", 1),  # its files are still run 1's
        "c_2024": ("removed", 1),  # not "skipped": it is no longer run at all
    }
    assert after["units"]["b_2024"]["error"] == (
        "运行被终止，该单位未完成 / the run was killed before this unit finished"
    )


def test_a_failed_unit_keeps_the_hashes_and_run_of_its_last_good_outputs(tmp_path):
    params = tmp_path / "a.yaml"
    params.write_text("", encoding="utf-8")
    write_manifests(tmp_path, [ok("a_2024", params)], {str(params): "f1"}, False)
    failed = UnitResult(str(params), "a_2024", 2024, "failed", error="disk full")
    write_manifests(tmp_path, [failed], {str(params): "f2"}, False)
    entry = read_manifest(tmp_path, 2024)["units"]["a_2024"]
    assert (entry["status"], entry["outputs_run"], entry["output_hashes"]) == (
        "failed",
        1,
        {"html": "h"},
    )
    assert (entry["last_ok_fingerprint"], entry["grade"], entry["total"]) == ("f1", "良", 86.0)
