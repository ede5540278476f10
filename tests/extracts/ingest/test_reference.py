"""`lsr ingest reference`: the council reference, population and comparators rebuilt from the
real files, written as snapshots and published (importers read them via reference_tables)."""

from pathlib import Path

import pytest

from extracts.ingest import reference
from extracts.ingest.problems import IngestError
from extracts.ingest.reference_tables import council_reference
from extracts.open_data import read_snapshot, snapshot_path

OPEN_DIR = Path(__file__).resolve().parents[3] / "data" / "open"


def test_anything_but_one_folder_is_refused(tmp_path):
    with pytest.raises(IngestError, match="give the one real-data folder"):
        reference.ingest([tmp_path / "a.csv"], tmp_path)


def test_rebuilds_the_committed_snapshots_and_publishes_them(real_data, tmp_path):
    data_dir, open_dir = tmp_path / "data", tmp_path / "open"
    summary = reference.ingest([real_data], data_dir, {"open_dir": open_dir})
    assert summary.version and len(summary.areas) == 153
    for name in ("areas", "area_aliases", "population", "comparators"):
        written = snapshot_path(name, open_dir).read_bytes()
        assert written == snapshot_path(name, OPEN_DIR).read_bytes(), name
    published = council_reference(data_dir)  # what every importer now resolves against
    assert published["areas"].equals(read_snapshot("areas", open_dir))
    assert published["aliases"].equals(read_snapshot("area_aliases", open_dir))
