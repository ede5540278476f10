"""Who the area is: type, region, population, age structure, deprivation and its comparators.

Shown above the tiles so every number below is read against the area's context.
"""

from __future__ import annotations

from collections.abc import Mapping

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import text
from dashboard.urls import ProfileState, profile_href


def context_header(area: Mapping, *, picker: html.Div) -> html.Section:
    """The area's name as the page heading, its context figures and the area picker."""
    badges = [
        dbc.Badge("Reviewed area", color="primary", className="ms-3 lsr-reviewed-badge")
        if area.get("reviewed")
        else None
    ]
    facts = [
        ("Type", text.LA_TYPE_NAMES.get(area.get("la_type"), area.get("la_type") or "–")),
        ("Region", area.get("region") or "–"),
        ("Population", text.whole_number(area.get("pop_all"))),
        ("Aged 65+", text.percent(area.get("pct_65plus"))),
        ("Aged 85+", text.percent(area.get("pct_85plus"))),
        ("Deprivation decile", _decile(area.get("imd_decile"))),
    ]
    return html.Section(
        [
            dbc.Row(
                [
                    html.Div(
                        [
                            html.H1([area["name"], *badges], id="area-heading", className="mb-1"),
                            html.P(area["area_code"], className="text-muted mb-2"),
                        ],
                        className="col-md",
                    ),
                    picker,
                ],
                className="align-items-end",
            ),
            html.Dl(
                [item for label, value in facts for item in (html.Dt(label), html.Dd(value))],
                className="lsr-facts",
            ),
        ],
        className="lsr-context mb-3",
        **{"aria-labelledby": "area-heading"},
    )


def comparator_panel(peers: pd.DataFrame, *, state: ProfileState, picker: html.Div) -> html.Section:
    """The comparator method picker and its peers, each linking to its own profile."""
    items = [
        html.Li(dcc.Link(name, href=profile_href(ProfileState(code, state.method))))
        for code, name in zip(peers["area_code"], peers["name"], strict=True)
    ]
    listing = (
        html.Ol(items, className="lsr-peers")
        if items
        else html.P("This method has no comparator group for the area.", className="text-muted")
    )
    return html.Section(
        dbc.Row(
            [
                picker,
                html.Div(
                    [
                        html.H2(f"Comparator group: {len(items)} councils", className="h6 fw-bold"),
                        listing,
                    ],
                    className="col-md",
                ),
            ]
        ),
        className="lsr-comparators mb-4",
    )


def _decile(value: object) -> str:
    try:
        return f"{int(value)} of 10 (1 = most deprived)"
    except (TypeError, ValueError):
        return "–"
