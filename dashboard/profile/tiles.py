"""One metric on the area profile: latest value and its interval, comparator, England,
verdicts and trend in words, sparkline, and links to the metric's family page and explorer.

Metrics with no data say "not available"; suppressed values say so in words. A page has ~50
tiles of ~30 elements each, so they are made with ``ui.elements.element``: the same Dash
components without their constructors' per-call argument checks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from dash import dcc, html

from dashboard import text
from dashboard.charts import mdc_icons, sparkline
from dashboard.profile.view import MetricSummary
from dashboard.ui.chart_card import synthetic_badge
from dashboard.ui.elements import element
from dashboard.ui.verdict import verdict_badge, verdict_for
from queries.recent_change import SPC, TREND, RecentChange

SUPPRESSED_TEXT = "suppressed (small numbers)"
TREND_ARROWS = {"increasing": "↑", "decreasing": "↓", "no significant change": "→"}
NOT_AVAILABLE_TEXT = "not available"
TILE_COLUMN = "col-12 col-sm-6 col-lg-4 col-xl-3 mb-3 lsr-tile-col"  # dbc.Col's classes


def metric_tile(
    summary: MetricSummary,
    *,
    explore_href: str,
    family_href: str | None = None,
    family_title: str | None = None,
    methods_href: str | None = None,
) -> html.Div:
    """A card per metric; a compact one when the data does not hold the metric."""
    metric, latest = summary.metric, summary.latest
    heading = element(html.H3, metric.short, className="h6 mb-1", title=metric.title)
    if latest is None:
        return _card(
            [heading, element(html.P, NOT_AVAILABLE_TEXT, className="text-muted mb-0")],
            className="lsr-tile lsr-tile-missing",
        )
    return _card(
        [
            heading,
            _headline(summary),
            _interval(summary),
            _benchmarks(summary),
            element(
                html.Div,
                [
                    verdict_badge(
                        verdict_for(latest, metric, "comparator_mean"), "comparator_mean"
                    ),
                    verdict_badge(verdict_for(latest, metric, "england_value"), "england_value"),
                ],
                className="lsr-verdicts",
            ),
            trend_text(summary),
            _sparkline(summary),
            _links(
                summary,
                explore_href=explore_href,
                family_href=family_href,
                family_title=family_title,
                methods_href=methods_href,
            ),
        ],
        className="lsr-tile h-100",
    )


def _card(children: list, *, className: str) -> html.Div:
    """Bootstrap's card as the plain elements it renders to: ~50 tiles a page, and plain
    elements are lighter to build, send and draw than the dbc components."""
    return element(
        html.Div, element(html.Div, children, className="card-body"), className=f"card {className}"
    )


def _links(
    summary: MetricSummary,
    *,
    explore_href: str,
    family_href: str | None,
    family_title: str | None,
    methods_href: str | None,
) -> html.Ul:
    """Where to go next; each link names the metric for screen-reader link lists."""
    short = summary.metric.short
    links = [
        element(
            dcc.Link,
            ["Explore over time", element(html.Span, f": {short}", className="visually-hidden")],
            href=explore_href,
            className="lsr-explore-link",
        )
    ]
    if family_href:
        links.append(
            element(
                dcc.Link,
                [
                    family_title or "Family page",
                    element(html.Span, f" (for {short})", className="visually-hidden"),
                ],
                href=family_href,
                className="lsr-family-link",
            )
        )
    if methods_href:
        links.append(
            element(
                html.A,
                [
                    "How is this calculated?",
                    element(html.Span, f" ({short})", className="visually-hidden"),
                ],
                href=methods_href,
                className="lsr-methods-link",
            )
        )
    return element(html.Ul, [element(html.Li, link) for link in links], className="lsr-tile-links")


def interval_text(summary: MetricSummary) -> str | None:
    """ "95 % CI a–b" in the metric's format, or None when the value has no interval."""
    interval = summary.interval
    if interval is None:
        return None
    metric = summary.metric
    return f"95 % CI {metric.format_value(interval[0])}–{metric.format_value(interval[1])}"


def trend_text(summary: MetricSummary) -> html.P:
    """Where the trend arrow goes: the Fingertips trend for annual series (arrow and words,
    read with the polarity), the Making Data Count icons and words for monthly and quarterly
    series, and a sentence saying why there is no trend test otherwise."""
    change = summary.recent_change
    if change.kind == SPC:
        return _spc_icons(change)
    if change.kind != TREND:
        return element(html.P, change.text, className="lsr-trend lsr-trend-none small mb-1")
    direction = change.direction
    arrow = TREND_ARROWS.get(direction)
    return element(
        html.P,
        [
            element(
                html.Span, arrow or "·", className="lsr-trend-arrow", **{"aria-hidden": "true"}
            ),
            " ",
            change.text,
        ],
        className=f"lsr-trend lsr-trend-{direction.replace(' ', '-')} small mb-1",
    )


def _spc_icons(change: RecentChange) -> html.P:
    """The variation (and assurance) icons with their text alternatives, then the words."""
    icons = []
    if change.variation:
        icons.append(_icon(mdc_icons.variation_svg(change.variation), change.variation))
    if change.assurance:
        icons.append(_icon(mdc_icons.assurance_svg(change.assurance), change.assurance))
    alternatives = [mdc_icons.VARIATION_ALT.get(change.variation)]
    alternatives.append(mdc_icons.ASSURANCE_ALT.get(change.assurance))
    return element(
        html.P,
        [*icons, " ", change.text],
        className="lsr-trend lsr-trend-spc small mb-1",
        title=". ".join(a for a in alternatives if a) or None,
    )


def _icon(document: str, key: str) -> html.Img:
    alt = mdc_icons.VARIATION_ALT.get(key) or mdc_icons.ASSURANCE_ALT[key]
    return element(
        html.Img,
        src=mdc_icons.data_uri(document),
        alt=alt,
        width=28,
        height=28,
        className=f"lsr-mdc-icon lsr-mdc-{key.replace('_', '-')} me-1",
    )


def _trend_meaning(direction: str, polarity: str) -> str:
    if polarity == "context":
        return ""
    better = (direction == "increasing") == (polarity == "higher_is_better")
    return ", getting better" if better else ", getting worse"


def _sparkline(summary: MetricSummary) -> html.Div:
    """An image whose title is its description for screen readers: the numbers are above."""
    spec = sparkline_spec(summary)
    history = summary.columns
    lines = {
        line.column: history.floats(line.column)
        for line in sparkline.LINES
        if line.column in history
    }
    return element(
        html.Div,
        element(
            html.Img,
            src=sparkline.data_uri(sparkline.svg_of_lines(lines, spec=spec)),
            alt=spec.title,
            className="lsr-sparkline-image",
        ),
        className="lsr-sparkline",
    )


def sparkline_spec(summary: MetricSummary) -> sparkline.SparklineSpec:
    """What the tile's trend line shows and where its values come from, as every chart says
    it: the image carries it (not drawn), so a saved sparkline explains itself."""
    metric, history = summary.metric, summary.columns
    period_type = metric.default_period_type
    parts = [metric.unit_for(period_type), text.period_type_name(period_type)]
    if "period_label" in history and not history.empty:
        labels = history.values("period_label")
        parts.append(f"{labels[0]} to {labels[-1]}")
    synthetic = bool(history.flags("is_synthetic").any())
    return sparkline.SparklineSpec(
        title=f"Trend of {metric.short}: area, comparators and England",
        subtitle=" · ".join(parts),
        source_note=text.source_note(
            text.source_name(metric),
            text.vintage_summary(history.values("vintage") if "vintage" in history else []),
            synthetic=synthetic,
            comparators=None,
        ),
    )


def _headline(summary: MetricSummary) -> html.P:
    metric, latest = summary.metric, summary.latest
    if latest.get("area_suppressed"):
        value = element(html.Span, SUPPRESSED_TEXT, className="lsr-tile-suppressed")
    else:
        value = element(
            html.Span, metric.format_value(latest.get("area_value")), className="lsr-tile-value"
        )
    unit = "" if metric.is_percentage else metric.unit_for(latest.get("period_type"))
    return element(
        html.P,
        [
            value,
            element(html.Span, f" {unit}", className="lsr-tile-unit"),
            element(html.Br),
            element(html.Span, latest.get("period_label"), className="text-muted me-2"),
            synthetic_badge() if latest.get("is_synthetic") else None,
        ],
        className="mb-1",
    )


def _interval(summary: MetricSummary) -> html.P | None:
    text = interval_text(summary)
    return element(html.P, text, className="lsr-tile-ci small text-muted mb-1") if text else None


def _benchmarks(summary: MetricSummary) -> html.P:
    metric, latest = summary.metric, summary.latest
    return element(
        html.P,
        [
            element(html.Span, "Comparators ", className="lsr-key lsr-key-comparator"),
            metric.format_value(latest.get("comparator_mean")),
            " · ",
            element(html.Span, "England ", className="lsr-key lsr-key-england"),
            metric.format_value(latest.get("england_value")),
        ],
        className="small mb-1",
    )


def family_sections(
    sections: list[tuple[str, list[MetricSummary]]],
    *,
    href_for: Callable[[MetricSummary], str],
    family_href_for: Callable[[MetricSummary], str | None] | None = None,
    methods_href_for: Callable[[MetricSummary], str | None] | None = None,
    findings: Mapping[str, list[str]] | None = None,
) -> html.Div:
    """A heading per family, its written findings (keyed by heading) and its tiles in a
    responsive grid."""

    def tile(summary: MetricSummary, title: str) -> html.Div:
        return metric_tile(
            summary,
            explore_href=href_for(summary),
            family_href=family_href_for(summary) if family_href_for else None,
            family_title=f"{title} page",
            methods_href=methods_href_for(summary) if methods_href_for else None,
        )

    return element(
        html.Div,
        [
            element(
                html.Section,
                [
                    element(html.H2, title, className="h4 mt-4 mb-3"),
                    _findings((findings or {}).get(title, [])),
                    element(
                        html.Div,
                        [
                            element(html.Div, tile(summary, title), className=TILE_COLUMN)
                            for summary in _available_first(summaries)
                        ],
                        className="row",
                    ),
                ],
                className="lsr-family-section",
            )
            for title, summaries in sections
        ],
        className="lsr-families",
    )


def _findings(sentences: list[str]) -> html.Div | None:
    if not sentences:
        return None
    return element(
        html.Div,
        [element(html.P, sentence, className="mb-1") for sentence in sentences],
        className="lsr-findings small mb-3 p-2",
    )


def _available_first(summaries: list[MetricSummary]) -> list[MetricSummary]:
    """Tiles with data lead; the "not available" ones follow, in catalogue order."""
    return sorted(summaries, key=lambda summary: summary.latest is None)
