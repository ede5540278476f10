"""Shared fixtures: the published real files in ../shared/real-data, when present."""

from __future__ import annotations

from pathlib import Path

import pytest

REAL_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "real-data"


@pytest.fixture(scope="session")
def real_data() -> Path:
    """The real-data directory next to the repository; tests using it skip when it is absent."""
    if not REAL_DATA.is_dir():
        pytest.skip(f"real data not found at {REAL_DATA}")
    return REAL_DATA
