"""Comparator groups as data: Oflog's nearest-neighbour JSON and plain CSVs of peers.

Every method must give every 2017 council exactly 15 peers that are themselves 2017 councils
(self excluded). Oflog's NN.json uses current codes, so codes created by later
reorganisations are mapped back to their 2017 predecessor when it is unique and dropped
otherwise; gaps are filled from the default method's nearest councils (see PROVENANCE.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from extracts import comparators_default
from extracts.ingest import files, reference_areas
from extracts.ingest.problems import IngestError, Location, Summary
from extracts.ingest.reference_tables import reference_table
from extracts.publish import publish, read_current
from queries import schema

PEERS = comparators_default.PEERS
OFLOG_METHOD = "oflog-nn"
NN_JSON = Path("ascof_oflog/NN.json")
METHOD_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_COLUMNS = ["method", "area_code", "peer_code", "rank", "distance"]


def _council_codes(areas: pd.DataFrame | pa.Table) -> list[str]:
    frame = areas.to_pandas() if isinstance(areas, pa.Table) else areas
    return sorted(frame.loc[frame["la_type"] != "country", "area_code"])


def _predecessor(code: str, councils: set[str]) -> str | None:
    """The one 2017 council a code stands for; None for a merger of several (e.g. BCP)."""
    if code in councils:
        return code
    predecessors = reference_areas.SUCCESSOR_CODES.get(code)
    if predecessors is None:
        return None
    return predecessors[0] if len(predecessors) == 1 else None


def _source_keys(council: str, data: Mapping[str, list[str]]) -> list[str]:
    """Keys of NN.json whose list stands for a 2017 council: its own, else its successors'.

    Successors that cover only this council are preferred (Dorset UA for Dorset county);
    a merged successor (BCP) serves each of its predecessors when nothing better exists.
    """
    if council in data:
        return [council]
    successors = [
        (len(predecessors), code)
        for code, predecessors in reference_areas.SUCCESSOR_CODES.items()
        if council in predecessors and code in data
    ]
    if not successors:
        return []
    fewest = min(count for count, _ in successors)
    return sorted(code for count, code in successors if count == fewest)


def _complete_group(
    council: str, candidates: list[str], distances: pd.DataFrame
) -> tuple[list[str], int]:
    """Exactly PEERS peers, ordered by default distance; returns (peers, how many filled)."""
    by_distance = comparators_default.nearest(distances, council, len(distances) - 1)
    order = {code: position for position, code in enumerate(by_distance)}
    peers = sorted(set(candidates) - {council}, key=order.__getitem__)[:PEERS]
    filled = 0
    for code in by_distance:
        if len(peers) == PEERS:
            break
        if code not in peers:
            peers.append(code)
            filled += 1
    return sorted(peers, key=order.__getitem__), filled


def _load_nn_json(path: Path) -> dict[str, list[str]]:
    data = files.load_json(path)
    if not isinstance(data, dict) or not all(
        isinstance(codes, list) and all(isinstance(c, str) for c in codes)
        for codes in data.values()
    ):
        raise IngestError(Location(path), "expected an object of area code -> list of codes")
    return data


def read_nn_json(
    path: Path | str,
    areas: pd.DataFrame | pa.Table,
    method: str = OFLOG_METHOD,
    summary: Summary | None = None,
) -> pa.Table:
    """Oflog nearest neighbours (code -> [self + 15 neighbours]) as a comparators table.

    NN.json lists are sorted by code, not by similarity, so ranks follow the default
    method's distance; distance itself is left empty (Oflog publishes none).
    """
    path = Path(path)
    data = _load_nn_json(path)
    councils = _council_codes(areas)
    council_set = set(councils)
    distances = comparators_default.distance_matrix(areas)
    records = []
    for council in councils:
        candidates = []
        for key in _source_keys(council, data):
            for position, code in enumerate(data[key], start=1):
                if code not in council_set and code not in reference_areas.SUCCESSOR_CODES:
                    raise IngestError(
                        Location(path, row=position, column=key),
                        f"{code!r} (neighbour {position} of {key}) is not a 2017 council "
                        "or a known successor of one",
                    )
                mapped = _predecessor(code, council_set)
                if mapped is not None:
                    candidates.append(mapped)
        peers, filled = _complete_group(council, candidates, distances)
        if filled and summary is not None:
            summary.warn(
                Location(path, column=council),
                f"{filled} of {PEERS} peers filled from the default method",
            )
        records += [(method, council, peer, rank, None) for rank, peer in enumerate(peers, 1)]
    return _validated(records, councils)


def _header_index(header: list[str], path: Path) -> dict[str, int]:
    labels = [label.strip().lower() for label in header]
    for required in ("area_code", "peer_code"):
        if required not in labels:
            raise IngestError(
                Location(path, row=1),
                f"no {required!r} column (expected area_code, peer_code and optionally rank)",
            )
    return {label: index for index, label in enumerate(labels)}


def _resolve(value: str, lookup: Mapping[str, str], councils: set[str], location: Location) -> str:
    code = lookup.get(schema.normalise_area_name(value))
    if code in councils:
        return code
    predecessors = reference_areas.SUCCESSOR_CODES.get(value.strip())
    if predecessors:
        raise IngestError(
            location,
            f"{value!r} is not a 2017 council; it replaced {', '.join(predecessors)} — "
            "give the 2017 council codes",
        )
    raise IngestError(location, f"unknown area code {value!r}")


def _number(value: str, location: Location, what: str, kind: type) -> int | float:
    try:
        return kind(value)
    except ValueError:
        raise IngestError(location, f"{what} {value!r} is not a number") from None


def _rank(value: str, location: Location) -> int:
    rank = _number(value, location, "rank", int)
    if not 1 <= rank <= PEERS:
        raise IngestError(location, f"rank {rank} is outside 1..{PEERS}")
    return rank


def read_comparator_csv(
    path: Path | str,
    method: str,
    areas: pd.DataFrame | pa.Table,
    aliases: pa.Table,
) -> pa.Table:
    """A CSV of area_code, peer_code[, rank][, distance] as comparators for ``method``.

    Codes (or names) resolve through the alias table; every council needs exactly 15 peers.
    Without a rank column, peers are ranked in file order.
    """
    path = Path(path)
    if not METHOD_NAME.match(method):
        raise IngestError(Location(path), f"method name {method!r}: use a-z, 0-9 and '-'")
    councils = _council_codes(areas)
    council_set = set(councils)
    lookup = reference_areas.alias_lookup(aliases)
    groups: dict[str, list[tuple[int | None, str, float | None, int]]] = {}
    reader = files.CsvFile(path)  # every row checked to have the header's field count
    columns = _header_index(reader.header, path)
    for row_number, row in reader:
        cells = {name: row[index].strip() for name, index in columns.items()}
        area, peer, rank, distance = _parse_row(cells, path, row_number, lookup, council_set)
        if any(existing == peer for _, existing, _, _ in groups.get(area, [])):
            raise IngestError(
                Location(path, row=row_number, column="peer_code"),
                f"{peer} listed twice for {area}",
            )
        groups.setdefault(area, []).append((rank, peer, distance, row_number))
    return _validated(_ranked_records(groups, method, councils, path), councils)


def _parse_row(
    cells: Mapping[str, str],
    path: Path,
    row_number: int,
    lookup: Mapping[str, str],
    councils: set[str],
) -> tuple[str, str, int | None, float | None]:
    def where(column: str) -> Location:
        return Location(path, row=row_number, column=column)

    area = _resolve(cells["area_code"], lookup, councils, where("area_code"))
    peer = _resolve(cells["peer_code"], lookup, councils, where("peer_code"))
    if peer == area:
        raise IngestError(where("peer_code"), f"{area} is listed as its own peer")
    rank = _rank(cells["rank"], where("rank")) if cells.get("rank") else None
    distance = cells.get("distance")
    if distance:
        distance = float(_number(distance, where("distance"), "distance", float))
    return area, peer, rank, distance or None


def _ranked_records(groups, method: str, councils: list[str], path: Path) -> list[tuple]:
    missing = [code for code in councils if code not in groups]
    if missing:
        raise IngestError(
            Location(path),
            f"no peers for {len(missing)} council(s): {', '.join(missing[:5])}"
            + (" …" if len(missing) > 5 else ""),
        )
    records = []
    for area in councils:
        rows = groups[area]
        if len(rows) != PEERS:
            raise IngestError(
                Location(path, row=rows[0][3], column="area_code"),
                f"{area} has {len(rows)} peers; every council needs exactly {PEERS}",
            )
        ranks = [rank for rank, *_ in rows]
        if all(rank is None for rank in ranks):
            ranks = list(range(1, PEERS + 1))
        if sorted(r or 0 for r in ranks) != list(range(1, PEERS + 1)):
            raise IngestError(
                Location(path, row=rows[0][3], column="rank"),
                f"{area}: ranks must be 1..{PEERS} once each",
            )
        for rank, (_, peer, distance, _) in zip(ranks, rows, strict=True):
            records.append((method, area, peer, rank, distance))
    return records


def _validated(records: list[tuple], councils: list[str]) -> pa.Table:
    frame = pd.DataFrame(records, columns=_COLUMNS).sort_values(["method", "area_code", "rank"])
    table = pa.Table.from_pandas(frame, preserve_index=False)
    check_groups(table, councils)
    return schema.validate("comparators", table)


def check_groups(table: pa.Table, councils: list[str]) -> None:
    """Every council has exactly 15 distinct peers (not itself) in every method."""
    frame = table.select(["method", "area_code", "peer_code", "rank"]).to_pandas()
    for method, rows in frame.groupby("method"):
        if (rows["area_code"] == rows["peer_code"]).any():
            area = rows.loc[rows["area_code"] == rows["peer_code"], "area_code"].iloc[0]
            raise IngestError(Location(f"comparators {method}"), f"{area} is its own peer")
        counts = rows.groupby("area_code")["peer_code"].nunique().reindex(councils, fill_value=0)
        wrong = counts[counts != PEERS]
        if len(wrong):
            raise IngestError(
                Location(f"comparators {method}"),
                f"{wrong.index[0]} has {wrong.iloc[0]} peers; expected {PEERS}",
            )


def build_open_comparators(
    real_data_dir: Path | str, areas: pa.Table, summary: Summary | None = None
) -> pa.Table:
    """Methods 'default' (computed) and 'oflog-nn' (NN.json) for the open snapshot."""
    default = comparators_default.default_comparators(areas)
    oflog = read_nn_json(Path(real_data_dir) / NN_JSON, areas, summary=summary)
    return schema.validate("comparators", pa.concat_tables([default, oflog]))


def build_open_data(
    real_data_dir: Path | str, summary: Summary | None = None
) -> dict[str, pa.Table]:
    """Every table shipped under data/open: areas, area_aliases, population, comparators."""
    tables = reference_areas.build_reference(real_data_dir, summary)
    tables["comparators"] = build_open_comparators(real_data_dir, tables["areas"], summary)
    return tables


def ingest(paths: Sequence[Path], data_dir: Path, options: dict | None = None) -> Summary:
    """`lsr ingest comparators NN.json|FILE.csv… [--method NAME]`: add or replace methods,
    keeping the others; every council must end with exactly 15 peers in every method."""
    options = options or {}
    summary = Summary(source="comparators", files=len(paths))
    areas = reference_table(data_dir, "areas")
    aliases = reference_table(data_dir, "area_aliases")
    new_groups = []
    for path in map(Path, paths):
        if path.suffix.lower() == ".json":
            method = options.get("method") or OFLOG_METHOD
            new_groups.append(read_nn_json(path, areas, method=method, summary=summary))
        else:
            if not options.get("method"):
                raise IngestError(Location(path), "a comparator CSV needs --method NAME")
            new_groups.append(read_comparator_csv(path, options["method"], areas, aliases))
    new = pa.concat_tables(new_groups)
    methods = set(new.column("method").to_pylist())
    if len(new_groups) != len(methods):
        raise IngestError(Location(paths[-1]), "two files define the same method; use --method")
    existing = read_current(data_dir, "comparators")
    if existing is not None:
        keep = pc.invert(pc.is_in(existing.column("method"), pa.array(sorted(methods))))
        new = pa.concat_tables([existing.filter(keep), new])
    summary.rows = new.num_rows
    summary.areas = set(new.column("area_code").to_pylist())
    summary.periods = methods
    summary.version = publish(data_dir, tables={"comparators": new})
    return summary
