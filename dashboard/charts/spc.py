"""XmR (statistical process control) chart of one area's series, Making Data Count style.

Pure: a frame shaped like ``queries.stats.xmr`` output plus ``period_label``, ``category`` (the
point's variation: common cause or special cause improvement / concern / neither) and
``rules_text`` in, a figure out. Special-cause points differ by marker symbol as well as
colour, and the legend names each, so the chart never relies on colour alone. Rebased segments
get their own limit lines and a marker where each starts; trial limits (fewer than 12 points)
are labelled on the chart; a target is a dashed line; the Making Data Count icons sit top right
with their words under the title, so an exported image carries them. Traces and layout are
plain dicts wrapped without Plotly's validation (``frame.trusted_figure``); the tests check they are
what validation makes of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from dashboard.charts import mdc_icons
from dashboard.charts.frame import ValueSpec, period_axis, plot_frame, trusted_figure

COMMON = "common cause"
IMPROVEMENT = "special cause improvement"
CONCERN = "special cause concern"
NEITHER = "special cause neither"
CATEGORIES = (COMMON, IMPROVEMENT, CONCERN, NEITHER)
COLOURS = {  # Making Data Count: grey, blue, orange, purple (darkened for contrast on white)
    COMMON: theme.MUTED,
    IMPROVEMENT: "#1D70B8",
    CONCERN: "#C75000",
    NEITHER: "#4C2C92",
}
SYMBOLS = {COMMON: "circle", IMPROVEMENT: "diamond", CONCERN: "square", NEITHER: "triangle-up"}
LEGEND_NAMES = {
    COMMON: "Common cause variation",
    IMPROVEMENT: "Special cause – improvement",
    CONCERN: "Special cause – concern",
    NEITHER: "Special cause – neither better nor worse",
}
MEAN_NAME = "Process mean"
LIMITS_NAME = "Process limits (±3σ)"
TWO_SIGMA_NAME = "±2σ"
VALUE_NAME = "Value"
LIMIT_COLOUR = "#3D3D3D"
TARGET_COLOUR = "#00703C"  # green, dashed and labelled: never confused with the limits
TRIAL_TEXT = "Trial limits (fewer than 12 points)"


@dataclass(frozen=True, kw_only=True)
class SpcSpec(ValueSpec):
    context: bool = False  # a context metric: special causes are never better or worse
    baseline_points: int | None = None  # None: the limits come from every point
    height: int = 500
    target: float | None = None
    target_label: str = "Target"
    variation_icon: str | None = None  # a key of mdc_icons.VARIATION_ALT
    assurance_icon: str | None = None  # a key of mdc_icons.ASSURANCE_ALT


def build(frame: pd.DataFrame, *, spec: SpcSpec) -> go.Figure:
    """The XmR chart; a message figure when there is no point to plot."""
    if frame.empty or frame["value"].isna().all():
        return spec.empty_figure()
    labels = frame["period_label"].tolist()
    traces = [
        *_limit_traces(frame, labels),
        _value_line(frame, labels),
        *_point_traces(frame, labels, spec),
    ]
    framed = plot_frame(spec, bottom=130) | dict(legend=dict(y=-0.12))
    marks = Marks(annotations=list(framed["annotations"]))
    if spec.baseline_points and spec.baseline_points < len(labels) and _segments(frame) == 1:
        _mark_baseline(marks, spec.baseline_points)
    _mark_segments(marks, frame, labels)
    if spec.target is not None:
        traces.append(_target_line(labels, spec))
    _icons(marks, spec)
    layout = framed | dict(
        hovermode="closest",
        xaxis=period_axis(labels),
        yaxis=dict(ticksuffix=spec.suffix, rangemode="normal"),
        **marks.layout(),
    )
    return trusted_figure(traces, layout)


@dataclass
class Marks:
    """What the chart draws over the plot, in the order it is drawn: notes (after the source
    note), vertical lines, the icons and the words the figure keeps about them."""

    annotations: list[dict]
    shapes: list[dict] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    def vline(self, x: float, line: dict) -> None:
        """A vertical line across the plot, as ``go.Figure.add_vline`` draws it."""
        self.shapes.append(
            dict(type="line", x0=x, x1=x, xref="x", y0=0, y1=1, yref="y domain", line=line)
        )

    def layout(self) -> dict:
        return dict(annotations=self.annotations) | {
            name: value
            for name, value in (
                ("shapes", self.shapes),
                ("images", self.images),
                ("meta", self.meta),
            )
            if value
        }


def _segments(frame: pd.DataFrame) -> int:
    return int(frame["segment"].nunique()) if "segment" in frame else 1


def _segment_slices(frame: pd.DataFrame) -> list[slice]:
    """Row ranges of the rebased segments, in order (one slice without rebasing)."""
    if "segment" not in frame:
        return [slice(0, len(frame))]
    starts = [0, *(frame["segment"].diff().fillna(0).to_numpy().nonzero()[0].tolist())]
    return [slice(a, b) for a, b in zip(starts, [*starts[1:], len(frame)], strict=True)]


def _line(frame: pd.DataFrame, labels: list[str], column: str, **style) -> dict:
    return dict(
        type="scatter",
        x=labels,
        y=frame[column].to_numpy(),
        mode="lines",
        hoverinfo="skip",
        **style,
    )


def _limit_traces(frame: pd.DataFrame, labels: list[str]) -> list[dict]:
    """Limits (dashed) and 2σ lines (dotted), each pair one legend entry, then the mean; one
    set of lines per rebased segment, so the limits break where the process was rebased."""
    limits = dict(color=LIMIT_COLOUR, width=1.5, dash="dash")
    two_sigma = dict(color=theme.MUTED, width=1, dash="dot")
    lines = (
        ("upper_limit", LIMITS_NAME, limits, "limits", True),
        ("lower_limit", "Lower process limit", limits, "limits", False),
        ("upper_two_sigma", TWO_SIGMA_NAME, two_sigma, "two_sigma", True),
        ("lower_two_sigma", "Lower 2σ", two_sigma, "two_sigma", False),
        ("mean", MEAN_NAME, dict(color=LIMIT_COLOUR, width=2), "mean", True),
    )
    traces = []
    for number, rows in enumerate(_segment_slices(frame)):
        part, part_labels = frame.iloc[rows], labels[rows]
        for column, name, style, group, legend in lines:
            traces.append(
                _line(
                    part,
                    part_labels,
                    column,
                    name=name,
                    line=dict(style),
                    legendgroup=group,
                    showlegend=legend and number == 0,
                )
            )
    return traces


def _value_line(frame: pd.DataFrame, labels: list[str]) -> dict:
    return dict(
        type="scatter",
        x=labels,
        y=frame["value"].to_numpy(),
        mode="lines",
        name=VALUE_NAME,
        line=dict(color=theme.AREA, width=1.5),
        hoverinfo="skip",
        showlegend=False,
    )


def _point_traces(frame: pd.DataFrame, labels: list[str], spec: SpcSpec) -> list[dict]:
    """One trace per variation category the metric can have, so the legend explains each."""
    shown = (COMMON, NEITHER) if spec.context else (COMMON, IMPROVEMENT, CONCERN)
    categories = frame["category"]
    rules = frame["rules_text"] if "rules_text" in frame else pd.Series("", index=frame.index)
    value = spec.value_format()
    traces = []
    for category in [*shown, *(c for c in CATEGORIES if c not in shown)]:
        mask = (categories == category).to_numpy()
        if category not in shown and not mask.any():
            continue
        special = category != COMMON
        traces.append(
            dict(
                type="scatter",
                x=[label for label, keep in zip(labels, mask, strict=True) if keep],
                y=frame.loc[mask, "value"].to_numpy(),
                mode="markers",
                name=LEGEND_NAMES[category],
                marker=dict(
                    color=COLOURS[category],
                    symbol=SYMBOLS[category],
                    size=11 if special else 7,
                    line=dict(color="white", width=1),
                ),
                customdata=rules[mask].fillna("").to_numpy(),
                hovertemplate=(
                    f"%{{x}}: {value}<br>{LEGEND_NAMES[category]}"
                    + ("<br>%{customdata}" if special else "")
                    + "<extra></extra>"
                ),
            )
        )
    return traces


def _mark_segments(marks: Marks, frame: pd.DataFrame, labels: list[str]) -> None:
    """A vertical line where each rebased segment starts; trial limits said in words."""
    for number, rows in enumerate(_segment_slices(frame)):
        start = rows.start
        if number:
            marks.vline(start - 0.5, dict(color=LIMIT_COLOUR, width=1.5))
            marks.annotations.append(_note(start - 0.5, f"Rebased from {labels[start]}", y=1.0))
        if "trial_limits" in frame and bool(frame["trial_limits"].iloc[start]):
            marks.annotations.append(_note(start - 0.5, TRIAL_TEXT, y=0.06, colour="#B0160B"))


def _note(x: float, text: str, *, y: float, colour: str = LIMIT_COLOUR) -> dict:
    return dict(
        x=x,
        y=y,
        yref="paper",
        text=text,
        showarrow=False,
        xanchor="left",
        yanchor="top",
        xshift=4,
        bgcolor="rgba(255,255,255,0.85)",
        font=dict(size=11, color=colour),
    )


def _target_line(labels: list[str], spec: SpcSpec) -> dict:
    """The target as a labelled dashed line, one legend entry."""
    return dict(
        type="scatter",
        x=labels,
        y=[spec.target] * len(labels),
        mode="lines",
        name=spec.target_label,
        line=dict(color=TARGET_COLOUR, width=2, dash="longdash"),
        hoverinfo="skip",
    )


def _icons(marks: Marks, spec: SpcSpec) -> None:
    """The variation and assurance icons top right, their words beside the title."""
    icons = [
        (mdc_icons.variation_svg(spec.variation_icon), mdc_icons.VARIATION_ALT[spec.variation_icon])
        if spec.variation_icon
        else None,
        (mdc_icons.assurance_svg(spec.assurance_icon), mdc_icons.ASSURANCE_ALT[spec.assurance_icon])
        if spec.assurance_icon
        else None,
    ]
    shown = [icon for icon in icons if icon]
    for position, (document, _) in enumerate(reversed(shown)):
        marks.images.append(
            dict(
                source=mdc_icons.base64_uri(document),
                xref="paper",
                yref="paper",
                x=1.0 - 0.075 * position,
                y=1.02,
                sizex=0.07,
                sizey=0.14,
                xanchor="right",
                yanchor="bottom",
                layer="above",
            )
        )
    if shown:
        marks.annotations.append(
            dict(
                x=1.0,
                y=1.0,
                xref="paper",
                yref="paper",
                xanchor="right",
                yanchor="bottom",
                text=" · ".join(alt for _, alt in shown),
                showarrow=False,
                font=dict(size=10, color=LIMIT_COLOUR),
            )
        )
        marks.meta["icons"] = [alt for _, alt in shown]


def _mark_baseline(marks: Marks, points: int) -> None:
    """A vertical line where the baseline that sets the limits ends."""
    marks.vline(points - 0.5, dict(color=theme.MUTED, width=1, dash="dashdot"))
    marks.annotations.append(
        dict(
            x=points - 0.5,
            y=1,
            yref="paper",
            text=f"Limits from the first {points} periods",
            showarrow=False,
            xanchor="left",
            yanchor="top",
            xshift=4,
            bgcolor="rgba(255,255,255,0.85)",
            font=dict(size=11, color=theme.MUTED),
        )
    )
