"""The demo build is deterministic and publishes every family the pages need."""

import hashlib

import pytest

from extracts.demo import build_demo
from extracts.publish import current_version, read_table, version_dir


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
