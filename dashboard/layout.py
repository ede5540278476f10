"""The page shell: skip link, header with navigation, URL notices, the page, and the footer.

It stays the same on every page; pages fill ``dash.page_container``. The shell's own Location
is how page callbacks change the URL (and so the page state) without a full reload.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components.notice import notice_area

NAV_LOCATION = "nav-location"
NAV_LINKS = (
    ("Area profile", "/area"),
    ("Metric explorer", "/metric"),
)
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def shell() -> html.Div:
    """The whole app layout around the current page."""
    return html.Div(
        [
            html.A("Skip to main content", href="#main-content", className="lsr-skip-link"),
            dcc.Location(id=NAV_LOCATION, refresh="callback-nav"),
            header(),
            html.Main(
                [notice_area(), dash.page_container],
                id="main-content",
                tabIndex="-1",
                className="container-xl py-4",
            ),
            footer(),
        ],
        className="lsr-app",
    )


def header() -> html.Header:
    """Black bar with the product name and the page links (active link underlined)."""
    links = [
        dbc.NavItem(dbc.NavLink(label, href=href, active="partial", className="lsr-nav-link"))
        for label, href in NAV_LINKS
    ]
    return html.Header(
        html.Div(
            [
                dcc.Link("LSR Explorer", href="/", className="lsr-brand"),
                html.Span(
                    "Health and social care interface metrics for English councils",
                    className="lsr-tagline d-none d-lg-inline",
                ),
                html.Nav(dbc.Nav(links, className="lsr-nav"), **{"aria-label": "Main"}),
            ],
            className="container-xl lsr-header-inner",
        ),
        className="lsr-header",
    )


def footer() -> html.Footer:
    """Licence attribution and the synthetic-data promise, on every page."""
    return html.Footer(
        html.Div(
            [
                html.P(
                    [
                        "Contains public sector information licensed under the ",
                        html.A("Open Government Licence v3.0", href=OGL_URL, rel="license"),
                        ".",
                    ],
                    className="mb-1",
                ),
                html.P(
                    "Where the data is synthetic (generated demo values, not real figures) it is "
                    "marked as such on every chart, tile and download.",
                    className="mb-0",
                ),
            ],
            className="container-xl",
        ),
        className="lsr-footer",
    )
