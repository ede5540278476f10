"""One metric on the area profile: latest value, comparator, England, verdicts, sparkline.

Metrics with no data say "not available"; suppressed values say so in words.
"""

from __future__ import annotations

from collections.abc import Callable

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.charts import sparkline
from dashboard.components.chart_card import synthetic_badge
from dashboard.components.verdict import verdict_badge, verdict_for
from dashboard.views.profile import MetricSummary

SUPPRESSED_TEXT = "suppressed (small numbers)"
NOT_AVAILABLE_TEXT = "not available"
STATIC_GRAPH = {"staticPlot": True, "displayModeBar": False}


def metric_tile(summary: MetricSummary, *, explore_href: str) -> dbc.Card:
    """A card per metric; a compact one when the data does not hold the metric."""
    metric, latest = summary.metric, summary.latest
    heading = html.H3(metric.short, className="h6 mb-1", title=metric.title)
    if latest is None:
        return dbc.Card(
            dbc.CardBody([heading, html.P(NOT_AVAILABLE_TEXT, className="text-muted mb-0")]),
            className="lsr-tile lsr-tile-missing",
        )
    return dbc.Card(
        dbc.CardBody(
            [
                heading,
                _headline(summary),
                _benchmarks(summary),
                html.Div(
                    [
                        verdict_badge(
                            verdict_for(latest, metric, "comparator_mean"), "comparator_mean"
                        ),
                        verdict_badge(
                            verdict_for(latest, metric, "england_value"), "england_value"
                        ),
                    ],
                    className="lsr-verdicts",
                ),
                _sparkline(summary),
                dcc.Link("Explore over time", href=explore_href, className="lsr-explore-link"),
            ]
        ),
        className="lsr-tile h-100",
    )


def _sparkline(summary: MetricSummary) -> html.Div:
    """Decorative for screen readers beyond a one-line description: the numbers are above."""
    figure = sparkline.build(summary.history, spec=sparkline.SparklineSpec())
    return html.Div(
        dcc.Graph(figure=figure, config=STATIC_GRAPH),
        className="lsr-sparkline",
        role="img",
        **{"aria-label": f"Trend of {summary.metric.short}: area, comparators and England"},
    )


def _headline(summary: MetricSummary) -> html.P:
    metric, latest = summary.metric, summary.latest
    if latest.get("area_suppressed"):
        value = html.Span(SUPPRESSED_TEXT, className="lsr-tile-suppressed")
    else:
        value = html.Span(metric.format_value(latest.get("area_value")), className="lsr-tile-value")
    unit = "" if metric.is_percentage else metric.unit
    return html.P(
        [
            value,
            html.Span(f" {unit}", className="lsr-tile-unit"),
            html.Br(),
            html.Span(latest.get("period_label"), className="text-muted me-2"),
            synthetic_badge() if latest.get("is_synthetic") else None,
        ],
        className="mb-1",
    )


def _benchmarks(summary: MetricSummary) -> html.P:
    metric, latest = summary.metric, summary.latest
    return html.P(
        [
            html.Span("Comparators ", className="lsr-key lsr-key-comparator"),
            metric.format_value(latest.get("comparator_mean")),
            html.Span(" · "),
            html.Span("England ", className="lsr-key lsr-key-england"),
            metric.format_value(latest.get("england_value")),
        ],
        className="small mb-1",
    )


def family_sections(
    sections: list[tuple[str, list[MetricSummary]]], *, href_for: Callable[[MetricSummary], str]
) -> html.Div:
    """A heading per family and its tiles in a responsive grid."""
    return html.Div(
        [
            html.Section(
                [
                    html.H2(title, className="h4 mt-4 mb-3"),
                    dbc.Row(
                        [
                            dbc.Col(
                                metric_tile(summary, explore_href=href_for(summary)),
                                xs=12,
                                sm=6,
                                lg=4,
                                xl=3,
                                className="mb-3",
                            )
                            for summary in _available_first(summaries)
                        ]
                    ),
                ]
            )
            for title, summaries in sections
        ]
    )


def _available_first(summaries: list[MetricSummary]) -> list[MetricSummary]:
    """Tiles with data lead; the "not available" ones follow, in catalogue order."""
    return sorted(summaries, key=lambda summary: summary.latest is None)
