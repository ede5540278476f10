"""DTOC importer: sheet logic on grids, metrics, population rule, publishing and bad input.

Grids are cut from the real September 2017 and April 2013 workbooks when ../shared/real-data
is present (tests skip otherwise); the conformance tests on all files are in
test_dtoc_realdata.py.
"""

from __future__ import annotations

import copy
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from extracts.ingest import dtoc, dtoc_metrics
from extracts.ingest import validation as check
from extracts.ingest.dtoc_workbook import parse_workbook, read_grids
from extracts.ingest.problems import IngestError, Summary
from extracts.open_data import OPEN_DIR
from tests.fixtures import publish_fixture

WORKBOOKS = Path("dtoc_psychty/DTOC_data")
ORG, REASON = "LA - by responsible org", "LA - by reason"
LIVERPOOL, ENGLAND = "E08000012", "E92000001"


@pytest.fixture(scope="module")
def resolver():
    if not (OPEN_DIR / "area_aliases.csv").exists():
        pytest.skip("data/open/area_aliases.csv not built yet")
    return check.AreaResolver(dtoc._aliases(OPEN_DIR))


@pytest.fixture(scope="module")
def sep17(real_data) -> tuple[Path, dict]:
    path = real_data / WORKBOOKS / "Sep_17.xls"
    return path, read_grids(path)


@pytest.fixture(scope="module")
def apr13(real_data) -> tuple[Path, dict]:
    path = real_data / WORKBOOKS / "April_13.xls"
    return path, read_grids(path)


def _parse(path, grids, resolver, **kwargs):
    return parse_workbook(grids, path, resolver, Summary(source="dtoc"), **kwargs)


def _find(grid, name: str) -> int:
    return next(i for i, row in enumerate(grid) if name in [str(c) for c in row])


class TestPopulationYear:
    YEARS = range(2015, 2020)

    def test_year_before_the_financial_year(self):
        assert dtoc_metrics.population_year(date(2017, 9, 1), date(2017, 9, 30), self.YEARS) == 2016
        assert dtoc_metrics.population_year(date(2018, 3, 1), date(2018, 3, 31), self.YEARS) == 2016
        assert dtoc_metrics.population_year(date(2018, 4, 1), date(2018, 4, 30), self.YEARS) == 2017

    def test_falls_back_to_the_nearest_available_year(self):
        assert dtoc_metrics.population_year(date(2011, 9, 1), date(2011, 9, 30), self.YEARS) == 2015
        assert dtoc_metrics.population_year(date(2021, 9, 1), date(2021, 9, 30), self.YEARS) == 2019

    def test_own_mid_year(self):
        def year(start, end):
            return dtoc_metrics.population_year(start, end, self.YEARS, "own_mid_year")

        assert year(date(2017, 9, 1), date(2017, 9, 30)) == 2017
        assert year(date(2018, 2, 1), date(2018, 2, 28)) == 2018
        assert year(date(2017, 4, 1), date(2018, 3, 31)) == 2017  # financial year 2017/18

    def test_unknown_rule(self):
        with pytest.raises(ValueError, match="unknown population rule"):
            dtoc_metrics.population_year(date(2017, 9, 1), date(2017, 9, 30), self.YEARS, "x")


class TestParseWorkbook:
    def test_period_vintage_and_figures(self, sep17, resolver):
        result = _parse(*sep17, resolver)
        assert result.period_start == date(2017, 9, 1)
        assert result.vintage.endswith("published 2017-11-09, revised 2018-06-14")
        figures = {(a, b, v): d for a, b, v, d, _ in result.observations}
        assert figures[(LIVERPOOL, "all", "all")] == 1479
        assert figures[(ENGLAND, "all", "all")] == 168041
        assert figures[(ENGLAND, "responsible_org", "social_care")] == 60396
        assert figures[(ENGLAND, "reason", "O")] == 849

    def test_pre_2017_layout_uses_dh_codes_and_has_no_other_reason(self, apr13, resolver):
        result = _parse(*apr13, resolver)
        areas = {a for a, *_ in result.observations}
        assert result.period_start == date(2013, 4, 1)
        assert len(areas) == 152 and LIVERPOOL in areas
        assert not [o for o in result.observations if o[2] == "O"]

    def test_header_found_by_content_when_shifted_down(self, sep17, resolver):
        path, grids = sep17
        shifted = copy.deepcopy(grids)
        for sheet in (ORG, REASON):
            shifted[sheet] = [[""] * 5] * 4 + shifted[sheet]
        moved, original = _parse(path, shifted, resolver), _parse(*sep17, resolver)
        assert [o[:4] for o in moved.observations] == [o[:4] for o in original.observations]
        assert moved.observations[0][4].row == original.observations[0][4].row + 4


class TestBadGrids:
    """Each damaged grid gives its own message naming file, sheet, row and column."""

    def _broken(self, sep17, sheet, name, column, value):
        path, grids = sep17
        grids = copy.deepcopy(grids)
        row = _find(grids[sheet], name)
        grids[sheet][row][column] = value
        return path, grids, row + 1

    def test_text_in_a_number_cell(self, sep17, resolver):
        path, grids, row = self._broken(sep17, ORG, "Liverpool", 5, "lots")
        with pytest.raises(IngestError) as error:
            _parse(path, grids, resolver)
        assert f"Sep_17.xls, sheet '{ORG}', row {row}, column 'F'" in str(error.value)
        assert "expected a number, found text 'lots'" in str(error.value)

    def test_negative_days(self, sep17, resolver):
        path, grids, row = self._broken(sep17, REASON, "Liverpool", 5, -4.0)
        with pytest.raises(IngestError, match=rf"row {row}, column 'F': expected a count"):
            _parse(path, grids, resolver)

    def test_unknown_ons_code(self, sep17, resolver):
        path, grids, row = self._broken(sep17, ORG, "Liverpool", 2, "E08999999")
        with pytest.raises(IngestError, match=rf"row {row}.*unknown ONS area code 'E08999999'"):
            _parse(path, grids, resolver)

    def test_unknown_council_before_ons_codes(self, apr13, resolver):
        path, grids = apr13
        grids = copy.deepcopy(grids)
        row = _find(grids[ORG], "Liverpool")
        grids[ORG][row][3:5] = ["998", "Atlantis"]
        with pytest.raises(IngestError, match=rf"row {row + 1}.*code '998', name 'Atlantis'"):
            _parse(path, grids, resolver)

    def test_duplicated_council(self, sep17, resolver):
        path, grids = sep17
        grids = copy.deepcopy(grids)
        row = _find(grids[ORG], "Liverpool")
        grids[ORG].insert(row + 1, list(grids[ORG][row]))
        with pytest.raises(IngestError, match=rf"row {row + 2}, column 'E': duplicate council"):
            _parse(path, grids, resolver)

    def test_future_period(self, sep17, resolver):
        with pytest.raises(IngestError, match="sheet 'England', row 5, column 'C'.*future"):
            _parse(*sep17, resolver, today=date(2017, 8, 31))

    def test_wrong_sheet(self, sep17, resolver):
        path, grids = sep17
        grids = {("LA - by provider" if k == REASON else k): v for k, v in grids.items()}
        with pytest.raises(IngestError, match="missing sheet.*'LA - by reason'"):
            _parse(path, grids, resolver)

    def test_renamed_header_column(self, sep17, resolver):
        path, grids = sep17
        grids = copy.deepcopy(grids)
        header = _find(grids[ORG], "Social Care")
        grids[ORG][header][6] = "Social Services"
        with pytest.raises(IngestError, match=rf"row {header + 1}: expected column.*Social Care"):
            _parse(path, grids, resolver)


class TestMetrics:
    def test_quarters_and_years_only_when_complete(self):
        months = [date(2017, m, 1) for m in range(4, 13)] + [date(2018, m, 1) for m in (1, 2, 3)]
        frame = pd.DataFrame(
            dict(
                area_code=ENGLAND,
                period_start=months,
                breakdown="all",
                breakdown_value="all",
                days_delayed=3100.0,
                location=None,
                vintage="v",
            )  # fmt: skip
        )
        frame = frame[frame["period_start"] != date(2017, 11, 1)]  # Q3 incomplete
        population = {(ENGLAND, y): 100_000.0 for y in range(2015, 2020)}
        monthly = dtoc_metrics.monthly_indicators(frame, population, "year_before_financial_year")
        periods = dtoc_metrics.period_indicators(monthly)
        rate = periods[periods["metric_id"] == "dtoc_rate"]
        assert sorted(rate.loc[rate["period_type"] == "quarter", "period_start"]) == [
            date(2017, 4, 1), date(2017, 7, 1), date(2018, 1, 1),
        ]  # fmt: skip
        assert "financial_year" not in set(rate["period_type"])
        q1 = rate[rate["period_start"] == date(2017, 4, 1)].iloc[0]
        assert q1["value"] == pytest.approx(3 * 3100 / (91 * 100_000) * 100_000)
        assert q1["period_end"] == date(2017, 6, 30)


class TestIngestLeavesPublishedDataAlone:
    """A bad file anywhere in the batch: an error, and not one published byte changes."""

    @pytest.fixture
    def published(self, tmp_path):
        data_dir = tmp_path / "data"
        publish_fixture(data_dir)
        return data_dir

    def _snapshot(self, data_dir):
        return {
            p.relative_to(data_dir): p.read_bytes()
            for p in sorted(data_dir.rglob("*"))
            if p.is_file()
        }

    def _ingest_fails(self, data_dir, paths, message):
        before = self._snapshot(data_dir)
        with pytest.raises(IngestError, match=message):
            dtoc.ingest(paths, data_dir, options={"progress": False})
        assert self._snapshot(data_dir) == before

    def test_truncated_workbook(self, published, sep17, tmp_path):
        cut = tmp_path / "Sep_17.xls"
        data = sep17[0].read_bytes()
        cut.write_bytes(data[: len(data) // 2])
        self._ingest_fails(published, [sep17[0], cut], r"Sep_17.xls: not a readable Excel")

    def test_empty_file(self, published, tmp_path):
        empty = tmp_path / "empty.xls"
        empty.write_bytes(b"")
        self._ingest_fails(published, [empty], "empty.xls: the file is empty")

    def test_workbook_of_another_source(self, published, real_data):
        ons = sorted((real_data / "ons_mye").glob("*.xls"))[0]
        self._ingest_fails(published, [ons], r"missing sheet\(s\) 'England'")

    def test_csv_of_another_source(self, published, real_data, tmp_path):
        other = tmp_path / "other.csv"
        shutil.copy(real_data / "ascof_oflog" / "ASC_data.csv", other)
        self._ingest_fails(published, [other], "other.csv, row 1: not a DTOC tidy CSV")

    def test_bad_workbook_written_by_xlwt(self, published, sep17, resolver, tmp_path):
        xlwt = pytest.importorskip("xlwt")
        path, grids = sep17
        grids = copy.deepcopy(grids)
        row = _find(grids[ORG], "Liverpool")
        grids[ORG][row][5] = "n/k"
        book = xlwt.Workbook()
        for name, grid in grids.items():
            sheet = book.add_sheet(name)
            for r, values in enumerate(grid):
                for c, value in enumerate(values):
                    sheet.write(r, c, value)
        bad = tmp_path / "Sep_17_bad.xls"
        book.save(str(bad))
        self._ingest_fails(published, [bad], rf"Sep_17_bad.xls, sheet '{ORG}', row {row + 1}")
