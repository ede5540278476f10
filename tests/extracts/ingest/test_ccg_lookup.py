from pathlib import Path

import pytest

from extracts.ingest import ccg_lookup
from extracts.ingest.problems import IngestError, Location
from tests.fixtures import COUNCILS, fixture_tables, publish_fixture

HALTON, COVENTRY = COUNCILS[0], COUNCILS[1]


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n")
    return path


def aliases() -> dict[str, str]:
    table = fixture_tables()["area_aliases"]
    out = dict(zip(table["alias"].to_pylist(), table["area_code"].to_pylist(), strict=True))
    return out | {code.lower(): code for code in COUNCILS}


class TestReadLookup:
    def test_weights_derived_from_populations_and_names_resolved(self, tmp_path):
        # Given populations by CCG and council (councils by code or by name)
        path = write(tmp_path / "lookup.csv", [
            "ccg_code,la_name,area_code,population",
            f"01a,,{HALTON},60000", "01A,Coventry,,20000",
            "02B,Halton,,20000", f"02B,,{COVENTRY},30000",
        ])  # fmt: skip
        # When read
        lookup = ccg_lookup.read_lookup(path, aliases()).set_index(["ccg_code", "area_code"])
        # Then each CCG's weights are its population shares
        assert lookup.loc[("01A", HALTON), "weight"] == pytest.approx(0.75)
        assert lookup.loc[("02B", COVENTRY), "weight"] == pytest.approx(0.6)
        assert lookup.loc[("02B", HALTON), "population"] == 20_000

    def test_weights_given(self, tmp_path):
        path = write(tmp_path / "lookup.csv", [
            "CCG code,LA code,weight", f"00T,{HALTON},0.3", f"00T,{COVENTRY},0.7005",
        ])  # fmt: skip
        lookup = ccg_lookup.read_lookup(path, aliases())
        assert lookup["weight"].tolist() == [0.3, 0.7005]
        assert lookup["population"].isna().all()

    def test_weights_not_adding_to_one(self, tmp_path):
        path = write(tmp_path / "lookup.csv", [
            "ccg_code,area_code,weight", f"00T,{HALTON},0.3", f"00T,{COVENTRY},0.6",
        ])  # fmt: skip
        with pytest.raises(IngestError) as caught:
            ccg_lookup.read_lookup(path, aliases())
        assert caught.value.location == Location(path, None, 2, "weight")
        assert "weights of CCG 00T add up to 0.9000, not 1" in caught.value.message

    def test_unknown_council(self, tmp_path):
        path = write(tmp_path / "lookup.csv", [
            "ccg_code,area_code,weight", f"00T,{HALTON},0.5", "00T,E06999999,0.5",
        ])  # fmt: skip
        with pytest.raises(IngestError) as caught:
            ccg_lookup.read_lookup(path, aliases())
        assert caught.value.location == Location(path, None, 3, "area_code")
        assert "unknown council 'E06999999'" in caught.value.message

    def test_bad_ccg_code(self, tmp_path):
        path = write(tmp_path / "lookup.csv", ["ccg_code,area_code,weight", f"Q71,{HALTON},1"])
        with pytest.raises(IngestError, match="row 2, column 'ccg_code': expected a CCG code"):
            ccg_lookup.read_lookup(path, aliases())

    def test_negative_population(self, tmp_path):
        path = write(tmp_path / "lookup.csv", ["ccg_code,area_code,population", f"01A,{HALTON},-5"])
        with pytest.raises(IngestError, match="row 2, column 'population': expected a count"):
            ccg_lookup.read_lookup(path, aliases())

    def test_missing_columns(self, tmp_path):
        path = write(tmp_path / "lookup.csv", ["ccg_code,area_code", f"01A,{HALTON}"])
        with pytest.raises(IngestError, match=r"row 1: expected column\(s\) 'weight'"):
            ccg_lookup.read_lookup(path, aliases())

    def test_duplicate_pair(self, tmp_path):
        path = write(tmp_path / "lookup.csv", [
            "ccg_code,area_code,weight", f"01A,{HALTON},0.5", f"01A,{HALTON},0.5",
        ])  # fmt: skip
        with pytest.raises(IngestError, match="row 3, column 'ccg_code': duplicate"):
            ccg_lookup.read_lookup(path, aliases())


class TestIngest:
    def test_stores_a_tidy_csv_that_chc_reads_back(self, tmp_path):
        data_dir = tmp_path / "data"
        publish_fixture(data_dir)
        path = write(tmp_path / "lookup.csv", [
            "ccg_code,ccg_ons_code,area_code,population",
            f"01A,E38000001,{HALTON},60000", f"01A,E38000001,{COVENTRY},20000",
        ])  # fmt: skip
        summary = ccg_lookup.ingest([path], data_dir)
        assert summary.rows == 2
        stored = ccg_lookup.lookup_path(data_dir)
        assert stored == data_dir / "reference" / "ccg_lookup.csv"
        assert (
            stored.read_text().splitlines()[0]
            == "ccg_code,ccg_ons_code,area_code,weight,population"
        )
        loaded = ccg_lookup.load_lookup(data_dir)
        assert loaded["weight"].tolist() == [0.75, 0.25]
        assert not list(stored.parent.glob(".ccg_lookup.*"))

    def test_a_bad_lookup_leaves_the_stored_one_alone(self, tmp_path):
        data_dir = tmp_path / "data"
        publish_fixture(data_dir)
        good = write(tmp_path / "good.csv", ["ccg_code,area_code,weight", f"01A,{HALTON},1"])
        ccg_lookup.ingest([good], data_dir)
        before = ccg_lookup.lookup_path(data_dir).read_bytes()
        bad = write(tmp_path / "bad.csv", ["ccg_code,area_code,weight", f"01A,{HALTON},0.5"])
        with pytest.raises(IngestError):
            ccg_lookup.ingest([bad], data_dir)
        assert ccg_lookup.lookup_path(data_dir).read_bytes() == before

    def test_missing_lookup(self, tmp_path):
        with pytest.raises(IngestError, match="run lsr ingest ccg-lookup first"):
            ccg_lookup.load_lookup(tmp_path)
