"""The county overview as one pandas DataFrame: units × (ranking columns, indicator scores)."""

from __future__ import annotations

import pandas as pd

from ..report.frames import _cell

# Ranking columns, in the order summary.xlsx shows them (the index is 单位代码, written third).
RANKING = {
    "排名": "Int64",
    "单位": "string",
    "自评总分": "Float64",
    "等级": "string",
    "预算资金支出率(%)": "Float64",
    "“三公”经费预算(万元)": "Float64",
    "“三公”经费决算(万元)": "Float64",
    "数据核对提示(条)": "Int64",
    "合成示例": "boolean",
    "本次运行失败": "boolean",  # the unit's last run failed: its last good report is shown
}


def overview_frame(o) -> pd.DataFrame:
    """The Overview `o` (overview.py) as one row per unit (index 单位代码, best total first), the ranking columns, then one column
    per indicator with the score that counts. `attrs` holds the year, each indicator's 分值
    (weight) and the Overview itself, which the overview notebook's show_* helpers draw from."""
    names = list(dict.fromkeys(i["name"] for u in o.units for i in u["indicators"]))
    weights = {i["name"]: i["weight"] for u in reversed(o.units) for i in u["indicators"]}
    rows = []
    for rank, u in enumerate(o.units, start=1):
        scores = {i["name"]: _cell(i["score"]) for i in u["indicators"]}
        rows.append(
            {
                "单位代码": u["unit_id"],
                "排名": rank,
                "单位": u["unit_name"],
                "自评总分": _cell(u["total"]),
                "等级": u["grade"],
                "预算资金支出率(%)": _cell(u.get("spending_rate")),
                "“三公”经费预算(万元)": _cell(u.get("sangong_budget")),
                "“三公”经费决算(万元)": _cell(u.get("sangong_actual")),
                "数据核对提示(条)": len(u["warnings"]),
                "合成示例": bool(u.get("synthetic")),
                "本次运行失败": bool(u.get("stale")),
                **{name: scores.get(name, pd.NA) for name in names},
            }
        )
    columns = ["单位代码", *RANKING, *names]
    frame = pd.DataFrame(rows, columns=columns).set_index("单位代码")
    frame = frame.astype({**RANKING, **dict.fromkeys(names, "Float64")})
    frame.attrs.update(year=o.year, 分值=weights, overview=o)
    return frame
