"""The metric explorer's controls, built from the catalogue and what the data holds."""

from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.explore.view import snap_range
from dashboard.series_view import ExplorerView, breakdown_label
from dashboard.ui.pickers import (
    area_picker,
    breakdown_picker,
    labelled,
    method_picker,
    metric_picker,
    period_picker,
    period_type_picker,
)
from dashboard.urls import (
    ALL,
    BREAKDOWN_SEPARATOR,
    EXPLORER_VIEWS,
    FUNNEL_LIMITS,
    SPC_BASELINES,
    Choices,
    ExplorerState,
    MetricOptions,
)

IDS = {
    "metric_id": "explorer-metric",
    "area": "explorer-area",
    "method": "explorer-method",
    "period_type": "explorer-period-type",
    "breakdown": "explorer-breakdown",
    "period_from": "explorer-from",
    "period_to": "explorer-to",
}
VIEW_IDS = {
    "view": "explorer-view",
    "baseline": "explorer-baseline",
    "at": "explorer-at",
    "rebase": "explorer-rebase",
    "screen": "explorer-screen",
    "limits": "explorer-limits",
    "reviewed": "explorer-reviewed",
}
SCREEN_ON = "on"
REVIEWED_ON = "1"


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


def view_control_values(view: ExplorerView) -> dict[str, str | None]:
    """The view switch's values, keyed like VIEW_IDS (the ranking period: latest by default)."""
    state = view.state
    latest = view.periods[-1][0] if view.periods else None
    return {
        "view": state.view,
        "baseline": state.baseline,
        "at": state.at.isoformat() if state.at else latest,
        "rebase": [start.isoformat() for start in state.rebase],
        "screen": [SCREEN_ON] if state.screen else [],
        "limits": state.limits,
        "reviewed": [REVIEWED_ON] if state.reviewed_only else [],
    }


def explorer_controls(
    view: ExplorerView, *, choices: Choices, options: MetricOptions
) -> html.Section:
    """Three rows: what and where, which periods, then which view; every value is in the URL."""
    values = control_values(view)
    what = [
        metric_picker(IDS["metric_id"], value=values["metric_id"]),
        area_picker(IDS["area"], value=values["area"], areas=choices.areas, width="col-md-3"),
        method_picker(
            IDS["method"], value=values["method"], methods=choices.methods, width="col-md-4"
        ),
    ]
    ranking = view.state.view == "ranking"
    when = [
        period_type_picker(
            IDS["period_type"], value=values["period_type"], period_types=options.period_types
        ),
        _breakdown(view, options, value=values["breakdown"]),
        _shown(
            period_picker(
                IDS["period_from"], label="From", periods=view.periods, value=values["period_from"]
            ),
            not ranking,
        ),
        _shown(
            period_picker(
                IDS["period_to"], label="To", periods=view.periods, value=values["period_to"]
            ),
            not ranking,
        ),
        _shown(
            period_picker(
                VIEW_IDS["at"],
                label="Period ranked",
                periods=view.periods,
                value=view_control_values(view)["at"],
            ),
            ranking,
        ),
    ]
    return html.Section(
        [dbc.Row(what), dbc.Row(when), view_switch(view.state, periods=view.periods)],
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


def view_switch(state: ExplorerState, *, periods: Sequence[tuple[str, str]] = ()) -> dbc.Row:
    """The view as a row of radio buttons (one tab stop, arrow keys move), and the SPC
    settings beside it when the SPC view is shown (baseline, rebase points, outlier screening) and
    the funnel's limits and the reviewed-areas-only switch when the ranking view is shown."""
    switch = dbc.RadioItems(
        id=VIEW_IDS["view"],
        options=[{"label": label, "value": key} for key, label in EXPLORER_VIEWS.items()],
        value=state.view,
        inline=True,
        className="btn-group lsr-view-switch",
        inputClassName="btn-check",
        labelClassName="btn btn-outline-dark",
        labelCheckedClassName="active",
    )
    group = html.Fieldset(
        [html.Legend("View", className="form-label fw-bold fs-6 mb-2"), switch],
        className="col-md-auto mb-3 lsr-control",
    )
    baseline = labelled(
        dbc.Select(
            id=VIEW_IDS["baseline"],
            options=[{"label": label, "value": key} for key, label in SPC_BASELINES.items()],
            value=state.baseline,
        ),
        label="SPC limits from",
        control_id=VIEW_IDS["baseline"],
        width="col-md-3",
    )
    limits = labelled(
        dbc.Select(
            id=VIEW_IDS["limits"],
            options=[{"label": label, "value": key} for key, label in FUNNEL_LIMITS.items()],
            value=state.limits,
        ),
        label="Funnel limits",
        control_id=VIEW_IDS["limits"],
        width="col-md-4",
    )
    spc = state.view == "spc"
    return dbc.Row(
        [
            group,
            _shown(baseline, spc),
            _shown(_rebase_picker(state, periods), spc),
            _shown(_screen_switch(state), spc),
            _shown(limits, state.view == "ranking"),
            _shown(_reviewed_switch(state), state.view == "ranking"),
        ],
        className="align-items-end lsr-view-row",
    )


def _rebase_picker(state: ExplorerState, periods: Sequence[tuple[str, str]]) -> html.Div:
    """Periods where the SPC limits start again (a service change); any number, in the URL."""
    return labelled(
        dcc.Dropdown(
            id=VIEW_IDS["rebase"],
            options=[{"label": label, "value": start} for start, label in periods],
            value=[start.isoformat() for start in state.rebase],
            multi=True,
            placeholder="Not rebased",
        ),
        label="Rebase SPC limits at",
        control_id=VIEW_IDS["rebase"],
        width="col-md-3",
    )


def _screen_switch(state: ExplorerState) -> html.Div:
    """Moving-range outlier screening, off by default as in NHS England's Excel tool."""
    return _switch("screen", "Screen moving-range outliers", SCREEN_ON, state.screen)


def _reviewed_switch(state: ExplorerState) -> html.Div:
    """The ranking and funnel with the reviewed areas (and the chosen area) only."""
    return _switch("reviewed", "Reviewed areas only", REVIEWED_ON, state.reviewed_only)


def _switch(name: str, label: str, on: str, checked: bool) -> html.Div:
    """A one-option switch whose value is ``[on]`` when checked and ``[]`` when not."""
    return html.Div(
        dbc.Checklist(
            id=VIEW_IDS[name],
            options=[{"label": label, "value": on}],
            value=[on] if checked else [],
            switch=True,
        ),
        className="col-md-auto mb-3 lsr-control",
    )


def _shown(control: html.Div, shown: bool) -> html.Div:
    """Controls stay in the layout (their callback inputs must exist); hidden when unused."""
    if not shown:
        control.style = {"display": "none"}
    return control
