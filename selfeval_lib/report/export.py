"""Export an executed report notebook as one offline HTML file with the selfeval template."""

from __future__ import annotations

import copy as _copy
from functools import cache
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

from ..errors import RunError

# The MIME type display.show_scores_data writes (display.SCORES_MIME), spelt out rather than
# imported: display imports IPython and matplotlib, which the process that exports never needs.
# Should the two differ, every run fails at extract_scores, and so does every notebook test.
SCORES_MIME = "application/vnd.selfeval.scores+json"

TEMPLATES = Path(__file__).parent / "templates"
HIDDEN_TAGS = ("parameters", "injected-parameters", "selfeval-data")


@cache
def _exporter() -> HTMLExporter:
    """One exporter per process: building it costs far more than using it."""
    exporter = HTMLExporter(
        template_name="selfeval",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
    )
    remover = TagRemovePreprocessor(remove_cell_tags=set(HIDDEN_TAGS), enabled=True)
    exporter.register_preprocessor(remover, enabled=True)
    return exporter


def export_html(nb: nbformat.NotebookNode, title: str, copy: bool = True) -> str:
    """HTML of an executed report notebook: outputs and headings only, deterministic.
    The exporter removes the hidden cells from the notebook it is given: `copy=False` lets it
    work on `nb` itself, for a caller that has no further use for it."""
    body, _ = _exporter().from_notebook_node(
        _copy.deepcopy(nb) if copy else nb, resources={"metadata": {"name": title}}
    )
    return body


def extract_scores(nb: nbformat.NotebookNode) -> dict:
    """The scores record the notebook's last cell displayed (see display.show_scores_data)."""
    for cell in reversed(nb.cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if SCORES_MIME in data:
                return data[SCORES_MIME]
    raise RunError(
        "执行后的笔记本中没有评分结果 / the executed notebook has no scores output; "
        "keep the last cell `sel.show_scores_data(r)`"
    )
