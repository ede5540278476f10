"""The area profile's data: the area's context, its comparator group and, per metric, the
latest value and the history the sparkline draws."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.urls import ProfileState
from queries import series
from queries.areas import AreaDirectory
from queries.catalogue import Metric, load_catalogue
from queries.store import DataStore


@dataclass(frozen=True)
class MetricSummary:
    """One tile: the metric, its latest row (None when absent) and its headline history."""

    metric: Metric
    latest: dict | None
    history: pd.DataFrame


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


def profile_view(store: DataStore, state: ProfileState, *, areas: AreaDirectory) -> ProfileView:
    """Two queries for the whole page: the comparator list and every metric's series."""
    profile = series.profile_series(store, state.area, state.method)
    latest = series.latest_by_metric(profile).set_index("metric_id")
    summaries = []
    for metric in load_catalogue().metrics.values():
        rows = profile[
            (profile["metric_id"] == metric.id)
            & (profile["period_type"] == metric.default_period_type)
        ]
        summaries.append(
            MetricSummary(
                metric=metric,
                latest=latest.loc[metric.id].to_dict() if metric.id in latest.index else None,
                history=rows.sort_values("period_start").reset_index(drop=True),
            )
        )
    return ProfileView(
        state=state,
        area=areas.areas.loc[state.area].to_dict(),
        peers=series.comparator_peers(store, state.area, state.method),
        summaries=summaries,
    )
