"""The Select areas controls (period, filters, weights, chart metrics) and the shortlist chips.

Every control has a visible label tied to it; every value lives in the URL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import text
from dashboard.select.url_state import (
    ALL,
    MAX_WEIGHT,
    MIN_WEIGHT,
    SelectionChoices,
    SelectionState,
    year_label,
)
from dashboard.ui.pickers import labelled
from dashboard.urls import AREA_PROFILE_PATH

IDS = {
    "year": "select-period",
    "region": "select-region",
    "la_type": "select-type",
    "reviewed_only": "select-reviewed",
    "x": "select-x",
    "y": "select-y",
    "map_metric": "select-map-metric",
}
WEIGHT_ID = "select-weight-{}"
CHIPS = "select-shortlist-chips"
CLEAR = "select-shortlist-clear"


def weight_id(metric_id: str) -> str:
    return WEIGHT_ID.format(metric_id)


def control_values(state: SelectionState, metric_ids: Sequence[str]) -> dict:
    """What each control shows for ``state``, keyed like IDS plus one weight per metric."""
    values = {
        "year": str(state.year),
        "region": state.region,
        "la_type": state.la_type,
        "reviewed_only": state.reviewed_only,
        "x": state.x,
        "y": state.y,
        "map_metric": state.map_metric,
    }
    values.update({weight_id(m): state.weight(m) for m in metric_ids})
    return values


def _select(control_id: str, *, label: str, options: list[dict], value: str, width: str):
    return labelled(
        dbc.Select(id=control_id, options=options, value=value),
        label=label,
        control_id=control_id,
        width=width,
    )


def filter_controls(state: SelectionState, choices: SelectionChoices) -> html.Section:
    """Period and the three filters, in one row."""
    years = [{"label": year_label(y), "value": str(y)} for y in reversed(choices.years)]
    regions = [{"label": "All regions", "value": ALL}] + [
        {"label": r, "value": r} for r in choices.regions
    ]
    types = [{"label": "All council types", "value": ALL}] + [
        {"label": text.LA_TYPE_NAMES.get(t, t), "value": t} for t in choices.la_types
    ]
    reviewed = html.Div(
        dbc.Checkbox(
            id=IDS["reviewed_only"],
            value=state.reviewed_only,
            label="Reviewed areas only",
            class_name="mt-md-4 pt-md-2",
        ),
        className="col-md-3 mb-3 lsr-control",
    )
    return html.Section(
        dbc.Row(
            [
                _select(
                    IDS["year"],
                    label="Financial year",
                    options=years,
                    value=str(state.year),
                    width="col-md-2",
                ),
                _select(
                    IDS["region"],
                    label="Region",
                    options=regions,
                    value=state.region,
                    width="col-md-3",
                ),
                _select(
                    IDS["la_type"],
                    label="Council type",
                    options=types,
                    value=state.la_type,
                    width="col-md-3",
                ),
                reviewed,
            ]
        ),
        className="lsr-controls",
        **{"aria-label": "Period and filters"},
    )


def weight_controls(state: SelectionState, metrics: Mapping[str, str]) -> html.Fieldset:
    """One number input per metric (0–3, default 1) for the composite."""
    inputs = [
        html.Div(
            [
                html.Label(name, htmlFor=weight_id(metric_id), className="form-label small"),
                dbc.Input(
                    id=weight_id(metric_id),
                    type="number",
                    min=MIN_WEIGHT,
                    max=MAX_WEIGHT,
                    step=0.5,
                    value=state.weight(metric_id),
                    debounce=True,
                    size="sm",
                    inputMode="decimal",
                ),
            ],
            className="col-6 col-md-4 col-lg-2 mb-2 lsr-weight",
        )
        for metric_id, name in metrics.items()
    ]
    return html.Fieldset(
        [
            html.Legend(
                "Composite weights (0 to 3; 0 leaves a metric out)", className="h6 fw-bold"
            ),
            dbc.Row(inputs),
        ],
        className="lsr-weights mb-3",
    )


def metric_select(
    control_id: str, *, label: str, value: str, metrics: Mapping[str, str], width: str
) -> html.Div:
    options = [{"label": name, "value": metric_id} for metric_id, name in metrics.items()]
    return _select(control_id, label=label, options=options, value=value, width=width)


def shortlist_chips(
    shortlist: Sequence[str], *, names: Mapping[str, str], explore_href: Mapping[str, str]
) -> html.Div:
    """The shortlist as chips: each links to its Area profile and to the metric explorer."""
    clear = dbc.Button(
        "Clear shortlist",
        id=CLEAR,
        color="link",
        size="sm",
        disabled=not shortlist,
        className="lsr-clear-shortlist",
    )
    if not shortlist:
        return html.Div(
            [
                html.P(
                    "No councils shortlisted yet: tick rows in the table to add them.",
                    className="text-muted mb-0",
                ),
                clear,
            ],
            className="d-flex flex-wrap align-items-center gap-2",
        )
    chips = [
        html.Li(
            [
                dcc.Link(names.get(code, code), href=f"{AREA_PROFILE_PATH}{code}"),
                dcc.Link(
                    "compare in explorer",
                    href=explore_href[code],
                    className="lsr-chip-explore",
                    title=f"{names.get(code, code)} against its comparators in the metric explorer",
                ),
            ],
            className="lsr-chip",
        )
        for code in shortlist
    ]
    return html.Div(
        [
            html.Ul(chips, className="lsr-chips"),
            clear,
        ],
        className="d-flex flex-wrap align-items-center gap-2",
    )
