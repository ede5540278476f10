import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from extracts.publish import (
    KEEP_VERSIONS,
    PublishError,
    current_version,
    leased_versions,
    publish,
    read_table,
    version_dir,
)
from queries.store import DataStore
from tests.fixtures import COUNCILS, fixture_tables, publish_fixture


def tree_bytes(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


class TestPublish:
    def test_first_publish_creates_a_current_version(self, tmp_path):
        version = publish_fixture(tmp_path)
        assert current_version(tmp_path) == version
        assert (version_dir(tmp_path, version) / "areas" / "part-0.parquet").exists()
        assert (
            version_dir(tmp_path, version) / "indicators" / "source=dtoc" / "part-0.parquet"
        ).exists()

    def test_replacing_one_partition_keeps_the_others(self, tmp_path):
        first = publish_fixture(tmp_path)
        dtoc = read_table(version_dir(tmp_path, first), "indicators")
        dtoc = dtoc.filter(pc.equal(dtoc.column("source"), "dtoc"))
        doubled = dtoc.set_column(
            dtoc.schema.get_field_index("value"), "value", pc.multiply(dtoc.column("value"), 2)
        )
        second = publish(tmp_path, partitions={"indicators": {"dtoc": doubled}})
        merged = read_table(version_dir(tmp_path, second), "indicators")
        assert set(merged.column("source").to_pylist()) == {"dtoc", "hes", "ascof"}
        new_dtoc = merged.filter(pc.equal(merged.column("source"), "dtoc"))
        assert pc.sum(new_dtoc.column("value")).as_py() == pytest.approx(
            2 * pc.sum(dtoc.column("value")).as_py()
        )

    def test_previous_version_stays_readable_after_a_switch(self, tmp_path):
        first = publish_fixture(tmp_path, seed=1)
        before = tree_bytes(version_dir(tmp_path, first))
        second = publish_fixture(tmp_path, seed=2)
        assert current_version(tmp_path) == second != first
        assert tree_bytes(version_dir(tmp_path, first)) == before

    def test_invalid_data_leaves_published_data_byte_identical(self, tmp_path):
        first = publish_fixture(tmp_path)
        before = tree_bytes(tmp_path / "versions")
        tables = fixture_tables()
        areas = tables["areas"]
        tables["areas"] = areas.set_column(0, "area_code", pa.array(["E06000001"] * areas.num_rows))
        with pytest.raises(PublishError, match="duplicate key"):
            publish(tmp_path, tables=tables, fresh=True)
        assert current_version(tmp_path) == first
        assert tree_bytes(tmp_path / "versions") == before
        assert not [p for p in (tmp_path / "versions").iterdir() if p.name.startswith(".staging")]

    def test_unknown_area_code_anywhere_fails_and_names_it(self, tmp_path):
        publish_fixture(tmp_path)
        tables = fixture_tables()
        comparators = tables["comparators"]
        peer = comparators.column("peer_code").to_pylist()
        peer[0] = "E06999999"
        tables["comparators"] = comparators.set_column(2, "peer_code", pa.array(peer))
        with pytest.raises(PublishError, match="E06999999"):
            publish(tmp_path, tables=tables, fresh=True)

    def test_partition_rows_must_carry_their_partition(self, tmp_path):
        publish_fixture(tmp_path)
        indicators = fixture_tables()["indicators"]
        hes = indicators.filter(pc.equal(indicators.column("source"), "hes"))
        with pytest.raises(PublishError, match="partition 'dtoc'"):
            publish(tmp_path, partitions={"indicators": {"dtoc": hes}})

    def test_old_versions_are_pruned_but_current_kept(self, tmp_path):
        versions = [publish_fixture(tmp_path, seed=s) for s in range(5)]
        kept = sorted(p.name for p in (tmp_path / "versions").iterdir())
        assert kept == sorted(versions[-KEEP_VERSIONS:])
        assert current_version(tmp_path) == versions[-1]

    def test_a_version_a_live_reader_leases_is_not_pruned(self, tmp_path):
        first = publish_fixture(tmp_path, seed=0)
        reader = DataStore(tmp_path)
        reader.query("areas")
        for seed in range(1, 5):
            publish_fixture(tmp_path, seed=seed)
        assert version_dir(tmp_path, first).exists()
        assert first in leased_versions(tmp_path)
        reader.query("areas")  # the reader moves on to the current version
        publish_fixture(tmp_path, seed=9)
        assert not version_dir(tmp_path, first).exists()

    def test_leases_of_dead_processes_are_ignored_and_removed(self, tmp_path):
        first = publish_fixture(tmp_path, seed=0)
        leases = tmp_path / "leases"
        leases.mkdir()
        (leases / "999999999.json").write_text(json.dumps({"pid": 999999999, "versions": [first]}))
        for seed in range(1, 4):
            publish_fixture(tmp_path, seed=seed)
        assert not version_dir(tmp_path, first).exists()
        assert not (leases / "999999999.json").exists()

    def test_unchanged_files_are_hard_links_not_copies(self, tmp_path):
        first = publish_fixture(tmp_path)
        second = publish(tmp_path, tables={})
        a = version_dir(tmp_path, first) / "areas" / "part-0.parquet"
        b = version_dir(tmp_path, second) / "areas" / "part-0.parquet"
        assert os.stat(a).st_ino == os.stat(b).st_ino
        assert len(COUNCILS) == 20
