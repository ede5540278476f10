"""Look-ups every page needs (areas, comparator methods, what data each metric has).

Cached per data directory and published version, so a page load costs no extra queries and a
new publish is picked up on the next request.
"""

from __future__ import annotations

from functools import lru_cache

from dashboard import context
from dashboard.urls import Choices, MetricOptions
from queries import series
from queries.areas import AreaDirectory
from queries.catalogue import load_catalogue
from queries.store import DataStore

PREFERRED_DEFAULT_AREA = "E08000012"  # Liverpool
ALL = "all"


def directory() -> AreaDirectory:
    store = context.store()
    return _directory(str(store.data_dir), store.version)


def choices() -> Choices:
    """Valid areas and comparator methods for URL parsing, defaults first."""
    store = context.store()
    return _choices(str(store.data_dir), store.version)


def metric_options(metric_id: str) -> MetricOptions:
    """Period types (catalogue order first) and breakdowns that the data holds for a metric."""
    store = context.store()
    return _metric_options(str(store.data_dir), store.version, metric_id)


def metric_names() -> dict[str, str]:
    """Every catalogue metric id -> short name, the default first: the first interface metric
    with data."""
    store = context.store()
    catalogue = load_catalogue()
    return {i: catalogue.get(i).short for i in _metric_ids(str(store.data_dir), store.version)}


def default_area(areas: AreaDirectory) -> str:
    """Liverpool when present, else the first reviewed council, else the first council."""
    councils = areas.councils
    if PREFERRED_DEFAULT_AREA in councils.index:
        return PREFERRED_DEFAULT_AREA
    reviewed = councils[councils["reviewed"].fillna(False).astype(bool)]
    pool = reviewed if not reviewed.empty else councils
    return str(pool.sort_values("name")["area_code"].iloc[0])


def _store(data_dir: str) -> DataStore:
    """The current store; the cache keys carry its directory and version, never the object."""
    return context.store()


@lru_cache(maxsize=4)
def _directory(data_dir: str, version: str) -> AreaDirectory:
    return AreaDirectory.load(_store(data_dir))


@lru_cache(maxsize=4)
def _choices(data_dir: str, version: str) -> Choices:
    areas = _directory(data_dir, version)
    councils = areas.councils
    methods = series.comparator_methods(_store(data_dir))["method"].tolist() or ["default"]
    return Choices(
        areas=dict(zip(councils["area_code"], councils["name"], strict=True)),
        methods=tuple(methods),
        default_area=default_area(areas),
        resolve_area=areas.resolve,
    )


@lru_cache(maxsize=256)
def _metric_options(data_dir: str, version: str, metric_id: str) -> MetricOptions:
    metric = load_catalogue().get(metric_id)
    available = series.metric_availability(_store(data_dir), metric_id)
    present = set(available["period_type"])
    ordered = [t for t in metric.period_types if t in present]
    ordered += sorted(present - set(ordered))
    breakdowns = available.loc[available["breakdown"] != ALL, ["breakdown", "breakdown_value"]]
    return MetricOptions(
        period_types=tuple(ordered) or metric.period_types,
        breakdowns=tuple(dict.fromkeys(breakdowns.itertuples(index=False, name=None))),
        headline=available.empty or bool((available["breakdown"] == ALL).any()),
    )


@lru_cache(maxsize=4)
def _metric_ids(data_dir: str, version: str) -> tuple[str, ...]:
    catalogue = load_catalogue()
    ids = list(catalogue.metrics)
    for metric in catalogue.interface_metrics():
        if not series.metric_availability(_store(data_dir), metric.id).empty:
            ids.remove(metric.id)
            return (metric.id, *ids)
    return tuple(ids)
