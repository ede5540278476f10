"""The hex tile layout: 2020 codes mapped back to the 152 councils of 2017, one hex each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extracts.ingest import hexmap
from extracts.ingest.problems import IngestError
from extracts.open_data import OPEN_DIR, read_snapshot
from queries import schema

REAL_HEXJSON = (
    Path(__file__).resolve().parents[4] / "shared" / "real-data" / "hexmap" / hexmap.HEXJSON_NAME
)


def write_hexjson(path: Path, hexes: dict[str, tuple[int, int]], layout: str = "odd-r") -> Path:
    document = {
        "layout": layout,
        "hexes": {code: {"n": code, "q": q, "r": r} for code, (q, r) in hexes.items()},
    }
    path.write_text(json.dumps(document))
    return path


class TestNeighbours:
    def test_even_row_neighbours_lean_left(self):
        # Given a hex on an even row of an odd-r layout
        # Then the rows above and below hold (q-1, q)
        assert hexmap.neighbours(5, 2) == [(4, 2), (4, 1), (5, 1), (6, 2), (5, 3), (4, 3)]

    def test_odd_row_neighbours_lean_right(self):
        assert hexmap.neighbours(5, 3) == [(4, 3), (5, 2), (6, 2), (6, 3), (6, 4), (5, 4)]


class TestLayout2017:
    def test_successor_codes_map_back_and_poole_gets_a_free_neighbour(self):
        # Given BCP, Dorset UA and Buckinghamshire UA on the 2020 map, Bath west of BCP
        tiles = {
            "E06000058": (5, 2),
            "E06000059": (3, 1),
            "E06000060": (8, 6),
            "E06000022": (4, 2),
        }
        councils = ["E06000028", "E06000029", "E10000009", "E10000002", "E06000022"]
        # When laid out for 2017
        placed = hexmap.layout_2017(tiles, councils)
        # Then Bournemouth keeps BCP's hex and Poole takes the first free one beside it
        assert placed["E06000028"] == (5, 2)
        assert placed["E06000029"] == (4, 1)
        assert placed["E10000009"] == (3, 1)
        assert placed["E10000002"] == (8, 6)
        assert len(set(placed.values())) == len(councils)

    def test_hexes_of_councils_not_in_the_areas_table_are_dropped(self):
        placed = hexmap.layout_2017({"E06000001": (0, 0), "E06000099": (1, 0)}, ["E06000001"])
        assert placed == {"E06000001": (0, 0)}

    def test_a_council_without_a_hex_is_an_error(self):
        with pytest.raises(ValueError, match="E06000002"):
            hexmap.layout_2017({"E06000001": (0, 0)}, ["E06000001", "E06000002"])


class TestBuildTiles:
    def test_reads_english_hexes_only(self, tmp_path):
        path = write_hexjson(tmp_path / "map.hexjson", {"E06000001": (0, 0), "W06000001": (1, 0)})
        table = hexmap.build_tiles(path, ["E06000001"])
        assert table.to_pylist() == [{"area_code": "E06000001", "q": 0, "r": 0}]

    def test_wrong_layout_is_a_one_line_error(self, tmp_path):
        path = write_hexjson(tmp_path / "map.hexjson", {"E06000001": (0, 0)}, layout="odd-q")
        with pytest.raises(IngestError, match="expected layout 'odd-r'"):
            hexmap.build_tiles(path, ["E06000001"])

    def test_missing_council_is_an_ingest_error_naming_the_file(self, tmp_path):
        path = write_hexjson(tmp_path / "map.hexjson", {"E06000001": (0, 0)})
        with pytest.raises(IngestError, match=r"map\.hexjson: no hex for council\(s\) E06000002"):
            hexmap.build_tiles(path, ["E06000001", "E06000002"])

    def test_attribution_is_appended_once_at_the_end(self, tmp_path):
        provenance = tmp_path / "PROVENANCE.md"
        provenance.write_text("# Provenance\n\nOther sources.\n")
        hexmap.append_attribution(provenance)
        hexmap.append_attribution(provenance)
        text = provenance.read_text()
        assert text.count(hexmap.ATTRIBUTION_HEADING) == 1
        assert text.index("Other sources.") < text.index(hexmap.ATTRIBUTION_HEADING)
        assert hexmap.SOURCE_COMMIT in text and "MIT" in text


@pytest.fixture(scope="module")
def tiles():
    return read_snapshot("area_tiles").to_pandas()


class TestCommittedTiles:
    def test_every_council_has_exactly_one_hex_and_no_hex_is_shared(self, tiles):
        councils = read_snapshot("areas").to_pandas()
        councils = set(councils.loc[councils["area_code"] != schema.ENGLAND_CODE, "area_code"])
        assert len(councils) == 152
        assert set(tiles["area_code"]) == councils
        assert tiles["area_code"].is_unique
        assert len(tiles) == 152
        assert not tiles.duplicated(["q", "r"]).any()

    def test_provenance_names_the_source_commit_and_licence(self):
        text = (OPEN_DIR / "PROVENANCE.md").read_text()
        section = text[text.index(hexmap.ATTRIBUTION_HEADING) :]
        assert hexmap.SOURCE_COMMIT in section and "MIT licence" in section

    def test_committed_csv_equals_a_fresh_build(self, tiles):
        if not REAL_HEXJSON.exists():
            pytest.skip("../shared/real-data/hexmap is not available")
        fresh = hexmap.build_tiles(REAL_HEXJSON, tiles["area_code"].tolist()).to_pandas()
        assert fresh.sort_values("area_code", ignore_index=True).equals(
            tiles.sort_values("area_code", ignore_index=True)
        )
