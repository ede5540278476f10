"""Imports add, never erase: cell-by-cell merging, later revisions, no real/synthetic mix."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest

from extracts.ingest import merge
from extracts.ingest.problems import IngestError
from queries import schema

AREA, OTHER = "E08000026", "E08000012"


def rows(cells, *, source="dtoc", synthetic=False, vintage="published 2018-01-01"):
    """Indicator rows from (metric, area, month, value) tuples."""
    records = []
    for metric_id, area, month, value in cells:
        start = date(2017, month, 1)
        records.append(
            dict(
                metric_id=metric_id,
                area_code=area,
                period_start=start,
                period_end=date(2017, month, 28),
                period_type="month",
                breakdown="all",
                breakdown_value="all",
                numerator=value,
                denominator=1.0,
                value=value,
                lower_ci=None,
                upper_ci=None,
                suppressed=False,
                is_synthetic=synthetic,
                vintage=vintage,
                source=source,
            )
        )
    return pa.Table.from_pylist(records, schema=schema.table("indicators").schema)


def cells(table: pa.Table) -> dict:
    return {
        (r["metric_id"], r["area_code"], r["period_start"].month): r["value"]
        for r in table.to_pylist()
    }


class TestMergeCells:
    def test_batch_replaces_its_cells_and_keeps_every_other_month(self):
        # Given twelve published months and a batch of two (one revised, one new area)
        existing = rows([("dtoc_rate", AREA, m, 10.0) for m in range(1, 13)])
        batch = rows([("dtoc_rate", AREA, 5, 99.0), ("dtoc_rate", OTHER, 5, 7.0)])
        report = merge.MergeReport()
        # When they are merged
        merged = merge.merge_cells(existing, batch, report=report)
        # Then all twelve months remain, May takes the new value, the new cell is added
        found = cells(merged)
        assert len(found) == 13
        assert found[("dtoc_rate", AREA, 5)] == 99.0
        assert found[("dtoc_rate", AREA, 4)] == 10.0
        assert report.lines() == ["dtoc_rate: 1 added, 1 replaced, 11 kept"]

    def test_other_metrics_and_sources_are_untouched(self):
        existing = pa.concat_tables(
            [rows([("dtoc_beds", AREA, 1, 3.0)]), rows([("ea65_rate", AREA, 1, 5.0)], source="hes")]
        )
        merged = merge.merge_cells(existing, rows([("dtoc_rate", AREA, 1, 1.0)]))
        assert cells(merged) == {
            ("dtoc_beds", AREA, 1): 3.0,
            ("ea65_rate", AREA, 1): 5.0,
            ("dtoc_rate", AREA, 1): 1.0,
        }

    def test_a_later_published_revision_is_not_overwritten_by_an_older_one(self):
        existing = rows(
            [("dtoc_rate", AREA, 9, 12.0)], vintage="published 2017-11-09, revised 2018-06-14"
        )
        older = rows([("dtoc_rate", AREA, 9, 11.0)], vintage="published 2017-11-09")
        report = merge.MergeReport()
        merged = merge.merge_cells(existing, older, report=report)
        assert cells(merged)[("dtoc_rate", AREA, 9)] == 12.0
        assert "1 older revision(s) not applied" in report.lines()[0]
        newer = rows(
            [("dtoc_rate", AREA, 9, 13.0)], vintage="published 2017-11-09, revised 2019-01-01"
        )
        assert cells(merge.merge_cells(existing, newer))[("dtoc_rate", AREA, 9)] == 13.0

    def test_real_values_beside_synthetic_ones_are_refused_without_replace(self):
        # Given a metric whose published series is synthetic
        existing = rows([("ascof_2a2", AREA, m, 600.0) for m in (1, 2)], synthetic=True)
        real = rows([("ascof_2a2", AREA, 1, 610.0)])
        # When a real batch covering one of its cells is merged, it is refused
        with pytest.raises(IngestError, match="ascof_2a2 \\(1 cells\\).*--replace"):
            merge.merge_cells(existing, real)
        # And with replace the real batch becomes the whole series, the rest counted removed
        report = merge.MergeReport()
        merged = merge.merge_cells(existing, real, replace=True, report=report)
        assert cells(merged) == {("ascof_2a2", AREA, 1): 610.0}
        assert merged.column("is_synthetic").to_pylist() == [False]
        assert report.lines() == ["ascof_2a2: 0 added, 1 replaced, 0 kept, 1 removed"]

    def test_partitions_for_names_every_source_that_held_the_metric(self):
        current = pa.concat_tables(
            [
                rows([("ascof_2c1", AREA, 1, 5.0)], source="ascof"),
                rows([("ea65_rate", AREA, 1, 1.0)], source="hes"),
            ]
        )
        merged = merge.merge_cells(current, rows([("ascof_2c1", AREA, 1, 6.0)]))
        parts = merge.partitions_for(current, merged, {"ascof_2c1"})
        assert set(parts) == {"ascof", "dtoc"}
        assert parts["ascof"].num_rows == 0 and cells(parts["dtoc"]) == {
            ("ascof_2c1", AREA, 1): 6.0
        }


def test_revision_date_is_the_latest_date_named():
    assert merge.revision_date("published 2011-05-27, revised 2012-04-27") == "2012-04-27"
    assert merge.revision_date("synthetic, seed 7") == ""
