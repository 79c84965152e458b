"""selfeval: 部门整体支出绩效自评报告 from a township's figures, reproducibly."""

# Every name is imported on first use (PEP 562): `import selfeval_lib as sel` costs nothing, and
# `sel.load_report` imports what a report needs. So the command line reads its arguments, and
# `selfeval run` starts the kernels' zygote, before the library is imported; `selfeval --help`
# needs none of the notebook helpers (IPython, matplotlib).
_WHERE = {
    "__version__": "_version",
    **dict.fromkeys(
        (
            "DataError",
            "FrameworkError",
            "ParamsError",
            "RunError",
            "SelfEvalError",
            "ValidationErrors",
        ),
        "errors",
    ),
    "Indicators": "evaluate.indicators",
    "compute_indicators": "evaluate.indicators",
    "Scorecard": "evaluate.scoring",
    "score_unit": "evaluate.scoring",
    "Framework": "frameworks.model",
    "load_framework": "frameworks.model",
    "Params": "inputs.params",
    "load_params": "inputs.params",
    "UnitData": "inputs.unit",
    "load_unit": "inputs.unit",
    "Report": "report.content",
    "load_report": "report.content",
    **dict.fromkeys(
        (
            "show_chart",
            "show_cover",
            "show_indicators",
            "show_profile",
            "show_provenance",
            "show_publication",
            "show_result",
            "show_scores_data",
            "show_submission",
            "show_team",
            "show_text",
            "show_progress",
            "show_warnings",
        ),
        "report.display",
    ),
    **dict.fromkeys(
        (
            "Overview",
            "load_overview",
            "show_overview_chart",
            "show_overview_provenance",
            "show_overview_summary",
            "show_overview_title",
            "show_overview_warnings",
            "show_ranking",
        ),
        "report.overview",
    ),
}


def __getattr__(name: str):
    if name in _WHERE:
        from importlib import import_module

        value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value  # once imported, an ordinary attribute
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = sorted(_WHERE)
