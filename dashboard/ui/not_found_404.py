"""The page for an address no page serves (Dash's router shows it; the server answers 404)."""

from __future__ import annotations

import dash
from dash import html

from dashboard.ui.page import page, page_title

dash.register_page(
    __name__, path="/not-found", title=page_title("Page not found"), name="Page not found"
)


def layout(**_query: object) -> html.Div:
    return page(
        html.H1("Page not found"),
        html.P(
            "No page of LSR Explorer lives at this address. It may have been mistyped or "
            "cut short when it was copied.",
            className="lead",
        ),
        html.Ul(
            [
                html.Li(html.A("Select areas", href="/")),
                html.Li(html.A("Area profiles", href="/area")),
                html.Li(html.A("Methods & sources", href="/methods")),
            ]
        ),
        share=False,  # an address that shows nothing is not worth sharing
    )
