"""Select areas: every council ranked on the interface metrics, filtered, weighted and
shortlisted, with a scatter of two metrics and a hex map of one."""

from __future__ import annotations

from dataclasses import asdict, replace
from functools import lru_cache

import dash
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import context, reference, urls
from dashboard.select import view as views
from dashboard.select.controls import (
    CHIPS,
    CLEAR,
    IDS,
    control_values,
    filter_controls,
    metric_select,
    shortlist_chips,
    weight_controls,
    weight_id,
)
from dashboard.select.grid import GRID, quartile_key, ranking_grid, skip_past
from dashboard.select.url_state import (
    SelectionState,
    parse_selection,
    selection_href,
    sort_from_columns,
    with_weights,
)
from dashboard.ui.chart_card import CardFooter, chart_card, image_filename
from dashboard.ui.page import page, page_title, unpublished
from dashboard.ui.shell import NAV_LOCATION

dash.register_page(
    __name__,
    path="/",
    name="Select areas",
    title=page_title("Select areas"),
    order=0,
    reads=("period", "region", "type", "reviewed", "weights", "shortlist", "x", "y", "map", "sort"),
)

STATE = "select-state"
RENDERED = "select-rendered"
SHORTLIST = "select-shortlist"
LOCATION = "select-location"
SCATTER_CARD = "select-scatter-card"
MAP_CARD = "select-map-card"
TABLE_DOWNLOAD = "select-table-download"
TABLE_DOWNLOAD_BUTTON = "select-table-download-button"
CHARTS = {
    "scatter": ("select-scatter", SCATTER_CARD),
    "map": ("select-map", MAP_CARD),
}
METRIC_IDS = [m.id for m in views.interface_metrics()]
WEIGHT_IDS = [weight_id(m) for m in METRIC_IDS]


def _choices() -> views.SelectionChoices:
    """Years, filters and axes: fixed for a data version, so worked out once per version
    (every control change asks for them to write the URL)."""
    store = context.store()
    return _choices_for(str(store.data_dir), store.version)


@lru_cache(maxsize=4)
def _choices_for(data_dir: str, version: str) -> views.SelectionChoices:
    return views.selection_choices(context.store(), areas=reference.directory())


def _view(state: SelectionState) -> views.SelectionView:
    return views.selection_view(context.store(), state, areas=reference.directory())


def layout(**query: object) -> html.Div:
    if (missing := unpublished(context.store())) is not None:
        return missing
    choices = _choices()
    parsed = parse_selection(query, choices)
    state = parsed.state
    view = _view(state)
    shown, total = len(view.rows), len(view.table)
    return page(
        dcc.Location(id=LOCATION, refresh=False),
        dcc.Store(id=STATE, data=_to_data(state)),
        dcc.Store(id=RENDERED, data=control_values(state, METRIC_IDS)),
        dcc.Store(id=SHORTLIST, data=list(state.shortlist)),
        html.H1("Select areas", className="h2"),
        html.P(
            "Rank every council on the six interface metrics, weight them into a composite, "
            "filter, and tick councils to shortlist them. Everything you choose is kept in the "
            "page address, so you can bookmark or share it.",
            className="lead lsr-definition",
        ),
        filter_controls(state, choices),
        weight_controls(state, choices.metrics),
        html.Section(
            [
                html.H2("Shortlist", className="h5"),
                html.Div(_chips(state, view), id=CHIPS, **{"aria-live": "polite"}),
            ],
            className="lsr-shortlist mb-4",
            **{"aria-label": "Shortlist"},
        ),
        html.Section(
            [
                html.H2(
                    f"Councils ranked on the interface metrics, {view.year_text}",
                    className="h5",
                    id="select-table-heading",
                ),
                html.P(
                    f"Showing {shown} of {total} councils. Cells are coloured by quartile "
                    "(hover a cell for its quartile and rank); sort or filter any column, tick "
                    "the box of a row to shortlist it.",
                    className="small mb-1",
                    id="select-table-summary",
                ),
                quartile_key(),
                skip_past(TABLE_DOWNLOAD_BUTTON),
                ranking_grid(view),
                _table_footer(view),
            ],
            className="lsr-table-section mb-4",
            **{"aria-labelledby": "select-table-heading"},
        ),
        html.Div(
            [
                html.Div(
                    [
                        html.Div(
                            [
                                metric_select(
                                    IDS["x"],
                                    label="Scatter: horizontal axis",
                                    value=state.x,
                                    metrics=choices.metrics,
                                    width="col-sm-6",
                                ),
                                metric_select(
                                    IDS["y"],
                                    label="Scatter: vertical axis",
                                    value=state.y,
                                    metrics=choices.metrics,
                                    width="col-sm-6",
                                ),
                            ],
                            className="row",
                        ),
                        html.Div(_scatter_card(view), id=SCATTER_CARD),
                    ],
                    className="col-lg-6",
                ),
                html.Div(
                    [
                        html.Div(
                            metric_select(
                                IDS["map_metric"],
                                label="Map: colour councils by",
                                value=state.map_metric,
                                metrics=choices.metrics,
                                width="col-sm-8",
                            ),
                            className="row",
                        ),
                        html.Div(_map_card(view), id=MAP_CARD),
                    ],
                    className="col-lg-6",
                ),
            ],
            className="row",
        ),
        notices=parsed.notices,
    )


def _chips(state: SelectionState, view: views.SelectionView) -> html.Div:
    choices = reference.choices()
    metric = view.metric(state.map_metric)
    explore = {
        code: urls.explorer_href(
            urls.ExplorerState(
                metric_id=metric.id,
                area=code,
                method=choices.methods[0],
                period_type=metric.default_period_type,
            )
        )
        for code in state.shortlist
    }
    return shortlist_chips(state.shortlist, names=choices.areas, explore_href=explore)


def _table_footer(view: views.SelectionView) -> html.Div:
    from dashboard.ui.chart_card import synthetic_badge

    return html.Div(
        [
            html.Ol(
                [html.Li(note) for note in views.footnotes(view)],
                className="small lsr-footnotes mt-2",
            ),
            html.Div(
                [
                    dash.html.Button(
                        [
                            html.I(className="bi bi-download me-1", **{"aria-hidden": "true"}),
                            "Download table (CSV)",
                        ],
                        id=TABLE_DOWNLOAD_BUTTON,
                        className="btn btn-outline-dark btn-sm",
                    ),
                    html.Span(
                        "The file holds exactly the rows shown, in the order shown.",
                        className="small ms-2",
                    ),
                    synthetic_badge() if view.any_synthetic else None,
                    dcc.Download(id=TABLE_DOWNLOAD),
                ],
                className="d-flex flex-wrap align-items-center gap-2",
            ),
        ]
    )


def _footer(view: views.SelectionView, metric_ids: list[str]) -> CardFooter:
    metrics = [view.metric(m) for m in dict.fromkeys(metric_ids)]
    return CardFooter(
        source="; ".join(dict.fromkeys(view.source_name(m) for m in metrics)),
        vintage="; ".join(dict.fromkeys(view.vintage(m.id) for m in metrics)),
        synthetic=any(view.synthetic(m.id) for m in metrics),
        comparator="not used: every council is shown, England as reference",
    )


def _scatter_card(view: views.SelectionView):
    graph_id, _ = CHARTS["scatter"]
    return chart_card(
        views.scatter_figure(view),
        graph_id=graph_id,
        title=views.scatter_title(view),
        footer=_footer(view, [view.state.x, view.state.y]),
        download_button_id=f"{graph_id}-download-button",
        download_id=f"{graph_id}-download",
        empty_message=views.scatter_empty_message(view),
        description=views.scatter_description(view),
    )


def _map_card(view: views.SelectionView):
    graph_id, _ = CHARTS["map"]
    return chart_card(
        views.map_figure(view),
        graph_id=graph_id,
        title=views.map_title(view),
        footer=_footer(view, [view.state.map_metric]),
        download_button_id=f"{graph_id}-download-button",
        download_id=f"{graph_id}-download",
        empty_message=views.map_empty_message(view),
        description=views.map_description(view),
    )


def _to_data(state: SelectionState) -> dict:
    return asdict(state)


def _from_data(data: dict) -> SelectionState:
    values = dict(data)
    values["weights"] = tuple((m, float(w)) for m, w in values.get("weights") or ())
    values["shortlist"] = tuple(values.get("shortlist") or ())
    values["sort"] = tuple((str(c), str(d)) for c, d in values.get("sort") or ())
    return SelectionState(**values)


@callback(
    Output(NAV_LOCATION, "href", allow_duplicate=True),
    *(Input(control_id, "value") for control_id in IDS.values()),
    *(Input(control_id, "value") for control_id in WEIGHT_IDS),
    State(RENDERED, "data"),
    State(SHORTLIST, "data"),
    State(STATE, "data"),
    prevent_initial_call=True,
)
def navigate(*values) -> str:
    """Controls write the URL; the page re-renders from it, so links restore the view."""
    *controls, rendered, shortlist, state_data = values
    names = [*IDS, *WEIGHT_IDS]
    by_name = dict(zip(names, controls, strict=True))
    if by_name == rendered:
        return no_update  # the page has just been drawn; nothing was changed
    state = SelectionState(
        year=int(by_name["year"]),
        x=by_name["x"],
        y=by_name["y"],
        map_metric=by_name["map_metric"],
        region=by_name["region"],
        la_type=by_name["la_type"],
        reviewed_only=bool(by_name["reviewed_only"]),
        shortlist=tuple(shortlist or ()),
        sort=_from_data(state_data).sort,
    )
    state = with_weights(state, {m: by_name[weight_id(m)] for m in METRIC_IDS})
    return selection_href(state, _choices())


@callback(
    Output(STATE, "data", allow_duplicate=True),
    Output(LOCATION, "href", allow_duplicate=True),
    Input(GRID, "columnState"),
    State(STATE, "data"),
    State(SHORTLIST, "data"),
    prevent_initial_call=True,
)
def sort_changed(column_state, state_data, shortlist):
    """Sorting the grid writes the URL in place (no re-render), so a link restores the order."""
    state = _from_data(state_data)
    sort = sort_from_columns(column_state)
    if column_state is None or sort == state.sort:
        return no_update, no_update
    state = replace(state, sort=sort, shortlist=tuple(shortlist or ()))
    return _to_data(state), selection_href(state, _choices())


def selected_codes(selected: object) -> list[str]:
    """Codes of the ticked rows: the grid reports rows, or the ``ids`` form set at render."""
    if isinstance(selected, dict):
        return [str(code) for code in selected.get("ids", [])]
    return [row["area_code"] for row in selected or [] if row.get("area_code")]


def merged_shortlist(previous: list[str], selected: list[str], visible: set[str]) -> list[str]:
    """Ticks decide for the rows shown; councils the filters hide stay on the shortlist."""
    kept = [code for code in previous if code not in visible or code in selected]
    return kept + [code for code in selected if code not in kept]


@callback(
    Output(SHORTLIST, "data"),
    Output(CHIPS, "children"),
    Output(LOCATION, "href"),
    Output(SCATTER_CARD, "children"),
    Output(MAP_CARD, "children"),
    Input(GRID, "selectedRows"),
    State(SHORTLIST, "data"),
    State(GRID, "rowData"),
    State(STATE, "data"),
    prevent_initial_call=True,
)
def shortlist_changed(selected, previous, rows, state_data):
    """Ticking rows updates the URL and the charts in place, keeping the grid's sort."""
    visible = {row["area_code"] for row in rows or []}
    shortlist = merged_shortlist(previous or [], selected_codes(selected), visible)
    if shortlist == (previous or []):
        return (no_update,) * 5
    state = replace(_from_data(state_data), shortlist=tuple(shortlist))
    view = _view(state)
    return (
        shortlist,
        _chips(state, view),
        selection_href(state, _choices()),
        _scatter_card(view),
        _map_card(view),
    )


@callback(
    Output(GRID, "selectedRows"),
    Output(SHORTLIST, "data", allow_duplicate=True),
    Input(CLEAR, "n_clicks"),
    prevent_initial_call=True,
)
def clear_shortlist(clicks):
    if not clicks:
        return no_update, no_update
    return [], []


def _current(state_data: dict, shortlist: list[str] | None) -> views.SelectionView:
    return _view(replace(_from_data(state_data), shortlist=tuple(shortlist or ())))


@callback(
    Output(TABLE_DOWNLOAD, "data"),
    Input(TABLE_DOWNLOAD_BUTTON, "n_clicks"),
    State(GRID, "virtualRowData"),
    State(STATE, "data"),
    State(SHORTLIST, "data"),
    prevent_initial_call=True,
)
def download_table(clicks, shown_rows, state_data, shortlist) -> dict:
    """The CSV of exactly the rows the grid shows, in its order, after its metadata."""
    if not clicks:
        return no_update
    view = _current(state_data, shortlist)
    codes = [row["area_code"] for row in shown_rows] if shown_rows is not None else None
    filename = f"select-areas-{image_filename(view.year_text)}.csv"
    return {"content": views.csv_text(view, codes), "filename": filename, "type": "text/csv"}


@callback(
    Output(f"{CHARTS['scatter'][0]}-download", "data"),
    Input(f"{CHARTS['scatter'][0]}-download-button", "n_clicks"),
    State(STATE, "data"),
    State(SHORTLIST, "data"),
    prevent_initial_call=True,
)
def download_scatter(clicks, state_data, shortlist) -> dict:
    if not clicks:
        return no_update
    view = _current(state_data, shortlist)
    filename = f"{image_filename(views.scatter_title(view))}.csv"
    return {"content": views.scatter_csv(view), "filename": filename, "type": "text/csv"}


@callback(
    Output(f"{CHARTS['map'][0]}-download", "data"),
    Input(f"{CHARTS['map'][0]}-download-button", "n_clicks"),
    State(STATE, "data"),
    State(SHORTLIST, "data"),
    prevent_initial_call=True,
)
def download_map(clicks, state_data, shortlist) -> dict:
    if not clicks:
        return no_update
    view = _current(state_data, shortlist)
    filename = f"{image_filename(views.map_title(view))}.csv"
    return {"content": views.map_csv(view), "filename": filename, "type": "text/csv"}
