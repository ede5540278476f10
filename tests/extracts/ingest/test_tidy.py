"""Tidy CSV importer: the happy path, periods, merging across partitions, and every bad input
with its own message naming file, row and column, the published data left byte-identical."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pyarrow.compute as pc
import pytest

from extracts.ingest import tidy
from extracts.ingest.problems import IngestError, Location
from extracts.publish import read_current
from tests.fixtures import COUNCILS, ENGLAND, publish_fixture

TODAY = date(2020, 1, 1)
HEADER = "metric_id,area_code,period,numerator,denominator,value"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("published") / "data"
    publish_fixture(directory)
    return directory


@pytest.fixture
def data_dir(tmp_path: Path, published: Path) -> Path:
    """A private copy of the published fixture (publishing it once per module is the slow part)."""
    return Path(shutil.copytree(published, tmp_path / "data"))


def write(tmp_path: Path, text: str, name: str = "series.csv") -> Path:
    path = tmp_path / name
    path.write_text(text.strip() + "\n", encoding="utf-8")
    return path


def ingest(path: Path, data_dir: Path):
    return tidy.ingest([path], data_dir, {"today": TODAY})


def rows_of(data_dir: Path, **where) -> list[dict]:
    table = read_current(data_dir, "indicators")
    return [r for r in table.to_pylist() if all(r[k] == v for k, v in where.items())]


def published_bytes(data_dir: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(data_dir)): p.read_bytes()
        for p in sorted(data_dir.rglob("*"))
        if p.is_file() and p.name != ".publish.lock"
    }


class TestHappyPath:
    def test_rows_replace_the_same_keys_in_other_partitions(self, tmp_path, data_dir):
        # Given a series for ascof_2b1 (synthetic in the fixture) by code and by name
        path = write(
            tmp_path,
            f"""
{HEADER},vintage
ascof_2b1,{COUNCILS[0]},2016/17,80,100,,ASCOF 2016-17 local return
ascof_2b1,Coventry,2016-17,,,81.5,ASCOF 2016-17 local return
ascof_2b1,England,2016/17,8240,10000,82.4,ASCOF 2016-17 local return
""",
        )
        # When it is imported
        summary = ingest(path, data_dir)
        # Then the rows are in the tidy partition, value computed where absent
        mine = rows_of(data_dir, source="tidy")
        assert [(r["area_code"], r["value"], r["is_synthetic"]) for r in mine] == [
            (COUNCILS[0], 80.0, False),
            (COUNCILS[1], 81.5, False),
            (ENGLAND, 82.4, False),
        ]
        assert mine[0]["period_start"] == date(2016, 4, 1)
        assert mine[0]["period_end"] == date(2017, 3, 31)
        assert mine[0]["period_type"] == "financial_year"
        assert mine[0]["vintage"] == "ASCOF 2016-17 local return"
        # and the same keys left the ascof partition, which keeps everything else
        covered = rows_of(data_dir, metric_id="ascof_2b1", period_start=date(2016, 4, 1))
        assert {r["area_code"]: r["source"] for r in covered}[COUNCILS[2]] == "ascof"
        assert sum(r["source"] == "tidy" for r in covered) == 3 and len(covered) == 21
        assert summary.rows == 3 and summary.version

    def test_second_import_replaces_its_own_rows(self, tmp_path, data_dir):
        ingest(write(tmp_path, f"{HEADER}\nascof_2b1,{COUNCILS[0]},2016/17,80,100,"), data_dir)
        ingest(write(tmp_path, f"{HEADER}\nascof_2b1,{COUNCILS[0]},2016/17,70,100,"), data_dir)
        assert [r["value"] for r in rows_of(data_dir, source="tidy")] == [70.0]

    def test_breakdowns_confidence_intervals_and_flags(self, tmp_path, data_dir):
        path = write(
            tmp_path,
            """
metric_id,area_code,period,value,breakdown,breakdown_value,lower_ci,upper_ci,is_synthetic
dtoc_rate,Halton,Sep 2017,12.5,responsible_org,NHS,10,15,yes
""",
        )
        ingest(path, data_dir)
        row = rows_of(data_dir, source="tidy")[0]
        assert (row["breakdown"], row["breakdown_value"], row["lower_ci"], row["upper_ci"]) == (
            "responsible_org", "NHS", 10.0, 15.0
        )  # fmt: skip
        assert row["is_synthetic"] is True
        assert (row["period_start"], row["period_end"]) == (date(2017, 9, 1), date(2017, 9, 30))


class TestPeriods:
    @pytest.mark.parametrize(
        ("text", "period_type", "expected"),
        [
            ("2017-09", "", ("month", date(2017, 9, 1), date(2017, 9, 30))),
            ("Sep 2017", "", ("month", date(2017, 9, 1), date(2017, 9, 30))),
            ("September 2017", "", ("month", date(2017, 9, 1), date(2017, 9, 30))),
            ("2016/17", "", ("financial_year", date(2016, 4, 1), date(2017, 3, 31))),
            ("2016-2017", "", ("financial_year", date(2016, 4, 1), date(2017, 3, 31))),
            ("2016/17 Q4", "", ("quarter", date(2017, 1, 1), date(2017, 3, 31))),
            ("Q1 2016/17", "", ("quarter", date(2016, 4, 1), date(2016, 6, 30))),
            ("12m to Mar 2017", "", ("rolling_12m", date(2016, 4, 1), date(2017, 3, 31))),
            ("2017-03", "rolling_12m", ("rolling_12m", date(2016, 4, 1), date(2017, 3, 31))),
            ("2017-09-30", "", ("snapshot", date(2017, 9, 30), date(2017, 9, 30))),
            ("2011-12", "", ("financial_year", date(2011, 4, 1), date(2012, 3, 31))),
            ("2011-12", "month", ("month", date(2011, 12, 1), date(2011, 12, 31))),
        ],
    )
    def test_period_forms(self, text, period_type, expected):
        start, end, kind = tidy.parse_period(text, period_type, Location("f.csv", row=2))
        assert (kind, start, end) == expected

    @pytest.mark.parametrize(("text", "period_type"), [("2016/18", ""), ("soon", ""),
                                                       ("2016/17", "month")])  # fmt: skip
    def test_unreadable_periods(self, text, period_type):
        with pytest.raises(IngestError, match=r"f.csv, row 2.*cannot read period"):
            tidy.parse_period(text, period_type, Location("f.csv", row=2))


BAD_INPUTS = [
    # (csv body under HEADER, row, column, message fragment)
    ("ascof_2b9,E06000001,2016/17,80,100,", 2, "metric_id", "did you mean ascof_2b2, ascof_2b1"),
    ("ascof_2b1,Atlantis,2016/17,80,100,", 2, "area_code", "unknown area 'Atlantis'"),
    ("ascof_2b1,E06000001,2016-Q9,80,100,", 2, "period", "cannot read period"),
    ("ascof_2b1,E06000001,Sep 2017,80,100,", 2, "period", "not month"),
    ("ascof_2b1,E06000001,2030/31,80,100,", 2, "period", "in the future"),
    ("ascof_2b1,E06000001,2016/17,120,100,", 2, "numerator", "larger than denominator"),
    ("ascof_2b1,E06000001,2016/17,-1,100,", 2, "numerator", "count of 0 or more"),
    ("ascof_2b1,E06000001,2016/17,80,100,75", 2, "value", "does not match"),
    ("ascof_2b1,E06000001,2016/17,,,175", 2, "value", "outside the plausible range"),
    ("ascof_2b1,E06000001,2016/17,,,", 2, "value", "give a value"),
    ("ascof_2b1,E06000001,2016/17,80,0,", 2, "numerator", "larger than denominator"),
    ("ascof_2b1,E06000001,2016/17,,,lots", 2, "value", "'lots'"),
    ("ascof_2b1,E06000001,2016/17,80,100,\nascof_2b1,Halton,2016/17,80,100,", 3, None,
     "duplicate row for"),
]  # fmt: skip


class TestBadInput:
    @pytest.mark.parametrize(("body", "row", "column", "message"), BAD_INPUTS)
    def test_error_names_place_and_nothing_is_published(
        self, tmp_path, data_dir, body, row, column, message
    ):
        # Given published data and a file with one mistake
        before = published_bytes(data_dir)
        path = write(tmp_path, f"{HEADER}\n{body}", name="mine.csv")
        # When it is imported
        with pytest.raises(IngestError) as error:
            ingest(path, data_dir)
        # Then the error names the file, row and column, and nothing changed on disk
        assert error.value.location.row == row
        assert error.value.location.column == column
        assert str(error.value).startswith(f"mine.csv, row {row}")
        assert message in str(error.value)
        assert published_bytes(data_dir) == before

    def test_value_within_rounding_is_accepted(self, tmp_path, data_dir):
        ingest(write(tmp_path, f"{HEADER}\nascof_2b1,{COUNCILS[0]},2016/17,2,3,66.7"), data_dir)
        assert rows_of(data_dir, source="tidy")[0]["value"] == 66.7

    def test_unknown_column_suggests_the_right_one(self, tmp_path, data_dir):
        path = write(tmp_path, "metric_id,area_code,period,numerater\nascof_2b1,Halton,2016/17,1")
        with pytest.raises(IngestError, match=r"row 1, column 'numerater'.*'numerator'"):
            ingest(path, data_dir)

    def test_missing_required_column(self, tmp_path, data_dir):
        with pytest.raises(IngestError, match="missing column.*period"):
            ingest(write(tmp_path, "metric_id,area_code,value\nascof_2b1,Halton,80"), data_dir)

    def test_breakdown_not_in_the_catalogue(self, tmp_path, data_dir):
        path = write(
            tmp_path,
            "metric_id,area_code,period,value,breakdown,breakdown_value\n"
            "ascof_1c2a,Halton,2016/17,20,age,85+",
        )
        with pytest.raises(IngestError, match=r"column 'breakdown_value'.*'85\+'.*65\+"):
            ingest(path, data_dir)

    def test_empty_file(self, tmp_path, data_dir):
        with pytest.raises(IngestError, match="no rows"):
            ingest(write(tmp_path, HEADER), data_dir)


class TestPartitions:
    def test_partitions_replacing_touches_only_partitions_holding_the_keys(self, data_dir):
        current = read_current(data_dir, "indicators")
        ascof_rows = current.filter(pc.equal(current["source"], "ascof"))
        new = ascof_rows.slice(0, 2).set_column(
            ascof_rows.schema.get_field_index("source"), "source", [["tidy", "tidy"]]
        )
        parts = tidy.partitions_replacing(current, "tidy", new)
        assert set(parts) == {"tidy", "ascof"}
        assert parts["ascof"].num_rows == ascof_rows.num_rows - 2
