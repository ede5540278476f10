"""Tiny trend line for a metric tile: area, comparator mean and England, no axes.

It shows direction, not values: the tile prints the numbers, so the sparkline stays quiet
(static, no hover) and uses the same fixed colours as the full chart.

It is a small SVG image, not a Plotly figure: a profile page shows ~40 of them, and drawing
40 Plotly graphs took the browser ~4 s on a 2-core machine, where 40 images take
milliseconds. The image stretches to the tile's width (``preserveAspectRatio="none"``) while
the strokes keep their width (``vector-effect``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import theme
from dashboard.charts import svg_uri
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


def svg(frame: pd.DataFrame, *, spec: SparklineSpec) -> str:
    """The SVG document of a frame's lines (``svg_of_lines``; values that are not finite
    numbers are gaps)."""
    if frame.empty or "area_value" not in frame.columns or frame["area_value"].isna().all():
        return _empty(spec)
    return svg_of_lines(
        {
            line.column: pd.to_numeric(frame[line.column], errors="coerce").to_numpy(
                dtype=float, na_value=np.nan
            )
            for line in LINES
            if line.column in frame.columns
        },
        spec=spec,
    )


def svg_of_lines(lines: Mapping[str, np.ndarray], *, spec: SparklineSpec) -> str:
    """The SVG document: one polyline per line and run (a single known period is a dot);
    ``lines`` holds each line's values by column (``LINES``), oldest first, NaN where
    missing. No area value draws the empty message."""
    area = lines.get("area_value")
    if area is None or not len(area) or not np.isfinite(area).any():
        return _empty(spec)
    width, height, pad = spec.width, spec.height, spec.padding
    series = {line: lines[line.column] for line in LINES if line.column in lines}
    known = np.concatenate([values[np.isfinite(values)] for values in series.values()])
    low, high = float(known.min()), float(known.max())
    span = (high - low) or (abs(high) or 1.0)
    count = len(area)
    step = (width - 2 * pad) / max(count - 1, 1)
    xs = pad + step * np.arange(count) if count > 1 else np.full(count, width / 2)
    x_texts = [f"{x:.1f}" for x in xs.tolist()]
    shapes = []
    for line, values in series.items():
        finite = np.isfinite(values)
        ys = height - pad - (values - low) / span * (height - 2 * pad)
        dash = f' stroke-dasharray="{line.dash}"' if line.dash else ""
        for run in runs(finite):
            if run.stop - run.start == 1:
                x, y = xs[run.start], ys[run.start]
                shapes.append(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{line.width}" fill="{line.colour}"/>'
                )
                continue
            points = " ".join(map("{},{:.1f}".format, x_texts[run], ys[run].tolist()))
            shapes.append(
                f'<polyline points="{points}" fill="none" stroke="{line.colour}" '
                f'stroke-width="{line.width}"{dash} stroke-linejoin="round" '
                f'stroke-linecap="round" vector-effect="non-scaling-stroke">'
                f"<title>{line.name}</title></polyline>"
            )
    return _document(spec, "".join(shapes))


def runs(known: np.ndarray) -> list[slice]:
    """The runs of consecutive known values, as slices (a missing value breaks the line)."""
    if known.all():  # most series have no gap
        return [slice(0, len(known))] if len(known) else []
    edges = np.diff(np.concatenate([[False], known, [False]]).astype(np.int8))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return [slice(int(start), int(stop)) for start, stop in zip(starts, stops, strict=True)]


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
    return svg_uri.data_uri(document)
