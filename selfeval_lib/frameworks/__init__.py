"""Stage 1, the county's 评分表: indicator frameworks as data (model.py), the rule kinds that
score them (rules.py) and the bundled frameworks (*.yaml). Comes before the inputs: a unit's data
is checked against its framework (which facts a checklist reads, which indicators a self score
names), and the blank workbook lists what the framework needs."""
