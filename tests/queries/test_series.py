"""Look-ups of queries.series against the fixture publish."""

from __future__ import annotations

import pytest

from queries import series
from queries.store import DataStore
from tests.fixtures import COUNCILS, ENGLAND, publish_fixture


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    directory = tmp_path_factory.mktemp("series")
    publish_fixture(directory)
    return DataStore(directory)


class TestComparatorPeerCount:
    def test_every_areas_count_is_the_length_of_its_peers(self, store):
        methods = series.comparator_methods(store)["method"].tolist()
        assert methods
        for method in methods:
            for area in [*COUNCILS, ENGLAND, "E99999999"]:
                peers = series.comparator_peers(store, area, method)
                assert series.comparator_peer_count(store, area, method) == len(peers)
        assert series.comparator_peer_count(store, COUNCILS[0], methods[0]) > 0

    def test_one_query_per_version_and_method(self, store):
        method = series.comparator_methods(store)["method"].iloc[0]
        series.comparator_peer_count(store, COUNCILS[0], method)
        ran = len(store.cache.stats.per_query.get("shared:comparator_peer_counts", []))
        assert ran >= 1
        for area in COUNCILS:
            series.comparator_peer_count(store, area, method)
        assert len(store.cache.stats.per_query.get("shared:comparator_peer_counts", [])) == ran
