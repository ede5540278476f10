from pathlib import Path

import pyarrow as pa
import pytest

from extracts.ingest import ons_population
from extracts.ingest.ons_population import (
    column_letter,
    is_density_sheet,
    is_persons_sheet,
    parse_density_rows,
    parse_persons_rows,
    population_table,
    read_workbook,
)
from extracts.ingest.problems import IngestError

ENGLAND = "E92000001"
FILE = Path("mye.xls")


def counts_for(code: str, scale: int = 1) -> list[int]:
    """Single-year counts 0..90 that differ by area: age + 1 + the code's last digit."""
    return [(age + 1 + int(code[-1])) * scale for age in range(91)]


def persons_rows(year=2016, areas=None, *, geography=False, float_ages=True, scale=None):
    """Rows shaped like an ONS MYE2 persons sheet (title block, header, areas, footnote)."""
    areas = areas or [(ENGLAND, "ENGLAND"), ("E06000001", "Hartlepool")]
    ages = [float(age) for age in range(91)] if float_ages else list(range(90)) + ["90+"]
    extra = ["Geography1"] if geography else []
    header = ["Code", "Name", *extra, "All ages", *ages]
    rows = [
        ["Contents"],
        [],
        [f"MYE2: Population estimates: Persons by single year of age, mid-{year}", "", ""],
        [],
        header,
    ]
    for code, name in areas:
        counts = counts_for(code, (scale or {}).get(code, 1))
        rows.append(
            [code, name, *(["Unitary Authority"] if geography else []), sum(counts)] + counts
        )
    rows += [[""] * len(header), ["1. Further information is given in the notes tab."]]
    return rows


def frame_for(year, codes_and_scales):
    areas = [(code, code) for code in codes_and_scales]
    _, frame = parse_persons_rows(
        persons_rows(year, areas, scale=codes_and_scales), file=f"mid{year}.xls", sheet="MYE2"
    )
    return frame


class TestParsePersonsRows:
    def test_reads_year_from_the_title_and_counts_by_single_age(self):
        year, frame = parse_persons_rows(persons_rows(2016), file=FILE, sheet="MYE2 - All")
        assert year == 2016
        assert set(frame["area_code"]) == {ENGLAND, "E06000001"}
        hartlepool = frame[frame["area_code"] == "E06000001"].set_index("age")["count"]
        assert list(hartlepool.index) == list(range(91))
        assert hartlepool[0] == 2 and hartlepool[90] == 92

    def test_finds_the_header_by_content_with_a_geography_column_and_90_plus(self):
        rows = persons_rows(2019, geography=True, float_ages=False)
        year, frame = parse_persons_rows(rows, file=FILE, sheet="MYE2 - Persons")
        assert year == 2019
        assert len(frame) == 2 * 91

    def test_2015_layout_with_upper_case_header_near_the_top(self):
        rows = persons_rows(2015)
        rows = [[rows[2][0]], ["ALL PERSONS"], [c.upper() if isinstance(c, str) else c
                                                for c in rows[4]], *rows[5:]]  # fmt: skip
        year, frame = parse_persons_rows(rows, file=FILE, sheet="Persons UK")
        assert year == 2015 and frame["area_code"].nunique() == 2

    def test_non_numeric_age_cell_names_file_sheet_row_and_column(self):
        rows = persons_rows(2016)
        rows[6][3 + 45] = "n/a"  # Hartlepool, age 45 (columns: Code, Name, All ages, 0..)
        with pytest.raises(IngestError) as caught:
            parse_persons_rows(rows, file=FILE, sheet="MYE2 - All")
        location = caught.value.location
        assert (location.sheet, location.row, location.column) == ("MYE2 - All", 7, "AW")
        assert "mye.xls" in str(caught.value) and "age 45" in str(caught.value)

    def test_no_header_row_is_an_error(self):
        rows = [row for row in persons_rows(2016) if row[:1] != ["Code"]]
        with pytest.raises(IngestError, match="no header row"):
            parse_persons_rows(rows, file=FILE, sheet="MYE2 - All")

    def test_no_mid_year_in_the_title_is_an_error(self):
        rows = persons_rows(2016)
        rows[2] = ["Population estimates"]
        with pytest.raises(IngestError, match="mid-YYYY"):
            parse_persons_rows(rows, file=FILE, sheet="MYE2 - All")

    def test_missing_age_column_is_an_error(self):
        rows = [row[:-1] if len(row) > 90 else row for row in persons_rows(2016)]
        with pytest.raises(IngestError, match=r"age\(s\) \[90\]"):
            parse_persons_rows(rows, file=FILE, sheet="MYE2 - All")

    def test_all_ages_that_disagree_with_the_single_years_is_an_error(self):
        rows = persons_rows(2016)
        rows[6][2] += 1
        with pytest.raises(IngestError, match="all ages") as caught:
            parse_persons_rows(rows, file=FILE, sheet="MYE2 - All")
        assert caught.value.location.column == "C"

    def test_text_with_counts_in_the_code_column_is_an_error(self):
        rows = persons_rows(2016)
        rows[6][0] = "Hartlepool?"
        with pytest.raises(IngestError, match="not an ONS area code"):
            parse_persons_rows(rows, file=FILE, sheet="MYE2 - All")


class TestSheetNames:
    @pytest.mark.parametrize(
        "name", ["Persons UK", "MYE2 - All", "MYE2-All", "MYE2 - Persons", " MYE2 - All "]
    )
    def test_persons_sheets(self, name):
        assert is_persons_sheet(name)

    @pytest.mark.parametrize("name", ["Males UK", "Females UK ", "MYE2 - M", "MYE2 - Females"])
    def test_not_persons_sheets(self, name):
        assert not is_persons_sheet(name)

    def test_density_sheets(self):
        assert is_density_sheet("MYE5") and is_density_sheet("MYE 5")
        assert not is_density_sheet("MYE 6")


class TestColumnLetter:
    def test_letters(self):
        assert [column_letter(i) for i in (0, 25, 26, 48, 701)] == ["A", "Z", "AA", "AW", "ZZ"]


class TestParseDensityRows:
    def test_takes_the_latest_year_column(self):
        rows = [
            ["MYE5: Population density, mid-2001 to mid-2016"],
            ["Code", "Name", "Area (sq km)", "Estimated Population mid-2016",
             "2016 people per sq. km", "Estimated Population mid-2015", "2015 people per sq. km"],
            [ENGLAND, "ENGLAND", 130310.0, 55268067.0, 424.0, 54786327.0, 420.0],
            ["", "", "", "", "", "", ""],
        ]  # fmt: skip
        year, frame = parse_density_rows(rows, file=FILE, sheet="MYE5")
        assert year == 2016
        assert frame.set_index("area_code")["density_per_km2"][ENGLAND] == 424.0


class TestPopulationTable:
    def test_bands_and_derived_bands_add_up(self):
        table = population_table({2016: frame_for(2016, {ENGLAND: 1, "E06000001": 1})}, [
            ENGLAND, "E06000001"])  # fmt: skip
        counts = {(row["area_code"], row["age_band"]): row["count"] for row in table.to_pylist()}
        ages = counts_for("E06000001")
        assert counts[("E06000001", "0-17")] == sum(ages[:18])
        assert counts[("E06000001", "85+")] == sum(ages[85:])
        assert counts[("E06000001", "18+")] == sum(ages[18:])
        assert counts[("E06000001", "65+")] == sum(ages[65:])
        assert counts[("E06000001", "all")] == sum(ages)
        assert table.schema.field("year").type == pa.int16()

    def test_buckinghamshire_2020_code_maps_to_the_county(self):
        frame = frame_for(2019, {"E06000060": 1})
        table = population_table({2019: frame}, ["E10000002"])
        assert table.column("area_code").unique().to_pylist() == ["E10000002"]

    def test_bournemouth_poole_dorset_are_apportioned_by_2017_shares(self):
        mid2017 = frame_for(2017, {"E06000028": 2, "E06000029": 1, "E10000009": 3})
        mid2018 = frame_for(2018, {"E06000058": 5, "E06000059": 7})
        codes = ["E06000028", "E06000029", "E10000009"]
        table = population_table({2017: mid2017, 2018: mid2018}, codes).to_pandas()
        later = table[table["year"] == 2018].pivot(
            index="area_code", columns="age_band", values="count"
        )
        successor_total = sum(counts_for("E06000058", 5)) + sum(counts_for("E06000059", 7))
        assert later["all"].sum() == successor_total
        for band in ("0-17", "18-64", "65-74", "75-84", "85+"):
            earlier = table[(table["year"] == 2017) & (table["age_band"] == band)]
            shares = earlier.set_index("area_code")["count"] / earlier["count"].sum()
            expected = shares * later[band].sum()
            assert (later[band] - expected).abs().max() < 1

    def test_successors_without_a_2017_workbook_are_an_error(self):
        mid2018 = frame_for(2018, {"E06000058": 1, "E06000059": 1})
        with pytest.raises(IngestError, match="2017 boundaries"):
            population_table({2018: mid2018}, ["E06000028"])

    def test_missing_council_names_the_code_and_file(self):
        frame = frame_for(2016, {ENGLAND: 1})
        with pytest.raises(IngestError, match="E06000001") as caught:
            population_table({2016: frame}, [ENGLAND, "E06000001"])
        assert "mid2016.xls" in str(caught.value)


class TestLargestRemainder:
    def test_parts_add_up_and_follow_weights(self):
        parts = ons_population._largest_remainder(10, [1, 1, 1])
        assert sum(parts) == 10 and sorted(parts) == [3, 3, 4]
        assert ons_population._largest_remainder(7, [0, 0]) == [4, 3]


@pytest.fixture(scope="module")
def paths(real_data):
    return sorted((real_data / "ons_mye").glob("*.xls"))


@pytest.fixture(scope="module")
def population(real_data, paths):
    from extracts.ingest.reference_areas import _read_councils

    codes = sorted(_read_councils(real_data)["area_code"]) + [ENGLAND]
    return ons_population.build_population(paths, codes).to_pandas()


@pytest.mark.realdata
class TestRealWorkbooks:
    def test_every_layout_reads_with_the_year_from_its_content(self, paths):
        years = {read_workbook(path)[0]: path.name for path in paths}
        assert sorted(years) == [2015, 2016, 2017, 2018, 2019]

    def test_published_mid_2016_totals(self, population):
        mid2016 = population[population["year"] == 2016].set_index(["area_code", "age_band"])
        assert mid2016.loc[(ENGLAND, "18+"), "count"] == 43_482_790
        assert mid2016.loc[("E08000012", "18+"), "count"] == 392_637  # Liverpool
        assert mid2016.loc[("E08000026", "18+"), "count"] == 276_467  # Coventry
        assert mid2016.loc[(ENGLAND, "65+"), "count"] == 9_882_841

    def test_152_councils_and_england_every_year_and_band(self, population):
        assert population["area_code"].nunique() == 153
        assert len(population) == 153 * 5 * 8

    def test_2018_apportionment_keeps_the_successor_total(self, paths, population):
        _, mid2018 = read_workbook(next(p for p in paths if "20182019" in p.name))
        successors = mid2018[mid2018["area_code"].isin(["E06000058", "E06000059"])]
        rows = population[
            (population["year"] == 2018)
            & (population["age_band"] == "all")
            & population["area_code"].isin(["E06000028", "E06000029", "E10000009"])
        ]
        assert rows["count"].sum() == successors["count"].sum() == 772_268

    def test_buckinghamshire_2019_equals_the_2020_code_row(self, paths, population):
        _, mid2019 = read_workbook(next(p for p in paths if "20192020" in p.name))
        unitary = mid2019.loc[mid2019["area_code"] == "E06000060", "count"].sum()
        row = population[
            (population["year"] == 2019)
            & (population["area_code"] == "E10000002")
            & (population["age_band"] == "all")
        ]
        assert row["count"].item() == unitary == 543_973

    def test_density_from_mye5(self, paths):
        found = ons_population.read_density(next(p for p in paths if p.name.endswith("2016.xls")))
        year, density = found
        assert year == 2016
        assert density.set_index("area_code")["density_per_km2"][ENGLAND] == 424.0
        first = next(p for p in paths if "2015" in p.name)
        assert ons_population.read_density(first) is None
