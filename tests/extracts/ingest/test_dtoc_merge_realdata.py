"""Importing a few real DTOC workbooks into the default build adds to it and erases nothing
(skipped when ../shared/real-data is absent)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from extracts.ingest import dtoc
from extracts.ingest.problems import IngestError
from extracts.open_data import OPEN_DIR, read_snapshot
from extracts.publish import publish, read_current

pytestmark = pytest.mark.realdata

COVENTRY = "E08000026"
FOUR = ("Sep_17.xls", "Oct_17.xls", "Nov_17.xls", "Dec_17.xls")


@pytest.fixture(scope="module")
def default_tables() -> dict:
    """The default build's reference tables and real DTOC family (105 months, 2011–2019)."""
    if not (OPEN_DIR / dtoc.SNAPSHOT_NAME).exists():
        pytest.skip("data/open/dtoc.csv.gz not built")
    tables = {name: read_snapshot(name) for name in ("areas", "area_aliases", "population")}
    tables["indicators"] = dtoc.read_open_snapshot()
    return tables


@pytest.fixture
def default_build(tmp_path, default_tables) -> Path:
    data_dir = tmp_path / "data"
    publish(data_dir, tables=default_tables, fresh=True)
    return data_dir


@pytest.fixture
def four_workbooks(real_data) -> list[Path]:
    return [real_data / "dtoc_psychty" / "DTOC_data" / name for name in FOUR]


def coventry(data_dir: Path, metric_id: str, period_type: str) -> list[date]:
    rows = read_current(data_dir, "indicators").to_pandas()
    rows = rows[
        (rows["metric_id"] == metric_id)
        & (rows["area_code"] == COVENTRY)
        & (rows["period_type"] == period_type)
        & (rows["breakdown"] == "all")
    ]
    return sorted(rows["period_start"])


def test_four_workbooks_keep_coventrys_105_months_and_its_years(default_build, four_workbooks):
    # Given the default build with 105 months and 8 financial years for Coventry
    years_before = coventry(default_build, "dtoc_rate", "financial_year")
    assert len(coventry(default_build, "dtoc_rate", "month")) == 105
    assert len(years_before) == 8
    # When four monthly workbooks are imported
    summary = dtoc.ingest(four_workbooks, default_build, options={"progress": False})
    # Then every month and every year is still there, and ASCOF 2C with them
    assert len(coventry(default_build, "dtoc_rate", "month")) == 105
    assert coventry(default_build, "dtoc_rate", "financial_year") == years_before
    assert len(coventry(default_build, "ascof_2c1", "financial_year")) == 4  # 2015/16–2018/19
    # And the summary says per metric what was added, replaced and kept
    lines = "\n".join(summary.lines())
    assert "months dtoc_rate: 0 added, " in lines
    assert " kept" in lines and "replaced" in lines


def test_replace_makes_the_batch_the_whole_series(default_build, four_workbooks):
    dtoc.ingest(four_workbooks, default_build, options={"progress": False, "replace": True})
    assert len(coventry(default_build, "dtoc_rate", "month")) == 4
    assert coventry(default_build, "dtoc_rate", "financial_year") == []
    assert coventry(default_build, "ascof_2c1", "financial_year") == []


def test_a_published_later_revision_wins_over_an_earlier_workbook(default_build, four_workbooks):
    # Given Liverpool's September 2017 total published from a (pretend) 2030 revision
    def cell(frame):
        return (
            (frame["area_code"] == "E08000012")
            & (frame["metric_id"] == "dtoc_rate")
            & (frame["period_type"] == "month")
            & (frame["period_start"] == date(2017, 9, 1))
            & (frame["breakdown"] == "all")
        )

    current = read_current(default_build, "indicators").to_pandas()
    current.loc[cell(current), ["numerator", "vintage"]] = [
        1000.0,
        "published 2017-11-09, revised 2030-01-01",
    ]
    table = pa.Table.from_pandas(current, preserve_index=False)
    publish(default_build, partitions={"indicators": {"dtoc": table}})
    # When the June 2018 revision of September 2017 is imported
    summary = dtoc.ingest(four_workbooks[:1], default_build, options={"progress": False})
    # Then the later revision stays, and the summary says one cell was not applied
    after = read_current(default_build, "indicators").to_pandas()
    assert after.loc[cell(after), "numerator"].tolist() == [1000.0]
    assert "months dtoc_rate: 0 added," in "\n".join(summary.lines())
    assert "1 older revision(s) not applied" in "\n".join(summary.lines())


def test_synthetic_2c_beside_the_derived_real_one_is_refused(default_build, four_workbooks):
    # Given a build whose ASCOF 2C(1) 2013/14 is synthetic (as before this rule)
    current = read_current(default_build, "indicators")
    synthetic = current.filter(
        pc.and_(
            pc.equal(current["metric_id"], "ascof_2c1"), pc.equal(current["area_code"], COVENTRY)
        )
    ).slice(0, 1)
    synthetic = synthetic.set_column(
        synthetic.schema.get_field_index("is_synthetic"), "is_synthetic", pa.array([True])
    ).set_column(synthetic.schema.get_field_index("source"), "source", pa.array(["ascof"]))
    synthetic = synthetic.set_column(
        synthetic.schema.get_field_index("period_start"),
        "period_start",
        pa.array([date(2013, 4, 1)], pa.date32()),
    )
    publish(default_build, partitions={"indicators": {"ascof": synthetic}})
    with pytest.raises(IngestError, match="synthetic values of ascof_2c1"):
        dtoc.ingest(four_workbooks, default_build, options={"progress": False})
