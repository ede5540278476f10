"""Metric explorer: one metric for an area against its comparator group and England, as a
trend, an SPC chart, a ranking with a funnel plot, or the reviewed areas side by side."""

from __future__ import annotations

from dataclasses import replace

import dash
from dash import MATCH, Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard import context, reference, series_view, urls
from dashboard.explore import panels as explorer_panels
from dashboard.explore import state as explorer_state
from dashboard.explore.controls import (
    IDS,
    VIEW_IDS,
    control_values,
    explorer_controls,
    view_control_values,
)
from dashboard.explore.ranking import ranking_view
from dashboard.explore.reviewed import reviewed_view
from dashboard.explore.spc import spc_view
from dashboard.serving import warm_lookups
from dashboard.ui.page import page, page_title, unpublished
from dashboard.ui.shell import NAV_LOCATION
from queries.store import DataStore

dash.register_page(
    __name__,
    path="/metric",
    path_template="/metric/<metric_id>",
    name="Metric explorer",
    title=page_title("Metric explorer"),
    order=2,
    reads=("area", "method", "period", "breakdown", "from", "to", "view", "baseline", "at")
    + ("limits", "rebase", "screen", "reviewed"),
    shows_area=True,
)

warm_lookups.register(series_view.warm)  # every area's headline series, built per version

STATE = "explorer-state"
RENDERED = "explorer-rendered"
CONTROLS = {**IDS, **VIEW_IDS}
STANDARDISED_SUFFIX = "_dsr"


def layout(metric_id: str | None = None, **query: object) -> html.Div:
    if (missing := unpublished(context.store())) is not None:
        return missing
    choices = reference.choices()
    parsed = explorer_state.parse_explorer(
        metric_id,
        query,
        choices=choices,
        metrics=reference.metric_names(),
        options_for=reference.metric_options,
    )
    view = _view(parsed.state)  # its periods do not depend on the view settings read next
    state = explorer_state.parse_view_settings(
        view.state,
        query,
        available=[start for start, _ in view.periods],
        notices=parsed.notices,
    )
    view = replace(view, state=state)
    return page(
        dcc.Store(id=STATE, data=explorer_state.explorer_to_data(state)),
        dcc.Store(id=RENDERED, data={**control_values(view), **view_control_values(view)}),
        html.P("Metric explorer", className="lsr-eyebrow mb-1"),
        html.H1(view.metric.title, className="h3"),
        html.P(view.metric.definition_for(state.period_type), className="lsr-definition"),
        _crude_or_standardised(view),
        explorer_controls(view, choices=choices, options=reference.metric_options(state.metric_id)),
        *_body(context.store(), view),
        notices=parsed.notices,
    )


def _body(store: DataStore, view: series_view.ExplorerView) -> list:
    """The summary and chart cards of the view the state names: its view model builds each
    figure here, and the panels place the built figures in cards."""
    if view.state.view == "spc":
        spc = spc_view(view)
        return explorer_panels.spc_panels(spc, spc.figure())
    if view.state.view == "ranking":
        ranked = ranking_view(store, view)
        return explorer_panels.ranking_panels(
            ranked, ranked.ranking_figure(), ranked.funnel_figure()
        )
    if view.state.view == "reviewed":
        reviewed = reviewed_view(store, view)
        return explorer_panels.reviewed_panels(reviewed, reviewed.figure())
    return explorer_panels.trend_panels(view, series_view.figure(view))


def _crude_or_standardised(view: series_view.ExplorerView) -> html.P | None:
    """A link between a crude rate and its age-standardised twin (``<metric>_dsr``)."""
    metric_id = view.state.metric_id
    crude = metric_id.removesuffix(STANDARDISED_SUFFIX)
    other = crude if crude != metric_id else f"{metric_id}{STANDARDISED_SUFFIX}"
    if other not in reference.metric_names():
        return None
    state = urls.ExplorerState(
        metric_id=other, area=view.state.area, method=view.state.method, period_type=""
    )
    if other == crude:
        words = "This is the age-standardised rate; the crude rate is the default elsewhere: "
    else:
        words = "This crude rate is the default; an age-standardised rate is also available: "
    return html.P(
        [words, dcc.Link(reference.metric_names()[other], href=urls.explorer_href(state)), "."],
        className="lsr-definition",
    )


def _view(state: urls.ExplorerState) -> series_view.ExplorerView:
    area_name = reference.choices().areas[state.area]
    return series_view.explorer_view(context.store(), state, area_name=area_name)


@callback(
    Output(NAV_LOCATION, "href", allow_duplicate=True),
    *(Input(control_id, "value") for control_id in CONTROLS.values()),
    State(RENDERED, "data"),
    State(IDS["period_from"], "options"),
    prevent_initial_call=True,
)
def navigate(*values) -> str:
    """Controls write the URL; the page re-renders from it, so links restore the view."""
    *controls, rendered, period_options = values
    by_name = dict(zip(CONTROLS, controls, strict=True))
    if by_name == rendered:
        return no_update  # the page has just been drawn; nothing was changed
    changed = next((name for name, cid in CONTROLS.items() if cid == ctx.triggered_id), None)
    available = [option["value"] for option in period_options or []]
    state = explorer_state.explorer_from_controls(
        by_name,
        changed,
        available=available,
        previous_period_type=(rendered or {}).get("period_type"),
    )
    return urls.explorer_href(state)


@callback(
    Output(explorer_panels.DOWNLOAD, "data"),
    Input(explorer_panels.DOWNLOAD_BUTTON, "n_clicks"),
    State(STATE, "data"),
    prevent_initial_call=True,
)
def download(clicks: int | None, state: dict) -> dict:
    """The trend's CSV: exactly the plotted rows, with its metadata lines."""
    if not clicks:
        return no_update
    view = _view(explorer_state.explorer_from_data(state))
    return explorer_panels.csv_for(context.store(), "trend", view)


@callback(
    Output({"type": explorer_panels.CSV, "chart": MATCH}, "data"),
    Input({"type": explorer_panels.CSV_BUTTON, "chart": MATCH}, "n_clicks"),
    State(STATE, "data"),
    prevent_initial_call=True,
)
def download_chart(clicks: int | None, state: dict) -> dict:
    """The CSV of the other views' charts (SPC, ranking, funnel, reviewed areas)."""
    if not clicks:
        return no_update
    view = _view(explorer_state.explorer_from_data(state))
    return explorer_panels.csv_for(context.store(), ctx.triggered_id["chart"], view)
