"""A family page chart in the shared chart card, plus links into the Metric explorer and the
notes that explain missing or suppressed values in place."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.families.chart_views import ChartView
from dashboard.ui.chart_card import CardFooter, chart_card

GRAPH = "family-graph"
DOWNLOAD = "family-download"
DOWNLOAD_BUTTON = "family-download-button"


def ids(key: str) -> dict[str, dict]:
    """Pattern-matching download ids, so one callback serves every chart of every page."""
    return {
        "graph": f"{GRAPH}-{key}",  # a string: the card derives its own ids from it
        "download": {"type": DOWNLOAD, "chart": key},
        "button": {"type": DOWNLOAD_BUTTON, "chart": key},
    }


def family_card(view: ChartView) -> dbc.Card:
    chart_ids = ids(view.chart.key)
    footer = CardFooter(
        source=view.source_name,
        vintage=view.vintage,
        synthetic=view.synthetic,
        comparator=view.comparator,
        note=" ".join(view.notes) or None,
    )
    card = chart_card(
        view.figure,
        graph_id=chart_ids["graph"],
        title=view.title,
        footer=footer,
        download_button_id=chart_ids["button"],
        download_id=chart_ids["download"],
        empty_message=view.empty_message,
        subtitle=view.subtitle,
        heading_level=3,
    )
    if view.empty_message:
        card.children.insert(1, html.P(view.subtitle, className="px-3 small text-muted mb-0"))
    if view.links and not view.empty_message:
        card.children.insert(2, _links(view.links))
    card.className = f"{card.className} lsr-family-card h-100"
    card.id = f"card-{view.chart.key}"
    return card


def _links(links: list[tuple[str, str]]) -> html.Ul:
    return html.Ul(
        [
            html.Li(
                dcc.Link(
                    [html.I(className="bi bi-graph-up me-1", **{"aria-hidden": "true"}), label],
                    href=href,
                    className="lsr-explore-link",
                )
            )
            for label, href in links
        ],
        className="lsr-family-links list-inline px-3 mb-1",
    )
