"""Every CSV download: the rows as plotted or shown, after '#' lines saying what they are,
where they come from and whether they are synthetic, so a file explains itself away from the
page that made it. One writer for every page's downloads."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

SYNTHETIC_YES = "yes (demo values, not real figures)"
FLOAT_FORMAT = "%.10g"  # enough digits to round-trip the published values, no float noise


def synthetic_text(synthetic: bool, *, qualifier: str = "") -> str:
    """The value of a download's "synthetic data" line."""
    return f"{SYNTHETIC_YES}{qualifier}" if synthetic else "no"


def provenance_csv(
    metadata: Mapping[str, object] | Iterable[tuple[str, object]],
    rows: pd.DataFrame,
    *,
    float_format: str | None = FLOAT_FORMAT,
) -> str:
    """``rows`` as CSV (no index) after one ``# key: value`` line per metadata item."""
    items = metadata.items() if isinstance(metadata, Mapping) else metadata
    header = "".join(f"# {key}: {value}\n" for key, value in items)
    return header + rows.to_csv(index=False, float_format=float_format)
