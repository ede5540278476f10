"""The layout and callbacks every family page shares: controls that write the URL, sections
of chart cards, and one CSV download callback for all of their charts.

families/page.py registers each page with only its family; the controls have the same ids on
every family page (one page shows at a time), so each callback is registered once.
"""

from __future__ import annotations

from dataclasses import replace

import dash_bootstrap_components as dbc
from dash import MATCH, Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard import context, reference
from dashboard.families import state as family_state
from dashboard.families import view as family_views
from dashboard.families.card import DOWNLOAD, DOWNLOAD_BUTTON, family_card
from dashboard.ui.page import page
from dashboard.ui.pickers import (
    area_picker,
    labelled,
    method_picker,
    period_picker,
    period_type_picker,
)
from dashboard.ui.shell import NAV_LOCATION
from queries import periods

STATE = "family-state"
RENDERED = "family-rendered"
IDS = {
    "area": "family-area",
    "method": "family-method",
    "period_type": "family-period-type",
    "period_from": "family-from",
    "period_to": "family-to",
    "show": "family-show",
    "at": "family-at",
}
HIDDEN = {"display": "none"}


def family_layout(family_id: str, query: dict) -> html.Div:
    """The whole page for ``family_id`` from its URL query."""
    choices = reference.choices()
    page_spec = family_views.page_for(family_id)
    options = family_views.family_options(context.store(), page_spec)
    parsed = family_state.parse_family(family_id, query, choices=choices, options=options)
    state = parsed.state
    area_name = choices.areas[state.area]
    view = family_views.family_view(context.store(), state, area_name=area_name, options=options)
    return page(
        dcc.Store(id=STATE, data=family_state.to_data(state)),
        dcc.Store(id=RENDERED, data=control_values(view)),
        html.P(page_spec.heading, className="lsr-eyebrow mb-1"),
        html.H1(
            [page_spec.heading, html.Span(f": {area_name}", className="lsr-family-area")],
            className="h2",
            id="family-heading",
        ),
        html.P(page_spec.intro, className="lsr-definition"),
        controls(view, choices=choices),
        _note(page_spec.note),
        *[_section(section, charts) for section, charts in view.sections],
        notices=parsed.notices,
    )


def control_values(view: family_views.FamilyView) -> dict[str, str | None]:
    """The value each control starts with (the range snapped to published periods)."""
    state = view.state
    starts = [start for start, _ in view.periods]
    period_from = state.period_from.isoformat() if state.period_from else None
    period_to = state.period_to.isoformat() if state.period_to else None
    if starts:
        period_from = next((s for s in starts if s >= (period_from or "")), starts[-1])
        period_to = next((s for s in reversed(starts) if s <= (period_to or "9999")), starts[0])
    return {
        "area": state.area,
        "method": state.method,
        "period_type": state.period_type,
        "period_from": period_from,
        "period_to": period_to,
        "show": state.show,
        "at": view.snapshot.isoformat() if view.snapshot else None,
    }


def controls(view: family_views.FamilyView, *, choices) -> html.Section:
    """Where (area, comparators) then when (period type, range, snapshot) and how (rates or
    shares); every value is in the URL. Controls a page does not use stay in the layout,
    hidden, because the shared callback takes them all as inputs."""
    values = control_values(view)
    page_spec = view.page
    snapshots = [(s.isoformat(), periods.label(s, "snapshot")) for s in view.options.snapshots]
    show = labelled(
        dbc.RadioItems(
            id=IDS["show"],
            options=[{"label": t, "value": v} for v, t in family_state.SHOW_OPTIONS.items()],
            value=values["show"],
            inline=True,
        ),
        label="Stacked charts show",
        control_id=IDS["show"],
        width="col-md-3",
    )
    at = period_picker(
        IDS["at"], label="Ratings snapshot", periods=snapshots, value=values["at"], width="col-md-3"
    )
    period_type = period_type_picker(
        IDS["period_type"],
        value=values["period_type"],
        period_types=view.options.period_types,
        width="col-md-3",
    )
    if not page_spec.has_show:
        show.style = HIDDEN
    if not page_spec.snapshot_metric:
        at.style = HIDDEN
    if len(view.options.period_types) < 2:
        period_type.style = HIDDEN
    range_pickers = [
        period_picker(
            IDS["period_from"], label="From", periods=view.periods, value=values["period_from"]
        ),
        period_picker(
            IDS["period_to"], label="To", periods=view.periods, value=values["period_to"]
        ),
    ]
    if not view.periods:  # nothing published: no range to choose
        for picker in range_pickers:
            picker.style = HIDDEN
    return html.Section(
        [
            dbc.Row(
                [
                    area_picker(
                        IDS["area"], value=values["area"], areas=choices.areas, width="col-md-5"
                    ),
                    method_picker(
                        IDS["method"],
                        value=values["method"],
                        methods=choices.methods,
                        width="col-md-4",
                    ),
                ]
            ),
            dbc.Row(
                [
                    period_type,
                    *range_pickers,
                    show,
                    at,
                ]
            ),
        ],
        className="lsr-controls",
        **{"aria-label": "Page options"},
    )


def _note(text: str | None):
    if not text:
        return None
    return dbc.Alert(
        [html.I(className="bi bi-info-circle me-2", **{"aria-hidden": "true"}), text],
        color="light",
        className="lsr-family-note",
    )


def _section(section, charts) -> html.Section:
    columns = [
        dbc.Col(
            family_card(chart), xs=12, lg=12 if chart.chart.size == "wide" else 6, className="mb-4"
        )
        for chart in charts
    ]
    return html.Section(
        [html.H2(section.title, className="h4 mt-2 mb-3"), dbc.Row(columns)],
        className="lsr-family-section",
    )


@callback(
    Output(NAV_LOCATION, "href", allow_duplicate=True),
    *(Input(control_id, "value") for control_id in IDS.values()),
    State(RENDERED, "data"),
    State(STATE, "data"),
    State(IDS["period_from"], "options"),
    State(IDS["at"], "options"),
    prevent_initial_call=True,
)
def navigate(*values) -> str:
    """Controls write the URL; the page re-renders from it, so links restore the view."""
    *controls_now, rendered, state_data, period_options, snapshot_options = values
    by_name = dict(zip(IDS, controls_now, strict=True))
    if by_name == rendered:
        return no_update  # the page has just been drawn; nothing was changed
    changed = next((name for name, cid in IDS.items() if cid == ctx.triggered_id), None)
    family_id = state_data["family"]
    state = family_state.from_controls(
        family_id,
        by_name,
        changed,
        available=[option["value"] for option in period_options or []],
        snapshots=[option["value"] for option in snapshot_options or []],
        previous_period_type=(rendered or {}).get("period_type"),
    )
    shown = family_state.from_data(state_data)  # the SPC settings have no control here
    state = replace(state, rebase=shown.rebase, screen=shown.screen)
    return family_state.family_href(family_views.page_for(family_id).path, state)


@callback(
    Output({"type": DOWNLOAD, "chart": MATCH}, "data"),
    Input({"type": DOWNLOAD_BUTTON, "chart": MATCH}, "n_clicks"),
    State(STATE, "data"),
    prevent_initial_call=True,
)
def download(clicks: int | None, state_data: dict) -> dict:
    """The CSV of exactly the plotted rows of the clicked chart, with its metadata lines."""
    if not clicks:
        return no_update
    state = family_state.from_data(state_data)
    key = ctx.triggered_id["chart"]
    area_name = reference.choices().areas[state.area]
    content = family_views.chart_csv(context.store(), state, key, area_name=area_name)
    filename = family_views.chart_filename(state, key, area_name=area_name)
    return {"content": content, "filename": f"{filename}.csv", "type": "text/csv"}
