"""Area profile: one council against its comparator group and England, metric by metric."""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import context, reference, urls
from dashboard.components.context_header import comparator_panel, context_header
from dashboard.components.metric_tile import family_sections
from dashboard.components.page import needs_data, page
from dashboard.components.pickers import area_picker, method_picker
from dashboard.layout import NAV_LOCATION
from dashboard.views.profile import MetricSummary, profile_view

dash.register_page(
    __name__,
    path="/area",
    path_template="/area/<code>",
    name="Area profile",
    title="Area profile – LSR Explorer",
    order=1,
)

AREA = "profile-area"
METHOD = "profile-method"
RENDERED = "profile-rendered"


@needs_data
def layout(code: str | None = None, **query: object) -> html.Div:
    choices = reference.choices()
    parsed = urls.parse_profile(code, query, choices)
    state = parsed.state
    view = profile_view(context.store(), state, areas=reference.directory())

    def explore(summary: MetricSummary) -> str:
        return urls.explorer_href(
            urls.ExplorerState(
                metric_id=summary.metric.id,
                area=state.area,
                method=state.method,
                period_type=summary.metric.default_period_type,
            )
        )

    return page(
        dcc.Store(id=RENDERED, data=[state.area, state.method]),
        context_header(
            view.area,
            picker=area_picker(
                AREA,
                value=state.area,
                areas=choices.areas,
                label="Choose an area",
                width="col-md-4",
            ),
        ),
        comparator_panel(
            view.peers,
            state=state,
            picker=method_picker(
                METHOD,
                value=state.method,
                methods=choices.methods,
                label="Comparator method",
                width="col-md-4",
            ),
        ),
        family_sections(view.by_family(), href_for=explore),
        notices=parsed.notices,
    )


@callback(
    Output(NAV_LOCATION, "href", allow_duplicate=True),
    Input(AREA, "value"),
    Input(METHOD, "value"),
    State(RENDERED, "data"),
    prevent_initial_call=True,
)
def navigate(area: str, method: str, rendered: list[str]) -> str:
    """Controls write the URL; the page re-renders from it, so links restore the view."""
    if [area, method] == rendered:
        return no_update  # the page has just been drawn; nothing was changed
    return urls.profile_href(urls.ProfileState(area=area, method=method))
