"""What the explorer shows under its controls for the chosen view: a sentence or two of
judgement in words, then each chart in a chart card (title, provenance, CSV, image export).
The view models build the figures (the page asks them); these functions only place them.

Trend keeps its original ids (``explorer-graph``, ``explorer-download-button``); the other
charts' CSV buttons use pattern-matching ids ``{"type": CSV_BUTTON, "chart": key}``.
"""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
from dash import html

from dashboard import series_view, theme
from dashboard.charts import mdc_icons
from dashboard.charts import spc as spc_chart
from dashboard.explore import view as explorer
from dashboard.explore.ranking import RankingView, ranking_view
from dashboard.explore.reviewed import ReviewedView, reviewed_view
from dashboard.explore.spc import SpcView, spc_view
from dashboard.explore.trend import Statement, TrendSummary, trend_summary
from dashboard.series_view import ExplorerView
from dashboard.ui.chart_card import CardFooter, chart_card, image_filename
from queries.store import DataStore

GRAPH = "explorer-graph"
DOWNLOAD = "explorer-download"
DOWNLOAD_BUTTON = "explorer-download-button"
CSV = "explorer-csv"
CSV_BUTTON = "explorer-csv-button"


@dataclass(frozen=True)
class Chart:
    """One chart card's content."""

    key: str
    title: str
    figure: go.Figure
    footer: CardFooter
    empty_message: str | None
    subtitle: str | None = None
    description: str | None = None  # what screen readers get instead of the chart


def spc_panels(spc: SpcView, figure: go.Figure) -> list:
    """The variation summary and the SPC chart's card."""
    footer = _footer(
        spc.explorer, synthetic=spc.synthetic, comparator="not used in SPC charts", notes=spc.notes
    )
    description = _joined(spc.latest_category, spc.summary())
    chart = Chart("spc", spc.title, figure, footer, spc.message, spc.subtitle, description)
    return [_spc_summary(spc.latest_category, spc.summary(), spc), _card(chart)]


def ranking_panels(ranked: RankingView, ranking: go.Figure, funnel: go.Figure) -> list:
    """The ranking summary, then the ranking's and the funnel plot's cards."""
    return [
        _sentences([ranked.summary()], label="Ranking"),
        *(_card(c) for c in _ranking_charts(ranked, ranking, funnel)),
    ]


def reviewed_panels(reviewed: ReviewedView, figure: go.Figure) -> list:
    """The reviewed areas' small multiples in one card."""
    footer = _footer(
        reviewed.explorer,
        synthetic=reviewed.synthetic,
        vintage=reviewed.vintage,
        comparator=reviewed.comparators,
    )
    message, description = reviewed.empty_message(), reviewed.description()
    return [
        _card(
            Chart(
                "reviewed", reviewed.title, figure, footer, message, reviewed.subtitle, description
            )
        )
    ]


def trend_panels(view: ExplorerView, figure: go.Figure) -> list:
    """The latest value and its judgements in words, then the trend chart's card."""
    return [_trend_summary(trend_summary(view)), _trend_card(view, figure)]


def csv_for(store: DataStore, key: str, view: ExplorerView) -> dict:
    """The dcc.Download payload for one chart: exactly its plotted rows with metadata."""
    if key == "spc":
        spc = spc_view(view)
        title, content = spc.title, spc.csv_text()
    elif key in ("ranking", "funnel"):
        ranked = ranking_view(store, view)
        title, content = ranked.title(key), ranked.csv_text(key)
    elif key == "reviewed":
        reviewed = reviewed_view(store, view)
        title, content = reviewed.title, reviewed.csv_text()
    else:
        title, content = view.title, explorer.csv_text(view)
    return {"content": content, "filename": f"{image_filename(title)}.csv", "type": "text/csv"}


def _ranking_charts(ranked: RankingView, ranking: go.Figure, funnel: go.Figure) -> list[Chart]:
    view = ranked.explorer
    note = ranked.missing_note()
    ranking_empty = None if not ranked.ranked.empty else "No council has a value for this period."
    footer = _footer(
        view,
        synthetic=ranked.synthetic,
        vintage=ranked.vintage,
        comparator=ranked.comparators,
        notes=(note,) if note else (),
    )
    limits_note = ranked.limits_note()
    funnel_footer = _footer(
        view,
        synthetic=ranked.synthetic,
        vintage=ranked.vintage,
        comparator=ranked.comparators,
        notes=tuple(text for text in (note, limits_note) if text),
    )
    return [
        Chart(
            "ranking",
            ranked.title("ranking"),
            ranking,
            footer,
            ranking_empty,
            subtitle=ranked.subtitle("ranking"),
            description=ranked.summary(),
        ),
        Chart(
            "funnel",
            ranked.title("funnel"),
            funnel,
            funnel_footer,
            ranked.funnel_message(),
            subtitle=ranked.subtitle("funnel"),
            description=ranked.summary(),
        ),
    ]


def _footer(
    view: ExplorerView,
    *,
    synthetic: bool,
    comparator: str,
    vintage: str | None = None,
    notes: tuple[str, ...] = (),
) -> CardFooter:
    return CardFooter(
        source=view.source_name,
        vintage=vintage or view.vintage,
        synthetic=synthetic,
        comparator=comparator,
        note=" ".join(notes) or None,
    )


def _card(chart: Chart):
    return chart_card(
        chart.figure,
        graph_id=f"explorer-{chart.key}-graph",
        title=chart.title,
        footer=chart.footer,
        download_button_id={"type": CSV_BUTTON, "chart": chart.key},
        download_id={"type": CSV, "chart": chart.key},
        empty_message=chart.empty_message,
        subtitle=chart.subtitle,
        description=chart.description,
    )


def _joined(*parts: str | None) -> str | None:
    texts = [p for p in parts if p]
    return ": ".join(texts) if texts else None


def _trend_card(view: ExplorerView, figure: go.Figure):
    footer = CardFooter(
        source=view.source_name,
        vintage=view.vintage,
        synthetic=view.synthetic,
        comparator=f"mean and min–max range of {view.comparator_text}",
        note=(
            f"{view.suppressed_count} period(s) suppressed (small numbers) for {view.area_name}."
            if view.suppressed_count
            else None
        ),
    )
    return chart_card(
        figure,
        graph_id=GRAPH,
        title=view.title,
        footer=footer,
        download_button_id=DOWNLOAD_BUTTON,
        download_id=DOWNLOAD,
        empty_message=series_view.empty_message(view),
    )


def _badge(statement: Statement) -> html.Span:
    """A judgement in words on its verdict colour (the words carry it; colour only repeats)."""
    verdict = statement.verdict if statement.verdict in theme.VERDICT_COLOURS else "not compared"
    foreground = "#0B0C0C" if verdict == "not compared" else "#FFFFFF"
    return html.Span(
        statement.text,
        className=f"lsr-verdict lsr-verdict-{verdict.replace(' ', '-')}",
        style={"backgroundColor": theme.VERDICT_COLOURS[verdict], "color": foreground},
    )


def _trend_summary(summary: TrendSummary | None) -> html.Section:
    if summary is None:
        return _sentences([None], label="Latest")
    return html.Section(
        [
            html.P(
                [html.Strong("Latest "), summary.latest],
                className="lsr-explorer-latest mb-1",
            ),
            html.Div(
                [_badge(s) for s in (*summary.comparisons, summary.trend)],
                className="lsr-verdicts",
            ),
            *(
                html.P(text, className="small mb-0")
                for text in [*summary.runs, summary.note]
                if text
            ),
        ],
        className="lsr-explorer-summary",
        **{"aria-label": "Summary"},
    )


def _sentences(sentences: list[str | None], *, label: str) -> html.Section:
    texts = [s for s in sentences if s]
    return html.Section(
        [html.P([html.Strong(f"{label}: "), text], className="mb-0") for text in texts],
        className="lsr-explorer-summary" if texts else "d-none",
        **{"aria-label": label},
    )


def _spc_summary(category: str | None, text: str | None, spc: SpcView) -> html.Section:
    """The Making Data Count icons (with their text alternatives) and the variation category as
    a labelled badge (MDC colours), then why; trial limits and other notes below."""
    if category is None or text is None:
        return _sentences([None], label="Variation")
    badge = html.Span(
        category.capitalize(),
        className="lsr-verdict lsr-spc-category",
        style={"backgroundColor": spc_chart.COLOURS[category], "color": "#FFFFFF"},
    )
    icons = []
    if spc.variation_icon:
        icons.append(_icon(mdc_icons.variation_svg(spc.variation_icon), spc.variation_icon))
    if spc.assurance_icon:
        icons.append(_icon(mdc_icons.assurance_svg(spc.assurance_icon), spc.assurance_icon))
    warnings = [n for n in spc.notes if n.startswith("Trial limits")]
    return html.Section(
        [
            html.Div(icons, className="lsr-mdc-icons mb-1") if icons else None,
            html.P([html.Strong("Variation: "), badge, " ", text], className="mb-0"),
            *(
                html.P(warning, className="lsr-spc-trial small mb-0 text-danger")
                for warning in warnings
            ),
        ],
        className="lsr-explorer-summary",
        **{"aria-label": "Variation"},
    )


def _icon(document: str, key: str) -> html.Img:
    alt = mdc_icons.VARIATION_ALT.get(key) or mdc_icons.ASSURANCE_ALT[key]
    return html.Img(
        src=mdc_icons.data_uri(document),
        alt=alt,
        title=alt,
        width=44,
        height=44,
        className=f"lsr-mdc-icon lsr-mdc-{key.replace('_', '-')} me-2",
    )
