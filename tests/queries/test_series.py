"""queries.series: AreaRows gives one area's rows of a frame holding many as a frame."""

from __future__ import annotations

import pandas as pd
import pytest

from queries import series
from queries.series import AreaRows
from queries.store import DataStore
from tests.fixtures import COUNCILS, ENGLAND, publish_fixture


def test_an_areas_rows_together_or_apart_and_the_shared_frame_unchanged():
    frame = pd.DataFrame(
        {"area_code": ["A", "A", "B", "A", "C", "C"], "value": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]}
    )
    rows = AreaRows.split(frame)
    apart, together = rows.of("A"), rows.of("C")
    assert apart["value"].tolist() == [1.0, 2.0, 4.0]
    assert together["value"].tolist() == [5.0, 6.0]
    assert list(together.index) == [0, 1] and "area_code" not in together
    assert rows.of("unknown").empty and list(rows.of("unknown").columns) == ["value"]
    together.loc[0, "value"] = 50.0  # a page changing its copy
    assert rows.frame["value"].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]


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
        ran = len(store.cache.stats.per_query.get("shared:comparator_peers", []))
        assert ran >= 1
        for area in COUNCILS:
            series.comparator_peer_count(store, area, method)
        assert len(store.cache.stats.per_query.get("shared:comparator_peers", [])) == ran
