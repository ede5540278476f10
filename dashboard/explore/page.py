"""Metric explorer: one metric for an area against its comparator group and England, as a
trend, an SPC chart, a ranking with a funnel plot, or the reviewed areas side by side."""

from __future__ import annotations

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
from dashboard.ui.page import needs_data, page, page_title
from dashboard.ui.shell import NAV_LOCATION

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

STATE = "explorer-state"
OPTIONS = "explorer-view-options"
RENDERED = "explorer-rendered"
CONTROLS = {**IDS, **VIEW_IDS}
STANDARDISED_SUFFIX = "_dsr"


@needs_data
def layout(metric_id: str | None = None, **query: object) -> html.Div:
    choices = reference.choices()
    parsed = explorer_state.parse_explorer(
        metric_id,
        query,
        choices=choices,
        metrics=reference.metric_names(),
        options_for=reference.metric_options,
    )
    view = _view(parsed.state)
    options = explorer_state.parse_view_options(
        query, available=[start for start, _ in view.periods], notices=parsed.notices
    )
    return page(
        dcc.Store(id=STATE, data=explorer_state.explorer_to_data(view.state)),
        dcc.Store(id=OPTIONS, data=explorer_state.to_data(options)),
        dcc.Store(id=RENDERED, data={**control_values(view), **view_control_values(view, options)}),
        html.P("Metric explorer", className="lsr-eyebrow mb-1"),
        html.H1(view.metric.title, className="h3"),
        html.P(view.metric.definition_for(view.state.period_type), className="lsr-definition"),
        _crude_or_standardised(view),
        explorer_controls(
            view,
            choices=choices,
            options=reference.metric_options(view.state.metric_id),
            view_options=options,
        ),
        *explorer_panels.body(context.store(), view, options),
        notices=parsed.notices,
    )


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
        {name: by_name[name] for name in IDS},
        changed,
        available=available,
        previous_period_type=(rendered or {}).get("period_type"),
    )
    options = explorer_state.options_from_controls(
        {name: by_name[name] for name in VIEW_IDS},
        reset_at=changed in explorer_state.RESETS,
        latest=available[-1] if available else None,
    )
    return explorer_state.href(state, options)


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
    return explorer_panels.csv_for(context.store(), "trend", view, explorer_state.ViewOptions())


@callback(
    Output({"type": explorer_panels.CSV, "chart": MATCH}, "data"),
    Input({"type": explorer_panels.CSV_BUTTON, "chart": MATCH}, "n_clicks"),
    State(STATE, "data"),
    State(OPTIONS, "data"),
    prevent_initial_call=True,
)
def download_chart(clicks: int | None, state: dict, options: dict) -> dict:
    """The CSV of the other views' charts (SPC, ranking, funnel, reviewed areas)."""
    if not clicks:
        return no_update
    view = _view(explorer_state.explorer_from_data(state))
    key = ctx.triggered_id["chart"]
    return explorer_panels.csv_for(context.store(), key, view, explorer_state.from_data(options))
