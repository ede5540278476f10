"""lsr ingest hes-apc|hes-ae: errors name file, row and field and publish nothing; a good file
publishes the hes indicators and puts the records in place; the demo entry point works."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from extracts.ingest import hes
from extracts.ingest.problems import IngestError
from extracts.publish import current_version, read_table, version_dir
from queries import hes_schema
from tests.fixtures import COUNCILS, publish_fixture

HEADER = [f.name for f in hes_schema.HES_APC.schema if f.name != "SPELL_ID"]


def apc_row(key: int, **changes) -> dict:
    row = dict(
        EPIKEY=key,
        PSEUDO_HESID=f"patient{key % 3}",
        EPIORDER=1,
        ADMIDATE="2016-05-01",
        EPISTART="2016-05-01",
        EPIEND="2016-05-12",
        DISDATE="2016-05-12",
        ADMIMETH="21",
        ADMISORC="19",
        DISDEST="19",
        DISMETH="1",
        STARTAGE=81,
        SEX="2",
        RESLADST_ONS=COUNCILS[key % 4],
        PROCODE3="RXX",
        DIAG_4_01="S720",
        DIAG_4_02="",
        RECORD_WEIGHT=1,
    )
    row.update(changes)
    return row


def write_csv(path: Path, rows: list[dict], header=HEADER) -> Path:
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def snapshot(data_dir: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(data_dir)): p.read_bytes()
        for p in sorted(data_dir.rglob("*"))
        if p.is_file() and ".lock" not in p.name
    }


@pytest.fixture
def data_dir(tmp_path) -> Path:
    directory = tmp_path / "data"
    publish_fixture(directory)
    return directory


class TestErrors:
    @pytest.mark.parametrize(
        ("rows", "header", "row", "column", "text"),
        [
            ([apc_row(1)], [h for h in HEADER if h != "ADMIMETH"], None, "ADMIMETH", "missing"),
            ([apc_row(1), apc_row(2, ADMIMETH="27")], HEADER, 2, "ADMIMETH", "'27'"),
            (
                [apc_row(1), apc_row(2), apc_row(3, DISDATE="2016-04-30")],
                HEADER,
                3,
                "DISDATE",
                "before ADMIDATE",
            ),
            (
                [apc_row(1, EPIEND="2021-01-01", DISDATE="2021-01-01")],
                HEADER,
                1,
                "EPIEND",
                "outside",
            ),
            ([apc_row(1, ADMIDATE="01/05/2016")], HEADER, 1, "ADMIDATE", "not a valid date"),
            ([apc_row(1, STARTAGE=150)], HEADER, 1, "STARTAGE", "not an age"),
        ],
    )
    def test_names_file_row_field_and_publishes_nothing(
        self, tmp_path, data_dir, rows, header, row, column, text
    ) -> None:
        # Given a published dataset and a faulty extract
        before = snapshot(data_dir)
        path = write_csv(tmp_path / "apc_2016.csv", rows, header)
        # When it is imported
        with pytest.raises(IngestError) as caught:
            hes.ingest([path], data_dir, {"source": "hes-apc"})
        # Then the error says where, and the published data are untouched
        location = caught.value.location
        assert Path(location.file).name == "apc_2016.csv"
        assert (location.row, location.column) == (row, column)
        assert text in caught.value.message
        assert snapshot(data_dir) == before

    def test_unknown_source(self, data_dir) -> None:
        with pytest.raises(ValueError, match="source"):
            hes.ingest([], data_dir, {"source": "hes-op"})


class TestIngest:
    def test_publishes_hes_partition_and_records(self, tmp_path, data_dir) -> None:
        rows = [
            apc_row(
                k,
                ADMIDATE=f"2016-{4 + k % 9:02d}-01",
                EPISTART=f"2016-{4 + k % 9:02d}-01",
                EPIEND=f"2016-{4 + k % 9:02d}-09",
                DISDATE=f"2016-{4 + k % 9:02d}-09",
            )
            for k in range(1, 60)
        ]
        path = write_csv(tmp_path / "apc.csv", rows)
        summary = hes.ingest([path], data_dir, {"source": "hes-apc", "vintage": "2016/17 extract"})
        assert summary.rows == 59 and summary.periods == {"2016-17"}
        assert summary.version == current_version(data_dir)
        indicators = read_table(version_dir(data_dir, summary.version), "indicators").to_pandas()
        ours = indicators[indicators["source"] == "hes"]
        assert not ours.empty and not ours["is_synthetic"].any()
        assert set(ours["vintage"]) == {"2016/17 extract"}
        assert (indicators["source"] == "dtoc").any()  # other sources kept
        stored = pq.read_table(data_dir / "records" / "hes_apc")
        assert stored.num_rows == 59
        assert not (data_dir / "versions" / summary.version / "hes_apc").exists()


class TestGenerateAndBuild:
    def test_demo_records_and_indicators(self, tmp_path) -> None:
        from tests.extracts.synthetic.conftest import make_areas, make_population, small_subset

        areas = make_areas()
        areas, population = small_subset(areas, make_population(areas))
        table = hes.generate_and_build(tmp_path, areas, population, seed=2, scale=0.01)
        assert table.num_rows > 1_000
        assert set(table.column("source").to_pylist()) == {"hes"}
        assert all(table.column("is_synthetic").to_pylist())
        for name in hes_schema.RECORD_TABLES:
            assert len(list((tmp_path / "records" / name).glob("fy=*/part-*.parquet"))) >= 6
        assert not list((tmp_path / "records").glob(".staging-*"))
        first = table.column("period_start").to_pylist()
        assert min(first) == date(2013, 4, 1)
