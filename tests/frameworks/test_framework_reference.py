"""The framework reference (docs/framework-reference.md) and JSON Schema (docs/framework.schema.json)
are generated from the model: the committed files equal what the model gives, every key and rule
kind is described and has its example, each example is a valid framework part, and the schema
accepts the shipped frameworks and refuses what the model refuses, as an editor would."""

from __future__ import annotations

import json
import typing
from pathlib import Path

import jsonschema
import pytest
import yaml
from pydantic import BaseModel

from selfeval_lib.cli import main
from selfeval_lib.frameworks.model import FRAMEWORK_DIR, Framework
from selfeval_lib.frameworks.reference import (
    REFERENCE_FILE,
    SCHEMA_FILE,
    describe_reference,
    describe_schema,
    framework_schema,
)

DOCS = Path(__file__).parents[2] / "docs"
BROKEN = Path(__file__).parents[1] / "data" / "frameworks_broken"
REGENERATE = "run `selfeval framework reference --out docs` and commit the result"
SCHEMA = framework_schema()
DEFS = SCHEMA["$defs"]
RULE_KINDS = SCHEMA["$defs"]["Indicator"]["properties"]["rule"]["discriminator"]["mapping"]


def _models(cls: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Every model a framework file holds, by name, found from the model's own annotations."""
    found = {cls.__name__: cls}
    todo = [f.annotation for f in cls.model_fields.values()]
    while todo:
        tp = todo.pop()
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp.__name__ not in found:
                found |= _models(tp)
        else:
            todo += typing.get_args(tp)
    return found


MODELS = _models(Framework)


def _validator(name: str) -> jsonschema.Draft202012Validator:
    """A validator for one model of the schema (its $defs in reach)."""
    node = SCHEMA if name == "Framework" else {**DEFS[name], "$defs": DEFS}
    return jsonschema.Draft202012Validator(node)


def test_the_committed_reference_and_schema_are_what_the_model_gives():
    assert (DOCS / REFERENCE_FILE).read_text(encoding="utf-8") == describe_reference(), REGENERATE
    assert (DOCS / SCHEMA_FILE).read_text(encoding="utf-8") == describe_schema(), REGENERATE


def test_framework_reference_command_writes_both_files(tmp_path, capsys):
    out = tmp_path / "made"
    assert main(["framework", "reference", "--out", str(out)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"已写入 / wrote {out / REFERENCE_FILE}",
        f"已写入 / wrote {out / SCHEMA_FILE}",
    ]
    for name in (REFERENCE_FILE, SCHEMA_FILE):
        assert (out / name).read_bytes() == (DOCS / name).read_bytes()


def test_the_schema_is_a_valid_json_schema_naming_every_model():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert sorted(DEFS) == sorted(set(MODELS) - {"Framework"})
    assert json.loads((DOCS / SCHEMA_FILE).read_text(encoding="utf-8"))["$schema"].endswith(
        "2020-12/schema"
    )


def test_every_model_and_key_is_described_in_chinese_and_english():
    undescribed = [
        f"{name}.{key}"
        for name, node in [("Framework", SCHEMA), *DEFS.items()]
        for key, prop in node.get("properties", {}).items()
        if " / " not in prop.get("description", "")
    ]
    assert undescribed == [], "give each of these keys a docstring: 中文 / English"
    assert [n for n, node in DEFS.items() if not node.get("description")] == []


def test_the_reference_shows_every_key_of_every_rule_kind_with_an_example():
    text = describe_reference()
    for kind, ref in RULE_KINDS.items():
        node = DEFS[ref.rsplit("/", 1)[-1]]
        section = text.split(f"## Rule kind `{kind}`\n", 1)[1].split("\n## ", 1)[0]
        assert section.startswith(f"\n{node['description']}\n")
        for key, prop in node["properties"].items():
            assert f"| `{key}` |" in section and prop["description"] in section, (kind, key)
        assert node.get("examples"), f"rule kind {kind} has no example"
        assert "\nExample:\n\n```yaml\nrule:" in section, kind


def test_the_reference_prints_type_requirement_and_allowed_values():
    text = describe_reference()
    assert "| `full_at` | number | required | ≥ 0; ≤ 100 | 满分线 / " in text
    assert "| `weight` | number | required | > 0; ≤ 100 | 分值 / " in text
    assert '| `outside` | string | default `"warn"` | `warn`, `refuse` | 范围外处理 / ' in text
    assert "| `years` | list of whole number | default `[]` | each ≥ 2000; ≤ 2100 | " in text
    assert "| `deduct_each` | number | optional | ≥ 0 | 每起扣分 / " in text
    assert "| `indicators` | list of [Indicator](#indicator) | required | at least 1 | " in text
    assert "rule: {kind: rate, measure: spending_rate, full_at: 95, deduct_per_point: 0.5" in text


@pytest.mark.parametrize(
    "name", sorted(n for n in MODELS if "examples" in (DEFS | {"Framework": SCHEMA})[n])
)
def test_each_example_is_valid_for_the_model_and_the_schema(name):
    node = SCHEMA if name == "Framework" else DEFS[name]
    for example in node["examples"]:
        MODELS[name].model_validate(example)
        assert list(_validator(name).iter_errors(example)) == []


@pytest.mark.parametrize("path", sorted(FRAMEWORK_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_each_bundled_framework_file_passes_the_schema(path):
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = [
        f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
        for e in _validator("Framework").iter_errors(raw)
    ]
    assert errors == []


# broken framework files (tests/test_framework_errors.py) an editor flags from the schema alone
REFUSED = {
    "misspelt_key": ("indicators", 1),
    "misspelt_rule_key": ("indicators", 1, "rule"),
    "misspelt_top_key": (),
    "full_at_950": ("indicators", 1, "rule", "full_at"),
    "full_at_with_percent": ("indicators", 1, "rule", "full_at"),
    "weight_with_unit": ("indicators", 1, "weight"),
    "grade_min_over_100": ("grades", 0, "min"),
    "unknown_rule_kind": ("indicators", 2, "rule"),
    "unknown_unit_kind": ("applies_to", "unit_kinds", 1),
    "year_too_short": ("applies_to", "years", 0),
    "missing_standard": ("indicators", 2),
}


@pytest.mark.parametrize("stem", sorted(REFUSED))
def test_the_schema_refuses_what_an_editor_should_flag(stem):
    raw = yaml.safe_load((BROKEN / f"{stem}.yaml").read_text(encoding="utf-8"))
    errors = list(_validator("Framework").iter_errors(raw))
    # a wrong rule is refused by every rule kind; the rule kind it names says where
    paths = {tuple(e.absolute_path) for err in errors for e in [err, *err.context]}
    assert errors and REFUSED[stem] in paths, [e.message for e in errors]


def test_the_schema_takes_an_indicator_placed_by_levels_or_by_level1_and_level2():
    """An editor accepts levels: [一级, 二级, 三级] in place of level1/level2, and flags an
    indicator placed by neither."""
    raw = yaml.safe_load(
        (BROKEN.parent / "frameworks" / "three_levels.yaml").read_text(encoding="utf-8")
    )
    assert list(_validator("Framework").iter_errors(raw)) == []
    unplaced = raw["indicators"][0]
    del unplaced["levels"]
    errors = list(_validator("Indicator").iter_errors(unplaced))
    assert [e.validator for e in errors] == ["anyOf"]
    assert (
        list(_validator("Indicator").iter_errors({**unplaced, "level1": "a", "level2": "b"})) == []
    )
