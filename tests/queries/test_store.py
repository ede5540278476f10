import threading

import pandas as pd
import pytest

from queries import series
from queries.schema import ENGLAND_CODE
from queries.store import SQL_DIR, DataNotPublishedError, DataStore, QueryError
from tests.fixtures import COUNCILS, ENGLAND, publish_fixture

SERIES_PARAMS = dict(
    metric="dtoc_rate",
    area=COUNCILS[0],
    method="default",
    period_type="month",
    breakdown="all",
    breakdown_value="all",
    period_from="1900-01-01",
    period_to="2100-01-01",
)


@pytest.fixture()
def store(tmp_path):
    publish_fixture(tmp_path)
    return DataStore(tmp_path)


class TestDataStore:
    def test_unpublished_directory_gives_a_clear_error(self, tmp_path):
        with pytest.raises(DataNotPublishedError, match="lsr demo"):
            DataStore(tmp_path).query("areas")

    def test_runs_a_named_query(self, store):
        areas = store.query("areas")
        assert len(areas) == 21
        assert areas.iloc[0]["area_code"] == ENGLAND

    def test_missing_and_unexpected_parameters_are_refused(self, store):
        with pytest.raises(QueryError, match="missing.*area"):
            store.query("comparator_peers", method="default")
        with pytest.raises(QueryError, match="unexpected.*colour"):
            store.query("areas", colour="red")

    def test_unknown_query(self, store):
        with pytest.raises(QueryError, match="no query named"):
            store.query("drop_everything")

    def test_parameters_are_bound_not_formatted(self, store):
        hostile = "E06000001' OR '1'='1"
        frame = store.query("comparator_peers", area=hostile, method="default")
        assert frame.empty

    def test_switches_to_a_newly_published_version(self, store, tmp_path):
        before = store.query("metric_series", **SERIES_PARAMS)["area_value"].tolist()
        publish_fixture(tmp_path, seed=99)
        after = store.query("metric_series", **SERIES_PARAMS)["area_value"].tolist()
        assert before != after

    def test_concurrent_calls_each_get_their_own_cursor(self, store):
        results, errors = [], []

        def work():
            try:
                results.append(len(store.query("metric_series", **SERIES_PARAMS)))
            except Exception as error:  # noqa: BLE001 - collected for the assertion
                errors.append(error)

        threads = [threading.Thread(target=work) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        assert results == [24] * 8

    def test_tables_without_rows_are_empty_views(self, store):
        connection = store._connection_for(store.version)
        assert connection.execute("SELECT COUNT(*) FROM areas").fetchone()[0] > 0
        assert connection.execute("SELECT COUNT(*) FROM cqc_locations").fetchone()[0] == 0


class TestMetricSeriesSql:
    def test_comparator_aggregates_are_those_of_the_fifteen_peers(self, store):
        frame = store.query("metric_series", **SERIES_PARAMS)
        peers = store.query("peer_values", **SERIES_PARAMS)
        first = peers[peers["period_start"] == peers["period_start"].min()]
        assert len(first) == 15
        row = frame.iloc[0]
        assert row["comparator_mean"] == pytest.approx(first["value"].mean())
        assert row["comparator_min"] == pytest.approx(first["value"].min())
        assert row["comparator_max"] == pytest.approx(first["value"].max())
        assert row["comparator_n"] == row["comparator_expected"] == 15
        assert COUNCILS[0] not in set(first["peer_code"])

    def test_methods_give_different_groups(self, store):
        a = store.query("comparator_peers", area=COUNCILS[0], method="default")
        b = store.query("comparator_peers", area=COUNCILS[0], method="oflog-nn")
        assert set(a["area_code"]) != set(b["area_code"])

    def test_period_range_is_inclusive(self, store):
        params = dict(SERIES_PARAMS, period_from="2016-06-01", period_to="2016-08-01")
        frame = store.query("metric_series", **params)
        assert [str(d.date()) for d in frame["period_start"]] == [
            "2016-06-01",
            "2016-07-01",
            "2016-08-01",
        ]

    def test_suppressed_area_values_stay_suppressed(self, store):
        params = dict(SERIES_PARAMS, metric="ea65_rate", period_type="quarter")
        frame = store.query("metric_series", **params)
        first = frame.iloc[0]
        assert bool(first["area_suppressed"]) and first["area_value"] != first["area_value"]


class TestComposedSql:
    """Shared SQL is written once and composed by name; England's code comes from the store."""

    @pytest.fixture()
    def sql_dir(self, tmp_path):
        (tmp_path / "sql" / "shared").mkdir(parents=True)
        (tmp_path / "sql" / "shared" / "two.sql").write_text("two AS (SELECT 2 AS n)\n")
        (tmp_path / "sql" / "uses_two.sql").write_text("WITH\n-- include: two\nSELECT n FROM two")
        (tmp_path / "sql" / "uses_none.sql").write_text("WITH\n-- include: none\nSELECT 1")
        (tmp_path / "sql" / "england.sql").write_text("SELECT $england AS code, $area AS area")
        publish_fixture(tmp_path / "data")
        return tmp_path / "sql"

    def test_a_shared_part_is_included_by_name(self, sql_dir, tmp_path):
        store = DataStore(tmp_path / "data", sql_dir=sql_dir)
        assert store.query("uses_two")["n"].tolist() == [2]
        with pytest.raises(QueryError, match="no shared SQL named 'none'"):
            store.query("uses_none")

    def test_england_is_supplied_by_the_store_not_the_caller(self, sql_dir, tmp_path):
        store = DataStore(tmp_path / "data", sql_dir=sql_dir)
        assert store.query("england", area="x")["code"].tolist() == [ENGLAND_CODE]
        with pytest.raises(QueryError, match="takes \\['area'\\].*unexpected \\['england'\\]"):
            store.query("england", area="x", england="E06000001")

    @pytest.mark.parametrize("name", ["metric_series", "family_breakdown_series", "profile_series"])
    def test_the_series_queries_roll_up_through_the_one_shared_part(self, name):
        text = (SQL_DIR / f"{name}.sql").read_text()
        assert "-- include: rollup" in text
        assert "FILTER" not in text and "GROUP BY" not in text

    def test_the_three_series_queries_give_the_same_headline_answers(self, store):
        series = store.query("metric_series", **SERIES_PARAMS).drop(columns="source")
        family = store.query(
            "family_breakdown_series",
            **{k: SERIES_PARAMS[k] for k in ("metric", "area", "method", "period_type")},
            breakdown="all",
        )
        profile = store.query("profile_series", method="default")
        headline = (
            (profile["area_code"] == COUNCILS[0])
            & (profile["metric_id"] == "dtoc_rate")
            & (profile["period_type"] == "month")
        )
        profile = profile[headline]
        assert series["england_value"].notna().all()
        shared = [c for c in series.columns if c in family.columns]
        assert len(shared) == 20
        assert series[shared].equals(family[shared])
        shared = [c for c in series.columns if c in profile.columns]
        assert len(shared) == 17
        assert series[shared].equals(profile[shared].reset_index(drop=True))


class TestResultCache:
    def test_repeated_query_is_served_from_memory(self, store):
        store.query("metric_series", **SERIES_PARAMS)
        store.query("metric_series", **SERIES_PARAMS)
        assert (store.cache.stats.hits, store.cache.stats.misses) == (1, 1)
        assert store.cache.stats.hit_ratio == 0.5

    def test_callers_cannot_corrupt_cached_results(self, store):
        first = store.query("areas")
        first["name"] = "overwritten"
        assert "overwritten" not in set(store.query("areas")["name"])

    def test_a_new_version_is_a_new_key(self, store, tmp_path):
        store.query("areas")
        publish_fixture(tmp_path, seed=5)
        store.query("areas")
        assert store.cache.stats.misses == 2

    def test_cache_is_bounded(self, tmp_path):
        publish_fixture(tmp_path)
        small = DataStore(tmp_path, cache_entries=2)
        for method in ("default", "oflog-nn", "nope"):
            small.query("comparator_peers", area=COUNCILS[0], method=method)
        assert len(small.cache) == 2


class TestDerivedFrames:
    def test_computed_once_per_version_and_parameters(self, store, tmp_path):
        calls = []

        def compute():
            calls.append(1)
            return store.query("areas").assign(rank=1)

        for _ in range(2):
            assert store.derived("ranked", {"area": "x"}, compute)["rank"].eq(1).all()
        store.derived("ranked", {"area": "y"}, compute)
        assert len(calls) == 2
        publish_fixture(tmp_path, seed=5)
        store.derived("ranked", {"area": "x"}, compute)
        assert len(calls) == 3

    def test_callers_cannot_corrupt_a_derived_frame(self, store):
        first = store.derived("areas", {}, lambda: store.query("areas"))
        first["name"] = "overwritten"
        again = store.derived("areas", {}, lambda: store.query("areas").iloc[:0])
        assert len(again) == 21 and "overwritten" not in set(again["name"])


class TestSharedValues:
    def test_computed_once_per_version_by_one_thread_and_not_copied(self, store, tmp_path):
        calls, seen = [], []
        started = threading.Event()

        def compute():
            calls.append(1)
            started.wait(1)  # the other threads ask while this one is computing
            return {"areas": store.query("areas")}

        threads = [
            threading.Thread(target=lambda: seen.append(store.shared("all", {}, compute)))
            for _ in range(6)
        ]
        for thread in threads:
            thread.start()
        started.set()
        for thread in threads:
            thread.join()
        assert len(calls) == 1
        assert all(value is seen[0] for value in seen)
        publish_fixture(tmp_path, seed=5)
        assert store.shared("all", {}, compute) is not seen[0]
        assert len(calls) == 2

    def test_the_profile_of_one_council_is_a_look_up_in_every_councils(self, store):
        # Given every council's profile, queried once
        every = store.query("profile_series", method="default")
        assert set(every["area_code"]) >= set(COUNCILS)
        # When one council's is asked for
        one = series.profile_series(store, COUNCILS[1], "default")
        # Then it holds that council's rows only, as the metric series roll-up gives them
        mine = every[every["area_code"] == COUNCILS[1]]
        assert len(one) == len(mine) > 0
        request = series.SeriesRequest("dtoc_rate", COUNCILS[1], period_type="month")
        alone = series.metric_series(store, request)
        headline = one[(one["metric_id"] == "dtoc_rate") & (one["period_type"] == "month")]
        assert headline["area_value"].tolist() == alone["area_value"].tolist()
        assert headline["comparator_mean"].tolist() == pytest.approx(
            alone["comparator_mean"].tolist(), rel=1e-12
        )
        assert series.profile_series(store, "nowhere", "default").empty

    def test_a_metrics_availability_is_a_look_up_in_every_metrics(self, store):
        # Given the published metrics, and one that has no rows
        metrics = store.query_once("metric_availability_all")["metric_id"].unique().tolist()
        assert len(metrics) >= 3
        for metric_id in metrics:
            # When its availability is looked up; Then it is what its own query gives
            expected = store.query("metric_availability", metric=metric_id)
            found = series.metric_availability(store, metric_id)
            pd.testing.assert_frame_equal(found, expected, check_exact=True)
        none = series.metric_availability(store, "no_such_metric")
        assert none.empty
        assert list(none.columns) == list(store.query("metric_availability", metric="x").columns)
        computed = store.cache.stats.per_query["shared:metric_availability"]
        assert len(computed) == 1  # once for every metric


class TestPinnedVersion:
    def test_a_pinned_request_keeps_reading_its_version_across_a_publish(self, store, tmp_path):
        with store.pinned() as version:
            before = store.query("metric_series", **SERIES_PARAMS)["area_value"].tolist()
            publish_fixture(tmp_path, seed=42)
            during = store.query("metric_series", **SERIES_PARAMS)["area_value"].tolist()
            assert store.version == version
        assert before == during
        assert store.version != version
