"""Metric explorer: one metric over time for an area vs its comparator group vs England."""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard import context, reference, urls
from dashboard.components.chart_card import CardFooter, chart_card, image_filename
from dashboard.components.explorer_controls import IDS, control_values, explorer_controls
from dashboard.components.page import needs_data, page
from dashboard.layout import NAV_LOCATION
from dashboard.views import explorer

dash.register_page(
    __name__,
    path="/metric",
    path_template="/metric/<metric_id>",
    name="Metric explorer",
    title="Metric explorer – LSR Explorer",
    order=2,
)

STATE = "explorer-state"
RENDERED = "explorer-rendered"
GRAPH = "explorer-graph"
DOWNLOAD = "explorer-download"
DOWNLOAD_BUTTON = "explorer-download-button"


@needs_data
def layout(metric_id: str | None = None, **query: object) -> html.Div:
    choices = reference.choices()
    parsed = urls.parse_explorer(
        metric_id,
        query,
        choices=choices,
        metrics=reference.metric_names(),
        options_for=reference.metric_options,
    )
    view = _view(parsed.state)
    return page(
        dcc.Store(id=STATE, data=urls.explorer_to_data(view.state)),
        dcc.Store(id=RENDERED, data=control_values(view)),
        html.P("Metric explorer", className="lsr-eyebrow mb-1"),
        html.H1(view.metric.title, className="h3"),
        html.P(view.metric.definition, className="lsr-definition"),
        explorer_controls(
            view, choices=choices, options=reference.metric_options(view.state.metric_id)
        ),
        _card(view),
        notices=parsed.notices,
    )


def _view(state: urls.ExplorerState) -> explorer.ExplorerView:
    area_name = reference.choices().areas[state.area]
    return explorer.explorer_view(context.store(), state, area_name=area_name)


def _card(view: explorer.ExplorerView):
    footer = CardFooter(
        source=view.source_name,
        vintage=view.vintage,
        synthetic=view.synthetic,
        comparator=f"mean and min–max range of {view.comparator_text}",
        note=(
            f"{view.suppressed_count} period(s) suppressed (small numbers) for {view.area_name}."
            if view.suppressed_count
            else None
        ),
    )
    return chart_card(
        explorer.figure(view),
        graph_id=GRAPH,
        title=view.title,
        footer=footer,
        download_button_id=DOWNLOAD_BUTTON,
        download_id=DOWNLOAD,
        empty_message=explorer.empty_message(view),
    )


@callback(
    Output(NAV_LOCATION, "href", allow_duplicate=True),
    *(Input(control_id, "value") for control_id in IDS.values()),
    State(RENDERED, "data"),
    State(IDS["period_from"], "options"),
    prevent_initial_call=True,
)
def navigate(*values) -> str:
    """Controls write the URL; the page re-renders from it, so links restore the view."""
    *controls, rendered, period_options = values
    by_name = dict(zip(IDS, controls, strict=True))
    if by_name == rendered:
        return no_update  # the page has just been drawn; nothing was changed
    changed = next((name for name, cid in IDS.items() if cid == ctx.triggered_id), None)
    available = [option["value"] for option in period_options or []]
    state = urls.explorer_from_controls(by_name, changed, available=available)
    return urls.explorer_href(state)


@callback(
    Output(DOWNLOAD, "data"),
    Input(DOWNLOAD_BUTTON, "n_clicks"),
    State(STATE, "data"),
    prevent_initial_call=True,
)
def download(clicks: int | None, state: dict) -> dict:
    """The CSV of exactly the plotted rows, with its metadata lines."""
    if not clicks:
        return no_update
    view = _view(urls.explorer_from_data(state))
    filename = f"{image_filename(view.title)}.csv"
    return {"content": explorer.csv_text(view), "filename": filename, "type": "text/csv"}
