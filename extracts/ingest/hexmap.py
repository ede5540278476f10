"""The hex tile layout of the 152 councils (2017 boundaries), from Open Innovations' hexmap.

Open Innovations publish a HexJSON of the UK's upper-tier authorities on their current
boundaries ("odd-r" layout: odd rows are shifted half a hex right; ``r`` grows northwards).
We keep the English councils and map the codes back to 2017: Bournemouth, Christchurch and
Poole (E06000058) becomes Bournemouth on BCP's hex and Poole on the nearest free hex beside
it; Dorset UA (E06000059) becomes Dorset county (E10000009); E06000060 becomes
Buckinghamshire county (E10000002). City of London and Isles of Scilly are councils in our
areas table, so they keep their own hexes. Every council in the areas table must end up on
exactly one hex, and no two on the same one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pyarrow as pa

from extracts.ingest import files
from extracts.ingest.problems import IngestError, Location, Summary
from extracts.open_data import OPEN_DIR, read_snapshot, write_snapshots
from queries import schema

SNAPSHOT_NAME = "area_tiles"
HEXJSON_NAME = "uk-upper-tier-local-authorities.hexjson"
SOURCE_COMMIT = "04e413a8b26d9e46f80c59611413ad58b75a87ba"
LAYOUT = "odd-r"

# 2020 code -> 2017 code that takes over its hex.
RENAMED = {
    "E06000058": "E06000028",  # Bournemouth, Christchurch and Poole -> Bournemouth
    "E06000059": "E10000009",  # Dorset UA -> Dorset county
    "E06000060": "E10000002",  # Buckinghamshire UA -> Buckinghamshire county
}
# 2017 council without a hex of its own -> the 2017 council whose hex it is placed beside.
PLACED_BESIDE = {"E06000029": "E06000028"}  # Poole beside Bournemouth

ATTRIBUTION_HEADING = "## Hex tile layout (`area_tiles.csv`)"


def neighbours(q: int, r: int) -> list[tuple[int, int]]:
    """The six hexes around (q, r) in an odd-r layout, west first then clockwise from
    south-west, so the first free one is the most natural place for a split-off council."""
    shift = r % 2  # odd rows sit half a hex to the right
    return [
        (q - 1, r),
        (q - 1 + shift, r - 1),
        (q + shift, r - 1),
        (q + 1, r),
        (q + shift, r + 1),
        (q - 1 + shift, r + 1),
    ]


def read_hexjson(path: Path) -> dict[str, tuple[int, int]]:
    """Each English code in the HexJSON and its (q, r)."""
    document = files.load_json(Path(path))
    if not isinstance(document, dict):
        raise IngestError(Location(path), "not a HexJSON file: expected an object at the top")
    if document.get("layout") != LAYOUT:
        raise IngestError(
            Location(path), f"expected layout {LAYOUT!r}, found {document.get('layout')!r}"
        )
    hexes = document.get("hexes")
    if not isinstance(hexes, dict):
        raise IngestError(Location(path), "no 'hexes' mapping")
    tiles = {}
    for code, spec in hexes.items():
        if not str(code).startswith("E"):
            continue
        try:
            tiles[str(code)] = (int(spec["q"]), int(spec["r"]))
        except (KeyError, TypeError, ValueError):
            raise IngestError(
                Location(path, column=str(code)), "hex without integer q, r"
            ) from None
    return tiles


def layout_2017(
    tiles: Mapping[str, tuple[int, int]], councils: Iterable[str]
) -> dict[str, tuple[int, int]]:
    """One hex per 2017 council: renamed codes take the successor's hex, split-off councils
    the first free neighbour of their partner's hex; raises if any council is left out."""
    wanted = set(councils)
    placed: dict[str, tuple[int, int]] = {}
    for code, position in tiles.items():
        code = RENAMED.get(code, code)
        if code in wanted:
            placed[code] = position
    taken = set(tiles.values())
    for code, partner in PLACED_BESIDE.items():
        if code not in wanted or code in placed or partner not in placed:
            continue
        free = [hex_ for hex_ in neighbours(*placed[partner]) if hex_ not in taken]
        if not free:
            raise ValueError(f"no free hex beside {partner} for {code}")
        placed[code] = free[0]
        taken.add(free[0])
    missing = sorted(wanted - placed.keys())
    if missing:
        raise ValueError(f"no hex for council(s) {', '.join(missing)}")
    positions = list(placed.values())
    if len(set(positions)) != len(positions):
        raise ValueError("two councils share a hex")
    return placed


def tiles_table(placed: Mapping[str, tuple[int, int]]) -> pa.Table:
    codes = sorted(placed)
    return schema.validate(
        SNAPSHOT_NAME,
        pa.table(
            {
                "area_code": codes,
                "q": [placed[c][0] for c in codes],
                "r": [placed[c][1] for c in codes],
            }
        ),
    )


def build_tiles(hexjson: Path, councils: Sequence[str]) -> pa.Table:
    """The area_tiles table for ``councils`` (2017 codes) from the HexJSON file."""
    try:
        return tiles_table(layout_2017(read_hexjson(hexjson), councils))
    except ValueError as error:
        if isinstance(error, IngestError):
            raise
        raise IngestError(Location(hexjson), str(error)) from None


ATTRIBUTION = f"""
{ATTRIBUTION_HEADING}

- **Source:** Open Innovations, *UK upper-tier local authorities* hex cartogram
  (`{HEXJSON_NAME}`), <https://github.com/odileeds/hexmaps>, commit
  `{SOURCE_COMMIT}`. MIT licence, © Open Innovations (formerly ODI Leeds).
- **Built by** `python -m extracts.ingest.hexmap PATH/TO/{HEXJSON_NAME}`
  (`extracts/ingest/hexmap.py`): English hexes only, layout `odd-r` (odd rows shifted half
  a hex right, `r` grows northwards), one row per 2017 council (`area_code`, `q`, `r`).
- **Mapped back to 2017 councils:** Bournemouth, Christchurch and Poole `E06000058` →
  Bournemouth `E06000028` on the same hex, and Poole `E06000029` on the first free hex beside
  it (west, then clockwise from south-west); Dorset UA `E06000059` → Dorset county `E10000009`;
  `E06000060` → Buckinghamshire county `E10000002`. City of London and Isles of Scilly keep
  their own hexes (both are councils in `areas.csv`). Every council in `areas.csv` has exactly
  one hex and no two share one (checked when built).
"""


def append_attribution(provenance: Path) -> None:
    """Add the hex layout's attribution at the end of PROVENANCE.md, once."""
    text = provenance.read_text(encoding="utf-8") if provenance.exists() else ""
    if ATTRIBUTION_HEADING in text:
        return
    provenance.write_text(text.rstrip("\n") + "\n" + ATTRIBUTION, encoding="utf-8")


def write_open_snapshot(hexjson: Path, open_dir: Path = OPEN_DIR) -> pa.Table:
    """Build area_tiles for the councils of ``open_dir``/areas.csv and write it there."""
    areas = read_snapshot("areas", open_dir)
    councils = [c for c in areas.column("area_code").to_pylist() if c != schema.ENGLAND_CODE]
    table = build_tiles(hexjson, councils)
    write_snapshots({SNAPSHOT_NAME: table}, open_dir)
    append_attribution(Path(open_dir) / "PROVENANCE.md")
    return table


def ingest(paths: Sequence[Path], data_dir: Path, options: dict | None = None) -> Summary:
    """`lsr ingest hexmap FILE.hexjson`: rebuild data/open/area_tiles.csv and publish it."""
    from extracts.publish import publish

    options = options or {}
    if len(paths) != 1:
        raise IngestError(Location(paths[0] if paths else "?"), "give the one HexJSON file")
    table = write_open_snapshot(Path(paths[0]), options.get("open_dir") or OPEN_DIR)
    summary = Summary(source="hexmap", files=1, rows=table.num_rows)
    summary.areas = set(table.column("area_code").to_pylist())
    summary.version = publish(data_dir, tables={SNAPSHOT_NAME: table})
    return summary


if __name__ == "__main__":
    import sys

    built = write_open_snapshot(Path(sys.argv[1]))
    print(f"wrote {built.num_rows} hexes to {OPEN_DIR / (SNAPSHOT_NAME + '.csv')}")
