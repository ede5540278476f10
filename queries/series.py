"""The query API the dashboard and CLI call: named SQL in, tidy frames with labels out."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from queries import headline_series, judgements, periods
from queries.catalogue import Metric, load_catalogue
from queries.store import DataStore, request_parameters

EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)


@dataclass(frozen=True)
class SeriesRequest:
    """Everything that selects one plotted series; also the cache key for its results."""

    metric_id: str
    area_code: str
    method: str = "default"
    period_type: str | None = None
    breakdown: str = "all"
    breakdown_value: str = "all"
    period_from: date | None = None
    period_to: date | None = None

    def resolved(self, metric: Metric) -> SeriesRequest:
        """Fill the metric's default period type so the request is explicit."""
        return replace(self, period_type=self.period_type or metric.period_types[0])

    def parameters(self) -> dict:
        return request_parameters(
            self, period_from=self.period_from or EARLIEST, period_to=self.period_to or LATEST
        )


def metric_series(
    store: DataStore, request: SeriesRequest, *, every_area: bool = False
) -> pd.DataFrame:
    """Area, comparator (mean, min–max, pooled) and England per period, with period labels
    and judgements (cached per data version and request). ``every_area``: a headline series
    is a slice of the per-version look-up over every area (``headline_series``), for a
    server asked about many areas; without it (a one-off question, the CLI) its own query."""
    metric = load_catalogue().get(request.metric_id)
    request = request.resolved(metric)
    return store.derived(
        "metric_series",
        {**request.parameters(), "every_area": every_area},
        lambda: _judged_series(store, request, metric, every_area=every_area),
    )


def _judged_series(
    store: DataStore, request: SeriesRequest, metric: Metric, *, every_area: bool
) -> pd.DataFrame:
    headline = _headline(store, request) if every_area else None
    if headline is not None:
        frame = headline.series(request.area_code, request.metric_id, request.period_type)
    else:
        frame = store.query("metric_series", **request.parameters())
    frame["period_label"] = periods.labels(frame["period_start"], request.period_type)
    frame["comparator_pooled"] = (
        frame["comparator_numerator"] / frame["comparator_denominator"] * metric.multiplier
    )
    return judgements.judged_series(frame, metric)


def peer_values(
    store: DataStore, request: SeriesRequest, *, every_area: bool = False
) -> pd.DataFrame:
    """Each peer's value per period (for hover text and small multiples); ``every_area`` as
    for ``metric_series``."""
    metric = load_catalogue().get(request.metric_id)
    request = request.resolved(metric)
    headline = _headline(store, request) if every_area else None
    if headline is not None:
        frame = headline.peer_values(request.area_code, request.metric_id, request.period_type)
    else:
        frame = store.query("peer_values", **request.parameters())
    frame["period_label"] = periods.labels(frame["period_start"], request.period_type)
    return frame


def _headline(store: DataStore, request: SeriesRequest) -> headline_series.HeadlineSeries | None:
    """The look-up over every area's headline series when it holds this request's rows (the
    headline breakdown, every period, a known area); None: the request's own query."""
    if request.breakdown != "all" or request.breakdown_value != "all":
        return None
    if request.period_from or request.period_to:
        return None
    headline = headline_series.headline_series(store, request.method)
    return headline if headline.covers(request.area_code) else None


def profile_series(store: DataStore, area_code: str, method: str) -> pd.DataFrame:
    """Every metric's headline series for an area vs comparator mean vs England, judged: a
    look-up in every council's, queried and judged once per data version and method."""
    profiles = store.shared(
        "profile_series", {"method": method}, lambda: _judged_profiles(store, method)
    )
    return profiles.of(area_code)


@dataclass(frozen=True)
class AreaRows:
    """Many areas' rows in one frame and where each area's are: one area's is a look-up
    (split by another key column, e.g. metric_id, it serves that key alike)."""

    frame: pd.DataFrame  # without the area column
    positions: dict[str, np.ndarray]

    @classmethod
    def split(cls, frame: pd.DataFrame, column: str = "area_code") -> AreaRows:
        positions = frame.groupby(column, sort=False).indices
        return cls(frame.drop(columns=column), positions)

    def of(self, area_code: str) -> pd.DataFrame:
        """The area's rows (a new frame, numbered from 0); none for an unknown area. Rows
        that are together (frames ordered by area) are sliced, not copied: pandas copies
        them on write, so the shared frame stays as it is."""
        rows = self.positions.get(area_code, np.empty(0, dtype=int))
        if len(rows) and rows[-1] - rows[0] + 1 == len(rows):
            return self.frame.iloc[rows[0] : rows[-1] + 1].reset_index(drop=True)
        return self.frame.iloc[rows].reset_index(drop=True)

    def rows_of(self, area_code: str) -> np.ndarray:
        """Where the area's rows are in ``frame`` (none for an unknown area): for a caller
        that picks some of them and takes those once."""
        return self.positions.get(area_code, np.empty(0, dtype=int))


def _judged_profiles(store: DataStore, method: str) -> AreaRows:
    frame = store.query_once("profile_series", method=method)
    frame["period_label"] = period_labels(frame["period_start"], frame["period_type"])
    return AreaRows.split(judgements.judged_metrics(frame, load_catalogue().metrics))


def period_labels(starts: pd.Series, period_types: pd.Series) -> np.ndarray:
    """Each row's period label, worked out once per distinct period and type."""
    pairs = pd.MultiIndex.from_arrays([starts, period_types])
    codes, distinct = pairs.factorize()
    names = np.array([periods.label(start, kind) for start, kind in distinct], dtype=object)
    return names[codes]


def metric_availability(store: DataStore, metric_id: str) -> pd.DataFrame:
    """Period types and breakdowns present for a metric, with their ranges: a look-up in
    every metric's, queried once per data version (a metric's own query scanned every
    indicator file for each new metric a page asked about)."""
    every = store.shared(
        "metric_availability",
        {},
        lambda: AreaRows.split(store.query_once("metric_availability_all"), "metric_id"),
    )
    return every.of(metric_id)


def comparator_peers(store: DataStore, area_code: str, method: str) -> pd.DataFrame:
    """The area's comparator group, nearest first (``comparator_peers.sql``'s columns): a
    look-up in every area's, queried once per data version and method."""
    return comparator_groups(store, method).of(area_code)


def comparator_peer_count(store: DataStore, area_code: str, method: str) -> int:
    """``len(comparator_peers(...))`` without making the frame: a page that shows only the
    count reads where the area's rows are."""
    return len(comparator_groups(store, method).rows_of(area_code))


def comparator_groups(store: DataStore, method: str) -> AreaRows:
    """Every area's comparator group under ``method`` (``comparator_peers_all.sql``, split by
    the area the group is for), built once per data version: the one look-up the profile's
    peers, the family pages' peer count and the explorer's peer values all read."""
    return store.shared(
        "comparator_peers",
        {"method": method},
        lambda: AreaRows.split(store.query_once("comparator_peers_all", method=method), "subject"),
    )


def comparator_methods(store: DataStore) -> pd.DataFrame:
    return store.query("comparator_methods")


def datasets(store: DataStore) -> pd.DataFrame:
    return store.query("datasets")
