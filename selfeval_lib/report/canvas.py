"""The charts' canvas: Agg, with text measured once per process instead of once per figure.

matplotlib measures each string once per renderer, and each figure has a renderer of its own, so a
report's five charts measured the same tick labels, indicator names and font heights again and
again: a tenth of a chart's time. The measurements depend only on the string, the font properties
and the resolution, and a kernel inherits those the zygote made drawing its blank figures. Same
pixels as matplotlib's own canvas: tests/test_same_bytes.py.
"""

from __future__ import annotations

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

_TEXT_SIZES: dict[tuple, tuple[float, float, float]] = {}
MEASURED_MAX = 20_000  # strings remembered (a report has a few hundred)
_FONT_HEIGHTS: dict[tuple, tuple[float | None, float | None, float | None]] = {}


class _MeasuringOnce(RendererAgg):
    """RendererAgg that measures a string in given font properties once per process."""

    def get_text_width_height_descent(self, s, prop, ismath):
        key = (s, prop.copy(), ismath, self.dpi)  # a copy: FontProperties hash as they are now
        sizes = _TEXT_SIZES.get(key)
        if sizes is None:
            if len(_TEXT_SIZES) >= MEASURED_MAX:  # a long JupyterLab session: start again
                _TEXT_SIZES.clear()
            sizes = _TEXT_SIZES[key] = super().get_text_width_height_descent(s, prop, ismath)
        return sizes

    def _get_font_height_metrics(self, prop):
        """(ascent, descent, line gap) of prop's font, as Text._get_layout reads them from the
        font's OS/2 or hhea table when a renderer does not say (matplotlib's hook for its PDF and
        PS renderers), read once per font properties instead of once per text drawn."""
        key = (prop.copy(), self.dpi)
        heights = _FONT_HEIGHTS.get(key)
        if heights is None:
            heights = _FONT_HEIGHTS[key] = _font_heights(prop, self.dpi)
        return heights


def _font_heights(prop, dpi: float) -> tuple[float | None, float | None, float | None]:
    manager = font_manager.fontManager
    font = font_manager.get_font(manager._find_fonts_by_props(prop))
    for table_name, gap, ascent, descent in (
        ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
        ("hhea", "lineGap", "ascent", "descent"),
    ):
        table = font.get_sfnt_table(table_name)
        if table is not None:
            units_per_em = font.get_sfnt_table("head")["unitsPerEm"]
            scale = 1 / units_per_em * prop.get_size_in_points() * dpi / 72  # as matplotlib's
            return table[ascent] * scale, -table[descent] * scale, table[gap] * scale
    return None, None, None  # matplotlib then measures "lp" instead


class MeasuringCanvas(FigureCanvasAgg):
    """FigureCanvasAgg whose renderer measures text once per process."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:  # as FigureCanvasAgg.get_renderer, with our renderer
            self.renderer = _MeasuringOnce(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer
