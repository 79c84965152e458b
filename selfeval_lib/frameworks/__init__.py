"""Stage 1, the county's 评分表: indicator frameworks as data (model.py), the rule kinds that
score them (rules.py) and the bundled frameworks (*.yaml). Comes before the inputs: a unit's data
is checked against its framework (which facts a checklist reads, which indicators a self score
names), and the blank workbook lists what the framework needs.

The names the command line shows in its help are here, not in the modules that use them, so that
`selfeval` reads its arguments before it imports the stage (pydantic, the models: 0.3 s)."""

DEFAULT_FRAMEWORK = "gd_township_2024"
SCHEMA_FILE = "framework.schema.json"  # `selfeval framework reference` writes these two
REFERENCE_FILE = "framework-reference.md"
