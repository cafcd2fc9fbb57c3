"""The report's pictures as inline SVG: a bar for a share, a line for pages/s over time.

Inline, so the page is one file that draws with no network and no script;
every label that reaches the markup passes through ``html.escape``.
"""

from __future__ import annotations

from html import escape

#: The line chart's drawing area, in SVG user units (the element scales to the page's width).
CHART_WIDTH, CHART_HEIGHT = 640, 180
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_RIGHT = 48, 28, 12, 12


def bar(value: int, total: int, label: str, width: int = 240, height: int = 14) -> str:
    """A horizontal bar, filled ``value / total`` of its width; ``label`` is its accessible name and tooltip."""
    share = value / total if total > 0 else 0.0
    filled = round(width * min(max(share, 0.0), 1.0), 1)
    name = escape(label)
    return (
        f'<svg class="bar" role="img" aria-label="{name}" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}"><title>{name}</title>'
        f'<rect class="bar-track" width="{width}" height="{height}" rx="2"/>'
        f'<rect class="bar-fill" width="{filled}" height="{height}" rx="2"/></svg>'
    )


def line_chart(points: list[tuple[float, float]], label: str) -> str:
    """Pages/s (y) over seconds since the crawl opened (x), with the peak and the crawl's length on the axes."""
    name = escape(label)
    if not points:
        return f'<p class="empty">{name}: no page was received.</p>'
    plot_width = CHART_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = CHART_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    span = max(points[-1][0], 1e-9)
    peak = max(rate for _, rate in points) or 1.0

    def x(seconds: float) -> float:
        return round(MARGIN_LEFT + plot_width * seconds / span, 1)

    def y(rate: float) -> float:
        return round(MARGIN_TOP + plot_height * (1 - rate / peak), 1)

    path = " ".join(f"{x(seconds)},{y(rate)}" for seconds, rate in [(0.0, points[0][1]), *points])
    bottom, right = CHART_HEIGHT - MARGIN_BOTTOM, CHART_WIDTH - MARGIN_RIGHT
    return (
        f'<svg class="line-chart" role="img" aria-label="{name}" viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}"'
        f' data-points="{len(points)}"><title>{name}</title>'
        f'<line class="axis" x1="{MARGIN_LEFT}" y1="{MARGIN_TOP}" x2="{MARGIN_LEFT}" y2="{bottom}"/>'
        f'<line class="axis" x1="{MARGIN_LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}"/>'
        f'<text class="tick" x="{MARGIN_LEFT - 6}" y="{MARGIN_TOP + 4}" text-anchor="end">{peak:.3g}</text>'
        f'<text class="tick" x="{MARGIN_LEFT - 6}" y="{bottom}" text-anchor="end">0</text>'
        f'<text class="tick" x="{MARGIN_LEFT}" y="{bottom + 18}">0 s</text>'
        f'<text class="tick" x="{right}" y="{bottom + 18}" text-anchor="end">{_duration(span)}</text>'
        f'<text class="tick" x="{(MARGIN_LEFT + right) / 2}" y="{bottom + 18}" text-anchor="middle">pages/s over time</text>'
        f'<polyline class="rate" points="{path}"/></svg>'
    )


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.3g} s"
    if seconds < 7200:
        return f"{seconds / 60:.3g} min"
    return f"{seconds / 3600:.3g} h"
