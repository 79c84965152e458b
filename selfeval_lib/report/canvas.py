"""The charts' figures: the CJK font, blank figures (made ahead in the kernels' zygote), PNG bytes,
and a canvas (Agg) that measures text once per process instead of once per figure.

matplotlib measures each string once per renderer, and each figure has a renderer of its own, so a
report's five charts measured the same tick labels, indicator names and font heights again and
again: a tenth of a chart's time. The measurements depend only on the string, the font properties
and the resolution, and a kernel inherits those the zygote made drawing its blank figures. Same
pixels as matplotlib's own canvas: tests/test_same_bytes.py.
"""

from __future__ import annotations

import dataclasses
import io
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # charts are files, never windows; set before anything imports pyplot

from matplotlib import font_manager  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402

from .blocks import PRINTED_WIDTH  # noqa: E402

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


# CJK families we accept when the bundled font is missing, best first.
SYSTEM_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
    "WenQuanYi Micro Hei",
    "Noto Sans SC",
    "SimSun",
)


# The chart font: the "Noto Sans CJK SC" face of the Noto Sans CJK collection, SIL Open Font
# License 1.1, from the pinned `noto-cjk-sans-otc` wheel (15 MB; its licence is in the wheel).
BUNDLED_FAMILY = "Noto Sans CJK SC (selfeval)"  # the SC face, under a name only it has
BUNDLED_PACKAGE, BUNDLED_FILE = "noto_cjk_sans_otc", "NotoSansCJK-Regular.ttc"


def bundled_font() -> Path | None:
    """The pinned wheel's font collection, if installed (found without importing it)."""
    from importlib.util import find_spec

    spec = find_spec(BUNDLED_PACKAGE)
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / BUNDLED_FILE
    return path if path.is_file() else None


@cache
def find_cjk_font() -> str:
    """The CJK font family charts use.

    The Noto Sans CJK SC of the pinned `noto-cjk-sans-otc` wheel comes first, so the same inputs
    give the same PNG bytes on every machine (a Dask worker's system fonts must not change a
    report). Only where that wheel is absent do we fall back to a CJK font the system has.
    """
    bundled = bundled_font()
    if bundled is not None:
        # Registered under a family name of its own: Debian's fonts-noto-cjk is "Noto Sans CJK SC"
        # too, and matplotlib, asked for that name, would take whichever its font cache lists
        # first, so the PNG bytes would depend on the machine and on when that cache was built.
        known = len(font_manager.fontManager.ttflist)
        font_manager.fontManager.addfont(str(bundled))  # every face of the collection
        faces = font_manager.fontManager.ttflist[known:]
        sc = next(f for f in faces if f.name == "Noto Sans CJK SC")
        font_manager.fontManager.ttflist.append(dataclasses.replace(sc, name=BUNDLED_FAMILY))
        return _use(BUNDLED_FAMILY)
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in SYSTEM_CJK_FAMILIES:
        if family in installed:
            return _use(family)
    raise RuntimeError(
        "找不到中文字体 / no CJK font found: install the pinned dependencies "
        "(pip install -e .) or a CJK font such as fonts-noto-cjk"
    )


def _use(family: str) -> str:
    """Charts are set in `family` (once per process: the choice never changes)."""
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False  # the CJK font has no U+2212 minus
    # A unit's names are drawn as typed: "$x$" is no formula to typeset, nor "$\\foo$" an error.
    matplotlib.rcParams["text.parse_math"] = False
    return family


# A report's charts are drawn at the size Word and the PDF print them (PRINTED_WIDTH, the
# figure's inches its printed inches), so a label's points are its points on paper, and saved at
# PRINT_DPI: sharp on paper, yet half the pixels a larger figure scaled down would take.
PRINT_DPI = 200
SCREEN_DPI = 110  # the county overview's charts, which are read on screen, never filed
MIN_LABEL_PT = 9  # no text on a printed chart is smaller


def new_figure(width: float = PRINTED_WIDTH, height: float = 2.9, dpi: int = PRINT_DPI) -> Figure:
    """A white, constrained-layout Figure whose text is set in the CJK font."""
    find_cjk_font()
    fig = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    MeasuringCanvas(fig)  # text measured once per process
    fig.set_facecolor("white")
    return fig


# Blank figures with their axes, made in the kernels' zygote before it forks (runs/kernels.py):
# a kernel draws a report's charts on the ones it inherits instead of making its own, a tenth of
# a chart's work. Each is used once; a size not made ahead is made as usual. A figure made ahead
# is the figure new_axes would make (the same charts, byte for byte: tests/test_engine.py).
_MADE_AHEAD: dict[tuple[float, float], list[tuple[Figure, object]]] = {}
DONUT, BARS, SCORES = (PRINTED_WIDTH, 2.7), (PRINTED_WIDTH, 2.9), (PRINTED_WIDTH, 3.9)  # inches
AHEAD = {DONUT: 1, BARS: 2, SCORES: 1}  # a report's charts but the 产出 one (its height varies)
# Each axis of those is given this many ticks ahead as well: matplotlib makes a tick (its two
# lines, grid line and two labels) the first time a chart needs it, a seventh of a chart's time.
# A tick made ahead is the one the axis would make (copied from its first); a chart uses as many
# as it has tick positions, and makes more past these as usual.
TICKS_AHEAD = 12  # as many as a report of a dozen indicators uses on its longest axis


def make_axes_ahead() -> None:
    """Make one report's blank figures and axes now, for new_axes to hand out later."""
    for size, count in AHEAD.items():
        _MADE_AHEAD[size] = [_fresh_axes(*size) for _ in range(count)]
        for _, ax in _MADE_AHEAD[size]:
            ax.xaxis.get_major_ticks(TICKS_AHEAD)
            ax.yaxis.get_major_ticks(TICKS_AHEAD)


def _fresh_axes(width: float, height: float, dpi: int = PRINT_DPI):
    fig = new_figure(width, height, dpi)
    return fig, fig.add_subplot()


def new_axes(width: float = BARS[0], height: float = BARS[1], dpi: int = PRINT_DPI):
    """new_figure(width, height, dpi) and its one axes: one made ahead where there is one."""
    ready = _MADE_AHEAD.get((width, height)) if dpi == PRINT_DPI else None
    return ready.pop() if ready else _fresh_axes(width, height, dpi)


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes with no timestamp or version metadata, so the same figure gives
    the same bytes. matplotlib draws the pixels (savefig, as for its own PNG); they are written
    as RGB, not RGBA (a chart's white ground is opaque: its alpha is 255 everywhere), and
    deflated at level 1, not 6 (a tenth of a chart's time for 3 % more bytes; flat colours and
    text compress well either way). The same pixels as matplotlib's own PNG
    (tests/report/test_same_bytes.py), in a tenth fewer bytes and encoding time."""
    raw = io.BytesIO()
    with _laid_out(fig):
        fig.savefig(raw, format="rgba", facecolor="white")
    size = fig.canvas.get_width_height(physical=True)  # the size Agg drew at
    pixels = Image.frombuffer("RGBA", size, raw.getbuffer(), "raw", "RGBA", 0, 1)
    png = io.BytesIO()
    pixels.convert("RGB").save(
        png,
        format="png",
        dpi=(fig.dpi, fig.dpi),  # as matplotlib writes it (pHYs)
        compress_level=1,
    )
    return png.getvalue()


@contextmanager
def _laid_out(fig: Figure):
    """The figure laid out, and its layout engine set aside while savefig draws it. For a figure
    with a layout engine savefig draws twice: once with drawing disabled, which lays it out (each
    axes' aspect applied, then the layout) and then walks every artist once more to no effect (a
    seventh of a chart's time), and once for the pixels, with the engine set aside. Here the
    layout is done as that first draw does it, and savefig draws once: the same PNG
    (tests/report/test_same_bytes.py)."""
    engine = fig.get_layout_engine()
    if engine is None or not fig.axes:
        yield
        return
    fig._get_draw_artists(fig._get_renderer())  # applies each axes' aspect, as draw does
    try:
        engine.execute(fig)
    except ValueError:  # as Figure.draw: a layout that cannot be made leaves the figure as it is
        pass
    with fig._cm_set(layout_engine="none"):
        yield
