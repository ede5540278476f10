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


@dataclass(frozen=True)
class HeadlineSeries:
    """The look-up: rows without their keys, and where each (area, metric, period type)'s
    and each area's comparator group are."""

    rows: pd.DataFrame  # metric_series.sql's columns, ordered by area, metric, type, period
    spans: dict[tuple[str, str, str], tuple[int, int]]
    areas: frozenset[str]  # every subject: an area not here is left to the per-area query
    groups: pd.DataFrame  # peer_code, peer_name, peer_rank per area, nearest first
    group_spans: dict[str, tuple[int, int]]

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
        group = self.groups.iloc[start:stop]
        spans = [
            self.spans.get((peer, metric_id, period_type), (0, 0)) for peer in group["peer_code"]
        ]
        positions = np.concatenate(
            [np.arange(first, last) for first, last in spans] or [np.empty(0, dtype=int)]
        )
        rows = self.rows.iloc[positions]
        repeat = np.repeat(np.arange(len(group)), [last - first for first, last in spans])
        peers = group.iloc[repeat].reset_index(drop=True)
        frame = pd.DataFrame(
            {
                "period_start": rows["period_start"].to_numpy(),
                "peer_code": peers["peer_code"],
                "peer_name": peers["peer_name"],
                "peer_rank": peers["peer_rank"],
                "value": rows["area_value"].to_numpy(),
                "numerator": rows["area_numerator"].to_numpy(),
                "denominator": rows["area_denominator"].to_numpy(),
                "suppressed": rows["area_suppressed"].array,
            }
        )
        frame = frame[frame["suppressed"].notna()]  # the peer's own row exists
        ordered = frame.sort_values("period_start", kind="stable").reset_index(drop=True)
        return _as_queried(ordered)


def headline_series(store: DataStore, method: str) -> HeadlineSeries:
    """The look-up for ``method``, built once per data version."""
    return store.shared("headline_series", {"method": method}, lambda: _build(store, method))


def _build(store: DataStore, method: str) -> HeadlineSeries:
    frame = store.query_once("headline_all_areas", method=method)
    groups = store.query_once("comparator_groups", method=method)
    rows = frame.drop(columns=KEYS).astype({c: "category" for c in CATEGORIES})
    return HeadlineSeries(
        rows=rows,
        spans=_spans(frame, KEYS),
        areas=frozenset(store.query_once("areas")["area_code"]),
        groups=groups.drop(columns="area_code"),
        group_spans={key[0]: span for key, span in _spans(groups, ["area_code"]).items()},
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
