"""Start page. For now it points to the default area's profile; it becomes Select areas."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard import reference
from dashboard.components.page import needs_data, page
from dashboard.urls import ProfileState, profile_href

dash.register_page(__name__, path="/", name="Home", title="LSR Explorer", order=0)


@needs_data
def layout(**_query: object) -> html.Div:
    choices = reference.choices()
    area = choices.default_area
    href = profile_href(ProfileState(area=area, method=choices.methods[0]))
    return page(
        html.H1("LSR Explorer"),
        html.P(
            "How does each English council compare with similar councils and with England "
            "on the metrics of the health and social care interface?",
            className="lead",
        ),
        html.Ul(
            [
                html.Li(
                    dcc.Link(
                        f"Area profile: {choices.areas[area]}", href=href, id="home-profile-link"
                    )
                ),
                html.Li(dcc.Link("Metric explorer", href="/metric")),
            ],
            className="lsr-home-links",
        ),
    )
