"""Delayed transfers: the dtoc family for an area vs its comparator group vs England."""

from __future__ import annotations

import dash
from dash import html

from dashboard.families.layout import family_layout
from dashboard.ui.page import needs_data

FAMILY = "dtoc"

dash.register_page(
    __name__,
    path="/dtoc",
    name="Delayed transfers",
    title="Delayed transfers – LSR Explorer",
    order=4,
)


@needs_data
def layout(**query: object) -> html.Div:
    return family_layout(FAMILY, query)
