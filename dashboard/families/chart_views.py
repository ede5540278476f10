"""One chart of a family page: its plotted rows, titles, figure and provenance, computed from
the query API with no Dash in it. The CSV of a chart is exactly its plotted rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import text, urls
from dashboard.charts import stacked
from dashboard.families import figures as family_figures
from dashboard.families import rows as family_rows
from dashboard.families.definitions import RATING_BARS, SPC, STACK, TREND, ChartDef
from dashboard.families.figures import COMPARATOR_BAR, ENGLAND_BAR, component_label
from dashboard.families.state import FamilyState
from dashboard.spc import model as spc_model
from dashboard.ui.csv_export import provenance_csv, synthetic_text
from queries import family, periods
from queries.catalogue import Metric, load_catalogue
from queries.store import DataStore

NOT_AVAILABLE = "Not available in the published data."
NO_PERIODS = "No data in the chosen period range."
TREND_COLUMNS = (
    "panel",
    "breakdown_value",
    "period_label",
    "period_start",
    "area_value",
    "area_lower",
    "area_upper",
    "area_suppressed",
    "area_is_synthetic",
    "comparator_mean",
    "comparator_min",
    "comparator_max",
    "comparator_n",
    "england_value",
    "is_synthetic",
)


@dataclass(frozen=True)
class Context:
    """What every chart of one page view shares."""

    store: DataStore
    state: FamilyState
    area_name: str
    availability: family.Availability
    peer_count: int
    every_area: family.AllAreas | None = None  # the page's series for every council

    def series(self, request: family.BreakdownRequest) -> pd.DataFrame:
        """The request's rows: a slice of ``every_area`` when it holds them, else a query."""
        frame, rows = self.series_rows(request)
        return frame.take(rows).reset_index(drop=True)

    def series_rows(self, request: family.BreakdownRequest) -> tuple[pd.DataFrame, np.ndarray]:
        """A frame (read it, never change it) and the positions of the request's rows in it:
        ``every_area``'s rows of every council when it holds them, else the query's."""
        found = self.every_area.rows_of(request) if self.every_area else None
        if found is not None:
            return found
        frame = family.breakdown_series(self.store, request)
        return frame, np.arange(len(frame))


@dataclass
class ChartView(text.PlottedProvenance):
    chart: ChartDef
    metric: Metric
    title: str
    subtitle: str
    frame: pd.DataFrame  # exactly the plotted rows
    columns: tuple[str, ...]  # the exported columns, in order
    empty_message: str | None = None
    notes: list[str] = field(default_factory=list)
    comparator: str = ""
    period_type: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    figure: go.Figure | None = None
    source_note: str = ""

    @cached_property
    def vintage(self) -> str:
        """``PlottedProvenance.vintage``, worked out once: the source note baked into the
        figure and the card's footer both say it (a monthly series has ~100 vintages)."""
        return text.PlottedProvenance.vintage.fget(self)

    @property
    def breakdown_text(self) -> str | None:
        """The breakdown and its values plotted ("Responsible org: NHS, Social care"), None
        for a headline chart."""
        if self.chart.breakdown == family.HEADLINE or "breakdown_value" not in self.frame:
            return None
        values = dict.fromkeys(self.frame["breakdown_value"])
        labels = [family.value_label(self.metric, self.chart.breakdown, v) for v in values]
        return text.breakdown_text(self.chart.breakdown, labels)

    def csv_text(self, state: FamilyState, area_name: str) -> str:
        """The plotted rows after '#' lines saying what they are and where they come from."""
        metadata = {
            "title": self.title,
            "metric": f"{self.metric.id} — {self.metric.title}",
            "area": f"{area_name} ({state.area})",
            "unit": self.subtitle,
            "period type": self.period_type,
            **({"breakdown": self.breakdown_text} if self.breakdown_text else {}),
            "comparator method": state.method,
            "comparator": self.comparator,
            "source": self.source_name,
            "vintage": self.vintage,
            "synthetic data": synthetic_text(self.synthetic),
            "licence": self.licence,
        }
        columns = [c for c in self.columns if c in self.frame.columns]
        return provenance_csv(metadata, self.frame[columns])


def chart_view(context: Context, chart: ChartDef) -> ChartView:
    metric = load_catalogue().get(chart.metric_id)
    view = VIEWS[chart.kind](context, chart, metric)
    view.source_note = source_note(view)
    view.figure = family_figures.figure(view, area_name=context.area_name, show=context.state.show)
    return view


def series_keys(context: Context, charts: Iterable[ChartDef]) -> tuple[family.SeriesKey, ...]:
    """Every series the charts will ask ``context.series`` for (the rating bars' one per
    service type), so that one query can fetch them all."""
    keys = []
    for chart in charts:
        metric = load_catalogue().get(chart.metric_id)
        if chart.kind == RATING_BARS:
            keys += [
                family.SeriesKey(metric.id, "snapshot", _service_type(group))
                for group in chart.values
            ]
        elif not _missing(context, chart, metric):
            period_type, _why = _period_type(context, chart, metric)
            keys.append(family.SeriesKey(metric.id, period_type, chart.breakdown))
    return tuple(dict.fromkeys(keys))


def _period_type(context: Context, chart: ChartDef, metric: Metric) -> tuple[str, str | None]:
    """The period type a chart shows and, when it differs from the page's, why."""
    wanted = chart.period_type or context.state.period_type
    shown = context.availability.period_type_for(metric, wanted, chart.breakdown)
    if chart.period_type or shown == wanted:
        return shown, None
    return shown, f"not published as {text.period_type_name(wanted).lower()}"


def _missing(context: Context, chart: ChartDef, metric: Metric) -> str | None:
    if not context.availability.has(metric.id):
        return NOT_AVAILABLE
    if not context.availability.has(metric.id, breakdown=chart.breakdown):
        what = chart.breakdown.replace("_", " ")
        return f"The breakdown by {what} is not available in the published data."
    return None


def _series(context: Context, chart: ChartDef, metric: Metric, period_type: str) -> pd.DataFrame:
    """The chart's rows: its breakdown values in the chart's order, each oldest first, within
    the state's period range."""
    request = family.BreakdownRequest(
        metric_id=metric.id,
        area_code=context.state.area,
        method=context.state.method,
        period_type=period_type,
        breakdown=chart.breakdown,
    )
    frame, rows = context.series_rows(request)
    values = chart.values or tuple(metric.breakdowns.get(chart.breakdown, {}))
    return family_rows.chart_rows(
        frame,
        rows,
        values=values if chart.breakdown != family.HEADLINE else (),
        period_from=context.state.period_from,
        period_to=context.state.period_to,
    )


def _subtitle(unit: str, period_type: str, frame: pd.DataFrame, why: str | None) -> str:
    parts = [unit, text.period_type_name(period_type) + (f" ({why})" if why else "")]
    if not frame.empty:
        labels = list(dict.fromkeys(frame["period_label"]))
        parts.append(labels[0] if len(labels) == 1 else f"{labels[0]} to {labels[-1]}")
    return " · ".join(parts)


def _explorer(context: Context, metric: Metric, period_type: str, breakdown: str, value: str):
    state = context.state
    return urls.explorer_href(
        urls.ExplorerState(
            metric_id=metric.id,
            area=state.area,
            method=state.method,
            period_type=period_type,
            breakdown=breakdown,
            breakdown_value=value,
            period_from=state.period_from if period_type == state.period_type else None,
            period_to=state.period_to if period_type == state.period_type else None,
        )
    )


def _comparator_text(context: Context) -> str:
    return (
        f"mean and min–max range of {context.peer_count} similar councils, "
        f"method “{context.state.method}”"
    )


def _trend(context: Context, chart: ChartDef, metric: Metric) -> ChartView:
    period_type, why = _period_type(context, chart, metric)
    missing = _missing(context, chart, metric)
    frame = pd.DataFrame() if missing else _series(context, chart, metric, period_type)
    if not frame.empty:
        frame["panel"] = frame["breakdown_label"] if chart.breakdown != family.HEADLINE else ""
        if not chart.england:
            frame["england_value"] = float("nan")
    view = ChartView(
        chart=chart,
        metric=metric,
        title=f"{chart.what} — {context.area_name} vs comparators"
        + (" vs England" if chart.england else ""),
        subtitle=_subtitle(metric.unit_for(period_type), period_type, frame, why),
        frame=frame,
        columns=TREND_COLUMNS + ("vintage",),
        empty_message=missing or _empty(frame, ("area_value", "comparator_mean", "england_value")),
        comparator=_comparator_text(context),
        period_type=period_type,
    )
    if chart.breakdown == family.HEADLINE:
        view.links = [
            ("Open in Metric explorer", _explorer(context, metric, period_type, "all", "all"))
        ]
    else:
        for value in dict.fromkeys(frame.get("breakdown_value", [])):
            label = family.value_label(metric, chart.breakdown, value)
            href = _explorer(context, metric, period_type, chart.breakdown, value)
            view.links.append((f"Open {label} in Metric explorer", href))
    view.notes += _area_notes(frame, context.area_name)
    if not chart.england:
        view.notes.append("England is not shown: it is a count, not comparable with one council.")
    return view


def _empty(frame: pd.DataFrame, columns: tuple[str, ...]) -> str | None:
    if frame.empty:
        return NO_PERIODS
    present = [c for c in columns if c in frame.columns]
    if all(frame[column].isna().all() for column in present):  # a column at a time: ~20x faster
        return NOT_AVAILABLE
    return None


def _area_notes(frame: pd.DataFrame, area_name: str) -> list[str]:
    if frame.empty:
        return []
    notes = []
    suppressed = int(frame["area_suppressed"].sum())
    if suppressed:
        notes.append(f"{suppressed} value(s) for {area_name} suppressed (small numbers).")
    if frame["area_value"].isna().all() and not suppressed:
        notes.append(f"{area_name}: not available in the published data; others are shown.")
    return notes


def _stack(context: Context, chart: ChartDef, metric: Metric) -> ChartView:
    period_type, why = _period_type(context, chart, metric)
    missing = _missing(context, chart, metric)
    frame = pd.DataFrame() if missing else _series(context, chart, metric, period_type)
    shares = context.state.show == "shares" or metric.is_percentage
    plotted = pd.DataFrame()
    if not frame.empty:
        plotted = frame[
            [
                "period_label",
                "period_start",
                "breakdown_value",
                "area_value",
                "area_suppressed",
                "area_is_synthetic",
                "is_synthetic",
                "vintage",
            ]
        ].rename(columns={"breakdown_value": "component_code", "area_value": "rate"})
        codes = plotted["component_code"].tolist()
        labels = {code: component_label(metric, chart.breakdown, code) for code in set(codes)}
        plotted.insert(2, "component", [labels[code] for code in codes])
        plotted["share"] = stacked.to_shares(plotted, by=["period_label"], value="rate")
        plotted["value"] = plotted["share"] if shares else plotted["rate"]
    unit = "% of the total" if shares else metric.unit_for(period_type)
    view = ChartView(
        chart=chart,
        metric=metric,
        title=f"{chart.what} — {context.area_name}",
        subtitle=_subtitle(unit, period_type, plotted, why),
        frame=plotted,
        columns=(
            "period_label",
            "period_start",
            "component",
            "component_code",
            "rate",
            "share",
            "area_suppressed",
            "is_synthetic",
            "vintage",
        ),
        empty_message=missing or _empty(plotted, ("value",)),
        comparator=f"not shown: this chart is {context.area_name} only",
        period_type=period_type,
        links=[("Open in Metric explorer", _explorer(context, metric, period_type, "all", "all"))],
    )
    if shares and not metric.is_percentage:
        view.notes.append("Shares of each period's total; the rates are in the CSV.")
    return view


SPC_COLUMNS = (*spc_model.EXPORT_COLUMNS, "vintage")


def _spc(context: Context, chart: ChartDef, metric: Metric) -> ChartView:
    """An XmR chart of the area's headline series, rebased and screened as the URL says."""
    period_type, why = _period_type(context, chart, metric)
    missing = _missing(context, chart, metric)
    frame = pd.DataFrame() if missing else _series(context, chart, metric, period_type)
    present = frame[frame["area_value"].notna()] if not frame.empty else frame
    notes: list[str] = []
    plotted, rebased = pd.DataFrame(), ()
    if len(present) >= spc_model.MIN_POINTS:
        plotted, rebased = spc_model.spc_chart(
            present.assign(is_synthetic=present["area_is_synthetic"].fillna(False)),
            metric.polarity,
            baseline=None,
            rebase=context.state.rebase,
            screen=context.state.screen,
            notes=notes,
        )
    screening = "moving-range outliers " + ("screened" if context.state.screen else "not screened")
    subtitle = " · ".join(
        [_subtitle(metric.unit, period_type, plotted, why)]
        + ([f"rebased at {', '.join(rebased)}"] if rebased else [])
        + ([screening] if not plotted.empty else [])
    )
    explorer_href = urls.explorer_href(
        urls.ExplorerState(
            metric.id,
            context.state.area,
            context.state.method,
            period_type,
            view="spc",
            rebase=context.state.rebase,
            screen=context.state.screen,
        )
    )
    too_short = (
        f"An SPC chart needs at least {spc_model.MIN_POINTS} periods with a value for "
        f"{context.area_name}; the chosen range has {len(present)}."
    )
    return ChartView(
        chart=chart,
        metric=metric,
        title=f"{chart.what} — {context.area_name}: SPC chart (XmR)",
        subtitle=subtitle,
        frame=plotted,
        columns=SPC_COLUMNS,
        empty_message=missing or (too_short if plotted.empty else None),
        notes=notes,
        comparator="not used in SPC charts",
        period_type=period_type,
        links=[("Rebase or screen in the Metric explorer's SPC view", explorer_href)],
    )


def snapshot_for(context: Context, metric: Metric) -> date | None:
    snapshots = context.availability.period_starts("snapshot", [metric.id])
    if context.state.at in snapshots:
        return context.state.at
    return snapshots[-1] if snapshots else None


RATING_SOURCES = {  # a rating bar's column: the series' column it comes from (None: the bar's)
    "breakdown_value": "breakdown_value",
    "component": "breakdown_label",
    "published_value": None,
    "is_synthetic": "is_synthetic",
    "vintage": "vintage",
}
RATING_COLUMNS = (*RATING_SOURCES, "group", "bar")


def _rating_bars(context: Context, chart: ChartDef, metric: Metric) -> ChartView:
    """Rating mix per service type at one snapshot: area, comparator mean and England bars,
    each rescaled to 100 % (peer means of shares need not sum to exactly 100)."""
    at = snapshot_for(context, metric)
    parts: dict[str, list[np.ndarray]] = {name: [] for name in RATING_COLUMNS}
    dtypes: dict[str, object] = {}  # each column's as in the series (group and bar inferred)
    notes = []
    for group in chart.values:
        group_label = metric.breakdowns["service_type"].get(group, group)
        frame = _rating_rows(context, metric, group, at)
        if frame.empty:
            notes.append(f"{group_label}: not available in the published data.")
            continue
        if frame["area_value"].isna().all():
            notes.append(f"{context.area_name} has no rated {group_label.lower()} locations.")
        for bar, column in (
            (context.area_name, "area_value"),
            (COMPARATOR_BAR, "comparator_mean"),
            (ENGLAND_BAR, "england_value"),
        ):
            for name, source in RATING_SOURCES.items():
                values = frame[column if source is None else source]
                parts[name].append(values.to_numpy())
                dtypes.setdefault(name, values.dtype)
            parts["group"].append(np.full(len(frame), group_label, dtype=object))
            parts["bar"].append(np.full(len(frame), bar, dtype=object))
    plotted = pd.DataFrame()
    if parts["bar"]:  # one frame from the columns, not a frame per bar and a concat
        plotted = pd.DataFrame(
            {
                name: pd.Series(np.concatenate(found), dtype=dtypes.get(name))
                for name, found in parts.items()
            }
        )
    if not plotted.empty:
        plotted["value"] = stacked.to_shares(plotted, by=["group", "bar"], value="published_value")
    label = periods.label(at, "snapshot") if at else "no snapshot published"
    return ChartView(
        chart=chart,
        metric=metric,
        title=f"{chart.what} — {context.area_name} vs comparators vs England",
        subtitle=f"% of rated locations · snapshot {label}",
        frame=plotted,
        columns=(
            "group",
            "bar",
            "component",
            "breakdown_value",
            "value",
            "published_value",
            "is_synthetic",
            "vintage",
        ),
        empty_message=NOT_AVAILABLE if plotted.empty else _empty(plotted, ("value",)),
        notes=notes,
        comparator=_comparator_text(context).replace("mean and min–max range", "mean"),
        period_type="snapshot",
        links=[("Open in Metric explorer", _explorer(context, metric, "snapshot", "all", "all"))],
    )


def _rating_rows(context: Context, metric: Metric, group: str, at: date | None) -> pd.DataFrame:
    if at is None:
        return pd.DataFrame()
    request = family.BreakdownRequest(
        metric_id=metric.id,
        area_code=context.state.area,
        method=context.state.method,
        period_type="snapshot",
        breakdown=_service_type(group),
    )
    frame, rows = context.series_rows(request)
    return frame.take(rows[family_rows.at(frame, "period_start", rows) == at])


def _service_type(group: str) -> str:
    return f"service_type:{group}"


VIEWS = {TREND: _trend, STACK: _stack, RATING_BARS: _rating_bars, SPC: _spc}  # by ChartDef.kind


def source_note(view: ChartView) -> str:
    return text.source_note(
        view.source_name, view.vintage, synthetic=view.synthetic, comparators=view.comparator
    )
