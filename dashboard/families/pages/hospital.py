"""Hospital activity: the hospital family for an area vs its comparator group vs England."""

from __future__ import annotations

import dash
from dash import html

from dashboard.families.layout import family_layout
from dashboard.ui.page import needs_data

FAMILY = "hospital"

dash.register_page(
    __name__,
    path="/hospital",
    name="Hospital activity",
    title="Hospital activity – LSR Explorer",
    order=3,
)


@needs_data
def layout(**query: object) -> html.Div:
    return family_layout(FAMILY, query)
