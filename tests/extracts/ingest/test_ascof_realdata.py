"""ASCOF conformance on the real files in ../shared/real-data (skipped when absent): the
derived NHS Digital 2018-19 CSV and Oflog's ASC_data.csv, and the committed open snapshot."""

from __future__ import annotations

from datetime import date

import pyarrow.compute as pc
import pytest

from extracts.ingest import ascof
from extracts.open_data import OPEN_DIR
from queries import schema

ENGLAND = schema.ENGLAND_CODE
COVENTRY = "E08000026"
Y2016, Y2018 = date(2016, 4, 1), date(2018, 4, 1)


@pytest.fixture(scope="module")
def built(real_data):
    if not (OPEN_DIR / "areas.csv").exists():
        pytest.skip("data/open reference snapshots not built yet")
    return ascof.build_open_snapshot(real_data)


def value(table, metric_id, area, start, breakdown_value="all"):
    found = [
        r["value"]
        for r in table.to_pylist()
        if (r["metric_id"], r["area_code"], r["period_start"], r["breakdown_value"])
        == (metric_id, area, start, breakdown_value)
    ]
    assert len(found) == 1, (metric_id, area, start, breakdown_value, found)
    return found[0]


class TestRealFiles:
    def test_row_counts_and_flags(self, built):
        table, summary = built
        assert table.num_rows == 10_689
        assert set(table.column("source").to_pylist()) == {"ascof"}
        assert not any(table.column("is_synthetic").to_pylist())
        assert set(table.column("period_type").to_pylist()) == {"financial_year"}
        starts = table.column("period_start").to_pylist()
        assert {d.month for d in starts} == {4} and {d.day for d in starts} == {1}
        assert min(starts) == date(2010, 4, 1) and max(starts) == date(2024, 4, 1)

    def test_all_152_councils_in_2018_19_for_every_metric(self, built):
        table, _ = built
        rows = table.filter(pc.equal(table["period_start"], Y2018)).to_pylist()
        metrics = {r["metric_id"] for r in rows}
        # every ASCOF metric of the catalogue but 2C (derived from DTOC), and Oflog's two
        assert len(metrics) == 16 and not metrics & {"ascof_2c1", "ascof_2c2"}
        assert {"sfc_turnover", "asc_requests_service"} <= metrics
        councils = {r["area_code"] for r in rows if r["area_code"] != ENGLAND}
        assert len(councils) == 152
        for metric_id in ("ascof_2b1", "ascof_2b2", "ascof_2a2", "ascof_1c2a", "sfc_turnover"):
            assert {r["area_code"] for r in rows if r["metric_id"] == metric_id} >= councils

    def test_england_sanity_values_2018_19(self, built):
        table, _ = built
        assert value(table, "ascof_2b1", ENGLAND, Y2018) == 82.4
        assert value(table, "ascof_2b2", ENGLAND, Y2018) == 2.8
        assert value(table, "ascof_1c2a", ENGLAND, Y2018, "65+") == 17.6
        assert value(table, "ascof_2a2", ENGLAND, Y2018) == 577.6
        assert value(table, "ascof_1a", ENGLAND, Y2018) == 19.1

    def test_oflog_years_and_measures(self, built):
        table, summary = built
        assert value(table, "ascof_3d1", COVENTRY, Y2016) == 69.4
        assert value(table, "ascof_3d2", COVENTRY, Y2016) == 59.5
        # Oflog's "ASC Quality of Life" is 1J (≈ 0.40), never filed as 1A (score out of 24)
        scores = [r["value"] for r in table.to_pylist() if r["metric_id"] == "ascof_1a"]
        assert min(v for v in scores if v is not None) > 10
        assert any("ASCOF 1J" in w for w in summary.warnings)
        assert any("E06000058" in w for w in summary.warnings)
        # Oflog has no England row: England of those years is left missing and said so
        assert not any(
            (r["metric_id"], r["area_code"], r["period_start"]) == ("ascof_3d1", ENGLAND, Y2016)
            for r in table.to_pylist()
        )
        assert any("ascof_3d1: no England figure for 2015/16" in w for w in summary.warnings)

    def test_every_real_year_of_oflog_and_lg_inform(self, built):
        table, summary = built
        # Oflog: workforce turnover (Skills for Care) and requests resulting in a service
        assert value(table, "sfc_turnover", COVENTRY, Y2016) == pytest.approx(26.0567248)
        assert value(table, "sfc_turnover", COVENTRY, date(2022, 4, 1)) == pytest.approx(25.5668)
        assert value(table, "asc_requests_service", COVENTRY, date(2015, 4, 1)) == pytest.approx(
            906.400296
        )
        assert value(table, "ascof_2d", COVENTRY, date(2022, 4, 1)) == 75.0
        # LG Inform (traffordDataLab): 2A(2) and 3A for Trafford's peers and England, 2B(1)
        trafford = "E08000009"
        assert value(table, "ascof_2a2", trafford, Y2016) == 883.2
        assert value(table, "ascof_2a2", ENGLAND, Y2016) == 610.7
        assert value(table, "ascof_2a2", ENGLAND, date(2023, 4, 1)) == 566.0
        assert value(table, "ascof_2b1", trafford, date(2010, 4, 1)) == 73.7
        assert value(table, "ascof_3a", "E08000007", date(2024, 4, 1)) is not None
        # where LG Inform and NHS Digital both give 2018/19 they agree (no cross-check warning)
        assert not any("lginform" in w for w in summary.warnings)
        assert any("derived from the imported DTOC returns" in w for w in summary.warnings)

    def test_committed_snapshot_equals_a_fresh_build(self, built, tmp_path):
        committed = OPEN_DIR / ascof.SNAPSHOT_NAME
        if not committed.exists():
            pytest.skip("data/open/ascof.csv.gz not written yet")
        fresh = ascof.write_open_snapshot(built[0], tmp_path)
        assert fresh.read_bytes() == committed.read_bytes()
        assert committed.stat().st_size <= 1_000_000
        assert ascof.read_open_snapshot(committed).equals(built[0])
