"""The area profile's data: the area's context, its comparator group and, per metric, the
latest value, its recent trend and the history the sparkline draws; and the spine chart."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import text
from dashboard.charts import spine
from dashboard.ui.csv_export import provenance_csv
from dashboard.urls import ProfileState
from queries import findings, series
from queries import profile as profile_queries
from queries.areas import AreaDirectory
from queries.catalogue import Metric, load_catalogue
from queries.recent_change import TREND, RecentChange, recent_change
from queries.series_columns import FrameColumns, SeriesColumns, as_columns
from queries.store import DataStore


class MetricSummary:
    """One tile: the metric, its latest row (None when absent) and its headline history,
    oldest first: a frame, or a frame's rows as ``SeriesColumns`` (the page reads them as
    arrays; a frame of them is made only when ``history`` is asked for)."""

    def __init__(
        self, *, metric: Metric, latest: dict | None, history: pd.DataFrame | SeriesColumns
    ) -> None:
        self.metric = metric
        self.latest = latest
        self._history = history

    @cached_property
    def history(self) -> pd.DataFrame:
        given = self._history
        return given.frame() if isinstance(given, SeriesColumns) else given

    @cached_property
    def columns(self) -> SeriesColumns:
        """The history's columns as arrays (what the tile, its trend and finding read)."""
        return as_columns(self._history)

    @cached_property
    def recent_change(self) -> RecentChange:
        """The Fingertips trend for annual series, SPC variation for monthly and quarterly
        (worked out once: the tile, its trend and the finding all state it)."""
        return recent_change(self.columns, self.metric, self.metric.default_period_type)

    @property
    def trend(self) -> str:
        """The Fingertips trend's direction; "not applicable" where the series gets none."""
        change = self.recent_change
        return change.direction if change.kind == TREND else "not applicable"

    def finding(self, area_name: str) -> findings.Finding:
        """The written finding of the headline series: the sentences `lsr query` and the
        report pack print for the same series."""
        return findings.metric_finding(
            self.columns, self.metric, area_name=area_name, change=self.recent_change
        )

    @property
    def interval(self) -> tuple[float, float] | None:
        """The latest value's 95 % interval, when it has one."""
        if not self.latest or self.latest.get("area_suppressed"):
            return None
        lower, upper = self.latest.get("area_lower"), self.latest.get("area_upper")
        if lower is None or upper is None or pd.isna(lower) or pd.isna(upper):
            return None
        return float(lower), float(upper)


@dataclass(frozen=True)
class ProfileView:
    state: ProfileState
    area: dict  # the areas row: name, region, la_type, populations, deprivation
    peers: pd.DataFrame  # area_code, name, rank
    summaries: list[MetricSummary]

    def by_family(self) -> list[tuple[str, list[MetricSummary]]]:
        """Tiles grouped by catalogue family, families and metrics in catalogue order."""
        families = load_catalogue().families
        grouped: dict[str, list[MetricSummary]] = {family: [] for family in families}
        for summary in self.summaries:
            grouped.setdefault(summary.metric.family, []).append(summary)
        return [
            (families[f].title if f in families else f, tiles)
            for f, tiles in grouped.items()
            if tiles
        ]

    def findings_by_family(self) -> dict[str, list[str]]:
        """Two to five sentences opening each family's section, keyed by its heading."""
        name = str(self.area["name"])
        return {
            title: findings.section_findings(
                [summary.finding(name) for summary in tiles], title=title
            )
            for title, tiles in self.by_family()
        }


def profile_view(store: DataStore, state: ProfileState, *, areas: AreaDirectory) -> ProfileView:
    """The council's rows are a look-up in every council's (``series.profile_series``), each
    metric's history a slice of them: no query but the comparator list."""
    profile = series.profile_series(store, state.area, state.method)
    spans = _spans(profile, ["metric_id", "period_type"])
    columns = FrameColumns(profile)
    metrics = list(load_catalogue().metrics.values())
    rows = [spans.get((metric.id, metric.default_period_type), slice(0, 0)) for metric in metrics]
    latest = _latest_rows(profile, {m.id: span for m, span in zip(metrics, rows, strict=True)})
    return ProfileView(
        state=state,
        area=areas.areas.loc[state.area].to_dict(),
        peers=series.comparator_peers(store, state.area, state.method),
        summaries=[
            MetricSummary(
                metric=metric,
                latest=latest.get(metric.id),
                history=SeriesColumns(columns, _rows(span)).oldest_first(),
            )
            for metric, span in zip(metrics, rows, strict=True)
        ],
    )


def warm(store: DataStore) -> None:
    """Build what a council's profile looks itself up in: every council's series and
    comparator group under each comparator method and every area's headline values (what
    the first profile after a publish would otherwise wait seconds for)."""
    for method in series.comparator_methods(store)["method"]:
        series.profile_series(store, "", method)
        series.comparator_peers(store, "", method)
    profile_queries.council_values(store)


def _spans(frame: pd.DataFrame, keys: list[str]) -> dict[tuple, slice | np.ndarray]:
    """Where each key's rows are: a slice when they are together (a view, not a copy: the
    profile's rows arrive sorted by metric and period type), else their positions."""
    spans = {}
    for key, rows in frame.groupby(keys, sort=False).indices.items():
        together = rows[-1] - rows[0] + 1 == len(rows)
        spans[key] = slice(int(rows[0]), int(rows[-1]) + 1) if together else rows
    return spans


def _rows(span: slice | np.ndarray) -> range | np.ndarray:
    return range(span.start, span.stop) if isinstance(span, slice) else span


def _latest_rows(profile: pd.DataFrame, spans: dict[str, slice | np.ndarray]) -> dict[str, dict]:
    """Per metric, its latest period with an area value (or a suppressed one) as a dict of
    the row (without the metric id); metrics with neither are left out."""
    suppressed = profile["area_suppressed"].to_numpy(dtype=bool, na_value=False)
    marked = profile["area_value"].notna().to_numpy() | suppressed
    starts = profile["period_start"].to_numpy()
    everywhere = np.arange(len(profile))
    found = {}
    for metric_id, span in spans.items():
        rows = everywhere[span]
        rows = rows[marked[rows]]
        if rows.size:
            found[metric_id] = rows[np.argmax(starts[rows])]
    rows = profile.iloc[list(found.values())].drop(columns="metric_id")
    # to_dict("records") without its per-value dispatch: tolist() boxes values alike
    columns = [rows[name].tolist() for name in rows.columns]
    names = list(rows.columns)
    records = [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]
    return dict(zip(found, records, strict=True))


SPINE_SCOPES = {"england": "all councils", "comparators": "the comparator group"}


def spine_frame(store: DataStore, state: ProfileState, *, scope: str = "england") -> pd.DataFrame:
    """The spine's rows with the words the chart prints: metric name, value and England."""
    frame = profile_queries.spine(store, state.area, state.method, scope=scope)
    catalogue = load_catalogue()
    metrics = [catalogue.get(metric_id) for metric_id in frame["metric_id"]]
    frame["label"] = [m.short for m in metrics]
    periods = frame["period_type"]
    frame["unit"] = [m.unit_for(t) for m, t in zip(metrics, periods, strict=True)]
    frame["polarity"] = [m.polarity for m in metrics]
    frame["value_text"] = [
        ("suppressed" if suppressed else m.format_value(value)) + f" ({label})"
        for m, value, suppressed, label in zip(
            metrics,
            frame["area_value"],
            frame["area_suppressed"],
            frame["period_label"],
            strict=True,
        )
    ]
    frame["england_text"] = [
        m.format_value(value) for m, value in zip(metrics, frame["england_value"], strict=True)
    ]
    return frame


def spine_figure(frame: pd.DataFrame, *, area_name: str, scope: str, source_note: str) -> go.Figure:
    """The spine chart for the profile, titled so an exported image explains itself."""
    range_name = SPINE_SCOPES.get(scope, scope)
    spec = spine.SpineSpec(
        title=f"{area_name} compared with England: where it sits among {range_name}",
        subtitle=(
            "Latest period of each metric · England in the middle, better to the right · "
            "bars: range and middle half of " + range_name
        ),
        area_name=area_name,
        source_note=source_note,
        range_name=range_name,
    )
    return spine.build(frame, spec=spec)


def spine_summary(frame: pd.DataFrame, *, area_name: str) -> str:
    """A sentence for screen readers: how many metrics are better, similar or worse."""
    if frame.empty:
        return f"No metric has a value to place for {area_name}."
    verdicts = frame["vs_england"].tolist()
    counts = Counter(verdicts)
    parts = [
        f"{counts[verdict]} {word}"
        for verdict, word in (
            ("better", "better than England"),
            ("similar", "similar to England"),
            ("worse", "worse than England"),
            ("not compared", "not compared"),
        )
    ]
    labels = frame["label"].tolist()
    worse = [label for label, verdict in zip(labels, verdicts, strict=True) if verdict == "worse"]
    sentence = f"Spine chart of {len(frame)} metrics for {area_name}: " + ", ".join(parts) + "."
    if worse:
        sentence += " Worse than England: " + "; ".join(worse) + "."
    return sentence


SPINE_EXPORT_COLUMNS = ("metric_id", "label", *profile_queries.SPINE_COLUMNS[3:], "unit")


def spine_sources(frame: pd.DataFrame) -> str:
    """The publishers of the metrics on the spine, in catalogue order."""
    catalogue = load_catalogue()
    sources = dict.fromkeys(catalogue.get(m).source for m in frame["metric_id"])
    names = [catalogue.sources[s].publisher for s in sources if s in catalogue.sources]
    return ", ".join(dict.fromkeys(names)) or "not published"


SPINE_VINTAGE = "latest period of each metric (shown beside it)"


def spine_source_note(frame: pd.DataFrame, *, comparator: str) -> str:
    """The footnote baked into the spine figure, written as every chart's is, so an exported
    image names its sources."""
    return text.source_note(
        spine_sources(frame),
        SPINE_VINTAGE,
        synthetic=bool(not frame.empty and frame["is_synthetic"].any()),
        comparators=f"{comparator} · 95 % intervals decide the verdicts",
    )


def spine_csv(frame: pd.DataFrame, *, area_name: str, scope: str, method: str) -> str:
    """The spine's rows as plotted, after '#' lines saying what they are."""
    synthetic = bool(not frame.empty and frame["is_synthetic"].any())
    metadata = {
        "title": f"{area_name}: latest value of each metric among {SPINE_SCOPES[scope]}",
        "range": SPINE_SCOPES[scope],
        "comparator method": method,
        "sources": spine_sources(frame),
        "synthetic data": "yes, in some series (demo values, not real figures)"
        if synthetic
        else "no",
    }
    columns = [c for c in SPINE_EXPORT_COLUMNS if c in frame.columns]
    return provenance_csv(metadata, frame[columns])
