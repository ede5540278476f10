"""The demo build is deterministic and publishes every family the pages need."""

import hashlib

import pytest

from extracts.demo import build_demo
from extracts.publish import current_version, read_table, version_dir
from queries.series import SeriesRequest, metric_series
from queries.store import DataStore


def content_digests(data_dir):
    root = version_dir(data_dir, current_version(data_dir))
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*.parquet"))
    }


@pytest.fixture(scope="module")
def demo_dirs(tmp_path_factory):
    first, second, other = (tmp_path_factory.mktemp(n) for n in ("a", "b", "c"))
    build_demo(first, seed=7, progress=False)
    build_demo(second, seed=7, progress=False)
    build_demo(other, seed=8, progress=False)
    return first, second, other


class TestDemoBuild:
    def test_same_seed_gives_byte_identical_tables(self, demo_dirs):
        first, second, _ = demo_dirs
        assert content_digests(first) == content_digests(second)

    def test_another_seed_changes_the_synthetic_families_only(self, demo_dirs):
        first, _, other = demo_dirs
        a, c = content_digests(first), content_digests(other)
        assert a["areas/part-0.parquet"] == c["areas/part-0.parquet"]
        assert a["population/part-0.parquet"] == c["population/part-0.parquet"]
        assert (
            a["indicators/source=chc/part-0.parquet"] != c["indicators/source=chc/part-0.parquet"]
        )

    def test_every_family_and_152_councils_are_published(self, demo_dirs):
        root = version_dir(demo_dirs[0], current_version(demo_dirs[0]))
        indicators = read_table(root, "indicators").to_pandas()
        assert {"dtoc", "ascof", "chc", "cqc", "context"} <= set(indicators["source"])
        councils = indicators.loc[indicators["area_code"] != "E92000001", "area_code"].nunique()
        assert councils == 152
        datasets = read_table(root, "datasets").to_pandas()
        assert datasets["is_synthetic"].any() and (~datasets["is_synthetic"]).any()
        assert {"ons-mye", "reference-areas", "comparators"} <= set(datasets["dataset_id"])


@pytest.fixture(scope="module")
def indicators(demo_dirs):
    root = version_dir(demo_dirs[0], current_version(demo_dirs[0]))
    return read_table(root, "indicators").to_pandas()


class TestRealAndSyntheticNeverSpliced:
    """Issue 13.1 and 13.3, over the whole demo build."""

    def test_no_series_mixes_real_and_synthetic_values(self, indicators):
        series = ["metric_id", "area_code", "breakdown", "breakdown_value"]
        kinds = indicators.groupby(series)["is_synthetic"].nunique()
        assert kinds.max() == 1, kinds[kinds > 1].head().to_dict()
        # and no metric is real for some councils and synthetic for others
        per_metric = indicators.groupby("metric_id")["is_synthetic"].nunique()
        assert per_metric.max() == 1, per_metric[per_metric > 1].to_dict()

    def test_metrics_with_a_real_source_are_real_every_year_the_files_hold(self, indicators):
        real = indicators[~indicators["is_synthetic"]]
        years = real.groupby("metric_id")["period_start"].agg(["min", "max"])
        assert str(years.loc["ascof_3d1", "min"]) == "2015-04-01"  # Oflog
        assert str(years.loc["ascof_2d", "max"]) == "2022-04-01"
        assert str(years.loc["sfc_turnover", "min"]) == "2016-04-01"
        assert str(years.loc["ascof_2a2", "max"]) == "2023-04-01"  # LG Inform
        assert str(years.loc["ascof_2c1", "min"]) == "2015-04-01"  # days-based ASCOF 2C
        synthetic = set(indicators.loc[indicators["is_synthetic"], "metric_id"])
        assert not {m for m in synthetic if m.startswith("ascof_")}

    def test_social_care_2c_equals_the_delayed_transfers_figures(self, indicators):
        years = indicators[indicators["period_type"] == "financial_year"]
        key = ["area_code", "period_start"]
        for metric_id, breakdown in (("ascof_2c1", "all"), ("ascof_2c2", "social_care")):
            ascof = years[years["metric_id"] == metric_id].set_index(key)["value"]
            dtoc = years[
                (years["metric_id"] == "dtoc_rate") & (years["breakdown_value"] == breakdown)
            ].set_index(key)["value"]
            # 2015/16–2018/19 for England and 151 councils (no DTOC return for the Isles of
            # Scilly; City of London misses two years)
            assert len(ascof) == 4 * 152 - 2
            paired = ascof.to_frame("ascof").join(dtoc.rename("dtoc"), how="inner")
            assert len(paired) == len(ascof)
            assert (paired["ascof"] - paired["dtoc"]).abs().max() < 1e-9

    def test_coventry_2016_17_on_both_pages(self, demo_dirs):
        store = DataStore(demo_dirs[0])
        coventry = "E08000026"
        social = metric_series(store, SeriesRequest("ascof_2c1", coventry)).set_index(
            "period_label"
        )
        delayed = metric_series(
            store, SeriesRequest("dtoc_rate", coventry, period_type="financial_year")
        ).set_index("period_label")
        assert round(social.loc["2016/17", "area_value"], 1) == 23.6
        assert social.loc["2016/17", "area_value"] == delayed.loc["2016/17", "area_value"]
        assert (
            social.loc["2016/17", "vs_england"] == delayed.loc["2016/17", "vs_england"] == "worse"
        )


def test_area_profile_shows_workforce_turnover(demo_dirs):
    """Issue 13.2: the profile's workforce section has Skills for Care turnover (via Oflog)."""
    from dashboard.profile.view import profile_view
    from dashboard.urls import ProfileState
    from queries.areas import AreaDirectory

    store = DataStore(demo_dirs[0])
    view = profile_view(
        store, ProfileState("E08000026", "default"), areas=AreaDirectory.load(store)
    )
    sections = dict(view.by_family())
    tiles = {tile.metric.id: tile for tile in sections["Context and workforce"]}
    turnover = tiles["sfc_turnover"]
    assert turnover.latest is not None
    assert round(turnover.latest["area_value"], 1) == 25.6  # Coventry 2022/23
    assert not turnover.latest["is_synthetic"]
    assert turnover.latest["vs_comparator"] == "not compared"  # a context metric
    # 2016/17 – 2022/23; Oflog publishes no 2020/21 figure for Coventry
    assert turnover.history["area_value"].notna().sum() == 6
