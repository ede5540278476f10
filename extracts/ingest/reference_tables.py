"""The reference tables an importer resolves codes against: the published ones, else data/open.

A leaf module (it imports no importer), so every importer can read the council reference
without importing ``reference``, whose command builds it from the importers.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from extracts.open_data import read_snapshot
from extracts.publish import read_current


def reference_table(data_dir: Path, name: str) -> pa.Table:
    """``areas``/``area_aliases``/``population`` as published in ``data_dir``, or the snapshot."""
    published = read_current(data_dir, name)
    return published if published is not None else read_snapshot(name)


def council_reference(data_dir: Path) -> dict[str, pa.Table]:
    """The ``areas`` and ``area_aliases`` an importer resolves council names and codes against,
    as the ``areas=`` and ``aliases=`` of its ``build_table``."""
    return {
        "areas": reference_table(data_dir, "areas"),
        "aliases": reference_table(data_dir, "area_aliases"),
    }
