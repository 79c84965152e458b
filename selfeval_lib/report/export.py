"""Export an executed report notebook as one offline HTML file with the selfeval template."""

from __future__ import annotations

import base64
import copy as _copy
from functools import cache
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbconvert.preprocessors import TagRemovePreprocessor
from traitlets import default

from ..errors import RunError

# The MIME type display.show_scores_data writes (display.SCORES_MIME), spelt out rather than
# imported: display imports IPython and matplotlib, which the process that exports never needs.
# Should the two differ, every run fails at extract_scores, and so does every notebook test.
SCORES_MIME = "application/vnd.selfeval.scores+json"
WORKBOOK_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORM_MIMES = {  # display.FORM_MIMES, spelt out for the same reason
    "form_xlsx": "application/vnd.selfeval.form+xlsx",
    "form_docx": "application/vnd.selfeval.form+docx",
}

TEMPLATES = Path(__file__).parent / "templates"
HIDDEN_TAGS = ("parameters", "injected-parameters", "selfeval-data")


class SelfevalExporter(HTMLExporter):
    """`jupyter nbconvert --to selfeval`: the report as `selfeval run` writes it, byte for byte.

    Registered under nbconvert's `nbconvert.exporters` entry point (pyproject.toml). Outputs and
    headings only (no code, prompts, parameters or the scores record); the page title comes from
    the notebook's own scores record, not from the notebook's file name.
    """

    export_from_notebook = "selfeval report"

    @default("template_name")
    def _template_name_default(self) -> str:
        return "selfeval"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(TEMPLATES)]

    @default("exclude_input")
    def _exclude_input_default(self) -> bool:
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self) -> bool:
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self) -> bool:
        return True

    @default("optimistic_validation")
    def _optimistic_validation_default(self) -> bool:
        return True  # validate the notebook once after the preprocessors, not after each one

    @default("exclude_anchor_links")
    def _exclude_anchor_links_default(self) -> bool:
        return True

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        remover = TagRemovePreprocessor(remove_cell_tags=set(HIDDEN_TAGS), enabled=True)
        self.register_preprocessor(remover, enabled=True)

    def from_notebook_node(self, nb, resources=None, **kw):
        copy_notebook = kw.pop("copy_notebook", True)
        resources = dict(resources or {})
        title = _notebook_title(nb)
        if title:
            resources["metadata"] = {**resources.get("metadata", {}), "name": title}
        # nbconvert deep-copies the notebook three times more before it renders it (the exporter,
        # its preprocessing, nbformat's normalize: 0.1 CPU-s each for a report); a notebook the
        # caller gives away is copied once here or not at all.
        nb = _Given(_copy.deepcopy(nb) if copy_notebook else nb)
        # What HTMLExporter.from_notebook_node does, but its last step: a BeautifulSoup round trip
        # of the whole page (half of the export's time) that gives an <img> without alt text a
        # placeholder one and input and output wrappers a tabindex. This template writes an alt
        # text on every image and has no such wrappers.
        lang = nb.metadata.get("language_info", {})
        lexer = lang.get("pygments_lexer", lang.get("name"))
        resources = self._init_resources(resources)
        self.register_filter("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
        data_type = WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources
        )
        self.register_filter("filter_data_type", data_type)
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


class _Given(nbformat.NotebookNode):
    """A notebook the exporter may change in place: deep-copying it gives itself."""

    def __deepcopy__(self, memo):
        return self


def _notebook_title(nb: nbformat.NotebookNode) -> str:
    """The report's title as its scores record states it ('' for notebooks without one)."""
    try:
        return str(extract_scores(nb).get("title", ""))
    except RunError:
        return ""


@cache
def _exporter() -> SelfevalExporter:
    """One exporter per process, its templates compiled and its Markdown renderer made (by
    exporting a notebook of one cell of each kind): that costs far more than an export, and a
    run pays it while its first kernels start (batch.kernel_threads), not in its first unit."""
    exporter = SelfevalExporter()
    cells = [nbformat.v4.new_markdown_cell("# -"), nbformat.v4.new_code_cell("")]
    exporter.from_notebook_node(nbformat.v4.new_notebook(cells=cells), copy_notebook=False)
    return exporter


def export_html(nb: nbformat.NotebookNode, title: str, copy: bool = True) -> str:
    """HTML of an executed notebook: outputs and headings only, deterministic. A report
    notebook's title comes from its scores record; `title` names the others (the overview).
    The exporter removes the hidden cells from the notebook it is given: `copy=False` lets it
    work on `nb` itself, for a caller that has no further use for it."""
    body, _ = _exporter().from_notebook_node(
        nb, resources={"metadata": {"name": title}}, copy_notebook=copy
    )
    return body


def _result_output(nb: nbformat.NotebookNode) -> dict:
    """The data of the output the notebook's last cell displayed (display.show_scores_data)."""
    for cell in reversed(nb.cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if SCORES_MIME in data:
                return data
    raise RunError(
        "执行后的笔记本中没有评分结果 / the executed notebook has no scores output; "
        "keep the last cell `sel.show_scores_data(r)`"
    )


def extract_scores(nb: nbformat.NotebookNode) -> dict:
    """The scores record the kernel computed (scores.json)."""
    return _result_output(nb)[SCORES_MIME]


def extract_workbook(nb: nbformat.NotebookNode) -> bytes:
    """The 评分表/数据表 workbook the kernel wrote from the same result as the scores record."""
    data = _result_output(nb)
    if WORKBOOK_MIME not in data:
        raise RunError(
            "执行后的笔记本中没有评分表工作簿 / the executed notebook has no workbook output; "
            "keep the last cell `sel.show_scores_data(r)`"
        )
    return base64.b64decode(data[WORKBOOK_MIME])


def extract_forms(nb: nbformat.NotebookNode) -> dict[str, bytes]:
    """The 自评表 (.xlsx and .docx) the kernel wrote from the same result, by output kind."""
    data = _result_output(nb)
    missing = [mime for mime in FORM_MIMES.values() if mime not in data]
    if missing:
        raise RunError(
            "执行后的笔记本中没有自评表输出 / the executed notebook has no 自评表 output "
            f"({', '.join(missing)}); keep the last cell `sel.show_scores_data(r)`"
        )
    return {kind: base64.b64decode(data[mime]) for kind, mime in FORM_MIMES.items()}
