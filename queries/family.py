"""The query API of the family pages (Hospital activity, Delayed transfers, Social care,
Continuing healthcare, Care services & ratings): what a family's data holds, and a metric by
every value of one breakdown for an area vs its comparator group vs England."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from functools import cached_property

import numpy as np
import pandas as pd

from queries import judgements, periods
from queries.catalogue import Metric, load_catalogue
from queries.schema import ENGLAND_CODE
from queries.series import AreaRows
from queries.store import DataStore, request_parameters

PERIOD_TYPE_ORDER = ("month", "quarter", "financial_year", "rolling_12m", "snapshot")
HEADLINE = "all"


def family_metrics(family_id: str) -> list[Metric]:
    """The family's metrics in catalogue order (raises KeyError for an unknown family)."""
    return load_catalogue().in_family(family_id)


@dataclass(frozen=True)
class Availability:
    """What the published data holds for a family: one row per metric, period type,
    breakdown and period start (``family_availability.sql``)."""

    rows: pd.DataFrame

    def period_types(self, metric_ids: list[str] | None = None) -> list[str]:
        """Period types present (for the given metrics), in a fixed reading order."""
        rows = self._for(metric_ids)
        present = set(rows["period_type"])
        return [t for t in PERIOD_TYPE_ORDER if t in present] + sorted(
            present - set(PERIOD_TYPE_ORDER)
        )

    def period_starts(self, period_type: str, metric_ids: list[str] | None = None) -> list[date]:
        """Every period start present for a period type, oldest first."""
        rows = self._for(metric_ids)
        starts = rows.loc[rows["period_type"] == period_type, "period_start"]
        return sorted({pd.Timestamp(s).date() for s in starts})

    def has(self, metric_id: str, period_type: str | None = None, breakdown: str | None = None):
        """Whether the data holds the metric (in that period type, for that breakdown)."""
        return (metric_id, period_type, breakdown) in self._present

    @cached_property
    def _present(self) -> frozenset[tuple[str, str | None, str | None]]:
        """Every (metric, period type or None, breakdown or None) the rows hold: a page asks
        ``has`` about a hundred times, and filtering the rows each time cost ~10 ms per page."""
        keys = set()
        for metric_id, period_type, breakdown in (
            self.rows[["metric_id", "period_type", "breakdown"]]
            .drop_duplicates()
            .itertuples(index=False, name=None)
        ):
            keys.update((metric_id, t, b) for t in (period_type, None) for b in (breakdown, None))
        return frozenset(keys)

    def period_type_for(self, metric: Metric, preferred: str, breakdown: str = HEADLINE) -> str:
        """``preferred`` when the metric has it for this breakdown, else the metric's first
        catalogue period type that it has, else its default: the chart says which it shows."""
        for period_type in (preferred, *metric.period_types, *PERIOD_TYPE_ORDER):
            if self.has(metric.id, period_type, breakdown):
                return period_type
        return metric.default_period_type

    def vintage(self, metric_id: str) -> str | None:
        vintages = self._for([metric_id])["vintage"].dropna()
        return str(vintages.max()) if not vintages.empty else None

    def _for(self, metric_ids: list[str] | None) -> pd.DataFrame:
        if metric_ids is None:
            return self.rows
        return self.rows[self.rows["metric_id"].isin(metric_ids)]


def family_availability(store: DataStore, family_id: str) -> Availability:
    """One query per source of the family's metrics, kept to the family's metrics; built once
    per data version and kept by the store (every render of a family page asks, twice)."""
    return store.shared(
        "family_availability_of",
        {"family": family_id},
        lambda: _family_availability(store, family_id),
    )


def _family_availability(store: DataStore, family_id: str) -> Availability:
    metrics = family_metrics(family_id)
    sources = list(dict.fromkeys(metric.source for metric in metrics))
    frames = [store.query("family_availability", source=source) for source in sources]
    frames = [frame for frame in frames if not frame.empty]
    if not frames:
        return Availability(_empty_availability())
    rows = pd.concat(frames, ignore_index=True)
    rows = rows[rows["metric_id"].isin([metric.id for metric in metrics])]
    return Availability(rows.reset_index(drop=True))


def _empty_availability() -> pd.DataFrame:
    columns = ["metric_id", "period_type", "breakdown", "period_start", "row_count", "vintage"]
    return pd.DataFrame({column: pd.Series(dtype=object) for column in columns})


@dataclass(frozen=True)
class BreakdownRequest:
    """One metric by every value of one breakdown ("all" for the headline series)."""

    metric_id: str
    area_code: str
    method: str
    period_type: str
    breakdown: str = HEADLINE

    def parameters(self) -> dict:
        return request_parameters(self)

    @property
    def key(self) -> SeriesKey:
        return SeriesKey(self.metric_id, self.period_type, self.breakdown)


@dataclass(frozen=True, order=True)
class SeriesKey:
    """What a family chart plots, for any area: a metric in one period type by one breakdown."""

    metric_id: str
    period_type: str
    breakdown: str = HEADLINE


def breakdown_series(store: DataStore, request: BreakdownRequest) -> pd.DataFrame:
    """Rows per breakdown value and period: area (with intervals from counts where the source
    gave none), comparator mean/min/max and England, with period labels, value labels from the
    catalogue and one ``is_synthetic`` flag per row."""
    frame = store.query("family_breakdown_series", **request.parameters())
    return _with_intervals(_labelled(frame, request.key), request.key)


@dataclass(frozen=True)
class AllAreas:
    """Every council's ``breakdown_series`` of some series keys under one comparator method,
    from one query (``family_all_areas.sql``): per key, every council's rows and where each
    council's are (``series.AreaRows``, as the Area profile keeps them), so a council's
    series is a look-up."""

    rows: dict[SeriesKey, AreaRows]
    areas: frozenset[str]

    def series(self, request: BreakdownRequest) -> pd.DataFrame | None:
        """The rows ``breakdown_series`` gives for the request (a copy), or None when the key
        or the area is not in this table."""
        if self.rows_of(request) is None:
            return None
        return self.rows[request.key].of(request.area_code)

    def rows_of(self, request: BreakdownRequest) -> tuple[pd.DataFrame, np.ndarray] | None:
        """Every council's rows of the request's key (read, never change them) and where the
        area's are, or None as ``series``: a caller that keeps some of the area's rows takes
        them once, without copying all of them first."""
        key = request.key
        if key not in self.rows or request.area_code not in self.areas:
            return None
        return self.rows[key].frame, self.rows[key].rows_of(request.area_code)


def all_areas(store: DataStore, keys: tuple[SeriesKey, ...], method: str) -> AllAreas:
    """Every council's series of ``keys`` under ``method``: built once per data version (one
    query over every council) and kept by the store, so a page for a council nobody asked for
    yet is a look-up."""
    keys = tuple(sorted(set(keys)))
    parameters = {"keys": keys, "method": method}
    return store.shared("family_all_areas", parameters, lambda: _all_areas(store, keys, method))


def _all_areas(store: DataStore, keys: tuple[SeriesKey, ...], method: str) -> AllAreas:
    catalogue = load_catalogue()
    frame = store.query_once(
        "family_all_areas",
        keys=[asdict(key) for key in keys],
        sources=sorted({catalogue.get(key.metric_id).source for key in keys}),
        method=method,
    )
    areas = frozenset(store.query("areas")["area_code"]) - {ENGLAND_CODE}
    by_key = {}
    key_columns = ["metric_id", "period_type", "breakdown"]
    for values, rows in frame.groupby(key_columns, sort=False):
        key = SeriesKey(*values)
        rows = rows.drop(columns=key_columns).reset_index(drop=True)
        # intervals row by row, before the split: every council's rows agree with its own query
        by_key[key] = AreaRows.split(_with_intervals(_labelled(rows, key), key))
    for key in keys:  # no council has rows of this key: each gets none
        if key not in by_key:
            empty = frame.iloc[0:0].drop(columns=key_columns).reset_index(drop=True)
            by_key[key] = AreaRows.split(_with_intervals(_labelled(empty, key), key))
    return AllAreas(by_key, areas)


def _labelled(frame: pd.DataFrame, key: SeriesKey) -> pd.DataFrame:
    """The SQL's rows with dates, period and value labels and flags (each label worked out
    once per distinct value: a table of every council has hundreds of thousands of rows)."""
    metric = load_catalogue().get(key.metric_id)
    frame["period_start"] = pd.to_datetime(frame["period_start"]).dt.date
    starts = frame["period_start"].unique()
    period_labels = dict(zip(starts, periods.labels(starts, key.period_type), strict=True))
    frame["period_label"] = frame["period_start"].map(period_labels).astype(object)
    values = frame["breakdown_value"].unique()
    value_labels = {value: value_label(metric, key.breakdown, value) for value in values}
    frame["breakdown_label"] = frame["breakdown_value"].map(value_labels).astype(object)
    flags = frame[["area_is_synthetic", "comparator_is_synthetic", "england_is_synthetic"]]
    frame["is_synthetic"] = flags.fillna(False).astype(bool).any(axis=1)
    frame["area_is_synthetic"] = frame["area_is_synthetic"].fillna(False).astype(bool)
    frame["area_suppressed"] = frame["area_suppressed"].fillna(False).astype(bool)
    return frame


def _with_intervals(frame: pd.DataFrame, key: SeriesKey) -> pd.DataFrame:
    """The area's intervals from its counts where the source gave none."""
    return judgements.fill_intervals(frame, load_catalogue().get(key.metric_id), "area")


def value_label(metric: Metric, breakdown: str, value: str) -> str:
    """The catalogue label of a breakdown value. Nested breakdowns such as
    "service_type:nursing_home" hold values of another breakdown (ratings), so the value is
    looked up in the named breakdown first and then in the metric's others."""
    if breakdown == HEADLINE:
        return "All"
    name = breakdown.partition(":")[0]
    for codes in (metric.breakdowns.get(name, {}), *metric.breakdowns.values()):
        if value in codes:
            return codes[value]
    return value
