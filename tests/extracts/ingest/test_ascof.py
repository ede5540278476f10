"""ASCOF importer on small files the tests write: the NHS Digital layout (numerator,
denominator and outcome rows pivoted, England kept or added), the Oflog layout, units, the
merge rule and bad input. Conformance on the real files is in test_ascof_realdata.py."""

from __future__ import annotations

import csv
import functools
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from extracts.ingest import ascof
from extracts.ingest.problems import IngestError, Summary
from extracts.publish import read_current
from queries import schema
from tests.fixtures import COUNCILS, ENGLAND, NAMES, fixture_tables, publish_fixture

NHS_HEADER = ["CASSR_Code", "ONS_Code", "Geographical_Description", "Geographical_Level",
              "ASCOF_Measure_Code", "Disaggregation_Level", "Measure_Type", "Measure_Group",
              "Measure_Value"]  # fmt: skip
OFLOG_HEADER = ["Financial year", "Local authority code", "Local authority name", "Grouping",
                "Entity_Name", "Region", "Measure", "Code", "Value"]  # fmt: skip
Y2016 = date(2016, 4, 1)


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def nhs_rows(
    code: str,
    name: str,
    measure: str,
    level: str,
    numerator,
    denominator,
    outcome,
    *,
    geo="Council",
) -> list[list[object]]:
    """The three Measure_Type rows NHS Digital writes for one figure."""
    base = ["", code, name, geo, measure, level]
    return [
        [*base, "Numerator", "", numerator],
        [*base, "Denominator", "", denominator],
        [*base, "Outcome", "", outcome],
    ]


def nhs_file(tmp_path: Path, councils=COUNCILS, *, england: bool = False, name="ascof-2016-17.csv"):
    """2B(1) with numerator/denominator for ``councils``, plus rows the importer must skip."""
    rows = []
    for index, code in enumerate(councils):
        numerator, denominator = 80 + index, 100
        rows += nhs_rows(code, NAMES[code], "2B(1)", "Total", numerator, denominator, numerator)
        rows += nhs_rows(code, NAMES[code], "2B(1)", "Female", 40, 50, 80.0)
        rows += nhs_rows(code, NAMES[code], "1J", "Total", "", "", 0.41)
    rows += nhs_rows("E12000002", "North West", "2B(1)", "Total", 10, 20, 50, geo="Region")
    if england:
        rows += nhs_rows(ENGLAND, "England", "2B(1)", "Total", 8240, 10000, 82.4, geo="England")
    return write_csv(tmp_path / name, NHS_HEADER, rows)


@functools.cache
def reference() -> dict:
    tables = fixture_tables()
    return {"areas": tables["areas"], "aliases": tables["area_aliases"]}


def build(paths, **options) -> tuple[pa.Table, Summary]:
    summary = Summary(source="ascof")
    return ascof.build_table(paths, summary, **reference(), **options), summary


def rows_of(table: pa.Table, **where) -> list[dict]:
    return [r for r in table.to_pylist() if all(r[k] == v for k, v in where.items())]


class TestNhsDigitalLayout:
    def test_numerator_denominator_and_outcome_rows_become_one_row(self, tmp_path):
        # Given the NHS Digital layout with an England row
        path = nhs_file(tmp_path, england=True)
        # When it is read
        table, summary = build([path])
        # Then each council has one 2B(1) row with all three figures, England is kept as given
        first = rows_of(table, area_code=COUNCILS[0])
        assert len(first) == 1
        assert first[0] | {"vintage": None} == {
            "metric_id": "ascof_2b1", "area_code": COUNCILS[0], "period_start": Y2016,
            "period_end": date(2017, 3, 31), "period_type": "financial_year", "breakdown": "all",
            "breakdown_value": "all", "numerator": 80.0, "denominator": 100.0, "value": 80.0,
            "lower_ci": None, "upper_ci": None, "suppressed": False, "is_synthetic": False,
            "vintage": None, "source": "ascof",
        }  # fmt: skip
        assert "2016/17" in first[0]["vintage"] and "ascof-2016-17.csv" in first[0]["vintage"]
        england = rows_of(table, area_code=ENGLAND)
        assert [(r["numerator"], r["value"]) for r in england] == [(8240.0, 82.4)]
        assert table.num_rows == len(COUNCILS) + 1  # regions, Female/Male and 1J skipped
        assert any("1J" in w for w in summary.warnings)
        assert any("Female" in w for w in summary.warnings)

    def test_england_is_the_sum_of_councils_when_not_published(self, tmp_path):
        table, _ = build([nhs_file(tmp_path)])
        england = rows_of(table, area_code=ENGLAND)[0]
        numerators = sum(80 + i for i in range(len(COUNCILS)))
        assert england["numerator"] == numerators
        assert england["denominator"] == 100 * len(COUNCILS)
        assert england["value"] == pytest.approx(numerators / len(COUNCILS))
        assert england["vintage"].endswith("England = sum of councils")

    def test_england_is_left_missing_when_councils_are_incomplete(self, tmp_path):
        table, summary = build([nhs_file(tmp_path, COUNCILS[:5])])
        assert rows_of(table, area_code=ENGLAND) == []
        assert any("ascof_2b1: no England figure for 2016/17" in w for w in summary.warnings)

    def test_proportions_written_as_fractions_are_put_in_percent(self, tmp_path):
        rows = nhs_rows(COUNCILS[0], "Halton", "2B(1)", "Total", 43, 100, 0.43)
        table, summary = build([write_csv(tmp_path / "a-2016-17.csv", NHS_HEADER, rows)])
        assert rows_of(table, area_code=COUNCILS[0])[0]["value"] == pytest.approx(43.0)
        assert any("given as proportions" in w for w in summary.warnings)

    def test_outcome_alone_and_age_breakdowns(self, tmp_path):
        rows = [
            ["", COUNCILS[0], "Halton", "Council", "1C(2A)", level, "Outcome", "", value]
            for level, value in (("Total", 28.3), ("18-64", 39.9), ("65 and over", 17.6))
        ]
        rows.append(["", COUNCILS[0], "Halton", "Council", "1A", "Total", "Outcome", "", 19.1])
        table, _ = build([write_csv(tmp_path / "b-2016-17.csv", NHS_HEADER, rows)])
        found = {(r["metric_id"], r["breakdown"], r["breakdown_value"]): r["value"]
                 for r in table.to_pylist() if r["area_code"] == COUNCILS[0]}  # fmt: skip
        assert found == {
            ("ascof_1c2a", "all", "all"): 28.3,
            ("ascof_1c2a", "age", "18-64"): 39.9,
            ("ascof_1c2a", "age", "65+"): 17.6,
            ("ascof_1a", "all", "all"): 19.1,
        }

    def test_header_variants_with_spaces_and_case(self, tmp_path):
        header = [label.replace("_", " ").upper() for label in NHS_HEADER]
        rows = nhs_rows(COUNCILS[0], "Halton", "ASCOF 2B(1)", "Total", 80, 100, 80.0)
        table, _ = build([write_csv(tmp_path / "c_2016_17.csv", header, rows)])
        assert rows_of(table, area_code=COUNCILS[0])[0]["value"] == 80.0

    def test_year_from_a_column_and_from_the_year_option(self, tmp_path):
        rows = nhs_rows(COUNCILS[0], "Halton", "2B(1)", "Total", 80, 100, 80.0)
        with_year = write_csv(
            tmp_path / "y.csv", [*NHS_HEADER, "Year"], [[*r, "2017-18"] for r in rows]
        )
        table, _ = build([with_year])
        assert table.column("period_start").to_pylist()[0] == date(2017, 4, 1)
        plain = write_csv(tmp_path / "plain.csv", NHS_HEADER, rows)
        with pytest.raises(IngestError, match="no year column"):
            build([plain])
        table, _ = build([plain], year=2015)
        assert table.column("period_start").to_pylist()[0] == date(2015, 4, 1)


class TestBadInput:
    def test_unknown_council_names_file_row_and_values(self, tmp_path):
        rows = nhs_rows("X1", "Atlantis", "2B(1)", "Total", 80, 100, 80)
        with pytest.raises(IngestError) as error:
            build([write_csv(tmp_path / "d-2016-17.csv", NHS_HEADER, rows)])
        assert "d-2016-17.csv, row 2" in str(error.value) and "Atlantis" in str(error.value)

    def test_text_in_a_value_cell(self, tmp_path):
        rows = nhs_rows(COUNCILS[0], "Halton", "2B(1)", "Total", 80, "lots", 80)
        with pytest.raises(IngestError, match=r"row 3, column 'Measure_Value'.*'lots'"):
            build([write_csv(tmp_path / "e-2016-17.csv", NHS_HEADER, rows)])

    def test_numerator_above_denominator(self, tmp_path):
        rows = nhs_rows(COUNCILS[0], "Halton", "2B(1)", "Total", 120, 100, 120)
        with pytest.raises(IngestError, match="numerator 120 is larger than denominator 100"):
            build([write_csv(tmp_path / "f-2016-17.csv", NHS_HEADER, rows)])

    def test_value_outside_the_plausible_range(self, tmp_path):
        rows = [["", COUNCILS[0], "Halton", "Council", "1A", "Total", "Outcome", "", 31]]
        with pytest.raises(IngestError, match="outside the plausible range"):
            build([write_csv(tmp_path / "g-2016-17.csv", NHS_HEADER, rows)])

    def test_duplicate_figure(self, tmp_path):
        rows = nhs_rows(COUNCILS[0], "Halton", "2B(1)", "Total", 80, 100, 80) * 2
        with pytest.raises(IngestError, match="duplicate figure"):
            build([write_csv(tmp_path / "h-2016-17.csv", NHS_HEADER, rows)])

    def test_not_an_ascof_file(self, tmp_path):
        path = write_csv(tmp_path / "x.csv", ["a", "b"], [[1, 2]])
        with pytest.raises(IngestError, match="not an ASCOF file"):
            build([path])


class TestOflogLayout:
    def test_ascof_measures_mapped_others_and_later_councils_skipped(self, tmp_path):
        rows = [
            ["2016-17", COUNCILS[0], "Halton", "LA_Raw", "Unitary", "North West",
             "Outcome, Ease of finding information about services : service users", "ASC3", 69.4],
            ["2016-17", COUNCILS[0], "Halton", "LA_Raw", "Unitary", "North West",
             "Outcome, ASC Quality of Life", "ASC2", 0.41],
            ["2016-17", COUNCILS[0], "Halton", "LA_Raw", "Unitary", "North West",
             "Outcome, Workforce turnover rate", "ASC7", 26.1],
            ["2019-20", "E06000058", "Bournemouth, Christchurch and Poole", "LA_Raw", "Unitary",
             "South West", "Outcome, ASC Carer Quality of Life", "ASC1", 7.1],
            ["2016-17", COUNCILS[1], "Coventry", "LA_Raw", "Metropolitan", "West Midlands",
             "Outcome, ASC Carer Quality of Life", "ASC1", ""],
        ]  # fmt: skip
        table, summary = build([write_csv(tmp_path / "ASC_data.csv", OFLOG_HEADER, rows)])
        found = {(r["metric_id"], r["area_code"]): r["value"] for r in table.to_pylist()}
        assert found == {
            ("ascof_3d1", COUNCILS[0]): 69.4,
            ("sfc_turnover", COUNCILS[0]): 26.1,
            ("ascof_1d", COUNCILS[1]): None,
        }
        text = "\n".join(summary.warnings)
        assert "ASCOF 1J" in text and "Workforce" not in text and "E06000058" in text
        assert "ascof_3d1: no England figure for 2016/17" in text


def table_of(rows: list[dict]) -> pa.Table:
    defaults = dict(period_type="financial_year", breakdown="all", breakdown_value="all",
                    numerator=None, denominator=None, lower_ci=None, upper_ci=None,
                    suppressed=False, vintage="v", source="ascof")  # fmt: skip
    full = [
        defaults
        | {"period_start": date(row["year"], 4, 1), "period_end": date(row["year"] + 1, 3, 31)}
        | {k: v for k, v in row.items() if k != "year"}
        for row in rows
    ]
    return schema.validate("indicators", pa.Table.from_pylist(full))


class TestOverlay:
    def synthetic(self) -> pa.Table:
        return table_of(
            [
                dict(metric_id=m, area_code=a, year=y, value=1.0, is_synthetic=True)
                for m in ("ascof_3d1", "ascof_3a")
                for a in (ENGLAND, *COUNCILS[:3])
                for y in (2015, 2016)
            ]
        )

    def test_real_replaces_only_the_keys_it_covers_and_england_of_covered_years(self):
        real = table_of(
            [dict(metric_id="ascof_3d1", area_code=c, year=2016, value=70.0, is_synthetic=False)
             for c in COUNCILS[:2]]
        )  # fmt: skip
        merged = ascof.overlay(self.synthetic(), real)
        flags = {
            (r["metric_id"], r["area_code"], r["period_start"].year): (
                r["is_synthetic"],
                r["value"],
            )
            for r in merged.to_pylist()
        }
        assert flags[("ascof_3d1", COUNCILS[0], 2016)] == (False, 70.0)
        assert flags[("ascof_3d1", COUNCILS[2], 2016)] == (True, 1.0)  # not covered: stays
        assert ("ascof_3d1", ENGLAND, 2016) not in flags  # never synthetic beside real
        assert flags[("ascof_3d1", ENGLAND, 2015)] == (True, 1.0)  # other years untouched
        assert flags[("ascof_3a", ENGLAND, 2016)] == (True, 1.0)  # other metrics untouched
        assert merged.num_rows == self.synthetic().num_rows - 2 - 1 + 2

    def test_real_england_replaces_synthetic_england(self):
        real = table_of([dict(metric_id="ascof_3a", area_code=ENGLAND, year=2015, value=64.0,
                              is_synthetic=False)])  # fmt: skip
        merged = ascof.overlay(self.synthetic(), real)
        england = rows_of(merged, metric_id="ascof_3a", area_code=ENGLAND)
        assert sorted((r["period_start"].year, r["is_synthetic"]) for r in england) == [
            (2015, False), (2016, True)
        ]  # fmt: skip

    def test_no_synthetic(self):
        real = table_of([dict(metric_id="ascof_3a", area_code=ENGLAND, year=2015, value=64.0,
                              is_synthetic=False)])  # fmt: skip
        assert ascof.overlay(None, real).num_rows == 1


class TestIngest:
    def test_real_beside_synthetic_is_refused_and_publishes_nothing(self, tmp_path):
        # Given the fixture (synthetic ascof_2b1 2014/15 – 2017/18 for 20 councils + England)
        data_dir = tmp_path / "data"
        publish_fixture(data_dir)
        before = _bytes(data_dir)
        # When a real 2016/17 file covers ten councils, it is refused: it would splice
        with pytest.raises(IngestError, match="synthetic values of ascof_2b1.*--replace"):
            ascof.ingest([nhs_file(tmp_path, COUNCILS[:10])], data_dir)
        assert _bytes(data_dir) == before

    def test_replace_makes_the_metric_real_only_and_leaves_other_sources(self, tmp_path):
        data_dir = tmp_path / "data"
        publish_fixture(data_dir)
        before = read_current(data_dir, "indicators")
        summary = ascof.ingest(
            [nhs_file(tmp_path, COUNCILS[:10])], data_dir, options={"replace": True}
        )
        after = read_current(data_dir, "indicators")
        rows = rows_of(after, metric_id="ascof_2b1")
        assert {(r["area_code"], r["is_synthetic"]) for r in rows} == {
            (c, False) for c in COUNCILS[:10]
        }
        assert {r["period_start"] for r in rows} == {Y2016}
        assert summary.version and summary.rows == 10
        assert any(
            "ascof_2b1: 0 added, 10 replaced, 0 kept, 74 removed" in c for c in summary.changes
        )
        for source in ("dtoc", "hes"):
            assert _part(after, source).equals(_part(before, source))

    def test_a_later_batch_adds_its_year_and_keeps_the_others(self, tmp_path):
        data_dir = tmp_path / "data"
        publish_fixture(data_dir)
        first = nhs_file(tmp_path, COUNCILS[:10])
        ascof.ingest([first], data_dir, options={"replace": True})
        later = nhs_file(tmp_path, COUNCILS[5:15], name="ascof-2017-18.csv")
        summary = ascof.ingest([later], data_dir)
        rows = rows_of(read_current(data_dir, "indicators"), metric_id="ascof_2b1")
        years = {(r["area_code"], r["period_start"].year) for r in rows}
        assert {(c, 2016) for c in COUNCILS[:10]} <= years
        assert {(c, 2017) for c in COUNCILS[5:15]} <= years
        assert "  ascof_2b1: 10 added, 0 replaced, 10 kept" in summary.lines()

    def test_england_sum_published_when_every_council_has_counts(self, tmp_path):
        data_dir = tmp_path / "data"
        publish_fixture(data_dir)
        ascof.ingest([nhs_file(tmp_path)], data_dir, options={"replace": True})
        after = read_current(data_dir, "indicators")
        england = rows_of(after, metric_id="ascof_2b1", period_start=Y2016, area_code=ENGLAND)
        assert [r["is_synthetic"] for r in england] == [False]

    def test_failure_publishes_nothing(self, tmp_path):
        data_dir = tmp_path / "data"
        publish_fixture(data_dir)
        before = _bytes(data_dir)
        rows = nhs_rows(COUNCILS[0], "Halton", "2B(1)", "Total", 120, 100, 120)
        with pytest.raises(IngestError):
            ascof.ingest([write_csv(tmp_path / "bad-2016-17.csv", NHS_HEADER, rows)], data_dir)
        assert _bytes(data_dir) == before


class TestOpenSnapshot:
    def test_round_trip(self, tmp_path):
        table, _ = build([nhs_file(tmp_path, england=True)])
        path = ascof.write_open_snapshot(table, tmp_path)
        assert path.name == "ascof.csv.gz"
        assert ascof.read_open_snapshot(path).equals(table)
        first = path.read_bytes()
        ascof.write_open_snapshot(table, tmp_path)
        assert path.read_bytes() == first


def _part(table: pa.Table, source: str) -> pa.Table:
    return table.filter(pc.equal(table["source"], source))


def _bytes(data_dir: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(data_dir)): p.read_bytes()
        for p in sorted(data_dir.rglob("*"))
        if p.is_file() and p.name != ".publish.lock"
    }
