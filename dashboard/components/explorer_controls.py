"""The metric explorer's controls, built from the catalogue and what the data holds."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard.components.pickers import (
    area_picker,
    breakdown_picker,
    method_picker,
    metric_picker,
    period_picker,
    period_type_picker,
)
from dashboard.urls import ALL, BREAKDOWN_SEPARATOR, Choices, MetricOptions
from dashboard.views.explorer import ExplorerView, breakdown_label, snap_range

IDS = {
    "metric_id": "explorer-metric",
    "area": "explorer-area",
    "method": "explorer-method",
    "period_type": "explorer-period-type",
    "breakdown": "explorer-breakdown",
    "period_from": "explorer-from",
    "period_to": "explorer-to",
}


def control_values(view: ExplorerView) -> dict[str, str | None]:
    """The value each control starts with, keyed like IDS (the range snapped to real periods)."""
    state = view.state
    start, end = snap_range(view)
    breakdown = (
        ALL
        if state.breakdown == ALL
        else f"{state.breakdown}{BREAKDOWN_SEPARATOR}{state.breakdown_value}"
    )
    return {
        "metric_id": state.metric_id,
        "area": state.area,
        "method": state.method,
        "period_type": state.period_type,
        "breakdown": breakdown,
        "period_from": start.isoformat() if start else None,
        "period_to": end.isoformat() if end else None,
    }


def explorer_controls(
    view: ExplorerView, *, choices: Choices, options: MetricOptions
) -> html.Section:
    """Two rows: what and where, then which periods; every value is in the URL."""
    values = control_values(view)
    what = [
        metric_picker(IDS["metric_id"], value=values["metric_id"]),
        area_picker(IDS["area"], value=values["area"], areas=choices.areas, width="col-md-3"),
        method_picker(
            IDS["method"], value=values["method"], methods=choices.methods, width="col-md-4"
        ),
    ]
    when = [
        period_type_picker(
            IDS["period_type"], value=values["period_type"], period_types=options.period_types
        ),
        _breakdown(view, options, value=values["breakdown"]),
        period_picker(
            IDS["period_from"], label="From", periods=view.periods, value=values["period_from"]
        ),
        period_picker(
            IDS["period_to"], label="To", periods=view.periods, value=values["period_to"]
        ),
    ]
    return html.Section(
        [dbc.Row(what), dbc.Row(when)],
        className="lsr-controls",
        **{"aria-label": "Chart options"},
    )


def _breakdown(view: ExplorerView, options: MetricOptions, *, value: str) -> html.Div:
    """Always in the layout (its callback input must exist); hidden when there is none."""
    choices = [(ALL, "All")] if options.headline else []
    for name, code in options.breakdowns:
        choices.append(
            (f"{name}{BREAKDOWN_SEPARATOR}{code}", breakdown_label(view.metric, name, code))
        )
    picker = breakdown_picker(IDS["breakdown"], value=value, options=choices or [(ALL, "All")])
    if not options.breakdowns:
        picker.style = {"display": "none"}
    return picker
