"""Continuing healthcare: the chc family for an area vs its comparator group vs England."""

from __future__ import annotations

import dash
from dash import html

from dashboard.families.layout import family_layout
from dashboard.ui.page import needs_data

FAMILY = "chc"

dash.register_page(
    __name__,
    path="/chc",
    name="Continuing healthcare",
    title="Continuing healthcare – LSR Explorer",
    order=6,
)


@needs_data
def layout(**query: object) -> html.Div:
    return family_layout(FAMILY, query)
