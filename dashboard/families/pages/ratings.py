"""Care services & ratings: CQC ratings and care capacity for an area vs its comparators."""

from __future__ import annotations

import dash
from dash import html

from dashboard.families.layout import family_layout
from dashboard.ui.page import needs_data

FAMILY = "care_services"

dash.register_page(
    __name__,
    path="/ratings",
    name="Care services & ratings",
    title="Care services & ratings – LSR Explorer",
    order=7,
)


@needs_data
def layout(**query: object) -> html.Div:
    return family_layout(FAMILY, query)
