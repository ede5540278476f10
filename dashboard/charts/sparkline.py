"""Tiny trend line for a metric tile: area, comparator mean and England, no axes.

It shows direction, not values: the tile prints the numbers, so the sparkline stays quiet
(static, no hover) and uses the same fixed colours as the full chart.

It is a small SVG image, not a Plotly figure: a profile page shows ~40 of them, and drawing
40 Plotly graphs took the browser ~4 s on a 2-core machine, where 40 images take
milliseconds. The image stretches to the tile's width (``preserveAspectRatio="none"``) while
the strokes keep their width (``vector-effect``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import quote

import pandas as pd

from dashboard import theme
from dashboard.charts.frame import Spec, svg_frame


@dataclass(frozen=True, kw_only=True)
class SparklineSpec(Spec):
    """The words every chart carries (``Spec``: kept in the image's title and description,
    not drawn), the sparkline's size (the width is only the drawing's coordinate space) and
    the message when there is nothing to draw."""

    height: int = 56
    width: int = 240
    padding: float = 3.0
    empty_message: str = "No series"


@dataclass(frozen=True)
class Line:
    column: str
    name: str
    colour: str
    width: float
    dash: str | None = None


# Drawn in this order, so the area's line is on top.
LINES = (
    Line("comparator_mean", "Comparator mean", theme.COMPARATOR, 1.5),
    Line("england_value", "England", theme.ENGLAND, 1.5, dash="2 3"),
    Line("area_value", "Area", theme.AREA, 2.5),
)


def _number(value: object) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def segments(values: list[float | None], xs: list[float], y_of) -> list[list[tuple[float, float]]]:
    """Runs of consecutive known values as point lists; a missing value breaks the line, as
    a gap does on the full chart."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, value in zip(xs, values, strict=True):
        if value is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((x, y_of(value)))
    return [run for run in runs if run]


def svg(frame: pd.DataFrame, *, spec: SparklineSpec) -> str:
    """The SVG document: one polyline per line and run (a single known period is a dot)."""
    width, height, pad = spec.width, spec.height, spec.padding
    if frame.empty or "area_value" not in frame.columns or frame["area_value"].isna().all():
        return _empty(spec)
    series = {
        line.column: [_number(value) for value in frame[line.column]]
        for line in LINES
        if line.column in frame.columns
    }
    known = [value for values in series.values() for value in values if value is not None]
    low, high = min(known), max(known)
    span = (high - low) or (abs(high) or 1.0)
    count = len(frame)
    step = (width - 2 * pad) / max(count - 1, 1)
    xs = [pad + step * i if count > 1 else width / 2 for i in range(count)]

    def y_of(value: float) -> float:
        return height - pad - (value - low) / span * (height - 2 * pad)

    shapes = []
    for line in LINES:
        if line.column not in series:
            continue
        dash = f' stroke-dasharray="{line.dash}"' if line.dash else ""
        for run in segments(series[line.column], xs, y_of):
            if len(run) == 1:
                (x, y), radius = run[0], line.width
                shapes.append(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{line.colour}"/>'
                )
                continue
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            shapes.append(
                f'<polyline points="{points}" fill="none" stroke="{line.colour}" '
                f'stroke-width="{line.width}"{dash} stroke-linejoin="round" '
                f'stroke-linecap="round" vector-effect="non-scaling-stroke">'
                f"<title>{line.name}</title></polyline>"
            )
    return _document(spec, "".join(shapes))


def _empty(spec: SparklineSpec) -> str:
    text = (
        f'<text x="{spec.width / 2:.0f}" y="{spec.height / 2:.0f}" text-anchor="middle" '
        f'dominant-baseline="middle" font-family="{_attribute(theme.FONT_FAMILY)}" '
        f'font-size="11" fill="{theme.MUTED}">{_text(spec.empty_message)}</text>'
    )
    return _document(spec, text)


def _document(spec: SparklineSpec, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {spec.width} {spec.height}" '
        f'width="{spec.width}" height="{spec.height}" preserveAspectRatio="none">'
        f"{svg_frame(spec)}{body}</svg>"
    )


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(value: str) -> str:
    return _text(value).replace('"', "&quot;")


def data_uri(document: str) -> str:
    """The SVG as an ``img`` source (percent-encoded UTF-8: smaller than base64)."""
    return "data:image/svg+xml;charset=utf-8," + quote(document, safe=" ,.=:/\"';()-")
