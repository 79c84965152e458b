"""selfeval: 部门整体支出绩效自评报告 from a township's figures, reproducibly."""

from ._version import __version__
from .errors import (
    DataError,
    FrameworkError,
    ParamsError,
    RunError,
    SelfEvalError,
    ValidationErrors,
)
from .evaluate.indicators import Indicators, compute_indicators
from .evaluate.scoring import Scorecard, score_unit
from .frameworks.model import Framework, load_framework
from .inputs.params import Params, load_params
from .inputs.unit import UnitData, load_unit
from .report.content import Report, load_report
from .report.display import (
    show_chart,
    show_cover,
    show_indicators,
    show_profile,
    show_provenance,
    show_publication,
    show_result,
    show_scores_data,
    show_submission,
    show_team,
    show_text,
    show_warnings,
)
from .runs.overview import (
    Overview,
    load_overview,
    show_overview_chart,
    show_overview_provenance,
    show_overview_title,
    show_overview_warnings,
    show_ranking,
)

__all__ = [
    "DataError",
    "Framework",
    "FrameworkError",
    "Indicators",
    "Overview",
    "Params",
    "ParamsError",
    "Report",
    "RunError",
    "Scorecard",
    "SelfEvalError",
    "UnitData",
    "ValidationErrors",
    "__version__",
    "compute_indicators",
    "load_framework",
    "load_overview",
    "load_params",
    "load_report",
    "load_unit",
    "score_unit",
    "show_chart",
    "show_cover",
    "show_indicators",
    "show_overview_chart",
    "show_overview_provenance",
    "show_overview_title",
    "show_overview_warnings",
    "show_profile",
    "show_provenance",
    "show_publication",
    "show_ranking",
    "show_result",
    "show_scores_data",
    "show_submission",
    "show_team",
    "show_text",
    "show_warnings",
]
