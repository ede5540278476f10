import csv
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from openpyxl import Workbook

from extracts.ingest import ccg_lookup, chc
from extracts.ingest.problems import IngestError, Location, Summary
from extracts.publish import publish, read_current
from tests.fixtures import COUNCILS, publish_fixture

HALTON, COVENTRY = COUNCILS[0], COUNCILS[1]
ENGLAND = "E92000001"
WIDE_HEADER = [
    "Year", "Quarter", "Org Type", "CCG Code", "CCG Name",
    "Number of referrals completed within 28 days (Standard)",
    "Number of referrals completed (Standard)",
    "Number of incomplete referrals exceeding 28 days (Standard)",
    "Number eligible for standard NHS CHC", "Number eligible for Fast Track NHS CHC",
    "Number of personal health budgets", "Number eligible for standard NHS CHC per 50k",
]  # fmt: skip
# CCG 01A: 60,000 people in Halton, 20,000 in Coventry; CCG 02B: 20,000 and 30,000.
LOOKUP = [
    "ccg_code,ccg_ons_code,area_code,population",
    f"01A,E38000001,{HALTON},60000",
    f"01A,E38000001,{COVENTRY},20000",
    f"02B,E38000002,{HALTON},20000",
    f"02B,E38000002,{COVENTRY},30000",
]


def wide_rows():
    return [
        ["2017-18", "Q1", "England", "ENG", "England", 29, 50, 10, 75, 50, 15, 0],
        ["2017-18", "Q1", "CCG", "01A", "NHS A CCG", 20, 40, 8, 40, 30, 10, 25],
        ["2017-18", "Q1", "CCG", "02B", "NHS B CCG", 9, 10, 2, 35, 20, 5, 35],
    ]


def write_csv(path: Path, rows, header=WIDE_HEADER, titles=()) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        for title in titles:
            writer.writerow([title])
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows, header=WIDE_HEADER) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "CCG Data"
    sheet.append(["NHS Continuing Healthcare and NHS-funded Nursing Care, 2017-18 Q1"])
    sheet.append(["Source: NHS England"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def data_dir(tmp_path):
    directory = tmp_path / "data"
    publish_fixture(directory)
    lookup = tmp_path / "lookup.csv"
    lookup.write_text("\n".join(LOOKUP) + "\n")
    ccg_lookup.ingest([lookup], directory)
    return directory


def chc_rows(data_dir):
    indicators = read_current(data_dir, "indicators").to_pandas()
    rows = indicators[indicators["source"] == "chc"]
    return rows.set_index(["metric_id", "area_code", "period_start"])


class TestQuarterStart:
    @pytest.mark.parametrize(
        ("text", "start"),
        [
            ("2017-18 Q1", date(2017, 4, 1)),
            ("Q4 2017/18", date(2018, 1, 1)),
            ("2018-19 Quarter 3", date(2018, 10, 1)),
            ("2017-2018 Q2", date(2017, 7, 1)),
            ("30/06/2017", date(2017, 4, 1)),
        ],
    )
    def test_accepted_spellings(self, text, start):
        assert chc.quarter_start(text, Location("x")) == start

    def test_not_a_quarter(self):
        with pytest.raises(IngestError, match="expected a quarter such as '2017-18 Q1'"):
            chc.quarter_start("summer", Location("x"))

    def test_label(self):
        assert chc.quarter_label(date(2018, 1, 1)) == "2017/18 Q4"


class TestIngest:
    def test_apportionment_by_hand(self, data_dir, tmp_path):
        # Given two CCGs split across two councils and one quarter of figures
        path = write_csv(tmp_path / "chc.csv", wide_rows())
        # When imported
        summary = chc.ingest([path], data_dir)
        rows = chc_rows(data_dir)
        q1 = date(2017, 4, 1)
        # Then weights are 0.75/0.25 (01A) and 0.4/0.6 (02B), numerators and denominators are
        # apportioned, and council value = Σ numerators ÷ Σ denominators
        halton = rows.loc[("chc_28day", HALTON, q1)]
        assert halton["numerator"] == pytest.approx(0.75 * 20 + 0.4 * 9)  # 18.6
        assert halton["denominator"] == pytest.approx(0.75 * 40 + 0.4 * 10)  # 34
        assert halton["value"] == pytest.approx(18.6 / 34 * 100)
        assert rows.loc[("chc_28day", COVENTRY, q1), "value"] == pytest.approx(10.4 / 16 * 100)
        assert rows.loc[("chc_28day", ENGLAND, q1), "value"] == pytest.approx(58.0)
        eligible = rows.loc[("chc_eligible_per50k", HALTON, q1)]
        assert eligible["numerator"] == pytest.approx(0.75 * 40 + 0.4 * 35)  # 44
        assert eligible["denominator"] == pytest.approx(0.75 * 80_000 + 0.4 * 50_000)  # 80,000
        assert eligible["value"] == pytest.approx(27.5)
        assert rows.loc[("chc_eligible_per50k", COVENTRY, q1), "value"] == pytest.approx(31.0)
        england = rows.loc[("chc_eligible_per50k", ENGLAND, q1)]
        assert (england["numerator"], england["denominator"]) == (75, 130_000)
        assert rows.loc[("phb_per50k", COVENTRY, q1), "numerator"] == pytest.approx(5.5)
        assert halton["period_end"] == date(2017, 6, 30)
        assert not rows["is_synthetic"].any()
        assert summary.periods == {"2017/18 Q1"}
        assert summary.areas == {HALTON, COVENTRY, ENGLAND}
        assert len(rows) == 5 * 3

    def test_a_second_quarter_adds_to_the_first_and_keeps_it(self, data_dir, tmp_path):
        chc.ingest([write_csv(tmp_path / "q1.csv", wide_rows())], data_dir)
        q2_rows = [[row[0], "Q2", *row[2:]] for row in wide_rows()]
        summary = chc.ingest([write_csv(tmp_path / "q2.csv", q2_rows)], data_dir)
        starts = set(chc_rows(data_dir).reset_index()["period_start"])
        assert starts == {date(2017, 4, 1), date(2017, 7, 1)}
        assert "  chc_28day: 3 added, 0 replaced, 3 kept" in summary.lines()

    def test_real_figures_beside_synthetic_ones_need_replace(self, data_dir, tmp_path):
        # Given a build whose CHC family is synthetic for 2017/18 Q2 (as the demo's is)
        q2_rows = [[row[0], "Q2", *row[2:]] for row in wide_rows()]
        chc.ingest([write_csv(tmp_path / "q2.csv", q2_rows)], data_dir)
        path = write_csv(tmp_path / "chc.csv", wide_rows())
        current = read_current(data_dir, "indicators")
        chc_part = current.filter(pc.equal(current["source"], "chc"))
        synthetic = chc_part.set_column(
            chc_part.schema.get_field_index("is_synthetic"),
            "is_synthetic",
            pa.array([True] * chc_part.num_rows),
        )
        publish(data_dir, partitions={"indicators": {"chc": synthetic}})
        # When real Q1 figures come in, they are refused without --replace (no splice)
        with pytest.raises(IngestError, match="synthetic values of chc_28day"):
            chc.ingest([path], data_dir)
        # And with it the real quarter is the whole series
        chc.ingest([path], data_dir, options={"replace": True})
        rows = chc_rows(data_dir).reset_index()
        assert not rows["is_synthetic"].any()
        assert set(rows["period_start"]) == {date(2017, 4, 1)}

    def test_xlsx_with_title_rows_and_file_population(self, data_dir, tmp_path):
        header = [*WIDE_HEADER, "Population"]
        rows = [row + [pop] for row, pop in zip(wide_rows(), (0, 100_000, 50_000), strict=True)]
        path = write_xlsx(tmp_path / "chc.xlsx", rows, header=header)
        chc.ingest([path], data_dir)
        eligible = chc_rows(data_dir).loc[("chc_eligible_per50k", HALTON, date(2017, 4, 1))]
        assert eligible["denominator"] == pytest.approx(0.75 * 100_000 + 0.4 * 50_000)

    def test_long_layout_with_ons_codes_and_wait_bands(self, data_dir, tmp_path):
        header = ["Period", "Org Code", "Measure", "Value"]
        rows = []
        for code, values in (("E38000001", (20, 40, 5, 3, 40, 30, 10)),
                             ("E38000002", (9, 10, 1, 1, 35, 20, 5))):  # fmt: skip
            names = [
                "Referrals completed within 28 days", "Referrals completed",
                "Incomplete referrals exceeding 28 days by 0-2 weeks",
                "Incomplete referrals exceeding 28 days by 2-4 weeks",
                "Eligible for standard NHS CHC", "Eligible for Fast Track NHS CHC", "PHB",
            ]  # fmt: skip
            rows += [
                ["Q1 2017/18", code, name, value] for name, value in zip(names, values, strict=True)
            ]
            rows.append(["Q1 2017/18", code, "Conversion rate", "55%"])
        path = write_csv(tmp_path / "long.csv", rows, header=header)
        chc.ingest([path], data_dir)
        rows = chc_rows(data_dir)
        q1 = date(2017, 4, 1)
        assert rows.loc[("chc_over28_per50k", ENGLAND, q1), "numerator"] == 10
        assert rows.loc[("chc_28day", HALTON, q1), "value"] == pytest.approx(18.6 / 34 * 100)

    def test_missing_figure_leaves_out_the_councils_it_feeds(self, data_dir, tmp_path):
        rows = wide_rows()
        rows[2][10] = "*"
        summary = Summary("chc")
        path = write_csv(tmp_path / "chc.csv", rows)
        table = chc.build_table([path], ccg_lookup.load_lookup(data_dir), summary).to_pandas()
        phb = table[table["metric_id"] == "phb_per50k"]
        assert phb["area_code"].tolist() == [ENGLAND]
        assert any("2 council(s) left out" in warning for warning in summary.warnings)


def _failure(data_dir: Path, paths) -> IngestError:
    before = {p: p.read_bytes() for p in sorted((data_dir / "versions").rglob("*")) if p.is_file()}
    with pytest.raises(IngestError) as caught:
        chc.ingest(paths, data_dir)
    after = {p: p.read_bytes() for p in sorted((data_dir / "versions").rglob("*")) if p.is_file()}
    assert after == before
    return caught.value


class TestBadInput:
    """Each mistake names file, sheet, row and column, and nothing published changes."""

    def test_ccg_not_in_lookup(self, data_dir, tmp_path):
        rows = wide_rows()
        rows[2][3] = "99Z"
        path = write_xlsx(tmp_path / "chc.xlsx", rows)
        error = _failure(data_dir, [path])
        assert error.location == Location(path, "CCG Data", 6, "CCG Code")
        assert "CCG 99Z is not in the CCG lookup" in error.message

    def test_negative_count(self, data_dir, tmp_path):
        rows = wide_rows()
        rows[1][9] = -3
        path = write_xlsx(tmp_path / "chc.xlsx", rows)
        error = _failure(data_dir, [path])
        assert error.location == Location(
            path, "CCG Data", 5, "Number eligible for Fast Track NHS CHC"
        )
        assert "expected a count of 0 or more, found -3" in error.message

    def test_numerator_larger_than_denominator(self, data_dir, tmp_path):
        rows = wide_rows()
        rows[1][5] = 41
        path = write_csv(tmp_path / "chc.csv", rows)
        error = _failure(data_dir, [path])
        assert error.location == Location(
            path, None, 3, "Number of referrals completed within 28 days (Standard)"
        )
        assert "numerator 41 is larger than denominator 40" in error.message

    def test_text_in_a_count(self, data_dir, tmp_path):
        rows = wide_rows()
        rows[1][6] = "forty"
        error = _failure(data_dir, [write_csv(tmp_path / "chc.csv", rows)])
        assert (error.location.row, error.location.column) == (
            3, "Number of referrals completed (Standard)"
        )  # fmt: skip

    def test_duplicate_ccg_quarter(self, data_dir, tmp_path):
        rows = wide_rows()
        rows.append(rows[1])
        error = _failure(data_dir, [write_csv(tmp_path / "chc.csv", rows)])
        assert error.location.row == 5
        assert "duplicate CCG and quarter" in error.message

    def test_same_quarter_in_two_files(self, data_dir, tmp_path):
        first = write_csv(tmp_path / "a.csv", wide_rows())
        second = write_csv(tmp_path / "b.csv", wide_rows())
        error = _failure(data_dir, [first, second])
        assert "CCG 01A 2017/18 Q1 is also at a.csv, row 3" in error.message

    def test_missing_quarter_column(self, data_dir, tmp_path):
        header = ["Org Code", "Referrals completed"]
        error = _failure(data_dir, [write_csv(tmp_path / "chc.csv", [["01A", 3]], header=header)])
        assert "no header row with columns 'CCG Code', 'Quarter'" in error.message

    def test_no_lookup(self, tmp_path):
        directory = tmp_path / "data"
        publish_fixture(directory)
        error = _failure(directory, [write_csv(tmp_path / "chc.csv", wide_rows())])
        assert "run lsr ingest ccg-lookup first" in error.message

    def test_no_population_for_rates(self, tmp_path):
        directory = tmp_path / "data"
        publish_fixture(directory)
        lookup = tmp_path / "lookup.csv"
        lookup.write_text(f"ccg_code,area_code,weight\n01A,{HALTON},1\n02B,{COVENTRY},1\n")
        ccg_lookup.ingest([lookup], directory)
        error = _failure(directory, [write_csv(tmp_path / "chc.csv", wide_rows())])
        assert error.location.row == 3
        assert "no population for CCG 01A" in error.message
