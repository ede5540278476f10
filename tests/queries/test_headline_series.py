"""Every area's headline series as one look-up: each area's slice is what its own queries
(metric_series.sql, peer_values.sql) give it; what the look-up does not hold is left to them."""

from __future__ import annotations

import pandas as pd
import pytest

from queries import headline_series, series
from queries.store import DataStore
from tests.fixtures import COUNCILS, ENGLAND, publish_fixture


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    directory = tmp_path_factory.mktemp("published")
    publish_fixture(directory)
    return DataStore(directory)


def headline_keys(store: DataStore) -> list[tuple[str, str]]:
    rows = store.query("metric_availability_all")
    headline = rows[rows["breakdown"] == "all"]
    return list(headline[["metric_id", "period_type"]].itertuples(index=False, name=None))


def own_query(store: DataStore, name: str, request: series.SeriesRequest) -> pd.DataFrame:
    return store.query(name, **request.parameters())


@pytest.mark.parametrize("method", ["default", "oflog-nn"])
def test_every_areas_slices_are_its_own_queries_rows(store, method):
    # Given the look-up over every area, and every headline series the data holds
    look_up = headline_series.headline_series(store, method)
    keys = headline_keys(store)
    assert len(keys) >= 3
    for area in [ENGLAND, *COUNCILS[:6]]:
        for metric_id, period_type in keys:
            request = series.SeriesRequest(metric_id, area, method, period_type)
            # When the area's series is looked up
            found = look_up.series(area, metric_id, period_type)
            # Then it is the per-area roll-up (a comparator mean may differ in the last bit)
            expected = own_query(store, "metric_series", request)
            assert not expected.empty
            pd.testing.assert_frame_equal(found, expected, check_exact=False, rtol=1e-12)
            # And its peers' values are exactly the per-area query's, in its order (England
            # has no peers: an empty frame, whose column types DuckDB leaves open)
            peers = look_up.peer_values(area, metric_id, period_type)
            expected = own_query(store, "peer_values", request)
            assert expected.empty == (area == ENGLAND)
            pd.testing.assert_frame_equal(peers, expected, check_dtype=not expected.empty)


def test_a_series_no_area_has_is_empty_with_the_queried_columns(store):
    look_up = headline_series.headline_series(store, "default")
    request = series.SeriesRequest("dtoc_rate", COUNCILS[0], "default", "week")
    for name, found in (
        ("metric_series", look_up.series(COUNCILS[0], "dtoc_rate", "week")),
        ("peer_values", look_up.peer_values(COUNCILS[0], "dtoc_rate", "week")),
    ):
        expected = own_query(store, name, request)
        assert found.empty and expected.empty
        assert list(found.columns) == list(expected.columns)


def test_the_explorer_series_reads_the_look_up_for_the_headline_only(store):
    headline = series.SeriesRequest("dtoc_rate", COUNCILS[2], period_type="month")
    assert series._headline(store, headline) is not None
    for other in (
        series.SeriesRequest("dtoc_rate", "E99999999", period_type="month"),  # unknown area
        series.SeriesRequest("dtoc_rate", COUNCILS[2], period_type="month", breakdown="reason"),
        series.SeriesRequest(
            "dtoc_rate", COUNCILS[2], period_type="month", period_from=pd.Timestamp(2017, 1, 1)
        ),
    ):
        assert series._headline(store, other) is None


def test_only_a_caller_asking_about_every_area_builds_the_look_up(tmp_path):
    # Given a fresh store (the CLI's: one question, then done)
    publish_fixture(tmp_path)
    fresh = DataStore(tmp_path)
    request = series.SeriesRequest("dtoc_rate", COUNCILS[2], period_type="month")
    # When it asks for one series and its peers: their own queries, no look-up
    alone = series.metric_series(fresh, request)
    series.peer_values(fresh, request)
    assert "shared:headline_series" not in fresh.cache.stats.per_query
    assert {"metric_series", "peer_values"} <= fresh.cache.stats.per_query.keys()
    # And a server's explorer reads the look-up, with the same rows
    shared = series.metric_series(fresh, request, every_area=True)
    assert len(fresh.cache.stats.per_query["shared:headline_series"]) == 1
    pd.testing.assert_frame_equal(shared, alone, check_exact=False, rtol=1e-12)


def test_one_query_per_data_version_and_method(store):
    first = headline_series.headline_series(store, "default")
    assert headline_series.headline_series(store, "default") is first
    assert headline_series.headline_series(store, "oflog-nn") is not first
