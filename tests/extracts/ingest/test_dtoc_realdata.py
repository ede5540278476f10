"""Conformance of the DTOC importer on all the real NHS England files (skipped when
../shared/real-data is absent): 105 workbooks, the tidy CSVs, published figures by hand."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow.compute as pc
import pytest

from extracts.ingest import dtoc
from extracts.ingest.dtoc_workbook import read_grids
from extracts.ingest.problems import Summary
from extracts.open_data import OPEN_DIR, read_snapshot
from extracts.publish import current_version, publish, read_table, version_dir

pytestmark = pytest.mark.realdata

DTOC = Path("dtoc_psychty")
LIVERPOOL, ENGLAND = "E08000012", "E92000001"
SEP17 = date(2017, 9, 1)


@pytest.fixture(scope="module")
def workbooks(real_data) -> list[Path]:
    if not (OPEN_DIR / "area_aliases.csv").exists():
        pytest.skip("data/open reference snapshots not built yet")
    return sorted((real_data / DTOC / "DTOC_data").glob("*.xls"))


@pytest.fixture(scope="module")
def tidy_paths(real_data) -> list[Path]:
    return sorted((real_data / DTOC).glob("*.csv"))


@pytest.fixture(scope="module")
def from_workbooks(workbooks):
    summary = Summary(source="dtoc")
    started = time.perf_counter()
    table = dtoc.build_table(workbooks, summary, progress=False)
    print(f"\nimported {len(workbooks)} workbooks in {time.perf_counter() - started:.1f} s")
    return table.to_pandas(), summary


@pytest.fixture(scope="module")
def from_tidy(workbooks, tidy_paths):
    return dtoc.build_table(tidy_paths, Summary(source="dtoc"), progress=False).to_pandas()


def _monthly_rate(frame: pd.DataFrame, breakdown: str = "all") -> pd.DataFrame:
    rows = (frame["metric_id"] == "dtoc_rate") & (frame["period_type"] == "month")
    return frame[rows & (frame["breakdown"] == breakdown)]


def test_all_105_workbooks_import_with_expected_row_counts(workbooks, from_workbooks):
    frame, summary = from_workbooks
    assert len(workbooks) == 105
    assert summary.files == 105 and len(summary.periods) == 105
    months = _monthly_rate(frame)
    assert months["period_start"].nunique() == 105
    assert months["period_start"].min() == date(2011, 4, 1)
    assert months["period_start"].max() == date(2019, 12, 1)
    counts = months.groupby("period_start").size()
    assert counts.max() == 152 and counts.min() >= 148  # 151 councils + England
    assert len(frame) == 410_835 + 2 * 606  # and ASCOF 2C(1), 2C(2): 2015/16 – 2018/19
    dtoc_years = frame[
        (frame["period_type"] == "financial_year") & (frame["metric_id"] == "dtoc_rate")
    ]
    assert set(dtoc_years["period_start"]) == {date(y, 4, 1) for y in range(2011, 2019)}
    ascof_years = frame[frame["metric_id"].isin(["ascof_2c1", "ascof_2c2"])]
    assert set(ascof_years["period_start"]) == {date(y, 4, 1) for y in range(2015, 2019)}


def test_every_council_each_month_or_a_warning(from_workbooks):
    frame, summary = from_workbooks
    councils = set(read_snapshot("areas")["area_code"].to_pylist()) - {ENGLAND}
    months = _monthly_rate(frame)
    text = "\n".join(summary.warnings)
    for period, rows in months.groupby("period_start"):
        for area in councils - set(rows["area_code"]):
            assert f"{area} missing in {period:%B %Y}" in text or (
                f"{area} (" in text and "is in no file of the batch" in text
            )
    assert "E06000053 (Isles of Scilly) is in no file of the batch" in text


def test_england_totals_match_the_england_sheet(workbooks, from_workbooks):
    frame, _ = from_workbooks
    england = _monthly_rate(frame).set_index(["area_code", "period_start"]).loc[ENGLAND]
    for path in workbooks[::10]:
        grid = read_grids(path)["England"]
        period = next(r[2] for r in grid if str(r[1]).strip() == "Period:")
        by_type = [r for r in grid if str(r[1]).strip() in ("Acute", "Non-Acute") and r[2] == "-"]
        expected = sum(float(v) for r in by_type for v in r[3:6])
        start = pd.Timestamp(period).date()
        assert england.loc[start, "numerator"] == expected, path.name


def test_september_2017_rates_match_the_published_figures(workbooks, from_workbooks):
    frame, _ = from_workbooks
    grid = read_grids(next(p for p in workbooks if p.name == "Sep_17.xls"))[
        "LA - by responsible org"
    ]
    total = {row[4]: row[8] for row in grid if row[4] in ("Liverpool", "England")}
    population_mid_2016 = {"Liverpool": 392_637, "England": 43_482_790}  # ONS, aged 18+
    months = _monthly_rate(frame).set_index(["area_code", "period_start"])
    for name, code in (("Liverpool", LIVERPOOL), ("England", ENGLAND)):
        expected = total[name] / 30 / population_mid_2016[name] * 100_000
        assert months.loc[(code, SEP17), "value"] == pytest.approx(expected, rel=1e-12)
    assert months.loc[(LIVERPOOL, SEP17), "value"] == pytest.approx(12.5561, abs=1e-4)
    assert months.loc[(ENGLAND, SEP17), "value"] == pytest.approx(12.8818, abs=1e-4)


def test_rates_from_workbooks_equal_rates_from_tidy_csvs(from_workbooks, from_tidy):
    frame, _ = from_workbooks
    keys = ["metric_id", "area_code", "period_start", "period_type", "breakdown",
            "breakdown_value"]  # fmt: skip
    both = frame.merge(from_tidy, on=keys, suffixes=("_xls", "_csv"))
    assert len(both) > 0.95 * len(from_tidy)
    assert (both["value_xls"] == both["value_csv"]).all()
    assert set(both["breakdown"]) == {"all", "responsible_org", "reason"}


def test_cross_check_counts_disagreements(workbooks, tidy_paths):
    summary = Summary(source="dtoc")
    resolver = dtoc.check.AreaResolver(dtoc._aliases(OPEN_DIR))
    returns = dtoc.read_returns(workbooks, resolver, summary, progress=False)
    returns += dtoc.read_returns(tidy_paths, resolver, summary, progress=False)
    assert dtoc.cross_check(returns, summary) == 0
    assert any("E09000001 is in the workbooks but not the tidy CSVs" in w for w in summary.warnings)
    tidy = next(r for r in returns if r.kind == "tidy_reason" and r.period_start == SEP17)
    index = next(i for i, o in enumerate(tidy.observations) if o[0] == LIVERPOOL and o[1] == "all")
    area, breakdown, value, days, location = tidy.observations[index]
    tidy.observations[index] = (area, breakdown, value, days + 1, location)
    summary = Summary(source="dtoc")
    assert dtoc.cross_check(returns, summary) == 1
    assert "E08000012 September 2017 all=all: workbook 1479, tidy CSV 1480" in summary.warnings[-1]


def test_ingest_publishes_only_the_dtoc_partition(workbooks, tmp_path):
    data_dir = tmp_path / "data"
    publish(data_dir, tables={"areas": read_snapshot("areas")}, fresh=True)
    chosen = [p for p in workbooks if p.name in ("Sep_17.xls", "Oct_17.xls", "Nov_17.xls")]
    summary = dtoc.ingest(chosen, data_dir, options={"progress": False})
    assert summary.version == current_version(data_dir)
    published = read_table(version_dir(data_dir, summary.version), "indicators")
    assert set(published["source"].to_pylist()) == {"dtoc"}
    quarters = published.filter(pc.equal(published["period_type"], "quarter"))
    assert quarters.num_rows == 0  # neither 2017/18 Q2 nor Q3 is complete
    months = published.filter(pc.equal(published["period_type"], "month"))
    assert len(set(months["period_start"].to_pylist())) == 3


def test_committed_snapshot_equals_a_fresh_import(from_workbooks):
    frame, _ = from_workbooks
    snapshot = dtoc.read_open_snapshot().to_pandas()
    assert len(snapshot) == len(frame)
    pd.testing.assert_frame_equal(snapshot, frame)
    assert (OPEN_DIR / dtoc.SNAPSHOT_NAME).stat().st_size < 3_000_000
