"""Area profile: one council against its comparator group and England, metric by metric."""

from __future__ import annotations

import logging
import threading
from urllib.parse import quote, urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, dcc, html, no_update

from dashboard import context, reference, urls
from dashboard.profile import state as profile_state
from dashboard.profile import view as profile
from dashboard.profile.report.export import report_pdf
from dashboard.profile.tiles import family_sections
from dashboard.profile.view import MetricSummary, profile_view, warm
from dashboard.serving import warm_lookups
from dashboard.ui.chart_card import CardFooter, chart_card, image_filename
from dashboard.ui.context_header import comparator_panel, context_header
from dashboard.ui.page import page, page_title, unpublished
from dashboard.ui.pickers import METHOD_NAMES, area_picker, method_picker
from dashboard.ui.shell import NAV_LOCATION
from queries.catalogue import load_catalogue

dash.register_page(
    __name__,
    path="/area",
    path_template="/area/<code>",
    name="Area profile",
    title=page_title("Area profile"),
    order=1,
    reads=("area", "method", "spine"),
    shows_area=True,
)

warm_lookups.register(warm)  # every council's frames, built when a worker meets a version

AREA = "profile-area"
METHOD = "profile-method"
SCOPE = "profile-spine-scope"
RENDERED = "profile-rendered"
SPINE_GRAPH = "profile-spine"
SPINE_DOWNLOAD = "profile-spine-download"
SPINE_DOWNLOAD_BUTTON = "profile-spine-download-button"
PRINT_BUTTON = "profile-print"
REPORT_BUTTON = "profile-report"
REPORT_DOWNLOAD = "profile-report-download"
REPORT_SLOT = threading.BoundedSemaphore(1)
LOG = logging.getLogger(__name__)
METHODS_PATH = "/methods"


def layout(code: str | None = None, **query: object) -> html.Div:
    if (missing := unpublished(context.store())) is not None:
        return missing
    choices = reference.choices()
    parsed = profile_state.parse_profile(code, query, choices)
    state = parsed.state
    scope = state.spine
    store = context.store()
    view = profile_view(store, state, areas=reference.directory())
    area_name = view.area["name"]
    family_query = urlencode({"area": state.area, "method": state.method}, quote_via=quote)

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
        dcc.Store(id=RENDERED, data=[state.area, state.method, scope]),
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
        family_sections(
            view.by_family(),
            href_for=explore,
            family_href_for=lambda summary: _family_href(summary, family_query),
            methods_href_for=lambda summary: f"{METHODS_PATH}#metric-{summary.metric.id}",
            findings=view.findings_by_family(),
        ),
        _spine_section(state, scope=scope, area_name=area_name, peer_count=len(view.peers)),
        notices=parsed.notices,
        actions=_actions(),
    )


def _actions() -> list:
    """Beside the Share link: print, and the written report as a PDF."""
    return [
        html.Button(
            [html.I(className="bi bi-printer me-1", **{"aria-hidden": "true"}), "Print"],
            id=PRINT_BUTTON,
            type="button",
            className="btn btn-outline-dark btn-sm ms-2",
            title="Print this profile or save it as a PDF",
        ),
        html.Button(
            [
                html.I(className="bi bi-file-earmark-pdf me-1", **{"aria-hidden": "true"}),
                "Download report (PDF)",
            ],
            id=REPORT_BUTTON,
            type="button",
            className="btn btn-outline-dark btn-sm ms-2",
            title="The data profile for this area and comparator method as an A4 PDF "
            "with written findings (takes a few seconds)",
        ),
        dcc.Download(id=REPORT_DOWNLOAD),
    ]


def _family_href(summary: MetricSummary, query: str) -> str | None:
    """The metric's family page for the same area and method (``query``, written once per
    page rather than once per tile)."""
    family = load_catalogue().families.get(summary.metric.family)
    if family is None or not family.page:
        return None
    return f"{family.page}?{query}"


def _comparator_text(state: urls.ProfileState, peer_count: int) -> str:
    method = METHOD_NAMES.get(state.method, state.method)
    return f"mean of {peer_count} similar councils, method “{method}”"


def _spine_section(
    state: urls.ProfileState, *, scope: str, area_name: str, peer_count: int
) -> html.Section:
    frame = profile.spine_frame(context.store(), state, scope=scope)
    comparator = _comparator_text(state, peer_count)
    figure = profile.spine_figure(
        frame,
        area_name=area_name,
        scope=scope,
        source_note=profile.spine_source_note(frame, comparator=comparator),
    )
    synthetic = bool(not frame.empty and frame["is_synthetic"].any())
    footer = CardFooter(
        source=profile.spine_sources(frame),
        vintage=profile.SPINE_VINTAGE,
        synthetic=synthetic,
        comparator=comparator,
    )
    scope_picker = html.Fieldset(
        [
            html.Legend("Bars show the range of", className="form-label fw-bold fs-6"),
            dbc.RadioItems(
                id=SCOPE,
                options=[
                    {"label": "All councils", "value": "england"},
                    {"label": "The comparator group", "value": "comparators"},
                ],
                value=scope,
                inline=True,
            ),
        ],
        className="lsr-spine-scope d-print-none mb-2",
    )
    return html.Section(
        [
            html.H2("Spine chart: all metrics at a glance", className="h4 mt-4 mb-2"),
            html.P(
                "Each row places the area's latest value among all councils (or its comparator "
                "group). England is in the middle and better is always to the right; the marker's "
                "shape, colour and the words beside it give the verdict against England.",
                className="lsr-definition",
            ),
            scope_picker,
            chart_card(
                figure,
                graph_id=SPINE_GRAPH,
                title=f"{area_name}: spine chart of the latest values",
                footer=footer,
                download_button_id=SPINE_DOWNLOAD_BUTTON,
                download_id=SPINE_DOWNLOAD,
                empty_message=None if not frame.empty else figure.layout.meta["message"],
                description=profile.spine_summary(frame, area_name=area_name),
                heading_level=3,
            ),
        ],
        className="lsr-spine-section",
        **{"aria-label": "Spine chart"},
    )


@callback(
    Output(NAV_LOCATION, "href", allow_duplicate=True),
    Input(AREA, "value"),
    Input(METHOD, "value"),
    Input(SCOPE, "value"),
    State(RENDERED, "data"),
    prevent_initial_call=True,
)
def navigate(area: str, method: str, scope: str, rendered: list[str]) -> str:
    """Controls write the URL; the page re-renders from it, so links restore the view."""
    if [area, method, scope] == rendered:
        return no_update  # the page has just been drawn; nothing was changed
    return urls.profile_href(urls.ProfileState(area=area, method=method, spine=scope))


@callback(
    Output(SPINE_DOWNLOAD, "data"),
    Input(SPINE_DOWNLOAD_BUTTON, "n_clicks"),
    State(RENDERED, "data"),
    prevent_initial_call=True,
)
def download_spine(clicks: int | None, rendered: list[str]) -> dict:
    """The spine's rows as plotted, with their metadata lines."""
    if not clicks:
        return no_update
    area, method, scope = rendered
    state = urls.ProfileState(area=area, method=method)
    frame = profile.spine_frame(context.store(), state, scope=scope)
    area_name = reference.choices().areas[area]
    text = profile.spine_csv(frame, area_name=area_name, scope=scope, method=method)
    filename = f"{image_filename(f'{area_name} spine chart')}.csv"
    return {"content": text, "filename": filename, "type": "text/csv"}


@callback(
    Output(REPORT_DOWNLOAD, "data"),
    Input(REPORT_BUTTON, "n_clicks"),
    State(RENDERED, "data"),
    running=[(Output(REPORT_BUTTON, "disabled"), True, False)],
    prevent_initial_call=True,
)
def download_report(clicks: int | None, rendered: list[str]) -> dict:
    """The report pack's PDF for the area and comparator method on screen, latest periods:
    the same file `lsr export profile` writes."""
    if not clicks or not isinstance(rendered, list) or len(rendered) != 3:
        return no_update
    area, method, _scope = rendered
    choices = reference.choices()
    if area not in choices.areas or method not in choices.methods:
        return no_update  # the store was tampered with: nothing to render
    # A report starts a browser: one at a time per server process, so a burst of clicks (or
    # forged requests) cannot start a Chromium per thread; a click meanwhile is ignored
    if not REPORT_SLOT.acquire(blocking=False):
        LOG.warning("report download refused: another report is being rendered")
        return no_update
    try:
        written = report_pdf(context.store(), area_code=area, method=method)
    finally:
        REPORT_SLOT.release()
    return dcc.send_bytes(written.pdf, written.filename, type="application/pdf")


clientside_callback(
    """function (clicks) {
        if (clicks) { window.print(); }
        return window.dash_clientside.no_update;
    }""",
    Output(PRINT_BUTTON, "title"),
    Input(PRINT_BUTTON, "n_clicks"),
    prevent_initial_call=True,
)
