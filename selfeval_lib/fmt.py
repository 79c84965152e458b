"""Number formatting as the reference report writes it: 4,898.86万元, 93%, 增加107.60万元.

And the one place that decides how a figure shows: `present_fig` turns a `Fig` into a
`ShownFig` (its number, or 未填报, or 不适用; and ※ where it rests on an illustrative input), from
which every format derives: HTML and Word tables, sentences, charts, the workbook's cell value
and number format, DataFrame cells, scores.json's figure_status and the county overview. The
marks are constants here, each with one name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from .values import NOT_APPLICABLE_WORD, NOT_STATED_WORD, Fig, NotStated

CENT = Decimal("0.01")


def quantize(value: Decimal, places: Decimal = CENT) -> Decimal:
    """Round half up (the way accountants and Excel round), to two places by default."""
    return value.quantize(places, rounding=ROUND_HALF_UP)


def _plain(value: Decimal) -> str:
    """Decimal text without exponent and without trailing zeros: 107.60 -> 107.6, 100 -> 100."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def pct(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole as a percentage with two decimals, or None where the base is zero (不适用)."""
    if whole == 0:
        return None
    return quantize(part * 100 / whole)


def fmt_amount(value: Decimal) -> str:
    """An amount in 万元 with thousands separators and at most two decimals: 4,898.86 / 107.6."""
    text = _plain(quantize(value))
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = f"{int(whole.lstrip('-')):,}"
    return f"{sign}{whole}.{frac}" if frac else f"{sign}{whole}"


def fmt_money(value: Decimal) -> str:
    """An amount in a table: always two decimals, 1,380.00 (tables line up; text drops zeros)."""
    return f"{quantize(value):,.2f}"


def fmt_wan(value: Decimal) -> str:
    """4898.86 -> '4,898.86万元'; 5381.8 -> '5,381.80万元': a sentence writes an amount as its
    table does (two decimals), so the reader finds the same figure in both."""
    return f"{fmt_money(value)}万元"


def fmt_figure(value: Decimal) -> str:
    """A figure as entered (no separators, its own decimals): 174477, 1712.3764, 4.0."""
    return format(value, "f")


def fmt_pct(value: Decimal | None, na: str = NOT_APPLICABLE_WORD) -> str:
    """93 -> '93%', 3.4 -> '3.4%', 4.0 (as entered) -> '4.0%'; None -> '不适用'."""
    if value is None:
        return na
    # computed rates carry exactly two places (see pct) and drop their zeros: 93.00 -> 93%;
    # figures typed by a unit keep the precision they were typed with: 4.0 -> 4.0%
    text = _plain(value) if value.as_tuple().exponent == -2 else format(value, "f")
    return f"{text}%"


def fmt_score(value: Decimal) -> str:
    """Scores always with two decimals, as a 评分表 prints them: 86.00."""
    return format(quantize(value) + 0, "f")  # + 0: never "-0.00"


def fmt_exact(value: Decimal) -> str:
    """Every digit a computed figure has, without trailing zeros: 0.0050 -> 0.005."""
    return _plain(value)


def fmt_points(value: Decimal) -> str:
    """A number of points or percentage points without trailing zeros: 1, 0.7, 2.5."""
    return _plain(quantize(value))


def describe_change(
    current: Decimal,
    previous: Decimal,
    unit: str = "万元",
    words: tuple[str, str] = ("增加", "减少"),
) -> str:
    """'增加107.60万元' / '减少788.86万元' / '持平'."""
    return describe_diff(current - previous, unit, words)


def describe_diff(
    diff: Decimal, unit: str = "万元", words: tuple[str, str] = ("增加", "减少")
) -> str:
    """A signed difference in words: '增加107.60万元' / '减少788.86万元' / '持平' (amounts in
    万元 with two decimals, as tables show them)."""
    if diff == 0:
        return "持平"
    number = fmt_money(abs(diff)) if unit == "万元" else fmt_points(abs(diff))
    return f"{words[0] if diff > 0 else words[1]}{number}{unit}"


def describe_growth(growth_pct: Decimal, word: str = "") -> str:
    """'增长3.4%' / '下降2%' / '持平'; the source's own word where it gives one: '同比增长4.0%'."""
    if growth_pct == 0:
        return "持平"
    up = word or "增长"
    down = up.replace("增长", "下降") if "增长" in up else "下降"
    return f"{up if growth_pct > 0 else down}{fmt_pct(abs(growth_pct))}"


# --- how a figure shows: one decision for every format -------------------------------------------

ILLUSTRATIVE_MARK = "※"  # after a figure that is, or rests on, an illustrative (示例数据) input
ILLUSTRATIVE_HTML = f'<sup class="mark" title="示例数据">{ILLUSTRATIVE_MARK}</sup>'  # ※ in HTML


@dataclass(frozen=True)
class ShownFig:
    """How one figure shows.

    state: "value" (a number), "not_stated" (未填报) or "not_applicable" (a rate over a zero base,
        or an optional figure not given).
    value: the number shown; None where a word stands instead.
    text: the number as the caller's format writes it, or the word (未填报, or the caller's
        word for a figure that does not apply: 不适用 by default).
    illustrative: ※ follows the number; never follows a word.
    """

    state: Literal["value", "not_stated", "not_applicable"]
    value: Decimal | None
    text: str
    illustrative: bool = False

    def __str__(self) -> str:
        """The figure as text: '93%※', '未填报', '不适用'."""
        return self.text + (ILLUSTRATIVE_MARK if self.illustrative else "")

    @property
    def status(self) -> str:
        """scores.json's figure_status: 未填报, 不适用, ※ beside a marked number, or ""."""
        return {"not_stated": NOT_STATED_WORD, "not_applicable": NOT_APPLICABLE_WORD}.get(
            self.state, ILLUSTRATIVE_MARK if self.illustrative else ""
        )

    def number_format(self, base: str | None) -> str | None:
        """An Excel number format for the figure's cell: ※ in the format, so the cell stays a
        number that sorts and sums."""
        return excel_format(base, self.illustrative)


def excel_format(base: str | None, illustrative: bool) -> str | None:
    """`base` with ※ shown after the number where the value rests on an illustrative input."""
    return base + f'"{ILLUSTRATIVE_MARK}"' if illustrative and base else base


def present_fig(
    f: Fig, fmt: Callable[[Decimal], str] = str, na: str = NOT_APPLICABLE_WORD
) -> ShownFig:
    """The one decision of how a figure shows: 未填报 where it was not stated, `na` where it
    does not apply, else fmt(value), with ※ where it rests on an illustrative input."""
    if f.not_stated:
        return ShownFig("not_stated", None, NOT_STATED_WORD)
    if f.value is None:
        return ShownFig("not_applicable", None, na)
    return ShownFig("value", f.value, fmt(f.value), f.illustrative)


def fig_of_record(value: float | None, status: str | None) -> Fig | None:
    """A figure of a .scores.json record (its number and its figure_status) as a Fig again, the
    number as the record has it; None where a record written before figure_status existed does
    not say why the figure is null (its status: None)."""
    if value is not None:
        return Fig(value, status == ILLUSTRATIVE_MARK)  # type: ignore[arg-type]
    if status == NOT_STATED_WORD:
        return Fig(None, missing=(NOT_STATED_WORD,))
    return Fig(None) if status == NOT_APPLICABLE_WORD else None


def fmt_fig(f: Fig, fmt: Callable[[Decimal], str], na: str = NOT_APPLICABLE_WORD) -> str:
    """A figure as text, as present_fig shows it: '未填报', `na` where it does not apply, else
    fmt(value) with ※ where it rests on an illustrative input."""
    return str(present_fig(f, fmt, na))


def present_text(value: object) -> str:
    """A stated text as it shows, 未填报 where the unit did not state it (absent, empty or 未填报):
    the words beside the figures of a form."""
    if value is None or isinstance(value, NotStated) or not str(value).strip():
        return NOT_STATED_WORD
    return str(value)
