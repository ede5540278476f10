import pyarrow as pa
import pytest

from extracts.ingest import ons_population, reference_areas
from extracts.ingest.problems import IngestError, Location, Summary
from extracts.ingest.reference_areas import (
    AliasBook,
    alias_lookup,
    build_reference,
)
from extracts.open_data import read_snapshot, read_snapshots, write_snapshots
from queries import schema

ENGLAND = schema.ENGLAND_CODE
OPEN_DIR = reference_areas.Path(__file__).resolve().parents[3] / "data" / "open"


class TestAliasBook:
    def test_resolves_spelling_variants_to_one_code(self):
        book = AliasBook()
        book.add("Stoke-on-Trent", "E06000021", Location("a.csv", row=2))
        book.add("Stoke-On-Trent UA", "E06000021", Location("b.xls", row=9))
        assert book.resolve("STOKE ON TRENT") == "E06000021"
        assert book.table().num_rows == 1

    def test_an_alias_for_two_codes_is_an_error_naming_both(self):
        book = AliasBook()
        book.add("Dorset", "E10000009", Location("a.csv", row=2))
        with pytest.raises(IngestError) as caught:
            book.add("Dorset UA", "E06000059", Location("b.xls", "LA", row=7))
        message = str(caught.value)
        assert "E10000009" in message and "E06000059" in message and "b.xls" in message

    def test_table_is_schema_valid_and_sorted(self):
        book = AliasBook()
        book.add("York", "E06000014", Location("x"))
        book.add("219", "E06000014", Location("x"))
        table = book.table()
        assert table.column("alias").to_pylist() == ["219", "york"]
        assert alias_lookup(table) == {"219": "E06000014", "york": "E06000014"}


class TestSuccessorCodes:
    def test_population_renames_are_same_boundary_successors(self):
        for new, old in ons_population.RENAMED_CODES.items():
            assert reference_areas.SAME_BOUNDARY_CODES[new] == old

    def test_apportioned_successors_cover_their_predecessors(self):
        for successors, predecessors in ons_population.APPORTIONED_AREAS.items():
            covered = {p for s in successors for p in reference_areas.SUCCESSOR_CODES[s]}
            assert covered == set(predecessors)


class TestOpenCsvRoundTrip:
    def test_written_tables_read_back_identical(self, tmp_path):
        areas = pa.table(
            {
                "area_code": ["E06000001", ENGLAND],
                "name": ["Hartlepool", "England"],
                "region": ["North East", "England"],
                "la_type": ["unitary", "country"],
                "dh_code": ["111", None],
                "reviewed": [True, False],
                "pop_all": [92817, 55268067],
                "pop_18plus": [72819, 43482790],
                "pop_65plus": [17472, 9882841],
                "pop_85plus": [2171, 1328092],
                "pct_65plus": [18.824, 17.882],
                "pct_85plus": [2.339, 2.403],
                "imd_avg_rank": [22581.98, None],
                "imd_decile": [2, None],
                "density_per_km2": [987.0, 424.0],
            }
        )
        areas = schema.validate("areas", areas)
        write_snapshots({"areas": areas}, tmp_path)
        assert read_snapshot("areas", tmp_path).equals(areas)
        assert set(read_snapshots(tmp_path)) == {"areas"}


@pytest.fixture(scope="module")
def reference(real_data):
    summary = Summary(source="reference")
    tables = build_reference(real_data, summary)
    return tables, summary


@pytest.mark.realdata
class TestBuildReference:
    def test_152_councils_and_england(self, reference):
        areas = reference[0]["areas"].to_pandas()
        assert len(areas) == 153 and areas["area_code"].is_unique
        assert areas["la_type"].value_counts().to_dict() == {
            "unitary": 56,
            "metropolitan": 36,
            "london": 33,
            "county": 27,
            "country": 1,
        }
        england = areas.set_index("area_code").loc[ENGLAND]
        assert (england["name"], england["region"], england["pop_18plus"]) == (
            "England",
            "England",
            43_482_790,
        )

    def test_the_20_reviewed_areas(self, reference):
        areas = reference[0]["areas"].to_pandas()
        reviewed = set(areas.loc[areas["reviewed"], "name"])
        assert len(reviewed) == 20
        assert {"Stoke-on-Trent", "Northamptonshire", "Bracknell Forest"} <= reviewed

    def test_every_council_but_isles_of_scilly_has_a_dh_code(self, reference):
        areas = reference[0]["areas"].to_pandas().set_index("area_code")
        councils = areas[areas["la_type"] != "country"]
        assert councils.index[councils["dh_code"].isna()].tolist() == ["E06000053"]
        assert councils["dh_code"].dropna().is_unique
        assert areas.loc["E06000015", "dh_code"] == "507"  # Derby, from Sep_17.xls
        assert any("E06000053" in warning for warning in reference[1].warnings)

    @pytest.mark.parametrize(
        ("variant", "code"),
        [
            ("Stoke-On-Trent", "E06000021"),
            ("Telford & Wrekin", "E06000020"),
            ("Kingston Upon Hull", "E06000010"),
            ("Kingston upon Hull, City of", "E06000010"),
            ("Bristol, City of", "E06000023"),
            ("Bristol, City of UA", "E06000023"),
            ("Herefordshire, County of", "E06000019"),
            ("Isle of Wight UA", "E06000046"),
            ("Barking & Dagenham", "E09000002"),
            ("407", "E08000026"),
            ("414", "E06000021"),
            ("00KB", "E06000055"),
            ("E06000060", "E10000002"),
            ("ENGLAND", ENGLAND),
        ],
    )
    def test_name_and_code_variants_resolve(self, reference, variant, code):
        lookup = alias_lookup(reference[0]["area_aliases"])
        assert lookup[schema.normalise_area_name(variant)] == code

    def test_merged_successor_is_not_an_alias(self, reference):
        lookup = alias_lookup(reference[0]["area_aliases"])
        assert "e06000058" not in lookup
        assert "bournemouth christchurch and poole" not in lookup
        assert "e06000059" not in lookup  # Dorset UA is not the 2017 Dorset county

    def test_deprivation_decile_1_is_most_deprived(self, reference):
        areas = reference[0]["areas"].to_pandas().set_index("area_code")
        assert areas.loc["E06000009", "imd_decile"] == 1  # Blackpool
        assert areas.loc["E06000041", "imd_decile"] == 10  # Wokingham
        missing = areas.index[areas["imd_avg_rank"].isna()].tolist()
        assert missing == ["E06000028", "E06000029", "E10000009", ENGLAND]

    def test_context_matches_population(self, reference):
        tables = reference[0]
        areas = tables["areas"].to_pandas().set_index("area_code")
        population = tables["population"].to_pandas()
        coventry = population[
            (population["area_code"] == "E08000026") & (population["year"] == 2016)
        ]
        bands = coventry.set_index("age_band")["count"]
        assert areas.loc["E08000026", "pop_18plus"] == bands["18+"] == 276_467
        assert areas.loc["E08000026", "pct_65plus"] == round(100 * bands["65+"] / bands["all"], 3)
        assert areas["density_per_km2"].notna().all()
        assert areas.loc[ENGLAND, "density_per_km2"] == 424.0

    def test_committed_csvs_equal_a_fresh_build(self, reference):
        committed = read_snapshots(OPEN_DIR)
        for name in ("areas", "area_aliases", "population"):
            order = [(key, "ascending") for key in schema.table(name).key]
            fresh = schema.validate(name, reference[0][name]).sort_by(order)
            assert committed[name].sort_by(order).equals(fresh), name
