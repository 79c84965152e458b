"""Stage 4, what a reader sees: the report's content (content.py), sentences (narrative.py),
charts, the notebook's show_* helpers (display.py), the HTML export and its nbconvert template,
and the 评分表 workbook (scoresheet.py)."""
