"""Every area's headline series of every metric, and every area's comparator group: one query
each per data version and comparator method, which the explorer then looks an area's series
and its peers' values up in.

A new view of the explorer used to cost two scans of the indicator files (the series'
roll-up and the peers' values); from this look-up it costs two slices. The rows are those
``metric_series.sql`` and ``peer_values.sql`` give for the area (the same roll-up, with every
area a subject, as the Area profile's look-up is built); a comparator mean may differ from
the per-area query's in the last bit, as DuckDB sums the peers in another order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from queries.store import DataStore

KEYS = ["area_code", "metric_id", "period_type"]
# Columns kept as categories while stored (few distinct values), restored on the way out.
CATEGORIES = ["vintage", "source"]
# What the explorer reads of every area's comparator group (comparator_peers_all.sql, the
# look-up the other pages read too), under the names peer_values.sql gives them.
GROUP_NAMES = {
    "subject": "area_code",
    "area_code": "peer_code",
    "name": "peer_name",
    "rank": "peer_rank",
}


@dataclass(frozen=True)
class HeadlineSeries:
    """The look-up: rows without their keys, and where each (area, metric, period type)'s
    and each area's comparator group are."""

    rows: pd.DataFrame  # metric_series.sql's columns, ordered by area, metric, type, period
    spans: dict[tuple[str, str, str], tuple[int, int]]
    areas: frozenset[str]  # every subject: an area not here is left to the per-area query
    groups: pd.DataFrame  # peer_code, peer_name, peer_rank per area, nearest first
    group_spans: dict[str, tuple[int, int]]
    peer_columns: dict[str, np.ndarray]  # the columns a peer's values are read from, as arrays

    def covers(self, area_code: str) -> bool:
        return area_code in self.areas

    def series(self, area_code: str, metric_id: str, period_type: str) -> pd.DataFrame:
        """What ``metric_series.sql`` returns for the area's headline series (all periods)."""
        start, stop = self.spans.get((area_code, metric_id, period_type), (0, 0))
        return _as_queried(self.rows.iloc[start:stop])

    def peer_values(self, area_code: str, metric_id: str, period_type: str) -> pd.DataFrame:
        """What ``peer_values.sql`` returns: each peer's own row per period (a peer without
        a row for a period has none here either), by period, nearest peer first."""
        start, stop = self.group_spans.get(area_code, (0, 0))
        spans = [
            self.spans.get((peer, metric_id, period_type), (0, 0))
            for peer in self.groups["peer_code"].iloc[start:stop]
        ]
        positions = np.concatenate(
            [np.arange(first, last) for first, last in spans] or [np.empty(0, dtype=int)]
        )
        peers = start + np.repeat(np.arange(len(spans)), [last - first for first, last in spans])
        own = ~self.peer_columns["suppressed_missing"][positions]  # the peer's own row exists
        positions, peers = positions[own], peers[own]
        order = np.argsort(self.peer_columns["period_start"][positions], kind="stable")
        positions, peers = positions[order], peers[order]
        columns = {
            "period_start": self.peer_columns["period_start"][positions],
            **{name: self.groups[name].array.take(peers) for name in self.groups.columns},
            "value": self.peer_columns["area_value"][positions],
            "numerator": self.peer_columns["area_numerator"][positions],
            "denominator": self.peer_columns["area_denominator"][positions],
            "suppressed": self.peer_columns["suppressed"][positions],
        }
        return pd.DataFrame(columns)


def headline_series(store: DataStore, method: str) -> HeadlineSeries:
    """The look-up for ``method``, built once per data version."""
    return store.shared("headline_series", {"method": method}, lambda: _build(store, method))


def _build(store: DataStore, method: str) -> HeadlineSeries:
    frame = store.query_once("headline_all_areas", method=method)
    groups = store.query_once("comparator_peers_all", method=method).rename(columns=GROUP_NAMES)
    groups = groups[list(GROUP_NAMES.values())]
    rows = frame.drop(columns=KEYS).astype({c: "category" for c in CATEGORIES})
    suppressed = rows["area_suppressed"].array
    peer_columns = {
        name: rows[name].to_numpy()
        for name in ("period_start", "area_value", "area_numerator", "area_denominator")
    }
    peer_columns["suppressed"] = suppressed.to_numpy(dtype=bool, na_value=False)
    peer_columns["suppressed_missing"] = suppressed.isna()
    return HeadlineSeries(
        rows=rows,
        spans=_spans(frame, KEYS),
        areas=frozenset(store.query_once("areas")["area_code"]),
        groups=groups.drop(columns="area_code"),
        group_spans={key[0]: span for key, span in _spans(groups, ["area_code"]).items()},
        peer_columns=peer_columns,
    )


def _spans(frame: pd.DataFrame, keys: list[str]) -> dict[tuple, tuple[int, int]]:
    """Each key's first and past-the-last row, in a frame ordered by ``keys``."""
    if frame.empty:
        return {}
    values = [frame[key].to_numpy() for key in keys]
    changes = np.zeros(len(frame), dtype=bool)
    changes[0] = True
    for column in values:
        changes[1:] |= column[1:] != column[:-1]
    starts = np.flatnonzero(changes)
    stops = np.append(starts[1:], len(frame))
    return {
        tuple(column[start] for column in values): (int(start), int(stop))
        for start, stop in zip(starts, stops, strict=True)
    }


def _as_queried(frame: pd.DataFrame) -> pd.DataFrame:
    """A slice with the dtypes DuckDB gives the same rows on their own: flags without a
    missing value as plain bools, categories as strings, numbered from 0."""
    frame = frame.reset_index(drop=True)
    changes = {}
    for name, column in frame.items():
        if isinstance(column.dtype, pd.CategoricalDtype):
            changes[name] = column.astype("str")
        elif isinstance(column.dtype, pd.BooleanDtype) and not column.hasnans:
            changes[name] = column.astype(bool)
    return frame.assign(**changes) if changes else frame
