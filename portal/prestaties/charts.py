"""Bar charts as SVG, drawn on the server (no script): one bar per month for a percentage, with
the norm's target as a dashed line.

The picture's own text (the 0, 50 and 100% marks and the months) is for the eye; for a screen
reader the picture is one image, named by its title and described by its description, and the
data table next to it holds every figure. A month whose figure is not published (too few cases)
has no bar; the page says which months those are. Colours have at least 3:1 contrast with the
white background.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH = 640
HEIGHT = 240
PAD = 10
LEFT = 48  # room for the percentage marks
BOTTOM = 28  # room for the month names
TEXT_COLOUR = "#3b3b3b"  # 11:1 on white
BAR_COLOUR = "#1f5a8a"  # 7.1:1 on white
TARGET_COLOUR = "#a4262c"  # 6.9:1 on white
GRID_COLOUR = "#767676"  # 4.5:1 on white


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # a percentage 0-100, None: not published


def _y(value: float) -> float:
    """The height of `value` percent, measured from the top of the picture."""
    plot = HEIGHT - PAD - BOTTOM
    return round(PAD + plot * (1 - max(0.0, min(value, 100.0)) / 100), 1)


def bar_chart(
    *, chart_id: str, title: str, description: str, bars: list[Bar], target: float | None = None
) -> Markup:
    """An accessible SVG: role="img", named by its <title> and described by its <desc>."""
    slot = (WIDTH - LEFT - PAD) / max(1, len(bars))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="haren-chart" id="{escape(chart_id)}"'
        f' role="img" aria-labelledby="{escape(chart_id)}-titel {escape(chart_id)}-beschrijving"'
        f' viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}"'
        ' preserveAspectRatio="xMinYMid meet" focusable="false">',
        f'<title id="{escape(chart_id)}-titel">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-beschrijving">{escape(description)}</desc>',
    ]
    for value in (0, 50, 100):
        y = _y(value)
        parts.append(
            f'<line class="haren-chart__grid" x1="{LEFT}" x2="{WIDTH - PAD}" y1="{y}" y2="{y}"'
            f' stroke="{GRID_COLOUR}" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 5}" text-anchor="end" font-size="14"'
            f' fill="{TEXT_COLOUR}">{value}%</text>'
        )
    for index, bar in enumerate(bars):
        middle = round(LEFT + index * slot + slot / 2, 1)
        parts.append(
            f'<text x="{middle}" y="{HEIGHT - 8}" text-anchor="middle" font-size="13"'
            f' fill="{TEXT_COLOUR}">{escape(bar.label.split(" ")[0])}</text>'
        )
        if bar.value is None:
            continue
        top = _y(bar.value)
        x = round(LEFT + index * slot + slot * 0.2, 1)
        parts.append(
            f'<rect class="haren-chart__bar" data-maand="{escape(bar.label)}" x="{x}" y="{top}"'
            f' width="{round(slot * 0.6, 1)}" height="{round(_y(0) - top, 1)}"'
            f' fill="{BAR_COLOUR}"/>'
        )
    if target is not None:
        y = _y(target)
        parts.append(
            f'<line class="haren-chart__target" x1="{LEFT}" x2="{WIDTH - PAD}" y1="{y}" y2="{y}"'
            f' stroke="{TARGET_COLOUR}" stroke-width="3" stroke-dasharray="12 6"/>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every value above is a number or escaped
