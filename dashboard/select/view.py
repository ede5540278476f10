"""The Select areas page's data: every council ranked on the interface metrics for a year,
the rows the filters keep, and what travels with them into the grid, the charts and the CSV.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import pandas as pd
import plotly.graph_objects as go

from dashboard import text
from dashboard.charts import hexmap, scatter
from dashboard.select.url_state import (
    ALL,
    SelectionChoices,
    SelectionState,
    year_label,
)
from dashboard.text import source_name, vintage_summary
from dashboard.ui.csv_export import provenance_csv, synthetic_text
from queries import selection
from queries.areas import AreaDirectory
from queries.catalogue import Metric, load_catalogue
from queries.schema import ENGLAND_CODE
from queries.store import DataStore

PREFERRED_AXES = ("dtoc_rate", "ascof_2b1")
PREFERRED_MAP = "dtoc_rate"
QUARTILE_WORDS = {
    1: "quartile 1 (best 25%)",
    2: "quartile 2",
    3: "quartile 3",
    4: "quartile 4 (worst 25%)",
}
POLARITY_WORDS = {"lower_is_better": "lower is better", "higher_is_better": "higher is better"}
AREA_COLUMNS = ("area_code", "name", "region", "la_type", "reviewed")


def interface_metrics() -> list[Metric]:
    return load_catalogue().interface_metrics()


def selection_choices(store: DataStore, *, areas: AreaDirectory) -> SelectionChoices:
    """Years with data (default: latest complete for most metrics), filters and metrics."""
    metrics = interface_metrics()
    coverage = selection.year_coverage(store, metrics)
    years = selection.available_years(coverage)
    default_year = selection.default_year(coverage)
    with_data = [
        m.id for m in metrics if m.id in set(coverage.loc[coverage["councils"] > 0, "metric_id"])
    ]
    ordered = [m for m in PREFERRED_AXES if m in with_data] + with_data + [m.id for m in metrics]
    axes = list(dict.fromkeys(ordered))
    councils = areas.councils
    return SelectionChoices(
        years=years or [default_year or 0],
        default_year=default_year if default_year is not None else 0,
        metrics={m.id: m.short for m in metrics},
        regions=sorted(councils["region"].dropna().unique()),
        la_types=sorted(councils["la_type"].dropna().unique()),
        areas=dict(zip(councils["area_code"], councils["name"], strict=True)),
        default_x=axes[0],
        default_y=axes[1] if len(axes) > 1 else axes[0],
        default_map=PREFERRED_MAP if PREFERRED_MAP in with_data else axes[0],
        resolve_area=areas.resolve,
    )


@dataclass(frozen=True)
class SelectionView:
    """One selection: every council ranked (``table``) and what is known about each metric."""

    state: SelectionState
    metrics: list[Metric]
    table: pd.DataFrame  # one row per council: area columns, values, ranks, composite
    values: pd.DataFrame  # the long query result, England included
    tiles: pd.DataFrame

    @property
    def year_text(self) -> str:
        return year_label(self.state.year)

    @cached_property
    def rows(self) -> pd.DataFrame:
        """The councils the filters keep, best composite first."""
        rows = self.table
        if self.state.region != ALL:
            rows = rows[rows["region"] == self.state.region]
        if self.state.la_type != ALL:
            rows = rows[rows["la_type"] == self.state.la_type]
        if self.state.reviewed_only:
            rows = rows[rows["reviewed"]]
        return rows.sort_values(["composite_rank", "name"], na_position="last").reset_index(
            drop=True
        )

    def metric(self, metric_id: str) -> Metric:
        return next(m for m in self.metrics if m.id == metric_id)

    def rows_for(self, metric_id: str) -> pd.DataFrame:
        return self.values[self.values["metric_id"] == metric_id]

    def england(self, metric_id: str) -> float | None:
        rows = self.rows_for(metric_id)
        rows = rows[(rows["area_code"] == ENGLAND_CODE) & ~rows["suppressed"].astype(bool)]
        value = rows["value"].iloc[0] if not rows.empty else None
        return None if value is None or pd.isna(value) else float(value)

    def has_data(self, metric_id: str) -> bool:
        return f"rank_{metric_id}" in self.table and self.table[f"rank_{metric_id}"].notna().any()

    def synthetic(self, metric_id: str) -> bool:
        return bool(self.rows_for(metric_id)["is_synthetic"].fillna(False).astype(bool).any())

    @property
    def any_synthetic(self) -> bool:
        return any(self.synthetic(m.id) for m in self.metrics)

    def vintage(self, metric_id: str) -> str:
        return vintage_summary(self.rows_for(metric_id)["vintage"])

    def basis(self, metric_id: str) -> str | None:
        return selection.basis_by_metric(self.values).get(metric_id)

    def unit(self, metric: Metric) -> str:
        """The unit of the metric's values this year: a counted rate built from quarters is
        per quarter, from the published year per year."""
        return metric.unit_for(self.basis(metric.id))

    def source_name(self, metric: Metric) -> str:
        return source_name(metric)

    def ranked_count(self, metric_id: str) -> int:
        column = f"rank_{metric_id}"
        return int(self.table[column].notna().sum()) if column in self.table else 0


def selection_view(
    store: DataStore, state: SelectionState, *, areas: AreaDirectory
) -> SelectionView:
    """Two cached queries: the year's values and the hex tiles; ranking is done in pandas."""
    metrics = interface_metrics()
    values = selection.interface_values(store, metrics, state.year)
    ranked = selection.ranking_table(values, metrics, state.weight_map([m.id for m in metrics]))
    councils = areas.councils.loc[:, list(AREA_COLUMNS)].reset_index(drop=True)
    councils["reviewed"] = councils["reviewed"].fillna(False).astype(bool)
    table = councils.merge(ranked, on="area_code", how="left")
    return SelectionView(
        state=state, metrics=metrics, table=table, values=values, tiles=selection.tiles(store)
    )


def json_value(value: object) -> object:
    """JSON-safe: NaN and pandas' NA become None, numpy numbers plain Python."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


def rounded(value: object, decimals: int) -> float | None:
    value = json_value(value)
    return None if value is None else round(float(value), decimals)


def footnotes(view: SelectionView) -> list[str]:
    """How each metric's value for the year was found, and how ranks are made."""
    notes = []
    for metric in view.metrics:
        basis = view.basis(metric.id)
        if basis is None:
            notes.append(f"{metric.short}: no data for {view.year_text}.")
        else:
            notes.append(f"{metric.short}: {selection.BASIS_TEXT[basis]} ({view.unit(metric)}).")
    notes.append(
        "Rank 1 and quartile 1 are the best councils by each metric's direction; ranks are "
        "among all councils with a value, whatever the filters. The composite is the weighted "
        "mean of a council's percentile scores (0 worst – 100 best) over the metrics it has, "
        "so a missing metric lowers the weight sum rather than counting as worst."
    )
    return notes


def _axis(metric: Metric, view: SelectionView) -> scatter.Axis:
    return scatter.Axis(
        title=metric.short,
        unit=view.unit(metric),
        decimals=metric.decimals,
        percent=metric.is_percentage,
    )


def source_note(view: SelectionView, metrics: list[Metric]) -> str:
    """The source line baked into a figure, written as every chart's is: each metric's source
    once, their vintages and the synthetic flag; no comparators (the page ranks every council)."""
    return text.source_note(
        "; ".join(dict.fromkeys(view.source_name(m) for m in metrics)),
        vintage_summary(v for m in metrics for v in view.rows_for(m.id)["vintage"]),
        synthetic=any(view.synthetic(m.id) for m in metrics),
        comparators=None,
    )


def scatter_title(view: SelectionView) -> str:
    x, y = view.metric(view.state.x), view.metric(view.state.y)
    return f"{y.short} against {x.short} — English councils, {view.year_text}"


def _two_lines(title: str) -> str:
    """A long chart title broken at its dash, so it fits a half-width card."""
    what, _, where = title.partition(" — ")
    return f"{what}<br>{where}" if where else title


def scatter_frame(view: SelectionView) -> pd.DataFrame:
    table = view.table
    shortlist = set(view.state.shortlist)
    return pd.DataFrame(
        {
            "area_code": table["area_code"],
            "name": table["name"],
            "x": table.get(view.state.x, pd.Series(float("nan"), index=table.index)),
            "y": table.get(view.state.y, pd.Series(float("nan"), index=table.index)),
            "reviewed": table["reviewed"],
            "shortlisted": table["area_code"].isin(shortlist),
        }
    )


def scatter_figure(view: SelectionView) -> go.Figure:
    x, y = view.metric(view.state.x), view.metric(view.state.y)
    frame = scatter_frame(view)
    both = int(frame.dropna(subset=["x", "y"]).shape[0])
    spec = scatter.ScatterSpec(
        title=f"{y.short}<br>against {x.short}",
        subtitle=f"English councils, {view.year_text} · {both} with both values",
        source_note=source_note(view, [x, y]),
        x=_axis(x, view),
        y=_axis(y, view),
        england_x=view.england(x.id),
        england_y=view.england(y.id),
    )
    return scatter.build(frame, spec=spec)


def scatter_description(view: SelectionView) -> str:
    x, y = view.metric(view.state.x), view.metric(view.state.y)
    frame = scatter_frame(view).dropna(subset=["x", "y"])
    parts = [
        f"Scatter plot of {y.short} (vertical) against {x.short} (horizontal) for "
        f"{len(frame)} councils in {view.year_text}; reviewed areas are diamonds and England's "
        "values are dashed lines."
    ]
    shortlisted = frame[frame["shortlisted"]]
    if not shortlisted.empty:
        listed = "; ".join(
            f"{n}: {x.format_value(a)}, {y.format_value(b)}"
            for n, a, b in zip(shortlisted["name"], shortlisted["x"], shortlisted["y"], strict=True)
        )
        parts.append(f"Shortlisted councils (x, y): {listed}.")
    return " ".join(parts)


def map_title(view: SelectionView) -> str:
    return f"{view.metric(view.state.map_metric).short} — English councils by quartile"


def map_frame(view: SelectionView) -> pd.DataFrame:
    metric = view.metric(view.state.map_metric)
    table = view.table.set_index("area_code")
    tiles = view.tiles[view.tiles["area_code"].isin(table.index)].set_index("area_code")
    joined = tiles.join(table, how="left")
    suppressed = joined.get(f"suppressed_{metric.id}", pd.Series(False, index=joined.index))
    values = joined.get(metric.id, pd.Series(float("nan"), index=joined.index))
    return pd.DataFrame(
        {
            "area_code": joined.index,
            "name": joined["name"],
            "q": joined["q"],
            "r": joined["r"],
            "value_text": [
                "suppressed" if bool(s) is True else metric.format_value(json_value(v))
                for v, s in zip(values, suppressed.fillna(False), strict=True)
            ],
            "quartile": joined.get(f"quartile_{metric.id}"),
            "shortlisted": joined.index.isin(view.state.shortlist),
            "reviewed": joined["reviewed"].fillna(False).astype(bool),
        }
    ).reset_index(drop=True)


def map_figure(view: SelectionView) -> go.Figure:
    metric = view.metric(view.state.map_metric)
    polarity = POLARITY_WORDS.get(metric.polarity, metric.polarity)
    spec = hexmap.HexMapSpec(
        title=_two_lines(map_title(view)),
        subtitle=f"{view.unit(metric)} · {view.year_text}<br>quartile 1 = best ({polarity})",
        source_note=source_note(view, [metric]),
        metric_name=metric.short,
    )
    return hexmap.build(map_frame(view), spec=spec)


def map_description(view: SelectionView) -> str:
    metric = view.metric(view.state.map_metric)
    frame = map_frame(view)
    counts = pd.to_numeric(frame["quartile"], errors="coerce").value_counts()
    words = ", ".join(f"{int(counts.get(q, 0))} in {QUARTILE_WORDS[q]}" for q in (1, 2, 3, 4))
    missing = int(pd.to_numeric(frame["quartile"], errors="coerce").isna().sum())
    text_parts = [
        f"Hex map of {len(frame)} English councils, one equal hexagon each, coloured by "
        f"quartile of {metric.short} in {view.year_text}: {words}; {missing} without a value. "
        "The table on this page lists every value."
    ]
    if view.state.shortlist:
        text_parts.append(f"{len(view.state.shortlist)} shortlisted councils are outlined.")
    return " ".join(text_parts)


def map_empty_message(view: SelectionView) -> str | None:
    if view.tiles.empty:
        return "No hex layout is published for these councils."
    if not view.has_data(view.state.map_metric):
        return f"No data for {view.metric(view.state.map_metric).short} in {view.year_text}."
    return None


def scatter_empty_message(view: SelectionView) -> str | None:
    if scatter_frame(view).dropna(subset=["x", "y"]).empty:
        return f"No council has values on both metrics in {view.year_text}."
    return None


EXPORT_AREA_COLUMNS = ("area_code", "name", "region", "la_type", "reviewed")


def csv_text(view: SelectionView, codes: list[str] | None = None) -> str:
    """Exactly the rows shown (``codes`` in the grid's order; default the filtered rows),
    after '#' lines giving the period, filters, weights, sources and synthetic flag."""
    rows = view.rows
    if codes is not None:
        rows = rows.set_index("area_code").reindex(
            [c for c in codes if c in set(rows["area_code"])]
        )
        rows = rows.reset_index()
    state = view.state
    weights = ", ".join(f"{m.id} {state.weight(m.id):g}" for m in view.metrics)
    metadata = [
        ("title", f"Councils ranked on the interface metrics, {view.year_text}"),
        (
            "period",
            f"financial year {view.year_text} (April {state.year} to March {state.year + 1})",
        ),
        (
            "filters",
            f"region = {state.region}; council type = {state.la_type}; "
            f"reviewed areas only = {'yes' if state.reviewed_only else 'no'}",
        ),
        ("rows", f"{len(rows)} of {len(view.table)} councils, in the order shown"),
        ("weights", weights),
        ("shortlist", ", ".join(state.shortlist) or "none"),
    ]
    for metric in view.metrics:
        basis = view.basis(metric.id)
        how = selection.BASIS_TEXT[basis] if basis else "no data"
        metadata.append(
            (
                metric.id,
                f"{metric.title} | {view.unit(metric)} | "
                f"{POLARITY_WORDS.get(metric.polarity, '')} | value: {how} | "
                f"source: {view.source_name(metric)} | vintage: "
                f"{view.vintage(metric.id)} | synthetic: {_yes_no(view.synthetic(metric.id))}",
            )
        )
    metadata.append(("notes", footnotes(view)[-1]))
    metadata.append(
        ("synthetic data", synthetic_text(view.any_synthetic, qualifier=" for some metrics"))
    )
    columns = [*EXPORT_AREA_COLUMNS, "composite_rank", "composite_score", "metrics_used"]
    for metric in view.metrics:
        columns += [
            metric.id,
            f"suppressed_{metric.id}",
            f"rank_{metric.id}",
            f"quartile_{metric.id}",
        ]
    export = rows.reindex(columns=columns).copy()
    export.insert(5, "shortlisted", export["area_code"].isin(state.shortlist))
    return provenance_csv(metadata, export)


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def _chart_metadata(
    view: SelectionView, title: str, metrics: list[Metric]
) -> list[tuple[str, str]]:
    lines = [
        ("title", title),
        ("period", f"financial year {view.year_text}"),
        ("shortlist", ", ".join(view.state.shortlist) or "none"),
    ]
    for metric in metrics:
        basis = view.basis(metric.id)
        lines.append(
            (
                metric.id,
                f"{metric.title} | {view.unit(metric)} | value: "
                f"{selection.BASIS_TEXT[basis] if basis else 'no data'} | source: "
                f"{view.source_name(metric)} | vintage: {view.vintage(metric.id)}",
            )
        )
    synthetic = any(view.synthetic(m.id) for m in metrics)
    lines.append(("synthetic data", synthetic_text(synthetic)))
    return lines


def scatter_csv(view: SelectionView) -> str:
    """The plotted points: councils with both values."""
    x, y = view.metric(view.state.x), view.metric(view.state.y)
    frame = scatter_frame(view).dropna(subset=["x", "y"])
    frame = frame.rename(columns={"x": f"x_{x.id}", "y": f"y_{y.id}"})
    england_x = x.format_value(view.england(x.id))
    england = ("England", f"x {england_x}, y {y.format_value(view.england(y.id))}")
    return provenance_csv([*_chart_metadata(view, scatter_title(view), [x, y]), england], frame)


def map_csv(view: SelectionView) -> str:
    """Every hex: its position, the council, the value and quartile drawn."""
    metric = view.metric(view.state.map_metric)
    frame = map_frame(view).rename(columns={"value_text": metric.id})
    metadata = _chart_metadata(view, map_title(view), [metric])
    return provenance_csv(metadata, frame, float_format=None)
