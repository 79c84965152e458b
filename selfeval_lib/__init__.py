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

# The notebook's show_* helpers (IPython, matplotlib, markdown) and the overview are imported on
# first use (PEP 562), so that the command line starts without them: `selfeval --help` and
# `selfeval validate` need none, and a report kernel imports them when its notebook asks.
_LAZY = {
    "show_chart": "report.display",
    "show_cover": "report.display",
    "show_indicators": "report.display",
    "show_profile": "report.display",
    "show_provenance": "report.display",
    "show_publication": "report.display",
    "show_result": "report.display",
    "show_scores_data": "report.display",
    "show_submission": "report.display",
    "show_team": "report.display",
    "show_text": "report.display",
    "show_progress": "report.display",
    "show_warnings": "report.display",
    "Overview": "report.overview",
    "load_overview": "report.overview",
    "show_overview_chart": "report.overview",
    "show_overview_provenance": "report.overview",
    "show_overview_summary": "report.overview",
    "show_overview_title": "report.overview",
    "show_overview_warnings": "report.overview",
    "show_ranking": "report.overview",
}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value  # once imported, an ordinary attribute
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


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
    "show_overview_summary",
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
    "show_progress",
    "show_text",
    "show_warnings",
]
