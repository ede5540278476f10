"""Social care: the social care family for an area vs its comparator group vs England."""

from __future__ import annotations

import dash
from dash import html

from dashboard.families.layout import family_layout
from dashboard.ui.page import needs_data

FAMILY = "social_care"

dash.register_page(
    __name__,
    path="/social-care",
    name="Social care",
    title="Social care – LSR Explorer",
    order=5,
)


@needs_data
def layout(**query: object) -> html.Div:
    return family_layout(FAMILY, query)
