"""The shared importer checks: each names where the problem is and what was expected."""

from __future__ import annotations

from datetime import date

import pytest

from extracts.ingest import validation as check
from extracts.ingest.problems import IngestError, Location, Summary

CELL = Location("file.xls", "Sheet1", row=7, column="E")


class TestNumber:
    def test_numbers_and_no_figure_marks(self):
        assert check.number(3.0, CELL) == 3.0
        assert check.number("1,234", CELL) == 1234.0
        assert check.number("-", CELL) is None

    def test_text_in_a_number_cell_names_the_cell_and_the_text(self):
        with pytest.raises(IngestError) as error:
            check.number("twelve", CELL)
        assert "file.xls, sheet 'Sheet1', row 7, column 'E'" in str(error.value)
        assert "'twelve'" in str(error.value)

    def test_negative_count(self):
        with pytest.raises(IngestError, match="count of 0 or more, found -3"):
            check.count(-3, CELL)


class TestRequire:
    def test_missing_columns_are_listed_with_what_was_found(self):
        with pytest.raises(IngestError, match=r"expected column\(s\) 'Total'.*found 'Code'"):
            check.require_columns(["Code", "Name"], ["Code", "Total"], CELL)

    def test_columns_match_ignoring_case(self):
        assert check.require_columns(["CODE", " name "], ["Code", "Name"], CELL) == {
            "Code": 0,
            "Name": 1,
        }

    def test_missing_sheet(self):
        with pytest.raises(IngestError, match="missing sheet.*'LA - by reason'"):
            check.require_sheets(["England"], ["England", "LA - by reason"], Location("f.xls"))


class TestPeriods:
    def test_month_names(self):
        assert check.month_start("September 2017", CELL) == date(2017, 9, 1)
        assert check.month_start("Sept 2011", CELL) == date(2011, 9, 1)

    def test_unparseable(self):
        with pytest.raises(IngestError, match="expected a month such as"):
            check.month_start("2017Q3", CELL)

    def test_future(self):
        with pytest.raises(IngestError, match="in the future"):
            check.month_start("March 2031", CELL, today=date(2030, 1, 1))


class TestKeysAndCodes:
    def test_duplicate_key_names_both_places(self):
        guard = check.DuplicateGuard("council")
        guard.add("E06000001", Location("f.xls", "S", row=3))
        with pytest.raises(IngestError, match="duplicate council 'E06000001'; first seen at"):
            guard.add("E06000001", Location("f.xls", "S", row=9))

    def test_resolver_code_first_then_name(self):
        resolver = check.AreaResolver({"316": "E08000012", "liverpool": "E08000012"})
        assert resolver.resolve("316", "Nowhere", CELL) == "E08000012"
        assert resolver.resolve("999", "Liverpool", CELL) == "E08000012"
        assert resolver.resolve("-", "England", CELL) == "E92000001"
        with pytest.raises(IngestError, match="unknown council: code '999', name 'Atlantis'"):
            resolver.resolve("999", "Atlantis", CELL)

    def test_numerator_above_denominator(self):
        with pytest.raises(IngestError, match="numerator 5 is larger than denominator 4"):
            check.numerator_within_denominator(5, 4, CELL)


class TestPlausible:
    def test_range_comes_from_the_catalogue(self):
        assert check.plausible_range("dtoc_rate") == (0, 200)
        assert check.plausible_range("no_such_metric") is None

    def test_out_of_range_raises_or_warns(self):
        with pytest.raises(IngestError, match="outside the plausible range"):
            check.check_plausible("dtoc_rate", [(250.0, CELL)])
        summary = Summary(source="t")
        check.check_plausible("dtoc_rate", [(250.0, CELL), (12.0, CELL)], summary=summary)
        assert len(summary.warnings) == 1


def test_missing_areas_become_warnings():
    summary = Summary(source="t")
    present = {date(2017, 4, 1): {"A", "B"}, date(2017, 5, 1): {"A"}}
    assert check.warn_missing_areas(present, Location("batch"), summary) == 1
    assert "B missing in 2017-05-01" in summary.warnings[0]
