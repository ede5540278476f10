import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from extracts.ingest.comparators import (
    PEERS,
    build_open_comparators,
    check_groups,
    read_comparator_csv,
    read_nn_json,
)
from extracts.ingest.problems import IngestError, Location, Summary
from extracts.ingest.reference_areas import AliasBook
from extracts.open_data import read_snapshots
from queries import schema

OPEN_DIR = Path(__file__).resolve().parents[3] / "data" / "open"
ENGLAND = schema.ENGLAND_CODE
# Real 2017 codes that later reorganisations replaced, plus plain unitaries to make up 24.
REORGANISED = ["E06000028", "E06000029", "E10000002", "E10000009", "E10000021"]
COUNCILS = sorted(REORGANISED + [f"E06{index:06d}" for index in range(1, 20)])


def make_areas() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    count = len(COUNCILS)
    councils = pd.DataFrame(
        {
            "area_code": COUNCILS,
            "name": [f"Council {code}" for code in COUNCILS],
            "la_type": "unitary",
            "region": "South West",
            "pop_all": rng.integers(50_000, 900_000, count),
            "pct_65plus": rng.uniform(12, 26, count).round(3),
            "pct_85plus": rng.uniform(1, 4, count).round(3),
            "imd_avg_rank": rng.uniform(3_000, 27_000, count).round(2),
            "density_per_km2": rng.uniform(100, 5_000, count).round(),
        }
    )
    england = {"area_code": ENGLAND, "name": "England", "la_type": "country",
               "region": "England", "pop_all": 55_000_000, "pct_65plus": 17.9,
               "pct_85plus": 2.4, "imd_avg_rank": np.nan, "density_per_km2": 424.0}  # fmt: skip
    return pd.concat([councils, pd.DataFrame([england])], ignore_index=True)


def make_aliases(areas: pd.DataFrame) -> pa.Table:
    book = AliasBook()
    for code, name in areas[["area_code", "name"]].itertuples(index=False):
        book.add(code, code, Location("test"))
        book.add(name, code, Location("test"))
    return book.table()


def write_csv(path: Path, rows: list[list[object]], header=("area_code", "peer_code", "rank")):
    lines = [",".join(header)] + [",".join(str(cell) for cell in row) for row in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


def full_rows(with_rank: bool = True) -> list[list[object]]:
    """Each council's 15 peers: the next 15 councils in code order (wrapping round)."""
    rows = []
    for index, area in enumerate(COUNCILS):
        for rank in range(1, PEERS + 1):
            peer = COUNCILS[(index + rank) % len(COUNCILS)]
            rows.append([area, peer, rank] if with_rank else [area, peer])
    return rows


class TestReadComparatorCsv:
    def test_reads_a_complete_file(self, tmp_path):
        path = write_csv(tmp_path / "peers.csv", full_rows())
        areas = make_areas()
        table = read_comparator_csv(path, "custom", areas, make_aliases(areas))
        assert table.num_rows == len(COUNCILS) * PEERS
        assert set(table.column("method").to_pylist()) == {"custom"}

    def test_without_rank_file_order_is_the_rank(self, tmp_path):
        path = write_csv(tmp_path / "p.csv", full_rows(False), header=("area_code", "peer_code"))
        areas = make_areas()
        frame = read_comparator_csv(path, "cipfa", areas, make_aliases(areas)).to_pandas()
        first = frame[frame["area_code"] == COUNCILS[0]].sort_values("rank")
        assert first["peer_code"].tolist() == COUNCILS[1:16]

    def test_names_resolve_through_aliases(self, tmp_path):
        rows = full_rows()
        rows[0][1] = "COUNCIL " + rows[0][1]
        path = write_csv(tmp_path / "peers.csv", rows)
        areas = make_areas()
        table = read_comparator_csv(path, "custom", areas, make_aliases(areas))
        assert table.num_rows == len(COUNCILS) * PEERS

    def test_unknown_code_names_the_code_row_and_column(self, tmp_path):
        rows = full_rows()
        rows[4][1] = "E06999999"
        path = write_csv(tmp_path / "peers.csv", rows)
        areas = make_areas()
        with pytest.raises(IngestError) as caught:
            read_comparator_csv(path, "custom", areas, make_aliases(areas))
        assert caught.value.location.row == 6  # header is row 1, fifth data row is row 6
        assert caught.value.location.column == "peer_code"
        assert "E06999999" in str(caught.value) and "peers.csv" in str(caught.value)

    def test_a_merged_successor_code_says_what_it_replaced(self, tmp_path):
        rows = full_rows()
        rows[0][0] = "E06000058"
        path = write_csv(tmp_path / "peers.csv", rows)
        areas = make_areas()
        with pytest.raises(IngestError, match="E06000028, E06000029, E10000009"):
            read_comparator_csv(path, "custom", areas, make_aliases(areas))

    def test_self_peer_is_an_error(self, tmp_path):
        rows = full_rows()
        rows[0][1] = rows[0][0]
        path = write_csv(tmp_path / "peers.csv", rows)
        areas = make_areas()
        with pytest.raises(IngestError, match="its own peer"):
            read_comparator_csv(path, "custom", areas, make_aliases(areas))

    def test_fourteen_peers_is_an_error(self, tmp_path):
        path = write_csv(tmp_path / "peers.csv", full_rows()[1:])
        areas = make_areas()
        with pytest.raises(IngestError, match="14 peers"):
            read_comparator_csv(path, "custom", areas, make_aliases(areas))

    def test_missing_council_is_an_error(self, tmp_path):
        path = write_csv(tmp_path / "peers.csv", full_rows()[PEERS:])
        areas = make_areas()
        with pytest.raises(IngestError, match=f"no peers for 1 council.*{COUNCILS[0]}"):
            read_comparator_csv(path, "custom", areas, make_aliases(areas))

    def test_duplicate_peer_and_bad_rank_are_errors(self, tmp_path):
        areas = make_areas()
        rows = full_rows()
        rows[1][1] = rows[0][1]
        with pytest.raises(IngestError, match="listed twice"):
            read_comparator_csv(write_csv(tmp_path / "a.csv", rows), "x", areas,
                                make_aliases(areas))  # fmt: skip
        rows = full_rows()
        rows[2][2] = 16
        with pytest.raises(IngestError, match="outside 1..15"):
            read_comparator_csv(write_csv(tmp_path / "b.csv", rows), "x", areas,
                                make_aliases(areas))  # fmt: skip

    def test_missing_column_and_bad_method_name(self, tmp_path):
        areas = make_areas()
        path = write_csv(tmp_path / "p.csv", [["E06000001"]], header=("area_code",))
        with pytest.raises(IngestError, match="peer_code"):
            read_comparator_csv(path, "custom", areas, make_aliases(areas))
        with pytest.raises(IngestError, match="method name"):
            read_comparator_csv(path, "My Method!", areas, make_aliases(areas))


def nn_lists() -> dict[str, list[str]]:
    """NN.json-style lists (sorted, self included) in post-2019 codes."""
    current = [c for c in COUNCILS if c not in REORGANISED]
    current += ["E06000058", "E06000059", "E06000060", "E06000061", "E06000062"]
    data = {}
    for index, key in enumerate(sorted(current)):
        members = {key} | {sorted(current)[(index + step) % len(current)] for step in range(1, 16)}
        data[key] = sorted(members)
    return data


class TestReadNnJson:
    def test_every_2017_council_gets_15_peers_that_are_2017_councils(self, tmp_path):
        path = tmp_path / "NN.json"
        path.write_text(json.dumps(nn_lists()))
        summary = Summary(source="comparators")
        table = read_nn_json(path, make_areas(), summary=summary).to_pandas()
        counts = table.groupby("area_code").size()
        assert set(counts.index) == set(COUNCILS) and (counts == PEERS).all()
        assert set(table["peer_code"]) <= set(COUNCILS)
        assert not (table["area_code"] == table["peer_code"]).any()
        assert table["distance"].isna().all()

    def test_successor_lists_stand_in_for_their_2017_councils(self, tmp_path):
        data = nn_lists()
        path = tmp_path / "NN.json"
        path.write_text(json.dumps(data))
        table = read_nn_json(path, make_areas()).to_pandas()
        bucks = set(table.loc[table["area_code"] == "E10000002", "peer_code"])
        expected = {c for c in data["E06000060"] if c in COUNCILS}
        assert expected <= bucks
        dorset_unitary_list = {c for c in data["E06000059"] if c in COUNCILS}
        dorset = set(table.loc[table["area_code"] == "E10000009", "peer_code"])
        assert dorset_unitary_list <= dorset

    def test_a_district_code_among_council_neighbours_is_an_error(self, tmp_path):
        data = nn_lists()
        data["E06000001"][3] = "E07000026"
        path = tmp_path / "NN.json"
        path.write_text(json.dumps(data))
        with pytest.raises(IngestError, match="E07000026") as caught:
            read_nn_json(path, make_areas())
        assert caught.value.location.column == "E06000001"
        assert caught.value.location.row == 4

    def test_not_a_json_object_is_an_error(self, tmp_path):
        path = tmp_path / "NN.json"
        path.write_text("[1, 2]")
        with pytest.raises(IngestError, match="object"):
            read_nn_json(path, make_areas())


class TestCheckGroups:
    def test_self_peer_and_wrong_count_are_errors(self):
        def table(rows):
            frame = pd.DataFrame(rows, columns=["method", "area_code", "peer_code", "rank"])
            return pa.Table.from_pandas(frame.assign(distance=None))

        with pytest.raises(IngestError, match="its own peer"):
            check_groups(table([("m", "E06000001", "E06000001", 1)]), ["E06000001"])
        with pytest.raises(IngestError, match="1 peers"):
            check_groups(table([("m", "E06000001", "E06000002", 1)]), ["E06000001"])


@pytest.fixture(scope="module")
def committed():
    tables = read_snapshots(OPEN_DIR)
    if "comparators" not in tables:
        pytest.skip("data/open/comparators.csv not built")
    return tables


class TestCommittedComparators:
    def test_every_council_has_exactly_15_peers_in_each_method(self, committed):
        frame = committed["comparators"].to_pandas()
        councils = committed["areas"].to_pandas().query("la_type != 'country'")["area_code"]
        assert set(frame["method"]) == {"default", "oflog-nn"}
        for _, rows in frame.groupby("method"):
            counts = rows.groupby("area_code")["peer_code"].nunique()
            assert set(counts.index) == set(councils) and (counts == PEERS).all()
            assert not (rows["area_code"] == rows["peer_code"]).any()
            assert set(rows["peer_code"]) <= set(councils)

    @pytest.mark.realdata
    def test_equal_a_fresh_build_from_real_data(self, committed, real_data):
        fresh = build_open_comparators(real_data, committed["areas"])
        order = [("method", "ascending"), ("area_code", "ascending"), ("rank", "ascending")]
        assert committed["comparators"].sort_by(order).equals(fresh.sort_by(order))

    @pytest.mark.realdata
    def test_oflog_peers_come_from_nn_json(self, committed, real_data):
        data = json.loads((real_data / "ascof_oflog" / "NN.json").read_text())
        frame = committed["comparators"].to_pandas()
        coventry = frame[(frame["method"] == "oflog-nn") & (frame["area_code"] == "E08000026")]
        assert set(coventry["peer_code"]) == set(data["E08000026"]) - {"E08000026"}
