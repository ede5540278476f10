import csv
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from extracts.ingest import cqc
from extracts.ingest.problems import IngestError, Location, Summary
from extracts.publish import read_current
from tests.fixtures import COUNCILS, publish_fixture

HALTON, COVENTRY, STOKE = COUNCILS[0], COUNCILS[1], COUNCILS[2]
ENGLAND = "E92000001"
HEADER = [
    "Location ID", "Location Name", "Care home?", "Location Type/Sector",
    "Location Primary Inspection Category", "Care homes beds", "Location Local Authority",
    "Location Latest Overall Rating", "Publication Date",
    "Service type - Care home service with nursing",
    "Service type - Care home service without nursing",
    "Service type - Domiciliary care service",
]  # fmt: skip
CSV_HEADER = [
    "Location Id", "Location Name", "Care Home", "Location Type/Sector",
    "Primary Inspection Category", "Care Home Beds", "Local Authority", "Overall Rating",
    "Location Latest Rating Publication Date",
    "Service type - Care home service with nursing",
    "Service type - Care home service without nursing",
    "Service type - Domiciliary care service",
]  # fmt: skip
SOCIAL = "Social Care Org"
RESIDENTIAL = "Residential social care"
COMMUNITY = "Community based adult social care services"


def location(lid, name, care_home, beds, la, rating, published, nursing="", without="", dom="",
             sector=SOCIAL, category=RESIDENTIAL):  # fmt: skip
    return [lid, name, care_home, sector, category, beds, la, rating, published, nursing,
            without, dom]  # fmt: skip


def june_rows():
    return [
        location("1-101", "Oak Nursing Home", "Y", 40, "Halton", "Good", "10/05/2016", nursing="Y"),
        location("1-102", "Elm House", "Y", 20, "Halton", "Requires improvement", "01/08/2016",
                 without="Y"),
        location("1-103", "Ash Manor", "Y", 30, "Coventry", "Inadequate", "01/09/2016",
                 nursing="Y", without="Y"),
        location("1-104", "Rose Home Care", "N", "", "Halton", "Outstanding", "01/10/2016",
                 dom="Y", category=COMMUNITY),
        location("1-105", "Fern Care Services", "N", "", "Stoke-On-Trent",
                 "Insufficient evidence to rate", "", dom="Y", category=COMMUNITY),
        location("1-106", "High Street Surgery", "N", "", "Nowhere", "Good", "01/01/2017",
                 sector="Primary Medical Services", category="GP Practices"),
        location("1-107", "Lime Lodge", "Y", 10, "Coventry", "Not yet rated", "", without="Y",
                 dom="Y"),
        location("1-108", "Clinic Homecare", "N", "", "Nowhere", "Good", "01/01/2017", dom="Y",
                 sector="Independent Healthcare Org"),
    ]  # fmt: skip


def september_rows():
    return [
        location("1-101", "Oak Nursing Home", "Y", 40, "Halton", "Good", "10/05/2016", nursing="Y"),
        location("1-102", "Elm House", "Y", 20, "Halton", "Good", "15/07/2017", without="Y"),
        location("1-103", "Ash Manor", "Y", 30, "Coventry", "Inadequate", "01/08/2017",
                 nursing="Y"),
        location("1-104", "Rose Home Care", "N", "", "Halton", "Outstanding", "01/10/2016",
                 dom="Y"),
        location("1-105", "Fern Care Services", "N", "", "Stoke-On-Trent",
                 "Requires improvement", "20/08/2017", dom="Y"),
    ]  # fmt: skip


def write_xlsx(path: Path, rows, *, titles=("Data as at 01/06/2017",), header=HEADER,
               sheet="HSCA Active Locations") -> Path:  # fmt: skip
    book = Workbook()
    book.active.title = "Readme"
    book.active.append(["About this file"])
    sheet_ = book.create_sheet(sheet)
    sheet_.append(["Care directory with ratings"])
    for title in titles:
        sheet_.append([title])
    sheet_.append([])
    sheet_.append(header)
    for row in rows:
        sheet_.append(row)
    book.save(path)
    return path


def write_csv(path: Path, rows, *, titles=("Data as at 01/09/2017",), header=CSV_HEADER) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        for title in titles:
            writer.writerow([title])
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def published(tmp_path):
    data_dir = tmp_path / "data"
    publish_fixture(data_dir)
    return data_dir


@pytest.fixture
def two_snapshots(tmp_path):
    june = write_xlsx(tmp_path / "june.xlsx", june_rows())
    september = write_csv(tmp_path / "september.csv", september_rows())
    return [june, september]


def aliases():
    from tests.fixtures import fixture_tables

    table = fixture_tables()["area_aliases"]
    return dict(zip(table["alias"].to_pylist(), table["area_code"].to_pylist(), strict=True))


def read(path, **options):
    from extracts.ingest.validation import AreaResolver

    return cqc.read_snapshot(path, AreaResolver(aliases()), Summary("cqc"), **options)


class TestClassify:
    def test_care_home_with_nursing_is_a_nursing_home_even_with_both_flags(self):
        assert cqc.classify(True, True, True, False) == "nursing_home"

    def test_care_home_without_nursing_is_a_residential_home(self):
        assert cqc.classify(True, False, True, True) == "residential_home"

    def test_domiciliary_agency_that_is_not_a_care_home(self):
        assert cqc.classify(False, False, False, True) == "domiciliary_care"

    def test_anything_else_is_left_out(self):
        assert cqc.classify(False, False, False, False) is None
        assert cqc.classify(True, False, False, False) is None


class TestReadSnapshot:
    def test_xlsx_with_title_rows_and_a_readme_sheet(self, tmp_path):
        # Given a workbook whose header sits under title rows on its second sheet
        path = write_xlsx(tmp_path / "june.xlsx", june_rows())
        # When it is read
        snapshot = read(path)
        # Then the snapshot day comes from "Data as at" and only the three types are kept
        assert snapshot.day == date(2017, 6, 1)
        assert snapshot.how == "'Data as at' date"
        frame = snapshot.locations.set_index("location_id")
        assert sorted(frame.index) == ["1-101", "1-102", "1-103", "1-104", "1-105", "1-107"]
        assert frame.loc["1-103", "service_type"] == "nursing_home"
        assert frame.loc["1-107", "service_type"] == "residential_home"
        assert frame.loc["1-104", "service_type"] == "domiciliary_care"
        assert frame.loc["1-105", "area_code"] == STOKE
        assert pd.isna(frame.loc["1-104", "beds"])
        assert frame.loc["1-101", "beds"] == 40
        assert frame.loc["1-102", "overall_rating"] == "Requires improvement"
        assert frame.loc["1-102", "rating_date"] == date(2016, 8, 1)
        assert pd.isna(frame.loc["1-105", "overall_rating"])
        assert pd.isna(frame.loc["1-107", "overall_rating"])

    def test_csv_with_header_variants(self, tmp_path):
        path = write_csv(tmp_path / "september.csv", september_rows())
        snapshot = read(path)
        assert snapshot.day == date(2017, 9, 1)
        assert len(snapshot.locations) == 5

    def test_snapshot_day_from_latest_publication_date_is_stated(self, tmp_path):
        path = write_csv(tmp_path / "september.csv", september_rows(), titles=())
        summary = Summary("cqc")
        from extracts.ingest.validation import AreaResolver

        snapshot = cqc.read_snapshot(path, AreaResolver(aliases()), summary)
        assert snapshot.day == date(2017, 8, 20)
        assert "snapshot 2017-08-20 is the latest publication date" in summary.warnings[0]

    def test_snapshot_day_given_wins(self, tmp_path):
        path = write_csv(tmp_path / "september.csv", september_rows())
        assert read(path, snapshot_date=date(2017, 9, 4)).day == date(2017, 9, 4)


def _error(path, **options) -> IngestError:
    with pytest.raises(IngestError) as caught:
        read(path, **options)
    return caught.value


class TestBadInput:
    """Each mistake is reported at its cell: file, sheet, row, column and the value."""

    def test_missing_column(self, tmp_path):
        header = [label for label in HEADER if label != "Care homes beds"]
        rows = [row[:5] + row[6:] for row in june_rows()]
        error = _error(write_xlsx(tmp_path / "june.xlsx", rows, header=header))
        assert error.location == Location(tmp_path / "june.xlsx", "HSCA Active Locations", 4)
        assert "expected column(s) 'Care homes beds'" in error.message

    def test_unknown_local_authority(self, tmp_path):
        rows = june_rows()
        rows[1][6] = "Atlantis"
        error = _error(write_xlsx(tmp_path / "june.xlsx", rows))
        assert error.location == Location(
            tmp_path / "june.xlsx", "HSCA Active Locations", 6, "Location Local Authority"
        )
        assert "unknown local authority 'Atlantis'" in error.message

    def test_text_in_beds(self, tmp_path):
        rows = june_rows()
        rows[0][5] = "forty"
        error = _error(write_csv(tmp_path / "june.csv", rows))
        assert error.location == Location(tmp_path / "june.csv", None, 3, "Care Home Beds")
        assert "expected a number, found text 'forty'" in error.message

    def test_unknown_rating(self, tmp_path):
        rows = june_rows()
        rows[2][7] = "Brilliant"
        error = _error(write_xlsx(tmp_path / "june.xlsx", rows))
        assert error.location.row == 7
        assert error.location.column == "Location Latest Overall Rating"
        assert "unknown rating 'Brilliant'" in error.message

    def test_duplicate_location_in_one_snapshot(self, tmp_path):
        rows = june_rows()
        rows.append(rows[0])
        error = _error(write_xlsx(tmp_path / "june.xlsx", rows))
        assert error.location.row == 13
        assert error.location.column == "Location ID"
        assert "duplicate location '1-101'; first seen at" in error.message
        assert "row 5" in error.message

    def test_flag_that_is_not_y_or_n(self, tmp_path):
        rows = june_rows()
        rows[0][2] = "maybe"
        error = _error(write_xlsx(tmp_path / "june.xlsx", rows))
        assert (error.location.row, error.location.column) == (5, "Care home?")

    def test_bad_publication_date(self, tmp_path):
        rows = june_rows()
        rows[0][8] = "last spring"
        error = _error(write_xlsx(tmp_path / "june.xlsx", rows))
        assert (error.location.row, error.location.column) == (5, "Publication Date")

    def test_no_header_anywhere(self, tmp_path):
        path = tmp_path / "other.csv"
        path.write_text("a,b\n1,2\n")
        assert "no header row with columns 'Location ID'" in _error(path).message

    def test_wrong_file_type(self, tmp_path):
        path = tmp_path / "ratings.ods"
        path.write_text("x")
        assert "expected an .xlsx workbook or a .csv file" in _error(path).message


def _snapshot(data_dir: Path) -> dict:
    return {
        p.relative_to(data_dir): p.read_bytes() for p in sorted(data_dir.rglob("*")) if p.is_file()
    }


class TestIngest:
    def test_two_snapshots_publish_locations_inspections_and_indicators(
        self, published, two_snapshots
    ):
        # When a June workbook and a September CSV are imported together
        summary = cqc.ingest(two_snapshots, published)
        # Then both snapshots are published, with the inspection history between them
        assert summary.files == 2
        assert summary.periods == {
            "snapshot 2017-06-01 ('Data as at' date)",
            "snapshot 2017-09-01 ('Data as at' date)",
        }
        locations = read_current(published, "cqc_locations").to_pandas()
        assert locations.groupby("snapshot_date").size().to_dict() == {
            date(2017, 6, 1): 6,
            date(2017, 9, 1): 5,
        }
        assert not locations["is_synthetic"].any()
        inspections = read_current(published, "cqc_inspections").to_pandas()
        history = inspections.groupby("location_id")["overall_rating"].apply(list).to_dict()
        assert history == {
            "1-101": ["Good"],
            "1-102": ["Requires improvement", "Good"],
            "1-103": ["Inadequate", "Inadequate"],
            "1-104": ["Outstanding"],
            "1-105": ["Requires improvement"],
        }
        assert inspections.loc[inspections["location_id"] == "1-102", "inspection_date"].tolist()[
            1
        ] == date(2017, 7, 15)

    def test_indicators_by_hand(self, published, two_snapshots):
        cqc.ingest(two_snapshots, published)
        indicators = read_current(published, "indicators").to_pandas()
        rows = indicators[indicators["source"] == "cqc"]
        assert not rows["is_synthetic"].any()

        def value(metric, area, start, breakdown="all", breakdown_value="all"):
            match = rows[
                (rows["metric_id"] == metric)
                & (rows["area_code"] == area)
                & (rows["period_start"] == start)
                & (rows["breakdown"] == breakdown)
                & (rows["breakdown_value"] == breakdown_value)
            ]
            assert len(match) == 1, (metric, area, start, breakdown, breakdown_value)
            return match.iloc[0]

        june, fy17 = date(2017, 6, 1), date(2017, 4, 1)
        # Halton in June: Good, RI, Outstanding rated → 2 of 3 Good or better
        assert value("cqc_rating_share", HALTON, june)["value"] == pytest.approx(200 / 3)
        assert value("cqc_rating_share", COVENTRY, june)["value"] == 0
        assert value("cqc_rating_share", ENGLAND, june)["value"] == 50
        good = value("cqc_rating_share", ENGLAND, june, "rating", "good")
        assert (good["numerator"], good["denominator"]) == (1, 4)
        nursing = value("cqc_rating_share", COVENTRY, june, "service_type:nursing_home",
                        "inadequate")  # fmt: skip
        assert nursing["value"] == 100
        # Stoke's only location is unrated in June: no rating share row (zero denominator)
        stoke = rows[(rows["area_code"] == STOKE) & (rows["metric_id"] == "cqc_rating_share")]
        assert set(stoke["period_start"]) == {date(2017, 9, 1)}
        # beds per 100 aged 65+ (fixture population 18,000)
        assert value("care_home_beds_per100_65", HALTON, june)["value"] == pytest.approx(
            60 / 18_000 * 100
        )
        assert value("care_home_beds_per100_65", COVENTRY, june, "service_type",
                     "residential_home")["numerator"] == 10  # fmt: skip
        assert value("domcare_locations_per100k_65", STOKE, june)["value"] == pytest.approx(
            1 / 18_000 * 100_000
        )
        assert value("domcare_locations_per100k_65", COVENTRY, june)["value"] == 0
        # re-inspections in 2017/18: Halton's RI home improved, Coventry's Inadequate did not
        assert value("cqc_not_improved", HALTON, fy17)["value"] == 0
        assert value("cqc_not_improved", COVENTRY, fy17)["value"] == 100
        england = value("cqc_not_improved", ENGLAND, fy17)
        assert (england["numerator"], england["denominator"], england["value"]) == (1, 2, 50)
        assert england["period_end"] == date(2018, 3, 31)

    def test_other_sources_are_kept(self, published, two_snapshots):
        cqc.ingest(two_snapshots, published)
        sources = set(read_current(published, "indicators").column("source").to_pylist())
        assert {"dtoc", "hes", "ascof", "cqc"} <= sources

    def test_the_same_snapshot_twice_is_an_error(self, published, tmp_path):
        first = write_csv(tmp_path / "a.csv", september_rows())
        second = write_csv(tmp_path / "b.csv", september_rows())
        with pytest.raises(IngestError, match="snapshot 2017-09-01 is also in a.csv"):
            cqc.ingest([first, second], published)


class TestIngestLeavesPublishedDataAlone:
    """A bad file anywhere in the batch: an error, and not one published byte changes."""

    @pytest.mark.parametrize(
        ("row", "column", "value", "message"),
        [
            (1, 6, "Atlantis", "unknown local authority"),
            (0, 5, "forty", "expected a number"),
            (2, 7, "Brilliant", "unknown rating"),
            (0, 0, "1-102", "duplicate location"),
        ],
    )
    def test_bad_second_file(self, published, tmp_path, row, column, value, message):
        june = write_xlsx(tmp_path / "june.xlsx", june_rows())
        rows = september_rows()
        rows[row][column] = value
        september = write_csv(tmp_path / "september.csv", rows)
        before = _snapshot(published / "versions")
        with pytest.raises(IngestError, match=message):
            cqc.ingest([june, september], published)
        assert _snapshot(published / "versions") == before
