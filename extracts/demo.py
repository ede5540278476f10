"""`lsr demo`: build the embedded default data from the committed open-data snapshots plus
deterministic synthetic data for what no open source covers, and publish it atomically."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from tqdm import tqdm

from extracts import context_metrics, publish
from extracts.open_data import OPEN_DIR, SNAPSHOTS, read_snapshot, snapshot_path
from extracts.synthetic.families import generate_all
from queries import schema

SYNTHETIC_VINTAGE = "synthetic, seed {seed}"

REAL_DATASETS = (
    # dataset_id, name, publisher, url, vintage, snapshot tables
    (
        "ons-mye",
        "Mid-year population estimates, local authorities, mid-2015 to mid-2019",
        "Office for National Statistics",
        "https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/populationestimates",
        "mid-2015 – mid-2019",
        ("population",),
    ),
    (
        "reference-areas",
        "Councils with adult social services responsibilities (2017 boundaries)",
        "ONS / Office for Local Government / NHS England",
        "https://www.ons.gov.uk/methodology/geography",
        "2017",
        ("areas", "area_aliases"),
    ),
    (
        "comparators",
        "Comparator groups: default (open data) and Oflog nearest neighbours",
        "LSR Explorer (default); Office for Local Government (oflog-nn)",
        "https://oflog.data.gov.uk/",
        "2024",
        ("comparators",),
    ),
)
OGL = "Open Government Licence v3.0"


def build_demo(
    data_dir: Path, *, seed: int = 20170401, progress: bool = True, open_dir: Path = OPEN_DIR
) -> str:
    """Read snapshots, generate synthetic families, derive context metrics, publish fresh."""
    steps = tqdm(total=5, desc="lsr demo", unit="step", disable=not progress)
    steps.set_postfix_str("reading open-data snapshots")
    tables = {name: read_snapshot(name, open_dir) for name in SNAPSHOTS}
    steps.update()

    steps.set_postfix_str("generating synthetic DTOC, ASCOF, CHC, CQC")
    areas = tables["areas"].to_pandas()
    population = tables["population"].to_pandas()
    generated = generate_all(areas, population, seed=seed)
    steps.update()

    steps.set_postfix_str("deriving context metrics")
    indicator_parts = dict(generated["indicators"])
    indicator_parts[context_metrics.SOURCE] = pa.concat_tables(
        [
            context_metrics.population_shares(population, vintage="ONS mid-year estimates"),
            context_metrics.deprivation(areas, vintage="English indices of deprivation 2019"),
        ]
    )
    steps.update()

    steps.set_postfix_str("describing datasets")
    tables["cqc_locations"] = generated["cqc_locations"]
    tables["cqc_inspections"] = generated["cqc_inspections"]
    tables["datasets"] = _datasets_table(open_dir, indicator_parts, seed)
    steps.update()

    steps.set_postfix_str("validating and publishing")
    tables["indicators"] = pa.concat_tables(
        schema.conform("indicators", part) for _, part in sorted(indicator_parts.items())
    )
    version = publish.publish(data_dir, tables=tables, fresh=True)
    steps.update()
    steps.close()
    return version


def _checksum(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _datasets_table(open_dir: Path, indicator_parts: dict[str, pa.Table], seed: int) -> pa.Table:
    rows = []
    for dataset_id, name, publisher, url, vintage, snapshots in REAL_DATASETS:
        paths = [snapshot_path(s, open_dir) for s in snapshots]
        rows.append(
            dict(
                dataset_id=dataset_id,
                name=name,
                publisher=publisher,
                licence=OGL,
                url=url,
                vintage=vintage,
                rows=sum(read_snapshot(s, open_dir).num_rows for s in snapshots),
                is_synthetic=False,
                checksum=",".join(_checksum(p) for p in paths),
                notes="Derived snapshot in data/open; see data/open/PROVENANCE.md",
            )
        )
    for source, part in sorted(indicator_parts.items()):
        synthetic = pc.sum(part.column("is_synthetic").cast(pa.int64())).as_py() or 0
        rows.append(
            dict(
                dataset_id=f"indicators-{source}",
                name=f"Indicators: {source}",
                publisher="LSR Explorer synthetic generator" if synthetic else "see source",
                licence="Synthetic (no licence restrictions)"
                if synthetic == part.num_rows
                else OGL,
                url=None,
                vintage=SYNTHETIC_VINTAGE.format(seed=seed) if synthetic else "published",
                rows=part.num_rows,
                is_synthetic=synthetic > 0,
                checksum=None,
                notes=f"{synthetic:,} of {part.num_rows:,} rows synthetic",
            )
        )
    return pa.Table.from_pylist(rows, schema=schema.table("datasets").schema)
